// Checks shared by the domain operations: period, name servers, DS data, linked contacts and hosts.
import { sql } from 'kysely';
import { RegistryError } from '../errors.ts';
import type { OperationContext } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { normalizeHostName } from '../validate.ts';
import type { ContactType, DsData } from './view.ts';

export function validatePeriod(reg: Registry, years: number): number {
  const { min, max } = reg.profile.periodYears;
  if (!Number.isInteger(years) || years < min || years > max) {
    throw new RegistryError('range', `the registration period is ${min} to ${max} years, not ${years}`, 'R3.16');
  }
  return years;
}

export const MIN_NAME_SERVERS = 2;
export const MAX_NAME_SERVERS = 13;

/** Appendix 2 (reading): a delegated name has a primary and a secondary server, at least two. */
export function validateHostCount(hosts: string[]): void {
  // Compared as stored (RFC 5732 §2.1 normal form), so 'ns1.example.net.' repeats 'NS1.example.net'.
  const unique = new Set(hosts.map(normalizeHostName));
  if (unique.size !== hosts.length) throw new RegistryError('syntax', 'a name server is listed twice', 'RFC 5731 §3.2.1');
  if (hosts.length > 0 && hosts.length < MIN_NAME_SERVERS) {
    throw new RegistryError('policy', `a delegation needs at least ${MIN_NAME_SERVERS} name servers (a primary and a secondary)`, 'Appendix 2');
  }
  if (hosts.length > MAX_NAME_SERVERS) throw new RegistryError('range', `at most ${MAX_NAME_SERVERS} name servers`, 'RFC 5731 §3.2.1');
}

// RFC 8624 §3.1/§3.3: algorithms and digest types a registry accepts for new delegations.
const DS_ALGORITHMS = new Set([8, 10, 13, 14, 15, 16]);
const DIGEST_LENGTH: Record<number, number> = { 2: 64, 4: 96 };

export function validateDs(ds: DsData[]): DsData[] {
  if (ds.length > 8) throw new RegistryError('range', 'at most 8 DS records', 'RFC 5910 §4.1');
  const seen = new Set<string>();
  return ds.map((d) => {
    if (!Number.isInteger(d.keyTag) || d.keyTag < 0 || d.keyTag > 65535) throw new RegistryError('range', `DS key tag ${d.keyTag} is not 0..65535`, 'RFC 5910 §4.1');
    if (!DS_ALGORITHMS.has(d.algorithm)) throw new RegistryError('policy', `DNSSEC algorithm ${d.algorithm} is not accepted (8, 10, 13, 14, 15, 16)`, 'RFC 8624 §3.1');
    const len = DIGEST_LENGTH[d.digestType];
    if (!len) throw new RegistryError('policy', `DS digest type ${d.digestType} is not accepted (2 = SHA-256, 4 = SHA-384)`, 'RFC 8624 §3.3');
    const digest = d.digest.replace(/\s+/g, '').toUpperCase();
    if (!/^[0-9A-F]+$/.test(digest) || digest.length !== len) {
      throw new RegistryError('syntax', `DS digest must be ${len} hex digits for digest type ${d.digestType}`, 'RFC 5910 §4.1');
    }
    const key = `${d.keyTag}/${d.algorithm}/${d.digestType}/${digest}`;
    if (seen.has(key)) throw new RegistryError('syntax', 'a DS record is listed twice', 'RFC 5910 §4.1');
    seen.add(key);
    return { keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType, digest };
  });
}

export async function assertActiveRegistrar(ctx: OperationContext, registrarId: string): Promise<void> {
  const r = await ctx.tx.selectFrom('registrars').select('status').where('id', '=', registrarId).executeTakeFirst();
  if (!r) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.6');
  if (r.status !== 'active') throw new RegistryError('authorization', `registrar ${registrarId} is ${r.status}`, 'R9.8');
}

/** Contacts must exist and be sponsored by the domain's registrar: no registrar links another's personal data. */
export async function resolveContacts(
  ctx: OperationContext, registrarId: string, registrant: string, contacts: { type: ContactType; handle: string }[],
): Promise<{ registrantId: number; contacts: { type: ContactType; contactId: number }[] }> {
  const r = await resolveContactLinks(ctx, registrarId, [registrant], contacts);
  return { registrantId: r.ids.get(registrant)!, contacts: r.contacts };
}

