// Who is calling a portal route: a signed-in user (session cookie) or an API token (Authorization: Bearer),
// with the core Actor their requests run as, and the role checks every route declares.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../core/actor.ts';
import { RegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { resolveApiToken } from '../../core/tokens.ts';
import type { UserRole } from '../../db/schema.ts';
import type { Session } from './sessions.ts';

/** The roles of the portals; 'registrant' accounts come with /account. */
export type PortalRole = Exclude<UserRole, 'registrant'>;
/** The roles of /api: the portals' and the registrant's, whose only routes are /api/account/* (account-routes.ts). */
export type ApiRole = PortalRole | 'registrant';
export const REGISTRAR_ROLES: PortalRole[] = ['registrar_admin', 'registrar_staff'];
export const NA_ROLES: PortalRole[] = ['na_admin', 'na_staff'];
export const ALL_ROLES: PortalRole[] = ['na_admin', 'na_staff', 'ministry', 'registrar_admin', 'registrar_staff'];

/** Whether the principal has one of these roles (a PortalRole[] takes a registrant's role too). */
export const hasRole = (p: Principal, roles: readonly ApiRole[]): boolean => roles.includes(p.role);

export interface Principal { via: 'session' | 'token'; role: ApiRole; userId: number | null; registrarId: string | null; actor: Actor }

/** The core actor of a portal user. */
export function actorOfUser(u: { id: number; role: PortalRole; registrarId: string | null }): Actor {
  return u.role.startsWith('registrar')
    ? { type: 'registrar', registrarId: u.registrarId!, userId: u.id, source: 'portal' }
    : { type: 'staff', userId: u.id, role: u.role as 'na_admin' | 'na_staff' | 'ministry', source: 'portal' };
}

/**
 * A registrant's session is a principal only on /api (`api`): the account pages check registrantOf themselves, and
 * on the staff and registrar pages a registrant counts as not signed in there (they are sent to that sign-in).
 */
export function principalOfSession(s: Session, api = false): Principal | null {
  const u = s.user;
  if (u.role === 'registrant') return api ? { via: 'session', role: 'registrant', userId: u.id, registrarId: null, actor: { type: 'registrant', userId: u.id, source: 'api' } } : null;
  return { via: 'session', role: u.role, userId: u.id, registrarId: u.registrarId, actor: actorOfUser({ id: u.id, role: u.role, registrarId: u.registrarId }) };
}

/** An API token (`domen token create`): a registrar's own token counts as its administrator. */
export async function principalOfBearer(reg: Registry, req: FastifyRequest): Promise<Principal | null> {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,200})\s*$/i.exec(h);
  const p = m ? await resolveApiToken(reg, m[1]!) : null;
  if (!p) throw new RegistryError('authentication', 'the bearer token is not valid', 'R9.1');
  if (p.type === 'registrar') return { via: 'token', role: 'registrar_admin', userId: null, registrarId: p.registrarId, actor: { type: 'registrar', registrarId: p.registrarId, source: 'api' } };
  if (p.type === 'staff') return { via: 'token', role: p.role, userId: p.userId, registrarId: null, actor: { type: 'staff', userId: p.userId, role: p.role, source: 'api' } };
  const row = await reg.db.selectFrom('users').select('role').where('id', '=', p.userId).executeTakeFirstOrThrow();
  // A registrant's token (`domen token create --user EMAIL`) acts for that account only (/api/account/*).
  if (row.role === 'registrant') return { via: 'token', role: 'registrant', userId: p.userId, registrarId: null, actor: { type: 'registrant', userId: p.userId, source: 'api' } };
  if (!p.registrarId) throw new RegistryError('authorization', `a token of a ${row.role} user without a registrar`, 'R9.1');
  return { via: 'token', role: row.role as PortalRole, userId: p.userId, registrarId: p.registrarId, actor: { type: 'registrar', registrarId: p.registrarId, userId: p.userId, source: 'api' } };
}
