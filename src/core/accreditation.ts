// Registrar accreditation (R9.1-R9.4) and the National Administrator's measures against a registrar (R9.8).
// An application is received, checked against the requirements of R9.3.1-R9.3.13 within 20 working days (R9.2,
// counted on the registry's working calendar), and decided: accredited (the registrar exists, active, with EPP
// credentials shown once) or refused with a ground. A registrar may be suspended (EPP login and new registrations
// refused: src/epp/flows/session/login.ts, src/core/domains/checks.ts) and reinstated; termination with bulk
// transfer is src/core/lifecycle/registrar-termination.ts.
import { sql } from 'kysely';
import type { ChecklistItem, ChecklistState } from '../db/schema.ts';
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation, type Tx } from './operation.ts';
import { hashPassword, randomSecret } from './passwords.ts';
import type { Registry } from './registry.ts';
import { validateEmail, validatePhone } from './validate.ts';

/** R9.3.1-R9.3.13: what the technical check verifies, each shown by documents or an inspection. */
export const REQUIREMENTS: Record<string, string> = {
  'R9.3.1': 'certified equipment',
  'R9.3.2': 'licensed software',
  'R9.3.3': 'two independent IP address blocks',
  'R9.3.4': 'redundant power supply',
  'R9.3.5': 'regular backups',
  'R9.3.6': 'protection of information and records of incidents',
  'R9.3.7': 'full records of its domains and their prompt transfer to the registry',
  'R9.3.8': 'secure protocols',
  'R9.3.9': 'transaction logs',
  'R9.3.10': "a user interface and the registrant's personal cabinet",
  'R9.3.11': 'integration with e-signature',
  'R9.3.12': 'compliance with the rules',
  'R9.3.13': 'operation 24 hours a day',
};
export const CHECK_WORKING_DAYS = 20;
const STATES: ChecklistState[] = ['pending', 'met', 'not_met'];
const CLID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,15}$/;

export interface AccreditationInput {
  registrarId: string; name: string; email: string; legalForm?: string | null; phone?: string | null; address?: string | null; url?: string | null;
}
export interface AccreditationView {
  id: number; registrarId: string; name: string; legalForm: string | null; email: string; phone: string | null; address: string | null; url: string | null;
  checklist: ChecklistItem[]; status: 'pending' | 'accredited' | 'refused'; receivedAt: Date; dueAt: Date;
  decidedAt: Date | null; decidedBy: string | null; decisionNote: string | null;
}
export interface Accredited {
  application: AccreditationView; registrarId: string; eppPassword: string;
  /** The registrar's first portal user (registrar_admin, the application's e-mail), unless that e-mail already has an account. */
  portalUser: { id: number; email: string; password: string } | null;
}

type Row = {
  id: number; registrar_id: string; name: string; legal_form: string | null; email: string; phone: string | null; address: string | null; url: string | null;
  checklist: ChecklistItem[]; status: AccreditationView['status']; received_at: Date; due_at: Date; decided_at: Date | null; decided_by: string | null; decision_note: string | null;
};
const view = (r: Row): AccreditationView => ({
  id: r.id, registrarId: r.registrar_id, name: r.name, legalForm: r.legal_form, email: r.email, phone: r.phone, address: r.address, url: r.url,
  checklist: r.checklist, status: r.status, receivedAt: r.received_at, dueAt: r.due_at, decidedAt: r.decided_at, decidedBy: r.decided_by, decisionNote: r.decision_note,
});

