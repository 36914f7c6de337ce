// Domain transfer between registrars (RFC 5731 §3.2.4, R1.4: the registrant may freely change registrar).
// The gaining registrar asks with the domain's authInfo; the losing registrar approves or rejects within
// the profile's number of days, after which the registry approves by itself. Both registrars hear of
// every step through their poll queues.
import type { Kysely } from 'kysely';
import type { Database, TransferRow } from '../db/schema.ts';
import { isRegistryOperator, type Actor } from './actor.ts';
import { addDays, addYears } from './clock.ts';
import { RegistryError } from './errors.ts';
import { runOperation, type OperationContext } from './operation.ts';
import { hostView } from './hosts.ts';
import { cancelPendingOwnerChanges } from './owner-change.ts';
import { randomSecret } from './passwords.ts';
import { chargeOperation } from '../billing/ledger.ts';
import { refund } from '../billing/refunds.ts';
import type { Registry } from './registry.ts';
import { validatePeriod, assertActiveRegistrar } from './domains/checks.ts';
import { assertStatusAllows } from './domains/statuses.ts';
import { asciiName, domainView, loadDomain } from './domains/view.ts';

export interface TransferView {
  id: number; name: string; status: string; gainingRegistrarId: string; losingRegistrarId: string;
  requestedAt: Date; actionDueAt: Date; actedAt: Date | null; expiresBefore: Date; expiresAfter: Date | null; periodYears: number | null;
}

function view(name: string, t: TransferRow): TransferView {
  return {
    id: t.id, name, status: t.status, gainingRegistrarId: t.gaining_registrar_id, losingRegistrarId: t.losing_registrar_id,
    requestedAt: t.requested_at, actionDueAt: t.action_due_at, actedAt: t.acted_at, expiresBefore: t.expires_before,
    expiresAfter: t.expires_after, periodYears: t.period_years,
  };
}

export interface TransferRequestInput { name: string; authInfo: string; periodYears?: number | null }

export async function requestTransfer(reg: Registry, actor: Actor, input: TransferRequestInput): Promise<TransferView> {
  if (actor.type !== 'registrar') throw new RegistryError('authorization', 'a transfer is requested by the gaining registrar', 'R1.4');
  const years = input.periodYears ? validatePeriod(reg, input.periodYears) : null;
  const ascii = await asciiName(reg, input.name);
  return runOperation(reg, actor, 'domain.transfer.request', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    if (row.registrar_id === actor.registrarId) {
      throw new RegistryError('notEligibleForTransfer', `domain ${row.unicode_name} is already sponsored by you`, 'RFC 5731 §3.2.4');
    }
    if (input.authInfo !== row.auth_info) throw new RegistryError('invalidAuthInfo', 'the authInfo does not match', 'RFC 5731 §3.2.4');
    assertStatusAllows(actor, row.statuses, 'transfer', `domain ${row.unicode_name}`);
    await assertActiveRegistrar(ctx, actor.registrarId);
    // R3.16: the years a transfer adds count like a renewal: never more than the maximum period ahead.
    const limit = addYears(ctx.now, reg.profile.periodYears.max);
    if (years && addYears(row.expires_at, years) > limit) {
      throw new RegistryError('policy', `a transfer period of ${years} years would take the registration beyond ${reg.profile.periodYears.max} years from today (to ${limit.toISOString().slice(0, 10)})`, 'R3.16');
    }
    const before = await domainView(ctx.tx, row);
    const t = await ctx.tx.insertInto('transfers').values({
      domain_id: row.id, gaining_registrar_id: actor.registrarId, losing_registrar_id: row.registrar_id, status: 'pending',
      period_years: years, requested_at: ctx.now, action_due_at: addDays(ctx.now, reg.profile.transferAutoApproveDays),
      expires_before: row.expires_at, expires_after: years ? addYears(row.expires_at, years) : row.expires_at,
    }).returningAll().executeTakeFirstOrThrow();
    const updated = await ctx.tx.updateTable('domains').set({ statuses: [...row.statuses, 'pendingTransfer'].sort(), updated_at: ctx.now, updated_by: ctx.actorId })
      .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const v = view(row.name, t);
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after: await domainView(ctx.tx, updated), topic: 'domain.transfer.requested', payload: { transferId: t.id } });
    // The years a transfer adds are paid by the gaining registrar when it asks; refunded if the transfer does not happen.
    if (years) await chargeOperation(ctx, { registrarId: actor.registrarId, zone: row.zone, operation: 'transfer', years, objectType: 'transfer', objectId: String(t.id), domainName: row.name, domainRoid: row.roid });
    const payload = { name: row.name, ...transferPayload(v) };
    await ctx.poll(row.registrar_id, 'domain.transfer', `Transfer of ${row.unicode_name} requested by ${actor.registrarId}`, payload);
    await ctx.poll(actor.registrarId, 'domain.transfer', `Transfer of ${row.unicode_name} requested`, payload);
    return v;
  });
}

