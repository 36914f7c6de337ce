// EPP command bodies for the tests, as a registrar's client would write them (RFC 5731-5733, 5910).
import { escapeText as x } from '../../src/epp/responses.ts';
import { NS } from '../../src/epp/namespaces.ts';

const D = `xmlns:domain="${NS.domain}"`;
const C = `xmlns:contact="${NS.contact}"`;
const H = `xmlns:host="${NS.host}"`;

export interface Ds { keyTag: number; alg: number; digestType: number; digest: string }
const dsXml = (d: Ds) => `<secDNS:dsData><secDNS:keyTag>${d.keyTag}</secDNS:keyTag><secDNS:alg>${d.alg}</secDNS:alg><secDNS:digestType>${d.digestType}</secDNS:digestType><secDNS:digest>${d.digest}</secDNS:digest></secDNS:dsData>`;

export const domain = {
  check: (...names: string[]) => `<check><domain:check ${D}>${names.map((n) => `<domain:name>${x(n)}</domain:name>`).join('')}</domain:check></check>`,
  info: (name: string, o: { authInfo?: string; hosts?: string } = {}) =>
    `<info><domain:info ${D}><domain:name${o.hosts ? ` hosts="${o.hosts}"` : ''}>${x(name)}</domain:name>${o.authInfo ? `<domain:authInfo><domain:pw>${x(o.authInfo)}</domain:pw></domain:authInfo>` : ''}</domain:info></info>`,
  create: (o: { name: string; period?: number; unit?: string; ns?: string[]; registrant?: string; contacts?: [string, string][]; authInfo?: string }) =>
    `<create><domain:create ${D}><domain:name>${x(o.name)}</domain:name>`
    + (o.period ? `<domain:period unit="${o.unit ?? 'y'}">${o.period}</domain:period>` : '')
    + (o.ns?.length ? `<domain:ns>${o.ns.map((h) => `<domain:hostObj>${x(h)}</domain:hostObj>`).join('')}</domain:ns>` : '')
    + (o.registrant ? `<domain:registrant>${x(o.registrant)}</domain:registrant>` : '')
    + (o.contacts ?? []).map(([type, h]) => `<domain:contact type="${type}">${x(h)}</domain:contact>`).join('')
    + `<domain:authInfo><domain:pw>${x(o.authInfo ?? 'Auth-Info-123')}</domain:pw></domain:authInfo></domain:create></create>`,
  update: (name: string, o: { addNs?: string[]; remNs?: string[]; addStatus?: string[]; remStatus?: string[]; addContacts?: [string, string][]; remContacts?: [string, string][]; registrant?: string; authInfo?: string } = {}) => {
    const part = (tag: string, ns?: string[], contacts?: [string, string][], statuses?: string[]) => {
      const inner = (ns?.length ? `<domain:ns>${ns.map((h) => `<domain:hostObj>${x(h)}</domain:hostObj>`).join('')}</domain:ns>` : '')
        + (contacts ?? []).map(([t, h]) => `<domain:contact type="${t}">${x(h)}</domain:contact>`).join('')
        + (statuses ?? []).map((s) => `<domain:status s="${s}"/>`).join('');
      return inner ? `<domain:${tag}>${inner}</domain:${tag}>` : '';
    };
    const chg = (o.registrant !== undefined ? `<domain:registrant>${x(o.registrant)}</domain:registrant>` : '')
      + (o.authInfo ? `<domain:authInfo><domain:pw>${x(o.authInfo)}</domain:pw></domain:authInfo>` : '');
    return `<update><domain:update ${D}><domain:name>${x(name)}</domain:name>${part('add', o.addNs, o.addContacts, o.addStatus)}${part('rem', o.remNs, o.remContacts, o.remStatus)}${chg ? `<domain:chg>${chg}</domain:chg>` : ''}</domain:update></update>`;
  },
  delete: (name: string) => `<delete><domain:delete ${D}><domain:name>${x(name)}</domain:name></domain:delete></delete>`,
  renew: (name: string, curExpDate: string, period?: number) =>
    `<renew><domain:renew ${D}><domain:name>${x(name)}</domain:name><domain:curExpDate>${curExpDate}</domain:curExpDate>${period ? `<domain:period unit="y">${period}</domain:period>` : ''}</domain:renew></renew>`,
  transfer: (op: string, name: string, authInfo?: string) =>
    `<transfer op="${op}"><domain:transfer ${D}><domain:name>${x(name)}</domain:name>${authInfo ? `<domain:authInfo><domain:pw>${x(authInfo)}</domain:pw></domain:authInfo>` : ''}</domain:transfer></transfer>`,
};

