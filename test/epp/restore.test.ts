// RGP restore over EPP (RFC 3915) for a name suspended at expiry (R6.2): rgp:infData shows redemptionPeriod,
// renew is refused (2105), a restore request brings the name back (upData pendingRestore) and charges the sponsor, a
// report follows; without the balance the restore answers 2104 and changes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addNameServers, addPerson, operator, registrar } from '../helpers/fixtures.ts';
import type { EppClient } from '../helpers/epp-client.ts';
import { addDays } from '../../src/core/clock.ts';
import { getBalance, payoutRegistrar } from '../../src/billing/accounts.ts';
import { runTimers } from '../../src/worker/timers.ts';
import { domain } from './commands.ts';
import { harness, type Harness } from './harness.ts';

const RGP = 'urn:ietf:params:xml:ns:rgp-1.0';
const request = `<rgp:update xmlns:rgp="${RGP}"><rgp:restore op="request"/></rgp:update>`;
const report = `<rgp:update xmlns:rgp="${RGP}"><rgp:restore op="report"><rgp:report>
  <rgp:preData>Pre-delete registration data not provided</rgp:preData><rgp:postData>Post-restore data not provided</rgp:postData>
  <rgp:delTime>2027-03-03T09:00:00.0Z</rgp:delTime><rgp:resTime>2027-03-12T09:00:00.0Z</rgp:resTime>
  <rgp:resReason>Registrant error.</rgp:resReason>
  <rgp:statement>This registrar has not restored the Registered Name in order to assume the rights to use or sell it.</rgp:statement>
  <rgp:statement>The information in this report is true to best of this registrar's knowledge.</rgp:statement>
</rgp:report></rgp:restore></rgp:update>`;

describe('EPP RGP restore (RFC 3915) in the 30 days of R6.2', () => {
  let h: Harness;
  let a: EppClient;
  let poor: EppClient;
  before(async () => {
    h = await harness();
    await h.registrar('reg-r');
    await h.registrar('reg-poor');
    await addPerson(h.t.reg, registrar('reg-r'), 'owner-r');
    await addPerson(h.t.reg, registrar('reg-poor'), 'owner-p');
    await addNameServers(h.t.reg, registrar('reg-r'), 'dns-r.net');
    await addNameServers(h.t.reg, registrar('reg-poor'), 'dns-p.net');
    a = await h.client('reg-r');
    poor = await h.client('reg-poor');
  });
  after(async () => { await h?.close(); });

  test('expired -> redemptionPeriod; renew 2105; restore 1000 pendingRestore, a year on; report 1000', async () => {
    const c = await a.command(domain.create({ name: 'berpa.az', registrant: 'owner-r', ns: ['ns1.dns-r.net', 'ns2.dns-r.net'] }));
    assert.equal(c.code, 1000, c.msg);
    const p = await poor.command(domain.create({ name: 'kasib.az', registrant: 'owner-p', ns: ['ns1.dns-p.net', 'ns2.dns-p.net'] }));
    assert.equal(p.code, 1000, p.msg);
    const exDate = new Date(c.text('domain:exDate')!);
    h.t.clock.set(addDays(exDate, 1));
    await runTimers(h.t.reg);

    const info = await a.command(domain.info('berpa.az'));
    assert.deepEqual(info.root.find('domain:status').map((s) => s.attrs.s).sort(), ['pendingDelete', 'serverHold']);
    assert.deepEqual(info.root.find('rgp:rgpStatus').map((s) => s.attrs.s), ['redemptionPeriod']);
    const renew = await a.command(domain.renew('berpa.az', exDate.toISOString().slice(0, 10), 1));
    assert.equal(renew.code, 2105, renew.msg);

    h.t.clock.set(addDays(exDate, 10));
    const before = await getBalance(h.t.reg, operator, 'reg-r');
    const r = await a.command(domain.update('berpa.az'), { extension: request });
    assert.equal(r.code, 1000, r.msg);
    assert.deepEqual(r.root.find('rgp:rgpStatus').map((s) => s.attrs.s), ['pendingRestore']);
    const afterBalance = await getBalance(h.t.reg, operator, 'reg-r');
    assert.ok(afterBalance.balance < before.balance, 'the restore fee and a year were charged');

    const restored = await a.command(domain.info('berpa.az'));
    assert.deepEqual(restored.root.find('domain:status').map((s) => s.attrs.s), ['ok']);
    assert.equal(restored.text('domain:exDate'), `${exDate.getUTCFullYear() + 1}${exDate.toISOString().slice(4)}`);
    assert.equal((await a.command(domain.update('berpa.az'), { extension: request })).code, 2304);
    const rep = await a.command(domain.update('berpa.az'), { extension: report });
    assert.equal(rep.code, 1000, rep.msg);
    assert.equal((await a.command(domain.info('berpa.az'))).root.find('rgp:rgpStatus').length, 0);
    // Another registrar cannot restore someone else's name.
    assert.equal((await poor.command(domain.update('berpa.az'), { extension: request })).code, 2201);
  });

  test('without the balance: 2104, and the name stays in the redemption period', async () => {
    const bal = await getBalance(h.t.reg, operator, 'reg-poor');
    if (bal.balance > 0) await payoutRegistrar(h.t.reg, operator, { registrarId: 'reg-poor', amount: bal.balance, reference: 'test: empty the account' });
    const r = await poor.command(domain.update('kasib.az'), { extension: request });
    assert.equal(r.code, 2104, r.msg);
    const info = await poor.command(domain.info('kasib.az'));
    assert.deepEqual(info.root.find('rgp:rgpStatus').map((s) => s.attrs.s), ['redemptionPeriod']);
  });
});
