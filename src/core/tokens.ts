// API bearer tokens (RFC 6750) for authenticated RDAP: issued to a registrar or to a user, shown once,
// stored as SHA-256 only. A registrar's token sees full data of what it sponsors; NA staff see all.
import { createHash, randomBytes } from 'node:crypto';
import type { StaffRole } from './actor.ts';
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import type { Registry } from './registry.ts';

export interface TokenCreateInput { registrarId?: string | null; userEmail?: string | null }
export interface CreatedToken { id: number; token: string; registrarId: string | null; userId: number | null; createdAt: Date }

/** Who a valid token speaks for. */
export type TokenPrincipal =
  | { type: 'registrar'; registrarId: string; tokenId: number }
  | { type: 'staff'; userId: number; role: StaffRole; tokenId: number }
  | { type: 'user'; userId: number; registrarId: string | null; tokenId: number };

export const TOKEN_PREFIX = 'dmn_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createApiToken(reg: Registry, actor: Actor, input: TokenCreateInput): Promise<CreatedToken> {
  assertOperator(actor, 'issue an API token', 'R8.8');
  if (Boolean(input.registrarId) === Boolean(input.userEmail)) {
    throw new RegistryError('required', 'a token is issued either to a registrar or to a user', 'RFC 7480 §3');
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return runOperation(reg, actor, 'token.create', async (ctx) => {
    let registrarId: string | null = null;
    let userId: number | null = null;
    if (input.registrarId) {
      const r = await ctx.tx.selectFrom('registrars').select('id').where('id', '=', input.registrarId).executeTakeFirst();
      if (!r) throw new RegistryError('notFound', `no registrar ${input.registrarId}`, 'R9.6');
      registrarId = r.id;
    } else {
      const u = await ctx.tx.selectFrom('users').select(['id', 'active']).where((eb) => eb(eb.fn('lower', ['email']), '=', input.userEmail!.toLowerCase()))
        .executeTakeFirst();
      if (!u) throw new RegistryError('notFound', `no user ${input.userEmail}`, 'R3.6');
      if (!u.active) throw new RegistryError('policy', `user ${input.userEmail} is not active`, 'R3.6');
      userId = u.id;
    }
    const row = await ctx.tx.insertInto('api_tokens').values({ token_hash: hashToken(token), registrar_id: registrarId, user_id: userId, created_at: ctx.now })
      .returning(['id', 'created_at']).executeTakeFirstOrThrow();
    // The token itself is never recorded: history, audit and outbox see only who holds it.
    const after = { id: row.id, registrarId, userId };
    await ctx.record({ objectType: 'api_token', objectId: String(row.id), before: null, after, topic: 'token.created' });
    return { id: row.id, token, registrarId, userId, createdAt: row.created_at };
  });
}

export async function revokeApiToken(reg: Registry, actor: Actor, id: number): Promise<void> {
  assertOperator(actor, 'revoke an API token', 'R8.8');
  await runOperation(reg, actor, 'token.revoke', async (ctx) => {
    const r = await ctx.tx.updateTable('api_tokens').set({ revoked_at: ctx.now }).where('id', '=', id).where('revoked_at', 'is', null)
      .returning(['id', 'registrar_id', 'user_id']).executeTakeFirst();
    if (!r) throw new RegistryError('notFound', `no live token ${id}`, 'RFC 7480 §3');
    await ctx.record({ objectType: 'api_token', objectId: String(id), before: { id }, after: null, topic: 'token.revoked' });
  });
}

/** The principal of a live token, or null (unknown, revoked, its registrar not active, its user inactive). */
export async function resolveApiToken(reg: Registry, token: string): Promise<TokenPrincipal | null> {
  if (!token || token.length > 200) return null;
  const t = await reg.db.selectFrom('api_tokens').leftJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('registrars', 'registrars.id', 'api_tokens.registrar_id')
    .select(['api_tokens.id', 'api_tokens.registrar_id', 'api_tokens.user_id', 'users.role', 'users.active', 'users.registrar_id as user_registrar',
      'registrars.status as registrar_status'])
    .where('api_tokens.token_hash', '=', hashToken(token)).where('api_tokens.revoked_at', 'is', null).executeTakeFirst();
  if (!t) return null;
  if (t.registrar_id) return t.registrar_status === 'active' ? { type: 'registrar', registrarId: t.registrar_id, tokenId: t.id } : null;
  if (t.user_id === null || !t.active || !t.role) return null;
  if (t.role === 'na_admin' || t.role === 'na_staff' || t.role === 'ministry') {
    return { type: 'staff', userId: t.user_id, role: t.role, tokenId: t.id };
  }
  return { type: 'user', userId: t.user_id, registrarId: t.user_registrar ?? null, tokenId: t.id };
}
