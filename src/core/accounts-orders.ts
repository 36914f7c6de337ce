// What a registrant asks for from the account: a registration through the registrar of their choice (R1.4),
// after accepting the Registration Agreement (R3.10, A12.3) and paying (R3.10, A2.2); a renewal of their own
// domain through its sponsor (R6.1). Paid orders are filed by the registrar's core operations (createDomain,
// renewDomain), so the application and every check are the same as over EPP.
import { randomBytes } from 'node:crypto';
import type { Actor } from './actor.ts';
import { createContact } from './contacts.ts';
import { createDomain } from './domains/create.ts';
import { domainAvailability } from './domains/check.ts';
import { renewDomain } from './domains/renew.ts';
import { validatePeriod } from './domains/checks.ts';
import { RegistryError, isRegistryError } from './errors.ts';
import { createHost } from './hosts.ts';
import { runOperation } from './operation.ts';
import type { Registry } from './registry.ts';
import { normalizeHostName } from './validate.ts';
import { getAccount } from './accounts.ts';
import { priceAt } from '../billing/prices.ts';
import { formatAzn } from '../billing/money.ts';
import { notify } from '../notify/notify.ts';

export const CURRENCY = 'AZN';
/** The registrar files what its customer ordered through the registry's account pages ("network of registrars"). */
export const registrarActor = (registrarId: string, orderId?: number): Actor =>
  ({ type: 'registrar', registrarId, source: 'account', clientTrid: orderId ? orderTrid(orderId) : null });
/** The client transaction id of the registrar's operations that file an order: the audit log finds them by it. */
const orderTrid = (orderId: number): string => `account-order-${orderId}`;

export interface OrderView {
  id: number; kind: 'register' | 'renew'; registrarId: string; name: string; unicodeName: string; periodYears: number; hosts: string[];
  amount: number; agreementVersion: string | null; agreementAcceptedAt: Date | null; status: string; result: string | null;
  applicationId: number | null; applicationStatus: string | null; refusalGround: string | null; createdAt: Date;
  /** When the payment was paid back (R5.2), if it was. */
  refundedAt: Date | null;
}

export async function listOrders(reg: Registry, userId: number): Promise<OrderView[]> {
  const rows = await reg.db.selectFrom('account_orders').leftJoin('applications', 'applications.id', 'account_orders.application_id')
    .selectAll('account_orders').select(['applications.status as app_status', 'applications.refusal_ground'])
    .select((eb) => eb.selectFrom('account_payments').select((p) => p.fn.max('refunded_at').as('m')).whereRef('account_payments.order_id', '=', 'account_orders.id')
      .where('account_payments.status', '=', 'refunded').as('refunded_at'))
    .where('user_id', '=', userId).orderBy('account_orders.id', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id, kind: r.kind, registrarId: r.registrar_id, name: r.name, unicodeName: r.unicode_name, periodYears: r.period_years, hosts: r.hosts,
    amount: r.amount, agreementVersion: r.agreement_version, agreementAcceptedAt: r.agreement_accepted_at, status: r.status, result: r.result,
    applicationId: r.application_id, applicationStatus: r.app_status, refusalGround: r.refusal_ground, createdAt: r.created_at,
    refundedAt: r.refunded_at ? new Date(r.refunded_at) : null,
  }));
}

export async function getOrder(reg: Registry, userId: number, id: number): Promise<OrderView> {
  const o = (await listOrders(reg, userId)).find((x) => x.id === id);
  if (!o) throw new RegistryError('notFound', `no order ${id} on this account`, 'R3.10');
  return o;
}

async function activeRegistrar(reg: Registry, id: string): Promise<void> {
  const r = await reg.db.selectFrom('registrars').select('status').where('id', '=', id).executeTakeFirst();
  if (!r || r.status !== 'active') throw new RegistryError('policy', `registrar ${id} is not an accredited, active registrar`, 'R1.4');
}

async function price(reg: Registry, zone: string, op: 'create' | 'renew', years: number): Promise<number> {
  const p = await priceAt(reg.db, zone, op, reg.clock.now());
  return (p?.amount ?? 0) * years;
}

export interface RegistrationOrder { name: string; registrarId: string; periodYears: number; hosts: string[]; agreementVersion: string | null; accurate: boolean }

