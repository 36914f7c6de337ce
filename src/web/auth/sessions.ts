// Server-side sessions of the portals. The cookie holds 32 random bytes; the database keeps only their SHA-256,
// with the user, the CSRF token (synchronizer pattern) and the idle and absolute expiry.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Registry } from '../../core/registry.ts';
import type { Kysely } from 'kysely';
import type { Database, UserRole } from '../../db/schema.ts';

export const SESSION_COOKIE = 'domen_session';
/** Idle expiry: a session unused this long ends (OWASP ASVS 3.3.2 asks for a bound). */
export const IDLE_MS = 30 * 60_000;
/** Absolute expiry: a session ends this long after sign-in, however busy. */
export const ABSOLUTE_MS = 12 * 3600_000;
/** last_seen_at is written at most this often, so that reading pages does not write on every request. */
const TOUCH_MS = 60_000;

export interface SessionUser {
  id: number; email: string; name: string; role: UserRole; registrarId: string | null; lang: 'az' | 'en' | 'ru';
}
export interface Session { idHash: string; csrfToken: string; user: SessionUser; expiresAt: Date }

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');

/** Starts a session for a user who has just signed in; returns the cookie value (shown once, never stored). */
export async function createSession(db: Kysely<Database>, now: Date, userId: number, meta: { ip?: string; userAgent?: string } = {}): Promise<{ cookie: string; csrfToken: string }> {
  const cookie = randomToken();
  const csrfToken = randomToken();
  // Sessions past either expiry are gone for good: sweep them here rather than keep a timer for it.
  await db.deleteFrom('web_sessions').where((eb) => eb.or([
    eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - IDLE_MS)),
  ])).execute();
  await db.insertInto('web_sessions').values({
    id_hash: sha256(cookie), user_id: userId, csrf_token: csrfToken, created_at: now, last_seen_at: now,
    expires_at: new Date(now.getTime() + ABSOLUTE_MS), ip: meta.ip ?? null, user_agent: meta.userAgent?.slice(0, 300) ?? null,
  }).execute();
  return { cookie, csrfToken };
}

/** The live session of a cookie, or null (unknown, idle or absolutely expired, user deactivated); touches it. */
export async function loadSession(reg: Registry, cookie: string | undefined): Promise<Session | null> {
  if (!cookie || cookie.length > 100) return null;
  const idHash = sha256(cookie);
  const row = await reg.db.selectFrom('web_sessions').innerJoin('users', 'users.id', 'web_sessions.user_id')
    .select(['web_sessions.csrf_token', 'web_sessions.last_seen_at', 'web_sessions.expires_at',
      'users.id', 'users.email', 'users.name', 'users.role', 'users.registrar_id', 'users.active', 'users.lang'])
    .where('web_sessions.id_hash', '=', idHash).executeTakeFirst();
  if (!row) return null;
  const now = reg.clock.now().getTime();
  if (!row.active || now >= row.expires_at.getTime() || now - row.last_seen_at.getTime() >= IDLE_MS) {
    await reg.db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() >= TOUCH_MS) {
    await reg.db.updateTable('web_sessions').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
  }
  return {
    idHash, csrfToken: row.csrf_token, expiresAt: row.expires_at,
    user: { id: Number(row.id), email: row.email, name: row.name, role: row.role, registrarId: row.registrar_id, lang: row.lang },
  };
}

export async function endSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
}

/** Constant-time comparison of a presented CSRF token with the expected one. */
export function sameToken(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
