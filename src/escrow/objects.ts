// Registry rows -> RFC 9022 objects (plus our extension element after each), read from the database in
// keyset-paginated pages so that a deposit never holds more than one page of the registry in memory.
// Every list inside an object is sorted, so that the same registry always gives the same bytes.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TldProfile } from '../policy/profile.ts';
import { toALabel } from '../policy/idn.ts';
import { dt, el, tx } from './xml.ts';

export const PAGE = 1000;
type Db = Kysely<Database>;

/** Which objects a page reader returns: every live one (FULL), or the named ones (DIFF). */
export type Selection = { kind: 'all' } | { kind: 'keys'; keys: string[] };

export interface ObjectXml { type: 'domain' | 'host' | 'contact' | 'registrar' | 'nndn'; key: string; xml: string }

// eppcom:clIDType: 3..16 characters of a token. rrType values that do not fit are carried in domen:crBy/upBy.
const CLID = /^[^\s]{3,16}$/;
function rr(actor: string | null, fallback: string): { value: string; exact: string | null } {
  if (actor === null) return { value: fallback, exact: null };
  return CLID.test(actor) ? { value: actor, exact: null } : { value: fallback, exact: actor };
}

const statusEls = (prefix: string, statuses: string[]): string[] => {
  const list = [...statuses].sort();
  return (list.length ? list : ['ok']).map((s) => el(`${prefix}:status`, { s }));
};

// ---- domains ----

export async function domainPage(db: Db, sel: Selection, after: string, idnTableId: string): Promise<ObjectXml[]> {
  let q = db.selectFrom('domains as d').innerJoin('contacts as r', 'r.id', 'd.registrant_id')
    .select(['d.id', 'd.roid', 'd.name', 'd.unicode_name', 'd.zone', 'd.registrar_id', 'd.auth_info', 'd.statuses', 'd.grandfathered',
      'd.created_at', 'd.created_by', 'd.expires_at', 'd.updated_at', 'd.updated_by', 'd.transferred_at', 'd.suspended_at', 'r.handle as registrant'])
    .where('d.deleted_at', 'is', null);
  q = sel.kind === 'all' ? q.where('d.name', '>', after).orderBy('d.name').limit(PAGE) : q.where('d.name', 'in', sel.keys).orderBy('d.name');
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [contacts, ns, ds, transfers] = await Promise.all([
    db.selectFrom('domain_contacts as dc').innerJoin('contacts as c', 'c.id', 'dc.contact_id').select(['dc.domain_id', 'dc.type', 'c.handle'])
      .where('dc.domain_id', 'in', ids).execute(),
    db.selectFrom('domain_hosts as dh').innerJoin('hosts as h', 'h.id', 'dh.host_id').select(['dh.domain_id', 'h.name'])
      .where('dh.domain_id', 'in', ids).execute(),
    db.selectFrom('domain_ds').selectAll().where('domain_id', 'in', ids).execute(),
    db.selectFrom('transfers').selectAll().where('domain_id', 'in', ids).where('status', '=', 'pending').execute(),
  ]);
  const group = <T extends { domain_id: number }>(list: T[]) => {
    const m = new Map<number, T[]>();
    for (const x of list) { const l = m.get(x.domain_id) ?? []; l.push(x); m.set(x.domain_id, l); }
    return m;
  };
  const cBy = group(contacts); const nsBy = group(ns); const dsBy = group(ds); const trBy = group(transfers);
  return rows.map((d) => {
    const cr = rr(d.created_by, d.registrar_id);
    const up = d.updated_at ? rr(d.updated_by, d.registrar_id) : null;
    const cs = (cBy.get(d.id) ?? []).sort((a, b) => a.type.localeCompare(b.type) || a.handle.localeCompare(b.handle));
    const hosts = (nsBy.get(d.id) ?? []).map((h) => h.name).sort();
    const dsl = (dsBy.get(d.id) ?? []).sort((a, b) => a.key_tag - b.key_tag || a.algorithm - b.algorithm || a.digest_type - b.digest_type || a.digest.localeCompare(b.digest));
    const t = trBy.get(d.id)?.[0];
    const idn = d.unicode_name !== d.name;
    const xml = el('rdeDomain:domain', null,
      tx('rdeDomain:name', d.name),
      tx('rdeDomain:roid', d.roid),
      idn ? tx('rdeDomain:uName', d.unicode_name) : null,
      idn ? tx('rdeDomain:idnTableId', idnTableId) : null,
      statusEls('rdeDomain', d.statuses),
      tx('rdeDomain:registrant', d.registrant),
      cs.map((c) => tx('rdeDomain:contact', c.handle, { type: c.type })),
      hosts.length ? el('rdeDomain:ns', null, hosts.map((h) => tx('domain:hostObj', h))) : null,
      tx('rdeDomain:clID', d.registrar_id),
      tx('rdeDomain:crRr', cr.value),
      tx('rdeDomain:crDate', dt(d.created_at)),
      tx('rdeDomain:exDate', dt(d.expires_at)),
      up ? tx('rdeDomain:upRr', up.value) : null,
      tx('rdeDomain:upDate', dt(d.updated_at)),
      dsl.length ? el('rdeDomain:secDNS', null, dsl.map((x) => el('secDNS:dsData', null,
        tx('secDNS:keyTag', x.key_tag), tx('secDNS:alg', x.algorithm), tx('secDNS:digestType', x.digest_type), tx('secDNS:digest', x.digest)))) : null,
      tx('rdeDomain:trDate', dt(d.transferred_at)),
      t ? el('rdeDomain:trnData', null,
        tx('rdeDomain:trStatus', 'pending'),
        tx('rdeDomain:reRr', t.gaining_registrar_id), tx('rdeDomain:reDate', dt(t.requested_at)),
        tx('rdeDomain:acRr', t.losing_registrar_id), tx('rdeDomain:acDate', dt(t.action_due_at)),
        tx('rdeDomain:exDate', dt(t.expires_after))) : null,
    ) + el('domen:domain', { roid: d.roid, zone: d.zone, grandfathered: d.grandfathered ? 'true' : null, crBy: cr.exact, upBy: up?.exact ?? null },
      tx('domen:authInfo', d.auth_info),
      tx('domen:suspended', dt(d.suspended_at)),
      t?.period_years ? tx('domen:transferPeriod', t.period_years) : null,
    );
    return { type: 'domain' as const, key: d.name, xml };
  });
}

