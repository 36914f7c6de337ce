// Registrant sessions: the portal's sessions (src/web/auth/sessions.ts) for users of role 'registrant', started
// after the password (and TOTP code) or a verified e-signature certificate; and the frame of the account's pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runOperation } from '../../core/operation.ts';
import type { Registry } from '../../core/registry.ts';
import { registrantActor } from '../../core/accounts.ts';
import { clearCookie, setCookie } from '../auth/cookies.ts';
import { ABSOLUTE_MS, createSession, endSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { t } from '../pages/i18n.ts';
import { esc, notice, page, type PageContext } from '../pages/layout.ts';
import { pageContext, sendHtml } from '../pages/render.ts';
import { ta } from './messages.ts';

export const ACCOUNT_CSRF_COOKIE = 'domen_account_csrf';
export const CHALLENGE_COOKIE = 'domen_account_2fa';

/** The signed-in registrant's user id, or null. */
export function registrantOf(req: FastifyRequest): number | null {
  const u = req.portal.session?.user;
  return u && u.role === 'registrant' ? u.id : null;
}

/** A new session (new id: no fixation), recorded as one operation with how the person signed in. */
export async function startRegistrantSession(reg: Registry, req: FastifyRequest, reply: FastifyReply, userId: number, how: 'password' | 'totp' | 'certificate'): Promise<void> {
  if (req.portal.session) await endSession(reg.db, req.portal.session.idHash);
  const s = await runOperation(reg, registrantActor(userId), 'user.signin', async (ctx) => {
    const created = await createSession(ctx.tx, ctx.now, userId, { ip: req.ip, userAgent: req.headers['user-agent'] });
    await ctx.record({ objectType: 'user', objectId: String(userId), before: null, after: { signedIn: true, ip: req.ip, how }, topic: 'user.signed_in', history: false });
    return created;
  });
  setCookie(req, reply, SESSION_COOKIE, s.cookie, { maxAgeSeconds: ABSOLUTE_MS / 1000 });
  clearCookie(req, reply, ACCOUNT_CSRF_COOKIE);
  clearCookie(req, reply, CHALLENGE_COOKIE);
}

export function accountContext(req: FastifyRequest, reg: Registry, path: string, query?: string): PageContext {
  return pageContext(req, reg, path, query);
}

/** The account's own navigation above the page's content (signed-in pages only). */
export function accountPage(c: PageContext, title: string, body: string, signedIn: boolean): string {
  const L = c.lang;
  const items: [string, string][] = [['/account', ta(L, 'overview')], ['/account/profile', ta(L, 'profile')], ['/account/security', ta(L, 'security')], ['/account/inbox', ta(L, 'inbox')]];
  const nav = signedIn
    ? `<nav aria-label="${esc(ta(L, 'accountNav'))}" class="subnav">${items.map(([h, l]) => `<a href="${h}"${h === c.path ? ' aria-current="page"' : ''}>${esc(l)}</a>`).join(' · ')}</nav>\n`
    : '';
  return page(c, title, nav + body);
}

export function sendAccount(req: FastifyRequest, reply: FastifyReply, reg: Registry, path: string, title: string, body: string, code = 200, query?: string): FastifyReply {
  const c = accountContext(req, reg, path, query);
  return sendHtml(reply, accountPage(c, title, body, registrantOf(req) !== null), code);
}

/** A posted form's fields (an empty object when there is no form body). */
export function formOf(req: FastifyRequest): Record<string, string | undefined> {
  return req.body && typeof req.body === 'object' ? req.body as Record<string, string | undefined> : {};
}

/** The signed-in registrant's user id; otherwise null, having sent a refusal (another role) or the way to sign in. */
export function requireRegistrant(req: FastifyRequest, reply: FastifyReply, reg: Registry): number | null {
  const id = registrantOf(req);
  if (id !== null) return id;
  if (req.portal.session) void sendAccount(req, reply, reg, req.url.split('?')[0]!, t(req.portal.lang, 'error'), notice('error', ta(req.portal.lang, 'registrantOnly')), 403);
  else void reply.code(303).header('location', `/account/login?next=${encodeURIComponent(req.url)}`).send();
  return null;
}
