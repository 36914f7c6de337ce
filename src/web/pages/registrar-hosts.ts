// The registrar's hosts (RFC 5732): the list with search and filters (inside or outside the registry, in use or
// not), a form to create one (glue addresses only for hosts inside the registry), a host's page to set its
// addresses, and deletion when no domain uses it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHost, deleteHost } from '../../core/hosts.ts';
import { isRegistryError } from '../../core/errors.ts';
import { listHosts } from '../../core/registrar-queries.ts';
import type { Registry } from '../../core/registry.ts';
import { hostOf, setHostAddresses } from '../api/registrar-routes.ts';
import { t } from './i18n.ts';
import { csrfField, day, esc, notice, type PageContext } from './layout.ts';
import { sendHtml } from './render.ts';
import { config, ctx, input, lines, offsetOf, oneOf, pager, PAGE_SIZE, registrarPage, refusal, select, type Q } from './registrar-common.ts';
import { rt } from './registrar-i18n.ts';

const hostHref = (n: string) => `/registrar/hosts/${encodeURIComponent(n)}`;

function addressField(c: PageContext, id: string, value: string): string {
  return `<label for="${id}">${rt(c.lang, 'addresses')}</label><textarea id="${id}" name="addresses" rows="3" cols="40" aria-describedby="${id}-help">${esc(value)}</textarea>
<p id="${id}-help"><small>${rt(c.lang, 'addressesHelp', { tld: c.tld })}</small></p>`;
}

