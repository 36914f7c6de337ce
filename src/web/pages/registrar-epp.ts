// The registrar's EPP access (R9.3.8, RFC 5734 §8): the registered client certificates by fingerprint and the IP
// allowlist, and for its administrator the forms to change the EPP password, add or remove a certificate and edit
// the allowlist. Staff users see the settings without the forms.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RegistryError } from '../../core/errors.ts';
import { addCertificate, listRegistrarCertificates, removeCertificate } from '../../core/registrar-access.ts';
import { changeRegistrarPassword, getRegistrar, setRegistrarIpAllowlist } from '../../core/registrars.ts';
import type { Registry } from '../../core/registry.ts';
import { csrfField, day, esc } from './layout.ts';
import { adminOnly, config, ctx, lines, outcome, registrarPage, type Q } from './registrar-common.ts';
import { rt } from './registrar-i18n.ts';
import { sendHtml } from './render.ts';

export async function registrarEppPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function render(req: FastifyRequest, message = ''): Promise<string> {
    const p = req.portal.principal!;
    const [r, certs] = await Promise.all([getRegistrar(reg, p.registrarId!), listRegistrarCertificates(reg, p.actor, p.registrarId!)]);
    const c = ctx(req, reg, '/registrar/epp');
    const L = c.lang;
    const admin = p.role === 'registrar_admin';
    const certRows = certs.map((x, i) => `<tr><td><code class="fp">${esc(x.fingerprint)}</code></td><td>${esc(x.subject ?? '–')}</td><td>${x.notAfter ? day(x.notAfter) : '–'}</td>
<td>${day(x.createdAt)}</td>${admin ? `<td><form method="post" action="/registrar/epp/certificates/remove">${csrfField(c)}<input type="hidden" name="fingerprint" value="${esc(x.fingerprint)}">
<button type="submit" class="danger" id="remove-cert-${i}" aria-label="${rt(L, 'removeCert')} ${esc(x.fingerprint)}">${rt(L, 'removeCert')}</button></form></td>` : ''}</tr>`).join('\n');
    const body = `${message}<p>${rt(L, 'eppIntro', { id: r.id })}</p>
<h2>${rt(L, 'certificates')}</h2>
${certs.length ? `<div class="table"><table><thead><tr><th scope="col">${rt(L, 'fingerprint')}</th><th scope="col">${rt(L, 'subject')}</th><th scope="col">${rt(L, 'validUntil')}</th>
<th scope="col">${rt(L, 'added')}</th>${admin ? `<th scope="col">${rt(L, 'actions')}</th>` : ''}</tr></thead><tbody>${certRows}</tbody></table></div>` : `<p>${rt(L, 'noCerts')}</p>`}
${admin ? `<form method="post" action="/registrar/epp/certificates">${csrfField(c)}<label for="pem">${rt(L, 'certPem')}</label>
<textarea id="pem" name="pem" rows="6" cols="64" required aria-describedby="pem-help"></textarea><p id="pem-help"><small>${rt(L, 'certPemHelp')}</small></p>
<div><button type="submit">${rt(L, 'addCert')}</button></div></form>` : ''}
<h2>${rt(L, 'allowlist')}</h2>
${admin ? `<form method="post" action="/registrar/epp/allowlist">${csrfField(c)}<label for="allowlist">${rt(L, 'allowlist')}</label>
<textarea id="allowlist" name="entries" rows="4" cols="40" aria-describedby="allowlist-help">${esc(r.ipAllowlist.join('\n'))}</textarea>
<p id="allowlist-help"><small>${rt(L, 'allowlistHelp')}</small></p><div><button type="submit">${rt(L, 'saveAllowlist')}</button></div></form>`
    : `<ul id="allowlist">${r.ipAllowlist.length ? r.ipAllowlist.map((e) => `<li><code>${esc(e)}</code></li>`).join('') : `<li>${rt(L, 'anyAddress')}</li>`}</ul>`}
${admin ? `<h2>${rt(L, 'eppPassword')}</h2><form method="post" action="/registrar/epp/password">${csrfField(c)}
<label for="epp-password">${rt(L, 'newPassword')}</label><input id="epp-password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128" aria-describedby="epp-password-help">
<label for="epp-password2">${rt(L, 'repeatPassword')}</label><input id="epp-password2" name="password2" type="password" autocomplete="new-password" required minlength="8" maxlength="128">
<p id="epp-password-help"><small>${rt(L, 'passwordHelp')}</small></p><div><button type="submit">${rt(L, 'changePassword')}</button></div></form>` : ''}`;
    return registrarPage(c, rt(L, 'navEpp'), body);
  }

  app.get('/epp', { config }, async (req, reply) => sendHtml(reply, await render(req)));

  const post = (path: string, op: (req: FastifyRequest<{ Body: Q }>) => Promise<string>) =>
    app.post<{ Body: Q }>(path, { config: adminOnly }, async (req, reply) => outcome(reply, () => op(req), (m) => render(req, m)));

  post('/epp/password', async (req) => {
    const b = req.body ?? {};
    if ((b.password ?? '') !== (b.password2 ?? '')) {
      throw new RegistryError('syntax', rt(req.portal.lang, 'passwordsDiffer'), 'RFC 5730 §2.9.1.1');
    }
    const p = req.portal.principal!;
    await changeRegistrarPassword(reg, p.actor, p.registrarId!, b.password ?? '');
    return rt(req.portal.lang, 'passwordChanged');
  });
  post('/epp/allowlist', async (req) => {
    const p = req.portal.principal!;
    const list = await setRegistrarIpAllowlist(reg, p.actor, p.registrarId!, lines(req.body?.entries));
    return rt(req.portal.lang, 'allowlistSaved', { n: list.length });
  });
  post('/epp/certificates', async (req) => {
    const p = req.portal.principal!;
    const cert = await addCertificate(reg, p.actor, p.registrarId!, req.body?.pem ?? '');
    return rt(req.portal.lang, 'certAdded', { fp: cert.fingerprint });
  });
  post('/epp/certificates/remove', async (req) => {
    const p = req.portal.principal!;
    await removeCertificate(reg, p.actor, p.registrarId!, req.body?.fingerprint ?? '');
    return rt(req.portal.lang, 'certRemoved');
  });
}