// ---- hosts ----

export async function hostPage(db: Db, sel: Selection, after: string): Promise<ObjectXml[]> {
  let q = db.selectFrom('hosts').selectAll().where('deleted_at', 'is', null);
  q = sel.kind === 'all' ? q.where('name', '>', after).orderBy('name').limit(PAGE) : q.where('roid', 'in', sel.keys).orderBy('name');
  const rows = await q.execute();
  return rows.map((h) => {
    const cr = rr(h.created_by, h.registrar_id);
    const up = h.updated_at ? rr(h.updated_by, h.registrar_id) : null;
    const xml = el('rdeHost:host', null,
      tx('rdeHost:name', h.name),
      tx('rdeHost:roid', h.roid),
      statusEls('rdeHost', h.statuses),
      [...h.addresses].sort().map((a) => tx('rdeHost:addr', a, { ip: a.includes(':') ? 'v6' : 'v4' })),
      tx('rdeHost:clID', h.registrar_id),
      tx('rdeHost:crRr', cr.value),
      tx('rdeHost:crDate', dt(h.created_at)),
      up ? tx('rdeHost:upRr', up.value) : null,
      tx('rdeHost:upDate', dt(h.updated_at)),
    ) + el('domen:host', { roid: h.roid, crBy: cr.exact, upBy: up?.exact ?? null });
    return { type: 'host' as const, key: h.name, xml };
  });
}

// ---- contacts ----

function personName(c: { kind: string; given_name: string | null; family_name: string | null; org_name: string | null; handle: string }): string {
  const n = [c.given_name, c.family_name].filter(Boolean).join(' ');
  return (c.kind === 'legal' ? c.org_name || n : n || c.org_name) || c.handle;
}

