// Reads behind the registrar portal's lists: a registrar's contacts and hosts with search and filters, and its
// poll queue (RFC 5730 §2.9.2.3) whole rather than one message at a time. A registrar sees only what it sponsors
// (RFC 5730 §2.9.2); the National Administrator names the registrar.
import { sql } from 'kysely';
import { assertOwnRegistrar } from './registrar-access.ts';
import type { Actor } from './actor.ts';
import type { Registry } from './registry.ts';

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const page = (limit?: number, offset?: number) => ({ limit: Math.min(Math.max(limit ?? 50, 1), 200), offset: Math.max(offset ?? 0, 0) });

export interface ContactListItem {
  handle: string; kind: 'natural' | 'legal'; name: string; email: string; cc: string; verification: string; statuses: string[]; linked: boolean; createdAt: Date;
}
export interface ContactListQuery { q?: string; kind?: 'natural' | 'legal'; verification?: 'unverified' | 'verified' | 'inaccurate'; linked?: boolean; limit?: number; offset?: number }

export async function listContacts(reg: Registry, actor: Actor, registrarId: string, query: ContactListQuery = {}): Promise<{ total: number; limit: number; offset: number; items: ContactListItem[] }> {
  assertOwnRegistrar(actor, registrarId, 'the contacts');
  const { limit, offset } = page(query.limit, query.offset);
  // Linked: named by a live domain (as registrant or contact) or a pending application (RFC 5733 §2.2 'linked').
  const linked = sql<boolean>`(exists (select 1 from domains d where d.registrant_id = contacts.id and d.deleted_at is null)
    or exists (select 1 from domain_contacts dc join domains d on d.id = dc.domain_id where dc.contact_id = contacts.id and d.deleted_at is null)
    or exists (select 1 from applications a where a.registrant_id = contacts.id and a.status = 'pending'))`;
  let q = reg.db.selectFrom('contacts').where('registrar_id', '=', registrarId).where('deleted_at', 'is', null);
  const text = query.q?.trim().toLowerCase();
  if (text) {
    const p = `%${likeEscape(text)}%`;
    q = q.where(sql<boolean>`(lower(handle) like ${p} or lower(coalesce(org_name, '')) like ${p} or lower(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) like ${p} or lower(email) like ${p})`);
  }
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.verification) q = q.where('verification', '=', query.verification);
  if (query.linked !== undefined) q = q.where(query.linked ? linked : sql<boolean>`not ${linked}`);
  const [count, rows] = await Promise.all([
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    q.select(['handle', 'kind', 'given_name', 'family_name', 'org_name', 'email', 'cc', 'verification', 'statuses', 'created_at', linked.as('linked')])
      .orderBy('handle').limit(limit).offset(offset).execute(),
  ]);
  return {
    total: count.n, limit, offset,
    items: rows.map((r) => ({
      handle: r.handle, kind: r.kind, name: r.kind === 'legal' ? r.org_name ?? '' : [r.given_name, r.family_name].filter(Boolean).join(' '),
      email: r.email, cc: r.cc, verification: r.verification, statuses: r.statuses, linked: r.linked, createdAt: r.created_at,
    })),
  };
}

export interface HostListItem { name: string; addresses: string[]; statuses: string[]; inZone: boolean; domains: number; createdAt: Date }
export interface HostListQuery { q?: string; zone?: 'internal' | 'external'; linked?: boolean; limit?: number; offset?: number }

export async function listHosts(reg: Registry, actor: Actor, registrarId: string, query: HostListQuery = {}): Promise<{ total: number; limit: number; offset: number; items: HostListItem[] }> {
  assertOwnRegistrar(actor, registrarId, 'the hosts');
  const { limit, offset } = page(query.limit, query.offset);
  const uses = sql<number>`(select count(*)::int from domain_hosts dh join domains d on d.id = dh.domain_id where dh.host_id = hosts.id and d.deleted_at is null)`;
  let q = reg.db.selectFrom('hosts').where('registrar_id', '=', registrarId).where('deleted_at', 'is', null);
  const text = query.q?.trim().toLowerCase();
  if (text) q = q.where('name', 'like', `%${likeEscape(text)}%`);
  const tld = `%.${likeEscape(reg.profile.tld)}`;
  if (query.zone === 'internal') q = q.where('name', 'like', tld);
  if (query.zone === 'external') q = q.where('name', 'not like', tld);
  if (query.linked !== undefined) q = q.where(query.linked ? sql<boolean>`${uses} > 0` : sql<boolean>`${uses} = 0`);
  const [count, rows] = await Promise.all([
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    q.select(['name', 'addresses', 'statuses', 'created_at', uses.as('uses')]).orderBy('name').limit(limit).offset(offset).execute(),
  ]);
  return {
    total: count.n, limit, offset,
    items: rows.map((r) => ({ name: r.name, addresses: r.addresses, statuses: r.statuses, inZone: r.name.endsWith(`.${reg.profile.tld}`), domains: r.uses, createdAt: r.created_at })),
  };
}

export interface PollListItem { id: number; at: Date; kind: string; message: string; payload: Record<string, unknown> }

/** The unacknowledged messages, oldest first (the order EPP <poll op="req"> gives them). */
export async function listPollMessages(reg: Registry, actor: Actor, registrarId: string, opts: { limit?: number } = {}): Promise<{ count: number; items: PollListItem[] }> {
  assertOwnRegistrar(actor, registrarId, 'the poll messages');
  const base = reg.db.selectFrom('poll_messages').where('registrar_id', '=', registrarId).where('acked_at', 'is', null);
  const [count, rows] = await Promise.all([
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    base.select(['id', 'at', 'kind', 'message', 'payload']).orderBy('id').limit(Math.min(Math.max(opts.limit ?? 100, 1), 500)).execute(),
  ]);
  return { count: count.n, items: rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind, message: r.message, payload: (r.payload ?? {}) as Record<string, unknown> })) };
}

export interface ContactUse { name: string; unicodeName: string; role: 'registrant' | 'admin' | 'tech' | 'billing' }

/** The live domains that name a contact, as registrant or as a contact (domain names are public anyway). */
export async function contactDomains(reg: Registry, handle: string, limit = 100): Promise<ContactUse[]> {
  const c = await reg.db.selectFrom('contacts').select('id').where('handle', '=', handle).where('deleted_at', 'is', null).executeTakeFirst();
  if (!c) return [];
  const [asRegistrant, asContact] = await Promise.all([
    reg.db.selectFrom('domains').select(['name', 'unicode_name']).where('registrant_id', '=', c.id).where('deleted_at', 'is', null).orderBy('name').limit(limit).execute(),
    reg.db.selectFrom('domain_contacts').innerJoin('domains', 'domains.id', 'domain_contacts.domain_id').select(['domains.name', 'domains.unicode_name', 'domain_contacts.type'])
      .where('domain_contacts.contact_id', '=', c.id).where('domains.deleted_at', 'is', null).orderBy('domains.name').limit(limit).execute(),
  ]);
  return [
    ...asRegistrant.map((d) => ({ name: d.name, unicodeName: d.unicode_name, role: 'registrant' as const })),
    ...asContact.map((d) => ({ name: d.name, unicodeName: d.unicode_name, role: d.type })),
  ].slice(0, limit);
}
