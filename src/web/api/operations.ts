// What the portal pages and the JSON API both do, on top of the core operations that EPP uses: one place, so that a
// page and an API call can never differ in what they check.
import { sql } from 'kysely';
import { assertSponsor, type Actor } from '../../core/actor.ts';
import { RegistryError } from '../../core/errors.ts';
import { createHost } from '../../core/hosts.ts';
import type { Registry } from '../../core/registry.ts';
import { getDomain, type DomainView } from '../../core/domains/view.ts';
import { renewDomain } from '../../core/domains/renew.ts';
import { updateDomain } from '../../core/domains/update.ts';
import { effectiveStatuses } from '../../core/domains/view.ts';

export interface DomainListItem { name: string; unicodeName: string; registrarId: string; statuses: string[]; createdAt: Date; expiresAt: Date }
export interface DomainListQuery { q?: string; status?: string; expiresBefore?: string; registrarId?: string; limit?: number; offset?: number }
export interface DomainList { total: number; limit: number; offset: number; items: DomainListItem[] }

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Live domains, by name; a registrar sees only its own (RFC 5730 §2.9.2), the National Administrator any or one registrar's. */
export async function listDomains(reg: Registry, actor: Actor, query: DomainListQuery): Promise<DomainList> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const offset = Math.max(query.offset ?? 0, 0);
  let q = reg.db.selectFrom('domains').where('deleted_at', 'is', null);
  if (actor.type === 'registrar') q = q.where('registrar_id', '=', actor.registrarId);
  else if (query.registrarId) q = q.where('registrar_id', '=', query.registrarId);
  const text = query.q?.trim().toLowerCase();
  if (text) {
    const pattern = `%${likeEscape(text)}%`;
    q = q.where((eb) => eb.or([eb('name', 'like', pattern), eb('unicode_name', 'like', pattern)]));
  }
  const hasHosts = sql<boolean>`exists (select 1 from domain_hosts dh where dh.domain_id = domains.id)`;
  if (query.status === 'inactive') q = q.where(sql<boolean>`not ${hasHosts}`);
  else if (query.status === 'ok') q = q.where(sql<boolean>`cardinality(statuses) = 0`);
  else if (query.status) q = q.where(sql<boolean>`${query.status} = any(statuses)`);
  if (query.expiresBefore) {
    const d = new Date(`${query.expiresBefore}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(query.expiresBefore) || Number.isNaN(d.getTime())) throw new RegistryError('syntax', 'expiresBefore is a date like 2027-01-31', 'RFC 3339');
    q = q.where('expires_at', '<', d);
  }
  const [count, rows] = await Promise.all([
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    q.select(['name', 'unicode_name', 'registrar_id', 'statuses', 'created_at', 'expires_at', hasHosts.as('has_hosts')])
      .orderBy('name').limit(limit).offset(offset).execute(),
  ]);
  return {
    total: count.n, limit, offset,
    items: rows.map((r) => ({
      name: r.name, unicodeName: r.unicode_name, registrarId: r.registrar_id, statuses: effectiveStatuses(r.statuses, r.has_hosts),
      createdAt: r.created_at, expiresAt: r.expires_at,
    })),
  };
}

/** A domain as its sponsor or the National Administrator sees it; another registrar gets 'authorization'. */
export async function viewDomain(reg: Registry, actor: Actor, name: string): Promise<DomainView> {
  const d = await getDomain(reg, name);
  assertSponsor(actor, d.registrarId, `domain ${d.unicodeName}`);
  return d;
}

/** Renews by the period (R6.1); the current expiry date is the domain's own unless the caller names it (RFC 5731 §3.2.3). */
export async function renew(reg: Registry, actor: Actor, name: string, periodYears: number, currentExpiryDate?: string): Promise<DomainView> {
  const d = await viewDomain(reg, actor, name);
  return renewDomain(reg, actor, { name: d.name, periodYears, currentExpiryDate: currentExpiryDate ?? d.expiresAt.toISOString().slice(0, 10) });
}

/**
 * Sets the name servers to exactly `hosts`. External ones that do not exist yet are created as host objects of the
 * sponsor first (a portal user has no separate host step); names inside the registry's zones must exist already,
 * with their addresses (RFC 5732 §3.2.1).
 */
export async function setNameServers(reg: Registry, actor: Actor, name: string, hostsRaw: string[]): Promise<DomainView> {
  const d = await viewDomain(reg, actor, name);
  const hosts = [...new Set(hostsRaw.map((h) => h.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean))];
  const zones = reg.profile.zones.map((z) => z.name);
  for (const h of hosts) {
    if (!h.includes('.')) throw new RegistryError('syntax', `${h} is not a host name`, 'RFC 5732 §2.1');
    const exists = await reg.db.selectFrom('hosts').select('id').where('name', '=', h).where('deleted_at', 'is', null).executeTakeFirst();
    const internal = zones.some((z) => h === z || h.endsWith(`.${z}`));
    if (!exists && !internal) await createHost(reg, actor, { name: h, registrarId: d.registrarId });
  }
  const add = hosts.filter((h) => !d.hosts.includes(h));
  const remove = d.hosts.filter((h) => !hosts.includes(h));
  if (!add.length && !remove.length) return d;
  return updateDomain(reg, actor, { name: d.name, add: { hosts: add }, remove: { hosts: remove } });
}
