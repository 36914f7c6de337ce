// The registrant's data (R8.5: kept current, also in the contacts the registrars hold), security (TOTP enrolment,
// e-signature certificates, R3.9) and the account inbox (R3.11, R3.12, R6.1, R7.5 notices).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { beginTotp, confirmTotp, disableTotp, getAccount, linkCertificate, markInboxRead, removeCertificate, updateAccountPerson } from '../../core/accounts.ts';
import { isRegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { presentedCertificate } from '../account/certificates.ts';
import { ta } from '../account/messages.ts';
import { personFields, personFromForm } from '../account/person-form.ts';
import { formOf, requireRegistrant, sendAccount } from '../account/session.ts';
import { pageContext } from './render.ts';
import { t } from './i18n.ts';
import { csrfField, day, esc, notice, stamp } from './layout.ts';
import type { AccountOptions } from './account.ts';
import { inboxMessages } from '../../notify/admin.ts';

const pub = { config: { roles: 'public' as const } };

export async function accountSettingsPages(app: FastifyInstance, opts: AccountOptions & { reg: Registry }): Promise<void> {
  const { reg } = opts;
  const bodyOf = formOf;
  const me = (req: FastifyRequest, reply: FastifyReply): number | null => requireRegistrant(req, reply, reg);
  const failure = (e: unknown): string => {
    if (!isRegistryError(e)) throw e;
    return notice('error', `${e.message} (${e.clause})`);
  };

  // --- the person's data (R8.5) ---
  async function profilePage(req: FastifyRequest, reply: FastifyReply, userId: number, message: string, code = 200): Promise<FastifyReply> {
    const L = req.portal.lang;
    const acc = await getAccount(reg.db, userId);
    const c = pageContext(req, reg, '/account/profile');
    const body = `${message}<p>${esc(ta(L, 'profileHelp'))}</p><form method="post" action="/account/profile">${csrfField(c)}
${personFields(L, acc.person, acc.kind)}
<div><label for="f-email">${t(L, 'email')}</label><input id="f-email" name="email" type="email" required size="30" value="${esc(acc.person.email ?? acc.email)}"></div>
<div><button type="submit">${esc(ta(L, 'saveProfile'))}</button></div></form>`;
    return sendAccount(req, reply, reg, '/account/profile', ta(L, 'profile'), body, code);
  }

  app.get('/profile', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    return profilePage(req, reply, userId, '');
  });

  app.post('/profile', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const b = bodyOf(req);
    try {
      const { kind: _kind, ...set } = personFromForm(b);
      await updateAccountPerson(reg, userId, { ...set, email: String(b.email ?? '').trim() || undefined });
      return profilePage(req, reply, userId, notice('ok', ta(req.portal.lang, 'profileSaved')));
    } catch (e) {
      return profilePage(req, reply, userId, failure(e), isRegistryError(e) ? e.httpStatus : 500);
    }
  });

  // --- security: TOTP and certificates ---
  async function securityPage(req: FastifyRequest, reply: FastifyReply, userId: number, message: string, code = 200, enrol?: { secret: string; uri: string }): Promise<FastifyReply> {
    const L = req.portal.lang;
    const acc = await getAccount(reg.db, userId);
    const c = pageContext(req, reg, '/account/security');
    const totp = acc.totp
      ? `<p id="totp-state">${esc(ta(L, 'totpOn'))}</p><form method="post" action="/account/security/totp/disable">${csrfField(c)}
<div><label for="code-off">${esc(ta(L, 'totpCode'))}</label><input id="code-off" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required size="8"></div>
<div><button type="submit">${esc(ta(L, 'totpDisable'))}</button></div></form>`
      : enrol
        ? `<p>${esc(ta(L, 'totpSecret'))}</p><p><code id="totp-secret">${esc(enrol.secret)}</code></p><p><small><code id="totp-uri">${esc(enrol.uri)}</code></small></p>
<form method="post" action="/account/security/totp/confirm">${csrfField(c)}
<div><label for="code">${esc(ta(L, 'totpCode'))}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required size="8"></div>
<div><button type="submit">${esc(ta(L, 'verify'))}</button></div></form>`
        : `<p id="totp-state">${esc(ta(L, 'totpOff'))}</p><form method="post" action="/account/security/totp">${csrfField(c)}<div><button type="submit">${esc(ta(L, 'totpStart'))}</button></div></form>`;
    const presented = presentedCertificate(req);
    const linkable = presented.ok && !acc.certificates.some((x) => x.fingerprint === presented.cert.fingerprint)
      ? `<p>${esc(ta(L, 'certPresented', { s: presented.cert.subject }))}</p><form method="post" action="/account/security/certificates">${csrfField(c)}<div><button type="submit">${esc(ta(L, 'certLink'))}</button></div></form>`
      : !presented.ok && presented.reason === 'untrusted' ? notice('error', ta(L, 'certUntrusted', { d: presented.detail ?? '' }))
        : !presented.ok && opts.certificateUrl ? `<p>${esc(ta(L, 'certHowTo', { u: `${opts.certificateUrl.replace(/\/$/, '')}/account/security` }))}</p>` : '';
    const certs = acc.certificates.length
      ? `<div class="table"><table><thead><tr><th scope="col">${esc(ta(L, 'subject'))}</th><th scope="col">${esc(ta(L, 'issuer'))}</th><th scope="col">${esc(ta(L, 'validTo'))}</th><th scope="col"><span class="vh">${esc(ta(L, 'certRemove'))}</span></th></tr></thead><tbody>
${acc.certificates.map((x) => `<tr><td>${esc(x.subject)}</td><td>${esc(x.issuer)}</td><td>${day(x.notAfter)}</td><td><form method="post" action="/account/security/certificates/${x.id}/remove">${csrfField(c)}<button type="submit">${esc(ta(L, 'certRemove'))}</button></form></td></tr>`).join('\n')}</tbody></table></div>`
      : `<p>${esc(ta(L, 'none'))}</p>`;
    const body = `${message}<h2>${esc(ta(L, 'totpTitle'))}</h2>${totp}<h2>${esc(ta(L, 'certsTitle'))}</h2>${certs}${linkable}`;
    return sendAccount(req, reply, reg, '/account/security', ta(L, 'security'), body, code);
  }

  app.get('/security', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    return securityPage(req, reply, userId, '');
  });

  app.post('/security/totp', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    return securityPage(req, reply, userId, '', 200, await beginTotp(reg, userId));
  });

  app.post('/security/totp/confirm', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    try {
      await confirmTotp(reg, userId, String(bodyOf(req).code ?? ''));
      return securityPage(req, reply, userId, notice('ok', ta(req.portal.lang, 'totpEnabled')));
    } catch (e) {
      return securityPage(req, reply, userId, failure(e), isRegistryError(e) ? e.httpStatus : 500);
    }
  });

  app.post('/security/totp/disable', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    try {
      await disableTotp(reg, userId, String(bodyOf(req).code ?? ''));
      return securityPage(req, reply, userId, notice('ok', ta(req.portal.lang, 'totpDisabled')));
    } catch (e) {
      return securityPage(req, reply, userId, failure(e), isRegistryError(e) ? e.httpStatus : 500);
    }
  });

  // Links the certificate this very TLS connection presented and the trust anchors verified (R3.9).
  app.post('/security/certificates', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const L = req.portal.lang;
    const p = presentedCertificate(req);
    if (!p.ok) return securityPage(req, reply, userId, notice('error', p.reason === 'none' ? ta(L, 'certNone') : ta(L, 'certUntrusted', { d: p.detail ?? '' })), 400);
    try {
      await linkCertificate(reg, userId, p.cert);
      return securityPage(req, reply, userId, notice('ok', ta(L, 'certLinked')));
    } catch (e) {
      return securityPage(req, reply, userId, failure(e), isRegistryError(e) ? e.httpStatus : 500);
    }
  });

  app.post<{ Params: { id: string } }>('/security/certificates/:id/remove', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    try {
      await removeCertificate(reg, userId, Number.parseInt(req.params.id, 10) || 0);
      return securityPage(req, reply, userId, notice('ok', ta(req.portal.lang, 'certRemoved')));
    } catch (e) {
      return securityPage(req, reply, userId, failure(e), isRegistryError(e) ? e.httpStatus : 500);
    }
  });

  // --- the inbox ---
  app.get('/inbox', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const L = req.portal.lang;
    const rows = await inboxMessages(reg, userId, 200);
    const c = pageContext(req, reg, '/account/inbox');
    const body = rows.length ? rows.map((m) => `<article id="message-${m.id}" class="message${m.readAt ? '' : ' unread'}"><h2>${esc(m.subject)}</h2><p><small>${stamp(m.at)}</small></p>
<div class="message-body">${esc(m.body).replace(/\n/g, '<br>')}</div>${m.readAt ? '' : `<form method="post" action="/account/inbox/${m.id}/read">${csrfField(c)}<button type="submit">${esc(ta(L, 'markRead'))}</button></form>`}</article>`).join('\n')
      : `<p>${esc(ta(L, 'emptyInbox'))}</p>`;
    return sendAccount(req, reply, reg, '/account/inbox', ta(L, 'inbox'), body);
  });

  app.post<{ Params: { id: string } }>('/inbox/:id/read', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    try { await markInboxRead(reg, userId, Number.parseInt(req.params.id, 10) || 0); } catch (e) { if (!isRegistryError(e)) throw e; }
    return reply.code(303).header('location', '/account/inbox').send();
  });
}
