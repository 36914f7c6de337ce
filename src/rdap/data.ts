// What RDAP and WHOIS publish, read from the registry (reads only; a replica is fine), and who may see what.
import { domainToASCII } from 'node:url';
import { sql } from 'kysely';
import type { ContactRow, DomainRow } from '../db/schema.ts';
import { contactView, getContact, type ContactView } from '../core/contacts.ts';
import { effectiveStatuses, type ContactType, type DomainView, type DsData } from '../core/domains/view.ts';
import { RegistryError } from '../core/errors.ts';
import { hostView, type HostView } from '../core/hosts.ts';
import { getRegistrar, type RegistrarView } from '../core/registrars.ts';
import type { Registry } from '../core/registry.ts';
import type { TokenPrincipal } from '../core/tokens.ts';
import { normalizeHostName } from '../core/validate.ts';

/** Anonymous; a registrar (its token, or its staff's); National Administrator staff, who see everything. */
export type Viewer = { kind: 'anonymous' } | { kind: 'registrar'; registrarId: string } | { kind: 'staff' };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

export function viewerOf(p: TokenPrincipal | null): Viewer {
  if (!p) return ANONYMOUS;
  if (p.type === 'registrar') return { kind: 'registrar', registrarId: p.registrarId };
  if (p.type === 'staff') return p.role === 'ministry' ? ANONYMOUS : { kind: 'staff' };
  return p.registrarId ? { kind: 'registrar', registrarId: p.registrarId } : ANONYMOUS;
}

/**
 * R8.8 and the Law "On Personal Data": a natural person's data is shown only to the registry and to the registrar
 * that sponsors the contact or the domain it serves; a legal entity's public data is shown to everyone.
 */
export function showsFull(viewer: Viewer, contact: ContactView, domainSponsor?: string): boolean {
  if (contact.kind === 'legal') return true;
  if (viewer.kind === 'staff') return true;
  if (viewer.kind === 'registrar') return viewer.registrarId === contact.registrarId || viewer.registrarId === domainSponsor;
  return false;
}

/** The fields a natural person may consent to publish (RFC 5733 §2.9 <contact:disclose flag="1">). */
export const DISCLOSE_FIELDS = ['name', 'addr', 'voice', 'fax', 'email'] as const;
export type DiscloseField = typeof DISCLOSE_FIELDS[number];

/**
 * What of a contact the viewer sees: everything (showsFull), or, for a natural person seen by the public, only the
 * fields the person consented to publish (disclose flag 1; none by default, R8.8).
 */
export function visibleFields(viewer: Viewer, contact: ContactView, domainSponsor?: string): 'all' | Set<DiscloseField> {
  if (showsFull(viewer, contact, domainSponsor)) return 'all';
  return new Set(DISCLOSE_FIELDS.filter((f) => contact.disclose?.[f] === true));
}

export function sees(viewer: Viewer, sponsor: string): boolean {
  return viewer.kind === 'staff' || (viewer.kind === 'registrar' && viewer.registrarId === sponsor);
}

export interface DomainRecord {
  domain: DomainView;
  registrar: RegistrarView;
  /** Registrant and contacts by handle. */
  contacts: Map<string, ContactView>;
  nameservers: HostView[];
  /** Other registered names of the IDN bundle, and its folded ASCII form when nobody holds it. */
  variants: { registered: { ldhName: string; unicodeName: string }[]; blocked: string[] };
  /** The IDN bundle (the folded ASCII form): its other names show this one as a variant. */
  bundleKey: string;
}

export type NameResolution =
  | { ok: true; ascii: string }
  | { ok: false; status: 400 | 404; message: string };

const LABEL_PROBLEMS = new Set(['name', 'chars', 'alabel', 'hyphens', 'length']);