export async function contactPage(db: Db, sel: Selection, after: string): Promise<ObjectXml[]> {
  let q = db.selectFrom('contacts').selectAll().where('deleted_at', 'is', null);
  q = sel.kind === 'all' ? q.where('handle', '>', after).orderBy('handle').limit(PAGE) : q.where('handle', 'in', sel.keys).orderBy('handle');
  const rows = await q.execute();
  return rows.map((c) => {
    const cr = rr(c.created_by, c.registrar_id);
    const up = c.updated_at ? rr(c.updated_by, c.registrar_id) : null;
    const xml = el('rdeContact:contact', null,
      tx('rdeContact:id', c.handle),
      tx('rdeContact:roid', c.roid),
      statusEls('rdeContact', c.statuses),
      // Names of Azerbaijani persons are not ASCII: the localized form (RFC 5733 §2.3).
      el('rdeContact:postalInfo', { type: 'loc' },
        tx('contact:name', personName(c)),
        tx('contact:org', c.org_name),
        el('contact:addr', null, c.street.slice(0, 3).map((s) => tx('contact:street', s)), tx('contact:city', c.city), tx('contact:sp', c.sp),
          tx('contact:pc', c.pc), tx('contact:cc', c.cc))),
      tx('rdeContact:voice', c.voice),
      tx('rdeContact:fax', c.fax),
      tx('rdeContact:email', c.email),
      tx('rdeContact:clID', c.registrar_id),
      tx('rdeContact:crRr', cr.value),
      tx('rdeContact:crDate', dt(c.created_at)),
      up ? tx('rdeContact:upRr', up.value) : null,
      tx('rdeContact:upDate', dt(c.updated_at)),
    ) + el('domen:contact', { roid: c.roid, kind: c.kind, verification: c.verification, crBy: cr.exact, upBy: up?.exact ?? null },
      tx('domen:givenName', c.given_name), tx('domen:familyName', c.family_name), tx('domen:patronymic', c.patronymic),
      tx('domen:orgName', c.org_name), tx('domen:citizenship', c.citizenship), tx('domen:regCountry', c.reg_country),
      c.street.length > 3 ? c.street.map((s) => tx('domen:street', s)) : null,
      tx('domen:idSeries', c.id_series), tx('domen:idNumber', c.id_number), tx('domen:idAuthority', c.id_authority),
      tx('domen:idIssuedOn', c.id_issued_on), tx('domen:tin', c.tin),
      c.representative ? tx('domen:representative', JSON.stringify(c.representative)) : null,
      tx('domen:disclose', JSON.stringify(sortKeys(c.disclose ?? {}))),
      tx('domen:authInfo', c.auth_info),
    );
    return { type: 'contact' as const, key: c.handle, xml };
  });
}

function sortKeys(o: Record<string, boolean>): Record<string, boolean> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

// ---- registrars ----

const E164 = /^\+[0-9]{1,3}\.[0-9]{1,14}$/;
const RAR_STATUS: Record<string, string> = { active: 'ok', suspended: 'readonly', terminated: 'terminated' };

/** RFC 9022 wants street/city/cc; we keep one free-text address (exact copy in domen:registrar). */
function registrarAddress(address: string | null, cc: string): { street: string[]; city: string; cc: string } {
  const parts = (address ?? '').split(/[\n,]/).map((s) => s.trim().slice(0, 255)).filter(Boolean);
  const city = parts.length > 1 ? parts.pop()! : 'unknown';
  const street = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join(', ').slice(0, 255)] : parts;
  return { street, city, cc };
}

