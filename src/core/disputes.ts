// Disputes over names (R4.6, R4.7): the owner of a well-known trademark (or another complainant) may require
// suspension or return of a name. While a dispute is open the domain is locked by the server statuses of RFC 5731
// §2.3 (no transfer, update or delete); the National Administrator decides by dismissing it (the locks the
// dispute added go) or by transferring the name to the complainant (new owner, a new authInfo, the complainant's
// registrar as sponsor, then the locks go). Each step is one operation with history, audit, outbox and a poll
// message to the sponsor (RFC 8590).
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { randomSecret } from './passwords.ts';
import { runOperation, type OperationContext } from './operation.ts';
import type { Registry } from './registry.ts';
import { notifySponsorOfChange } from './domains/update.ts';
import { conclude } from './transfers.ts';
import { asciiName, domainView, loadDomain } from './domains/view.ts';

export const DISPUTE_LOCKS = ['serverDeleteProhibited', 'serverTransferProhibited', 'serverUpdateProhibited'];

export interface DisputeInput { name: string; complainant: string; claim: string; reference?: string | null }
export interface DisputeView {
  id: number; name: string; complainant: string; claim: string; reference: string | null; status: 'open' | 'dismissed' | 'transferred';
  locks: string[]; openedAt: Date; openedBy: string; decidedAt: Date | null; decidedBy: string | null; decisionNote: string | null;
}

type Row = { id: number; domain_name: string; complainant: string; claim: string; reference: string | null; status: DisputeView['status'];
  locks: string[]; opened_at: Date; opened_by: string; decided_at: Date | null; decided_by: string | null; decision_note: string | null };

const view = (r: Row): DisputeView => ({
  id: r.id, name: r.domain_name, complainant: r.complainant, claim: r.claim, reference: r.reference, status: r.status, locks: r.locks,
  openedAt: r.opened_at, openedBy: r.opened_by, decidedAt: r.decided_at, decidedBy: r.decided_by, decisionNote: r.decision_note,
});

export async function openDispute(reg: Registry, actor: Actor, input: DisputeInput): Promise<DisputeView> {
  assertOperator(actor, 'open a dispute', 'R4.6');
  const claim = input.claim.trim();
  if (!claim) throw new RegistryError('required', 'state the claim (the trademark or right, and what is asked)', 'R4.6');
  if (claim.length > 4000) throw new RegistryError('range', 'the claim is longer than 4000 characters', 'R4.6');
  const ascii = await asciiName(reg, input.name);
  return runOperation(reg, actor, 'dispute.open', async (ctx) => {
    let row = await loadDomain(ctx.tx, ascii, { lock: true });
    // A transfer already pending would complete (or be auto-approved) under the lock: the registry cancels it.
    const pending = await ctx.tx.selectFrom('transfers').selectAll().where('domain_id', '=', row.id).where('status', '=', 'pending').execute();
    for (const t of pending) await conclude(ctx, row.id, t, 'serverCancelled');
    if (pending.length) row = await loadDomain(ctx.tx, ascii, { lock: true });
    const complainant = await ctx.tx.selectFrom('contacts').select(['id', 'handle']).where('handle', '=', input.complainant.trim())
      .where('deleted_at', 'is', null).executeTakeFirst();
    if (!complainant) throw new RegistryError('notFound', `no contact ${input.complainant.trim()} (the complainant must be a registry contact)`, 'R4.6');
    if (complainant.id === row.registrant_id) throw new RegistryError('policy', 'the complainant is already the owner of this name', 'R4.6');
    const open = await ctx.tx.selectFrom('disputes').select('id').where('domain_id', '=', row.id).where('status', '=', 'open').executeTakeFirst();
    if (open) throw new RegistryError('exists', `dispute ${open.id} over ${row.unicode_name} is already open`, 'R4.6');
    const before = await domainView(ctx.tx, row);
    const added = DISPUTE_LOCKS.filter((s) => !row.statuses.includes(s));
    const updated = await ctx.tx.updateTable('domains').set({ statuses: [...row.statuses, ...added].sort(), updated_at: ctx.now, updated_by: ctx.actorId })
      .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const d = await ctx.tx.insertInto('disputes').values({
      domain_id: row.id, domain_name: row.name, complainant: complainant.handle, claim, reference: input.reference?.trim() || null,
      locks: added, opened_at: ctx.now, opened_by: ctx.actorId,
    }).returningAll().executeTakeFirstOrThrow();
    const after = await domainView(ctx.tx, updated);
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.locked', payload: { disputeId: d.id, clause: 'R4.6' } });
    await ctx.record({ objectType: 'dispute', objectId: String(d.id), before: null, after: view(d), topic: 'dispute.opened', payload: { name: row.name } });
    await notifySponsorOfChange(ctx, row.registrar_id, 'update', before, after, `dispute ${d.id} opened (R4.6): the name is locked until it is decided`);
    return view(d);
  });
}

