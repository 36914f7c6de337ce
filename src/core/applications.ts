// Applications that need review (R3.12): a queue in order of receipt, decided by the National
// Administrator with a reason code of R5.1.x on refusal. Competing applications for one name (R4.12):
// the first applicant has preference (the earliest pending one is decided first); the one approved wins
// and the others are refused with ground R5.1.1. Each decision reaches the registrar as a poll message
// carrying the pending-action data of RFC 5731 §3.3 (panData).
import type { Kysely } from 'kysely';
import type { ApplicationRequest, ApplicationRow, Database } from '../db/schema.ts';
import { assertSponsor, isRegistryOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation, type OperationContext } from './operation.ts';
import type { Registry } from './registry.ts';
import { assertAvailable, insertDomain, refuse } from './domains/create.ts';
import { resolveContacts, resolveHosts } from './domains/checks.ts';
import { asciiName, type DomainView } from './domains/view.ts';
import { refund } from '../billing/refunds.ts';
import { azn } from '../billing/money.ts';
import { registrarName, tellOwner } from './lifecycle/notices.ts';

export const REFUSAL_GROUNDS: Record<string, string> = {
  'R5.1.1': 'the domain name is already registered',
  'R5.1.2': 'the application contains inaccurate data',
  'R5.1.3': 'the name does not meet the requirements of section 4',
  'R5.1.4': 'the name is allocated',
  'R5.1.5': 'the name is on the Stop-list',
  'R5.1.6': 'the registration fee was not paid',
  'R5.1.7': 'no consent of the state body or organisation (R4.8)',
  'R5.1.8': 'a geographic name or a name of a person without consent (R4.2)',
  'R5.1.9': 'contrary to R4.4',
};

export interface ApplicationView {
  id: number; name: string; unicodeName: string; zone: string; registrarId: string; registrant: string; periodYears: number;
  request: ApplicationRequest; reasons: unknown; status: string;
  receivedAt: Date; dueAt: Date; decidedAt: Date | null; decidedBy: string | null; refusalGround: string | null; decisionNote: string | null;
  domain: string | null;
  /** The automatic identity check of the registrant (R3.20), for the reviewer. */
  registrantIdentity: { verification: string; result: string | null; checkedAt: Date | null };
}

export async function applicationView(db: Kysely<Database>, row: ApplicationRow): Promise<ApplicationView> {
  const registrant = await db.selectFrom('contacts').select(['handle', 'verification', 'verification_result', 'verification_checked_at'])
    .where('id', '=', row.registrant_id).executeTakeFirstOrThrow();
  return {
    id: row.id, name: row.name, unicodeName: row.unicode_name, zone: row.zone, registrarId: row.registrar_id, registrant: registrant.handle,
    periodYears: row.period_years, request: row.request, reasons: row.reasons, status: row.status,
    receivedAt: row.received_at, dueAt: row.due_at, decidedAt: row.decided_at, decidedBy: row.decided_by,
    refusalGround: row.refusal_ground, decisionNote: row.decision_note, domain: row.domain_id ? row.name : null,
    registrantIdentity: { verification: registrant.verification, result: registrant.verification_result, checkedAt: registrant.verification_checked_at },
  };
}

/** The review queue, oldest first (R3.12). */
export async function reviewQueue(reg: Registry, actor: Actor, opts: { registrarId?: string; limit?: number } = {}): Promise<ApplicationView[]> {
  let q = reg.db.selectFrom('applications').selectAll().where('status', '=', 'pending');
  if (actor.type === 'registrar') q = q.where('registrar_id', '=', actor.registrarId);
  else if (!isRegistryOperator(actor) && !(actor.type === 'staff' && actor.role === 'ministry')) {
    throw new RegistryError('authorization', 'the review queue is for the National Administrator', 'R3.12');
  } else if (opts.registrarId) q = q.where('registrar_id', '=', opts.registrarId);
  const rows = await q.orderBy('received_at').orderBy('id').limit(opts.limit ?? 100).execute();
  return Promise.all(rows.map((r) => applicationView(reg.db, r)));
}

/**
 * The pending application for a name (A-label or U-label), if any: the registrar's own when it has one,
 * else the earliest (R4.12, order of receipt). A read: no transaction.
 */
