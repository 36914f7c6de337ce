// The registrar's contacts (RFC 5733 with the data of R3.7 and R3.8): the list with search and filters, a form to
// create one, a contact's page with its data, a form to change it, and deletion when nothing links it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createContact, deleteContact, updateContact, type ContactView } from '../../core/contacts.ts';
import { isRegistryError } from '../../core/errors.ts';
import { contactDomains, listContacts } from '../../core/registrar-queries.ts';
import type { Registry } from '../../core/registry.ts';
import { contactOf } from '../api/registrar-routes.ts';
import { contactData } from '../api/registrar-ops.ts';
import { t, type Lang } from './i18n.ts';
import { csrfField, day, esc, notice, type PageContext } from './layout.ts';
import { sendHtml } from './render.ts';
import { config, ctx, input, offsetOf, oneOf, pager, PAGE_SIZE, registrarPage, refusal, select, type Q } from './registrar-common.ts';
import { rt, type RKey } from './registrar-i18n.ts';

const KINDS = ['natural', 'legal'] as const;
const VERIFICATION = ['unverified', 'verified', 'inaccurate'] as const;
const contactHref = (h: string) => `/registrar/contacts/${encodeURIComponent(h)}`;

/** Form fields: [name, label key, input attributes]. The identity fields are those of R3.7 / R3.8. */
const FIELDS: [keyof ContactView & string, RKey, string][] = [
  ['givenName', 'givenName', 'autocomplete="given-name" maxlength="255"'], ['familyName', 'familyName', 'autocomplete="family-name" maxlength="255"'],
  ['patronymic', 'patronymic', 'maxlength="255"'], ['orgName', 'orgName', 'autocomplete="organization" maxlength="255"'],
  ['citizenship', 'citizenship', 'maxlength="2" size="3"'], ['regCountry', 'regCountry', 'maxlength="2" size="3"'],
  ['city', 'city', 'autocomplete="address-level2" maxlength="255"'], ['sp', 'sp', 'maxlength="255"'], ['pc', 'pc', 'autocomplete="postal-code" maxlength="16" size="10"'],
  ['cc', 'cc', 'maxlength="2" size="3" required'], ['voice', 'voice', 'type="tel" placeholder="+994.501234567" maxlength="32"'],
  ['fax', 'fax', 'type="tel" maxlength="32"'], ['email', 'emailField', 'type="email" autocomplete="email" required maxlength="254"'],
  ['idSeries', 'idSeries', 'maxlength="8" size="6"'], ['idNumber', 'idNumber', 'maxlength="32"'], ['idAuthority', 'idAuthority', 'maxlength="255"'],
  ['idIssuedOn', 'idIssuedOn', 'type="date"'], ['tin', 'tin', 'maxlength="16" inputmode="numeric"'],
];

/** R3.8: the director or representative of a legal entity. */
const REP: [string, RKey, string][] = [
  ['repName', 'repName', 'maxlength="255"'], ['repPosition', 'repPosition', 'maxlength="255"'], ['repIdSeries', 'idSeries', 'maxlength="8" size="6"'],
  ['repIdNumber', 'idNumber', 'maxlength="32"'], ['repIdAuthority', 'idAuthority', 'maxlength="255"'], ['repIdIssuedOn', 'idIssuedOn', 'type="date"'],
];

function contactForm(c: PageContext, action: string, v: Partial<Record<string, string | string[] | null>>, create: boolean): string {
  const L = c.lang;
  const val = (k: string) => { const x = v[k]; return Array.isArray(x) ? x.join('\n') : x ?? ''; };
  return `<form method="post" action="${action}">${csrfField(c)}
${create ? `${input('c-handle', 'handle', rt(L, 'handle'), val('handle'), 'required maxlength="16" pattern="[A-Za-z0-9][A-Za-z0-9._\\-]{2,15}" aria-describedby="c-handle-help"')}
<p id="c-handle-help"><small>${rt(L, 'handleHelp')}</small></p>
${select('c-kind', 'kind', rt(L, 'kind'), KINDS.map((k): [string, string] => [k, rt(L, k)]), val('kind') || 'natural')}` : ''}
<div class="grid2">${FIELDS.map(([name, key, attrs]) => `<div>${input(`c-${name}`, name, rt(L, key), val(name), attrs)}</div>`).join('\n')}
</div>
<fieldset><legend>${rt(L, 'representative')}</legend><div class="grid2">${REP.map(([name, key, attrs]) => `<div>${input(`c-${name}`, name, rt(L, key), val(name), attrs)}</div>`).join('\n')}</div></fieldset>
<div class="grid2"><div><label for="c-street">${rt(L, 'street')}</label><textarea id="c-street" name="street" rows="3" cols="30" aria-describedby="c-street-help">${esc(val('street'))}</textarea>
<p id="c-street-help"><small>${rt(L, 'streetHelp')}</small></p></div></div>
<div><button type="submit">${create ? rt(L, 'createContact') : rt(L, 'saveContact')}</button></div></form>`;
}

