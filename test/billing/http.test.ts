// The billing JSON API (/api/billing): a registrar sees its own balance, statement and invoices (also as
// PDF) with its bearer token, and nobody else's; the registry's token names the registrar.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { createApiToken } from '../../src/core/tokens.ts';
import { createUser } from '../../src/core/registrars.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { creditRegistrar } from '../../src/billing/accounts.ts';
import { issueInvoice } from '../../src/billing/invoices.ts';
import { billingApi } from '../../src/billing/http.ts';
import { assertValidPdf } from './pdf-check.ts';

let t: TestRegistry;
let app: FastifyInstance;
let own = '';
let other = '';
let staff = '';
let number = '';

before(async () => {
  t = await testRegistry({ start: '2026-05-04T08:00:00Z' });
  const r = await addRegistrar(t.reg, 'api-r1', { balance: 0 });
  await addRegistrar(t.reg, 'api-r2', { balance: 0 });
  await creditRegistrar(t.reg, operator, { registrarId: 'api-r1', amount: 10_000, reference: 'bank 9' });
  await addPerson(t.reg, r, 'api-own');
  await createDomain(t.reg, r, { name: 'api-hesab.az', registrant: 'api-own', periodYears: 1 });
  own = (await createApiToken(t.reg, operator, { registrarId: 'api-r1' })).token;
  other = (await createApiToken(t.reg, operator, { registrarId: 'api-r2' })).token;
  await createUser(t.reg, operator, { email: 'billing@nic.example.az', name: 'NA billing', role: 'na_staff', password: 'Billing-Pass-2026' });
  staff = (await createApiToken(t.reg, operator, { userEmail: 'billing@nic.example.az' })).token;
  t.clock.set('2026-06-02T08:00:00Z');
  number = (await issueInvoice(t.reg, operator, { registrarId: 'api-r1', month: '2026-05' })).number;
  app = Fastify();
  await app.register(billingApi, { prefix: '/api/billing', reg: t.reg });
  await app.ready();
});
after(async () => { await app?.close(); await t?.close(); });

const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

test('a registrar reads its balance, statement and invoices with its token', async () => {
  const b = await get('/api/billing/balance', own);
  assert.equal(b.statusCode, 200, b.body);
  assert.equal(b.json().balanceAzn, '70.00');
  const s = await get('/api/billing/statement?from=2026-05-01&to=2026-05-31', own);
  assert.equal(s.statusCode, 200, s.body);
  assert.deepEqual((s.json().lines as { kind: string; amount: number; balance: number }[]).map((l) => [l.kind, l.amount, l.balance]), [['payment', 10_000, 10_000], ['charge', -3000, 7000]]);
  const list = await get('/api/billing/invoices', own);
  assert.deepEqual((list.json() as { number: string }[]).map((i) => i.number), [number]);
  const pdf = await get(`/api/billing/invoices/${number}.pdf`, own);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assertValidPdf(pdf.rawPayload);
  assert.equal((await get(`/api/billing/invoices/${number}`, own)).json().total, 3000);
});

test("no token is 401; another registrar's invoice is 403; the registry names the registrar", async () => {
  const none = await get('/api/billing/balance');
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().code, 2200);
  assert.equal((await get('/api/billing/balance', 'dmn_not-a-token')).statusCode, 401);
  assert.equal((await get(`/api/billing/invoices/${number}.pdf`, other)).statusCode, 403);
  assert.equal((await get('/api/billing/balance', other)).json().balance, 0, 'its own balance, whatever it asks for');
  assert.equal((await get('/api/billing/balance', staff)).statusCode, 400, 'the registry must say which registrar');
  assert.equal((await get('/api/billing/balance?registrar=api-r1', staff)).json().balance, 7000);
  assert.equal((await get('/api/billing/statement?registrar=api-r1&from=2026-02-30', staff)).statusCode, 400);
});
