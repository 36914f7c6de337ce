// The portals as one fastify plugin: sign-in and sessions, CSRF protection, security headers, role checks,
// the JSON API under /api (src/web/api) and the pages /registrar and /admin (src/web/pages).
// Every route declares its roles in `config.roles` ('public' for none); a hook enforces them before the handler.
import { readFileSync } from 'node:fs';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRegistryError } from '../core/errors.ts';
import { runOperation } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import { clearCookie, parseCookies, parseForm, setCookie } from './auth/cookies.ts';
import { signIn } from './auth/login.ts';
import { actorOfUser, principalOfBearer, principalOfSession, type ApiRole, type Principal } from './auth/principal.ts';
import { createSession, endSession, loadSession, randomToken, sameToken, SESSION_COOKIE, ABSOLUTE_MS, type Session } from './auth/sessions.ts';
import { apiRoutes } from './api/routes.ts';
import { LANG_COOKIE, langOf, t, type Lang } from './pages/i18n.ts';
import { esc, notice, page } from './pages/layout.ts';
import { pageContext, sendHtml } from './pages/render.ts';
import { registrarPages } from './pages/registrar.ts';
import { adminPages } from './pages/admin.ts';
import { publicSite } from './whois-site.ts';
import { accountPages, type AccountOptions } from './pages/account.ts';
import { paymentProviderFromEnv, type PaymentProvider } from './account/payments.ts';
import { abusePublicPages } from './pages/admin-abuse.ts';

declare module 'fastify' {
  interface FastifyContextConfig { roles?: ApiRole[] | 'public' }
  interface FastifyRequest { portal: PortalState }
}

export interface PortalState { session: Session | null; principal: Principal | null; lang: Lang; sessionEnded: boolean }

const LOGIN_CSRF_COOKIE = 'domen_login_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Content-Security-Policy: scripts and styles only from this origin (no inline), no framing, forms only to us. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STATIC: Record<string, { type: string; body: string }> = {
  'portal.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./static/portal.css', import.meta.url), 'utf8') },
};

const isApi = (req: FastifyRequest) => req.url === '/api' || req.url.startsWith('/api/');

/** Where a user lands after signing in. */
export function homeOf(role: ApiRole): string {
  return role === 'registrant' ? '/account' : role.startsWith('registrar') ? '/registrar' : '/admin';
}

/** A local path to go back to after sign-in; anything else (other sites, '//host', '/\\host') goes home. */
function safeNext(next: string | undefined): string | null {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && next.length < 500 ? next : null;
}