export async function registrarContactPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  app.get('/contacts', { config }, async (req, reply) => {
    const p = req.portal.principal!;
    const q = req.query as Q;
    const offset = offsetOf(q);
    const f = { q: (q.q ?? '').slice(0, 100), kind: oneOf(q.kind, KINDS), verification: oneOf(q.verification, VERIFICATION), linked: oneOf(q.linked, ['true', 'false'] as const) };
    const list = await listContacts(reg, p.actor, p.registrarId!, {
      ...(f.q ? { q: f.q } : {}), ...(f.kind ? { kind: f.kind } : {}), ...(f.verification ? { verification: f.verification } : {}),
      ...(f.linked ? { linked: f.linked === 'true' } : {}), limit: PAGE_SIZE, offset,
    });
    const c = ctx(req, reg, '/registrar/contacts', f);
    const L = c.lang;
    const keep = new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();
    const deleted = q.deleted ? notice('ok', rt(L, 'contactDeleted', { h: q.deleted.slice(0, 16) })) : '';
    const form = `${deleted}<p><a href="/registrar/contacts/new">${rt(L, 'newContact')}</a></p>
<form method="get" action="/registrar/contacts" class="filters" role="search">
<div><label for="q">${rt(L, 'searchContact')}</label><input id="q" name="q" type="search" value="${esc(f.q)}"></div>
<div>${select('kind', 'kind', rt(L, 'kind'), [['', t(L, 'anyStatus')], ...KINDS.map((k): [string, string] => [k, rt(L, k)])], f.kind)}</div>
<div>${select('verification', 'verification', rt(L, 'verification'), [['', t(L, 'anyStatus')], ...VERIFICATION.map((k): [string, string] => [k, rt(L, k)])], f.verification)}</div>
<div>${select('linked', 'linked', rt(L, 'linkedFilter'), [['', t(L, 'anyStatus')], ['true', rt(L, 'linkedYes')], ['false', rt(L, 'linkedNo')]], f.linked)}</div>
<div><button type="submit">${t(L, 'search')}</button></div></form>`;
    const table = list.items.length ? `<div class="table"><table><caption>${t(L, 'total', { n: list.total })}</caption>
<thead><tr><th scope="col">${rt(L, 'handle')}</th><th scope="col">${rt(L, 'name')}</th><th scope="col">${rt(L, 'kind')}</th><th scope="col">${rt(L, 'emailField')}</th><th scope="col">${rt(L, 'verification')}</th><th scope="col">${rt(L, 'linkedFilter')}</th></tr></thead>
<tbody>${list.items.map((x) => `<tr><td><a href="${contactHref(x.handle)}">${esc(x.handle)}</a></td><td>${esc(x.name)}</td><td>${rt(L, x.kind)}</td><td>${esc(x.email)}</td>
<td>${rt(L, x.verification as RKey)}</td><td>${x.linked ? rt(L, 'linkedYes') : rt(L, 'linkedNo')}</td></tr>`).join('\n')}</tbody></table></div>
<p>${pager(c, '/registrar/contacts', keep, offset, list.total)}</p>` : `<p>${t(L, 'none')}</p>`;
    return sendHtml(reply, registrarPage(c, rt(L, 'navContacts'), form + table));
  });

  function newPage(req: FastifyRequest, reply: FastifyReply, values: Q, message = '', code = 200): FastifyReply {
    const c = ctx(req, reg, '/registrar/contacts/new');
    return sendHtml(reply, registrarPage(c, rt(c.lang, 'newContact'), message + contactForm(c, '/registrar/contacts', values, true)), code);
  }

  app.get('/contacts/new', { config }, async (req, reply) => newPage(req, reply, {}));

  app.post<{ Body: Q }>('/contacts', { config }, async (req, reply) => {
    const b = req.body ?? {};
    try {
      const v = await createContact(reg, req.portal.principal!.actor, { ...contactData(b), handle: String(b.handle ?? '').trim() });
      return contactPage(req, reply, v.handle, notice('ok', rt(req.portal.lang, 'contactCreated', { h: v.handle })));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      // The form comes back with what was typed, so nothing is lost.
      return newPage(req, reply, b, refusal(e), e.httpStatus);
    }
  });

  async function contactPage(req: FastifyRequest, reply: FastifyReply, handle: string, message = '', code = 200, typed?: Q): Promise<FastifyReply> {
    const v = await contactOf(reg, req.portal.principal!.actor, handle);
    const uses = await contactDomains(reg, v.handle);
    const href = contactHref(v.handle);
    const c = ctx(req, reg, href);
    const L: Lang = c.lang;
    const show = (label: string, value: string | null | undefined) => (value ? `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>` : '');
    const details = `<dl>${show(rt(L, 'kind'), rt(L, v.kind))}${show(rt(L, 'name'), v.kind === 'legal' ? v.orgName : [v.givenName, v.patronymic, v.familyName].filter(Boolean).join(' '))}
${show(rt(L, 'street'), [...v.street, v.pc, v.city, v.sp, v.cc].filter(Boolean).join(', '))}${show(rt(L, 'emailField'), v.email)}${show(rt(L, 'voice'), v.voice)}
${show(rt(L, 'idNumber'), v.idSeries || v.idNumber ? `${v.idSeries ?? ''} ${v.idNumber ?? ''}`.trim() : null)}${show(rt(L, 'tin'), v.tin)}
${show(rt(L, 'representative'), v.representative ? [v.representative.name, v.representative.position].filter(Boolean).join(', ') : null)}
${show(rt(L, 'verification'), rt(L, v.verification as RKey))}<dt>${t(L, 'status')}</dt><dd>${v.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</dd>
${show(t(L, 'created'), day(v.createdAt))}</dl>`;
    const values: Q = typed ?? {
      ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x.join('\n') : typeof x === 'string' ? x : undefined])),
      repName: v.representative?.name, repPosition: v.representative?.position ?? undefined, repIdSeries: v.representative?.idSeries ?? undefined,
      repIdNumber: v.representative?.idNumber ?? undefined, repIdAuthority: v.representative?.idAuthority ?? undefined, repIdIssuedOn: v.representative?.idIssuedOn ?? undefined,
    };
    const used = `<h2>${rt(L, 'usedBy')}</h2>${uses.length ? `<ul id="contact-domains">${uses.map((u) => `<li><a href="/registrar/domains/${encodeURIComponent(u.name)}">${esc(u.unicodeName)}</a> (${esc(u.role)})</li>`).join('')}</ul>` : `<p>${t(L, 'none')}</p>`}`;
    const body = `${message}${details}${used}<h2>${rt(L, 'editContact')}</h2>${contactForm(c, `${href}/update`, values, false)}
<h2>${rt(L, 'deleteContact')}</h2><form method="post" action="${href}/delete">${csrfField(c)}<p><small>${rt(L, 'deleteContactHelp')}</small></p>
<button type="submit" class="danger">${rt(L, 'deleteContact')} ${esc(v.handle)}</button></form>`;
    return sendHtml(reply, registrarPage(c, `${rt(L, 'contact')} ${v.handle}`, body), code);
  }

  app.get<{ Params: { handle: string } }>('/contacts/:handle', { config }, async (req, reply) => contactPage(req, reply, req.params.handle));

  app.post<{ Params: { handle: string }; Body: Q }>('/contacts/:handle/update', { config }, async (req, reply) => {
    const b = req.body ?? {};
    try {
      await updateContact(reg, req.portal.principal!.actor, { handle: req.params.handle, set: contactData(b) });
      return contactPage(req, reply, req.params.handle, notice('ok', rt(req.portal.lang, 'contactSaved')));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return contactPage(req, reply, req.params.handle, refusal(e), e.httpStatus, b);
    }
  });

  app.post<{ Params: { handle: string } }>('/contacts/:handle/delete', { config }, async (req, reply) => {
    try {
      await contactOf(reg, req.portal.principal!.actor, req.params.handle);
      await deleteContact(reg, req.portal.principal!.actor, req.params.handle);
    } catch (e) {
      if (!isRegistryError(e) || e.kind === 'notFound' || e.kind === 'authorization') throw e;
      return contactPage(req, reply, req.params.handle, refusal(e), e.httpStatus);
    }
    return reply.code(303).header('location', `/registrar/contacts?deleted=${encodeURIComponent(req.params.handle)}&lang=${req.portal.lang}`).send();
  });
}
