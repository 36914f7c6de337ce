// RFC 5733 contacts <-> the core's persons (R3.7) and legal entities (R3.8).
//
// - <contact:org> present and not empty: a legal entity; its <contact:name> is the director or
//   representative (R3.8), kept as the representative's name. Without org: a natural person.
// - A natural person's <contact:name> is split on its LAST space: "Aysel Quliyeva" is given name
//   "Aysel", family name "Quliyeva"; "Məmməd Əli Hüseynov" is "Məmməd Əli" + "Hüseynov". The identity
//   extension's givenName/familyName, when given, take precedence. Info joins them with one space.
// - Of two <contact:postalInfo> (RFC 5733 §2.3), the 'loc' one is kept (the registry keeps one address in
//   UTF-8); info answers type 'int' when the stored data is all ASCII, else 'loc'.
// - The voice/fax extension attribute x is not kept.
// - What RFC 5733 has no element for (patronymic, citizenship, identity document, TIN, country of
//   registration, representative) travels in urn:domen:params:xml:ns:identity-1.0 (docs/epp.md).
import type { ContactData, ContactView } from '../../../core/contacts.ts';
import type { Representative } from '../../../db/schema.ts';
import type { XNode } from '../../dom.ts';
import { el, nsEl, type Xml } from '../../responses.ts';
import { EppError } from '../../errors.ts';

export function splitName(name: string): { givenName: string; familyName: string | null } {
  const n = name.trim().replace(/\s+/g, ' ');
  const i = n.lastIndexOf(' ');
  return i < 0 ? { givenName: n, familyName: null } : { givenName: n.slice(0, i), familyName: n.slice(i + 1) };
}

/**
 * The postalInfo the registry keeps ('loc' when both are given). The 'int' form is 7-bit ASCII by RFC 5733 §2.3,
 * so one with other letters (the Azerbaijani ə, ş, ç ...) is refused with 2005: they belong in type="loc".
 */
export function pickPostalInfo(parent: XNode): XNode | undefined {
  const all = parent.all('contact:postalInfo');
  for (const p of all) {
    if (p.attrs.type !== 'int') continue;
    const bad = texts(p).find((t) => /[^\t\n\r\x20-\x7e]/.test(t));
    if (bad !== undefined) {
      throw new EppError(2005, 'postalInfo type="int" holds only 7-bit ASCII (RFC 5733 §2.3): give names and addresses with other letters as type="loc"',
        [{ reason: `RFC 5733 §2.3: not ASCII: ${bad.trim().slice(0, 100)}` }]);
    }
  }
  return all.find((p) => p.attrs.type === 'loc') ?? all[0];
}

/** The text of an element and of every element below it. */
function texts(n: XNode): string[] {
  return [n.rawText, ...n.children.flatMap(texts)];
}

const optional = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/** An e164 element: absent -> undefined (unchanged), empty -> null (removed). */
function phone(parent: XNode, qname: string): string | null | undefined {
  const p = parent.child(qname);
  return p ? optional(p.text) : undefined;
}

function address(addr: XNode): Pick<ContactData, 'street' | 'city' | 'sp' | 'pc' | 'cc'> {
  return {
    street: addr.all('contact:street').map((s) => s.text).filter((s) => s !== ''),
    city: addr.need('contact:city').text,
    sp: optional(addr.textOf('contact:sp')),
    pc: optional(addr.textOf('contact:pc')),
    cc: addr.need('contact:cc').text,
  };
}

/** RFC 5733 §2.9 disclose: flag="0" lists what must not be disclosed, flag="1" what may be. */
function disclose(d: XNode | undefined): Record<string, boolean> | undefined {
  if (!d) return undefined;
  const flag = d.attrs.flag === '1' || d.attrs.flag === 'true';
  const out: Record<string, boolean> = {};
  for (const c of d.children) out[c.name] = flag;
  return out;
}

function document(d: XNode | undefined): Pick<Representative, 'idSeries' | 'idNumber' | 'idAuthority' | 'idIssuedOn'> {
  if (!d) return {};
  return {
    idSeries: d.need('identity:series').text, idNumber: d.need('identity:number').text,
    idAuthority: optional(d.textOf('identity:authority')), idIssuedOn: optional(d.textOf('identity:issued')),
  };
}

/** Fields of <identity:create> / <identity:update>, only those present. */
export function identityData(ext: XNode | undefined): ContactData {
  if (!ext) return {};
  const out: ContactData = {};
  const doc = ext.child('identity:document');
  if (doc) Object.assign(out, document(doc));
  const set = (q: string, key: keyof ContactData) => {
    const v = ext.textOf(q);
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  };
  set('identity:givenName', 'givenName');
  set('identity:familyName', 'familyName');
  set('identity:patronymic', 'patronymic');
  set('identity:citizenship', 'citizenship');
  set('identity:tin', 'tin');
  set('identity:regCountry', 'regCountry');
  const rep = ext.child('identity:representative');
  if (rep) out.representative = { name: rep.need('identity:name').text, position: optional(rep.textOf('identity:position')), ...document(rep.child('identity:document')) };
  return out;
}

