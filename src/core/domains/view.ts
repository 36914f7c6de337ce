// Reading a domain with its contacts, name servers, DS data and subordinate hosts: the shape that history
// snapshots, audit entries and every protocol adapter start from.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, DomainRow } from '../../db/schema.ts';
import { RegistryError } from '../errors.ts';
import type { Registry } from '../registry.ts';

export interface DsData { keyTag: number; algorithm: number; digestType: number; digest: string }
export type ContactType = 'admin' | 'tech' | 'billing';

export interface DomainView {
  name: string; unicodeName: string; roid: string; zone: string; registrarId: string;
  registrant: string; contacts: { type: ContactType; handle: string }[];
  hosts: string[]; subordinateHosts: string[]; ds: DsData[];
  /** Stored statuses plus the derived ones of RFC 5731 §2.3 ('ok', 'inactive'). */
  statuses: string[];
  authInfo: string; grandfathered: boolean;
  createdAt: Date; createdBy: string; updatedAt: Date | null; updatedBy: string | null;
  expiresAt: Date; transferredAt: Date | null;
}

const RGP_STATES = new Set(['pendingRestore', 'redemptionPeriod']);

export function effectiveStatuses(stored: string[], hasHosts: boolean): string[] {
  const s = [...stored];
  if (!hasHosts) s.push('inactive');
  // 'ok' only when no other status of RFC 5731 §2.3 applies ('inactive' combines with anything); the grace-period
  // states of RFC 3915 (pendingRestore) are not RFC 5731 statuses and do not displace it.
  if (stored.every((x) => RGP_STATES.has(x))) s.push('ok');
  return s.sort();
}

/** The parts of a view that live in other tables, as one row of JSON aggregates (one round trip, not five). */
interface ViewParts {
  v_registrant: string | null;
  v_contacts: { type: ContactType; handle: string }[];
  v_hosts: string[];
  v_subordinate: string[];
  v_ds: DsData[];
}

// The orderings are those of the views before (contacts by type and handle, hosts by name, DS by tag,
// algorithm, digest type), in the database's collation.
const partsOf = (id: RawBuilder<unknown>, registrantId: RawBuilder<unknown>) => sql`
  (select c.handle from contacts c where c.id = ${registrantId}) as v_registrant,
  coalesce((select json_agg(json_build_object('type', dc.type, 'handle', c.handle) order by dc.type, c.handle)
    from domain_contacts dc join contacts c on c.id = dc.contact_id where dc.domain_id = ${id}), '[]'::json) as v_contacts,
  coalesce((select json_agg(h.name order by h.name) from domain_hosts dh join hosts h on h.id = dh.host_id where dh.domain_id = ${id}), '[]'::json) as v_hosts,
  coalesce((select json_agg(h.name order by h.name) from hosts h where h.superordinate_domain_id = ${id} and h.deleted_at is null), '[]'::json) as v_subordinate,
  coalesce((select json_agg(json_build_object('keyTag', x.key_tag, 'algorithm', x.algorithm, 'digestType', x.digest_type, 'digest', x.digest)
    order by x.key_tag, x.algorithm, x.digest_type) from domain_ds x where x.domain_id = ${id}), '[]'::json) as v_ds`;

/** JSON columns arrive parsed from node-postgres and PGlite alike; a driver that hands text gets parsed here. */
function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

function assemble(row: DomainRow, p: ViewParts): DomainView {
  if (p.v_registrant === null) throw new Error(`domain ${row.name}: registrant ${row.registrant_id} not found`);
  const hosts = json<string[]>(p.v_hosts);
  return {
    name: row.name, unicodeName: row.unicode_name, roid: row.roid, zone: row.zone, registrarId: row.registrar_id,
    registrant: p.v_registrant,
    contacts: json<{ type: ContactType; handle: string }[]>(p.v_contacts).map((c) => ({ type: c.type, handle: c.handle })),
    hosts, subordinateHosts: json<string[]>(p.v_subordinate),
    ds: json<DsData[]>(p.v_ds).map((d) => ({ keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType, digest: d.digest })),
    statuses: effectiveStatuses(row.statuses, hosts.length > 0),
    authInfo: row.auth_info, grandfathered: row.grandfathered,
    createdAt: row.created_at, createdBy: row.created_by, updatedAt: row.updated_at, updatedBy: row.updated_by,
    expiresAt: row.expires_at, transferredAt: row.transferred_at,
  };
}

export async function domainView(db: Kysely<Database>, row: DomainRow): Promise<DomainView> {
  const r = await sql<ViewParts>`select ${partsOf(sql`${row.id}::int8`, sql`${row.registrant_id}::int8`)}`.execute(db);
  return assemble(row, r.rows[0]!);
}

/** A live domain and its view in one statement (domain:info, the portals, RDAP). */
export async function loadDomainView(db: Kysely<Database>, ascii: string): Promise<DomainView> {
  const r = await sql<DomainRow & ViewParts>`select d.*, ${partsOf(sql.ref('d.id'), sql.ref('d.registrant_id'))}
    from domains d where d.name = ${ascii} and d.deleted_at is null`.execute(db);
  const row = r.rows[0];
  if (!row) throw new RegistryError('notFound', `domain ${ascii} is not registered`, 'RFC 5731 §3.1.2');
  return assemble(row, row);
}

/** The A-label form of a name as typed (U-label, A-label, any case, trailing dot). */
export async function asciiName(reg: Registry, name: string): Promise<string> {
  // A name in letters, digits, hyphens and dots without an A-label is its own A-label form in lower case (what
  // the policy check below would answer, or its fallback): no IDNA work for the usual look-up.
  if (/^[A-Za-z0-9.-]*$/.test(name.trim()) && !/(^|\.)xn--/i.test(name.trim())) return name.trim().toLowerCase().replace(/\.$/, '');
  const check = await reg.policy.checkName(name, { grandfathered: true });
  return check.ascii ?? name.trim().toLowerCase().replace(/\.$/, '');
}

export async function loadDomain(db: Kysely<Database>, ascii: string, opts: { lock?: boolean } = {}): Promise<DomainRow> {
  let q = db.selectFrom('domains').selectAll().where('name', '=', ascii).where('deleted_at', 'is', null);
  if (opts.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `domain ${ascii} is not registered`, 'RFC 5731 §3.1.2');
  return row;
}

export async function getDomain(reg: Registry, name: string): Promise<DomainView> {
  return loadDomainView(reg.db, await asciiName(reg, name));
}
