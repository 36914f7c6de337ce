// Suspension of a domain's maintenance (R7.4) and its restoration (R7.6). Each suspension has a ground; while
// any is active the domain carries serverHold and leaves the zone (R2.1.5). The expiry ground of R6.2 also puts
// the name in the RGP redemption period (RFC 3915 §3.1: pendingDelete + redemptionPeriod), where only a restore
// (payment) brings it back. The owner is told at once (R7.5 asks for 1 working day), the sponsor by poll (RFC 8590).
import type { DomainRow, SuspensionGround } from '../../db/schema.ts';
import { assertOperator, type Actor } from '../actor.ts';
import { RegistryError } from '../errors.ts';
import { runOperation, type OperationContext } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { notifySponsorOfChange } from '../domains/update.ts';
import { asciiName, domainView, loadDomain, type DomainView } from '../domains/view.ts';
import { GROUND_CODE, registrarName, tellOwner } from './notices.ts';

export const GROUND_CLAUSE: Record<SuspensionGround, string> = {
  expiry: 'R6.2',
  owner_request: 'R7.4',
  agreement: 'R7.4',
  court: 'R7.4',
  incapacity: 'R7.4',
  accuracy: 'R8.7',
  restriction: 'R7.4',
};

export const GROUND_TEXT: Record<SuspensionGround, string> = {
  expiry: 'the registration was not renewed by its expiry date',
  owner_request: "the owner's request",
  agreement: 'a breach of the Registration Agreement',
  court: 'a court decision',
  incapacity: "the owner's death, incapacity or disappearance",
  accuracy: 'the registration data were found inaccurate and not corrected',
  restriction: "a court restriction of the owner's capacity, or a sentence depriving the owner of liberty",
};

/** Grounds staff may impose by hand; expiry and accuracy are the timers' (R6.2, R8.7). */
export const MANUAL_GROUNDS: SuspensionGround[] = ['owner_request', 'agreement', 'court', 'incapacity', 'restriction'];

const REDEMPTION = ['pendingDelete', 'redemptionPeriod'];

export interface SuspensionView {
  ground: SuspensionGround; clause: string; note: string | null;
  startedAt: Date; startedBy: string; liftedAt: Date | null; liftedBy: string | null; liftReason: string | null;
}

function withStatuses(stored: string[], add: string[], remove: string[]): string[] {
  return [...new Set([...stored.filter((s) => !remove.includes(s)), ...add])].sort();
}

/**
 * Starts a suspension on a locked domain row, in the caller's operation. Returns the updated row, or null when a
 * suspension on this ground is already active (timers on two nodes, or run twice: acts once).
 */
export async function startSuspension(ctx: OperationContext, row: DomainRow, ground: SuspensionGround, note: string | null): Promise<DomainRow | null> {
  const active = await ctx.tx.selectFrom('domain_suspensions').select('id')
    .where('domain_id', '=', row.id).where('ground', '=', ground).where('lifted_at', 'is', null).executeTakeFirst();
  if (active) return null;
  const clause = GROUND_CLAUSE[ground];
  await ctx.tx.insertInto('domain_suspensions').values({
    domain_id: row.id, ground, clause, note, started_at: ctx.now, started_by: ctx.actorId,
  }).execute();
  const before = await domainView(ctx.tx, row);
  const statuses = withStatuses(row.statuses, ground === 'expiry' ? ['serverHold', ...REDEMPTION] : ['serverHold'], []);
  const updated = await ctx.tx.updateTable('domains').set({
    statuses, suspended_at: row.suspended_at ?? ctx.now, updated_at: ctx.now, updated_by: ctx.actorId,
  }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  const after = await domainView(ctx.tx, updated);
  await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.suspended',
    payload: { ground, clause, zone: row.zone, registrarId: row.registrar_id } });
  const reason = `suspended (${clause}): ${GROUND_TEXT[ground]}`;
  await notifySponsorOfChange(ctx, row.registrar_id, 'update', before, after, reason);
  await tellOwner(ctx, updated, 'domain.suspended', {
    name: row.unicode_name, ground: GROUND_CODE[ground], suspendedAt: ctx.now, registrar: await registrarName(ctx, row.registrar_id),
  }, `suspended:${row.roid}:${ground}:${ctx.now.toISOString()}`);
  return updated;
}