/** R3.10: the application is sent only after the agreement is accepted (and R3.19: the data confirmed accurate). */
export async function orderRegistration(reg: Registry, userId: number, input: RegistrationOrder): Promise<OrderView> {
  const acc = await getAccount(reg.db, userId);
  if (!acc.confirmed) throw new RegistryError('policy', 'confirm your e-mail address first', 'R3.6');
  if (!input.agreementVersion) throw new RegistryError('required', 'read and accept the Registration Agreement before applying', 'R3.10');
  if (!input.accurate) throw new RegistryError('required', 'confirm that the data are complete and accurate and the name is used lawfully', 'R3.19');
  await activeRegistrar(reg, input.registrarId);
  const years = validatePeriod(reg, input.periodYears);
  const hosts = [...new Set(input.hosts.map((h) => h.trim()).filter(Boolean).map(normalizeHostName))];
  if (hosts.length > 13) throw new RegistryError('range', 'at most 13 name servers', 'RFC 5731 §2.5');
  const check = await reg.policy.checkName(input.name);
  if (check.verdict === 'refused') {
    const r = check.reasons.find((x) => x.verdict === 'refused')!;
    throw new RegistryError('policy', `${check.input}: ${r.message}`, r.clause);
  }
  const taken = (await domainAvailability(reg, [check])).get(check.ascii!);
  if (taken) throw new RegistryError('exists', `${check.unicode} is not available (${taken})`, 'R4.12');
  const amount = await price(reg, check.zone!, 'create', years);
  const id = await runOperation(reg, { type: 'registrant', userId, source: 'account' }, 'account.order.register', async (ctx) => {
    const row = await ctx.tx.insertInto('account_orders').values({
      user_id: userId, kind: 'register', registrar_id: input.registrarId, name: check.ascii!, unicode_name: check.unicode!, period_years: years, hosts, amount,
      agreement_version: input.agreementVersion, agreement_accepted_at: ctx.now, status: 'awaiting_payment', created_at: ctx.now, updated_at: ctx.now,
    }).returningAll().executeTakeFirstOrThrow();
    // A12.3: the acceptance, with its time and the version read, is part of the record.
    await ctx.record({ objectType: 'user', objectId: `${userId}/order/${row.id}`, before: null, after: { ...row, accurate: true }, topic: 'account.order.placed', payload: { agreementVersion: input.agreementVersion } });
    return row.id;
  });
  return getOrder(reg, userId, id);
}

/** The registrant's own live domain: the registrant contact carries the account (contacts.account_id). */
export async function ownDomain(reg: Registry, userId: number, name: string): Promise<{ name: string; unicodeName: string; zone: string; registrarId: string; expiresAt: Date; authInfo: string }> {
  const ascii = (await reg.policy.checkName(name, { grandfathered: true })).ascii ?? name.toLowerCase();
  const row = await reg.db.selectFrom('domains').innerJoin('contacts', 'contacts.id', 'domains.registrant_id')
    .select(['domains.name', 'domains.unicode_name', 'domains.zone', 'domains.registrar_id', 'domains.expires_at', 'domains.auth_info'])
    .where('domains.name', '=', ascii).where('domains.deleted_at', 'is', null).where('contacts.account_id', '=', userId).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `${name} is not a domain of this account`, 'R3.6');
  return { name: row.name, unicodeName: row.unicode_name, zone: row.zone, registrarId: row.registrar_id, expiresAt: row.expires_at, authInfo: row.auth_info };
}

export async function accountDomains(reg: Registry, userId: number): Promise<{ name: string; unicodeName: string; registrarId: string; expiresAt: Date; statuses: string[] }[]> {
  const rows = await reg.db.selectFrom('domains').innerJoin('contacts', 'contacts.id', 'domains.registrant_id')
    .select(['domains.name', 'domains.unicode_name', 'domains.registrar_id', 'domains.expires_at', 'domains.statuses'])
    .where('contacts.account_id', '=', userId).where('domains.deleted_at', 'is', null).orderBy('domains.name').execute();
  return rows.map((r) => ({ name: r.name, unicodeName: r.unicode_name, registrarId: r.registrar_id, expiresAt: r.expires_at, statuses: r.statuses }));
}

