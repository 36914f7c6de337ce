// XML namespaces of EPP (RFC 5730 §4, 5731 §4, 5732 §4, 5733 §4), the extensions we serve and our own.
export const NS = {
  epp: 'urn:ietf:params:xml:ns:epp-1.0',
  eppcom: 'urn:ietf:params:xml:ns:eppcom-1.0',
  domain: 'urn:ietf:params:xml:ns:domain-1.0',
  host: 'urn:ietf:params:xml:ns:host-1.0',
  contact: 'urn:ietf:params:xml:ns:contact-1.0',
  secDNS: 'urn:ietf:params:xml:ns:secDNS-1.1',
  rgp: 'urn:ietf:params:xml:ns:rgp-1.0',
  identity: 'urn:domen:params:xml:ns:identity-1.0',
  loginSec: 'urn:ietf:params:xml:ns:epp:loginSec-1.0',
  changePoll: 'urn:ietf:params:xml:ns:changePoll-1.0',
  fee: 'urn:ietf:params:xml:ns:epp:fee-1.0',
  idn: 'urn:ietf:params:xml:ns:idn-1.0',
} as const;

export type Prefix = keyof typeof NS;

/** Object services announced in the greeting and accepted in <login><svcs> (RFC 5730 §2.4). */
export const OBJECT_URIS: readonly string[] = [NS.domain, NS.contact, NS.host];

/** Command-response extensions we implement (RFC 5730 §2.7.3). */
export const EXTENSION_URIS: readonly string[] = [NS.secDNS, NS.rgp, NS.identity, NS.loginSec, NS.changePoll];

const PREFIX_OF = new Map<string, string>(Object.entries(NS).map(([p, uri]) => [uri, p]));

/** 'urn:ietf:params:xml:ns:domain-1.0' -> 'domain', for messages that people read. */
export function prefixOf(uri: string): string | undefined {
  return PREFIX_OF.get(uri);
}
