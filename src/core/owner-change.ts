// Change of owner (R10.1): only on the owner's written request, and only when the new owner accepts a new
// Registration Agreement. The sponsoring registrar files the request; the new owner (through their
// account) or the National Administrator (recording a signed paper agreement) completes it.
import { assertSponsor, isRegistryOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation, type OperationContext } from './operation.ts';
import type { Registry } from './registry.ts';
import { resolveContacts } from './domains/checks.ts';
import { assertStatusAllows } from './domains/statuses.ts';
import { asciiName, domainView, loadDomain, type DomainView } from './domains/view.ts';

export interface OwnerChangeView {
  id: number; name: string; fromRegistrant: string; toRegistrant: string; status: string; requestedAt: Date; requestedBy: string;
  requestDocument: string; agreementVersion: string | null; acceptedAt: Date | null; acceptedBy: string | null;
}

export interface OwnerChangeRequest { name: string; newRegistrant: string; requestDocument: string }

export async function requestOwnerChange(reg: Registry, actor: Actor, input: OwnerChangeRequest): Promise<OwnerChangeView> {
  if (!input.requestDocument.trim()) throw new RegistryError('required', "the owner's written request is required", 'R10.1');
  const ascii = await asciiName(reg, input.name);
  return runOperation(reg, actor, 'domain.ownerChange.request', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    assertSponsor(actor, row.registrar_id, `domain ${row.unicode_name}`);
    assertStatusAllows(actor, row.statuses, 'update', `domain ${row.unicode_name}`);
    const { registrantId } = await resolveContacts(ctx, row.registrar_id, input.newRegistrant, []);
    if (registrantId === row.registrant_id) throw new RegistryError('policy', `${input.newRegistrant} already owns ${row.unicode_name}`, 'R10.1');
    const oc = await ctx.tx.insertInto('owner_changes').values({
      domain_id: row.id, from_registrant_id: row.registrant_id, to_registrant_id: registrantId, requested_by: ctx.actorId,
      requested_at: ctx.now, request_document: input.requestDocument.trim(),
    }).returningAll().executeTakeFirstOrThrow();
    const v = await ownerChangeView(reg, oc.id, ctx.tx);
    await ctx.record({ objectType: 'owner_change', objectId: String(oc.id), before: null, after: v, topic: 'domain.ownerChange.requested', payload: { name: row.name } });
    return v;
  });
}

export interface OwnerChangeAcceptance { id: number; agreementVersion: string }