export async function pendingApplicationByName(reg: Registry, name: string, opts: { registrarId?: string } = {}): Promise<ApplicationView | null> {
  const ascii = await asciiName(reg, name);
  const rows = await reg.db.selectFrom('applications').selectAll().where('name', '=', ascii).where('status', '=', 'pending')
    .orderBy('received_at').orderBy('id').execute();
  const row = rows.find((r) => r.registrar_id === opts.registrarId) ?? rows[0];
  return row ? applicationView(reg.db, row) : null;
}

export async function getApplication(reg: Registry, actor: Actor, id: number): Promise<ApplicationView> {
  const row = await reg.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `no application ${id}`, 'R3.12');
  assertReviewerOrSponsor(actor, row.registrar_id);
  return applicationView(reg.db, row);
}

/** Refuses an actor who may not read application `id` (neither a reviewer nor its sponsor), as getApplication does. */
export async function assertMayReadApplication(reg: Registry, actor: Actor, id: number): Promise<void> {
  const row = await reg.db.selectFrom('applications').select('registrar_id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `no application ${id}`, 'R3.12');
  assertReviewerOrSponsor(actor, row.registrar_id);
}

function assertReviewer(actor: Actor): void {
  const ministry = actor.type === 'staff' && actor.role === 'ministry';
  if (!isRegistryOperator(actor) && !ministry) {
    throw new RegistryError('authorization', 'applications are decided by the National Administrator', 'R3.12');
  }
}

function assertReviewerOrSponsor(actor: Actor, registrarId: string): void {
  if (actor.type === 'registrar') assertSponsor(actor, registrarId, 'this application');
  else assertReviewer(actor);
}

async function lockPending(ctx: OperationContext, id: number): Promise<ApplicationRow> {
  const row = await ctx.tx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `no application ${id}`, 'R3.12');
  if (row.status !== 'pending') throw new RegistryError('statusProhibits', `application ${id} is already ${row.status}`, 'R3.12');
  return row;
}

async function notifyDecision(ctx: OperationContext, row: ApplicationRow, approved: boolean, ground: string | null, note: string | null): Promise<void> {
  const message = approved
    ? `Application ${row.id} for ${row.unicode_name} approved: registered`
    : `Application ${row.id} for ${row.unicode_name} refused (${ground}: ${REFUSAL_GROUNDS[ground ?? ''] ?? ''})`;
  await ctx.poll(row.registrar_id, 'domain.pan', message, {
    name: row.name, paResult: approved, clientTrid: row.request.clientTrid ?? null, serverTrid: row.request.serverTrid ?? null, paDate: ctx.now.toISOString(),
    applicationId: row.id, refusalGround: ground, note,
  });
}