export async function orderRenewal(reg: Registry, userId: number, input: { name: string; periodYears: number }): Promise<OrderView> {
  const d = await ownDomain(reg, userId, input.name);
  const years = validatePeriod(reg, input.periodYears);
  const amount = await price(reg, d.zone, 'renew', years);
  const id = await runOperation(reg, { type: 'registrant', userId, source: 'account' }, 'account.order.renew', async (ctx) => {
    const row = await ctx.tx.insertInto('account_orders').values({
      user_id: userId, kind: 'renew', registrar_id: d.registrarId, name: d.name, unicode_name: d.unicodeName, period_years: years, hosts: [], amount,
      agreement_version: null, agreement_accepted_at: null, status: 'awaiting_payment', created_at: ctx.now, updated_at: ctx.now,
    }).returningAll().executeTakeFirstOrThrow();
    await ctx.record({ objectType: 'user', objectId: `${userId}/order/${row.id}`, before: null, after: row, topic: 'account.order.placed' });
    return row.id;
  });
  return getOrder(reg, userId, id);
}

// --- payments ------------------------------------------------------------------------------------------------

/** A payment row for an order awaiting payment; its id is the merchant reference sent to the provider. */
export async function createPaymentRecord(reg: Registry, userId: number, orderId: number, provider: string): Promise<{ id: string; amount: number; currency: string; description: string }> {
  const o = await getOrder(reg, userId, orderId);
  if (o.status !== 'awaiting_payment') throw new RegistryError('statusProhibits', `order ${orderId} is ${o.status}`, 'R3.10');
  const id = `P${randomBytes(12).toString('hex')}`;
  await runOperation(reg, { type: 'registrant', userId, source: 'account' }, 'account.payment.create', async (ctx) => {
    await ctx.tx.insertInto('account_payments').values({ id, order_id: orderId, provider, amount: o.amount, currency: CURRENCY, status: 'created', created_at: ctx.now }).execute();
    await ctx.record({ objectType: 'user', objectId: `${userId}/payment/${id}`, before: null, after: { orderId, amount: o.amount, provider }, topic: 'account.payment.created', history: false });
  });
  return { id, amount: o.amount, currency: CURRENCY, description: `${o.kind === 'register' ? 'Registration' : 'Renewal'} ${o.unicodeName}, ${o.periodYears} y` };
}

export interface Settlement { paymentId: string; status: 'paid' | 'failed'; amount: number; currency: string; providerRef: string }

/**
 * The provider's (verified) word on a payment. Idempotent: a callback repeated after the first is answered with
 * the same result. A paid order is filed at once.
 */
export async function settlePayment(reg: Registry, s: Settlement): Promise<OrderView> {
  const pay = await reg.db.selectFrom('account_payments').innerJoin('account_orders', 'account_orders.id', 'account_payments.order_id')
    .select(['account_payments.status', 'account_payments.amount', 'account_payments.currency', 'account_orders.id as orderId', 'account_orders.user_id'])
    .where('account_payments.id', '=', s.paymentId).executeTakeFirst();
  if (!pay) throw new RegistryError('notFound', `no payment ${s.paymentId}`, 'R3.10');
  if (pay.status === 'created') {
    if (s.status === 'paid' && (s.amount !== pay.amount || s.currency !== pay.currency)) {
      throw new RegistryError('policy', `payment ${s.paymentId}: ${s.amount} ${s.currency} paid, ${pay.amount} ${pay.currency} due`, 'A4');
    }
    await runOperation(reg, { type: 'system', name: 'payment-callback', source: 'payment' }, 'account.payment.settle', async (ctx) => {
      const p = await ctx.tx.updateTable('account_payments').set({ status: s.status, provider_ref: s.providerRef.slice(0, 200), settled_at: ctx.now })
        .where('id', '=', s.paymentId).where('status', '=', 'created').returning('id').executeTakeFirst();
      if (!p) return;
      if (s.status === 'paid') await ctx.tx.updateTable('account_orders').set({ status: 'paid', updated_at: ctx.now }).where('id', '=', pay.orderId).where('status', '=', 'awaiting_payment').execute();
      await ctx.record({ objectType: 'user', objectId: `${pay.user_id}/payment/${s.paymentId}`, before: { status: 'created' }, after: { status: s.status, providerRef: s.providerRef }, topic: `account.payment.${s.status}`, history: false });
    });
  }
  return fileOrder(reg, pay.user_id, pay.orderId);
}

