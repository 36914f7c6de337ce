// RDAP objects (RFC 9083) from registry views: domain, nameserver, entity; jCard (RFC 7095); statuses from EPP
// (RFC 8056); redaction of natural persons' data by RFC 9537 (R8.8).
import type { ContactView } from '../core/contacts.ts';
import type { DomainView } from '../core/domains/view.ts';
import type { HostView } from '../core/hosts.ts';
import type { RegistrarView } from '../core/registrars.ts';
import { visibleFields, type DiscloseField, type DomainRecord, type Viewer } from './data.ts';

export type Json = Record<string, unknown>;
export const RDAP_TYPE = 'application/rdap+json';

/** RFC 8056 §2: EPP status -> RDAP status. */
const STATUS: Record<string, string> = {
  ok: 'active', inactive: 'inactive', linked: 'associated',
  addPeriod: 'add period', autoRenewPeriod: 'auto renew period', renewPeriod: 'renew period', transferPeriod: 'transfer period',
  redemptionPeriod: 'redemption period',
  pendingCreate: 'pending create', pendingDelete: 'pending delete', pendingRenew: 'pending renew', pendingRestore: 'pending restore',
  pendingTransfer: 'pending transfer', pendingUpdate: 'pending update',
  clientDeleteProhibited: 'client delete prohibited', clientHold: 'client hold', clientRenewProhibited: 'client renew prohibited',
  clientTransferProhibited: 'client transfer prohibited', clientUpdateProhibited: 'client update prohibited',
  serverDeleteProhibited: 'server delete prohibited', serverHold: 'server hold', serverRenewProhibited: 'server renew prohibited',
  serverTransferProhibited: 'server transfer prohibited', serverUpdateProhibited: 'server update prohibited',
};

export function rdapStatuses(epp: string[]): string[] {
  // The core derives both 'ok' and 'inactive' for a domain without name servers; RDAP says 'inactive' alone.
  const list = epp.includes('inactive') ? epp.filter((s) => s !== 'ok') : epp;
  const out = list.map((s) => STATUS[s]).filter((s): s is string => Boolean(s));
  return [...new Set(out.length ? out : ['active'])];
}

/** The time placeholder of 'last update of RDAP database', filled in after the ETag is computed. */
export const DB_UPDATE_MARK = '@@rdap-db-update@@';

export interface RenderContext { base: string; viewer: Viewer; now: Date }

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const href = (ctx: RenderContext, path: string) => `${ctx.base}/rdap/${path}`;

export function link(ctx: RenderContext, rel: string, path: string, value?: string): Json {
  return { value: value ?? href(ctx, path), rel, href: href(ctx, path), type: RDAP_TYPE };
}

function events(list: [string, Date | null | undefined, string?][]): Json[] {
  return list.filter(([, d]) => d).map(([action, d, actor]) => ({ eventAction: action, eventDate: iso(d!), ...(actor ? { eventActor: actor } : {}) }));
}

/** RFC 9537: one entry per field left out or emptied. */
export interface Redaction { name: { type?: string; description?: string }; prePath?: string; postPath?: string; pathLang: 'jsonpath'; method: 'removal' | 'emptyValue'; reason: { description: string } }
const REASON = { description: 'Personal data of a natural person, withheld by the registry policy (R8.8) and the Law "On Personal Data"' };

const ROLE_LABEL: Record<string, string> = { registrant: 'Registrant', administrative: 'Admin', technical: 'Tech', billing: 'Billing' };
/** Names registered by RFC 9537 §6.2 where they exist; descriptions otherwise. */
const REGISTERED = new Set(['Registry Registrant ID', 'Registry Tech ID', 'Registrant Name', 'Registrant Street', 'Registrant City', 'Registrant Postal Code', 'Registrant Phone', 'Registrant Fax',
  'Registrant Email', 'Tech Name', 'Tech Phone', 'Tech Email']);