/** Lifts the active suspension on one ground (R7.6); serverHold goes when no other ground remains. Null if none. */
export async function liftSuspensionOn(ctx: OperationContext, row: DomainRow, ground: SuspensionGround, reason: string): Promise<DomainRow | null> {
  const lifted = await ctx.tx.updateTable('domain_suspensions')
    .set({ lifted_at: ctx.now, lifted_by: ctx.actorId, lift_reason: reason })
    .where('domain_id', '=', row.id).where('ground', '=', ground).where('lifted_at', 'is', null)
    .returning('id').executeTakeFirst();
  if (!lifted) return null;
  const remaining = await ctx.tx.selectFrom('domain_suspensions').select('ground')
    .where('domain_id', '=', row.id).where('lifted_at', 'is', null).execute();
  const before = await domainView(ctx.tx, row);
  const remove = [...(ground === 'expiry' ? REDEMPTION : []), ...(remaining.length === 0 ? ['serverHold'] : [])];
  const updated = await ctx.tx.updateTable('domains').set({
    statuses: withStatuses(row.statuses, [], remove),
    suspended_at: remaining.length === 0 ? null : row.suspended_at,
    updated_at: ctx.now, updated_by: ctx.actorId,
  }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  const after = await domainView(ctx.tx, updated);
  await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.restored',
    payload: { ground, clause: 'R7.6', reason, zone: row.zone, registrarId: row.registrar_id, stillSuspended: remaining.map((r) => r.ground) } });
  await notifySponsorOfChange(ctx, row.registrar_id, ground === 'expiry' ? 'restore' : 'update', before, after, `restored (R7.6): ${reason}`);
  if (remaining.length === 0) {
    await tellOwner(ctx, updated, 'domain.restored', { name: row.unicode_name, restoredAt: ctx.now, registrar: await registrarName(ctx, row.registrar_id) },
      `restored:${row.roid}:${ground}:${ctx.now.toISOString()}`);
  }
  return updated;
}

export async function activeGrounds(ctx: OperationContext, domainId: number): Promise<SuspensionGround[]> {
  const rows = await ctx.tx.selectFrom('domain_suspensions').select('ground')
    .where('domain_id', '=', domainId).where('lifted_at', 'is', null).orderBy('started_at').execute();
  return rows.map((r) => r.ground);
}

function assertManualGround(ground: string): SuspensionGround {
  if (!(MANUAL_GROUNDS as string[]).includes(ground)) {
    throw new RegistryError('policy', `a suspension by hand needs one of the grounds of R7.4: ${MANUAL_GROUNDS.join(', ')} (expiry and accuracy are applied by the timers of R6.2 and R8.7)`, 'R7.4');
  }
  return ground as SuspensionGround;
}

/** The National Administrator suspends a domain on a ground of R7.4. */
export async function suspendDomain(reg: Registry, actor: Actor, name: string, groundText: string, note?: string): Promise<DomainView> {
  assertOperator(actor, 'suspending a domain', 'R7.4');
  const ground = assertManualGround(groundText);
  const ascii = await asciiName(reg, name);
  return runOperation(reg, actor, 'domain.suspend', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    const updated = await startSuspension(ctx, row, ground, note?.trim() || null);
    if (!updated) throw new RegistryError('statusProhibits', `domain ${row.unicode_name} is already suspended on the ground '${ground}'`, 'R7.4');
    return domainView(ctx.tx, updated);
  });
}

/** The National Administrator restores a domain once the cause of a suspension is gone (R7.6). */
export async function unsuspendDomain(reg: Registry, actor: Actor, name: string, groundText: string, reason: string): Promise<DomainView> {
  assertOperator(actor, 'restoring a suspended domain', 'R7.6');
  const ground = assertManualGround(groundText);
  if (!reason.trim()) throw new RegistryError('required', 'say why the cause of the suspension is gone', 'R7.6');
  const ascii = await asciiName(reg, name);
  return runOperation(reg, actor, 'domain.unsuspend', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    const updated = await liftSuspensionOn(ctx, row, ground, reason.trim());
    if (!updated) throw new RegistryError('statusProhibits', `domain ${row.unicode_name} has no active suspension on the ground '${ground}'`, 'R7.6');
    return domainView(ctx.tx, updated);
  });
}

/** Every suspension of a live domain, newest first. */
export async function domainSuspensions(reg: Registry, name: string): Promise<SuspensionView[]> {
  const row = await loadDomain(reg.db, await asciiName(reg, name));
  const rows = await reg.db.selectFrom('domain_suspensions').selectAll().where('domain_id', '=', row.id).orderBy('started_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    ground: r.ground, clause: r.clause, note: r.note, startedAt: r.started_at, startedBy: r.started_by,
    liftedAt: r.lifted_at, liftedBy: r.lifted_by, liftReason: r.lift_reason,
  }));
}
