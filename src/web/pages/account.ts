// The registrant account (/account, R3.6-R3.12): sign-up with the data of R3.7/R3.8 and e-mail confirmation,
// sign-in by password (+ TOTP when enrolled) or by an e-signature certificate over TLS (R3.9). The rest of the
// account (applications, payments, domains, data, security, inbox) is in account-domains.ts and account-settings.ts.
// Forms without a session use a double-submit cookie; signed-in forms carry the session's CSRF token (portal.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountByCertificate, completeChallenge, confirmEmail, hasTotp, signUpRegistrant, startChallenge, CHALLENGE_TTL_MS } from '../../core/accounts.ts';
import { isRegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { clearCookie, parseCookies, setCookie } from '../auth/cookies.ts';
import { signIn } from '../auth/login.ts';
import { randomToken, sameToken } from '../auth/sessions.ts';
import type { PaymentProvider } from '../account/payments.ts';
import { presentedCertificate } from '../account/certificates.ts';
import { ta } from '../account/messages.ts';
import { personFields, personFromForm } from '../account/person-form.ts';
import { ACCOUNT_CSRF_COOKIE, CHALLENGE_COOKIE, formOf, registrantOf, sendAccount, startRegistrantSession } from '../account/session.ts';
import { t, LANGS, type Lang } from './i18n.ts';
import { esc, notice } from './layout.ts';
import { accountDomainPages } from './account-domains.ts';
import { accountSettingsPages } from './account-settings.ts';

export interface AccountOptions {
  /** The payment provider (src/web/account/payments.ts); null: orders wait and the page says no provider is set. */
  payments?: PaymentProvider | null;
  /** The address people reach the portal at, for links in e-mail and the provider's callbacks; default: the request's. */
  publicUrl?: string | null;
  /** The HTTPS address of the certificate sign-in (the listener with client authentication), if there is one. */
  certificateUrl?: string | null;
}

type Body = Record<string, string | undefined>;
const pub = { config: { roles: 'public' as const } };

/** The portal's own address: configured, or from the request (fastify's host and protocol, trustProxy-aware). */
export function baseUrl(req: FastifyRequest, opts: AccountOptions): string {
  return (opts.publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/$/, '');
}

export async function accountPages(app: FastifyInstance, opts: AccountOptions & { reg: Registry }): Promise<void> {
  const { reg } = opts;

  /** A token for a form shown without a session (double-submit cookie). */
  function formToken(req: FastifyRequest, reply: FastifyReply): string {
    const token = randomToken();
    setCookie(req, reply, ACCOUNT_CSRF_COOKIE, token, { maxAgeSeconds: 3600 });
    return `<input type="hidden" name="_form" value="${esc(token)}">`;
  }
  const formOk = (req: FastifyRequest, b: Body) => {
    const c = parseCookies(req.headers.cookie).get(ACCOUNT_CSRF_COOKIE);
    return Boolean(c && sameToken(b._form, c));
  };
  const bodyOf = formOf;

  // --- sign-up (R3.6-R3.8) ---
  function signUpPage(req: FastifyRequest, reply: FastifyReply, message: string, code: number, b: Body = {}): FastifyReply {
    const L = req.portal.lang;
    const person = personFromForm(b);
    const body = `${message}<form method="post" action="/account/signup">${formToken(req, reply)}
${personFields(L, b.kind ? person : { kind: 'natural' })}
<fieldset><legend>${t(L, 'signIn')}</legend>
<div><label for="f-email">${t(L, 'email')}</label><input id="f-email" name="email" type="email" autocomplete="email" required size="30" value="${esc(b.email ?? '')}"></div>
<div><label for="f-password">${esc(ta(L, 'newPassword'))}</label><input id="f-password" name="password" type="password" autocomplete="new-password" required minlength="8" size="30"></div>
<div><label for="f-lang">${esc(ta(L, 'language'))}</label><select id="f-lang" name="lang">${LANGS.map((l) => `<option value="${l}"${l === (b.lang ?? L) ? ' selected' : ''}>${l}</option>`).join('')}</select></div>
</fieldset>
<div><button type="submit">${esc(ta(L, 'signUp'))}</button></div></form>`;
    return sendAccount(req, reply, reg, '/account/signup', ta(L, 'signUpTitle'), body, code);
  }

  app.get('/signup', pub, async (req, reply) => signUpPage(req, reply, '', 200));

  app.post('/signup', pub, async (req, reply) => {
    const b = bodyOf(req);
    const L = req.portal.lang;
    if (!formOk(req, b)) return signUpPage(req, reply, notice('error', t(L, 'badForm')), 403, b);
    const lang: Lang = (LANGS as string[]).includes(b.lang ?? '') ? b.lang as Lang : L;
    try {
      const base = baseUrl(req, opts);
      await signUpRegistrant(reg, { email: b.email ?? '', password: b.password ?? '', lang, person: personFromForm(b) },
        { confirm: (token) => `${base}/account/confirm?token=${token}`, signIn: `${base}/account/login` });
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return signUpPage(req, reply, notice('error', `${e.message} (${e.clause})`), e.httpStatus, b);
    }
    return sendAccount(req, reply, reg, '/account/signup', ta(L, 'signUpTitle'), notice('ok', ta(L, 'checkMail', { email: b.email ?? '' })), 201);
  });

  // The link in the e-mail shows a button: opening a link (mail scanners prefetch them) changes nothing.
  app.get('/confirm', pub, async (req, reply) => {
    const L = req.portal.lang;
    const token = String((req.query as Body).token ?? '');
    const body = `<form method="post" action="/account/confirm"><input type="hidden" name="token" value="${esc(token)}">
<div><button type="submit">${esc(ta(L, 'confirmButton'))}</button></div></form>`;
    return sendAccount(req, reply, reg, '/account/confirm', ta(L, 'confirmTitle'), body);
  });

  app.post('/confirm', pub, async (req, reply) => {
    const L = req.portal.lang;
    try {
      await confirmEmail(reg, String(bodyOf(req).token ?? ''));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return sendAccount(req, reply, reg, '/account/confirm', ta(L, 'confirmTitle'), notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
    return sendAccount(req, reply, reg, '/account/confirm', ta(L, 'confirmTitle'), `${notice('ok', ta(L, 'confirmed'))}<p><a href="/account/login">${t(L, 'signIn')}</a></p>`);
  });

  // --- sign-in ---
  function loginPage(req: FastifyRequest, reply: FastifyReply, message: string, code: number, email = ''): FastifyReply {
    const L = req.portal.lang;
    const cert = opts.certificateUrl ? `<p><a href="${esc(opts.certificateUrl.replace(/\/$/, ''))}/account/login/certificate">${esc(ta(L, 'certLogin'))}</a></p>` : '';
    const body = `${message}<form method="post" action="/account/login">${formToken(req, reply)}
<div><label for="email">${t(L, 'email')}</label><input id="email" name="email" type="email" autocomplete="username" required size="30" value="${esc(email)}"></div>
<div><label for="password">${t(L, 'password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required size="30"></div>
<div><button type="submit">${t(L, 'signIn')}</button></div></form>
${cert}<p>${esc(ta(L, 'noAccount'))} <a href="/account/signup">${esc(ta(L, 'signUp'))}</a></p>`;
    return sendAccount(req, reply, reg, '/account/login', ta(L, 'signInTitle'), body, code);
  }

  function totpPage(req: FastifyRequest, reply: FastifyReply, message: string, code: number): FastifyReply {
    const L = req.portal.lang;
    const body = `${message}<form method="post" action="/account/login/totp">${formToken(req, reply)}
<div><label for="code">${esc(ta(L, 'totpCode'))}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required size="8"></div>
<div><button type="submit">${esc(ta(L, 'verify'))}</button></div></form>`;
    return sendAccount(req, reply, reg, '/account/login', ta(L, 'signInTitle'), body, code);
  }

  app.get('/login', pub, async (req, reply) => {
    if (registrantOf(req) !== null) return reply.code(303).header('location', '/account').send();
    return loginPage(req, reply, req.portal.sessionEnded ? notice('error', t(req.portal.lang, 'expired')) : '', 200);
  });

  app.post('/login', pub, async (req, reply) => {
    const b = bodyOf(req);
    const L = req.portal.lang;
    if (!formOk(req, b)) return loginPage(req, reply, notice('error', t(L, 'badForm')), 403, b.email ?? '');
    const result = await signIn(reg, String(b.email ?? ''), String(b.password ?? ''), req.ip, 'registrant');
    if (!result.ok) {
      if (result.reason === 'invalid') return loginPage(req, reply, notice('error', t(L, 'badLogin')), 401, b.email ?? '');
      reply.header('retry-after', String(result.retryAfterSeconds));
      return loginPage(req, reply, notice('error', t(L, result.reason, { n: Math.ceil(result.retryAfterSeconds / 60) })), 429, b.email ?? '');
    }
    if (await hasTotp(reg.db, result.userId)) {
      const challenge = await startChallenge(reg, result.userId);
      setCookie(req, reply, CHALLENGE_COOKIE, challenge, { maxAgeSeconds: CHALLENGE_TTL_MS / 1000 });
      return totpPage(req, reply, '', 200);
    }
    await startRegistrantSession(reg, req, reply, result.userId, 'password');
    return reply.code(303).header('location', '/account').send();
  });

  app.post('/login/totp', pub, async (req, reply) => {
    const b = bodyOf(req);
    const L = req.portal.lang;
    if (!formOk(req, b)) return totpPage(req, reply, notice('error', t(L, 'badForm')), 403);
    const challenge = parseCookies(req.headers.cookie).get(CHALLENGE_COOKIE) ?? '';
    try {
      const userId = await completeChallenge(reg, challenge, String(b.code ?? ''), req.ip);
      await startRegistrantSession(reg, req, reply, userId, 'totp');
      return reply.code(303).header('location', '/account').send();
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      if (/expired/.test(e.message)) { clearCookie(req, reply, CHALLENGE_COOKIE); return loginPage(req, reply, notice('error', e.message), 401); }
      return totpPage(req, reply, notice('error', `${e.message} (${e.clause})`), 401);
    }
  });

  // R3.9: the TLS layer verified the certificate against the e-signature trust anchors; the account is the one it is linked to.
  app.get('/login/certificate', pub, async (req, reply) => {
    const L = req.portal.lang;
    const p = presentedCertificate(req);
    const fail = (text: string, code: number) => sendAccount(req, reply, reg, '/account/login/certificate', ta(L, 'certLogin'), `${notice('error', text)}<p><a href="/account/login">${t(L, 'signIn')}</a></p>`, code);
    if (!p.ok) return fail(p.reason === 'none' ? ta(L, 'certNone') : ta(L, 'certUntrusted', { d: p.detail ?? '' }), 401);
    const userId = await accountByCertificate(reg, p.cert.fingerprint);
    if (userId === null) return fail(ta(L, 'certUnknown'), 401);
    await startRegistrantSession(reg, req, reply, userId, 'certificate');
    return reply.code(303).header('location', '/account').send();
  });

  // The sub-pages take the options, not the prefix this plugin was registered with (they inherit it).
  const sub = { payments: opts.payments ?? null, publicUrl: opts.publicUrl ?? null, certificateUrl: opts.certificateUrl ?? null, reg };
  await app.register(accountDomainPages, sub);
  await app.register(accountSettingsPages, sub);
}
