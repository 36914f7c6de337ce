// Refunds of registrant orders (R3.10, R5.2): a paid order that the registry refuses before filing, or whose
// application the National Administrator refuses, is paid back through the provider, once, and the account is told.
// An order left in 'filing' by a stopped process is settled from the audit log, never filed twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accountWorld, confirmationLink, type AccountWorld } from './account-setup.ts';
import { na } from '../helpers/fixtures.ts';
import { confirmEmail, signUpRegistrant } from '../../src/core/accounts.ts';
import { createPaymentRecord, fileOrder, getOrder, orderRegistration, registrarActor, resumeStuckOrders, type OrderView } from '../../src/core/accounts-orders.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { refuseApplication } from '../../src/core/applications.ts';
import { addListEntry } from '../../src/core/policy-lists.ts';
import { inboxMessages } from '../../src/notify/admin.ts';
import { hmacProvider } from '../../src/web/account/payments.ts';
import { payRefunds } from '../../src/web/account/refunds.ts';
import { orderStatus } from '../../src/web/pages/account-domains.ts';

let aw: AccountWorld;
let userId = 0;
const email = 'refund@example.az';

before(async () => {
  aw = await accountWorld();
  const reg = aw.w.t.reg;
  await signUpRegistrant(reg, {
    email, password: 'Refund-Pass-2026', lang: 'en',
    person: {
      kind: 'natural', givenName: 'Nərmin', familyName: 'Əliyeva', citizenship: 'AZ', idSeries: 'AZE', idNumber: '17650001', street: ['Nizami küç. 5'],
      city: 'Bakı', cc: 'AZ', voice: '+994.502220000', email,
    },
  }, { confirm: (token) => `${aw.base}/account/confirm?token=${token}`, signIn: `${aw.base}/account/login` });
  const link = new URL(await confirmationLink(aw, email));
  userId = (await confirmEmail(reg, link.searchParams.get('token')!)).userId;
});
after(async () => { await aw?.close(); });

/** Orders `name` and pays for it at the test provider as the payer does; the provider's callback files it. */
async function orderAndPay(name: string): Promise<OrderView> {
  const reg = aw.w.t.reg;
  const o = await orderRegistration(reg, userId, { name, registrarId: 'alpha', periodYears: 1, hosts: [], agreementVersion: 'v-test', accurate: true });
  const p = await createPaymentRecord(reg, userId, o.id, 'hmac');
  const { redirectUrl } = await hmacProvider({ apiUrl: aw.provider.url, secret: aw.provider.secret }).create({
    reference: p.id, amount: p.amount, currency: p.currency, description: p.description,
    returnUrl: `${aw.base}/account/orders/${o.id}`, callbackUrl: `${aw.base}/account/payments/callback`,
  });
  const res = await fetch(redirectUrl, { method: 'POST', body: new URLSearchParams({ decision: 'pay' }), redirect: 'manual' });
  assert.equal(res.status, 303);
  return getOrder(reg, userId, o.id);
}

const providerPayment = (orderId: number) => [...aw.provider.payments.values()].find((p) => p.returnUrl.endsWith(`/orders/${orderId}`))!;

