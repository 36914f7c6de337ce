// The registrar's money and requests: balance and statement of a period, monthly invoices (A4.1) with their PDF,
// and its own applications awaiting the National Administrator (R3.12) with each deadline.
import type { FastifyInstance } from 'fastify';
import { reviewQueue } from '../../core/applications.ts';
import type { Registry } from '../../core/registry.ts';
import { getBalance } from '../../billing/accounts.ts';
import { getInvoice, listInvoices } from '../../billing/invoices.ts';
import { statement } from '../../billing/statement.ts';
import { t } from './i18n.ts';
import { day, esc, stamp } from './layout.ts';
import { sendHtml } from './render.ts';
import { config, ctx, registrarPage, type Q } from './registrar-common.ts';
import { rt } from './registrar-i18n.ts';

const isDay = (v: string | undefined): v is string => /^\d{4}-\d{2}-\d{2}$/.test(v ?? '') && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export async function registrarBillingPages(app: FastifyInstance, opts: { reg: Registry }): Promise<void> {
  const { reg } = opts;

  app.get('/billing', { config }, async (req, reply) => {
    const p = req.portal.principal!;
    const q = req.query as Q;
    const from = isDay(q.from) ? q.from : '';
    const to = isDay(q.to) ? q.to : '';
    // [from, to]: the day named in 'to' is included.
    const period = { from: from ? new Date(`${from}T00:00:00Z`) : null, to: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : null };
    const [balance, st] = await Promise.all([getBalance(reg, p.actor, p.registrarId!), statement(reg, p.actor, p.registrarId!, period)]);
    const c = ctx(req, reg, '/registrar/billing', { from, to });
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
    return sendHtml(reply, registrarPage(c, t(L, 'balance'), body));
  });

  app.get('/invoices', { config }, async (req, reply) => {
    const p = req.portal.principal!;
    const q = req.query as Q;
    const year = /^\d{4}$/.test(q.year ?? '') ? Number(q.year) : undefined;
    const invoices = (await listInvoices(reg, p.actor, { registrarId: p.registrarId!, ...(year ? { year } : {}) })).reverse();
    const c = ctx(req, reg, '/registrar/invoices', year ? { year: String(year) } : undefined);
    const L = c.lang;
    const form = `<form method="get" action="/registrar/invoices" class="filters"><div><label for="year">${rt(L, 'year')}</label>
<input id="year" name="year" inputmode="numeric" pattern="[0-9]{4}" size="6" value="${year ?? ''}"></div><div><button type="submit">${t(L, 'show')}</button></div></form>`;
    const table = invoices.length ? `<div class="table"><table><thead><tr><th scope="col">${rt(L, 'invoice')}</th><th scope="col">${rt(L, 'month')}</th>
<th scope="col">${rt(L, 'issued')}</th><th scope="col">${t(L, 'amount')}</th><th scope="col">PDF</th></tr></thead>
<tbody>${invoices.map((i) => `<tr id="invoice-${esc(i.number)}"><td>${esc(i.number)}</td><td>${esc(i.month)}</td><td>${day(i.issuedAt)}</td><td>${esc(i.totalAzn)} ${esc(i.currency)}</td>
<td><a href="/registrar/invoices/${encodeURIComponent(i.number)}.pdf" download>${rt(L, 'downloadPdf', { n: i.number })}</a></td></tr>`).join('\n')}</tbody></table></div>`
      : `<p>${rt(L, 'noInvoices')}</p>`;
    return sendHtml(reply, registrarPage(c, rt(L, 'navInvoices'), form + table));
  });

  app.get<{ Params: { file: string } }>('/invoices/:file', { config }, async (req, reply) => {
    const m = /^(\d{4}-\d{6})\.pdf$/.exec(req.params.file);
    if (!m) return reply.callNotFound();
    const inv = await getInvoice(reg, req.portal.principal!.actor, m[1]!);
    const { renderInvoicePdf } = await import('../../billing/pdf.ts');
    return reply.type('application/pdf').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="invoice-${inv.number}.pdf"`).send(await renderInvoicePdf(inv));
  });

  // The registrar's own applications awaiting the National Administrator (R3.12), with each deadline.
  app.get('/applications', { config }, async (req, reply) => {
    const apps = await reviewQueue(reg, req.portal.principal!.actor, { limit: 500 });
    const c = ctx(req, reg, '/registrar/applications');
    const L = c.lang;
    const body = apps.length ? `<div class="table"><table><thead><tr><th scope="col">#</th><th scope="col">${t(L, 'domain')}</th><th scope="col">${t(L, 'received')}</th><th scope="col">${t(L, 'due')}</th></tr></thead>
<tbody>${apps.map((a) => `<tr id="application-${a.id}"><td><a href="/registrar/applications/${a.id}">${a.id}</a></td><td>${esc(a.unicodeName)}</td><td>${stamp(a.receivedAt)}</td><td>${stamp(a.dueAt)}</td></tr>`).join('\n')}</tbody></table></div>`
      : `<p>${t(L, 'emptyQueue')}</p>`;
    return sendHtml(reply, registrarPage(c, t(L, 'applications'), body));
  });
}