/** A domain name as asked (A-label or U-label): its A-label, 400 when it is not a valid IDNA2008 name, 404 when not ours. */
export async function resolveDomainName(reg: Registry, raw: string): Promise<NameResolution> {
  const name = raw.trim();
  if (!name || name.length > 1000) return { ok: false, status: 400, message: 'the domain name is empty or too long' };
  const tld = reg.profile.tld;
  const lower = name.normalize('NFC').toLowerCase().replace(/\.$/, '');
  if (lower !== tld && !lower.endsWith(`.${tld}`)) return { ok: false, status: 404, message: `this server answers for names under .${tld} only` };
  // PolicyService re-reads the list version at most once a second outside transactions: no round trip per query.
  const check = await reg.policy.checkName(name, { grandfathered: true });
  const zone = check.reasons.find((r) => r.code === 'zone');
  if (zone) return { ok: false, status: 404, message: zone.message };
  const invalid = check.reasons.find((r) => LABEL_PROBLEMS.has(r.code));
  if (invalid || !check.ascii) return { ok: false, status: 400, message: invalid?.message ?? `'${name}' is not a valid domain name (IDNA2008)` };
  return { ok: true, ascii: check.ascii };
}

/** A host name (A-label or U-label) in its A-label form, or null when it is not a valid host name. */
export function resolveHostName(raw: string): string | null {
  const t = raw.trim().replace(/\.$/, '');
  if (!t || t.length > 1000) return null;
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(t) ? t : domainToASCII(t.normalize('NFC'));
  if (!ascii) return null;
  try { return normalizeHostName(ascii); } catch { return null; }
}

const isNotFound = (e: unknown) => e instanceof RegistryError && e.kind === 'notFound';

type JsonRow = Record<string, unknown>;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(String(v)));

/** A contact row as to_jsonb() gives it (timestamps as strings) -> ContactRow. */
function contactFromJson(j: JsonRow): ContactRow {
  return { ...(j as unknown as ContactRow), created_at: date(j.created_at)!, updated_at: date(j.updated_at), deleted_at: date(j.deleted_at) };
}

function hostFromJson(j: JsonRow): HostView {
  return {
    name: String(j.name), roid: String(j.roid), registrarId: String(j.registrar_id), addresses: j.addresses as string[], statuses: j.statuses as string[],
    superordinateDomain: null, createdAt: date(j.created_at)!, createdBy: String(j.created_by), updatedAt: date(j.updated_at), updatedBy: (j.updated_by as string | null) ?? null,
  };
}

type DomainJoinRow = DomainRow & { registrar: JsonRow; contacts: JsonRow[]; hosts: JsonRow[] | null; ds: JsonRow[] | null; bundle: JsonRow[] | null };

const DOMAIN_STATEMENT = 'domen_rdap_domain_v1';
const DOMAIN_SQL = `
    select d.*,
      (select json_build_object('id', r.id, 'name', r.name, 'legal_form', r.legal_form, 'email', r.email, 'phone', r.phone, 'address', r.address,
         'url', r.url, 'status', r.status, 'created_at', r.created_at, 'updated_at', r.updated_at)
       from registrars r where r.id = d.registrar_id) as registrar,
      (select json_agg(json_build_object('type', x.type, 'contact', to_jsonb(c) - 'auth_info') order by x.ord, x.type, c.handle)
       from (select 0 as ord, 'registrant' as type, d.registrant_id as contact_id
             union all select 1, dc.type, dc.contact_id from domain_contacts dc where dc.domain_id = d.id) x
       join contacts c on c.id = x.contact_id) as contacts,
      (select json_agg(to_jsonb(h) order by h.name) from domain_hosts dh join hosts h on h.id = dh.host_id where dh.domain_id = d.id) as hosts,
      (select json_agg(json_build_object('keyTag', s.key_tag, 'algorithm', s.algorithm, 'digestType', s.digest_type, 'digest', s.digest)
         order by s.key_tag, s.algorithm, s.digest_type) from domain_ds s where s.domain_id = d.id) as ds,
      (select json_agg(json_build_object('name', o.name, 'unicode_name', o.unicode_name) order by o.name)
       from (select o.name, o.unicode_name from domains o where o.bundle_key = d.bundle_key and o.deleted_at is null and o.id <> d.id order by o.name limit 20) o) as bundle
    from domains d where d.name = $1 and d.deleted_at is null`;

/**
 * The statement as a session-level prepared statement (PREPARE / EXECUTE on one pinned connection): planning it
 * costs about five times its execution, and lookups are the hot path of the public services. Prepared on each
 * connection at its first use; prepared again when a schema change invalidated it.
 */
