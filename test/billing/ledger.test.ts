// Billing on the registry core: prices with effective dates, charges for create/renew/transfer in qəpik,
// EPP 2104 when the prepaid balance does not cover an operation (and nothing changes), refunds (R5.2,
// transfers, A5.2 unused months), statements, invoices numbered without gaps, and the invoice PDF.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, na, operator } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { renewDomain } from '../../src/core/domains/renew.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { approveApplication, refuseApplication, withdrawApplication } from '../../src/core/applications.ts';
import { approveTransfer, cancelTransfer, rejectTransfer, requestTransfer } from '../../src/core/transfers.ts';
import { runOperation } from '../../src/core/operation.ts';
import { creditRegistrar, getBalance, setCreditLimit } from '../../src/billing/accounts.ts';
import { chargeOperation } from '../../src/billing/ledger.ts';
import { refund, wholeMonths } from '../../src/billing/refunds.ts';
import { listPrices, priceAt, setPrice } from '../../src/billing/prices.ts';
import { statement } from '../../src/billing/statement.ts';
import { getInvoice, issueInvoice, listInvoices, monthPeriod } from '../../src/billing/invoices.ts';
import { renderInvoicePdf } from '../../src/billing/pdf.ts';
import { formatAzn, parseAzn } from '../../src/billing/money.ts';
import { AZ_ZONES } from '../../src/policy/profiles/az.ts';
import { assertValidPdf } from './pdf-check.ts';

let t: TestRegistry;
const next = nameMaker('bill', 'az');
const nextCom = nameMaker('bill', 'com.az');
const nextGov = nameMaker('idare', 'gov.az');

async function balanceOf(id: string): Promise<number> { return (await getBalance(t.reg, operator, id)).balance; }

/** A registrar with exactly `azn` AZN paid in and a registrant contact `${id}-own`. */
async function fundedRegistrar(id: string, qepik: number): Promise<Actor> {
  const r = await addRegistrar(t.reg, id, { balance: 0 });
  if (qepik > 0) await creditRegistrar(t.reg, operator, { registrarId: id, amount: qepik, reference: `opening ${id}` });
  await addPerson(t.reg, r, `${id}-own`);
  return r;
}

async function create(r: Actor, name: string, years = 1) {
  const res = await createDomain(t.reg, r, { name, registrant: `${(r as { registrarId: string }).registrarId}-own`, periodYears: years });
  return res;
}

/** The ledger is balanced: every transaction's entries sum to zero, and each registrar's cached balance is the negated sum of its entries. */
async function assertLedgerInvariants(): Promise<void> {
  const unbalanced = await sql<{ transaction_id: number }>`select transaction_id from ledger_entries group by transaction_id having sum(amount) <> 0`.execute(t.reg.db);
  assert.deepEqual(unbalanced.rows, []);
  const total = await sql<{ n: number | null }>`select sum(amount)::int8 as n from ledger_entries`.execute(t.reg.db);
  assert.equal(Number(total.rows[0]!.n ?? 0), 0);
  const drift = await sql<{ registrar_id: string; balance: number; entries: number }>`
    select a.registrar_id, a.balance, coalesce(-sum(e.amount), 0)::int8 as entries from billing_accounts a
    left join ledger_entries e on e.account_id = a.id where a.kind = 'registrar' group by a.id
    having a.balance <> coalesce(-sum(e.amount), 0) or a.balance < -a.credit_limit`.execute(t.reg.db);
  assert.deepEqual(drift.rows, []);
}

before(async () => {
  t = await testRegistry({ start: '2026-03-02T09:00:00Z' });
});
after(async () => { await t?.close(); });

describe('amounts in AZN', () => {
  test('parsed to qəpik exactly; negative, over 2 decimals and non-numbers refused', () => {
    assert.equal(parseAzn('150'), 15000);
    assert.equal(parseAzn('150.5'), 15050);
    assert.equal(parseAzn('0.01'), 1);
    assert.equal(parseAzn(' 1234.56 '), 123456);
    assert.throws(() => parseAzn('-5'), registryError({ kind: 'range', message: /must not be negative/ }));
    assert.throws(() => parseAzn('1.234'), registryError({ kind: 'syntax', message: /more than 2 decimals/ }));
    for (const bad of ['abc', '', '1e3', '12,50', '0x10', '1.', '.5', 'NaN', 'Infinity']) {
      assert.throws(() => parseAzn(bad), registryError({ kind: 'syntax', message: /not an amount in AZN/ }), bad);
    }
    assert.throws(() => parseAzn('0'), registryError({ kind: 'range', message: /more than 0/ }));
    assert.equal(parseAzn('0', 'a price', { allowZero: true }), 0);
    assert.equal(formatAzn(15050), '150.50');
    assert.equal(formatAzn(-5), '-0.05');
  });
});

