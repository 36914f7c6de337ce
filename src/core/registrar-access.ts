// What a registrar manages of its own access (R9.3.8 secure protocols, R9.3.10 the personal cabinet): the
// client certificates its EPP sessions present (RFC 5734 §8: login needs a registered fingerprint) and the users
// of its portal with their roles. A registrar's administrator does this for its own registrar only; the National
// Administrator for any. Staff users of a registrar read, they do not change.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { describeCert, PkiError } from '../pki/index.ts';
import { isRegistryOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import { createUser, type UserView } from './registrars.ts';
import type { Registry } from './registry.ts';

export type RegistrarUserRole = 'registrar_admin' | 'registrar_staff';
export const REGISTRAR_USER_ROLES: RegistrarUserRole[] = ['registrar_admin', 'registrar_staff'];

/** The registrar itself (or the National Administrator) may read; 'authorization' for anyone else. */
export function assertOwnRegistrar(actor: Actor, registrarId: string, what: string): void {
  if (isRegistryOperator(actor) || (actor.type === 'registrar' && actor.registrarId === registrarId)) return;
  throw new RegistryError('authorization', `${what} of registrar ${registrarId} are its own`, 'R9.3.10');
}

/** Changes need the registrar's administrator: a user of role registrar_admin, or the registrar's own API token. */
export async function assertRegistrarAdmin(db: Kysely<Database>, actor: Actor, registrarId: string, what: string): Promise<void> {
  assertOwnRegistrar(actor, registrarId, what);
  if (actor.type !== 'registrar' || !actor.userId) return;
  const u = await db.selectFrom('users').select(['role', 'active']).where('id', '=', actor.userId).executeTakeFirst();
  if (!u || !u.active || u.role !== 'registrar_admin') throw new RegistryError('authorization', `only the registrar's administrator may change ${what}`, 'R9.3.10');
}

// ---- client certificates ----

export interface CertificateView { fingerprint: string; subject: string | null; issuer: string | null; notBefore: Date | null; notAfter: Date | null; createdAt: Date }

function describeStored(fingerprint: string, pem: string, createdAt: Date): CertificateView {
  try {
    const d = describeCert(pem);
    return { fingerprint, subject: d.subject, issuer: d.issuer, notBefore: d.notBefore, notAfter: d.notAfter, createdAt };
  } catch {
    // Registered by the operator as a bare fingerprint: nothing more to show.
    return { fingerprint, subject: null, issuer: null, notBefore: null, notAfter: null, createdAt };
  }
}

export async function listRegistrarCertificates(reg: Registry, actor: Actor, registrarId: string): Promise<CertificateView[]> {
  assertOwnRegistrar(actor, registrarId, 'the certificates');
  const rows = await reg.db.selectFrom('registrar_certificates').selectAll().where('registrar_id', '=', registrarId).orderBy('created_at').execute();
  return rows.map((r) => describeStored(r.fingerprint, r.certificate, r.created_at));
}

/** Registers a client certificate (PEM) for EPP login; its SHA-256 fingerprint is what login compares (RFC 5734 §8). */
export async function addCertificate(reg: Registry, actor: Actor, registrarId: string, pem: string): Promise<CertificateView> {
  let d: ReturnType<typeof describeCert>;
  try {
    d = describeCert(pem);
  } catch (e) {
    if (e instanceof PkiError) throw new RegistryError('syntax', `not a PEM certificate: ${e.message}`, 'RFC 5734 §8');
    throw e;
  }
  return runOperation(reg, actor, 'registrar.certificate.add', async (ctx) => {
    await assertRegistrarAdmin(ctx.tx, actor, registrarId, 'the certificates');
    if (d.notAfter <= ctx.now) throw new RegistryError('policy', `the certificate expired on ${d.notAfter.toISOString().slice(0, 10)}`, 'RFC 5734 §8');
    const r = await ctx.tx.selectFrom('registrars').select('id').where('id', '=', registrarId).forUpdate().executeTakeFirst();
    if (!r) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.6');
    const dup = await ctx.tx.selectFrom('registrar_certificates').select('fingerprint')
      .where('registrar_id', '=', registrarId).where('fingerprint', '=', d.fingerprintSha256).executeTakeFirst();
    if (dup) throw new RegistryError('exists', `the certificate ${d.fingerprintSha256} is already registered`, 'RFC 5734 §8');
    // Only the certificate itself is kept (never a private key someone pasted with it).
    const certificate = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem)![0];
    await ctx.tx.insertInto('registrar_certificates').values({ registrar_id: registrarId, fingerprint: d.fingerprintSha256, certificate, created_at: ctx.now }).execute();
    await ctx.record({ objectType: 'registrar', objectId: registrarId, before: null, after: { certificate: d.fingerprintSha256, subject: d.subject },
      topic: 'registrar.certificate.added', history: false });
    return describeStored(d.fingerprintSha256, certificate, ctx.now);
  });
}