/** The redactions of a natural person's entity, less the fields the person consented to publish. */
function redactionsFor(path: string, role: string | null, shown: Set<DiscloseField>): Redaction[] {
  const label = role ? ROLE_LABEL[role] ?? 'Contact' : 'Contact';
  const name = (field: string) => REGISTERED.has(`${label} ${field}`) ? { type: `${label} ${field}` } : { description: `${label} ${field}` };
  const vc = `${path}.vcardArray[1]`;
  const removed = (field: string, p: string): Redaction => ({ name: name(field), prePath: p, pathLang: 'jsonpath', method: 'removal', reason: REASON });
  // Handles are often made from the person's name ('ali-h'): the registry object id goes as well, unless the name is public.
  const idName = REGISTERED.has(`Registry ${label} ID`) ? { type: `Registry ${label} ID` } : { description: `Registry ${label} ID` };
  const out: Redaction[] = [];
  if (!shown.has('name')) {
    out.push(
      { name: idName, prePath: `${path}.handle`, pathLang: 'jsonpath', method: 'removal', reason: REASON },
      { name: { description: `${label} Links` }, prePath: `${path}.links`, pathLang: 'jsonpath', method: 'removal', reason: REASON },
      // jCard needs an 'fn' (RFC 6350 §6.2.1): it stays, empty (RFC 9537 §3.2).
      { name: name('Name'), postPath: `${vc}[?(@[0]=='fn')][3]`, pathLang: 'jsonpath', method: 'emptyValue', reason: REASON },
      removed('Name Parts', `${vc}[?(@[0]=='n')]`),
    );
  }
  if (!shown.has('addr')) {
    out.push(removed('Street', `${vc}[?(@[0]=='adr')][3][2]`), removed('City', `${vc}[?(@[0]=='adr')][3][3]`),
      removed('Postal Code', `${vc}[?(@[0]=='adr')][3][5]`));
  }
  if (!shown.has('voice')) out.push(removed('Phone', `${vc}[?(@[0]=='tel' && @[1].type=='voice')]`));
  if (!shown.has('fax')) out.push(removed('Fax', `${vc}[?(@[0]=='tel' && @[1].type=='fax')]`));
  if (!shown.has('email')) out.push(removed('Email', `${vc}[?(@[0]=='email')]`));
  out.push(
    removed('Identity Document', `${path}.remarks[?(@.title=='Identity')].description[0]`),
    removed('Tax Identification Number', `${path}.remarks[?(@.title=='Identity')].description[1]`),
  );
  return out;
}

/** A contact's jCard: everything, or the fields `shown` of a natural person (nothing but an empty fn by default). */
function jcardContact(c: ContactView, shown: 'all' | Set<DiscloseField>): unknown[] {
  const props: unknown[] = [['version', {}, 'text', '4.0']];
  const has = (f: DiscloseField) => shown === 'all' || shown.has(f);
  if (c.kind === 'legal' && shown === 'all') {
    props.push(['fn', {}, 'text', c.orgName ?? ''], ['kind', {}, 'text', 'org'], ['org', {}, 'text', c.orgName ?? '']);
  } else if (has('name')) {
    const fn = [c.givenName, c.patronymic, c.familyName].filter(Boolean).join(' ');
    props.push(['fn', {}, 'text', fn], ['n', {}, 'text', [c.familyName ?? '', c.givenName ?? '', c.patronymic ?? '', '', '']], ['kind', {}, 'text', 'individual']);
  } else {
    props.push(['fn', {}, 'text', ''], ['kind', {}, 'text', 'individual']);
  }
  const street = c.street.length > 1 ? c.street : c.street[0] ?? '';
  if (has('addr')) props.push(['adr', { cc: c.cc }, 'text', ['', '', street, c.city, c.sp ?? '', c.pc ?? '', '']]);
  if (c.voice && has('voice')) props.push(['tel', { type: 'voice' }, 'uri', `tel:${c.voice}`]);
  if (c.fax && has('fax')) props.push(['tel', { type: 'fax' }, 'uri', `tel:${c.fax}`]);
  if (has('email')) props.push(['email', {}, 'text', c.email]);
  return ['vcard', props];
}