export const secDNS = {
  create: (ds: Ds[]) => `<secDNS:create xmlns:secDNS="${NS.secDNS}">${ds.map(dsXml).join('')}</secDNS:create>`,
  createKeyData: () => `<secDNS:create xmlns:secDNS="${NS.secDNS}"><secDNS:keyData><secDNS:flags>257</secDNS:flags><secDNS:protocol>3</secDNS:protocol><secDNS:alg>13</secDNS:alg><secDNS:pubKey>AQPJ////4Q==</secDNS:pubKey></secDNS:keyData></secDNS:create>`,
  update: (o: { remAll?: boolean; rem?: Ds[]; add?: Ds[] }) => `<secDNS:update xmlns:secDNS="${NS.secDNS}">`
    + (o.remAll ? '<secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>' : o.rem?.length ? `<secDNS:rem>${o.rem.map(dsXml).join('')}</secDNS:rem>` : '')
    + (o.add?.length ? `<secDNS:add>${o.add.map(dsXml).join('')}</secDNS:add>` : '') + '</secDNS:update>',
};

export interface ContactSpec {
  id: string; name?: string; org?: string; street?: string[]; city?: string; cc?: string; pc?: string; voice?: string; email?: string;
  authInfo?: string; type?: 'loc' | 'int'; discloseHidden?: string[];
}

const postal = (o: Partial<ContactSpec>) => `<contact:postalInfo type="${o.type ?? 'loc'}"><contact:name>${x(o.name ?? 'Aysel Quliyeva')}</contact:name>`
  + (o.org ? `<contact:org>${x(o.org)}</contact:org>` : '')
  + `<contact:addr>${(o.street ?? ['Nizami küç. 1']).map((s) => `<contact:street>${x(s)}</contact:street>`).join('')}<contact:city>${x(o.city ?? 'Bakı')}</contact:city>`
  + (o.pc ? `<contact:pc>${x(o.pc)}</contact:pc>` : '') + `<contact:cc>${o.cc ?? 'AZ'}</contact:cc></contact:addr></contact:postalInfo>`;

