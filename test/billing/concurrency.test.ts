// Ledger invariants under concurrent renewals on PostgreSQL (issue 6, "Must show"): 50 renewals of
// different domains and a few repeated renewals of the same domains, at once over several connections,
// with a prepaid balance for only some of them. Every successful renewal is charged exactly once, every
// other fails with 2104 (or, for a repeated renewal whose first one went through, with the stale curExpDate
// of RFC 5731 §3.2.3), the entries sum to zero, and no balance goes below its credit limit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { onPostgres, testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, na, operator } from '../helpers/fixtures.ts';
import type { Actor } from '../../src/core/actor.ts';
import { RegistryError } from '../../src/core/errors.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { renewDomain } from '../../src/core/domains/renew.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { creditRegistrar, getBalance, setCreditLimit } from '../../src/billing/accounts.ts';
import { issueInvoice } from '../../src/billing/invoices.ts';

const skip = onPostgres ? false : 'needs PostgreSQL (DOMEN_TEST_DATABASE_URL): PGlite has one connection, so its transactions never run concurrently';

let t: TestRegistry;
before(async () => { if (onPostgres) t = await testRegistry(); });
after(async () => { await t?.close(); });

interface Attempt { registrar: string; actor: Actor; name: string; cur: string }

test('50 concurrent renewals (and repeats of 5) with money for 30: each success charged once, the rest 2104, the ledger balanced', { skip, timeout: 120_000 }, async (tc) => {
  // Two registrars: one prepaid for exactly 30 renewals, one with 4 renewals' worth and a credit limit of 2 more.
  const a = await addRegistrar(t.reg, 'conc-a', { balance: 0 });
  const b = await addRegistrar(t.reg, 'conc-b', { balance: 0 });
  await addPerson(t.reg, a, 'conc-a-own');
  await addPerson(t.reg, b, 'conc-b-own');
  const names: { registrar: string; actor: Actor; name: string }[] = [];
  // Created by the National Administrator, which is not charged: the balances below are for the renewals only.
  for (let i = 0; i < 40; i++) names.push({ registrar: 'conc-a', actor: a, name: `yenile-a${i}.az` });
  for (let i = 0; i < 10; i++) names.push({ registrar: 'conc-b', actor: b, name: `yenile-b${i}.az` });
  for (const n of names) await createDomain(t.reg, na, { name: n.name, registrant: `${n.registrar}-own`, registrarId: n.registrar, periodYears: 1 });
  await creditRegistrar(t.reg, operator, { registrarId: 'conc-a', amount: 30 * 3000 });
  await creditRegistrar(t.reg, operator, { registrarId: 'conc-b', amount: 4 * 3000 });
  await setCreditLimit(t.reg, operator, 'conc-b', 2 * 3000);

  const attempts: Attempt[] = [];
  for (const n of names) attempts.push({ ...n, cur: (await getDomain(t.reg, n.name)).expiresAt.toISOString().slice(0, 10) });
  // The same renewal sent again for 5 of the domains (a client retrying).
  for (const i of [0, 7, 13, 41, 45]) attempts.push({ ...attempts[i]! });
  // Interleave so that both registrars and the repeats race on every connection.
  const order = attempts.map((_, i) => attempts[(i * 17) % attempts.length]!); // 17 and 55 are coprime: a permutation
  attempts.splice(0, attempts.length, ...order);

  const started = Date.now();
  const results = await Promise.allSettled(attempts.map((at) => renewDomain(t.reg, at.actor, { name: at.name, currentExpiryDate: at.cur, periodYears: 1 })));
  tc.diagnostic(`${attempts.length} renewals in ${Date.now() - started} ms over 8 connections`);

  const ok = new Map<string, number>();
  let billing = 0;
  let stale = 0;
  results.forEach((r, i) => {
    const at = attempts[i]!;
    if (r.status === 'fulfilled') { ok.set(at.name, (ok.get(at.name) ?? 0) + 1); return; }
    const e = r.reason as unknown;
    assert.ok(e instanceof RegistryError, `renewal of ${at.name} failed with ${String(e)}`);
    if (e.kind === 'billing') { assert.equal(e.eppCode, 2104); billing++; return; }
    // A repeat whose twin went through finds the expiry moved on.
    assert.equal(e.kind, 'policy', `${at.name}: ${e.kind} ${e.message}`);
    assert.match(e.message, /curExpDate .* does not match/);
    assert.ok(ok.has(at.name) || results.some((o, j) => j !== i && attempts[j]!.name === at.name && o.status === 'fulfilled'), `${at.name}: stale only after a success`);
    stale++;
  });
  const okA = [...ok.keys()].filter((n) => n.startsWith('yenile-a')).length;
  const okB = [...ok.keys()].filter((n) => n.startsWith('yenile-b')).length;
  assert.equal(okA, 30, 'conc-a: exactly the 30 renewals it paid for');
  assert.equal(okB, 6, 'conc-b: 4 paid and 2 on credit');
  assert.ok([...ok.values()].every((n) => n === 1), 'no domain renewed twice');
  assert.equal(billing + stale + okA + okB, attempts.length);
  tc.diagnostic(`succeeded ${okA + okB}, 2104 ${billing}, stale curExpDate ${stale}`);

  assert.equal((await getBalance(t.reg, operator, 'conc-a')).balance, 0);
  assert.equal((await getBalance(t.reg, operator, 'conc-b')).balance, -6000, 'down to the credit limit, not below');

  // Each domain: expiry moved by exactly one year if it was renewed, and exactly one renew charge for it.
  const charges = await sql<{ domain_name: string; n: number; total: number }>`select domain_name, count(*)::int8 as n, sum(amount)::int8 as total
    from ledger_transactions where kind = 'charge' and operation = 'renew' and registrar_id in ('conc-a', 'conc-b') group by domain_name`.execute(t.reg.db);
  const charged = new Map(charges.rows.map((r) => [r.domain_name, r]));
  for (const n of names) {
    const d = await getDomain(t.reg, n.name);
    const before = attempts.find((x) => x.name === n.name)!.cur;
    const renewed = ok.has(n.name);
    assert.equal(d.expiresAt.toISOString().slice(0, 10), renewed ? `${Number(before.slice(0, 4)) + 1}${before.slice(4)}` : before, n.name);
    assert.equal(charged.get(n.name)?.n ?? 0, renewed ? 1 : 0, `${n.name} charged once if renewed, else never`);
    if (renewed) assert.equal(charged.get(n.name)!.total, 3000);
  }

  // The double-entry invariants over the whole ledger.
  const unbalanced = await sql<{ id: number }>`select transaction_id as id from ledger_entries group by transaction_id having sum(amount) <> 0`.execute(t.reg.db);
  assert.deepEqual(unbalanced.rows, [], 'every transaction sums to zero');
  const total = await sql<{ n: number }>`select coalesce(sum(amount), 0)::int8 as n from ledger_entries`.execute(t.reg.db);
  assert.equal(Number(total.rows[0]!.n), 0, 'all entries sum to zero');
  const twoEach = await sql<{ id: number }>`select transaction_id as id from ledger_entries group by transaction_id having count(*) <> 2`.execute(t.reg.db);
  assert.deepEqual(twoEach.rows, []);
  const accounts = await sql<{ registrar_id: string; balance: number; credit_limit: number; entries: number }>`
    select a.registrar_id, a.balance, a.credit_limit, coalesce(-sum(e.amount), 0)::int8 as entries
    from billing_accounts a left join ledger_entries e on e.account_id = a.id where a.kind = 'registrar' group by a.id`.execute(t.reg.db);
  for (const acc of accounts.rows) {
    assert.equal(acc.balance, Number(acc.entries), `${acc.registrar_id}: the balance is the sum of its entries`);
    assert.ok(acc.balance >= -acc.credit_limit, `${acc.registrar_id}: ${acc.balance} not below -${acc.credit_limit}`);
  }
});