async function setOrderResult(reg: Registry, userId: number, orderId: number, status: 'filed' | 'failed', result: string, applicationId: number | null): Promise<void> {
  await runOperation(reg, { type: 'registrant', userId, source: 'account' }, `account.order.${status}`, async (ctx) => {
    // Only the claim of this filing records its result (a second worker resuming the same order finds it done).
    const done = await ctx.tx.updateTable('account_orders').set({ status, result: result.slice(0, 1000), application_id: applicationId, updated_at: ctx.now })
      .where('id', '=', orderId).where('status', '=', 'filing').returning('id').executeTakeFirst();
    if (!done) return;
    await ctx.record({ objectType: 'user', objectId: `${userId}/order/${orderId}`, before: { status: 'filing' }, after: { status, result, applicationId }, topic: `account.order.${status}` });
  });
}

/** The account's contact at a registrar, made from the account's data the first time (the registry links it, R10.1). */
export async function contactAt(reg: Registry, userId: number, registrarId: string): Promise<string> {
  const existing = await reg.db.selectFrom('contacts').select('handle').where('account_id', '=', userId).where('registrar_id', '=', registrarId)
    .where('deleted_at', 'is', null).orderBy('id').executeTakeFirst();
  if (existing) return existing.handle;
  const acc = await getAccount(reg.db, userId);
  const handle = `A${userId}-${randomBytes(3).toString('hex')}`.slice(0, 16);
  await createContact(reg, { type: 'system', name: 'accounts', source: 'account' }, { ...acc.person, handle, registrarId, accountId: userId });
  return handle;
}

/** Files a paid order with the registrar's own operations; a refusal is kept on the order with its clause. */
export async function fileOrder(reg: Registry, userId: number, orderId: number): Promise<OrderView> {
  // One filing per order: the callback that moves it from 'paid' to 'filing' files it; a concurrent repeat does not.
  const claimed = await reg.db.updateTable('account_orders').set({ status: 'filing', updated_at: reg.clock.now() })
    .where('id', '=', orderId).where('user_id', '=', userId).where('status', '=', 'paid').returning('id').executeTakeFirst();
  const o = await getOrder(reg, userId, orderId);
  if (!claimed) return o;
  const actor = registrarActor(o.registrarId, o.id);
  try {
    if (o.kind === 'register') {
      const handle = await contactAt(reg, userId, o.registrarId);
      const zones = reg.profile.zones.map((z) => z.name);
      for (const h of o.hosts) {
        const exists = await reg.db.selectFrom('hosts').select('id').where('name', '=', h).where('deleted_at', 'is', null).executeTakeFirst();
        const internal = zones.some((z) => h === z || h.endsWith(`.${z}`));
        if (!exists && !internal) await createHost(reg, actor, { name: h });
      }
      const res = await createDomain(reg, actor, { name: o.name, periodYears: o.periodYears, registrant: handle, hosts: o.hosts });
      if (res.status === 'pending') await setOrderResult(reg, userId, o.id, 'filed', 'pending', res.application.id);
      else await setOrderResult(reg, userId, o.id, 'filed', 'created', null);
    } else {
      const d = await ownDomain(reg, userId, o.name);
      await renewDomain(reg, actor, { name: o.name, periodYears: o.periodYears, currentExpiryDate: d.expiresAt.toISOString().slice(0, 10) });
      await setOrderResult(reg, userId, o.id, 'filed', 'renewed', null);
    }
  } catch (e) {
    if (!isRegistryError(e)) throw e;
    // Paid but refused before it reached the queue: the order says why (the payment is to be returned, R5.2).
    await setOrderResult(reg, userId, o.id, 'failed', `${e.message} (${e.clause})`, null);
  }
  return getOrder(reg, userId, o.id);
}

/** A paid order whose money goes back to the payer: refused before filing, or its application refused (R5.2). */
export interface RefundDue {
  paymentId: string; providerRef: string | null; amount: number; currency: string; orderId: number; userId: number; name: string; reason: string;
}

