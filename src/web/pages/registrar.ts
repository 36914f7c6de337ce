// The registrar portal (/registrar): its domains with search and filters, a domain's page (status, expiry, name
// servers) with renewal and a change of name servers, and the balance with the statement. Forms post here (with
// the session's CSRF token) and run the same operations as the API (src/web/api/operations.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { reviewQueue } from '../../core/applications.ts';
import { isRegistryError } from '../../core/errors.ts';
import type { Registry } from '../../core/registry.ts';
import { getBalance } from '../../billing/accounts.ts';
import { statement } from '../../billing/statement.ts';
import { REGISTRAR_ROLES } from '../auth/principal.ts';
import { listDomains, renew, setNameServers, viewDomain } from '../api/operations.ts';
import { pageContext, sendHtml } from './render.ts';
import { t, type Lang } from './i18n.ts';
import { csrfField, day, esc, notice, page, stamp } from './layout.ts';

const FILTER_STATUSES = ['ok', 'inactive', 'clientHold', 'serverHold', 'pendingDelete', 'redemptionPeriod', 'pendingTransfer',
  'clientTransferProhibited', 'clientUpdateProhibited', 'serverUpdateProhibited'];
const PAGE = 50;
const config = { roles: REGISTRAR_ROLES };
type Q = Record<string, string | undefined>;

const domainHref = (name: string) => `/registrar/domains/${encodeURIComponent(name)}`;