export async function registrarPage(db: Db, sel: Selection, after: string, profile: TldProfile): Promise<ObjectXml[]> {
  let q = db.selectFrom('registrars').selectAll();
  q = sel.kind === 'all' ? q.where('id', '>', after).orderBy('id').limit(PAGE) : q.where('id', 'in', sel.keys).orderBy('id');
  const rows = await q.execute();
  if (!rows.length) return [];
  const certs = await db.selectFrom('registrar_certificates').selectAll().where('registrar_id', 'in', rows.map((r) => r.id))
    .orderBy('registrar_id').orderBy('fingerprint').execute();
  return rows.map((r) => {
    const a = registrarAddress(r.address, profile.tld.length === 2 ? profile.tld.toUpperCase() : 'ZZ');
    const xml = el('rdeRegistrar:registrar', null,
      tx('rdeRegistrar:id', r.id),
      tx('rdeRegistrar:name', r.name),
      tx('rdeRegistrar:status', RAR_STATUS[r.status] ?? 'ok'),
      el('rdeRegistrar:postalInfo', { type: 'loc' }, el('rdeRegistrar:addr', null,
        a.street.map((s) => tx('rdeRegistrar:street', s)), tx('rdeRegistrar:city', a.city), tx('rdeRegistrar:cc', a.cc))),
      r.phone && E164.test(r.phone) ? tx('rdeRegistrar:voice', r.phone) : null,
      tx('rdeRegistrar:email', r.email),
      r.url && /^[a-z][a-z0-9+.-]*:\S+$/i.test(r.url) ? tx('rdeRegistrar:url', r.url) : null,
      tx('rdeRegistrar:crDate', dt(r.created_at)),
      tx('rdeRegistrar:upDate', dt(r.updated_at)),
    ) + el('domen:registrar', { id: r.id, status: r.status },
      tx('domen:legalForm', r.legal_form), tx('domen:phone', r.phone), tx('domen:address', r.address), tx('domen:url', r.url),
      tx('domen:passwordHash', r.password_hash),
      [...r.ip_allowlist].sort().map((ip) => tx('domen:ipAllow', ip)),
      certs.filter((c) => c.registrar_id === r.id).map((c) => tx('domen:certificate', c.certificate, { fingerprint: c.fingerprint, crDate: dt(c.created_at) })),
    );
    return { type: 'registrar' as const, key: r.id, xml };
  });
}

// ---- NNDN: the policy lists ----

/** The list word as a DNS label: A-label for IDN words, as is when it cannot be one (a phrase of the list). */
export function wordLabel(word: string): string {
  const w = word.normalize('NFC').toLowerCase().trim();
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(w)) return w;
  try { return toALabel(w); } catch { return w; }
}

export async function nndnPage(db: Db, sel: Selection, after: string): Promise<ObjectXml[]> {
  let q = db.selectFrom('policy_list_entries').selectAll();
  if (sel.kind === 'all') {
    // Keyset on (list, word) encoded as list + '\n' + word.
    const [list = '', word = ''] = after ? after.split('\n') : [];
    q = q.where((eb) => eb.or([eb('list', '>', list), eb.and([eb('list', '=', list), eb('word', '>', word)])])).orderBy('list').orderBy('word').limit(PAGE);
  } else {
    if (!sel.keys.length) return [];
    q = q.where((eb) => eb.or(sel.keys.map((k) => { const [l, w] = k.split('\n'); return eb.and([eb('list', '=', l!), eb('word', '=', w!)]); })))
      .orderBy('list').orderBy('word');
  }
  const rows = await q.execute();
  return rows.map((e) => {
    const aName = wordLabel(e.word);
    const xml = el('rdeNNDN:NNDN', null,
      tx('rdeNNDN:aName', aName),
      aName !== e.word && aName.startsWith('xn--') ? tx('rdeNNDN:uName', e.word) : null,
      // The Stop-list is refused outright (R4.3); the other lists hold names back for consent (R4.2, R4.8, R4.9).
      tx('rdeNNDN:nameState', e.list === 'stop' ? 'blocked' : 'withheld'),
      tx('rdeNNDN:crDate', dt(e.created_at)),
    ) + el('domen:listEntry', { aName, list: e.list, match: e.match }, tx('domen:word', e.word), tx('domen:note', e.note));
    return { type: 'nndn' as const, key: `${e.list}\n${e.word}`, xml };
  });
}