test('invoices issued concurrently, some twice: numbers follow on without gaps, each month invoiced once', { skip, timeout: 60_000 }, async () => {
  t.clock.set('2026-04-05T08:00:00Z'); // March 2026 is over; the renewals above were made in it
  const asks = ['conc-a', 'conc-b', 'conc-a', 'conc-b', 'conc-a'].map((registrarId) => issueInvoice(t.reg, operator, { registrarId, month: '2026-03' }));
  const results = await Promise.allSettled(asks);
  const issued = results.filter((r): r is PromiseFulfilledResult<Awaited<typeof asks[number]>> => r.status === 'fulfilled').map((r) => r.value);
  assert.deepEqual(issued.map((i) => i.registrarId).sort(), ['conc-a', 'conc-b'], 'one invoice per registrar and month');
  assert.deepEqual(issued.map((i) => i.number).sort(), ['2026-000001', '2026-000002']);
  for (const r of results) {
    if (r.status === 'rejected') assert.ok(r.reason instanceof RegistryError && r.reason.kind === 'exists', String(r.reason));
  }
  const a = issued.find((i) => i.registrarId === 'conc-a')!;
  assert.equal(a.total, 30 * 3000);
  assert.equal(a.content.lines.length, 30);
  const counter = await t.reg.db.selectFrom('invoice_counters').selectAll().where('year', '=', 2026).executeTakeFirstOrThrow();
  assert.equal(counter.last, 2, 'the refused attempts gave their numbers back');
});