async function loadOpen(ctx: OperationContext, id: number) {
  const d = await ctx.tx.selectFrom('disputes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!d) throw new RegistryError('notFound', `no dispute ${id}`, 'R4.6');
  if (d.status !== 'open') throw new RegistryError('statusProhibits', `dispute ${id} is already ${d.status}`, 'R4.6');
  const row = await ctx.tx.selectFrom('domains').selectAll().where('id', '=', d.domain_id).forUpdate().executeTakeFirstOrThrow();
  return { d, row };
}

/** Dismisses the complaint: the locks the dispute added are removed; the name stays with its owner. */
export async function dismissDispute(reg: Registry, actor: Actor, id: number, note: string): Promise<DisputeView> {
  assertOperator(actor, 'decide a dispute', 'R4.6');
  if (!note.trim()) throw new RegistryError('required', 'give the reason of the decision', 'R4.6');
  return runOperation(reg, actor, 'dispute.dismiss', async (ctx) => {
    const { d, row } = await loadOpen(ctx, id);
    const before = await domainView(ctx.tx, row);
    const updated = await ctx.tx.updateTable('domains').set({ statuses: row.statuses.filter((s) => !d.locks.includes(s)), updated_at: ctx.now, updated_by: ctx.actorId })
      .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const after = await domainView(ctx.tx, updated);
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.unlocked', payload: { disputeId: d.id, clause: 'R4.6' } });
    const decided = await ctx.tx.updateTable('disputes').set({ status: 'dismissed', decided_at: ctx.now, decided_by: ctx.actorId, decision_note: note.trim() })
      .where('id', '=', d.id).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'dispute', objectId: String(d.id), before: view(d), after: view(decided), topic: 'dispute.dismissed', payload: { name: row.name } });
    await notifySponsorOfChange(ctx, row.registrar_id, 'update', before, after, `dispute ${d.id} dismissed (R4.6): the name is unlocked`);
    return view(decided);
  });
}

/**
 * Returns the name to the complainant (R4.6): the complainant's contact becomes the owner of the name and of its
 * IDN variants held by the same owner (one bundle, R4.12); the sponsor becomes the registrar that keeps the
 * complainant's contact (R1.4); a new authInfo is set so the former owner cannot move it; then the locks go.
 */
export async function transferToComplainant(reg: Registry, actor: Actor, id: number, note: string): Promise<DisputeView> {
  assertOperator(actor, 'decide a dispute', 'R4.6');
  if (!note.trim()) throw new RegistryError('required', 'give the reason of the decision', 'R4.6');
  return runOperation(reg, actor, 'dispute.transfer', async (ctx) => {
    const { d, row } = await loadOpen(ctx, id);
    const to = await ctx.tx.selectFrom('contacts').select(['id', 'handle', 'registrar_id']).where('handle', '=', d.complainant).where('deleted_at', 'is', null).executeTakeFirst();
    if (!to) throw new RegistryError('notFound', `the complainant's contact ${d.complainant} no longer exists`, 'R4.6');
    const sponsor = await ctx.tx.selectFrom('registrars').select(['id', 'status']).where('id', '=', to.registrar_id).executeTakeFirstOrThrow();
    if (sponsor.status !== 'active') throw new RegistryError('statusProhibits', `the complainant's registrar ${sponsor.id} is ${sponsor.status}`, 'R9.8');
    const variants = await ctx.tx.selectFrom('domains').selectAll().where('bundle_key', '=', row.bundle_key).where('deleted_at', 'is', null)
      .where('id', '!=', row.id).where('registrant_id', '=', row.registrant_id).orderBy('name').forUpdate().execute();
    for (const v of [row, ...variants]) {
      const before = await domainView(ctx.tx, v);
      const statuses = v.id === row.id ? v.statuses.filter((s) => !d.locks.includes(s)) : v.statuses;
      const moved = v.registrar_id !== sponsor.id;
      const updated = await ctx.tx.updateTable('domains').set({
        registrant_id: to.id, registrar_id: sponsor.id, auth_info: randomSecret(), statuses, updated_at: ctx.now, updated_by: ctx.actorId,
        ...(moved ? { transferred_at: ctx.now } : {}),
      }).where('id', '=', v.id).returningAll().executeTakeFirstOrThrow();
      const after = await domainView(ctx.tx, updated);
      await ctx.record({ objectType: 'domain', objectId: v.name, before, after, topic: 'domain.ownerChanged',
        payload: { disputeId: d.id, clause: 'R4.6', gainingRegistrarId: sponsor.id, losingRegistrarId: v.registrar_id } });
      const reason = `dispute ${d.id} decided (R4.6): the name goes to ${to.handle}`;
      await notifySponsorOfChange(ctx, v.registrar_id, moved ? 'transfer' : 'update', before, after, reason);
      if (moved) await notifySponsorOfChange(ctx, sponsor.id, 'transfer', before, after, reason);
    }
    const decided = await ctx.tx.updateTable('disputes').set({ status: 'transferred', decided_at: ctx.now, decided_by: ctx.actorId, decision_note: note.trim() })
      .where('id', '=', d.id).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'dispute', objectId: String(d.id), before: view(d), after: view(decided), topic: 'dispute.transferred', payload: { name: row.name } });
    return view(decided);
  });
}

export async function listDisputes(reg: Registry, opts: { status?: string; limit?: number } = {}): Promise<DisputeView[]> {
  let q = reg.db.selectFrom('disputes').selectAll();
  if (opts.status) q = q.where('status', '=', opts.status as DisputeView['status']);
  return (await q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(opts.limit ?? 200).execute()).map(view);
}
