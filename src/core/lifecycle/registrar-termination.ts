// R9.8: a registrar that no longer meets the requirements is terminated, and all its domains move to another
// registrar that consents (a bulk transfer). One transaction: either every object moved, or nothing did. Its
// contacts and hosts move with the domains; pending transfers it is party to end (serverCancelled); its EPP
// login and API tokens stop working. The successor gets an RFC 8590 poll message per domain, and each owner
// is told who their registrar is now.
import { assertOperator, type Actor } from '../actor.ts';
import { RegistryError } from '../errors.ts';
import { runOperation } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { conclude } from '../transfers.ts';
import { notifySponsorOfChange } from '../domains/update.ts';
import { domainView } from '../domains/view.ts';
import { tellOwner } from './notices.ts';

export interface TerminationInput {
  registrarId: string;
  successorId: string;
  /** The successor's written consent (document reference), R9.8. */
  consent: string;
  reason: string;
}

export interface TerminationResult { registrarId: string; successorId: string; domains: number; contacts: number; hosts: number; transfersCancelled: number }

export async function terminateRegistrar(reg: Registry, actor: Actor, input: TerminationInput): Promise<TerminationResult> {
  assertOperator(actor, 'terminate a registrar', 'R9.8');
  if (!input.consent.trim()) throw new RegistryError('required', "the receiving registrar's consent (a document reference) is required", 'R9.8');
  if (!input.reason.trim()) throw new RegistryError('required', 'the reason for the termination is required', 'R9.8');
  if (input.registrarId === input.successorId) throw new RegistryError('policy', 'a registrar cannot take over its own domains', 'R9.8');
  return runOperation(reg, actor, 'registrar.terminate', async (ctx) => {
    // Both registrar rows first, in a fixed order, so two terminations cannot deadlock.
    const rows = await ctx.tx.selectFrom('registrars').selectAll().where('id', 'in', [input.registrarId, input.successorId])
      .orderBy('id').forUpdate().execute();
    const old = rows.find((r) => r.id === input.registrarId);
    const successor = rows.find((r) => r.id === input.successorId);
    if (!old) throw new RegistryError('notFound', `registrar ${input.registrarId} does not exist`, 'R9.8');
    if (!successor) throw new RegistryError('notFound', `registrar ${input.successorId} does not exist`, 'R9.8');
    if (old.status === 'terminated') throw new RegistryError('statusProhibits', `registrar ${old.id} is already terminated`, 'R9.8');
    if (successor.status !== 'active') throw new RegistryError('statusProhibits', `registrar ${successor.id} is ${successor.status} and cannot receive domains`, 'R9.8');

    // Pending transfers either way end: the objects move by this decision instead.
    const pending = await ctx.tx.selectFrom('transfers').selectAll().where('status', '=', 'pending')
      .where((eb) => eb.or([eb('gaining_registrar_id', '=', old.id), eb('losing_registrar_id', '=', old.id)]))
      .orderBy('domain_id').execute();
    for (const t of pending) {
      await ctx.tx.selectFrom('domains').select('id').where('id', '=', t.domain_id).forUpdate().execute();
      await conclude(ctx, t.domain_id, t, 'serverCancelled');
    }

    const domains = await ctx.tx.selectFrom('domains').selectAll().where('registrar_id', '=', old.id).where('deleted_at', 'is', null)
      .orderBy('id').forUpdate().execute();
    const befores = new Map<number, Awaited<ReturnType<typeof domainView>>>();
    for (const d of domains) befores.set(d.id, await domainView(ctx.tx, d));

    const contacts = await ctx.tx.updateTable('contacts').set({ registrar_id: successor.id, updated_at: ctx.now, updated_by: ctx.actorId })
      .where('registrar_id', '=', old.id).where('deleted_at', 'is', null).returning(['handle']).execute();
    for (const c of contacts) {
      await ctx.record({ objectType: 'contact', objectId: c.handle, before: { registrarId: old.id }, after: { registrarId: successor.id },
        topic: 'contact.transferred', history: false, payload: { gainingRegistrarId: successor.id, losingRegistrarId: old.id, clause: 'R9.8' } });
    }
    const hosts = await ctx.tx.updateTable('hosts').set({ registrar_id: successor.id, updated_at: ctx.now, updated_by: ctx.actorId })
      .where('registrar_id', '=', old.id).where('deleted_at', 'is', null).returning(['roid', 'name']).execute();
    for (const h of hosts) {
      await ctx.record({ objectType: 'host', objectId: h.roid, before: { registrarId: old.id }, after: { registrarId: successor.id },
        topic: 'host.transferred', history: false, payload: { name: h.name, gainingRegistrarId: successor.id, losingRegistrarId: old.id } });
    }
    for (const d of domains) {
      const moved = await ctx.tx.updateTable('domains').set({ registrar_id: successor.id, transferred_at: ctx.now, updated_at: ctx.now, updated_by: ctx.actorId })
        .where('id', '=', d.id).returningAll().executeTakeFirstOrThrow();
      const before = befores.get(d.id)!;
      const after = await domainView(ctx.tx, moved);
      await ctx.record({ objectType: 'domain', objectId: d.name, before, after, topic: 'domain.transfer.serverApproved',
        payload: { gainingRegistrarId: successor.id, losingRegistrarId: old.id, bulk: true, clause: 'R9.8' } });
      await notifySponsorOfChange(ctx, successor.id, 'transfer', before, after, `bulk transfer from ${old.id} (R9.8)`);
      await tellOwner(ctx, moved, 'registrar.terminated', { name: d.unicode_name, registrar: old.name, newRegistrar: successor.name, date: ctx.now },
        `registrar-terminated:${old.id}:${d.roid}`);
    }

    await ctx.tx.updateTable('api_tokens').set({ revoked_at: ctx.now }).where('registrar_id', '=', old.id).where('revoked_at', 'is', null).execute();
    await ctx.tx.updateTable('users').set({ active: false, updated_at: ctx.now }).where('registrar_id', '=', old.id).execute();
    await ctx.tx.updateTable('registrars').set({ status: 'terminated', terminated_at: ctx.now, successor_id: successor.id, updated_at: ctx.now })
      .where('id', '=', old.id).execute();
    await ctx.record({ objectType: 'registrar', objectId: old.id, before: { status: old.status }, after: { status: 'terminated', successorId: successor.id },
      topic: 'registrar.terminated', payload: { clause: 'R9.8', successorId: successor.id, consent: input.consent.trim(), reason: input.reason.trim(), domains: domains.length } });
    await ctx.poll(successor.id, 'registrar.bulkTransfer',
      `${domains.length} domains, ${contacts.length} contacts and ${hosts.length} hosts of ${old.name} were transferred to you (R9.8)`,
      { from: old.id, domains: domains.length, contacts: contacts.length, hosts: hosts.length });
    return { registrarId: old.id, successorId: successor.id, domains: domains.length, contacts: contacts.length, hosts: hosts.length, transfersCancelled: pending.length };
  });
}
