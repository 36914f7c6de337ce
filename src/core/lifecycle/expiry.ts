// The registration's clock (R6.1, R6.2): the renewal request a month ahead, suspension at expiry, and
// cancellation with release of the name when nothing was paid in the 30 days after. Each domain is its own
// operation; rows are claimed with FOR UPDATE SKIP LOCKED and the condition is checked again under the lock,
// so several workers (or one run twice) act exactly once.
import { sql } from 'kysely';
import type { DomainRow } from '../../db/schema.ts';
import type { Actor } from '../actor.ts';
import { addDays } from '../clock.ts';
import type { OperationContext } from '../operation.ts';
import { actOnEach, claimDomain, firstNotice } from './claims.ts';
import { cancelPendingOwnerChanges } from '../owner-change.ts';
import type { Registry } from '../registry.ts';
import { conclude } from '../transfers.ts';
import { notifySponsorOfChange } from '../domains/update.ts';
import { domainView, type DomainView } from '../domains/view.ts';
import { registrarName, tellOwner } from './notices.ts';
import { liftSuspensionOn, startSuspension } from './suspensions.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** R6.1: at least a month before expiry, the owner is asked to renew (e-mail and account) and the sponsor is told. */
export async function sendRenewalRequests(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const now = reg.clock.now();
  const horizon = addDays(now, reg.profile.lifecycle.renewalNoticeDays);
  const due = await reg.db.selectFrom('domains').select(['id', 'roid', 'expires_at'])
    .where('deleted_at', 'is', null).where('expires_at', '>', now).where('expires_at', '<=', horizon)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('lifecycle_notices').select('kind')
      .where('kind', '=', 'renewal-request').whereRef('object_id', '=', 'domains.roid')
      .where('occasion', '=', sql<string>`to_char(domains.expires_at at time zone 'UTC', 'YYYY-MM-DD')`))))
    .orderBy('expires_at').limit(limit).execute();
  return actOnEach(reg, actor, 'domain.renewalRequest', due, async (ctx, d) => {
    const row = await claimDomain(ctx, d.id);
    if (!row || row.expires_at.getTime() !== d.expires_at.getTime()) return false;
    if (!(await firstNotice(ctx, 'renewal-request', row.roid, day(row.expires_at)))) return false;
    await tellOwner(ctx, row, 'renewal.request', { name: row.unicode_name, expiryDate: day(row.expires_at), registrar: await registrarName(ctx, row.registrar_id) },
      `renewal-request:${row.roid}:${day(row.expires_at)}`);
    await ctx.poll(row.registrar_id, 'domain.renewalRequest',
      `Renewal request sent to the owner of ${row.unicode_name}: the registration expires on ${day(row.expires_at)} (R6.1)`,
      { name: row.name, expiresAt: row.expires_at.toISOString() });
    await ctx.record({ objectType: 'domain', objectId: row.name, before: null, after: { expiresAt: row.expires_at }, history: false,
      topic: 'domain.renewalRequested', payload: { clause: 'R6.1', zone: row.zone, registrarId: row.registrar_id } });
    return true;
  });
}

/** R6.2: a registration not renewed by its expiry date is suspended: the name stops resolving. */
export async function suspendExpired(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const now = reg.clock.now();
  const due = await reg.db.selectFrom('domains').select('id')
    .where('deleted_at', 'is', null).where('expires_at', '<=', now)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('domain_suspensions').select('id')
      .whereRef('domain_id', '=', 'domains.id').where('ground', '=', 'expiry').where('lifted_at', 'is', null))))
    .orderBy('expires_at').limit(limit).execute();
  return actOnEach(reg, actor, 'domain.expire', due, async (ctx, d) => {
    const row = await claimDomain(ctx, d.id);
    if (!row || row.expires_at > ctx.now) return false;
    // RFC 3915: a name in the redemption period cannot be transferred; a pending request ends.
    const pending = await ctx.tx.selectFrom('transfers').selectAll().where('domain_id', '=', row.id).where('status', '=', 'pending').forUpdate().executeTakeFirst();
    if (pending) await conclude(ctx, row.id, pending, 'serverCancelled');
    const fresh = await ctx.tx.selectFrom('domains').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    return (await startSuspension(ctx, fresh, 'expiry', `expired on ${day(row.expires_at)}`)) !== null;
  });
}

/**
 * R6.2: 30 days after the suspension at expiry, unless paid (restored), the registration is cancelled and the
 * name released. Subordinate hosts go with it; domains of other sponsors that used them lose those name servers
 * and their sponsors are told.
 */