/** Unregisters a certificate: EPP sessions presenting it are refused from the next login. */
export async function removeCertificate(reg: Registry, actor: Actor, registrarId: string, fingerprint: string): Promise<void> {
  await runOperation(reg, actor, 'registrar.certificate.remove', async (ctx) => {
    await assertRegistrarAdmin(ctx.tx, actor, registrarId, 'the certificates');
    const gone = await ctx.tx.deleteFrom('registrar_certificates').where('registrar_id', '=', registrarId)
      .where('fingerprint', '=', fingerprint.trim().toUpperCase()).returning('fingerprint').executeTakeFirst();
    if (!gone) throw new RegistryError('notFound', `no certificate ${fingerprint} is registered for ${registrarId}`, 'RFC 5734 §8');
    await ctx.record({ objectType: 'registrar', objectId: registrarId, before: { certificate: gone.fingerprint }, after: null,
      topic: 'registrar.certificate.removed', history: false });
  });
}

// ---- users and roles ----

export interface RegistrarUserView extends UserView { createdAt: Date }

export async function listRegistrarUsers(reg: Registry, actor: Actor, registrarId: string): Promise<RegistrarUserView[]> {
  assertOwnRegistrar(actor, registrarId, 'the users');
  const rows = await reg.db.selectFrom('users').select(['id', 'email', 'name', 'role', 'registrar_id', 'active', 'created_at'])
    .where('registrar_id', '=', registrarId).orderBy('email').execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role, registrarId: r.registrar_id, active: r.active, createdAt: r.created_at }));
}

export async function addRegistrarUser(reg: Registry, actor: Actor, registrarId: string, input: { email: string; name: string; role: string; password: string }): Promise<UserView> {
  if (!(REGISTRAR_USER_ROLES as string[]).includes(input.role)) throw new RegistryError('policy', `a registrar's user is registrar_admin or registrar_staff, not '${input.role}'`, 'R9.3.10');
  if (!input.name.trim()) throw new RegistryError('required', 'the user needs a name', 'R9.3.10');
  await assertRegistrarAdmin(reg.db, actor, registrarId, 'the users');
  return createUser(reg, actor, { email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role as RegistrarUserRole, registrarId, password: input.password });
}

export interface RegistrarUserChange { role?: string; active?: boolean; name?: string }

/**
 * Changes a user's role, name or whether it may sign in. A deactivated user's sessions end at once. An
 * administrator does not demote or deactivate itself, so a registrar always keeps one who can undo a mistake.
 */
export async function updateRegistrarUser(reg: Registry, actor: Actor, registrarId: string, userId: number, change: RegistrarUserChange): Promise<RegistrarUserView> {
  if (change.role !== undefined && !(REGISTRAR_USER_ROLES as string[]).includes(change.role)) {
    throw new RegistryError('policy', `a registrar's user is registrar_admin or registrar_staff, not '${change.role}'`, 'R9.3.10');
  }
  if (change.name !== undefined && !change.name.trim()) throw new RegistryError('required', 'the user needs a name', 'R9.3.10');
  return runOperation(reg, actor, 'user.update', async (ctx) => {
    await assertRegistrarAdmin(ctx.tx, actor, registrarId, 'the users');
    const u = await ctx.tx.selectFrom('users').select(['id', 'email', 'name', 'role', 'registrar_id', 'active', 'created_at'])
      .where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!u || u.registrar_id !== registrarId) throw new RegistryError('notFound', `registrar ${registrarId} has no user ${userId}`, 'R9.3.10');
    const self = actor.type === 'registrar' && actor.userId === userId;
    if (self && ((change.role !== undefined && change.role !== u.role) || change.active === false)) {
      throw new RegistryError('policy', 'you cannot demote or deactivate yourself; another administrator can', 'R9.3.10');
    }
    const before = { name: u.name, role: u.role, active: u.active };
    const updated = await ctx.tx.updateTable('users').set({
      ...(change.role !== undefined ? { role: change.role as RegistrarUserRole } : {}),
      ...(change.active !== undefined ? { active: change.active } : {}),
      ...(change.name !== undefined ? { name: change.name.trim() } : {}),
      updated_at: ctx.now,
    }).where('id', '=', userId).returning(['id', 'email', 'name', 'role', 'registrar_id', 'active', 'created_at']).executeTakeFirstOrThrow();
    if (change.active === false || (change.role !== undefined && change.role !== u.role)) {
      // A changed role takes effect at the next sign-in; a deactivated user is signed out now.
      await ctx.tx.deleteFrom('web_sessions').where('user_id', '=', userId).execute();
    }
    const after = { name: updated.name, role: updated.role, active: updated.active };
    await ctx.record({ objectType: 'user', objectId: String(userId), before, after, topic: 'user.updated' });
    return { id: updated.id, email: updated.email, name: updated.name, role: updated.role, registrarId: updated.registrar_id, active: updated.active, createdAt: updated.created_at };
  });
}