/** The National Administrator records an application for accreditation it received (R9.1); the R9.2 clock starts. */
export async function fileAccreditation(reg: Registry, actor: Actor, input: AccreditationInput): Promise<AccreditationView> {
  assertOperator(actor, 'record an application for accreditation', 'R9.1');
  const id = input.registrarId.trim();
  if (!CLID.test(id)) throw new RegistryError('syntax', 'a registrar id has 3 to 16 letters, digits, dots, hyphens or underscores', 'RFC 5730 §2.9.1.1');
  if (!input.name.trim()) throw new RegistryError('required', 'the applicant needs a name', 'R9.6');
  validateEmail(input.email.trim(), 'R9.6');
  if (input.phone?.trim()) validatePhone(input.phone.trim(), 'R9.6');
  return runOperation(reg, actor, 'accreditation.file', async (ctx) => {
    const taken = await ctx.tx.selectFrom('registrars').select('id').where('id', '=', id).executeTakeFirst();
    if (taken) throw new RegistryError('exists', `a registrar ${id} already exists`, 'R9.1');
    const pending = await ctx.tx.selectFrom('accreditation_applications').select('id').where('registrar_id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw new RegistryError('exists', `application ${pending.id} for ${id} is already being checked`, 'R9.2');
    const calendar = await reg.policy.calendar(ctx.tx);
    const checklist: ChecklistItem[] = Object.keys(REQUIREMENTS).map((item) => ({ item, state: 'pending', note: null }));
    const row = await ctx.tx.insertInto('accreditation_applications').values({
      registrar_id: id, name: input.name.trim(), legal_form: input.legalForm?.trim() || null, email: input.email.trim(),
      phone: input.phone?.trim() || null, address: input.address?.trim() || null, url: input.url?.trim() || null,
      checklist: JSON.stringify(checklist), received_at: ctx.now, due_at: calendar.deadline(ctx.now, CHECK_WORKING_DAYS),
    }).returningAll().executeTakeFirstOrThrow();
    const v = view(row);
    await ctx.record({ objectType: 'accreditation', objectId: String(v.id), before: null, after: v, topic: 'accreditation.received', payload: { registrarId: id } });
    return v;
  });
}

async function loadPending(tx: Tx, id: number): Promise<Row> {
  const r = await tx.selectFrom('accreditation_applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!r) throw new RegistryError('notFound', `no application for accreditation ${id}`, 'R9.1');
  if (r.status !== 'pending') throw new RegistryError('statusProhibits', `application ${id} is already ${r.status}`, 'R9.2');
  return r;
}

/** Records the result of checking one requirement of R9.3, with the document or inspection that shows it. */
export async function setChecklistItem(reg: Registry, actor: Actor, id: number, item: string, state: string, note?: string | null): Promise<AccreditationView> {
  assertOperator(actor, 'check an application for accreditation', 'R9.3');
  if (!(item in REQUIREMENTS)) throw new RegistryError('syntax', `'${item}' is not a requirement of R9.3 (R9.3.1 to R9.3.13)`, 'R9.3');
  if (!(STATES as string[]).includes(state)) throw new RegistryError('syntax', `a requirement is pending, met or not_met, not '${state}'`, 'R9.3');
  return runOperation(reg, actor, 'accreditation.check', async (ctx) => {
    const r = await loadPending(ctx.tx, id);
    const checklist = r.checklist.map((c) => (c.item === item ? { item, state: state as ChecklistState, note: note?.trim() || null } : c));
    const updated = await ctx.tx.updateTable('accreditation_applications').set({ checklist: JSON.stringify(checklist) })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'accreditation', objectId: String(id), before: view(r), after: view(updated), topic: 'accreditation.checked', payload: { item, state } });
    return view(updated);
  });
}

/**
 * Accredits (R9.4): every requirement must be met. The registrar is created active, with a generated EPP password
 * and a first portal user (registrar_admin) with a generated password, both returned once (only argon2id hashes
 * are kept); the registrar's administrator then manages its users and EPP access in the portal.
 */
export async function accredit(reg: Registry, actor: Actor, id: number, note?: string | null): Promise<Accredited> {
  assertOperator(actor, 'accredit a registrar', 'R9.4');
  const eppPassword = `Aa1-${randomSecret(20)}`;
  const portalPassword = `Aa1-${randomSecret(20)}`;
  const [passwordHash, portalHash] = await Promise.all([hashPassword(eppPassword), hashPassword(portalPassword)]);
  return runOperation(reg, actor, 'accreditation.accredit', async (ctx) => {
    const r = await loadPending(ctx.tx, id);
    const open = r.checklist.filter((c) => c.state !== 'met').map((c) => c.item);
    if (open.length) throw new RegistryError('policy', `not every requirement of R9.3 is met: ${open.join(', ')}`, 'R9.3');
    const registrar = await ctx.tx.insertInto('registrars').values({
      id: r.registrar_id, name: r.name, legal_form: r.legal_form, email: r.email, phone: r.phone, address: r.address, url: r.url,
      password_hash: passwordHash, created_at: ctx.now, updated_at: ctx.now,
    }).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'registrar', objectId: registrar.id, before: null, topic: 'registrar.created',
      after: { id: registrar.id, name: registrar.name, legalForm: registrar.legal_form, email: registrar.email, status: registrar.status, accreditation: id } });
    let portalUser: Accredited['portalUser'] = null;
    const taken = await ctx.tx.selectFrom('users').select('id').where(sql<boolean>`lower(email) = ${r.email.toLowerCase()}`).executeTakeFirst();
    if (!taken) {
      const u = await ctx.tx.insertInto('users').values({
        email: r.email, name: r.name, role: 'registrar_admin', registrar_id: registrar.id, password_hash: portalHash, created_at: ctx.now, updated_at: ctx.now,
      }).returning(['id', 'email', 'name', 'role', 'registrar_id', 'active']).executeTakeFirstOrThrow();
      await ctx.record({ objectType: 'user', objectId: String(u.id), before: null, topic: 'user.created',
        after: { id: u.id, email: u.email, name: u.name, role: u.role, registrarId: u.registrar_id, active: u.active } });
      portalUser = { id: u.id, email: u.email, password: portalPassword };
    }
    const updated = await ctx.tx.updateTable('accreditation_applications').set({ status: 'accredited', decided_at: ctx.now, decided_by: ctx.actorId, decision_note: note?.trim() || null })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'accreditation', objectId: String(id), before: view(r), after: view(updated), topic: 'accreditation.accredited', payload: { registrarId: r.registrar_id } });
    return { application: view(updated), registrarId: registrar.id, eppPassword, portalUser };
  });
}