describe('refunds (R5.2)', () => {
  test('a name taken between order and payment: the order is not accepted, the payment goes back once, the inbox says so', async () => {
    const reg = aw.w.t.reg;
    const o = await orderRegistration(reg, userId, { name: 'geri-odenis.az', registrarId: 'alpha', periodYears: 1, hosts: [], agreementVersion: 'v-test', accurate: true });
    // Another registrar's customer registers the name first (R4.12, first come first served).
    assert.equal((await createDomain(reg, registrarActor('beta'), { name: 'geri-odenis.az', registrant: 'beta-owner' })).status, 'created');
    const p = await createPaymentRecord(reg, userId, o.id, 'hmac');
    const { redirectUrl } = await hmacProvider({ apiUrl: aw.provider.url, secret: aw.provider.secret }).create({
      reference: p.id, amount: p.amount, currency: p.currency, description: p.description,
      returnUrl: `${aw.base}/account/orders/${o.id}`, callbackUrl: `${aw.base}/account/payments/callback`,
    });
    await fetch(redirectUrl, { method: 'POST', body: new URLSearchParams({ decision: 'pay' }), redirect: 'manual' });
    // The callback answers first; the refund follows at once in the background (bounded wait).
    let seen = await getOrder(reg, userId, o.id);
    for (let i = 0; i < 100 && !seen.refundedAt; i++) { await new Promise((r) => setTimeout(r, 50)); seen = await getOrder(reg, userId, o.id); }
    assert.equal(seen.status, 'failed');
    assert.ok(seen.refundedAt, 'refunded');
    assert.match(orderStatus('en', seen), /^not accepted: .*; payment refunded$/);
    const at = providerPayment(o.id);
    assert.equal(at.status, 'refunded');
    assert.match(at.refundReason ?? '', /geri-odenis\.az|exists|registered/);
    const row = await reg.db.selectFrom('account_payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'refunded');
    assert.equal(row.refund_ref, at.refundId);
    const inbox = await inboxMessages(reg, userId);
    assert.ok(inbox.some((m) => /Order \d+: .* refunded/.test(m.subject) && m.subject.includes(String(o.id))), inbox.map((m) => m.subject).join(' | '));
    // Running again refunds nothing more.
    const again = await payRefunds(reg, hmacProvider({ apiUrl: aw.provider.url, secret: aw.provider.secret }));
    assert.equal(again.refunded, 0);
    assert.equal(again.failed, 0);
  });

  test('an application refused by the National Administrator is refunded on the next run', async () => {
    const reg = aw.w.t.reg;
    await addListEntry(reg, na, 'reserved', 'imtina-edilen', 'exact', null);
    const o = await orderAndPay('imtina-edilen.az');
    assert.equal(o.status, 'filed');
    assert.ok(o.applicationId);
    assert.equal(o.refundedAt, null);
    await refuseApplication(reg, na, o.applicationId, 'R5.1.3');
    const run = await payRefunds(reg, hmacProvider({ apiUrl: aw.provider.url, secret: aw.provider.secret }));
    assert.equal(run.refunded, 1);
    const after1 = await getOrder(reg, userId, o.id);
    assert.ok(after1.refundedAt);
    assert.equal(providerPayment(o.id).status, 'refunded');
  });

  test('a refund the provider refuses stays due and is counted as failed; nothing is recorded', async () => {
    const reg = aw.w.t.reg;
    await addListEntry(reg, na, 'reserved', 'ikinci-imtina', 'exact', null);
    const o = await orderAndPay('ikinci-imtina.az');
    await refuseApplication(reg, na, o.applicationId!, 'R5.1.3');
    // A provider that does not know our secret: its answers are refused, so is our request.
    const run = await payRefunds(reg, hmacProvider({ apiUrl: aw.provider.url, secret: 'not-the-secret' }));
    assert.equal(run.failed, 1);
    assert.equal((await getOrder(reg, userId, o.id)).refundedAt, null);
    assert.equal(providerPayment(o.id).status, 'paid');
    assert.equal((await payRefunds(reg, hmacProvider({ apiUrl: aw.provider.url, secret: aw.provider.secret }))).refunded, 1);
  });
});

describe('orders left in filing', () => {
  test('one whose filing never reached the registry is filed again; one that did is marked filed, not filed twice', async () => {
    const reg = aw.w.t.reg;
    const claim = async (id: number) => { await reg.db.updateTable('account_orders').set({ status: 'filing', updated_at: new Date(reg.clock.now().getTime() - 3_600_000) }).where('id', '=', id).execute(); };
    // Paid, claimed, then the process stopped before filing.
    const a = await orderRegistration(reg, userId, { name: 'yarimciq.az', registrarId: 'alpha', periodYears: 1, hosts: [], agreementVersion: 'v-test', accurate: true });
    await claim(a.id);
    // Paid, claimed, filed (the domain exists), then the process stopped before recording the result.
    const b = await orderRegistration(reg, userId, { name: 'yazilmis.az', registrarId: 'alpha', periodYears: 1, hosts: [], agreementVersion: 'v-test', accurate: true });
    await reg.db.updateTable('account_orders').set({ status: 'paid' }).where('id', '=', b.id).execute();
    assert.equal((await fileOrder(reg, userId, b.id)).status, 'filed');
    await claim(b.id);
    const domainsBefore = await reg.db.selectFrom('domains').select('id').where('name', '=', 'yazilmis.az').execute();
    assert.deepEqual((await resumeStuckOrders(reg)).sort(), [a.id, b.id].sort());
    const ra = await getOrder(reg, userId, a.id);
    assert.equal(ra.status, 'filed');
    assert.equal(ra.result, 'created');
    assert.ok(await reg.db.selectFrom('domains').select('id').where('name', '=', 'yarimciq.az').where('deleted_at', 'is', null).executeTakeFirst());
    const rb = await getOrder(reg, userId, b.id);
    assert.equal(rb.status, 'filed');
    assert.equal(rb.result, 'created');
    assert.deepEqual(await reg.db.selectFrom('domains').select('id').where('name', '=', 'yazilmis.az').execute(), domainsBefore);
    // A recent claim is left alone (it may still be filing).
    const c = await orderRegistration(reg, userId, { name: 'indi-yazilir.az', registrarId: 'alpha', periodYears: 1, hosts: [], agreementVersion: 'v-test', accurate: true });
    await reg.db.updateTable('account_orders').set({ status: 'filing', updated_at: reg.clock.now() }).where('id', '=', c.id).execute();
    assert.deepEqual(await resumeStuckOrders(reg), []);
  });
});