function identityRemark(c: ContactView): Json | null {
  const id = c.idSeries || c.idNumber
    ? `Identity document: ${[c.idSeries, c.idNumber].filter(Boolean).join(' ')}${c.idAuthority ? `, issued by ${c.idAuthority}` : ''}${c.idIssuedOn ? ` on ${c.idIssuedOn}` : ''}`
    : 'Identity document: none recorded';
  const tin = `TIN: ${c.tin ?? 'none recorded'}`;
  const more = [c.citizenship ? `Citizenship: ${c.citizenship}` : null, c.regCountry ? `Country of registration: ${c.regCountry}` : null,
    `Verification: ${c.verification}`].filter((x): x is string => x !== null);
  return { title: 'Identity', description: [id, tin, ...more] };
}

export interface Rendered { object: Json; redacted: Redaction[] }

/**
 * A contact as an entity. `path` is where it sits in the topmost object ('$' alone, or a filter under '$.entities'),
 * for the JSONPath of its redactions.
 */
export function contactEntity(ctx: RenderContext, c: ContactView, roles: string[], path: string, domainSponsor?: string): Rendered {
  const shown = visibleFields(ctx.viewer, c, domainSponsor);
  const full = shown === 'all';
  // The handle (and so the self link) goes with the name: handles are often made from it.
  const withHandle = full || shown.has('name');
  const privileged = ctx.viewer.kind === 'staff' || (ctx.viewer.kind === 'registrar' && (ctx.viewer.registrarId === c.registrarId || ctx.viewer.registrarId === domainSponsor));
  const object: Json = {
    objectClassName: 'entity', ...(withHandle ? { handle: c.handle } : {}), ...(roles.length ? { roles } : {}),
    vcardArray: jcardContact(c, shown),
    status: rdapStatuses(c.statuses.filter((s) => s !== 'ok' || c.statuses.length === 1)),
    events: events([['registration', c.createdAt], ['last changed', c.updatedAt]]),
    ...(withHandle ? { links: [link(ctx, 'self', `entity/${encodeURIComponent(c.handle)}`)] } : {}),
  };
  // The identity data (R3.7, R3.8) is for the registry and the sponsor only, for legal entities as well.
  if (privileged) object.remarks = [identityRemark(c)];
  const redacted = full ? [] : redactionsFor(path, roles[0] ?? null, shown);
  return { object, redacted };
}

export function registrarEntity(ctx: RenderContext, r: RegistrarView, roles: string[] = ['registrar']): Json {
  const props: unknown[] = [['version', {}, 'text', '4.0'], ['fn', {}, 'text', r.name], ['kind', {}, 'text', 'org'], ['org', {}, 'text', r.name]];
  if (r.address) props.push(['adr', { label: r.address }, 'text', ['', '', '', '', '', '', '']]);
  if (r.phone) props.push(['tel', { type: 'voice' }, 'uri', `tel:${r.phone}`]);
  props.push(['email', {}, 'text', r.email]);
  if (r.url) props.push(['url', {}, 'uri', r.url]);
  const object: Json = {
    objectClassName: 'entity', handle: r.id, roles,
    vcardArray: ['vcard', props],
    status: r.status === 'active' ? ['active'] : ['inactive'],
    events: events([['registration', r.createdAt], ['last changed', r.updatedAt]]),
    links: [link(ctx, 'self', `entity/${encodeURIComponent(r.id)}`)],
  };
  if (r.legalForm) object.remarks = [{ title: 'Legal form', description: [r.legalForm] }];
  return object;
}

function ipAddresses(addresses: string[]): Json | null {
  const v4 = addresses.filter((a) => !a.includes(':'));
  const v6 = addresses.filter((a) => a.includes(':'));
  if (!v4.length && !v6.length) return null;
  return { ...(v4.length ? { v4 } : {}), ...(v6.length ? { v6 } : {}) };
}

