// Accuracy of registration data (R8.5-R8.7): when the National Administrator finds a contact's data inaccurate,
// the owner is told and has 3 working days to correct them; then the domains they own are suspended (R7.4),
// and restored once the data were corrected (R7.6: within 24 hours; the worker runs every few minutes).
import type { Actor } from '../actor.ts';
import { assertOperator } from '../actor.ts';
import { contactView, type ContactView } from '../contacts.ts';
import { RegistryError } from '../errors.ts';
import { runOperation } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { actOnEach, claimDomain } from './claims.ts';
import { registrarName, tellContact } from './notices.ts';
import { liftSuspensionOn, startSuspension } from './suspensions.ts';

async function loadContact(reg: Registry, handle: string) {
  const row = await reg.db.selectFrom('contacts').select('id').where('handle', '=', handle).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `contact ${handle} does not exist`, 'RFC 5733 §3.1.2');
  return row.id;
}

/** R8.7: the NA records that a contact's data are inaccurate; the owner must correct them within 3 working days. */
export async function flagInaccurate(reg: Registry, actor: Actor, handle: string, note: string): Promise<ContactView & { accuracyDueAt: Date }> {
  assertOperator(actor, 'find registration data inaccurate', 'R8.7');
  if (!note.trim()) throw new RegistryError('required', 'say what is inaccurate: the owner is told (R8.7)', 'R8.7');
  const id = await loadContact(reg, handle);
  const calendar = await reg.policy.calendar();
  return runOperation(reg, actor, 'contact.flagInaccurate', async (ctx) => {
    const row = await ctx.tx.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (row.verification === 'inaccurate') {
      throw new RegistryError('statusProhibits', `contact ${handle} is already marked inaccurate, to be corrected by ${row.accuracy_due_at?.toISOString()}`, 'R8.7');
    }
    const due = calendar.deadline(ctx.now, reg.profile.lifecycle.accuracyWorkingDays);
    const updated = await ctx.tx.updateTable('contacts').set({
      verification: 'inaccurate', accuracy_due_at: due, accuracy_note: note.trim(), updated_at: ctx.now, updated_by: ctx.actorId,
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const after = contactView(updated);
    await ctx.record({ objectType: 'contact', objectId: row.handle, before: contactView(row), after, topic: 'contact.inaccurate',
      payload: { clause: 'R8.7', dueAt: due.toISOString(), registrarId: row.registrar_id } });
    await ctx.poll(row.registrar_id, 'contact.inaccurate',
      `The data of contact ${row.handle} were found inaccurate (${note.trim()}); unless corrected by ${due.toISOString()} the domains it owns are suspended (R8.7)`,
      { handle: row.handle, dueAt: due.toISOString(), note: note.trim() });
    // One notice naming every domain the contact owns (or the contact itself when it owns none yet).
    const owned = await ctx.tx.selectFrom('domains').select('unicode_name').where('registrant_id', '=', id).where('deleted_at', 'is', null).orderBy('unicode_name').execute();
    await tellContact(ctx, id, 'accuracy.notice', {
      name: owned.length ? owned.map((d) => d.unicode_name).join(', ') : row.handle, registrar: await registrarName(ctx, row.registrar_id),
      issue: note.trim(), deadline: due,
    }, `accuracy:${row.roid}:${ctx.now.toISOString()}`);
    return { ...after, accuracyDueAt: due };
  });
}

/** The NA confirms a contact's data (R8.7): the accuracy procedure ends. */
export async function markVerified(reg: Registry, actor: Actor, handle: string): Promise<ContactView> {
  assertOperator(actor, 'confirm registration data', 'R8.7');
  const id = await loadContact(reg, handle);
  return runOperation(reg, actor, 'contact.verify', async (ctx) => {
    const row = await ctx.tx.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    const updated = await ctx.tx.updateTable('contacts').set({
      verification: 'verified', accuracy_due_at: null, accuracy_note: null, updated_at: ctx.now, updated_by: ctx.actorId,
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const after = contactView(updated);
    await ctx.record({ objectType: 'contact', objectId: row.handle, before: contactView(row), after, topic: 'contact.verified', payload: { clause: 'R8.7' } });
    return after;
  });
}

/** Timer (R8.7): domains owned by a contact whose correction period has run out are suspended. */
export async function suspendInaccurate(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const now = reg.clock.now();
  const due = await reg.db.selectFrom('domains').innerJoin('contacts', 'contacts.id', 'domains.registrant_id')
    .select(['domains.id', 'contacts.accuracy_note']).where('domains.deleted_at', 'is', null)
    .where('contacts.verification', '=', 'inaccurate').where('contacts.accuracy_due_at', '<=', now)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('domain_suspensions').select('id')
      .whereRef('domain_id', '=', 'domains.id').where('ground', '=', 'accuracy').where('lifted_at', 'is', null))))
    .orderBy('domains.id').limit(limit).execute();
  return actOnEach(reg, actor, 'domain.suspend', due, async (ctx, d) => {
    const row = await claimDomain(ctx, d.id);
    if (!row) return false;
    const owner = await ctx.tx.selectFrom('contacts').select(['verification', 'accuracy_due_at']).where('id', '=', row.registrant_id).executeTakeFirstOrThrow();
    if (owner.verification !== 'inaccurate' || !owner.accuracy_due_at || owner.accuracy_due_at > ctx.now) return false;
    return (await startSuspension(ctx, row, 'accuracy', d.accuracy_note)) !== null;
  });
}

/** Timer (R7.6): accuracy suspensions whose owner's data were corrected (or whose owner changed) are lifted. */
export async function liftCorrected(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const due = await reg.db.selectFrom('domain_suspensions').innerJoin('domains', 'domains.id', 'domain_suspensions.domain_id')
    .innerJoin('contacts', 'contacts.id', 'domains.registrant_id')
    .select('domains.id').where('domain_suspensions.ground', '=', 'accuracy').where('domain_suspensions.lifted_at', 'is', null)
    .where('domains.deleted_at', 'is', null).where('contacts.verification', '<>', 'inaccurate')
    .orderBy('domains.id').limit(limit).execute();
  return actOnEach(reg, actor, 'domain.unsuspend', due, async (ctx, d) => {
    const row = await claimDomain(ctx, d.id);
    if (!row) return false;
    const owner = await ctx.tx.selectFrom('contacts').select('verification').where('id', '=', row.registrant_id).executeTakeFirstOrThrow();
    if (owner.verification === 'inaccurate') return false;
    return (await liftSuspensionOn(ctx, row, 'accuracy', 'the registration data were corrected')) !== null;
  });
}
