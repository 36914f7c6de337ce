// The DNSSEC extension, DS data interface (RFC 5910 §4.1). The key data interface (§4.2) is not offered:
// keyData is answered 2306; maxSigLife and urgent (§4.3, §5.2.5) are options we do not implement (2102).
import type { DsData } from '../../../core/domains/view.ts';
import type { XNode } from '../../dom.ts';
import { EppError } from '../../errors.ts';
import { NS } from '../../namespaces.ts';
import { nsEl, el, type Xml } from '../../responses.ts';

const noKeyData = () => new EppError(2306, 'the keyData interface is not offered: send dsData (RFC 5910 §4.1)');

function readDs(d: XNode): DsData {
  // A <secDNS:keyData> inside <secDNS:dsData> is optional (RFC 5910 §4.1) and not kept.
  return {
    keyTag: Number(d.need('secDNS:keyTag').text),
    algorithm: Number(d.need('secDNS:alg').text),
    digestType: Number(d.need('secDNS:digestType').text),
    digest: d.need('secDNS:digest').text,
  };
}

function readDsOrKey(parent: XNode): DsData[] {
  if (parent.child('secDNS:maxSigLife')) throw new EppError(2102, 'maxSigLife is not supported (RFC 5910 §3.3)');
  if (parent.child('secDNS:keyData')) throw noKeyData();
  return parent.all('secDNS:dsData').map(readDs);
}

/** <secDNS:create> of a domain:create (RFC 5910 §5.2.1). */
export function dsForCreate(ext: XNode | undefined): DsData[] {
  return ext ? readDsOrKey(ext) : [];
}

export interface DsUpdate { removeAll: boolean; remove: DsData[]; add: DsData[] }

/** <secDNS:update> of a domain:update (RFC 5910 §5.2.5): rem (all or dsData), then add. */
export function dsForUpdate(ext: XNode | undefined): DsUpdate {
  const out: DsUpdate = { removeAll: false, remove: [], add: [] };
  if (!ext) return out;
  if (ext.attrs.urgent === 'true' || ext.attrs.urgent === '1') throw new EppError(2102, 'urgent DS updates are not supported (RFC 5910 §5.2.5)');
  if (ext.child('secDNS:chg')) throw new EppError(2102, 'maxSigLife is not supported (RFC 5910 §3.3)');
  const rem = ext.child('secDNS:rem');
  if (rem) {
    if (rem.child('secDNS:keyData')) throw noKeyData();
    const all = rem.child('secDNS:all')?.text;
    out.removeAll = all === 'true' || all === '1';
    out.remove = rem.all('secDNS:dsData').map(readDs);
  }
  const add = ext.child('secDNS:add');
  if (add) out.add = readDsOrKey(add);
  return out;
}

/** <secDNS:infData> for a domain:info response. */
export function dsInfData(ds: DsData[]): Xml {
  return nsEl('secDNS', 'infData', null, ...ds.map((d) => el('secDNS:dsData', null,
    el('secDNS:keyTag', null, d.keyTag), el('secDNS:alg', null, d.algorithm),
    el('secDNS:digestType', null, d.digestType), el('secDNS:digest', null, d.digest))));
}

export const SECDNS = NS.secDNS;
