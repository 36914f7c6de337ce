// XML namespaces of an escrow deposit: RFC 8909 (rde, rdeHeader, rdeReport), RFC 9022 (the object mappings),
// the EPP object schemas they reuse, and our own extension (schemas/domen-rde-1.0.xsd) for the registry data
// that RFC 9022 has no element for.
export const RDE_NS = {
  rde: 'urn:ietf:params:xml:ns:rde-1.0',
  rdeHeader: 'urn:ietf:params:xml:ns:rdeHeader-1.0',
  rdeReport: 'urn:ietf:params:xml:ns:rdeReport-1.0',
  rdeDomain: 'urn:ietf:params:xml:ns:rdeDomain-1.0',
  rdeHost: 'urn:ietf:params:xml:ns:rdeHost-1.0',
  rdeContact: 'urn:ietf:params:xml:ns:rdeContact-1.0',
  rdeRegistrar: 'urn:ietf:params:xml:ns:rdeRegistrar-1.0',
  rdeIDN: 'urn:ietf:params:xml:ns:rdeIDN-1.0',
  rdeNNDN: 'urn:ietf:params:xml:ns:rdeNNDN-1.0',
  rdeEppParams: 'urn:ietf:params:xml:ns:rdeEppParams-1.0',
  rdePolicy: 'urn:ietf:params:xml:ns:rdePolicy-1.0',
  domain: 'urn:ietf:params:xml:ns:domain-1.0',
  host: 'urn:ietf:params:xml:ns:host-1.0',
  contact: 'urn:ietf:params:xml:ns:contact-1.0',
  secDNS: 'urn:ietf:params:xml:ns:secDNS-1.1',
  epp: 'urn:ietf:params:xml:ns:epp-1.0',
  domen: 'urn:domen:params:xml:ns:rdeDomen-1.0',
} as const;

export type RdePrefix = keyof typeof RDE_NS;

/** The object types a deposit counts in its header (RFC 9022 §5..§9), in the order the header lists them. */
export const COUNTED: { key: CountKey; uri: string }[] = [
  { key: 'domain', uri: RDE_NS.rdeDomain },
  { key: 'host', uri: RDE_NS.rdeHost },
  { key: 'contact', uri: RDE_NS.rdeContact },
  { key: 'registrar', uri: RDE_NS.rdeRegistrar },
  { key: 'idn', uri: RDE_NS.rdeIDN },
  { key: 'nndn', uri: RDE_NS.rdeNNDN },
  { key: 'eppParams', uri: RDE_NS.rdeEppParams },
  { key: 'domen', uri: RDE_NS.domen },
];

export type CountKey = 'domain' | 'host' | 'contact' | 'registrar' | 'idn' | 'nndn' | 'eppParams' | 'domen';
export type Counts = Record<CountKey, number>;
export const zeroCounts = (): Counts => ({ domain: 0, host: 0, contact: 0, registrar: 0, idn: 0, nndn: 0, eppParams: 0, domen: 0 });