export const contact = {
  check: (...ids: string[]) => `<check><contact:check ${C}>${ids.map((i) => `<contact:id>${x(i)}</contact:id>`).join('')}</contact:check></check>`,
  info: (id: string, authInfo?: string) => `<info><contact:info ${C}><contact:id>${x(id)}</contact:id>${authInfo ? `<contact:authInfo><contact:pw>${x(authInfo)}</contact:pw></contact:authInfo>` : ''}</contact:info></info>`,
  create: (o: ContactSpec) => `<create><contact:create ${C}><contact:id>${x(o.id)}</contact:id>${postal(o)}`
    + (o.voice ? `<contact:voice>${o.voice}</contact:voice>` : '')
    + `<contact:email>${x(o.email ?? `${o.id}@mail.example.az`)}</contact:email><contact:authInfo><contact:pw>${x(o.authInfo ?? 'Contact-Auth-1')}</contact:pw></contact:authInfo>`
    + (o.discloseHidden?.length ? `<contact:disclose flag="0">${o.discloseHidden.map((k) => (k === 'name' || k === 'addr' || k === 'org') ? `<contact:${k} type="loc"/>` : `<contact:${k}/>`).join('')}</contact:disclose>` : '')
    + '</contact:create></create>',
  update: (id: string, o: { addStatus?: string[]; remStatus?: string[]; postal?: Partial<ContactSpec>; email?: string; voice?: string; authInfo?: string } = {}) => {
    const chg = (o.postal ? postal(o.postal) : '') + (o.voice !== undefined ? `<contact:voice>${o.voice}</contact:voice>` : '')
      + (o.email ? `<contact:email>${x(o.email)}</contact:email>` : '')
      + (o.authInfo ? `<contact:authInfo><contact:pw>${x(o.authInfo)}</contact:pw></contact:authInfo>` : '');
    return `<update><contact:update ${C}><contact:id>${x(id)}</contact:id>`
      + (o.addStatus?.length ? `<contact:add>${o.addStatus.map((s) => `<contact:status s="${s}"/>`).join('')}</contact:add>` : '')
      + (o.remStatus?.length ? `<contact:rem>${o.remStatus.map((s) => `<contact:status s="${s}"/>`).join('')}</contact:rem>` : '')
      + (chg ? `<contact:chg>${chg}</contact:chg>` : '') + '</contact:update></update>';
  },
  delete: (id: string) => `<delete><contact:delete ${C}><contact:id>${x(id)}</contact:id></contact:delete></delete>`,
  transfer: (op: string, id: string) => `<transfer op="${op}"><contact:transfer ${C}><contact:id>${x(id)}</contact:id></contact:transfer></transfer>`,
};

export const identity = {
  create: (inner: string) => `<identity:create xmlns:identity="${NS.identity}">${inner}</identity:create>`,
  update: (inner: string) => `<identity:update xmlns:identity="${NS.identity}">${inner}</identity:update>`,
  person: '<identity:patronymic>Rəşid qızı</identity:patronymic><identity:citizenship>AZ</identity:citizenship>'
    + '<identity:document><identity:series>AZE</identity:series><identity:number>12345678</identity:number><identity:authority>DİN</identity:authority><identity:issued>2020-01-15</identity:issued></identity:document>',
};

export const host = {
  check: (...names: string[]) => `<check><host:check ${H}>${names.map((n) => `<host:name>${x(n)}</host:name>`).join('')}</host:check></check>`,
  info: (name: string) => `<info><host:info ${H}><host:name>${x(name)}</host:name></host:info></info>`,
  create: (name: string, addrs: string[] = []) => `<create><host:create ${H}><host:name>${x(name)}</host:name>${addrs.map((a) => `<host:addr ip="${a.includes(':') ? 'v6' : 'v4'}">${a}</host:addr>`).join('')}</host:create></create>`,
  update: (name: string, o: { addAddr?: string[]; remAddr?: string[]; addStatus?: string[]; remStatus?: string[]; newName?: string } = {}) => {
    const part = (tag: string, addrs?: string[], st?: string[]) => {
      const inner = (addrs ?? []).map((a) => `<host:addr ip="${a.includes(':') ? 'v6' : 'v4'}">${a}</host:addr>`).join('') + (st ?? []).map((s) => `<host:status s="${s}"/>`).join('');
      return inner ? `<host:${tag}>${inner}</host:${tag}>` : '';
    };
    return `<update><host:update ${H}><host:name>${x(name)}</host:name>${part('add', o.addAddr, o.addStatus)}${part('rem', o.remAddr, o.remStatus)}${o.newName ? `<host:chg><host:name>${x(o.newName)}</host:name></host:chg>` : ''}</host:update></update>`;
  },
  delete: (name: string) => `<delete><host:delete ${H}><host:name>${x(name)}</host:name></host:delete></delete>`,
};

export const poll = {
  req: () => '<poll op="req"/>',
  ack: (id: string | number) => `<poll op="ack" msgID="${id}"/>`,
};

/** A valid SHA-256 DS digest (64 hex digits). */
export const DIGEST = '8B6B7C6F3A4D6E0C7E0F4B5F2A7C6D1E9F0A3B4C5D6E7F8091A2B3C4D5E6F708';
