// What the portal pages and the JSON API both do, on top of the core operations that EPP uses: one place, so that a
// page and an API call can never differ in what they check.
import { sql } from 'kysely';
import { assertSponsor, type Actor } from '../../core/actor.ts';
import { RegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { getDomain, type DomainView } from '../../core/domains/view.ts';
import { renewDomain } from '../../core/domains/renew.ts';
import { setDomainNameServers } from '../../core/domains/nameservers.ts';
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
 * Sets the name servers to exactly `hosts`, in one core operation: the external ones not yet known become host
 * objects of the sponsor in the same transaction (src/core/domains/nameservers.ts).
 */
export async function setNameServers(reg: Registry, actor: Actor, name: string, hostsRaw: string[]): Promise<DomainView> {
  return (await setDomainNameServers(reg, actor, { name, hosts: hostsRaw })).domain;
}