/** Refuses accreditation; the ground (the requirement not met, or another reason) is required. */
export async function refuseAccreditation(reg: Registry, actor: Actor, id: number, ground: string): Promise<AccreditationView> {
  assertOperator(actor, 'refuse accreditation', 'R9.2');
  if (!ground.trim()) throw new RegistryError('required', 'give the ground of the refusal', 'R9.2');
  return runOperation(reg, actor, 'accreditation.refuse', async (ctx) => {
    const r = await loadPending(ctx.tx, id);
    const updated = await ctx.tx.updateTable('accreditation_applications').set({ status: 'refused', decided_at: ctx.now, decided_by: ctx.actorId, decision_note: ground.trim() })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'accreditation', objectId: String(id), before: view(r), after: view(updated), topic: 'accreditation.refused', payload: { registrarId: r.registrar_id } });
    return view(updated);
  });
}

export async function listAccreditations(reg: Registry, opts: { status?: string } = {}): Promise<AccreditationView[]> {
  let q = reg.db.selectFrom('accreditation_applications').selectAll();
  if (opts.status) q = q.where('status', '=', opts.status as AccreditationView['status']);
  return (await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(500).execute()).map(view);
}

export async function getAccreditation(reg: Registry, id: number): Promise<AccreditationView> {
  const r = await reg.db.selectFrom('accreditation_applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new RegistryError('notFound', `no application for accreditation ${id}`, 'R9.1');
  return view(r);
}

/**
 * Suspends a registrar that fails the requirements (R9.8) while it puts things right, or reinstates it. A suspended
 * registrar cannot log in by EPP nor register names (src/core/domains/checks.ts); its domains stay as they are.
 */
export async function setRegistrarStatus(reg: Registry, actor: Actor, registrarId: string, status: 'active' | 'suspended', reason: string): Promise<{ id: string; status: string }> {
  assertOperator(actor, status === 'suspended' ? 'suspend a registrar' : 'reinstate a registrar', 'R9.8');
  if (!reason.trim()) throw new RegistryError('required', 'give the reason', 'R9.8');
  return runOperation(reg, actor, status === 'suspended' ? 'registrar.suspend' : 'registrar.reinstate', async (ctx) => {
    const r = await ctx.tx.selectFrom('registrars').select(['id', 'status']).where('id', '=', registrarId).forUpdate().executeTakeFirst();
    if (!r) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.8');
    if (r.status === 'terminated') throw new RegistryError('statusProhibits', `registrar ${registrarId} is terminated`, 'R9.8');
    if (r.status === status) throw new RegistryError('statusProhibits', `registrar ${registrarId} is already ${status}`, 'R9.8');
    await ctx.tx.updateTable('registrars').set({ status, updated_at: ctx.now }).where('id', '=', registrarId).execute();
    await ctx.record({ objectType: 'registrar', objectId: registrarId, before: { status: r.status }, after: { status, reason: reason.trim() },
      topic: status === 'suspended' ? 'registrar.suspended' : 'registrar.reinstated', payload: { clause: 'R9.8' } });
    await ctx.poll(registrarId, 'registrar.status', `The National Administrator ${status === 'suspended' ? 'suspended' : 'reinstated'} the registrar (R9.8): ${reason.trim()}`, { status, reason: reason.trim() });
    return { id: registrarId, status };
  });
}

export interface RegistrarSummary { id: string; name: string; status: string; email: string; domains: number }

/** Every registrar with its number of live domains, for the console's list. */
export async function registrarSummaries(reg: Registry): Promise<RegistrarSummary[]> {
  const rows = await sql<{ id: string; name: string; status: string; email: string; n: number }>`
    select r.id, r.name, r.status, r.email, count(d.id)::int as n from registrars r
    left join domains d on d.registrar_id = r.id and d.deleted_at is null group by r.id order by r.id`.execute(reg.db);
  return rows.rows.map((r) => ({ id: r.id, name: r.name, status: r.status, email: r.email, domains: r.n }));
}
