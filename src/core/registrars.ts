// Registrars (R9) with their users and roles, EPP passwords and client certificates.
import { isIP } from 'node:net';
import type { UserRole } from '../db/schema.ts';
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import { hashPassword } from './passwords.ts';
import type { Registry } from './registry.ts';
import { validateEmail, validatePhone } from './validate.ts';

export interface RegistrarInput {
  id: string; name: string; email: string; password: string;
  legalForm?: string | null; phone?: string | null; address?: string | null; url?: string | null;
}

export interface RegistrarView {
  id: string; name: string; legalForm: string | null; email: string; phone: string | null; address: string | null; url: string | null;
  status: string; ipAllowlist: string[]; createdAt: Date; updatedAt: Date;
}

// eppcom clIDType: 3..16 characters (RFC 5730 eppcom-1.0.xsd).
const CLID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,15}$/;

export function validatePassword(pw: string, clause: string): void {
  // RFC 5730 pwType: 6..16 characters; loginSec (RFC 9167) allows longer, so we accept up to 128.
  if (pw.length < 8 || pw.length > 128) throw new RegistryError('range', 'a password has 8 to 128 characters', clause);
  if (!/[a-z]/.test(pw) || !/[A-Z]/.test(pw) || !/[0-9]/.test(pw)) {
    throw new RegistryError('policy', 'a password needs a lower-case letter, an upper-case letter and a digit', clause);
  }
}

