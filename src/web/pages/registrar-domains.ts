// The registrar's domains: the list with search and filters, bulk actions on the selected ones (renew, a client
// status on or off, name servers; one core operation per domain and one result line each), and a domain's page
// with renewal, name servers and client statuses.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_STATUSES } from '../../core/domains/statuses.ts';
import { updateDomain } from '../../core/domains/update.ts';
import { isRegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { listDomains, renew, setNameServers, viewDomain } from '../api/operations.ts';
import { bulkDomains, type BulkActionKind, type BulkItemResult } from '../api/registrar-ops.ts';
import { t } from './i18n.ts';
import { csrfField, day, esc, notice } from './layout.ts';
import { sendHtml } from './render.ts';
import { config, ctx, lines, offsetOf, oneOf, outcome, pager, PAGE_SIZE, registrarPage, refusal, select, type Q } from './registrar-common.ts';
import { rt } from './registrar-i18n.ts';

const FILTER_STATUSES = ['ok', 'inactive', 'clientHold', 'serverHold', 'pendingDelete', 'redemptionPeriod', 'pendingTransfer',
  'clientTransferProhibited', 'clientUpdateProhibited', 'serverUpdateProhibited'] as const;
const YEARS = [1, 2, 3, 4, 5, 10];
export const domainHref = (name: string): string => `/registrar/domains/${encodeURIComponent(name)}`;

export async function registrarDomainPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  async function listPage(req: FastifyRequest, reply: FastifyReply, message = '', code = 200, results: BulkItemResult[] = []): Promise<FastifyReply> {
    const q = req.query as Q;
    const offset = offsetOf(q);
    const filters = { q: (q.q ?? '').slice(0, 253), status: oneOf(q.status, FILTER_STATUSES), expiresBefore: /^\d{4}-\d{2}-\d{2}$/.test(q.expiresBefore ?? '') ? q.expiresBefore! : '' };
    const list = await listDomains(reg, req.portal.principal!.actor, {
      ...(filters.q ? { q: filters.q } : {}), ...(filters.status ? { status: filters.status } : {}), ...(filters.expiresBefore ? { expiresBefore: filters.expiresBefore } : {}),
      limit: PAGE_SIZE, offset,
    });
    const c = ctx(req, reg, '/registrar', filters);
    const L = c.lang;
    const keep = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
    const form = `<form method="get" action="/registrar" class="filters" role="search">
<div><label for="q">${t(L, 'searchName')}</label><input id="q" name="q" type="search" value="${esc(filters.q)}"></div>
<div>${select('status', 'status', t(L, 'status'), [['', t(L, 'anyStatus')], ...FILTER_STATUSES.map((s): [string, string] => [s, s])], filters.status)}</div>
<div><label for="expiresBefore">${t(L, 'expiresBefore')}</label><input id="expiresBefore" name="expiresBefore" type="date" value="${esc(filters.expiresBefore)}"></div>
<div><button type="submit">${t(L, 'search')}</button></div></form>`;
    const report = results.length ? `<h2 id="bulk-results">${rt(L, 'bulkResults')}</h2><ul class="results">${results.map((r) => `<li class="${r.ok ? 'done' : 'failed'}"><strong>${esc(r.name)}</strong>: ${r.ok
      ? `${rt(L, 'bulkDone')}${r.expiresAt ? ` (${t(L, 'expires')} ${day(r.expiresAt)})` : ''}${r.hosts ? ` (${esc(r.hosts.join(', '))})` : ''}`
      : `${esc(r.error!.message)} (${esc(r.error!.clause)}, ${r.error!.code})`}</li>`).join('')}</ul>` : '';
    const rows = list.items.map((d, i) => `<tr><td><input type="checkbox" id="sel-${i}" name="names" value="${esc(d.name)}"><label for="sel-${i}" class="vh">${rt(L, 'select')} ${esc(d.unicodeName)}</label></td>
<td><a href="${domainHref(d.name)}">${esc(d.unicodeName)}</a></td><td>${d.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</td><td>${day(d.expiresAt)}</td></tr>`).join('\n');
    const bulk = `<fieldset><legend>${rt(L, 'bulkTitle')}</legend>
<div class="filters"><div>${select('bulk-action', 'action', rt(L, 'bulkAction'), [['renew', t(L, 'renew')], ['addStatus', rt(L, 'addStatus')], ['removeStatus', rt(L, 'removeStatus')], ['nameservers', t(L, 'saveNs')]], 'renew')}</div>
<div>${select('bulk-years', 'periodYears', rt(L, 'bulkYears'), YEARS.map((y): [string, string] => [String(y), String(y)]), '1')}</div>
<div>${select('bulk-status', 'status', rt(L, 'bulkStatus'), CLIENT_STATUSES.map((s): [string, string] => [s, s]), 'clientTransferProhibited')}</div>
<div><label for="bulk-hosts">${rt(L, 'bulkHosts')}</label><textarea id="bulk-hosts" name="hosts" rows="2" cols="30" aria-describedby="bulk-help"></textarea></div></div>
<p id="bulk-help"><small>${rt(L, 'bulkHelp')}</small></p>
<button type="submit">${rt(L, 'bulkRun')}</button></fieldset>`;
    const table = list.items.length
      ? `<form method="post" action="/registrar/domains/bulk${keep ? `?${esc(keep)}` : ''}">${csrfField(c)}<div class="table"><table><caption>${t(L, 'total', { n: list.total })}</caption>
<thead><tr><th scope="col">${rt(L, 'selectCol')}</th><th scope="col">${t(L, 'domain')}</th><th scope="col">${t(L, 'status')}</th><th scope="col">${t(L, 'expires')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>${bulk}</form><p>${pager(c, '/registrar', keep, offset, list.total)}</p>`
      : `<p>${t(L, 'none')}</p>`;
    return sendHtml(reply, registrarPage(c, t(L, 'domains'), message + report + form + table), code);
  }

  app.get('/', { config }, async (req, reply) => listPage(req, reply));

  app.post<{ Body: Q }>('/domains/bulk', { config }, async (req, reply) => {
    const b = req.body ?? {};
    const action = (b.action ?? '') as BulkActionKind;
    try {
      const results = await bulkDomains(reg, req.portal.principal!.actor, lines(b.names), {
        action, periodYears: Number.parseInt(b.periodYears ?? '1', 10), ...(b.status ? { status: b.status } : {}), ...(action === 'nameservers' ? { hosts: lines(b.hosts) } : {}),
      });
      const failed = results.filter((r) => !r.ok).length;
      const L = req.portal.lang;
      const summary = notice(failed ? 'error' : 'ok', rt(L, 'bulkSummary', { ok: results.length - failed, failed }));
      return listPage(req, reply, summary, 200, results);
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return listPage(req, reply, refusal(e), e.httpStatus);
    }
  });

  async function domainBody(req: FastifyRequest, name: string, message: string): Promise<{ title: string; body: string; path: string }> {
    const d = await viewDomain(reg, req.portal.principal!.actor, name);
    const c = ctx(req, reg, domainHref(d.name));
    const L = c.lang;
    const href = domainHref(d.name);
    const statusBoxes = CLIENT_STATUSES.map((s, i) => `<div><input type="checkbox" id="cs-${i}" name="statuses" value="${s}"${d.statuses.includes(s) ? ' checked' : ''}>
<label for="cs-${i}" class="check">${s}</label></div>`).join('');
    const body = `${message}<dl>
<dt>${t(L, 'status')}</dt><dd>${d.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</dd>
<dt>${t(L, 'registrant')}</dt><dd><a href="/registrar/contacts/${encodeURIComponent(d.registrant)}"><code>${esc(d.registrant)}</code></a></dd>
${d.contacts.map((x) => `<dt>${esc(x.type)}</dt><dd><a href="/registrar/contacts/${encodeURIComponent(x.handle)}"><code>${esc(x.handle)}</code></a></dd>`).join('')}
<dt>${t(L, 'created')}</dt><dd>${day(d.createdAt)}</dd>
<dt>${t(L, 'expires')}</dt><dd id="expiry">${day(d.expiresAt)}</dd>
<dt>${t(L, 'ns')}</dt>${d.hosts.length ? d.hosts.map((h) => `<dd><code>${esc(h)}</code></dd>`).join('') : '<dd>–</dd>'}
</dl>
<h2>${t(L, 'renew')}</h2>
<form method="post" action="${href}/renew">${csrfField(c)}
${select('years', 'periodYears', t(L, 'years'), YEARS.map((y): [string, string] => [String(y), String(y)]), '1')}
<input type="hidden" name="currentExpiryDate" value="${day(d.expiresAt)}">
<div><button type="submit">${t(L, 'renew')}</button></div></form>
<h2>${t(L, 'ns')}</h2>
<form method="post" action="${href}/nameservers">${csrfField(c)}
<label for="hosts">${t(L, 'ns')}</label><textarea id="hosts" name="hosts" rows="4" cols="40" aria-describedby="hosts-help">${esc(d.hosts.join('\n'))}</textarea>
<p id="hosts-help"><small>${t(L, 'nsHelp')} ${rt(L, 'nsExternalHelp')}</small></p>
<div><button type="submit">${t(L, 'saveNs')}</button></div></form>
<h2>${rt(L, 'clientStatuses')}</h2>
<form method="post" action="${href}/statuses">${csrfField(c)}<fieldset><legend>${rt(L, 'clientStatuses')}</legend>${statusBoxes}</fieldset>
<div><button type="submit">${rt(L, 'saveStatuses')}</button></div></form>`;
    return { title: d.unicodeName, body, path: href };
  }

  async function domainPage(req: FastifyRequest, reply: FastifyReply, name: string, message = '', code = 200): Promise<FastifyReply> {
    const r = await domainBody(req, name, message);
    return sendHtml(reply, registrarPage(ctx(req, reg, r.path), r.title, r.body), code);
  }

  /** A domain form: the outcome on the domain's page (a refused change leaves the domain as it was). */
  function act(req: FastifyRequest, reply: FastifyReply, name: string, op: () => Promise<string>): Promise<FastifyReply> {
    return outcome(reply, op, async (message) => {
      const r = await domainBody(req, name, message);
      return registrarPage(ctx(req, reg, r.path), r.title, r.body);
    });
  }

  app.get<{ Params: { name: string } }>('/domains/:name', { config }, async (req, reply) => domainPage(req, reply, req.params.name));

  app.post<{ Params: { name: string }; Body: Q }>('/domains/:name/renew', { config }, async (req, reply) =>
    act(req, reply, req.params.name, async () => {
      const d = await renew(reg, req.portal.principal!.actor, req.params.name, Number.parseInt(req.body?.periodYears ?? '1', 10), req.body?.currentExpiryDate || undefined);
      return t(req.portal.lang, 'renewed', { d: day(d.expiresAt) });
    }));

  app.post<{ Params: { name: string }; Body: Q }>('/domains/:name/nameservers', { config }, async (req, reply) =>
    act(req, reply, req.params.name, async () => {
      await setNameServers(reg, req.portal.principal!.actor, req.params.name, lines(req.body?.hosts));
      return t(req.portal.lang, 'nsChanged');
    }));

  // The client statuses as ticked: one update adds the newly ticked and removes the unticked (RFC 5731 §3.2.5).
  app.post<{ Params: { name: string }; Body: Q }>('/domains/:name/statuses', { config }, async (req, reply) =>
    act(req, reply, req.params.name, async () => {
      const actor = req.portal.principal!.actor;
      const d = await viewDomain(reg, actor, req.params.name);
      const want = new Set(lines(req.body?.statuses));
      const add = CLIENT_STATUSES.filter((s) => want.has(s) && !d.statuses.includes(s));
      const remove = CLIENT_STATUSES.filter((s) => !want.has(s) && d.statuses.includes(s));
      if (add.length || remove.length) await updateDomain(reg, actor, { name: d.name, add: { statuses: add }, remove: { statuses: remove } });
      return rt(req.portal.lang, 'statusesSaved');
    }));
}