export function nameserverObject(ctx: RenderContext, h: HostView, registrar?: RegistrarView): Json {
  const ips = ipAddresses(h.addresses);
  return {
    objectClassName: 'nameserver', handle: h.roid, ldhName: h.name,
    ...(ips ? { ipAddresses: ips } : {}),
    status: rdapStatuses(h.statuses),
    ...(registrar ? { entities: [registrarEntity(ctx, registrar)] } : {}),
    events: events([['registration', h.createdAt], ['last changed', h.updatedAt]]),
    links: [link(ctx, 'self', `nameserver/${h.name}`),
      ...(h.superordinateDomain ? [link(ctx, 'related', `domain/${h.superordinateDomain}`)] : [])],
  };
}

const CONTACT_ROLE: Record<string, string> = { admin: 'administrative', tech: 'technical', billing: 'billing' };

export function domainObject(ctx: RenderContext, rec: DomainRecord): Rendered {
  const d: DomainView = rec.domain;
  const roles = new Map<string, string[]>();
  const addRole = (h: string, role: string) => { const r = roles.get(h) ?? []; if (!r.includes(role)) r.push(role); roles.set(h, r); };
  addRole(d.registrant, 'registrant');
  for (const c of d.contacts) addRole(c.handle, CONTACT_ROLE[c.type] ?? c.type);
  const entities: Json[] = [registrarEntity(ctx, rec.registrar)];
  const redacted: Redaction[] = [];
  for (const [handle, r] of roles) {
    const c = rec.contacts.get(handle);
    if (!c) continue;
    // By role, as in RFC 9537's examples: a redacted entity has no handle to select it by.
    const e = contactEntity(ctx, c, r, `$.entities[?(@.roles[0]=='${r[0]}')]`, d.registrarId);
    entities.push(e.object);
    redacted.push(...e.redacted);
  }
  const variants: Json[] = [];
  if (rec.variants.registered.length) {
    variants.push({ relation: ['registered'], variantNames: rec.variants.registered.map((v) => v.unicodeName !== v.ldhName ? v : { ldhName: v.ldhName }) });
  }
  if (rec.variants.blocked.length) variants.push({ relation: ['registration restricted'], variantNames: rec.variants.blocked.map((n) => ({ ldhName: n })) });
  const object: Json = {
    objectClassName: 'domain', handle: d.roid, ldhName: d.name,
    ...(d.unicodeName !== d.name ? { unicodeName: d.unicodeName } : {}),
    ...(variants.length ? { variants } : {}),
    status: rdapStatuses(d.statuses),
    entities,
    nameservers: rec.nameservers.map((h) => {
      const ips = ipAddresses(h.addresses);
      return { objectClassName: 'nameserver', ldhName: h.name, ...(ips ? { ipAddresses: ips } : {}), links: [link(ctx, 'self', `nameserver/${h.name}`)] };
    }),
    secureDNS: {
      delegationSigned: d.ds.length > 0,
      ...(d.ds.length ? { dsData: d.ds.map((x) => ({ keyTag: x.keyTag, algorithm: x.algorithm, digest: x.digest.toUpperCase(), digestType: x.digestType })) } : {}),
    },
    events: [
      ...events([['registration', d.createdAt], ['expiration', d.expiresAt], ['last changed', d.updatedAt], ['transfer', d.transferredAt]]),
      { eventAction: 'last update of RDAP database', eventDate: DB_UPDATE_MARK },
    ],
    links: [link(ctx, 'self', `domain/${d.name}`), link(ctx, 'related', `entity/${encodeURIComponent(d.registrarId)}`)],
  };
  return { object, redacted };
}

export function domainSummary(ctx: RenderContext, row: { name: string; unicode_name: string; roid: string; statuses: string[]; created_at: Date; expires_at: Date; updated_at: Date | null; hasHosts: boolean }): Json {
  const epp = [...row.statuses];
  if (!row.hasHosts) epp.push('inactive');
  if (row.statuses.length === 0) epp.push('ok');
  return {
    objectClassName: 'domain', handle: row.roid, ldhName: row.name,
    ...(row.unicode_name !== row.name ? { unicodeName: row.unicode_name } : {}),
    status: rdapStatuses(epp),
    events: events([['registration', row.created_at], ['expiration', row.expires_at], ['last changed', row.updated_at]]),
    links: [link(ctx, 'self', `domain/${row.name}`)],
  };
}
