// Restarting the hidden primary under a real knotd secondary: a restart with nothing changed keeps the serial and the
// very signatures knotd holds, so knotd transfers nothing and later changes still reach it by IXFR; a change made
// while the primary was stopped starts it with a new serial, announced by NOTIFY at start, and knotd catches up.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { startDnsService, type DnsService } from '../../src/dns/index.ts';
import { parseTsigKeys } from '../../src/dns/tsig.ts';
import { serialGreater } from '../../src/dns/wire.ts';
import { registrar } from '../helpers/fixtures.ts';
import { freePort } from '../cli/harness.ts';
import { changeDriver } from './changes.ts';
import { missing, run, seedZoneFixture, testConfig, type Fixture } from './setup.ts';
import { startKnot, XFR_KEY, type KnotSecondary } from './knot-secondary.ts';

const skip = missing(['knotd', 'kdig']);
let t: TestRegistry;
let fx: Fixture;
let dns: DnsService | null = null;
let knot: KnotSecondary | null = null;
let dnsPort = 0;
let knotPort = 0;

const start = async (): Promise<DnsService> => startDnsService(t.reg, {
  host: '127.0.0.1', port: dnsPort, rebuildSeconds: 0, pollMs: 100,
  config: { ...testConfig('nsec3-optout'), notify: [`127.0.0.1@${knotPort}/xfr-key`], tsigKeys: parseTsigKeys(XFR_KEY) },
});

async function axfr(port: number, tsig?: string): Promise<string[]> {
  const r = await run('kdig', ['@127.0.0.1', '-p', String(port), '+nocomments', '+nostats', '+noheader', ...(tsig ? ['-y', tsig] : []), 'AXFR', 'az']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l && !l.startsWith(';') && !/\sTSIG\s/.test(l)).map((l) => l.split(/\s+/).join(' ')).slice(0, -1).sort();
}

async function changes(n: number, seed: number): Promise<void> {
  const driver = changeDriver(t.reg, { registrarId: 'reg-dns', registrant: 'dns-own', external: fx.external, prefix: `rs${seed}-`, seed });
  for (let i = 0; i < n; i++) { await driver.step(); await new Promise((r) => setImmediate(r)); }
  await dns!.publish();
}

async function inStep(): Promise<number> {
  const serial = dns!.store.get('az')!.serial;
  const soa = await knot!.waitSerial('az', serial);
  assert.ok(soa.includes(` ${serial} `), `knotd did not reach ${serial}:\n${soa}\n${knot!.log().slice(-2000)}`);
  assert.deepEqual(await axfr(knotPort), await axfr(dnsPort, XFR_KEY));
  return serial;
}

before(async () => {
  if (skip) return;
  t = await testRegistry({ start: new Date().toISOString() });
  fx = await seedZoneFixture(t);
  dnsPort = await freePort();
  knotPort = await freePort();
  dns = await start();
  knot = await startKnot({ zone: 'az', primaryPort: dnsPort, port: knotPort });
});
after(async () => { await knot?.stop(); await dns?.close(); await t?.close(); });

test('a restart with nothing changed costs knotd no transfer; changes after it still arrive by IXFR', { skip }, async () => {
  await inStep();
  await changes(20, 1);
  const before1 = await inStep();
  const transfers = knot!.transfers();
  assert.equal(transfers.axfr, 1, 'one AXFR: the first load');

  await dns!.close();
  dns = await start();
  assert.equal(dns.store.get('az')!.serial, before1, 'the serial survives the restart');
  // Our served zone, signatures included, is the one knotd holds.
  assert.deepEqual(await axfr(dnsPort, XFR_KEY), await axfr(knotPort));

  await changes(20, 2);
  const after1 = await inStep();
  assert.ok(serialGreater(after1, before1));
  const now = knot!.transfers();
  assert.equal(now.axfr, transfers.axfr, `no AXFR after the restart:\n${knot!.log().split('\n').filter((l) => /AXFR|IXFR/.test(l)).join('\n')}`);
  assert.ok(now.ixfr > transfers.ixfr, 'the changes came by IXFR');
});

test('a change while the primary is stopped: a new serial at start, announced by NOTIFY; knotd catches up', { skip }, async () => {
  const before1 = dns!.store.get('az')!.serial;
  await dns!.close();
  dns = null;
  assert.equal((await createDomain(t.reg, registrar('reg-dns'), { name: 'while-stopped.az', registrant: 'dns-own', hosts: fx.external })).status, 'created');
  dns = await start();
  const serial = dns.store.get('az')!.serial;
  assert.ok(serialGreater(serial, before1), `${serial} after ${before1}`);
  // No SOA refresh timer could bring knotd here within the wait: only our NOTIFY at start does.
  await inStep();
  assert.match(await run('kdig', ['@127.0.0.1', '-p', String(knotPort), 'while-stopped.az', 'NS']).then((r) => r.stdout), /status: NOERROR/);
});