export async function releaseUnpaid(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const days = reg.profile.lifecycle.redemptionDays;
  const threshold = addDays(reg.clock.now(), -days);
  const due = await reg.db.selectFrom('domain_suspensions').select('domain_id')
    .where('ground', '=', 'expiry').where('lifted_at', 'is', null).where('started_at', '<=', threshold)
    .orderBy('started_at').limit(limit).execute();
  return actOnEach(reg, actor, 'domain.release', due, async (ctx, d) => {
    const row = await claimDomain(ctx, d.domain_id);
    if (!row) return false;
    const s = await ctx.tx.selectFrom('domain_suspensions').select(['id', 'started_at']).where('domain_id', '=', row.id)
      .where('ground', '=', 'expiry').where('lifted_at', 'is', null).executeTakeFirst();
    if (!s || s.started_at > addDays(ctx.now, -days)) return false;
    await releaseDomain(ctx, row, `not renewed: suspended on ${day(s.started_at)} and not paid within ${days} days (R6.2)`, 'R7.3.6');
    return true;
  });
}

/** Cancels a registration and releases the name (R7.3), in the caller's operation. */
export async function releaseDomain(ctx: OperationContext, row: DomainRow, reason: string, ground: 'R7.3.1' | 'R7.3.2' | 'R7.3.3' | 'R7.3.4' | 'R7.3.5' | 'R7.3.6'): Promise<void> {
  const before = await domainView(ctx.tx, row);
  const subordinate = await ctx.tx.selectFrom('hosts').selectAll().where('superordinate_domain_id', '=', row.id)
    .where('deleted_at', 'is', null).orderBy('name').forUpdate().execute();
  for (const h of subordinate) {
    const users = await ctx.tx.selectFrom('domain_hosts').innerJoin('domains', 'domains.id', 'domain_hosts.domain_id')
      .selectAll('domains').where('domain_hosts.host_id', '=', h.id).where('domains.id', '<>', row.id)
      .orderBy('domains.id').forUpdate().execute();
    for (const u of users) {
      const userBefore = await domainView(ctx.tx, u);
      await ctx.tx.deleteFrom('domain_hosts').where('domain_id', '=', u.id).where('host_id', '=', h.id).execute();
      const userAfter = await domainView(ctx.tx, u);
      await ctx.record({ objectType: 'domain', objectId: u.name, before: userBefore, after: userAfter, topic: 'domain.updated',
        payload: { zone: u.zone, registrarId: u.registrar_id, reason: `name server ${h.name} removed with ${row.name}` } });
      await notifySponsorOfChange(ctx, u.registrar_id, 'update', userBefore, userAfter, `name server ${h.name} deleted: ${row.name} was cancelled`);
    }
    await ctx.tx.deleteFrom('domain_hosts').where('host_id', '=', h.id).execute();
    await ctx.tx.updateTable('hosts').set({ deleted_at: ctx.now, updated_at: ctx.now, updated_by: ctx.actorId }).where('id', '=', h.id).execute();
    await ctx.record({ objectType: 'host', objectId: h.roid, before: { name: h.name }, after: null, topic: 'host.deleted',
      payload: { name: h.name, registrarId: h.registrar_id, reason } });
  }
  await ctx.tx.updateTable('domain_suspensions').set({ lifted_at: ctx.now, lifted_by: ctx.actorId, lift_reason: `cancelled: ${reason}` })
    .where('domain_id', '=', row.id).where('lifted_at', 'is', null).execute();
  await ctx.tx.deleteFrom('domain_hosts').where('domain_id', '=', row.id).execute();
  await ctx.tx.updateTable('domains').set({ deleted_at: ctx.now, updated_at: ctx.now, updated_by: ctx.actorId }).where('id', '=', row.id).execute();
  await ctx.record({ objectType: 'domain', objectId: row.name, before, after: null, topic: 'domain.deleted',
    payload: { zone: row.zone, registrarId: row.registrar_id, reason } });
  await cancelPendingOwnerChanges(ctx, row.id, row.name);
  const after: DomainView = { ...before, hosts: [], subordinateHosts: [], statuses: before.statuses };
  await notifySponsorOfChange(ctx, row.registrar_id, 'autoPurge', before, after, reason);
  await tellOwner(ctx, row, 'domain.cancelled', { name: row.unicode_name, ground, cancelledAt: ctx.now, registrar: await registrarName(ctx, row.registrar_id) },
    `cancelled:${row.roid}:${ctx.now.toISOString()}`);
}

/** Lifts the R6.2 suspension of a domain whose registration was paid for (restore or renewal), in the caller's operation. */
export async function endExpirySuspension(ctx: OperationContext, row: DomainRow, reason: string): Promise<DomainRow> {
  return (await liftSuspensionOn(ctx, row, 'expiry', reason)) ?? row;
}
