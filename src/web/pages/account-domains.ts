// The registrant's names: the overview (applications and domains with expiry), look-up with suggestions, the
// application with the Registration Agreement and payment (R3.10), the provider's signed callback, and a domain's
// page: renewal (paid), name servers, DS, a move to another registrar (R1.4) and a change of owner (R10.1).
// Every change runs as the sponsoring registrar's core operation, as it would over EPP.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAccount } from '../../core/accounts.ts';
import { askOwnerChange, lookupName, moveToRegistrar, setAccountDs, type LookupRow } from '../../core/accounts-domains.ts';
import { startRefunds } from '../account/refunds.ts';
import { accountDomains, createPaymentRecord, getOrder, listOrders, orderRegistration, orderRenewal, ownDomain, registrarActor, settlePayment, type OrderView } from '../../core/accounts-orders.ts';
import { getDomain } from '../../core/domains/view.ts';
import { isRegistryError, RegistryError } from '../../core/errors.ts';
import { acceptOwnerChange } from '../../core/owner-change.ts';
import type { Registry } from '../../core/registry.ts';
import { formatAzn } from '../../billing/money.ts';
import { priceAt } from '../../billing/prices.ts';
import { setNameServers } from '../api/operations.ts';
import { AGREEMENT_TEXT, AGREEMENT_VERSION } from '../account/agreement.ts';
import { ta } from '../account/messages.ts';
import { SIGNATURE_HEADER } from '../account/payments.ts';
import { formOf, requireRegistrant, sendAccount } from '../account/session.ts';
import { pageContext } from './render.ts';
import { t, type Lang } from './i18n.ts';
import { csrfField, day, esc, notice, stamp } from './layout.ts';
import { baseUrl, type AccountOptions } from './account.ts';
import { unreadCount } from '../../notify/admin.ts';

type Body = Record<string, string | undefined>;
const pub = { config: { roles: 'public' as const } };
const domainHref = (name: string) => `/account/domains/${encodeURIComponent(name)}`;

export function orderStatus(L: Lang, o: OrderView): string {
  const status = orderState(L, o);
  return o.refundedAt ? `${status}; ${ta(L, 'st_refunded')}` : status;
}

function orderState(L: Lang, o: OrderView): string {
  if (o.status === 'filed' && o.applicationStatus) {
    if (o.applicationStatus === 'refused') return ta(L, 'st_refused', { g: o.refusalGround ?? '' });
    return ta(L, `st_${o.applicationStatus}` as 'st_pending');
  }
  if (o.status === 'filed') return ta(L, o.result === 'renewed' ? 'st_renewed' : 'st_created');
  if (o.status === 'failed') return `${ta(L, 'st_failed')}: ${o.result ?? ''}`;
  return ta(L, `st_${o.status}` as 'st_paid');
}

