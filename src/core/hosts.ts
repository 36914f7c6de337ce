// Hosts (RFC 5732). A host under our TLD is in-zone: its superordinate domain must be registered and
// sponsored by the same registrar, and it may carry glue addresses. A host elsewhere is external and
// carries no addresses (RFC 5732 §3.2.1).
import { sql, type Kysely } from 'kysely';
import type { Database, HostRow } from '../db/schema.ts';
import { actingRegistrar, assertSponsor, isRegistryOperator, type Actor } from './actor.ts';
import { assertActiveRegistrar } from './domains/checks.ts';
import { RegistryError } from './errors.ts';
import { runOperation, type OperationContext } from './operation.ts';
import type { Registry } from './registry.ts';
import { normalizeAddress, normalizeHostName } from './validate.ts';

export interface HostView {
  name: string; roid: string; registrarId: string; addresses: string[]; statuses: string[]; superordinateDomain: string | null;
  createdAt: Date; createdBy: string; updatedAt: Date | null; updatedBy: string | null;
}

const HOST_STATUSES = new Set(['clientDeleteProhibited', 'clientUpdateProhibited', 'serverDeleteProhibited', 'serverUpdateProhibited']);
export const MAX_ADDRESSES = 13;

export function isInZone(reg: Registry, host: string): boolean {
  return host.endsWith(`.${reg.profile.tld}`);
}

async function superordinate(ctx: OperationContext, reg: Registry, host: string, registrarId: string): Promise<number | null> {
  if (!isInZone(reg, host)) return null;
  const labels = host.split('.');
  const candidates = labels.slice(1).map((_, i) => labels.slice(i + 1).join('.'));
  const d = await ctx.tx.selectFrom('domains').select(['id', 'name', 'registrar_id']).where('name', 'in', candidates)
    .where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
  if (!d) throw new RegistryError('notFound', `the superordinate domain of ${host} is not registered`, 'RFC 5732 §3.2.1');
  if (d.registrar_id !== registrarId) throw new RegistryError('authorization', `the superordinate domain ${d.name} is sponsored by another registrar`, 'RFC 5732 §3.2.1');
  return d.id;
}

function checkAddresses(reg: Registry, host: string, addresses: string[]): string[] {
  const list = [...new Set(addresses.map(normalizeAddress))];
  if (list.length !== addresses.length) throw new RegistryError('syntax', 'an address is listed twice', 'RFC 5732 §3.2.1');
  if (list.length > MAX_ADDRESSES) throw new RegistryError('range', `at most ${MAX_ADDRESSES} addresses`, 'RFC 5732 §3.2.1');
  if (list.length && !isInZone(reg, host)) {
    throw new RegistryError('policy', `${host} is outside .${reg.profile.tld}: addresses are kept only for in-zone hosts (glue)`, 'RFC 5732 §3.2.1');
  }
  return list;
}

export async function hostView(db: Kysely<Database>, h: HostRow, derived = false): Promise<HostView> {
  const sup = h.superordinate_domain_id
    ? await db.selectFrom('domains').select('name').where('id', '=', h.superordinate_domain_id).executeTakeFirst() : undefined;
  let statuses = [...h.statuses];
  if (derived) {
    if (await isHostLinked(db, h.id)) statuses.push('linked');
    if (h.statuses.length === 0) statuses.push('ok');
    statuses = statuses.sort();
  }
  return {
    name: h.name, roid: h.roid, registrarId: h.registrar_id, addresses: h.addresses, statuses, superordinateDomain: sup?.name ?? null,
    createdAt: h.created_at, createdBy: h.created_by, updatedAt: h.updated_at, updatedBy: h.updated_by,
  };
}

export async function isHostLinked(db: Kysely<Database>, hostId: number): Promise<boolean> {
  const r = await db.selectFrom('domain_hosts').innerJoin('domains', 'domains.id', 'domain_hosts.domain_id').select('domains.id')
    .where('domain_hosts.host_id', '=', hostId).where('domains.deleted_at', 'is', null).limit(1).executeTakeFirst();
  if (r) return true;
  // A name server that a pending application will link when it is approved (R3.12).
  const { name } = await db.selectFrom('hosts').select('name').where('id', '=', hostId).executeTakeFirstOrThrow();
  const inRequest = await sql<{ id: number }>`select id from applications where status = 'pending'
    and request->'hosts' @> ${JSON.stringify([name])}::jsonb limit 1`.execute(db);
  return inRequest.rows.length > 0;
}

async function loadHost(db: Kysely<Database>, name: string, lock: boolean): Promise<HostRow> {
  let q = db.selectFrom('hosts').selectAll().where('name', '=', name).where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const h = await q.executeTakeFirst();
  if (!h) throw new RegistryError('notFound', `host ${name} does not exist`, 'RFC 5732 §3.1.2');
  return h;
}

export interface HostCreateInput { name: string; addresses?: string[]; registrarId?: string | null }

export async function createHost(reg: Registry, actor: Actor, input: HostCreateInput): Promise<HostView> {
  const registrarId = actingRegistrar(actor, input.registrarId);
  const name = normalizeHostName(input.name);
  const addresses = checkAddresses(reg, name, input.addresses ?? []);
  return runOperation(reg, actor, 'host.create', async (ctx) => {
    await assertActiveRegistrar(ctx, registrarId);
    const supId = await superordinate(ctx, reg, name, registrarId);
    const roid = await ctx.nextRoid('H');
    const h = await ctx.tx.insertInto('hosts').values({
      roid, name, registrar_id: registrarId, superordinate_domain_id: supId, addresses, statuses: [], created_at: ctx.now, created_by: ctx.actorId,
    }).returningAll().executeTakeFirstOrThrow();
    const v = await hostView(ctx.tx, h);
    await ctx.record({ objectType: 'host', objectId: roid, before: null, after: v, topic: 'host.created', payload: { name } });
    return v;
  });
}