export async function registrarHostPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function listPage(req: FastifyRequest, reply: FastifyReply, message = '', code = 200, typed: Q = {}): Promise<FastifyReply> {
    const p = req.portal.principal!;
    const q = req.query as Q;
    const offset = offsetOf(q);
    const f = { q: (q.q ?? '').slice(0, 253), zone: oneOf(q.zone, ['internal', 'external'] as const), linked: oneOf(q.linked, ['true', 'false'] as const) };
    const list = await listHosts(reg, p.actor, p.registrarId!, {
      ...(f.q ? { q: f.q } : {}), ...(f.zone ? { zone: f.zone } : {}), ...(f.linked ? { linked: f.linked === 'true' } : {}), limit: PAGE_SIZE, offset,
    });
    const c = ctx(req, reg, '/registrar/hosts', f);
    const L = c.lang;
    const keep = new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();
    const deleted = q.deleted ? notice('ok', rt(L, 'hostDeleted', { h: q.deleted.slice(0, 253) })) : '';
    const filters = `<form method="get" action="/registrar/hosts" class="filters" role="search">
<div><label for="q">${t(L, 'searchName')}</label><input id="q" name="q" type="search" value="${esc(f.q)}"></div>
<div>${select('zone', 'zone', rt(L, 'zoneFilter'), [['', t(L, 'anyStatus')], ['internal', rt(L, 'internal', { tld: c.tld })], ['external', rt(L, 'external')]], f.zone)}</div>
<div>${select('linked', 'linked', rt(L, 'inUse'), [['', t(L, 'anyStatus')], ['true', rt(L, 'linkedYes')], ['false', rt(L, 'linkedNo')]], f.linked)}</div>
<div><button type="submit">${t(L, 'search')}</button></div></form>`;
    const table = list.items.length ? `<div class="table"><table><caption>${t(L, 'total', { n: list.total })}</caption>
<thead><tr><th scope="col">${rt(L, 'host')}</th><th scope="col">${rt(L, 'addresses')}</th><th scope="col">${rt(L, 'inUse')}</th><th scope="col">${t(L, 'status')}</th></tr></thead>
<tbody>${list.items.map((h) => `<tr><td><a href="${hostHref(h.name)}">${esc(h.name)}</a></td><td>${h.addresses.map((a) => `<code>${esc(a)}</code>`).join('<br>') || '–'}</td>
<td>${h.domains}</td><td>${h.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</td></tr>`).join('\n')}</tbody></table></div>
<p>${pager(c, '/registrar/hosts', keep, offset, list.total)}</p>` : `<p>${t(L, 'none')}</p>`;
    const create = `<h2>${rt(L, 'newHost')}</h2><form method="post" action="/registrar/hosts">${csrfField(c)}
${input('h-name', 'name', rt(L, 'host'), typed.name ?? '', 'required maxlength="253" placeholder="ns1.example.az"')}
${addressField(c, 'h-addresses', typed.addresses ?? '')}
<div><button type="submit">${rt(L, 'createHost')}</button></div></form>`;
    return sendHtml(reply, registrarPage(c, rt(L, 'navHosts'), deleted + message + filters + table + create), code);
  }

  app.get('/hosts', { config }, async (req, reply) => listPage(req, reply));

  app.post<{ Body: Q }>('/hosts', { config }, async (req, reply) => {
    const b = req.body ?? {};
    try {
      const h = await createHost(reg, req.portal.principal!.actor, { name: String(b.name ?? ''), addresses: lines(b.addresses) });
      return hostPage(req, reply, h.name, notice('ok', rt(req.portal.lang, 'hostCreated', { h: h.name })));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return listPage(req, reply, refusal(e), e.httpStatus, b);
    }
  });

  async function hostPage(req: FastifyRequest, reply: FastifyReply, name: string, message = '', code = 200): Promise<FastifyReply> {
    const h = await hostOf(reg, req.portal.principal!.actor, name);
    const href = hostHref(h.name);
    const c = ctx(req, reg, href);
    const L = c.lang;
    const body = `${message}<dl><dt>${t(L, 'status')}</dt><dd>${h.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</dd>
<dt>${rt(L, 'addresses')}</dt>${h.addresses.length ? h.addresses.map((a) => `<dd><code>${esc(a)}</code></dd>`).join('') : '<dd>–</dd>'}
${h.superordinateDomain ? `<dt>${rt(L, 'superordinate')}</dt><dd>${esc(h.superordinateDomain)}</dd>` : ''}<dt>${t(L, 'created')}</dt><dd>${day(h.createdAt)}</dd></dl>
<h2>${rt(L, 'addresses')}</h2><form method="post" action="${href}/addresses">${csrfField(c)}${addressField(c, 'h-addresses', h.addresses.join('\n'))}
<div><button type="submit">${rt(L, 'saveAddresses')}</button></div></form>
<h2>${rt(L, 'deleteHost')}</h2><form method="post" action="${href}/delete">${csrfField(c)}<p><small>${rt(L, 'deleteHostHelp')}</small></p>
<button type="submit" class="danger">${rt(L, 'deleteHost')} ${esc(h.name)}</button></form>`;
    return sendHtml(reply, registrarPage(c, `${rt(L, 'host')} ${h.name}`, body), code);
  }

  app.get<{ Params: { name: string } }>('/hosts/:name', { config }, async (req, reply) => hostPage(req, reply, req.params.name));

  app.post<{ Params: { name: string }; Body: Q }>('/hosts/:name/addresses', { config }, async (req, reply) => {
    try {
      await setHostAddresses(reg, req.portal.principal!.actor, req.params.name, lines(req.body?.addresses));
      return hostPage(req, reply, req.params.name, notice('ok', rt(req.portal.lang, 'addressesSaved')));
    } catch (e) {
      if (!isRegistryError(e) || e.kind === 'notFound' || e.kind === 'authorization') throw e;
      return hostPage(req, reply, req.params.name, refusal(e), e.httpStatus);
    }
  });

  app.post<{ Params: { name: string } }>('/hosts/:name/delete', { config }, async (req, reply) => {
    let name = req.params.name;
    try {
      name = (await hostOf(reg, req.portal.principal!.actor, req.params.name)).name;
      await deleteHost(reg, req.portal.principal!.actor, name);
    } catch (e) {
      if (!isRegistryError(e) || e.kind === 'notFound' || e.kind === 'authorization') throw e;
      return hostPage(req, reply, name, refusal(e), e.httpStatus);
    }
    return reply.code(303).header('location', `/registrar/hosts?deleted=${encodeURIComponent(name)}&lang=${req.portal.lang}`).send();
  });
}