function view(r: {
  id: string; name: string; legal_form: string | null; email: string; phone: string | null; address: string | null; url: string | null;
  status: string; ip_allowlist: string[]; created_at: Date; updated_at: Date;
}): RegistrarView {
  return {
    id: r.id, name: r.name, legalForm: r.legal_form, email: r.email, phone: r.phone, address: r.address, url: r.url,
    status: r.status, ipAllowlist: r.ip_allowlist, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function createRegistrar(reg: Registry, actor: Actor, input: RegistrarInput): Promise<RegistrarView> {
  assertOperator(actor, 'accredit a registrar', 'R9.4');
  if (!CLID.test(input.id)) throw new RegistryError('syntax', 'a registrar id has 3 to 16 letters, digits, dots, hyphens or underscores', 'RFC 5730 §2.9.1.1');
  if (!input.name.trim()) throw new RegistryError('required', 'the registrar needs a name', 'R9.6');
  validateEmail(input.email, 'R9.6');
  if (input.phone) validatePhone(input.phone, 'R9.6');
  validatePassword(input.password, 'R9.4');
  const passwordHash = await hashPassword(input.password);
  return runOperation(reg, actor, 'registrar.create', async (ctx) => {
    const row = await ctx.tx.insertInto('registrars').values({
      id: input.id, name: input.name.trim(), legal_form: input.legalForm ?? null, email: input.email, phone: input.phone ?? null,
      address: input.address ?? null, url: input.url ?? null, password_hash: passwordHash, created_at: ctx.now, updated_at: ctx.now,
    }).returningAll().executeTakeFirstOrThrow();
    const v = view(row);
    await ctx.record({ objectType: 'registrar', objectId: v.id, before: null, after: v, topic: 'registrar.created' });
    return v;
  });
}

export async function getRegistrar(reg: Registry, id: string): Promise<RegistrarView> {
  const r = await reg.db.selectFrom('registrars').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new RegistryError('notFound', `no registrar ${id}`, 'R9.6');
  return view(r);
}

export async function listRegistrars(reg: Registry): Promise<RegistrarView[]> {
  return (await reg.db.selectFrom('registrars').selectAll().orderBy('id').execute()).map(view);
}

export async function addRegistrarCertificate(reg: Registry, actor: Actor, registrarId: string, fingerprint: string, certificate: string): Promise<void> {
  assertOperator(actor, 'register a registrar certificate', 'R9.3.8');
  await runOperation(reg, actor, 'registrar.certificate.add', async (ctx) => {
    const r = await ctx.tx.selectFrom('registrars').select('id').where('id', '=', registrarId).forUpdate().executeTakeFirst();
    if (!r) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.6');
    await ctx.tx.insertInto('registrar_certificates').values({ registrar_id: registrarId, fingerprint, certificate, created_at: ctx.now }).execute();
    await ctx.record({ objectType: 'registrar', objectId: registrarId, before: null, after: { certificate: fingerprint }, topic: 'registrar.certificate.added', history: false });
  });
}

export interface UserInput { email: string; name: string; role: UserRole; registrarId?: string | null; password: string }
export interface UserView { id: number; email: string; name: string; role: UserRole; registrarId: string | null; active: boolean }

export async function createUser(reg: Registry, actor: Actor, input: UserInput): Promise<UserView> {
  const registrarRole = input.role.startsWith('registrar');
  if (registrarRole !== Boolean(input.registrarId)) {
    throw new RegistryError('policy', 'registrar roles need a registrar and other roles must not have one', 'R9.3.10');
  }
  // Registrar administrators manage their own users; everything else is the National Administrator's.
  const ownAdmin = actor.type === 'registrar' && registrarRole && actor.registrarId === input.registrarId;
  if (!ownAdmin) assertOperator(actor, 'create this user', 'R3.1');
  validateEmail(input.email, 'R3.6');
  validatePassword(input.password, 'R3.6');
  const passwordHash = await hashPassword(input.password);
  return runOperation(reg, actor, 'user.create', async (ctx) => {
    const row = await ctx.tx.insertInto('users').values({
      email: input.email, name: input.name, role: input.role, registrar_id: input.registrarId ?? null,
      password_hash: passwordHash, created_at: ctx.now, updated_at: ctx.now,
    }).returning(['id', 'email', 'name', 'role', 'registrar_id', 'active']).executeTakeFirstOrThrow();
    const v: UserView = { id: row.id, email: row.email, name: row.name, role: row.role, registrarId: row.registrar_id, active: row.active };
    await ctx.record({ objectType: 'user', objectId: String(v.id), before: null, after: v, topic: 'user.created' });
    return v;
  });
}

export interface LoginRecord { id: string; status: string; passwordHash: string; ipAllowlist: string[]; fingerprints: string[] }

/** What EPP login checks: password hash, status, IP allowlist, registered certificate fingerprints. */
export async function loginRecord(reg: Registry, registrarId: string): Promise<LoginRecord | null> {
  const r = await reg.db.selectFrom('registrars').select(['id', 'status', 'password_hash', 'ip_allowlist'])
    .where('id', '=', registrarId).executeTakeFirst();
  if (!r) return null;
  const certs = await reg.db.selectFrom('registrar_certificates').select('fingerprint').where('registrar_id', '=', registrarId).execute();
  return { id: r.id, status: r.status, passwordHash: r.password_hash, ipAllowlist: r.ip_allowlist, fingerprints: certs.map((c) => c.fingerprint) };
}

/** A registrar's new EPP password (<newPW>, RFC 5730 §2.9.1.1). */
export async function changeRegistrarPassword(reg: Registry, actor: Actor, registrarId: string, password: string): Promise<void> {
  if (actor.type !== 'registrar' || actor.registrarId !== registrarId) {
    throw new RegistryError('authorization', 'a registrar changes only its own password', 'R9.3.8');
  }
  validatePassword(password, 'R9.3.8');
  const passwordHash = await hashPassword(password);
  await runOperation(reg, actor, 'registrar.password.change', async (ctx) => {
    await ctx.tx.updateTable('registrars').set({ password_hash: passwordHash, updated_at: ctx.now }).where('id', '=', registrarId).execute();
    await ctx.record({ objectType: 'registrar', objectId: registrarId, before: null, after: { password: 'changed' }, topic: 'registrar.password.changed', history: false });
  });
}

/** The addresses (or CIDR blocks) a registrar's EPP sessions may come from; empty means any (R9.3.8). */
export async function setRegistrarIpAllowlist(reg: Registry, actor: Actor, registrarId: string, entries: string[]): Promise<string[]> {
  const own = actor.type === 'registrar' && actor.registrarId === registrarId;
  if (!own) assertOperator(actor, "set a registrar's IP allowlist", 'R9.3.8');
  const list = [...new Set(entries.map((e) => e.trim()).filter(Boolean))];
  for (const e of list) {
    const [addr, bits, extra] = e.split('/');
    const family = isIP(addr ?? '');
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > max))) {
      throw new RegistryError('syntax', `'${e}' is not an IP address or CIDR block`, 'R9.3.8');
    }
  }
  return runOperation(reg, actor, 'registrar.allowlist.set', async (ctx) => {
    const before = await ctx.tx.selectFrom('registrars').select('ip_allowlist').where('id', '=', registrarId).forUpdate().executeTakeFirst();
    if (!before) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.6');
    await ctx.tx.updateTable('registrars').set({ ip_allowlist: list, updated_at: ctx.now }).where('id', '=', registrarId).execute();
    await ctx.record({ objectType: 'registrar', objectId: registrarId, before: { ipAllowlist: before.ip_allowlist }, after: { ipAllowlist: list },
      topic: 'registrar.allowlist.changed', history: false });
    return list;
  });
}
