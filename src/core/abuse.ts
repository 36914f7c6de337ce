// Abuse and incident reports (the AZ-CERT role: gather reports of interference in the national zone, notify and
// advise, refer to the competent bodies). Intake from anyone (the public form, the API, staff); triage with a
// severity; a notice to the sponsoring registrar (e-mail and EPP poll) and to the owner (e-mail and account inbox);
// a referral record; closing with a resolution. Nothing here takes a name down: a suspension needs a ground of
// R7.4 (src/core/lifecycle/suspensions.ts) and is recorded on the report as its action ground.
import type { AbuseCategory, AbuseStatus } from '../db/schema.ts';
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation, type OperationContext, type Tx } from './operation.ts';
import type { Registry } from './registry.ts';
import { loadDomain } from './domains/view.ts';
import { GROUND_CLAUSE, MANUAL_GROUNDS, startSuspension } from './lifecycle/suspensions.ts';
import type { SuspensionGround } from '../db/schema.ts';
import { validateEmail } from './validate.ts';
import { notify } from '../notify/notify.ts';
import { registrarName } from './lifecycle/notices.ts';

export const ABUSE_CATEGORIES: AbuseCategory[] = ['phishing', 'malware', 'botnet', 'spam', 'fraud', 'illegal_content', 'other'];
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AbuseInput {
  name: string; category: string; description: string; reporterName?: string | null; reporterEmail?: string | null;
  source: 'public' | 'staff' | 'api';
}
export interface AbuseView {
  id: number; name: string; registered: boolean; category: AbuseCategory; description: string; reporterName: string | null; reporterEmail: string | null;
  source: string; status: AbuseStatus; severity: Severity | null; receivedAt: Date; triagedAt: Date | null; notifiedAt: Date | null;
  referral: string | null; referredAt: Date | null; actionGround: string | null; closedAt: Date | null; resolution: string | null;
}

type Row = {
  id: number; domain_name: string; domain_id: number | null; category: AbuseCategory; description: string; reporter_name: string | null; reporter_email: string | null;
  source: 'public' | 'staff' | 'api'; status: AbuseStatus; severity: Severity | null; received_at: Date; triaged_at: Date | null; notified_at: Date | null;
  referral: string | null; referred_at: Date | null; action_ground: string | null; closed_at: Date | null; resolution: string | null;
};
const view = (r: Row): AbuseView => ({
  id: r.id, name: r.domain_name, registered: r.domain_id !== null, category: r.category, description: r.description, reporterName: r.reporter_name,
  reporterEmail: r.reporter_email, source: r.source, status: r.status, severity: r.severity, receivedAt: r.received_at, triagedAt: r.triaged_at,
  notifiedAt: r.notified_at, referral: r.referral, referredAt: r.referred_at, actionGround: r.action_ground, closedAt: r.closed_at, resolution: r.resolution,
});

/** The actor of the public form: anyone, identified by nothing but what they type. */
export const publicReporter: Actor = { type: 'system', name: 'public-report', source: 'web' };

/** Takes in a report. Anyone may report; a report about a name that is not registered is kept too (it may be soon). */
export async function reportAbuse(reg: Registry, actor: Actor, input: AbuseInput): Promise<AbuseView> {
  if (!(ABUSE_CATEGORIES as string[]).includes(input.category)) throw new RegistryError('syntax', `the category is one of ${ABUSE_CATEGORIES.join(', ')}`, 'AZ-CERT');
  const description = input.description.trim();
  if (description.length < 10) throw new RegistryError('required', 'describe what happens (at least 10 characters): where, since when, what you saw', 'AZ-CERT');
  if (description.length > 8000) throw new RegistryError('range', 'the description is longer than 8000 characters', 'AZ-CERT');
  const email = input.reporterEmail?.trim() || null;
  if (email) validateEmail(email, 'AZ-CERT');
  const check = await reg.policy.checkName(input.name, { grandfathered: true });
  if (!check.ascii) throw new RegistryError('syntax', `'${input.name}' is not a domain name under .${reg.profile.tld}`, 'R4.1');
  return runOperation(reg, actor, 'abuse.report', async (ctx) => {
    const d = await ctx.tx.selectFrom('domains').select('id').where('name', '=', check.ascii!).where('deleted_at', 'is', null).executeTakeFirst();
    const row = await ctx.tx.insertInto('abuse_reports').values({
      domain_name: check.ascii!, domain_id: d?.id ?? null, category: input.category as AbuseCategory, description,
      reporter_name: input.reporterName?.trim().slice(0, 200) || null, reporter_email: email, source: input.source, received_at: ctx.now,
    }).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'abuse_report', objectId: String(row.id), before: null, after: view(row), topic: 'abuse.reported', payload: { name: row.domain_name } });
    return view(row);
  });
}

async function load(tx: Tx, id: number): Promise<Row> {
  const r = await tx.selectFrom('abuse_reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!r) throw new RegistryError('notFound', `no abuse report ${id}`, 'AZ-CERT');
  if (r.status === 'closed') throw new RegistryError('statusProhibits', `report ${id} is closed`, 'AZ-CERT');
  return r;
}

async function step(reg: Registry, actor: Actor, id: number, operation: string, topic: string,
  change: (r: Row, tx: Tx, now: Date) => Promise<Partial<Omit<Row, 'id'>>>, after?: (ctx: OperationContext, r: Row) => Promise<void>): Promise<AbuseView> {
  assertOperator(actor, 'handle abuse reports', 'AZ-CERT');
  return runOperation(reg, actor, operation, async (ctx) => {
    const r = await load(ctx.tx, id);
    const set = await change(r, ctx.tx, ctx.now);
    const updated = await ctx.tx.updateTable('abuse_reports').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'abuse_report', objectId: String(id), before: view(r), after: view(updated), topic, payload: { name: r.domain_name } });
    if (after) await after(ctx, updated);
    return view(updated);
  });
}