async function domainRow(reg: Registry, ascii: string): Promise<DomainJoinRow | undefined> {
  // EXECUTE takes no bind parameters: the name goes in as a literal (an A-label checked by resolveDomainName, quoted anyway).
  const literal = `'${ascii.replace(/'/g, "''")}'`;
  return reg.db.connection().execute(async (db) => {
    const run = () => sql.raw<DomainJoinRow>(`execute ${DOMAIN_STATEMENT}(${literal})`).execute(db);
    try {
      return (await run()).rows[0];
    } catch (e) {
      const code = (e as { code?: string }).code;
      // 26000: not prepared on this connection yet; 0A000: 'cached plan must not change result type' after a migration.
      if (code !== '26000' && code !== '0A000') throw e;
      if (code === '0A000') await sql.raw(`deallocate ${DOMAIN_STATEMENT}`).execute(db);
      await sql.raw(`prepare ${DOMAIN_STATEMENT}(text) as ${DOMAIN_SQL}`).execute(db);
      return (await run()).rows[0];
    }
  });
}

/**
 * The domain with everything RDAP and WHOIS show, in one statement (one round trip: lookups are the hot path of
 * the public services, and a replica may be far away).
 */
export async function loadDomainRecord(reg: Registry, ascii: string): Promise<DomainRecord | null> {
  const row = await domainRow(reg, ascii);
  if (!row) return null;
  const contacts = new Map<string, ContactView>();
  const links: { type: ContactType; handle: string }[] = [];
  let registrant = '';
  for (const x of row.contacts) {
    const c = contactFromJson(x.contact as JsonRow);
    // Linked to this domain, by definition (RFC 5733 §2.2).
    contacts.set(c.handle, contactView(c, c.statuses.length ? [...c.statuses, 'linked'] : ['ok', 'linked']));
    if (x.type === 'registrant') registrant = c.handle; else links.push({ type: x.type as ContactType, handle: c.handle });
  }
  const nameservers = (row.hosts ?? []).map(hostFromJson);
  const j = row.registrar;
  const registrar: RegistrarView = {
    id: String(j.id), name: String(j.name), legalForm: (j.legal_form as string | null) ?? null, email: String(j.email), phone: (j.phone as string | null) ?? null,
    address: (j.address as string | null) ?? null, url: (j.url as string | null) ?? null, status: String(j.status), ipAllowlist: [],
    createdAt: date(j.created_at)!, updatedAt: date(j.updated_at)!,
  };
  const domain: DomainView = {
    name: row.name, unicodeName: row.unicode_name, roid: row.roid, zone: row.zone, registrarId: row.registrar_id, registrant, contacts: links,
    hosts: nameservers.map((h) => h.name), subordinateHosts: [], ds: (row.ds ?? []) as unknown as DsData[],
    statuses: effectiveStatuses(row.statuses, nameservers.length > 0), authInfo: '', grandfathered: row.grandfathered,
    createdAt: row.created_at, createdBy: row.created_by, updatedAt: row.updated_at, updatedBy: row.updated_by, expiresAt: row.expires_at, transferredAt: row.transferred_at,
  };
  const registered = (row.bundle ?? []).map((b) => ({ ldhName: String(b.name), unicodeName: String(b.unicode_name) }));
  // The folded ASCII form of an IDN ('şəki.az' -> 'seki.az') belongs to the bundle: only its holder may register it.
  const blocked = row.bundle_key !== ascii && !registered.some((v) => v.ldhName === row.bundle_key) && /^[a-z0-9.-]+$/.test(row.bundle_key)
    ? [row.bundle_key] : [];
  return { domain, registrar, contacts, nameservers, variants: { registered, blocked }, bundleKey: row.bundle_key };
}

export async function loadHost(reg: Registry, ascii: string): Promise<HostView | null> {
  const row = await reg.db.selectFrom('hosts').selectAll().where('name', '=', ascii).where('deleted_at', 'is', null).executeTakeFirst();
  return row ? hostView(reg.db, row, true) : null;
}

export async function loadContact(reg: Registry, handle: string): Promise<ContactView | null> {
  try { return await getContact(reg, handle); } catch (e) { if (isNotFound(e)) return null; throw e; }
}

export async function loadRegistrar(reg: Registry, id: string): Promise<RegistrarView | null> {
  try { return await getRegistrar(reg, id); } catch (e) { if (isNotFound(e)) return null; throw e; }
}
