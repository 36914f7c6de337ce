// Over EPP, an operation the registrar's prepaid balance does not cover answers 2104 "Billing failure"
// (RFC 5730 §3) and changes nothing; paid up, the same command succeeds and is charged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addPerson, operator, registrar } from '../helpers/fixtures.ts';
import type { EppClient } from '../helpers/epp-client.ts';
import { domain } from '../epp/commands.ts';
import { harness, type Harness } from '../epp/harness.ts';
import { creditRegistrar, getBalance, payoutRegistrar } from '../../src/billing/accounts.ts';

let h: Harness;
let c: EppClient;
before(async () => {
  h = await harness();
  await h.registrar('epp-bill');
  // The fixture's opening balance is paid back out: this registrar starts with nothing.
  await payoutRegistrar(h.t.reg, operator, { registrarId: 'epp-bill', amount: (await getBalance(h.t.reg, operator, 'epp-bill')).balance });
  await addPerson(h.t.reg, registrar('epp-bill'), 'epp-bill-own');
  c = await h.client('epp-bill');
});
after(async () => { await h?.close(); });

test('domain create and renew without the balance: 2104, the domain not created or not renewed; with it: 1000 and charged', async () => {
  const create = domain.create({ name: 'odenis.az', registrant: 'epp-bill-own', period: 2 });
  const refused = await c.command(create);
  assert.equal(refused.code, 2104, refused.msg);
  assert.match(refused.msg, /insufficient balance: the create of odenis\.az for 2 years costs 60\.00 AZN/);
  assert.equal((await c.command(domain.info('odenis.az'))).code, 2303, 'not created');

  await creditRegistrar(h.t.reg, operator, { registrarId: 'epp-bill', amount: 8000 });
  const created = await c.command(create);
  assert.equal(created.code, 1000, created.msg);
  assert.equal((await getBalance(h.t.reg, operator, 'epp-bill')).balance, 2000);

  const exDate = created.find('domain:exDate')[0]!.text.slice(0, 10);
  const renew = await c.command(domain.renew('odenis.az', exDate, 1));
  assert.equal(renew.code, 2104, renew.msg);
  const info = await c.command(domain.info('odenis.az'));
  assert.equal(info.find('domain:exDate')[0]!.text.slice(0, 10), exDate, 'the expiry did not move');
  assert.equal((await getBalance(h.t.reg, operator, 'epp-bill')).balance, 2000);
});