export interface HostUpdateInput {
  name: string;
  addAddresses?: string[]; removeAddresses?: string[];
  addStatuses?: string[]; removeStatuses?: string[];
  newName?: string;
}

export async function updateHost(reg: Registry, actor: Actor, input: HostUpdateInput): Promise<HostView> {
  const name = normalizeHostName(input.name);
  for (const s of [...(input.addStatuses ?? []), ...(input.removeStatuses ?? [])]) {
    if (!HOST_STATUSES.has(s)) throw new RegistryError('policy', `status ${s} cannot be set on a host`, 'RFC 5732 §2.3');
    if (s.startsWith('server') && !isRegistryOperator(actor)) throw new RegistryError('authorization', `only the registry sets ${s}`, 'RFC 5732 §2.3');
  }
  const newName = input.newName ? normalizeHostName(input.newName) : null;
  return runOperation(reg, actor, 'host.update', async (ctx) => {
    const h = await loadHost(ctx.tx, name, true);
    assertSponsor(actor, h.registrar_id, `host ${name}`);
    const removingLock = (input.removeStatuses ?? []).includes('clientUpdateProhibited');
    if (h.statuses.includes('serverUpdateProhibited') && !isRegistryOperator(actor)) {
      throw new RegistryError('statusProhibits', `host ${name} has status serverUpdateProhibited`, 'RFC 5732 §2.3');
    }
    if (h.statuses.includes('clientUpdateProhibited') && !removingLock && !isRegistryOperator(actor)) {
      throw new RegistryError('statusProhibits', `host ${name} has status clientUpdateProhibited`, 'RFC 5732 §2.3');
    }
    const before = await hostView(ctx.tx, h);
    const finalName = newName ?? name;
    const statuses = new Set(h.statuses);
    for (const s of input.removeStatuses ?? []) if (!statuses.delete(s)) throw new RegistryError('policy', `status ${s} is not set on ${name}`, 'RFC 5732 §3.2.5');
    for (const s of input.addStatuses ?? []) {
      if (statuses.has(s)) throw new RegistryError('policy', `status ${s} is already set on ${name}`, 'RFC 5732 §3.2.5');
      statuses.add(s);
    }
    const addrs = new Set(h.addresses);
    for (const a of (input.removeAddresses ?? []).map(normalizeAddress)) {
      if (!addrs.delete(a)) throw new RegistryError('policy', `${a} is not an address of ${name}`, 'RFC 5732 §3.2.5');
    }
    for (const a of (input.addAddresses ?? []).map(normalizeAddress)) {
      if (addrs.has(a)) throw new RegistryError('policy', `${a} is already an address of ${name}`, 'RFC 5732 §3.2.5');
      addrs.add(a);
    }
    const addresses = checkAddresses(reg, finalName, [...addrs]);
    let supId = h.superordinate_domain_id;
    if (newName && newName !== name) {
      supId = await superordinate(ctx, reg, newName, h.registrar_id);
      // RFC 5732 §3.2.5: an in-zone host renamed out of the zone drops its glue.
      if (!isInZone(reg, newName) && h.addresses.length && !(input.removeAddresses?.length)) {
        throw new RegistryError('policy', `remove the addresses of ${name} when renaming it outside .${reg.profile.tld}`, 'RFC 5732 §3.2.5');
      }
    }
    const updated = await ctx.tx.updateTable('hosts').set({
      name: finalName, addresses, statuses: [...statuses].sort(), superordinate_domain_id: supId, updated_at: ctx.now, updated_by: ctx.actorId,
    }).where('id', '=', h.id).returningAll().executeTakeFirstOrThrow();
    const after = await hostView(ctx.tx, updated);
    await ctx.record({ objectType: 'host', objectId: h.roid, before, after, topic: 'host.updated', payload: { oldName: name, name: finalName } });
    return after;
  });
}

export async function deleteHost(reg: Registry, actor: Actor, hostName: string): Promise<void> {
  const name = normalizeHostName(hostName);
  await runOperation(reg, actor, 'host.delete', async (ctx) => {
    const h = await loadHost(ctx.tx, name, true);
    assertSponsor(actor, h.registrar_id, `host ${name}`);
    for (const s of ['clientDeleteProhibited', 'serverDeleteProhibited']) {
      if (h.statuses.includes(s) && !(isRegistryOperator(actor) && s.startsWith('client'))) {
        throw new RegistryError('statusProhibits', `host ${name} has status ${s}`, 'RFC 5732 §2.3');
      }
    }
    if (await isHostLinked(ctx.tx, h.id)) throw new RegistryError('associationProhibits', `host ${name} is a name server of a domain`, 'RFC 5732 §3.2.2');
    const before = await hostView(ctx.tx, h);
    await ctx.tx.updateTable('hosts').set({ deleted_at: ctx.now, updated_at: ctx.now, updated_by: ctx.actorId }).where('id', '=', h.id).execute();
    await ctx.record({ objectType: 'host', objectId: h.roid, before, after: null, topic: 'host.deleted', payload: { name } });
  });
}

export async function getHost(reg: Registry, hostName: string): Promise<HostView> {
  return hostView(reg.db, await loadHost(reg.db, normalizeHostName(hostName), false), true);
}

/** Which of these host names exist (EPP host:check; names already normalized). */
export async function existingHosts(reg: Registry, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await reg.db.selectFrom('hosts').select('name').where('name', 'in', names).where('deleted_at', 'is', null).execute();
  return new Set(rows.map((r) => r.name));
}