export async function accountDomainPages(app: FastifyInstance, opts: AccountOptions & { reg: Registry }): Promise<void> {
  const { reg } = opts;
  const bodyOf = formOf;
  const me = (req: FastifyRequest, reply: FastifyReply): number | null => requireRegistrant(req, reply, reg);

  /**
   * A form whose answer redirects to the payment provider: CSP form-action also governs that redirect (CSP3
   * §6.4.1), so the page allows the provider's origin there, and only there.
   */
  function allowPayment(reply: FastifyReply): void {
    const csp = reply.getHeader('content-security-policy');
    if (!opts.payments || typeof csp !== 'string') return;
    reply.header('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${opts.payments.payOrigins.join(' ')}`));
  }

  async function activeRegistrars(): Promise<{ id: string; name: string }[]> {
    return reg.db.selectFrom('registrars').select(['id', 'name']).where('status', '=', 'active').orderBy('name').execute();
  }

  // --- the overview ---
  app.get('/', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const L = req.portal.lang;
    const [acc, orders, domains, unread, offers] = await Promise.all([
      getAccount(reg.db, userId), listOrders(reg, userId), accountDomains(reg, userId),
      unreadCount(reg, userId),
      reg.db.selectFrom('owner_changes').innerJoin('contacts', 'contacts.id', 'owner_changes.to_registrant_id').innerJoin('domains', 'domains.id', 'owner_changes.domain_id')
        .select(['owner_changes.id', 'domains.unicode_name']).where('contacts.account_id', '=', userId).where('owner_changes.status', '=', 'pending').execute(),
    ]);
    const lookup = `<h2>${esc(ta(L, 'lookupTitle'))}</h2><form method="get" action="/account/lookup" role="search">
<div><label for="name">${esc(ta(L, 'nameLabel'))}</label><input id="name" name="name" type="search" required size="30"></div>
<div><button type="submit">${esc(ta(L, 'check'))}</button></div></form>`;
    const ordersHtml = orders.length ? `<div class="table"><table><caption>${esc(ta(L, 'orders'))}</caption><thead><tr><th scope="col">#</th><th scope="col">${t(L, 'domain')}</th><th scope="col">${t(L, 'registrar')}</th><th scope="col">${t(L, 'status')}</th></tr></thead>
<tbody>${orders.map((o) => `<tr id="order-${o.id}"><td><a href="/account/orders/${o.id}">${o.id}</a></td><td>${esc(o.unicodeName)} (${esc(ta(L, o.kind === 'register' ? 'kindRegister' : 'kindRenew'))})</td><td>${esc(o.registrarId)}</td><td class="order-status">${esc(orderStatus(L, o))}</td></tr>`).join('\n')}</tbody></table></div>`
      : `<p>${esc(ta(L, 'noOrders'))}</p>`;
    const domainsHtml = domains.length ? `<div class="table"><table><caption>${esc(ta(L, 'myDomains'))}</caption><thead><tr><th scope="col">${t(L, 'domain')}</th><th scope="col">${t(L, 'registrar')}</th><th scope="col">${t(L, 'expires')}</th></tr></thead>
<tbody>${domains.map((d) => `<tr><td><a href="${domainHref(d.name)}">${esc(d.unicodeName)}</a></td><td>${esc(d.registrarId)}</td><td>${day(d.expiresAt)}</td></tr>`).join('\n')}</tbody></table></div>`
      : `<p>${esc(ta(L, 'noDomains'))}</p>`;
    const c = pageContext(req, reg, '/account');
    const offersHtml = offers.length ? `<h2>${esc(ta(L, 'ownerPending'))}</h2>${offers.map((o) => `<form method="post" action="/account/owner-changes/${o.id}/accept">${csrfField(c)}
<p>${esc(o.unicode_name)}: <a href="/account/agreement">${esc(ta(L, 'agreement'))}</a> (${esc(ta(L, 'agreementVersion', { v: AGREEMENT_VERSION }))})</p>
<div><input type="checkbox" id="oc-${o.id}" name="accept" value="yes" required> <label class="check" for="oc-${o.id}">${esc(ta(L, 'accept'))}</label></div>
<div><button type="submit">${esc(ta(L, 'ownerAccept'))}</button></div></form>`).join('')}` : '';
    const body = `<p>${esc(acc.name)} · ${esc(acc.email)} · <a href="/account/inbox">${esc(ta(L, 'inbox'))}</a> (${esc(ta(L, 'unread', { n: unread }))})</p>
${lookup}${offersHtml}<h2>${esc(ta(L, 'orders'))}</h2>${ordersHtml}<h2>${esc(ta(L, 'myDomains'))}</h2>${domainsHtml}`;
    return sendAccount(req, reply, reg, '/account', ta(L, 'account'), body);
  });

  // --- look-up with suggestions: the same label in the other general-use zones, and its ASCII form ---
  app.get('/lookup', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const L = req.portal.lang;
    const name = String((req.query as Body).name ?? '').trim().slice(0, 253);
    const { result, suggestions } = await lookupName(reg, name);
    const item = (r: LookupRow): string => {
      if (r.state === 'invalid') return `<li><strong>${esc(r.name)}</strong>: ${esc(ta(L, 'invalid'))}: ${esc(r.reasons.map((x) => `${x.message} (${x.clause})`).join('; '))}</li>`;
      const free = r.state === 'available' || r.state === 'availableReview';
      const link = free ? ` <a href="/account/apply?name=${encodeURIComponent(r.name)}">${esc(ta(L, 'apply'))}: ${esc(r.name)}</a>` : '';
      return `<li><strong>${esc(r.name)}</strong>${r.idn ? ` (<code>${esc(r.ascii)}</code>)` : ''}: ${esc(ta(L, r.state))}${link}</li>`;
    };
    const rows = [item(result), ...suggestions.map(item)];
    const before = 1;
    const body = `<form method="get" action="/account/lookup" role="search"><div><label for="name">${esc(ta(L, 'nameLabel'))}</label><input id="name" name="name" type="search" required size="30" value="${esc(name)}"></div>
<div><button type="submit">${esc(ta(L, 'check'))}</button></div></form>
<ul id="result">${rows.slice(0, before).join('')}</ul>${rows.length > before ? `<h2>${esc(ta(L, 'suggestions'))}</h2><ul id="suggestions">${rows.slice(before).join('')}</ul>` : ''}`;
    return sendAccount(req, reply, reg, '/account/lookup', ta(L, 'lookupTitle'), body, 200, `name=${encodeURIComponent(name)}`);
  });

  // --- the application: registrar, period, name servers, the agreement (R3.10, A12.3), payment ---
  async function applyPage(req: FastifyRequest, reply: FastifyReply, name: string, message: string, code: number, b: Body = {}): Promise<FastifyReply> {
    const L = req.portal.lang;
    const check = await reg.policy.checkName(name);
    const unicode = check.unicode ?? name;
    const registrars = await activeRegistrars();
    const price = check.zone ? await priceAt(reg.db, check.zone, 'create', reg.clock.now()) : null;
    const c = pageContext(req, reg, '/account/apply');
    allowPayment(reply);
    const body = `${message}<form method="post" action="/account/apply">${csrfField(c)}<input type="hidden" name="name" value="${esc(unicode)}">
<div><label for="registrar">${esc(ta(L, 'chooseRegistrar'))}</label><select id="registrar" name="registrarId" required>${registrars.map((r) => `<option value="${esc(r.id)}"${r.id === b.registrarId ? ' selected' : ''}>${esc(r.name)}</option>`).join('')}</select></div>
<div><label for="years">${esc(ta(L, 'years'))}</label><select id="years" name="periodYears">${[1, 2, 3, 4, 5, 10].map((y) => `<option${String(y) === (b.periodYears ?? '1') ? ' selected' : ''}>${y}</option>`).join('')}</select></div>
<p>${esc(ta(L, 'price', { a: price ? `${formatAzn(price.amount)} AZN / ${t(L, 'years').toLowerCase()}` : '0' }))}</p>
<div><label for="hosts">${esc(ta(L, 'ns'))}</label><textarea id="hosts" name="hosts" rows="3" cols="40">${esc(b.hosts ?? '')}</textarea></div>
<h2 id="agreement-title">${esc(ta(L, 'agreement'))}</h2><p>${esc(ta(L, 'agreementVersion', { v: AGREEMENT_VERSION }))} · <a href="/account/agreement">${esc(ta(L, 'agreementText'))}</a></p>
<div class="agreement" role="region" aria-labelledby="agreement-title" tabindex="0"><pre lang="en">${esc(AGREEMENT_TEXT)}</pre></div>
<input type="hidden" name="agreementVersion" value="${esc(AGREEMENT_VERSION)}">
<div><input type="checkbox" id="accept" name="accept" value="yes" required> <label class="check" for="accept">${esc(ta(L, 'accept'))}</label></div>
<div><input type="checkbox" id="accurate" name="accurate" value="yes" required> <label class="check" for="accurate">${esc(ta(L, 'accurate'))}</label></div>
<div><button type="submit">${esc(ta(L, 'acceptPay'))}</button></div></form>`;
    return sendAccount(req, reply, reg, '/account/apply', ta(L, 'applyTitle', { name: unicode }), body, code, `name=${encodeURIComponent(unicode)}`);
  }

  app.get('/apply', pub, async (req, reply) => {
    if (me(req, reply) === null) return reply;
    return applyPage(req, reply, String((req.query as Body).name ?? ''), '', 200);
  });

  /** Creates the payment at the provider and sends the payer there. */
  async function pay(req: FastifyRequest, reply: FastifyReply, userId: number, orderId: number): Promise<FastifyReply> {
    if (!opts.payments) return reply.code(303).header('location', `/account/orders/${orderId}?noprovider=1`).send();
    const p = await createPaymentRecord(reg, userId, orderId, opts.payments.name);
    const base = baseUrl(req, opts);
    const { redirectUrl } = await opts.payments.create({
      reference: p.id, amount: p.amount, currency: p.currency, description: p.description,
      returnUrl: `${base}/account/orders/${orderId}`, callbackUrl: `${base}/account/payments/callback`,
    });
    return reply.code(303).header('location', redirectUrl).send();
  }

  app.post('/apply', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const b = bodyOf(req);
    let order: OrderView;
    try {
      // The version is the one this page showed; an acceptance of another text is not an acceptance of this one.
      if (b.agreementVersion !== AGREEMENT_VERSION) b.accept = '';
      order = await orderRegistration(reg, userId, {
        name: b.name ?? '', registrarId: b.registrarId ?? '', periodYears: Number.parseInt(b.periodYears ?? '1', 10),
        hosts: String(b.hosts ?? '').split(/[\s,]+/).filter(Boolean), agreementVersion: b.accept === 'yes' ? AGREEMENT_VERSION : null, accurate: b.accurate === 'yes',
      });
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return applyPage(req, reply, b.name ?? '', notice('error', `${e.message} (${e.clause})`), e.httpStatus, b);
    }
    return pay(req, reply, userId, order.id);
  });

  app.get('/agreement', pub, async (req, reply) => {
    const L = req.portal.lang;
    return sendAccount(req, reply, reg, '/account/agreement', ta(L, 'agreement'), `<p>${esc(ta(L, 'agreementVersion', { v: AGREEMENT_VERSION }))}</p><pre lang="en" class="agreement-full">${esc(AGREEMENT_TEXT)}</pre>`);
  });

  // --- orders: the page the provider returns the payer to; the application's status (R3.11, R3.12) ---
  app.get<{ Params: { id: string } }>('/orders/:id', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const L = req.portal.lang;
    const o = await getOrder(reg, userId, Number.parseInt(req.params.id, 10) || 0);
    const c = pageContext(req, reg, `/account/orders/${o.id}`);
    allowPayment(reply);
    const payAgain = o.status === 'awaiting_payment'
      ? `${(req.query as Body).noprovider ? notice('error', ta(L, 'noProvider')) : ''}<form method="post" action="/account/orders/${o.id}/pay">${csrfField(c)}<div><button type="submit">${esc(ta(L, 'payNow'))}</button></div></form>` : '';
    const body = `<dl><dt>${t(L, 'domain')}</dt><dd>${esc(o.unicodeName)}</dd><dt>${t(L, 'registrar')}</dt><dd>${esc(o.registrarId)}</dd>
<dt>${esc(ta(L, 'years'))}</dt><dd>${o.periodYears}</dd><dt>${t(L, 'amount')}</dt><dd>${esc(formatAzn(o.amount))} AZN</dd>
${o.agreementVersion ? `<dt>${esc(ta(L, 'agreement'))}</dt><dd>${esc(o.agreementVersion)}, ${stamp(o.agreementAcceptedAt!)}</dd>` : ''}
<dt>${t(L, 'status')}</dt><dd id="order-status">${esc(orderStatus(L, o))}</dd>${o.applicationId ? `<dt>${t(L, 'application')}</dt><dd>${o.applicationId}</dd>` : ''}</dl>
${payAgain}<p><a href="/account">${esc(ta(L, 'backToAccount'))}</a></p>`;
    return sendAccount(req, reply, reg, `/account/orders/${o.id}`, ta(L, 'orderTitle', { n: o.id }), body);
  });

  app.post<{ Params: { id: string } }>('/orders/:id/pay', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    return pay(req, reply, userId, Number.parseInt(req.params.id, 10) || 0);
  });

  // Refunds (R5.2) of orders refused before filing or in review, on a timer and at once after such a callback.
  const refunds = opts.payments ? startRefunds(reg, opts.payments, 60_000, (l) => app.log.warn(l)) : null;
  if (refunds) app.addHook('onClose', async () => { refunds.stop(); });

  // The provider's signed callback, server to server: the only proof of payment. Its body is read raw, as signed.
  await app.register(async (cb) => {
    cb.removeContentTypeParser('application/json');
    cb.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => done(null, body));
    cb.post('/payments/callback', pub, async (req, reply) => {
      if (!opts.payments) return reply.code(404).send({ error: 'notFound', message: 'no payment provider is configured' });
      try {
        const s = opts.payments.verifyCallback(typeof req.body === 'string' ? req.body : '', req.headers[SIGNATURE_HEADER] as string | undefined);
        const o = await settlePayment(reg, s);
        if (o.status === 'failed') void refunds?.kick();
        return reply.send({ ok: true, order: o.id, status: o.status });
      } catch (e) {
        if (!isRegistryError(e)) throw e;
        return reply.code(e.httpStatus).send(e.toJSON());
      }
    });
  });

  // --- a domain of the account ---
  async function domainPage(req: FastifyRequest, reply: FastifyReply, userId: number, name: string, message = '', code = 200): Promise<FastifyReply> {
    const L = req.portal.lang;
    const own = await ownDomain(reg, userId, name);
    const d = await getDomain(reg, own.name);
    const registrars = (await activeRegistrars()).filter((r) => r.id !== d.registrarId);
    const c = pageContext(req, reg, domainHref(d.name));
    const href = domainHref(d.name);
    allowPayment(reply);
    const body = `${message}<dl>
<dt>${t(L, 'status')}</dt><dd>${d.statuses.map((s) => `<code>${esc(s)}</code>`).join(' ')}</dd>
<dt>${t(L, 'registrar')}</dt><dd id="registrar">${esc(d.registrarId)}</dd>
<dt>${t(L, 'created')}</dt><dd>${day(d.createdAt)}</dd><dt>${t(L, 'expires')}</dt><dd id="expiry">${day(d.expiresAt)}</dd>
<dt>${t(L, 'ns')}</dt>${d.hosts.length ? d.hosts.map((h) => `<dd><code>${esc(h)}</code></dd>`).join('') : '<dd>–</dd>'}
<dt>${esc(ta(L, 'ds'))}</dt>${d.ds.length ? d.ds.map((x) => `<dd><code>${x.keyTag} ${x.algorithm} ${x.digestType} ${esc(x.digest)}</code></dd>`).join('') : '<dd>–</dd>'}</dl>
<h2>${t(L, 'renew')}</h2><form method="post" action="${href}/renew">${csrfField(c)}
<div><label for="years">${esc(ta(L, 'years'))}</label><select id="years" name="periodYears">${[1, 2, 3, 4, 5].map((y) => `<option>${y}</option>`).join('')}</select></div>
<div><button type="submit">${esc(ta(L, 'renewPay'))}</button></div></form>
<h2>${t(L, 'ns')}</h2><form method="post" action="${href}/nameservers">${csrfField(c)}
<div><label for="hosts">${t(L, 'ns')}</label><textarea id="hosts" name="hosts" rows="4" cols="40" aria-describedby="hosts-help">${esc(d.hosts.join('\n'))}</textarea></div>
<p id="hosts-help"><small>${t(L, 'nsHelp')}</small></p><div><button type="submit">${t(L, 'saveNs')}</button></div></form>
<h2>${esc(ta(L, 'ds'))}</h2><form method="post" action="${href}/ds">${csrfField(c)}
<div><label for="ds">${esc(ta(L, 'ds'))}</label><textarea id="ds" name="ds" rows="3" cols="60" aria-describedby="ds-help">${esc(d.ds.map((x) => `${x.keyTag} ${x.algorithm} ${x.digestType} ${x.digest}`).join('\n'))}</textarea></div>
<p id="ds-help"><small>${esc(ta(L, 'dsHelp'))}</small></p><div><button type="submit">${esc(ta(L, 'saveDs'))}</button></div></form>
<h2>${esc(ta(L, 'moveTitle'))}</h2><form method="post" action="${href}/transfer">${csrfField(c)}
<div><label for="to">${esc(ta(L, 'newRegistrar'))}</label><select id="to" name="registrarId">${registrars.map((r) => `<option value="${esc(r.id)}">${esc(r.name)}</option>`).join('')}</select></div>
<div><button type="submit">${esc(ta(L, 'move'))}</button></div></form>
<h2>${esc(ta(L, 'ownerTitle'))}</h2><form method="post" action="${href}/owner">${csrfField(c)}
<div><label for="owner">${esc(ta(L, 'ownerEmail'))}</label><input id="owner" name="email" type="email" required size="30"></div>
<div><label for="why">${esc(ta(L, 'ownerRequest'))}</label><textarea id="why" name="request" rows="3" cols="40" required></textarea></div>
<div><button type="submit">${esc(ta(L, 'ownerSubmit'))}</button></div></form>`;
    return sendAccount(req, reply, reg, href, d.unicodeName, body, code);
  }

  async function act(req: FastifyRequest, reply: FastifyReply, userId: number, name: string, op: () => Promise<string>): Promise<FastifyReply> {
    try {
      const done = await op();
      return domainPage(req, reply, userId, name, notice('ok', done));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return domainPage(req, reply, userId, name, notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
  }

  app.get<{ Params: { name: string } }>('/domains/:name', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    return domainPage(req, reply, userId, req.params.name);
  });

  app.post<{ Params: { name: string } }>('/domains/:name/renew', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    let order: OrderView;
    try {
      order = await orderRenewal(reg, userId, { name: req.params.name, periodYears: Number.parseInt(bodyOf(req).periodYears ?? '1', 10) });
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return domainPage(req, reply, userId, req.params.name, notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
    return pay(req, reply, userId, order.id);
  });

  app.post<{ Params: { name: string } }>('/domains/:name/nameservers', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const hosts = String(bodyOf(req).hosts ?? '').split(/[\s,]+/).filter(Boolean);
    return act(req, reply, userId, req.params.name, async () => {
      const d = await ownDomain(reg, userId, req.params.name);
      await setNameServers(reg, registrarActor(d.registrarId), d.name, hosts);
      return t(req.portal.lang, 'nsChanged');
    });
  });

  app.post<{ Params: { name: string } }>('/domains/:name/ds', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    return act(req, reply, userId, req.params.name, async () => {
      const wanted = String(bodyOf(req).ds ?? '').split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
        const m = /^(\d{1,5})\s+(\d{1,3})\s+(\d{1,3})\s+([0-9A-Fa-f]{16,128})$/.exec(l);
        if (!m) throw new RegistryError('syntax', `'${l}' is not a DS record (key-tag algorithm digest-type digest)`, 'RFC 5910 §4.1');
        return { keyTag: Number(m[1]), algorithm: Number(m[2]), digestType: Number(m[3]), digest: m[4]!.toUpperCase() };
      });
      await setAccountDs(reg, userId, req.params.name, wanted);
      return ta(req.portal.lang, 'dsChanged');
    });
  });

  // R1.4: the new registrar asks for the transfer with the authInfo the registrant holds (RFC 5731 §3.2.4).
  app.post<{ Params: { name: string } }>('/domains/:name/transfer', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const to = String(bodyOf(req).registrarId ?? '');
    return act(req, reply, userId, req.params.name, async () => {
      const tr = await moveToRegistrar(reg, userId, req.params.name, to);
      return ta(req.portal.lang, 'moved', { r: tr.registrarName, d: day(tr.actionDueAt) });
    });
  });

  // R10.1: the owner's written request, filed by the sponsor; the new owner completes it from their own account.
  app.post<{ Params: { name: string } }>('/domains/:name/owner', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const b = bodyOf(req);
    return act(req, reply, userId, req.params.name, async () => {
      await askOwnerChange(reg, userId, req.params.name, String(b.email ?? ''), String(b.request ?? ''));
      return ta(req.portal.lang, 'ownerRequested');
    });
  });

  app.post<{ Params: { id: string } }>('/owner-changes/:id/accept', pub, async (req, reply) => {
    const userId = me(req, reply);
    if (userId === null) return reply;
    const L = req.portal.lang;
    try {
      if (bodyOf(req).accept !== 'yes') throw new RegistryError('required', 'read and accept the new Registration Agreement', 'R10.1');
      const d = await acceptOwnerChange(reg, { type: 'registrant', userId, source: 'account' }, { id: Number.parseInt(req.params.id, 10) || 0, agreementVersion: AGREEMENT_VERSION });
      return domainPage(req, reply, userId, d.name, notice('ok', ta(L, 'ownerAccepted', { name: d.unicodeName })));
    } catch (e) {
      if (!isRegistryError(e)) throw e;
      return sendAccount(req, reply, reg, '/account', t(L, 'error'), notice('error', `${e.message} (${e.clause})`), e.httpStatus);
    }
  });
}