export async function registrarPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  app.get('/', { config }, async (req, reply) => {
    const q = req.query as Q;
    const offset = Math.max(0, Number.parseInt(q.offset ?? '0', 10) || 0);
    const filters = { q: (q.q ?? '').slice(0, 253), status: FILTER_STATUSES.includes(q.status ?? '') ? q.status! : '', expiresBefore: /^\d{4}-\d{2}-\d{2}$/.test(q.expiresBefore ?? '') ? q.expiresBefore! : '' };
    const list = await listDomains(reg, req.portal.principal!.actor, {
      ...(filters.q ? { q: filters.q } : {}), ...(filters.status ? { status: filters.status } : {}), ...(filters.expiresBefore ? { expiresBefore: filters.expiresBefore } : {}),
      limit: PAGE, offset,
    });
    const keep = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
    const c = pageContext(req, reg, '/registrar', keep);
    const L = c.lang;
    const form = `<form method="get" action="/registrar" class="filters" role="search">
<div><label for="q">${t(L, 'searchName')}</label><input id="q" name="q" type="search" value="${esc(filters.q)}"></div>
<div><label for="status">${t(L, 'status')}</label><select id="status" name="status"><option value="">${t(L, 'anyStatus')}</option>
${FILTER_STATUSES.map((s) => `<option value="${s}"${s === filters.status ? ' selected' : ''}>${s}</option>`).join('')}</select></div>
<div><label for="expiresBefore">${t(L, 'expiresBefore')}</label><input id="expiresBefore" name="expiresBefore" type="date" value="${esc(filters.expiresBefore)}"></div>
<div><button type="submit">${t(L, 'search')}</button></div></form>`;
    const rows = list.items.map((d) => `<tr><td><a href="${domainHref(d.name)}">${esc(d.unicodeName)}</a></td><td>${d.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</td><td>${day(d.expiresAt)}</td></tr>`).join('\n');
    const pager = [
      offset > 0 ? `<a href="/registrar?${keep ? `${keep}&` : ''}offset=${Math.max(0, offset - PAGE)}" rel="prev">${t(L, 'prev')}</a>` : '',
      offset + PAGE < list.total ? `<a href="/registrar?${keep ? `${keep}&` : ''}offset=${offset + PAGE}" rel="next">${t(L, 'next')}</a>` : '',
    ].filter(Boolean).join(' · ');
    const table = list.items.length
      ? `<div class="table"><table><caption>${t(L, 'total', { n: list.total })}</caption><thead><tr><th scope="col">${t(L, 'domain')}</th><th scope="col">${t(L, 'status')}</th><th scope="col">${t(L, 'expires')}</th></tr></thead>
<tbody>${rows}</tbody></table></div><p>${pager}</p>`
      : `<p>${t(L, 'none')}</p>`;
    return sendHtml(reply, page(c, t(L, 'domains'), form + table));
  });

  async function domainPage(req: FastifyRequest, reply: FastifyReply, name: string, message = '', code = 200): Promise<FastifyReply> {
    const d = await viewDomain(reg, req.portal.principal!.actor, name);
    const c = pageContext(req, reg, domainHref(d.name));
    const L: Lang = c.lang;
    const body = `${message}<dl>
<dt>${t(L, 'status')}</dt><dd>${d.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</dd>
<dt>${t(L, 'registrant')}</dt><dd><code>${esc(d.registrant)}</code></dd>
<dt>${t(L, 'created')}</dt><dd>${day(d.createdAt)}</dd>
<dt>${t(L, 'expires')}</dt><dd id="expiry">${day(d.expiresAt)}</dd>
<dt>${t(L, 'ns')}</dt>${d.hosts.length ? d.hosts.map((h) => `<dd><code>${esc(h)}</code></dd>`).join('') : '<dd>–</dd>'}
</dl>
<h2>${t(L, 'renew')}</h2>
<form method="post" action="${domainHref(d.name)}/renew">${csrfField(c)}
<label for="years">${t(L, 'years')}</label><select id="years" name="periodYears">${[1, 2, 3, 4, 5, 10].map((y) => `<option>${y}</option>`).join('')}</select>
<input type="hidden" name="currentExpiryDate" value="${day(d.expiresAt)}">
<div><button type="submit">${t(L, 'renew')}</button></div></form>
<h2>${t(L, 'ns')}</h2>
<form method="post" action="${domainHref(d.name)}/nameservers">${csrfField(c)}
<label for="hosts">${t(L, 'ns')}</label><textarea id="hosts" name="hosts" rows="4" cols="40" aria-describedby="hosts-help">${esc(d.hosts.join('\n'))}</textarea>
<p id="hosts-help"><small>${t(L, 'nsHelp')}</small></p>
<div><button type="submit">${t(L, 'saveNs')}</button></div></form>`;
    return sendHtml(reply, page(c, d.unicodeName, body), code);
  }

  /** Runs a form's operation; a registry refusal shows on the domain's page with its status code. */
  async function act(req: FastifyRequest, reply: FastifyReply, name: string, op: () => Promise<{ name: string }>, done: (L: Lang) => string): Promise<FastifyReply> {
    try {
      const d = await op();
      return domainPage(req, reply, d.name, notice('ok', done(req.portal.lang)));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return domainPage(req, reply, name, notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
  }

  app.get<{ Params: { name: string } }>('/domains/:name', { config }, async (req, reply) => domainPage(req, reply, req.params.name));

  app.post<{ Params: { name: string }; Body: Q }>('/domains/:name/renew', { config }, async (req, reply) => {
    const years = Number.parseInt(req.body?.periodYears ?? '1', 10);
    let expiry = '';
    return act(req, reply, req.params.name, async () => {
      const d = await renew(reg, req.portal.principal!.actor, req.params.name, years, req.body?.currentExpiryDate || undefined);
      expiry = day(d.expiresAt);
      return d;
    }, (L) => t(L, 'renewed', { d: expiry }));
  });

  app.post<{ Params: { name: string }; Body: Q }>('/domains/:name/nameservers', { config }, async (req, reply) => {
    const hosts = String(req.body?.hosts ?? '').split(/[\s,]+/).filter(Boolean);
    return act(req, reply, req.params.name, () => setNameServers(reg, req.portal.principal!.actor, req.params.name, hosts), (L) => t(L, 'nsChanged'));
  });

  app.get('/billing', { config }, async (req, reply) => {
    const p = req.portal.principal!;
    const q = req.query as Q;
    const isDay = (v: string | undefined): v is string => /^\d{4}-\d{2}-\d{2}$/.test(v ?? '') && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
    const from = isDay(q.from) ? q.from : '';
    const to = isDay(q.to) ? q.to : '';
    // [from, to]: the day named in 'to' is included.
    const period = { from: from ? new Date(`${from}T00:00:00Z`) : null, to: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : null };
    const [balance, st] = await Promise.all([getBalance(reg, p.actor, p.registrarId!), statement(reg, p.actor, p.registrarId!, period)]);
    const c = pageContext(req, reg, '/registrar/billing', new URLSearchParams(Object.entries({ from, to }).filter(([, v]) => v)).toString() || undefined);
    const L = c.lang;
    const lines = [...st.lines].reverse().slice(0, 200);
    const body = `<dl><dt>${t(L, 'balance')}</dt><dd id="balance">${esc(balance.balanceAzn)}</dd>
<dt>${t(L, 'creditLimit')}</dt><dd>${esc(balance.creditLimitAzn)}</dd><dt>${t(L, 'available')}</dt><dd>${esc(balance.availableAzn)}</dd></dl>
<h2>${t(L, 'statement')}</h2>
<form method="get" action="/registrar/billing" class="filters">
<div><label for="from">${t(L, 'from')}</label><input id="from" name="from" type="date" value="${esc(from)}"></div>
<div><label for="to">${t(L, 'to')}</label><input id="to" name="to" type="date" value="${esc(to)}"></div>
<div><button type="submit">${t(L, 'show')}</button></div></form>
<p>${t(L, 'opening')}: ${esc(st.openingAzn)}</p>
<div class="table"><table><thead><tr><th scope="col">${t(L, 'date')}</th><th scope="col">${t(L, 'description')}</th><th scope="col">${t(L, 'amount')}</th><th scope="col">${t(L, 'balance')}</th></tr></thead>
<tbody>${lines.map((l) => `<tr><td>${day(l.at)}</td><td>${esc(l.description)}</td><td>${esc(l.amountAzn)}</td><td>${esc(l.balanceAzn)}</td></tr>`).join('\n')}</tbody></table></div>
<p>${t(L, 'closing')}: ${esc(st.closingAzn)}</p>`;
    return sendHtml(reply, page(c, t(L, 'balance'), body));
  });

  // The registrar's own applications awaiting the National Administrator (R3.12), with each deadline.
  app.get('/applications', { config }, async (req, reply) => {
    const apps = await reviewQueue(reg, req.portal.principal!.actor, { limit: 500 });
    const c = pageContext(req, reg, '/registrar/applications');
    const L = c.lang;
    const body = apps.length ? `<div class="table"><table><thead><tr><th scope="col">#</th><th scope="col">${t(L, 'domain')}</th><th scope="col">${t(L, 'received')}</th><th scope="col">${t(L, 'due')}</th></tr></thead>
<tbody>${apps.map((a) => `<tr id="application-${a.id}"><td>${a.id}</td><td>${esc(a.unicodeName)}</td><td>${stamp(a.receivedAt)}</td><td>${stamp(a.dueAt)}</td></tr>`).join('\n')}</tbody></table></div>`
      : `<p>${t(L, 'emptyQueue')}</p>`;
    return sendHtml(reply, page(c, t(L, 'applications'), body));
  });
}