export async function portal(app: FastifyInstance, opts: {
  reg: Registry; account?: AccountOptions; /** what the public site reads (a replica) */ readRegistry?: Registry;
  /** the payment provider of registrant orders when account is not given; default from the environment */ payments?: PaymentProvider;
}): Promise<void> {
  const { reg } = opts;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });
  app.decorateRequest('portal', null as unknown as PortalState);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    req.portal = { session: null, principal: null, lang: 'az', sessionEnded: false };
    const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (isApi(req) && req.headers.authorization) {
      req.portal.principal = await principalOfBearer(reg, req);
    } else if (cookie) {
      // The public site keeps answering (anonymously) when the primary database does not (DOMEN_READ_DATABASE_URL).
      const readOnly = req.routeOptions.config?.roles === 'public' && req.method === 'GET';
      const s = await loadSession(reg, cookie).catch((e: unknown) => { if (readOnly) return undefined; throw e; });
      if (s === undefined) { /* unknown: no session this time, the cookie stays */ } else if (s) { req.portal.session = s; req.portal.principal = principalOfSession(s, isApi(req)); } else { req.portal.sessionEnded = true; clearCookie(req, reply, SESSION_COOKIE); }
    }
    req.portal.lang = langOf(req, req.portal.session?.user.lang);
    const q = (req.query as Record<string, string | undefined>).lang;
    if (q === req.portal.lang) setCookie(req, reply, LANG_COOKIE, q, { maxAgeSeconds: 365 * 86400 });
  });

  app.addHook('preHandler', async (req, reply) => {
    const roles = req.routeOptions.config.roles;
    const p = req.portal.principal;
    if (UNSAFE.has(req.method)) {
      // A cross-site request: refused whatever it carries (Origin is sent by browsers on every POST).
      const origin = req.headers.origin;
      if (origin && origin !== 'null' && origin !== `${req.protocol}://${req.host}`) return refuse(req, reply, 403, 'csrf', 'cross-origin request refused');
      // Cookie-authenticated writes need the session's CSRF token (header for the API, form field for pages).
      if (req.portal.session) {
        const body = req.body as Record<string, unknown> | undefined;
        const presented = (req.headers['x-csrf-token'] as string | undefined) ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
        if (!sameToken(presented, req.portal.session.csrfToken)) return refuse(req, reply, 403, 'csrf', 'missing or wrong CSRF token (send X-CSRF-Token)');
      }
    }
    if (roles === undefined) {
      if (req.routeOptions.url === undefined) return; // the not-found handler
      throw new Error(`route ${req.routeOptions.url} declares no roles`);
    }
    if (roles === 'public') return;
    if (!p) return refuse(req, reply, 401, 'authentication', req.portal.sessionEnded ? 'the session has ended; sign in again' : 'sign in first');
    if (!roles.includes(p.role)) return refuse(req, reply, 403, 'authorization', `not for the role ${p.role}`);
  });

  function refuse(req: FastifyRequest, reply: FastifyReply, code: 401 | 403, error: string, message: string): FastifyReply {
    if (isApi(req)) return reply.code(code).send({ error, message });
    if (code === 401 && req.method === 'GET') {
      return reply.code(303).header('location', `/login?next=${encodeURIComponent(req.url)}${req.portal.sessionEnded ? '&ended=1' : ''}`).send();
    }
    const c = pageContext(req, reg, req.url.split('?')[0]!);
    const text = error === 'csrf' ? t(c.lang, 'badForm') : code === 401 ? t(c.lang, 'expired') : t(c.lang, 'forbidden');
    return sendHtml(reply, page(c, t(c.lang, 'error'), notice('error', text)), code);
  }

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const re = isRegistryError(err) ? err : null;
    const status = re ? re.httpStatus : err.validation ? 400 : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    const body = re ? re.toJSON() : { error: err.validation ? 'syntax' : 'failed', message: status < 500 ? err.message : 'internal error' };
    if (status >= 500 && !re) req.log.error(err);
    if (isApi(req)) return reply.code(status).send(body);
    const c = pageContext(req, reg, req.url.split('?')[0]!);
    return sendHtml(reply, page(c, t(c.lang, 'error'), notice('error', `${body.message}${re ? ` (${re.clause})` : ''}`)), status);
  });

  app.get<{ Params: { file: string } }>('/portal/static/:file', { config: { roles: 'public' } }, async (req, reply) => {
    const f = STATIC[req.params.file];
    if (!f) return reply.code(404).type('text/plain').send('not found');
    return reply.type(f.type).header('cache-control', 'public, max-age=300').send(f.body);
  });

  // Sign-in. The form's CSRF protection is a double-submit cookie: there is no session yet to hold a token.
  function loginPage(req: FastifyRequest, reply: FastifyReply, message: string, code: number, email = ''): FastifyReply {
    const token = randomToken();
    setCookie(req, reply, LOGIN_CSRF_COOKIE, token, { maxAgeSeconds: 3600 });
    const lang = req.portal.lang;
    const q = req.query as Record<string, string | undefined>;
    const next = safeNext(q.next ?? (req.body as Record<string, string> | undefined)?.next) ?? '';
    const c = { ...pageContext(req, reg, '/login', next ? `next=${encodeURIComponent(next)}` : undefined), user: null, csrf: null };
    const body = `${message}<form method="post" action="/login${req.portal.lang ? `?lang=${lang}` : ''}">
<input type="hidden" name="_login_csrf" value="${esc(token)}"><input type="hidden" name="next" value="${esc(next)}">
<label for="email">${t(lang, 'email')}</label><input id="email" name="email" type="email" autocomplete="username" required value="${esc(email)}" size="30">
<label for="password">${t(lang, 'password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required size="30">
<div><button type="submit">${t(lang, 'signIn')}</button></div></form>`;
    return sendHtml(reply, page(c, t(lang, 'signIn'), body), code);
  }

  app.get('/login', { config: { roles: 'public' } }, async (req, reply) => {
    const p = req.portal.principal;
    if (p && req.portal.session) return reply.code(303).header('location', homeOf(p.role)).send();
    const ended = (req.query as Record<string, string | undefined>).ended === '1';
    return loginPage(req, reply, ended || req.portal.sessionEnded ? notice('error', t(req.portal.lang, 'expired')) : '', 200);
  });

  app.post<{ Body: Record<string, string | undefined> }>('/login', { config: { roles: 'public' } }, async (req, reply) => {
    const lang = req.portal.lang;
    const body = req.body && typeof req.body === 'object' ? req.body : {};
    const cookieToken = parseCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE);
    if (!cookieToken || !sameToken(body._login_csrf, cookieToken)) return loginPage(req, reply, notice('error', t(lang, 'badForm')), 403, body.email ?? '');
    const result = await signIn(reg, String(body.email ?? ''), String(body.password ?? ''), req.ip);
    if (!result.ok) {
      if (result.reason === 'invalid') return loginPage(req, reply, notice('error', t(lang, 'badLogin')), 401, body.email ?? '');
      reply.header('retry-after', String(result.retryAfterSeconds));
      return loginPage(req, reply, notice('error', t(lang, result.reason, { n: Math.ceil(result.retryAfterSeconds / 60) })), 429, body.email ?? '');
    }
    // A new session id at every sign-in (no session fixation); the old one, if any, ends. The sign-in is one
    // operation, so it is in the audit log with the address it came from.
    if (req.portal.session) await endSession(reg.db, req.portal.session.idHash);
    const actor = actorOfUser({ id: result.userId, role: result.role, registrarId: result.registrarId });
    const s = await runOperation(reg, actor, 'user.signin', async (ctx) => {
      const created = await createSession(ctx.tx, ctx.now, result.userId, { ip: req.ip, userAgent: req.headers['user-agent'] });
      await ctx.record({ objectType: 'user', objectId: String(result.userId), before: null, after: { signedIn: true, ip: req.ip }, topic: 'user.signed_in', history: false });
      return created;
    });
    setCookie(req, reply, SESSION_COOKIE, s.cookie, { maxAgeSeconds: ABSOLUTE_MS / 1000 });
    clearCookie(req, reply, LOGIN_CSRF_COOKIE);
    const to = safeNext(body.next) ?? homeOf(result.role);
    return reply.code(303).header('location', to).send();
  });

  app.post('/logout', { config: { roles: 'public' } }, async (req, reply) => {
    const p = req.portal.principal;
    if (req.portal.session && p) {
      const idHash = req.portal.session.idHash;
      await runOperation(reg, p.actor, 'user.signout', async (ctx) => {
        await endSession(ctx.tx, idHash);
        await ctx.record({ objectType: 'user', objectId: String(p.userId), before: null, after: { signedIn: false }, topic: 'user.signed_out', history: false });
      });
    }
    clearCookie(req, reply, SESSION_COOKIE);
    return reply.code(303).header('location', '/login').send();
  });

  const account: AccountOptions = opts.account ?? { payments: opts.payments ?? paymentProviderFromEnv(), publicUrl: process.env.DOMEN_PUBLIC_URL ?? null, certificateUrl: process.env.DOMEN_ACCOUNT_TLS_URL ?? null };
  await app.register(apiRoutes, { prefix: '/api', reg, account });
  await app.register(registrarPages, { prefix: '/registrar', reg });
  await app.register(adminPages, { prefix: '/admin', reg });
  // The public site: /, /whois/*, /statistics (read from the replica when there is one).
  await app.register(publicSite, { reg: opts.readRegistry ?? reg });
  // The registrant account (/account): sign-up, TOTP, certificate sign-in, applications with payment, domains.
  await app.register(accountPages, { prefix: '/account', reg, ...account });
  await app.register(abusePublicPages, { prefix: '/abuse', reg });
}