/** Resolves newly linked contacts; only new links are checked for sponsorship (a transferred domain keeps its old ones). */
export async function resolveContactLinks(
  ctx: OperationContext, registrarId: string, extra: string[], contacts: { type: ContactType; handle: string }[],
): Promise<{ ids: Map<string, number>; contacts: { type: ContactType; contactId: number }[] }> {
  const handles = [...new Set([...extra, ...contacts.map((c) => c.handle)])];
  if (handles.length === 0) return { ids: new Map(), contacts: [] };
  const rows = await ctx.tx.selectFrom('contacts').select(['id', 'handle', 'registrar_id'])
    .where('handle', 'in', handles).where('deleted_at', 'is', null).execute();
  return checkContactLinks(registrarId, handles, contacts, rows);
}

type ContactRef = { id: number; handle: string; registrar_id: string };

function checkContactLinks(
  registrarId: string, handles: string[], contacts: { type: ContactType; handle: string }[], rows: ContactRef[],
): { ids: Map<string, number>; contacts: { type: ContactType; contactId: number }[] } {
  const byHandle = new Map(rows.map((r) => [r.handle, r]));
  for (const h of handles) {
    const r = byHandle.get(h);
    if (!r) throw new RegistryError('notFound', `contact ${h} does not exist`, 'RFC 5731 §3.2.1');
    if (r.registrar_id !== registrarId) throw new RegistryError('authorization', `contact ${h} is sponsored by another registrar`, 'R8.8');
  }
  const seen = new Set<string>();
  for (const c of contacts) {
    if (!['admin', 'tech', 'billing'].includes(c.type)) throw new RegistryError('syntax', `'${c.type}' is not a contact type`, 'RFC 5731 §2.2');
    const key = `${c.type}/${c.handle}`;
    if (seen.has(key)) throw new RegistryError('syntax', `contact ${c.handle} is listed twice as ${c.type}`, 'RFC 5731 §2.2');
    seen.add(key);
  }
  return {
    ids: new Map(rows.map((r) => [r.handle, r.id])),
    contacts: contacts.map((c) => ({ type: c.type, contactId: byHandle.get(c.handle)!.id })),
  };
}

function checkHosts(names: string[], rows: { id: number; name: string }[]): number[] {
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return names.map((n) => {
    const id = byName.get(n);
    if (id === undefined) throw new RegistryError('notFound', `host ${n} does not exist; create it first`, 'RFC 5731 §3.2.1');
    return id;
  });
}

/**
 * What a create needs before it writes, in one round trip: the sponsor's status, the linked contacts and the
 * name servers; the same statement takes the lock on `lockKey` (the name's IDN bundle), so the availability
 * read that follows, a statement of its own, sees every create of the bundle committed before it.
 * The checks and their order are those of assertActiveRegistrar, resolveContacts and resolveHosts.
 */
export async function resolveForCreate(
  ctx: OperationContext, registrarId: string, registrant: string, contacts: { type: ContactType; handle: string }[], hosts: string[], lockKey: string,
): Promise<{ registrantId: number; contacts: { type: ContactType; contactId: number }[]; hostIds: number[] }> {
  const handles = [...new Set([registrant, ...contacts.map((c) => c.handle)])];
  const names = hosts.map(normalizeHostName);
  const r = await sql<{ status: string | null; contacts: ContactRef[] | string; hosts: { id: number; name: string }[] | string }>`select
    (select status from registrars where id = ${registrarId}) as status,
    coalesce((select json_agg(json_build_object('id', id, 'handle', handle, 'registrar_id', registrar_id)) from contacts
      where handle = any(${handles}::text[]) and deleted_at is null), '[]'::json) as contacts,
    coalesce((select json_agg(json_build_object('id', id, 'name', name)) from hosts
      where name = any(${names}::text[]) and deleted_at is null), '[]'::json) as hosts,
    pg_advisory_xact_lock(hashtext(${lockKey})) as locked`.execute(ctx.tx);
  const row = r.rows[0]!;
  if (row.status === null) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.6');
  if (row.status !== 'active') throw new RegistryError('authorization', `registrar ${registrarId} is ${row.status}`, 'R9.8');
  const parse = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) as T : v);
  const linked = checkContactLinks(registrarId, handles, contacts, parse(row.contacts));
  const hostIds = hosts.length ? checkHosts(names, parse(row.hosts)) : [];
  return { registrantId: linked.ids.get(registrant)!, contacts: linked.contacts, hostIds };
}

export async function resolveHosts(ctx: OperationContext, hosts: string[]): Promise<number[]> {
  if (hosts.length === 0) return [];
  const names = hosts.map(normalizeHostName);
  const rows = await ctx.tx.selectFrom('hosts').select(['id', 'name']).where('name', 'in', names).where('deleted_at', 'is', null).execute();
  return checkHosts(names, rows);
}