export async function triageAbuse(reg: Registry, actor: Actor, id: number, severity: string): Promise<AbuseView> {
  if (!(SEVERITIES as readonly string[]).includes(severity)) throw new RegistryError('syntax', 'the severity is low, medium or high', 'AZ-CERT');
  return step(reg, actor, id, 'abuse.triage', 'abuse.triaged', async (r, _tx, now) => ({
    severity: severity as Severity, triaged_at: now, status: r.status === 'new' ? 'triaged' : r.status,
  }));
}

/** Tells the sponsoring registrar (e-mail and poll) and the owner (e-mail and inbox) about the report. */
export async function noticeAbuse(reg: Registry, actor: Actor, id: number): Promise<AbuseView> {
  return step(reg, actor, id, 'abuse.notice', 'abuse.notified', async (r, tx, now) => {
    if (r.domain_id === null) throw new RegistryError('notFound', `${r.domain_name} is not registered: there is no registrar or owner to tell`, 'AZ-CERT');
    const d = await tx.selectFrom('domains').select('deleted_at').where('id', '=', r.domain_id).executeTakeFirstOrThrow();
    if (d.deleted_at) throw new RegistryError('notFound', `${r.domain_name} is no longer registered`, 'AZ-CERT');
    return { notified_at: now, status: r.status === 'new' || r.status === 'triaged' ? 'notified' : r.status };
  }, async (ctx, r) => {
    const d = await ctx.tx.selectFrom('domains').select(['registrar_id', 'registrant_id', 'unicode_name', 'roid']).where('id', '=', r.domain_id!).executeTakeFirstOrThrow();
    const params = { name: d.unicode_name, reportId: String(r.id), category: r.category, registrar: await registrarName(ctx, d.registrar_id), receivedAt: r.received_at };
    await notify(ctx, { template: 'abuse.notice', params, to: [{ registrar: d.registrar_id }, { contact: d.registrant_id }], dedupe: `abuse:${r.id}:${d.roid}` });
  });
}

/** Records the referral of the case to the competent body (law enforcement, a CERT abroad, ...). */
export async function referAbuse(reg: Registry, actor: Actor, id: number, referral: string): Promise<AbuseView> {
  if (!referral.trim()) throw new RegistryError('required', 'name the body the case went to, and its reference', 'AZ-CERT');
  return step(reg, actor, id, 'abuse.refer', 'abuse.referred', async (_r, _tx, now) => ({ referral: referral.trim().slice(0, 2000), referred_at: now, status: 'referred' }));
}

/**
 * Suspends the reported name, which the registry does only on a ground of R7.4 (a court decision, a breach of the
 * Registration Agreement, ...) that the report's handling established, never on the report alone. The suspension
 * (serverHold, notices of R7.5) and the report's record of it are one operation.
 */
export async function suspendForAbuse(reg: Registry, actor: Actor, id: number, ground: string, note: string): Promise<AbuseView> {
  if (!(MANUAL_GROUNDS as string[]).includes(ground)) {
    throw new RegistryError('policy', `no takedown on a report alone: name a ground of R7.4 (${MANUAL_GROUNDS.join(', ')})`, 'R7.4');
  }
  if (!note.trim()) throw new RegistryError('required', 'name the decision or document that establishes the ground', 'R7.4');
  return step(reg, actor, id, 'abuse.suspend', 'abuse.actioned', async (r, tx, now) => {
    if (r.domain_id === null) throw new RegistryError('notFound', `${r.domain_name} is not registered`, 'AZ-CERT');
    return { action_ground: `${GROUND_CLAUSE[ground as SuspensionGround]} ${ground}: ${note.trim()}`.slice(0, 2000), triaged_at: r.triaged_at ?? now };
  }, async (ctx, r) => {
    const row = await loadDomain(ctx.tx, r.domain_name, { lock: true });
    const done = await startSuspension(ctx, row, ground as SuspensionGround, `abuse report ${r.id}: ${note.trim()}`);
    if (!done) throw new RegistryError('statusProhibits', `${row.unicode_name} is already suspended on the ground '${ground}'`, 'R7.4');
  });
}

export async function closeAbuse(reg: Registry, actor: Actor, id: number, resolution: string): Promise<AbuseView> {
  if (!resolution.trim()) throw new RegistryError('required', 'say how the report was resolved', 'AZ-CERT');
  return step(reg, actor, id, 'abuse.close', 'abuse.closed', async (_r, _tx, now) => ({ resolution: resolution.trim().slice(0, 2000), closed_at: now, status: 'closed' }));
}

export async function listAbuse(reg: Registry, opts: { status?: string; limit?: number } = {}): Promise<AbuseView[]> {
  let q = reg.db.selectFrom('abuse_reports').selectAll();
  if (opts.status) q = q.where('status', '=', opts.status as AbuseStatus);
  return (await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(opts.limit ?? 200).execute()).map(view);
}

export async function getAbuse(reg: Registry, id: number): Promise<AbuseView> {
  const r = await reg.db.selectFrom('abuse_reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new RegistryError('notFound', `no abuse report ${id}`, 'AZ-CERT');
  return view(r);
}