describe('prices with effective dates', () => {
  test('the base seed prices every operation of every .az zone', async () => {
    const prices = await listPrices(t.reg.db, { at: t.clock.now() });
    for (const z of AZ_ZONES) {
      for (const op of ['create', 'renew', 'restore', 'transfer'] as const) {
        const p = prices.find((x) => x.zone === z.name && x.operation === op);
        assert.ok(p && p.amount > 0, `${op} in ${z.name}`);
      }
    }
    assert.equal((await priceAt(t.reg.db, 'az', 'create', t.clock.now()))!.amount, 3000);
    assert.equal((await priceAt(t.reg.db, 'com.az', 'renew', t.clock.now()))!.amount, 2000);
  });

  test('a price set ahead applies from its date on; charges before it use the old price', async () => {
    const r = await fundedRegistrar('bill-p1', 100_000);
    await setPrice(t.reg, operator, { zone: 'info.az', operation: 'create', amount: 2500, effectiveFrom: new Date('2026-03-10T00:00:00Z') });
    const before = await create(r, `pricey1.info.az`);
    assert.equal(before.status, 'created');
    assert.equal(await balanceOf('bill-p1'), 100_000 - 2000, 'the old price of 20.00 before 10 March');
    const listed = await listPrices(t.reg.db, { at: t.clock.now(), zone: 'info.az' });
    assert.deepEqual(listed.filter((p) => p.operation === 'create').map((p) => p.amountAzn), ['20.00', '25.00'], 'in force and announced');
    t.clock.set('2026-03-10T00:00:00Z');
    await create(r, `pricey2.info.az`);
    assert.equal(await balanceOf('bill-p1'), 100_000 - 2000 - 2500, 'from 10 March, 25.00');
    assert.equal((await priceAt(t.reg.db, 'info.az', 'create', new Date('2026-03-09T23:59:59Z')))!.amount, 2000);
    t.clock.set('2026-03-02T09:00:00Z');
  });

  test('only the National Administrator sets prices; unknown zones, operations and negative amounts are refused', async () => {
    const r = await fundedRegistrar('bill-p2', 0);
    const from = new Date('2027-01-01T00:00:00Z');
    await assert.rejects(setPrice(t.reg, r, { zone: 'az', operation: 'create', amount: 1, effectiveFrom: from }), registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(setPrice(t.reg, operator, { zone: 'xyz.az', operation: 'create', amount: 1, effectiveFrom: from }), registryError({ kind: 'notFound' }));
    await assert.rejects(setPrice(t.reg, operator, { zone: 'az', operation: 'delete', amount: 1, effectiveFrom: from }), registryError({ kind: 'syntax', message: /not a priced operation/ }));
    await assert.rejects(setPrice(t.reg, operator, { zone: 'az', operation: 'create', amount: -1, effectiveFrom: from }), registryError({ kind: 'range' }));
    const audit = await t.reg.db.selectFrom('audit_log').select('operation').where('object_type', '=', 'price').execute();
    assert.ok(audit.length >= 1 && audit.every((a) => a.operation === 'price.set'), 'a price change is audited');
  });
});

describe('charges', () => {
  test('create is charged price × years to the sponsor; renew likewise; the statement shows a running balance', async () => {
    const r = await fundedRegistrar('bill-c1', 50_000);
    const a = next();
    const res = await create(r, a, 2);
    assert.equal(res.status, 'created');
    assert.equal(await balanceOf('bill-c1'), 50_000 - 6000);
    const b = nextCom();
    await create(r, b, 1);
    assert.equal(await balanceOf('bill-c1'), 50_000 - 6000 - 2000);
    const d = await getDomain(t.reg, a);
    await renewDomain(t.reg, r, { name: a, currentExpiryDate: d.expiresAt.toISOString().slice(0, 10), periodYears: 3 });
    assert.equal(await balanceOf('bill-c1'), 50_000 - 6000 - 2000 - 9000);

    const s = await statement(t.reg, r, 'bill-c1');
    assert.deepEqual(s.lines.map((l) => [l.kind, l.amount, l.balance]), [
      ['payment', 50_000, 50_000], ['charge', -6000, 44_000], ['charge', -2000, 42_000], ['charge', -9000, 33_000],
    ]);
    assert.match(s.lines[1]!.description, new RegExp(`create ${a.replace('.', '\\.')}, 2 years`));
    assert.match(s.lines[3]!.description, /renew .*, 3 years/);
    assert.equal(s.closingAzn, '330.00');
    const charges = await t.reg.db.selectFrom('ledger_transactions').selectAll().where('registrar_id', '=', 'bill-c1').where('kind', '=', 'charge').orderBy('id').execute();
    assert.deepEqual(charges.map((c) => [c.operation, c.zone, c.years, c.unit_price, c.amount, c.object_type, c.object_id, c.source_operation]), [
      ['create', 'az', 2, 3000, 6000, 'domain', d.roid, 'domain.create'],
      ['create', 'com.az', 1, 2000, 2000, 'domain', charges[1]!.domain_roid, 'domain.create'],
      ['renew', 'az', 3, 3000, 9000, 'domain', d.roid, 'domain.renew'],
    ]);
    // Another registrar does not see this statement.
    await assert.rejects(statement(t.reg, await addRegistrar(t.reg, 'bill-c1x', { balance: 0 }), 'bill-c1'), registryError({ kind: 'authorization' }));
    await assertLedgerInvariants();
  });

  test('2104 when the balance does not cover a create: no domain, no ledger row, balance unchanged', async () => {
    const r = await fundedRegistrar('bill-c2', 2999);
    const name = next();
    const rows = async () => (await t.reg.db.selectFrom('ledger_transactions').select('id').where('registrar_id', '=', 'bill-c2').execute()).length;
    const before = await rows();
    await assert.rejects(create(r, name, 1), registryError({ kind: 'billing', eppCode: 2104, clause: 'R5.1.6', message: /insufficient balance.*costs 30\.00 AZN.*has 29\.99 AZN/ }));
    await assert.rejects(getDomain(t.reg, name), registryError({ kind: 'notFound' }));
    assert.equal(await balanceOf('bill-c2'), 2999);
    assert.equal(await rows(), before);
    const audit = await t.reg.db.selectFrom('audit_log').select('id').where('object_type', '=', 'domain').where('object_id', '=', name).execute();
    assert.equal(audit.length, 0, 'no audit entry for the refused create');
    // One qəpik more and it goes through, to exactly zero.
    await creditRegistrar(t.reg, operator, { registrarId: 'bill-c2', amount: 1 });
    assert.equal((await create(r, name, 1)).status, 'created');
    assert.equal(await balanceOf('bill-c2'), 0);
  });

  test('2104 for a renewal leaves the expiry date as it was; a credit limit lets the balance go that far below zero and no further', async () => {
    const r = await fundedRegistrar('bill-c3', 3000);
    const name = next();
    await create(r, name, 1);
    const d = await getDomain(t.reg, name);
    const cur = d.expiresAt.toISOString().slice(0, 10);
    await assert.rejects(renewDomain(t.reg, r, { name, currentExpiryDate: cur, periodYears: 1 }), registryError({ kind: 'billing', eppCode: 2104 }));
    assert.equal((await getDomain(t.reg, name)).expiresAt.getTime(), d.expiresAt.getTime());
    await setCreditLimit(t.reg, operator, 'bill-c3', 4000);
    await renewDomain(t.reg, r, { name, currentExpiryDate: cur, periodYears: 1 });
    assert.equal(await balanceOf('bill-c3'), -3000);
    const cur2 = (await getDomain(t.reg, name)).expiresAt.toISOString().slice(0, 10);
    await assert.rejects(renewDomain(t.reg, r, { name, currentExpiryDate: cur2, periodYears: 1 }), registryError({ kind: 'billing', message: /credit limit of 40\.00 AZN/ }));
    assert.equal(await balanceOf('bill-c3'), -3000);
    await assert.rejects(setCreditLimit(t.reg, operator, 'bill-c3', 2000), registryError({ kind: 'billing', message: /owes 30\.00 AZN/ }));
    await assertLedgerInvariants();
  });

  test('the National Administrator creating for a registrar is not charged', async () => {
    await fundedRegistrar('bill-c4', 0);
    const res = await createDomain(t.reg, na, { name: next(), registrant: 'bill-c4-own', registrarId: 'bill-c4', periodYears: 2 });
    assert.equal(res.status, 'created');
    assert.equal(await balanceOf('bill-c4'), 0);
  });

  test("'restore' is charged once per restore at the zone's restore price, and refused without balance", async () => {
    const r = await fundedRegistrar('bill-c5', 5000);
    const name = next();
    await createDomain(t.reg, na, { name, registrant: 'bill-c5-own', registrarId: 'bill-c5' });
    const d = await getDomain(t.reg, name);
    const restore = (actor: Actor) => runOperation(t.reg, actor, 'domain.restore', (ctx) => chargeOperation(ctx, {
      registrarId: 'bill-c5', zone: 'az', operation: 'restore', objectType: 'domain', objectId: d.roid, domainName: name, domainRoid: d.roid,
    }));
    const c = await restore(r);
    assert.equal(c.amount, 4000);
    assert.equal(c.waived, null);
    assert.ok(c.transactionId);
    assert.equal(await balanceOf('bill-c5'), 1000);
    await assert.rejects(restore(r), registryError({ kind: 'billing', eppCode: 2104, message: /restore of .* costs 40\.00 AZN/ }));
    assert.equal((await restore(na)).waived, 'registryOperator');
  });
});

describe('refunds', () => {
  test('R5.2: the fee paid with an application is refunded in full when it is refused, and when withdrawn; not when approved', async () => {
    const r = await fundedRegistrar('bill-r1', 20_000);
    const apply = async () => {
      const res = await create(r, nextGov(), 2);
      assert.equal(res.status, 'pending');
      if (res.status !== 'pending') throw new Error('not pending');
      return res.application;
    };
    const a1 = await apply();
    assert.equal(await balanceOf('bill-r1'), 20_000 - 4000, 'charged on application (R3.10): 2 years of gov.az');
    await refuseApplication(t.reg, na, a1.id, 'R5.1.7', 'no letter from the state body');
    assert.equal(await balanceOf('bill-r1'), 20_000);
    const refunds = await t.reg.db.selectFrom('ledger_transactions').selectAll().where('registrar_id', '=', 'bill-r1').where('kind', '=', 'refund').execute();
    assert.equal(refunds.length, 1);
    assert.equal(refunds[0]!.amount, 4000);
    assert.match(refunds[0]!.reason!, /^R5\.2/);
    const charge = await t.reg.db.selectFrom('ledger_transactions').select('id').where('kind', '=', 'charge').where('object_type', '=', 'application').where('object_id', '=', String(a1.id)).executeTakeFirstOrThrow();
    assert.equal(refunds[0]!.refund_of, charge.id, 'the refund names the charge it returns');

    const a2 = await apply();
    await withdrawApplication(t.reg, r, a2.id);
    assert.equal(await balanceOf('bill-r1'), 20_000);

    const a3 = await apply();
    const approved = await approveApplication(t.reg, na, a3.id);
    assert.equal(approved.domain.name, a3.name);
    assert.equal(await balanceOf('bill-r1'), 16_000, 'approval keeps the fee and charges nothing more');
    await assertLedgerInvariants();
  });

  test('R4.12: competing applications refused by an approval are refunded to their registrars', async () => {
    const r1 = await fundedRegistrar('bill-r2a', 10_000);
    const r2 = await fundedRegistrar('bill-r2b', 10_000);
    const name = nextGov();
    const first = await create(r1, name, 1);
    const second = await create(r2, name, 1);
    assert.equal(first.status, 'pending');
    assert.equal(second.status, 'pending');
    assert.equal(await balanceOf('bill-r2b'), 8000);
    if (first.status === 'pending') await approveApplication(t.reg, na, first.application.id);
    assert.equal(await balanceOf('bill-r2a'), 8000);
    assert.equal(await balanceOf('bill-r2b'), 10_000, 'the loser got its fee back');
  });

  test('2104 for an application: not queued, nothing charged', async () => {
    const r = await fundedRegistrar('bill-r3', 1000);
    const name = nextGov();
    await assert.rejects(create(r, name, 1), registryError({ kind: 'billing', eppCode: 2104 }));
    assert.equal((await t.reg.db.selectFrom('applications').select('id').where('name', '=', name).execute()).length, 0);
    assert.equal(await balanceOf('bill-r3'), 1000);
  });

  test('a transfer with a period charges the gaining registrar at request; rejected or cancelled it is refunded; approved it stays', async () => {
    const losing = await fundedRegistrar('bill-t1', 100_000);
    const gaining = await fundedRegistrar('bill-t2', 100_000);
    const names = [next(), next(), next(), next()];
    for (const n of names) await create(losing, n, 1);
    const auth = async (n: string) => (await getDomain(t.reg, n)).authInfo!;

    await requestTransfer(t.reg, gaining, { name: names[0]!, authInfo: await auth(names[0]!), periodYears: 2 });
    assert.equal(await balanceOf('bill-t2'), 100_000 - 6000);
    await rejectTransfer(t.reg, losing, names[0]!);
    assert.equal(await balanceOf('bill-t2'), 100_000);

    await requestTransfer(t.reg, gaining, { name: names[1]!, authInfo: await auth(names[1]!), periodYears: 1 });
    await cancelTransfer(t.reg, gaining, names[1]!);
    assert.equal(await balanceOf('bill-t2'), 100_000);

    await requestTransfer(t.reg, gaining, { name: names[2]!, authInfo: await auth(names[2]!), periodYears: 1 });
    await approveTransfer(t.reg, losing, names[2]!);
    assert.equal(await balanceOf('bill-t2'), 100_000 - 3000);

    // Without a period the transfer adds no time and costs nothing.
    await requestTransfer(t.reg, gaining, { name: names[3]!, authInfo: await auth(names[3]!) });
    assert.equal(await balanceOf('bill-t2'), 100_000 - 3000);
    await approveTransfer(t.reg, losing, names[3]!);

    // Without the balance the request fails with 2104 and the domain has no pending transfer.
    const poor = await fundedRegistrar('bill-t3', 100);
    const n5 = next();
    await create(losing, n5, 1);
    await assert.rejects(requestTransfer(t.reg, poor, { name: n5, authInfo: await auth(n5), periodYears: 1 }), registryError({ kind: 'billing', eppCode: 2104 }));
    assert.ok(!(await getDomain(t.reg, n5)).statuses.includes('pendingTransfer'));
    await assertLedgerInvariants();
  });

  test('A5.2: the unused whole months are refunded at the monthly fee of the charges that bought them, newest first; not on the registrant\'s own notice (A5.1.1)', async () => {
    assert.equal(wholeMonths(new Date('2026-01-31T00:00:00Z'), new Date('2026-02-27T23:59:59Z')), 0);
    assert.equal(wholeMonths(new Date('2026-01-31T00:00:00Z'), new Date('2026-02-28T00:00:00Z')), 1, 'a month from the 31st ends on the last day of a shorter month');
    assert.equal(wholeMonths(new Date('2026-01-15T00:00:00Z'), new Date('2026-03-15T00:00:00Z')), 2);
    assert.equal(wholeMonths(new Date('2026-01-15T00:00:00Z'), new Date('2026-01-01T00:00:00Z')), 0);

    const r = await fundedRegistrar('bill-a1', 100_000);
    t.clock.set('2026-03-02T09:00:00Z');
    const name = next();
    await create(r, name, 2); // 60.00 for 24 months, 2.50 a month
    await setPrice(t.reg, operator, { zone: 'az', operation: 'renew', amount: 3600, effectiveFrom: new Date('2026-04-01T00:00:00Z') });
    t.clock.set('2026-04-02T09:00:00Z');
    const d = await getDomain(t.reg, name);
    await renewDomain(t.reg, r, { name, currentExpiryDate: d.expiresAt.toISOString().slice(0, 10) }); // 36.00 for the 3rd year
    assert.equal(await balanceOf('bill-a1'), 100_000 - 6000 - 3600);

    // Five months and a bit after creation: to the expiry on 2 March 2029 there are 30 whole months left (from 8 August 2026).
    t.clock.set('2026-08-08T12:00:00Z');
    const none = await runOperation(t.reg, na, 'domain.cancel', (ctx) => refund(ctx, { kind: 'unusedMonths', domainRoid: d.roid, ground: 'A5.1.1' }));
    assert.deepEqual(none, []);
    const done = await runOperation(t.reg, na, 'domain.cancel', (ctx) => refund(ctx, { kind: 'unusedMonths', domainRoid: d.roid, ground: 'R7.3 court ruling' }));
    // 12 months of the renewal (36.00 in full), then 18 of the 24 months of the create (18 × 2.50 = 45.00).
    assert.deepEqual(done.map((x) => x.amount), [3600, 4500]);
    assert.equal(await balanceOf('bill-a1'), 100_000 - 6000 - 3600 + 3600 + 4500);
    // Nothing is refunded twice.
    const again = await runOperation(t.reg, na, 'domain.cancel', (ctx) => refund(ctx, { kind: 'unusedMonths', domainRoid: d.roid, ground: 'R7.3 court ruling' }));
    assert.deepEqual(again, [], 'asked again, nothing more is due');
    assert.equal(await balanceOf('bill-a1'), 100_000 - 6000 - 3600 + 3600 + 4500);
    t.clock.set('2026-03-02T09:00:00Z');
    await assertLedgerInvariants();
  });
});

describe('invoices', () => {
  test('monthly invoices from the ledger, numbered per year without gaps; fixed once issued; a valid PDF', async () => {
    const r = await fundedRegistrar('bill-i1', 100_000);
    const r2 = await fundedRegistrar('bill-i2', 100_000);
    // April 2026 in Baku: 1 April 00:00 +04:00 is 31 March 20:00 UTC.
    assert.deepEqual(monthPeriod('2026-04', 240), { from: new Date('2026-03-31T20:00:00Z'), to: new Date('2026-04-30T20:00:00Z') });
    t.clock.set('2026-03-31T21:00:00Z'); // 1 April, 01:00 in Baku
    const a = next();
    await create(r, a, 2);
    await create(r2, next(), 1);
    t.clock.set('2026-04-15T10:00:00Z');
    const app = await create(r, nextGov(), 1);
    if (app.status === 'pending') await refuseApplication(t.reg, na, app.application.id, 'R5.1.7');
    await creditRegistrar(t.reg, operator, { registrarId: 'bill-i1', amount: 12_345, reference: 'bank 42' });

    await assert.rejects(issueInvoice(t.reg, operator, { registrarId: 'bill-i1', month: '2026-04' }), registryError({ kind: 'policy', message: /not over yet/ }));
    t.clock.set('2026-05-03T08:00:00Z');
    await assert.rejects(issueInvoice(t.reg, r, { registrarId: 'bill-i1', month: '2026-04' }), registryError({ kind: 'authorization' }));
    await assert.rejects(issueInvoice(t.reg, operator, { registrarId: 'bill-i1', month: '2026-4' }), registryError({ kind: 'syntax' }));
    await assert.rejects(issueInvoice(t.reg, operator, { registrarId: 'bill-i1', month: '2026-02' }), registryError({ kind: 'policy', message: /nothing to invoice/ }));

    const before = await listInvoices(t.reg, operator, { year: 2026 });
    const seq0 = before.length;
    const inv = await issueInvoice(t.reg, operator, { registrarId: 'bill-i1', month: '2026-04' });
    assert.equal(inv.number, `2026-${String(seq0 + 1).padStart(6, '0')}`);
    assert.deepEqual(inv.content.lines.map((l) => [l.kind, l.amount, l.date]), [
      ['charge', 6000, '2026-04-01'], ['charge', 2000, '2026-04-15'], ['refund', -2000, '2026-04-15'],
    ]);
    assert.equal(inv.total, 6000);
    assert.equal(inv.content.summary.payments, 12_345);
    assert.equal(inv.content.summary.closing, inv.content.summary.opening + 12_345 - 8000 + 2000);
    assert.equal(inv.content.registrar.name, 'Registrar bill-i1');
    await assert.rejects(issueInvoice(t.reg, operator, { registrarId: 'bill-i1', month: '2026-04' }), registryError({ kind: 'exists', message: new RegExp(inv.number) }));
    const inv2 = await issueInvoice(t.reg, operator, { registrarId: 'bill-i2', month: '2026-04' });
    assert.equal(inv2.number, `2026-${String(seq0 + 2).padStart(6, '0')}`, 'the failed attempts used no number');
    const all = await listInvoices(t.reg, operator, { year: 2026 });
    assert.deepEqual(all.map((i) => Number(i.number.slice(5))), Array.from({ length: all.length }, (_, i) => i + 1), 'no gaps');
    assert.deepEqual((await listInvoices(t.reg, r, {})).map((i) => i.number), [inv.number], 'a registrar lists its own');
    await assert.rejects(getInvoice(t.reg, r, inv2.number), registryError({ kind: 'authorization' }));
    await assert.rejects(sql`update invoices set total = 0 where number = ${inv.number}`.execute(t.reg.db), /append-only/);

    const pdf = await renderInvoicePdf(await getInvoice(t.reg, r, inv.number));
    assertValidPdf(pdf);
    assert.ok(pdf.includes(`Invoice ${inv.number}`), 'the number is in the document');
    t.clock.set('2026-03-02T09:00:00Z');
  });
});
