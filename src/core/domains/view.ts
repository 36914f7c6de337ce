// Reading a domain with its contacts, name servers, DS data and subordinate hosts: the shape that history
// snapshots, audit entries and every protocol adapter start from.
import type { Kysely } from 'kysely';
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

export async function domainView(db: Kysely<Database>, row: DomainRow): Promise<DomainView> {
  const [registrant, contacts, hosts, subordinate, ds] = await Promise.all([
    db.selectFrom('contacts').select('handle').where('id', '=', row.registrant_id).executeTakeFirstOrThrow(),
    db.selectFrom('domain_contacts').innerJoin('contacts', 'contacts.id', 'domain_contacts.contact_id')
      .select(['domain_contacts.type', 'contacts.handle']).where('domain_contacts.domain_id', '=', row.id)
      .orderBy('domain_contacts.type').orderBy('contacts.handle').execute(),
    db.selectFrom('domain_hosts').innerJoin('hosts', 'hosts.id', 'domain_hosts.host_id')
      .select('hosts.name').where('domain_hosts.domain_id', '=', row.id).orderBy('hosts.name').execute(),
    db.selectFrom('hosts').select('name').where('superordinate_domain_id', '=', row.id).where('deleted_at', 'is', null).orderBy('name').execute(),
    db.selectFrom('domain_ds').select(['key_tag', 'algorithm', 'digest_type', 'digest']).where('domain_id', '=', row.id)
      .orderBy('key_tag').orderBy('algorithm').orderBy('digest_type').execute(),
  ]);
  return {
    name: row.name, unicodeName: row.unicode_name, roid: row.roid, zone: row.zone, registrarId: row.registrar_id,
    registrant: registrant.handle,
    contacts: contacts.map((c) => ({ type: c.type, handle: c.handle })),
    hosts: hosts.map((h) => h.name), subordinateHosts: subordinate.map((h) => h.name),
    ds: ds.map((d) => ({ keyTag: d.key_tag, algorithm: d.algorithm, digestType: d.digest_type, digest: d.digest })),
    statuses: effectiveStatuses(row.statuses, hosts.length > 0),
    authInfo: row.auth_info, grandfathered: row.grandfathered,
    createdAt: row.created_at, createdBy: row.created_by, updatedAt: row.updated_at, updatedBy: row.updated_by,
    expiresAt: row.expires_at, transferredAt: row.transferred_at,
  };
}

/** The A-label form of a name as typed (U-label, A-label, any case, trailing dot). */
export async function asciiName(reg: Registry, name: string): Promise<string> {
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
  return domainView(reg.db, await loadDomain(reg.db, await asciiName(reg, name)));
}