/** The refunds to make, oldest payment first. */
export async function refundsDue(reg: Registry, limit = 100): Promise<RefundDue[]> {
  const rows = await reg.db.selectFrom('account_payments').innerJoin('account_orders as o', 'o.id', 'account_payments.order_id')
    .leftJoin('applications as a', 'a.id', 'o.application_id')
    .select(['account_payments.id', 'account_payments.provider_ref', 'account_payments.amount', 'account_payments.currency', 'o.id as orderId',
      'o.user_id', 'o.unicode_name', 'o.status as orderStatus', 'o.result', 'a.refusal_ground'])
    .where('account_payments.status', '=', 'paid')
    .where((eb) => eb.or([eb('o.status', '=', 'failed'), eb.and([eb('o.status', '=', 'filed'), eb('a.status', '=', 'refused')])]))
    .orderBy('account_payments.settled_at').limit(limit).execute();
  return rows.map((r) => ({
    paymentId: r.id, providerRef: r.provider_ref, amount: r.amount, currency: r.currency, orderId: r.orderId, userId: r.user_id, name: r.unicode_name,
    reason: r.orderStatus === 'failed' ? (r.result ?? 'the order could not be filed') : `the application was refused (${r.refusal_ground ?? 'R5.1'})`,
  }));
}

/** Records a refund the provider made (once: a repeat finds the payment already refunded) and tells the account. */
export async function recordRefund(reg: Registry, due: RefundDue, refundRef: string): Promise<boolean> {
  return runOperation(reg, { type: 'system', name: 'payments', source: 'payment' }, 'account.payment.refund', async (ctx) => {
    const p = await ctx.tx.updateTable('account_payments').set({ status: 'refunded', refund_ref: refundRef.slice(0, 200), refunded_at: ctx.now })
      .where('id', '=', due.paymentId).where('status', '=', 'paid').returning('id').executeTakeFirst();
    if (!p) return false;
    await ctx.record({
      objectType: 'user', objectId: `${due.userId}/payment/${due.paymentId}`, before: { status: 'paid' },
      after: { status: 'refunded', refundRef, amount: due.amount, orderId: due.orderId, reason: due.reason }, topic: 'account.payment.refunded', history: false,
    });
    await notify(ctx, {
      template: 'account.refund', params: { name: due.name, orderId: due.orderId, amount: `${formatAzn(due.amount)} ${due.currency}`, reason: due.reason },
      to: { user: due.userId }, dedupe: `refund:${due.paymentId}`,
    });
    return true;
  });
}

/**
 * Orders left in 'filing' (the process stopped between claiming an order and recording its result). The
 * registrar's operations carry the order in their client transaction id, so the audit log tells whether the
 * filing reached the registry: then the order is 'filed' with what happened; otherwise it goes back to 'paid'
 * and is filed again. Returns the orders it settled.
 */
export async function resumeStuckOrders(reg: Registry, olderThanMs = 10 * 60_000): Promise<number[]> {
  const cutoff = new Date(reg.clock.now().getTime() - olderThanMs);
  const stuck = await reg.db.selectFrom('account_orders').select(['id', 'user_id', 'kind']).where('status', '=', 'filing').where('updated_at', '<', cutoff)
    .orderBy('id').limit(100).execute();
  const done: number[] = [];
  for (const o of stuck) {
    const trid = orderTrid(o.id);
    const ops = o.kind === 'register' ? ['domain.create', 'application.create'] : ['domain.renew'];
    const entries = await reg.db.selectFrom('audit_log').select(['operation', 'object_type', 'object_id']).where('client_trid', '=', trid)
      .where('operation', 'in', ops).execute();
    const reached = entries[0];
    if (reached) {
      const app = entries.find((e) => e.object_type === 'application');
      const appId = app ? Number(app.object_id) : null;
      const result = reached.operation === 'domain.renew' ? 'renewed' : appId !== null ? 'pending' : 'created';
      await setOrderResult(reg, o.user_id, o.id, 'filed', result, appId);
    } else {
      const back = await reg.db.updateTable('account_orders').set({ status: 'paid', updated_at: reg.clock.now() }).where('id', '=', o.id).where('status', '=', 'filing')
        .returning('id').executeTakeFirst();
      if (!back) continue;
      await fileOrder(reg, o.user_id, o.id);
    }
    done.push(o.id);
  }
  return done;
}
