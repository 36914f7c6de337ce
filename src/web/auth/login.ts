// Sign-in by e-mail and password (argon2id, src/core/passwords.ts) with throttling and lockout: an account
// (by the e-mail as typed, existing or not: a lock tells nothing about which addresses exist) is locked while
// ACCOUNT_FAILURES failures since its last success fall within WINDOW_MS; a client address while IP_FAILURES do.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { hashPassword, verifyPassword } from '../../core/passwords.ts';
import type { Registry } from '../../core/registry.ts';
import type { PortalRole } from './principal.ts';

export const WINDOW_MS = 15 * 60_000;
export const ACCOUNT_FAILURES = 5;
export const IP_FAILURES = 20;

export type SignInResult<R extends string = PortalRole> =
  | { ok: true; userId: number; role: R; registrarId: string | null }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked' | 'throttled'; retryAfterSeconds: number };

/** Verified against when the account does not exist, so that a wrong e-mail costs the same time as a wrong password. */
let dummyHash: Promise<string> | null = null;

async function recentFailures(db: Kysely<Database>, column: 'email' | 'ip', value: string, since: Date): Promise<Date[]> {
  let q = db.selectFrom('login_attempts').select('at').where(column, '=', value).where('at', '>', since).where('success', '=', false);
  if (column === 'email') {
    // Failures before the last success do not count against the account.
    q = q.where('at', '>', sql<Date>`coalesce((select max(at) from login_attempts s where s.email = ${value} and s.success), '-infinity'::timestamptz)`);
  }
  return (await q.orderBy('at', 'desc').execute()).map((r) => r.at);
}

/** `audience`: the staff and registrar sign-in (/login) or the registrants' (/account/login); each refuses the other's accounts. */
export async function signIn(reg: Registry, emailRaw: string, password: string, ip: string): Promise<SignInResult>;
export async function signIn(reg: Registry, emailRaw: string, password: string, ip: string, audience: 'registrant'): Promise<SignInResult<'registrant'>>;
export async function signIn(reg: Registry, emailRaw: string, password: string, ip: string, audience: 'portal' | 'registrant' = 'portal'): Promise<SignInResult<string>> {
  const email = emailRaw.trim().toLowerCase().slice(0, 254);
  // Attempts on one e-mail, and from one address, are serialized (email lock first, then address, so two
  // sign-ins cannot wait on each other): parallel guesses cannot all read the count before any is recorded.
  return reg.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`login-email:${email}`}))`.execute(tx);
    await sql`select pg_advisory_xact_lock(hashtext(${`login-ip:${ip}`}))`.execute(tx);
    return attempt(reg, tx, email, password, ip, audience);
  });
}

async function attempt(reg: Registry, db: Kysely<Database>, email: string, password: string, ip: string, audience: 'portal' | 'registrant'): Promise<SignInResult<string>> {
  const now = reg.clock.now();
  const since = new Date(now.getTime() - WINDOW_MS);

  const byIp = await recentFailures(db, 'ip', ip, since);
  if (byIp.length >= IP_FAILURES) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil((byIp[IP_FAILURES - 1]!.getTime() + WINDOW_MS - now.getTime()) / 1000) };
  }
  // Attempts refused by a lock are not recorded, so a lock ends WINDOW_MS after the failure that set it.
  const byAccount = await recentFailures(db, 'email', email, since);
  if (byAccount.length >= ACCOUNT_FAILURES) {
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((byAccount[ACCOUNT_FAILURES - 1]!.getTime() + WINDOW_MS - now.getTime()) / 1000) };
  }

  const user = email ? await db.selectFrom('users').select(['id', 'password_hash', 'active', 'role', 'registrar_id'])
    .where(sql<string>`lower(email)`, '=', email).executeTakeFirst() : undefined;
  dummyHash ??= hashPassword('not a password of anyone');
  const good = await verifyPassword(user?.password_hash ?? await dummyHash, password.slice(0, 1024));
  // Registrants sign in at /account/login (with TOTP when enrolled), everyone else at /login.
  const ok = Boolean(user && good && user.active && (user.role === 'registrant') === (audience === 'registrant'));
  await db.insertInto('login_attempts').values({ email, ip, at: now, success: ok }).execute();
  // Attempts older than a day count for nothing (the window is 15 minutes); they are kept no longer.
  await db.deleteFrom('login_attempts').where('at', '<', new Date(now.getTime() - 86_400_000)).execute();
  if (!ok || !user) {
    if (byAccount.length + 1 >= ACCOUNT_FAILURES) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(WINDOW_MS / 1000) };
    return { ok: false, reason: 'invalid' };
  }
  return { ok: true, userId: Number(user.id), role: user.role, registrarId: user.registrar_id };
}