function transferPayload(v: TransferView): Record<string, unknown> {
  return {
    // RFC 5731 §3.2.4: acDate is when a response is due while pending, and when it was concluded after.
    trStatus: v.status, reID: v.gainingRegistrarId, reDate: v.requestedAt.toISOString(), acID: v.losingRegistrarId,
    acDate: (v.status === 'pending' ? v.actionDueAt : v.actedAt ?? v.actionDueAt).toISOString(), exDate: v.expiresAfter?.toISOString() ?? null,
  };
}

async function pendingFor(db: Kysely<Database>, domainId: number, lock: boolean): Promise<TransferRow | undefined> {
  let q = db.selectFrom('transfers').selectAll().where('domain_id', '=', domainId).where('status', '=', 'pending');
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

type Outcome = 'clientApproved' | 'clientRejected' | 'clientCancelled' | 'serverApproved' | 'serverCancelled';

/** Ends a pending transfer; on approval the domain, its subordinate hosts and a fresh authInfo go to the gaining registrar. */
export async function conclude(ctx: OperationContext, domainId: number, t: TransferRow, outcome: Outcome): Promise<TransferView> {
  const row = await ctx.tx.selectFrom('domains').selectAll().where('id', '=', domainId).forUpdate().executeTakeFirstOrThrow();
  const before = await domainView(ctx.tx, row);
  const approved = outcome === 'clientApproved' || outcome === 'serverApproved';
  const statuses = row.statuses.filter((s) => s !== 'pendingTransfer');
  const updated = await ctx.tx.updateTable('domains').set({
    statuses, updated_at: ctx.now, updated_by: ctx.actorId,
    ...(approved ? {
      registrar_id: t.gaining_registrar_id, auth_info: randomSecret(), transferred_at: ctx.now,
      expires_at: t.period_years ? addYears(row.expires_at, t.period_years) : row.expires_at,
    } : {}),
  }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  if (approved) {
    // RFC 5732 §3.2.4: subordinate hosts move with their superordinate domain, each a changed object of its own.
    const subordinate = await ctx.tx.selectFrom('hosts').selectAll().where('superordinate_domain_id', '=', row.id)
      .where('deleted_at', 'is', null).orderBy('name').forUpdate().execute();
    for (const h of subordinate) {
      const hostBefore = await hostView(ctx.tx, h);
      const moved = await ctx.tx.updateTable('hosts').set({ registrar_id: t.gaining_registrar_id, updated_at: ctx.now, updated_by: ctx.actorId })
        .where('id', '=', h.id).returningAll().executeTakeFirstOrThrow();
      await ctx.record({ objectType: 'host', objectId: h.roid, before: hostBefore, after: await hostView(ctx.tx, moved), topic: 'host.transferred',
        payload: { name: h.name, gainingRegistrarId: t.gaining_registrar_id, losingRegistrarId: t.losing_registrar_id } });
    }
    await cancelPendingOwnerChanges(ctx, row.id, row.name);
  }
  const done = await ctx.tx.updateTable('transfers').set({ status: outcome, acted_at: ctx.now, expires_after: updated.expires_at })
    .where('id', '=', t.id).returningAll().executeTakeFirstOrThrow();
  if (!approved) await refund(ctx, { kind: 'charges', objectType: 'transfer', objectId: String(t.id), reason: `transfer ${outcome} (RFC 5731 §3.2.4)` });
  const v = view(row.name, done);
  await ctx.record({ objectType: 'domain', objectId: row.name, before, after: await domainView(ctx.tx, updated), topic: `domain.transfer.${outcome}`,
    payload: { transferId: t.id, gainingRegistrarId: t.gaining_registrar_id, losingRegistrarId: t.losing_registrar_id } });
  const payload = { name: row.name, ...transferPayload(v) };
  const text = `Transfer of ${row.unicode_name}: ${outcome}`;
  await ctx.poll(t.gaining_registrar_id, 'domain.transfer', text, payload);
  await ctx.poll(t.losing_registrar_id, 'domain.transfer', text, payload);
  return v;
}

async function act(reg: Registry, actor: Actor, name: string, action: 'approve' | 'reject' | 'cancel'): Promise<TransferView> {
  const ascii = await asciiName(reg, name);
  return runOperation(reg, actor, `domain.transfer.${action}`, async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    const t = await pendingFor(ctx.tx, row.id, true);
    if (!t) throw new RegistryError('notPendingTransfer', `domain ${row.unicode_name} has no pending transfer`, 'RFC 5731 §3.2.4');
    const operator = isRegistryOperator(actor);
    const who = actor.type === 'registrar' ? actor.registrarId : null;
    if (action === 'cancel' && !operator && who !== t.gaining_registrar_id) {
      throw new RegistryError('authorization', 'only the requesting registrar cancels a transfer', 'RFC 5731 §3.2.4');
    }
    if (action !== 'cancel' && !operator && who !== t.losing_registrar_id) {
      throw new RegistryError('authorization', 'only the sponsoring registrar approves or rejects a transfer', 'RFC 5731 §3.2.4');
    }
    const outcome: Outcome = action === 'approve' ? (operator ? 'serverApproved' : 'clientApproved')
      : action === 'reject' ? (operator ? 'serverCancelled' : 'clientRejected')
      : operator ? 'serverCancelled' : 'clientCancelled';
    return conclude(ctx, row.id, t, outcome);
  });
}

export const approveTransfer = (reg: Registry, actor: Actor, name: string) => act(reg, actor, name, 'approve');
export const rejectTransfer = (reg: Registry, actor: Actor, name: string) => act(reg, actor, name, 'reject');
export const cancelTransfer = (reg: Registry, actor: Actor, name: string) => act(reg, actor, name, 'cancel');

/** RFC 5731 §3.1.3: the sponsor, the requesting registrar, or anyone with the authInfo may ask. */
export async function queryTransfer(reg: Registry, actor: Actor, name: string, authInfo?: string): Promise<TransferView> {
  const row = await loadDomain(reg.db, await asciiName(reg, name));
  const t = await reg.db.selectFrom('transfers').selectAll().where('domain_id', '=', row.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!t) throw new RegistryError('notPendingTransfer', `domain ${row.unicode_name} has no transfer on record`, 'RFC 5731 §3.1.3');
  const who = actor.type === 'registrar' ? actor.registrarId : null;
  const allowed = isRegistryOperator(actor) || who === t.gaining_registrar_id || who === t.losing_registrar_id || who === row.registrar_id
    || (authInfo !== undefined && authInfo === row.auth_info);
  if (!allowed) throw new RegistryError('authorization', 'this transfer concerns other registrars', 'RFC 5731 §3.1.3');
  return view(row.name, t);
}

/** The registry approves transfers the losing registrar left unanswered (run by the worker's timer). */
export async function autoApproveTransfers(reg: Registry, actor: Actor, limit = 500): Promise<TransferView[]> {
  const now = reg.clock.now();
  const due = await reg.db.selectFrom('transfers').innerJoin('domains', 'domains.id', 'transfers.domain_id')
    .select(['transfers.id', 'transfers.domain_id as domainId']).where('transfers.status', '=', 'pending').where('transfers.action_due_at', '<=', now)
    .orderBy('transfers.action_due_at').limit(limit).execute();
  const done: TransferView[] = [];
  for (const d of due) {
    const v = await runOperation(reg, actor, 'domain.transfer.autoApprove', async (ctx) => {
      // Domain row first, then the transfer: the same lock order as the registrars' commands.
      await ctx.tx.selectFrom('domains').select('id').where('id', '=', d.domainId).forUpdate().execute();
      const t = await ctx.tx.selectFrom('transfers').selectAll().where('id', '=', d.id).forUpdate().executeTakeFirstOrThrow();
      // Another node may have concluded it in the meantime: exactly once.
      if (t.status !== 'pending' || t.action_due_at > ctx.now) return null;
      return conclude(ctx, t.domain_id, t, 'serverApproved');
    });
    if (v) done.push(v);
  }
  return done;
}