async function decide(ctx: OperationContext, row: ApplicationRow, patch: { status: 'approved' | 'refused' | 'withdrawn'; ground?: string | null; note?: string | null; domainId?: number | null }, topic: string): Promise<ApplicationView> {
  const before = await applicationView(ctx.tx, row);
  const updated = await ctx.tx.updateTable('applications').set({
    status: patch.status, decided_at: ctx.now, decided_by: ctx.actorId, refusal_ground: patch.ground ?? null,
    decision_note: patch.note ?? null, domain_id: patch.domainId ?? null,
  }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  const after = await applicationView(ctx.tx, updated);
  await ctx.record({ objectType: 'application', objectId: String(row.id), before, after, topic, payload: { name: row.name, registrarId: row.registrar_id, ground: patch.ground ?? null } });
  // R5.2: a refused application's fee is returned in full; so is a withdrawn one's, as nothing was registered.
  const refunds = patch.status === 'approved' ? []
    : await refund(ctx, { kind: 'charges', objectType: 'application', objectId: String(row.id), reason: patch.status === 'refused' ? `R5.2: refused (${patch.ground ?? 'no ground'})` : 'application withdrawn' });
  // R3.12: the decision goes to the applicant's e-mail and account (R3.14: approval makes the agreement effective).
  if (patch.status !== 'withdrawn') {
    const registrar = await registrarName(ctx, row.registrar_id);
    const dedupe = `application-${patch.status}:${row.id}`;
    if (patch.status === 'approved') {
      const d = await ctx.tx.selectFrom('domains').select('expires_at').where('id', '=', patch.domainId ?? -1).executeTakeFirst();
      await tellOwner(ctx, row, 'application.approved', { name: row.unicode_name, applicationId: row.id, registrar, expiryDate: (d?.expires_at ?? ctx.now).toISOString().slice(0, 10) }, dedupe);
    } else {
      const amount = refunds.reduce((n, r) => n + r.amount, 0);
      await tellOwner(ctx, row, 'application.refused', {
        name: row.unicode_name, applicationId: row.id, registrar, ground: patch.ground ?? 'R5.1.9', note: patch.note ?? '', refund: amount ? azn(amount) : '',
      }, dedupe);
    }
  }
  return after;
}

export async function approveApplication(reg: Registry, actor: Actor, id: number, note?: string): Promise<{ application: ApplicationView; domain: DomainView }> {
  assertReviewer(actor);
  return runOperation(reg, actor, 'application.approve', async (ctx) => {
    const row = await lockPending(ctx, id);
    // R4.12 (with R3.12, order of receipt): the first applicant has preference, so a later application for the
    // same name is decided only after the earlier ones; approving it would refuse them without a review.
    const earlier = await ctx.tx.selectFrom('applications').select('id').where('name', '=', row.name).where('status', '=', 'pending')
      .where((eb) => eb.or([eb('received_at', '<', row.received_at), eb.and([eb('received_at', '=', row.received_at), eb('id', '<', row.id)])]))
      .orderBy('received_at').orderBy('id').executeTakeFirst();
    if (earlier) {
      throw new RegistryError('policy', `application ${earlier.id} for ${row.unicode_name} was received earlier and has preference: decide it first`, 'R4.12');
    }
    // The lists may have changed since receipt: a name now on the Stop-list cannot be approved.
    const check = await reg.policy.checkName(row.name, {}, ctx.tx);
    if (check.verdict === 'refused') refuse(check);
    const req = row.request;
    const registrant = await ctx.tx.selectFrom('contacts').select('handle').where('id', '=', row.registrant_id).executeTakeFirstOrThrow();
    const { registrantId, contacts } = await resolveContacts(ctx, row.registrar_id, registrant.handle, req.contacts);
    const hostIds = await resolveHosts(ctx, req.hosts);
    await assertAvailable(ctx, check, registrantId);
    const domain = await insertDomain(ctx, {
      check, registrarId: row.registrar_id, registrantId, periodYears: row.period_years, authInfo: req.authInfo,
      contacts, hostIds, ds: req.ds, grandfathered: false, applicationId: row.id,
    });
    const domainRow = await ctx.tx.selectFrom('domains').select('id').where('name', '=', domain.name).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    const application = await decide(ctx, row, { status: 'approved', note: note ?? null, domainId: domainRow.id }, 'application.approved');
    await notifyDecision(ctx, row, true, null, note ?? null);
    // R4.12: the competing applications lose with ground R5.1.1: for the same name, and for its IDN variants
    // asked by another registrant (one bundle, one registrant).
    const competing = await ctx.tx.selectFrom('applications').selectAll().where('bundle_key', '=', row.bundle_key).where('status', '=', 'pending')
      .where('id', '!=', row.id).where((eb) => eb.or([eb('name', '=', row.name), eb('registrant_id', '!=', registrantId)])).forUpdate().execute();
    for (const other of competing) {
      await decide(ctx, other, { status: 'refused', ground: 'R5.1.1', note: `registered on application ${row.id}` }, 'application.refused');
      await notifyDecision(ctx, other, false, 'R5.1.1', `registered on application ${row.id}`);
    }
    return { application, domain };
  });
}

export async function refuseApplication(reg: Registry, actor: Actor, id: number, ground: string, note?: string): Promise<ApplicationView> {
  assertReviewer(actor);
  if (!REFUSAL_GROUNDS[ground]) throw new RegistryError('syntax', `'${ground}' is not a refusal ground (R5.1.1 to R5.1.9)`, 'R5.1');
  return runOperation(reg, actor, 'application.refuse', async (ctx) => {
    const row = await lockPending(ctx, id);
    const view = await decide(ctx, row, { status: 'refused', ground, note: note ?? null }, 'application.refused');
    await notifyDecision(ctx, row, false, ground, note ?? null);
    return view;
  });
}

export async function withdrawApplication(reg: Registry, actor: Actor, id: number): Promise<ApplicationView> {
  return runOperation(reg, actor, 'application.withdraw', async (ctx) => {
    const row = await lockPending(ctx, id);
    assertSponsor(actor, row.registrar_id, `application ${id}`);
    return decide(ctx, row, { status: 'withdrawn' }, 'application.withdrawn');
  });
}
