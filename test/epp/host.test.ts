// Host commands over EPP (RFC 5732): in-zone hosts with glue, external hosts without, and the refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addPerson, registrar } from '../helpers/fixtures.ts';
import type { EppClient } from '../helpers/epp-client.ts';
import { domain, host } from './commands.ts';
import { harness, type Harness } from './harness.ts';

describe('EPP host commands', () => {
  let h: Harness;
  let a: EppClient;
  let b: EppClient;
  before(async () => {
    h = await harness();
    await h.registrar('reg-a');
    await h.registrar('reg-b');
    await addPerson(h.t.reg, registrar('reg-a'), 'owner-a');
    a = await h.client('reg-a');
    b = await h.client('reg-b');
  });
  after(async () => { await h?.close(); });

  test('create external and in-zone hosts; info shows addresses, statuses and sponsor', async () => {
    assert.equal((await a.command(host.create('ns1.provider.net'))).code, 1000);
    assert.equal((await a.command(host.create('ns2.provider.net'))).code, 1000);
    assert.equal((await a.command(domain.create({ name: 'ana.az', registrant: 'owner-a', ns: ['ns1.provider.net', 'ns2.provider.net'] }))).code, 1000);
    const r = await a.command(host.create('ns1.ana.az', ['195.24.2.1', '2a01:4f8::53']));
    assert.equal(r.code, 1000, r.msg);
    assert.equal(r.text('host:name'), 'ns1.ana.az');
    const info = await b.command(host.info('ns1.ana.az'));
    assert.equal(info.code, 1000);
    assert.deepEqual(info.find('host:addr').map((x) => [x.attrs.ip, x.text]), [['v4', '195.24.2.1'], ['v6', '2a01:4f8::53']]);
    assert.equal(info.text('host:clID'), 'reg-a');
    assert.deepEqual(info.find('host:status').map((s) => s.attrs.s), ['ok']);
    const linked = await a.command(host.info('ns1.provider.net'));
    assert.deepEqual(linked.find('host:status').map((s) => s.attrs.s), ['linked', 'ok']);
  });

  test('check tells which names are taken or invalid', async () => {
    const r = await a.command(host.check('ns1.provider.net', 'ns9.provider.net', 'bad_name.example.net'));
    assert.deepEqual(r.find('host:cd').map((cd) => [cd.need('host:name').attrs.avail, cd.textOf('host:reason')]),
      [['0', 'In use'], ['1', undefined], ['0', 'Invalid host name']]);
  });

  test('create refusals: 2302, 2303, 2201, 2005, 2306', async () => {
    assert.equal((await a.command(host.create('ns1.provider.net'))).code, 2302);
    assert.equal((await a.command(host.create('ns1.yoxdur.az', ['195.24.2.2']))).code, 2303);
    assert.equal((await b.command(host.create('ns2.ana.az', ['195.24.2.3']))).code, 2201);
    assert.equal((await a.command(host.create('bad_name.example.net'))).code, 2005);
    assert.equal((await a.command(host.create('ns3.provider.net', ['195.24.2.4']))).code, 2306, 'no glue outside the zone');
    assert.equal((await a.command(host.create('ns3.ana.az', ['10.0.0.1']))).code, 2306, 'RFC 5732 §2.5: global unicast only');
  });

  test('update: addresses, statuses, rename; refusals 2201, 2304, 2306', async () => {
    assert.equal((await a.command(host.update('ns1.ana.az', { addAddr: ['195.24.2.9'], remAddr: ['2a01:4f8::53'] }))).code, 1000);
    assert.deepEqual((await a.command(host.info('ns1.ana.az'))).texts('host:addr'), ['195.24.2.1', '195.24.2.9']);
    assert.equal((await a.command(host.update('ns1.ana.az', { remAddr: ['198.51.100.77'] }))).code, 2306);
    assert.equal((await b.command(host.update('ns1.ana.az', { addAddr: ['195.24.2.10'] }))).code, 2201);
    assert.equal((await a.command(host.update('ns1.ana.az', { addStatus: ['clientUpdateProhibited'] }))).code, 1000);
    assert.equal((await a.command(host.update('ns1.ana.az', { addAddr: ['195.24.2.10'] }))).code, 2304);
    assert.equal((await a.command(host.update('ns1.ana.az', { remStatus: ['clientUpdateProhibited'] }))).code, 1000);
    assert.equal((await a.command(host.update('ns1.ana.az', { newName: 'dns1.ana.az' }))).code, 1000);
    assert.equal((await a.command(host.info('dns1.ana.az'))).code, 1000);
    assert.equal((await a.command(host.info('ns1.ana.az'))).code, 2303);
  });

  test('delete: a name server in use is 2305; another sponsor 2201; then gone', async () => {
    assert.equal((await a.command(host.delete('ns1.provider.net'))).code, 2305);
    assert.equal((await b.command(host.delete('dns1.ana.az'))).code, 2201);
    assert.equal((await a.command(host.delete('dns1.ana.az'))).code, 1000);
    assert.equal((await a.command(host.delete('dns1.ana.az'))).code, 2303);
  });
});