/** <contact:create> + identity extension -> core input (without handle and authInfo). */
export function createData(cmd: XNode, identity: XNode | undefined): ContactData {
  const info = pickPostalInfo(cmd)!;
  const org = optional(info.textOf('contact:org'));
  const name = info.need('contact:name').text;
  const ext = identityData(identity);
  const base: ContactData = {
    ...address(info.need('contact:addr')),
    voice: phone(cmd, 'contact:voice') ?? null,
    fax: phone(cmd, 'contact:fax') ?? null,
    email: cmd.need('contact:email').text,
    disclose: disclose(cmd.child('contact:disclose')) ?? {},
  };
  if (org) {
    return { ...base, ...ext, kind: 'legal', orgName: org, givenName: null, familyName: null, representative: ext.representative ?? { name } };
  }
  return { ...base, kind: 'natural', ...splitName(name), ...ext };
}

/** <contact:chg> + identity extension -> the fields to change, merged by the core onto the stored contact. */
export function changeData(chg: XNode | undefined, identity: XNode | undefined, current: ContactView): ContactData {
  const out: ContactData = {};
  const info = chg ? pickPostalInfo(chg) : undefined;
  if (info) {
    const name = info.textOf('contact:name');
    const org = info.child('contact:org');
    if (org) out.orgName = optional(org.text);
    if (name !== undefined) {
      if (current.kind === 'legal') out.representative = { ...(current.representative ?? {}), name };
      else Object.assign(out, splitName(name));
    }
    const addr = info.child('contact:addr');
    if (addr) Object.assign(out, address(addr));
  }
  if (chg) {
    const voice = phone(chg, 'contact:voice');
    if (voice !== undefined) out.voice = voice;
    const fax = phone(chg, 'contact:fax');
    if (fax !== undefined) out.fax = fax;
    const email = chg.textOf('contact:email');
    if (email !== undefined) out.email = email;
    const d = disclose(chg.child('contact:disclose'));
    if (d) out.disclose = { ...current.disclose, ...d };
  }
  return { ...out, ...identityData(identity) };
}

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** The name shown in <contact:name>: a person's given and family names, a company's representative. */
export function displayName(c: ContactView, full: boolean): string {
  if (c.kind === 'legal') return (full ? c.representative?.name : null) ?? c.orgName ?? c.handle;
  return [c.givenName, c.familyName].filter(Boolean).join(' ') || c.handle;
}

/** The form info answers in: 'int' when the name and address are all ASCII (RFC 5733 §2.3), else 'loc'. */
export function postalType(c: ContactView, full: boolean): 'int' | 'loc' {
  const values = [displayName(c, full), c.orgName ?? '', ...c.street, c.city, c.sp ?? '', c.pc ?? ''];
  return values.every(isAscii) ? 'int' : 'loc';
}

export function postalInfo(c: ContactView, full: boolean): Xml {
  const name = displayName(c, full);
  return el('contact:postalInfo', { type: postalType(c, full) },
    el('contact:name', null, name),
    c.orgName && el('contact:org', null, c.orgName),
    el('contact:addr', null,
      ...c.street.map((s) => el('contact:street', null, s)),
      el('contact:city', null, c.city),
      c.sp && el('contact:sp', null, c.sp),
      c.pc && el('contact:pc', null, c.pc),
      el('contact:cc', null, c.cc)));
}

/**
 * RFC 5733 §2.9: one <contact:disclose> with the exceptions to the server's policy. A natural person's data is not
 * published unless the person consented (R8.8): the exceptions are the fields with flag 1. A legal entity's data
 * is public: its exceptions are the fields with flag 0.
 */
export function discloseXml(d: Record<string, boolean>, kind?: 'natural' | 'legal', type: 'int' | 'loc' = 'loc'): Xml | null {
  const hidden = Object.entries(d).filter(([, v]) => !v).map(([k]) => k);
  const shown = Object.entries(d).filter(([, v]) => v).map(([k]) => k);
  const [flag, keys] = (kind === 'natural' ? shown.length > 0 : !hidden.length) ? [true, shown] : [false, hidden];
  if (keys.length === 0) return null;
  const order = ['name', 'org', 'addr', 'voice', 'fax', 'email'];
  return el('contact:disclose', { flag }, ...order.filter((k) => keys.includes(k)).map((k) =>
    // name, org and addr name the postalInfo form they refer to: the one info answers in (postalType).
    (k === 'name' || k === 'org' || k === 'addr') ? el(`contact:${k}`, { type }) : el(`contact:${k}`, null)));
}

function documentXml(r: { idSeries?: string | null; idNumber?: string | null; idAuthority?: string | null; idIssuedOn?: string | null }): Xml | null {
  if (!r.idSeries || !r.idNumber) return null;
  return el('identity:document', null, el('identity:series', null, r.idSeries), el('identity:number', null, r.idNumber),
    r.idAuthority && el('identity:authority', null, r.idAuthority), r.idIssuedOn && el('identity:issued', null, r.idIssuedOn));
}

/** <identity:infData>: the R3.7/R3.8 data and where the contact stands in the accuracy procedure (R8.7). */
export function identityInfData(c: ContactView): Xml {
  const rep = c.representative;
  return nsEl('identity', 'infData', null,
    c.kind === 'natural' && c.givenName && el('identity:givenName', null, c.givenName),
    c.kind === 'natural' && c.familyName && el('identity:familyName', null, c.familyName),
    c.patronymic && el('identity:patronymic', null, c.patronymic),
    c.citizenship && el('identity:citizenship', null, c.citizenship),
    documentXml(c),
    c.tin && el('identity:tin', null, c.tin),
    c.regCountry && el('identity:regCountry', null, c.regCountry),
    rep && rep.name && el('identity:representative', null, el('identity:name', null, rep.name), rep.position && el('identity:position', null, rep.position), documentXml(rep)),
    el('identity:kind', null, c.kind),
    el('identity:verification', null, c.verification));
}