export async function acceptOwnerChange(reg: Registry, actor: Actor, input: OwnerChangeAcceptance): Promise<DomainView> {
  if (!input.agreementVersion.trim()) throw new RegistryError('required', 'name the Registration Agreement version accepted', 'R10.1');
  return runOperation(reg, actor, 'domain.ownerChange.accept', async (ctx) => {
    const oc = await ctx.tx.selectFrom('owner_changes').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!oc) throw new RegistryError('notFound', `no change of owner ${input.id}`, 'R10.1');
    if (oc.status !== 'pending') throw new RegistryError('statusProhibits', `change of owner ${input.id} is ${oc.status}`, 'R10.1');
    const newOwner = await ctx.tx.selectFrom('contacts').select(['account_id', 'handle']).where('id', '=', oc.to_registrant_id).executeTakeFirstOrThrow();
    const isNewOwner = actor.type === 'registrant' && newOwner.account_id === actor.userId;
    if (!isNewOwner && !isRegistryOperator(actor)) {
      throw new RegistryError('authorization', 'only the new owner accepts the new Registration Agreement', 'R10.1');
    }
    const row = await ctx.tx.selectFrom('domains').selectAll().where('id', '=', oc.domain_id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!row) throw new RegistryError('notFound', 'the domain is no longer registered', 'R10.1');
    // The change is an update of the domain: a pending transfer or an update lock (e.g. a dispute, R4.6) holds it.
    assertStatusAllows(actor, row.statuses, 'update', `domain ${row.unicode_name}`);
    // IDN variants are one bundle held by one registrant (R4.12): the variants the old owner holds move with it.
    const variants = await ctx.tx.selectFrom('domains').selectAll().where('bundle_key', '=', row.bundle_key).where('deleted_at', 'is', null)
      .where('id', '!=', row.id).where('registrant_id', '=', oc.from_registrant_id).orderBy('name').forUpdate().execute();
    for (const v of variants) assertStatusAllows(actor, v.statuses, 'update', `variant ${v.unicode_name}`);
    const ocBefore = await ownerChangeView(reg, oc.id, ctx.tx);
    let after: DomainView | null = null;
    for (const d of [row, ...variants]) {
      const before = await domainView(ctx.tx, d);
      const updated = await ctx.tx.updateTable('domains').set({ registrant_id: oc.to_registrant_id, updated_at: ctx.now, updated_by: ctx.actorId })
        .where('id', '=', d.id).returningAll().executeTakeFirstOrThrow();
      const view = await domainView(ctx.tx, updated);
      after ??= view;
      await ctx.record({ objectType: 'domain', objectId: d.name, before, after: view, topic: 'domain.ownerChanged',
        payload: { ownerChangeId: oc.id, agreementVersion: input.agreementVersion.trim() } });
    }
    await ctx.tx.updateTable('owner_changes').set({ status: 'completed', agreement_version: input.agreementVersion.trim(), accepted_at: ctx.now, accepted_by: ctx.actorId })
      .where('id', '=', oc.id).execute();
    await ctx.record({ objectType: 'owner_change', objectId: String(oc.id), before: ocBefore, after: await ownerChangeView(reg, oc.id, ctx.tx),
      topic: 'domain.ownerChange.completed', payload: { name: row.name } });
    await ctx.poll(row.registrar_id, 'domain.ownerChange', `Change of owner of ${row.unicode_name} to ${newOwner.handle} completed`, { name: row.name, ownerChangeId: oc.id });
    return after!;
  });
}

export async function ownerChangeView(reg: Registry, id: number, db = reg.db): Promise<OwnerChangeView> {
  const oc = await db.selectFrom('owner_changes').innerJoin('domains', 'domains.id', 'owner_changes.domain_id')
    .innerJoin('contacts as f', 'f.id', 'owner_changes.from_registrant_id').innerJoin('contacts as t', 't.id', 'owner_changes.to_registrant_id')
    .select(['owner_changes.id', 'domains.name', 'f.handle as fromHandle', 't.handle as toHandle', 'owner_changes.status', 'owner_changes.requested_at',
      'owner_changes.requested_by', 'owner_changes.request_document', 'owner_changes.agreement_version', 'owner_changes.accepted_at', 'owner_changes.accepted_by'])
    .where('owner_changes.id', '=', id).executeTakeFirstOrThrow();
  return {
    id: oc.id, name: oc.name, fromRegistrant: oc.fromHandle, toRegistrant: oc.toHandle, status: oc.status, requestedAt: oc.requested_at,
    requestedBy: oc.requested_by, requestDocument: oc.request_document, agreementVersion: oc.agreement_version, acceptedAt: oc.accepted_at, acceptedBy: oc.accepted_by,
  };
}

/** A pending change of owner ends when its domain is deleted or changes registrar (the request was filed with the old sponsor). */
export async function cancelPendingOwnerChanges(ctx: OperationContext, domainId: number, name: string): Promise<void> {
  const pending = await ctx.tx.selectFrom('owner_changes').select('id').where('domain_id', '=', domainId).where('status', '=', 'pending').forUpdate().execute();
  for (const oc of pending) {
    const before = await ownerChangeView(ctx.registry, oc.id, ctx.tx);
    await ctx.tx.updateTable('owner_changes').set({ status: 'cancelled' }).where('id', '=', oc.id).execute();
    await ctx.record({ objectType: 'owner_change', objectId: String(oc.id), before, after: await ownerChangeView(ctx.registry, oc.id, ctx.tx),
      topic: 'domain.ownerChange.cancelled', payload: { name } });
  }
}
