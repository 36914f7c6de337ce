// Key rollovers (RFC 7583) walked with the ManualClock: ZSK pre-publication on 'az' and KSK double-DS on
// 'com.az' (whose parent 'az' we serve), each stage signed, checked by our checker (chain of trust from the
// parent's DS included), by kzonecheck and ldns-verify-zone, and by delv asking our server with the az KSK as
// trust anchor; and the CLI that starts them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { buildAll } from '../../src/dns/build.ts';
import { checkZone } from '../../src/dns/check.ts';
import { zoneFile } from '../../src/dns/export.ts';
import { dsFor, keyTag } from '../../src/dns/keys.ts';
import { advanceRollovers, pendingSteps, rolloverTimings, startRollover } from '../../src/dns/rollover.ts';
import { T, serialGreater } from '../../src/dns/wire.ts';
import { startDnsService } from '../../src/dns/index.ts';
import { ZoneStore, startDns, type DnsServer } from '../../src/dns/server.ts';
import { rdataText } from '../../src/dns/wire.ts';
import type { Zone } from '../../src/dns/zone-model.ts';
import { runCli } from '../../src/cli/program.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { missing, run, seedZoneFixture, testConfig } from './setup.ts';

let t: TestRegistry;
let tmp: string;
// delv validates against the real time: the stages run on a clock that starts three days back, so that every
// stage (about 31 hours of rollover timings) lies in the past and its 14-day signatures are valid now.
const store = new ZoneStore();
let server: DnsServer | null = null;
let anchors = '';
const config = testConfig('nsec3');
const timings = rolloverTimings(config, {});
const HOUR = 3600_000;

before(async () => {
  t = await testRegistry({ start: new Date(Date.now() - 3 * 86_400_000).toISOString() });
  await seedZoneFixture(t);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-rollover-'));
  if (!missing(['delv'])) server = await startDns(store, { host: '127.0.0.1', port: 0 });
});
after(async () => { await server?.close(); await t?.close(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

/** delv from the az KSK (the trust anchor, unchanged by these rollovers): a signed delegation in az, an NXDOMAIN in com.az. */
async function validate(name: string, az: Zone, com: Zone): Promise<void> {
  if (!server) return;
  store.set(az); store.set(com);
  if (!anchors) {
    const ksk = az.get('az', T.DNSKEY)!.rdatas.find((k) => k.readUInt16BE(0) === 257)!;
    anchors = path.join(tmp, 'anchors.conf');
    writeFileSync(anchors, `trust-anchors { az. static-key 257 3 13 "${rdataText(T.DNSKEY, ksk).split(' ')[3]}"; };\n`);
  }
  const delv = (qname: string, type: string) => run('delv', ['@127.0.0.1', '-p', String(server!.port), '-a', anchors, '+root=az', '+nortrace', qname, type]);
  const ds = await delv('alpha.az', 'DS');
  assert.match(ds.stdout, /; fully validated/, `${name}: delv alpha.az DS\n${ds.stdout}${ds.stderr}`);
  const nx = await delv('nonexistent.com.az', 'A');
  assert.match(nx.stdout + nx.stderr, /resolution failed: ncache nxdomain|; negative response, fully validated/, `${name}: delv nonexistent.com.az A\n${nx.stdout}${nx.stderr}`);
}

const tools = missing(['kzonecheck', 'ldns-verify-zone']);

/** Builds and signs every zone now, and checks az and com.az with our checker and the two tools. */
async function stage(name: string): Promise<Map<string, Zone>> {
  const { zones } = await buildAll(t.reg.db, config, t.clock);
  const az = zones.get('az')!;
  const com = zones.get('com.az')!;
  assert.deepEqual(checkZone(az, t.clock.now()).problems, [], `${name}: az`);
  assert.deepEqual(checkZone(com, t.clock.now(), az).problems, [], `${name}: com.az (with the DS in az)`);
  if (!tools) {
    for (const z of [az, com]) {
      const file = path.join(tmp, `${z.origin}.${name.replace(/\W+/g, '-')}.zone`);
      writeFileSync(file, zoneFile(z));
      const kz = spawnSync('kzonecheck', ['-o', z.origin, '-d', 'on', '-t', String(Math.floor(t.clock.now().getTime() / 1000)), file], { encoding: 'utf8' });
      assert.equal(kz.status, 0, `${name}: kzonecheck ${z.origin}: ${kz.stdout}${kz.stderr}`);
      const ldns = spawnSync('ldns-verify-zone', ['-t', t.clock.now().toISOString().replace(/[-:T]/g, '').slice(0, 14), file], { encoding: 'utf8' });
      assert.equal(ldns.status, 0, `${name}: ldns-verify-zone ${z.origin}: ${ldns.stdout}${ldns.stderr}`);
    }
  }
  await validate(name, az, com);
  return zones;
}

const tags = (z: Zone, type: number) => (z.get(z.origin, type)?.rdatas ?? []).map((r) => (type === T.DNSKEY || type === T.CDNSKEY ? keyTag(r) : r.readUInt16BE(0))).sort();
const signer = (z: Zone, owner: string, type: number) => z.get(owner, type)!.sigs.map((s) => s.readUInt16BE(16));

describe('ZSK pre-publication (RFC 7583 §3.2) on az', () => {
  test('published, then active with the old one retired, then the old one removed; valid at every stage', async () => {
    let zones = await stage('before');
    const oldZsk = signer(zones.get('az')!, 'az', T.SOA)[0]!;
    assert.equal(tags(zones.get('az')!, T.DNSKEY).length, 2);
    const { keyTag: newZsk } = await startRollover(t.reg.db, 'az', 'zsk', t.clock.now());
    await assert.rejects(startRollover(t.reg.db, 'az', 'zsk', t.clock.now()), /already under way/);

    zones = await stage('zsk published');
    assert.ok(tags(zones.get('az')!, T.DNSKEY).includes(newZsk), 'the new ZSK is in the DNSKEY RRset');
    assert.deepEqual(signer(zones.get('az')!, 'az', T.SOA), [oldZsk], 'the old ZSK still signs');
    const [step] = await pendingSteps(t.reg.db, 'az', timings);
    assert.equal(step!.at.getTime() - t.clock.now().getTime(), (timings.propagation + timings.ttl) * 1000, 'Ipub = Dprp + TTLkey');

    t.clock.advance(HOUR);
    assert.deepEqual(await advanceRollovers(t.reg.db, 'az', timings, t.clock.now()), [], 'not yet');
    t.clock.advance(HOUR);
    assert.deepEqual((await advanceRollovers(t.reg.db, 'az', timings, t.clock.now())).map((s) => `${s.keyTag} ${s.to}`), [`${newZsk} active`]);
    zones = await stage('zsk active');
    assert.deepEqual(signer(zones.get('az')!, 'az', T.SOA), [newZsk], 'the new ZSK signs');
    assert.ok(tags(zones.get('az')!, T.DNSKEY).includes(oldZsk), 'the old ZSK stays published while its signatures may be cached');

    t.clock.advance(2 * HOUR);
    assert.deepEqual((await advanceRollovers(t.reg.db, 'az', timings, t.clock.now())).map((s) => `${s.keyTag} ${s.to}`), [`${oldZsk} removed`]);
    zones = await stage('zsk done');
    assert.equal(tags(zones.get('az')!, T.DNSKEY).length, 2);
    assert.ok(!tags(zones.get('az')!, T.DNSKEY).includes(oldZsk));
  });
});

describe('KSK double-DS (RFC 7583 §3.3.2) on com.az', () => {
  test('new DS at the parent first, then the DNSKEY swap, then the old DS leaves; valid at every stage', async () => {
    let zones = await stage('ksk before');
    const oldKsk = tags(zones.get('com.az')!, T.CDNSKEY)[0]!;
    const { keyTag: newKsk } = await startRollover(t.reg.db, 'com.az', 'ksk', t.clock.now());

    zones = await stage('ksk created');
    const com = zones.get('com.az')!;
    assert.equal(zones.get('az')!.get('com.az', T.DS)!.rdatas.length, 2, 'both DS at the parent');
    assert.ok(!tags(com, T.DNSKEY).includes(newKsk), 'the new KSK is not in the DNSKEY RRset yet');
    assert.deepEqual(tags(com, T.CDNSKEY), [oldKsk], 'CDS/CDNSKEY only for a key in the DNSKEY RRset (RFC 7344 §4.1)');
    assert.deepEqual(signer(com, 'com.az', T.DNSKEY), [oldKsk]);

    t.clock.advance((timings.parentDelay - 60) * 1000);
    assert.deepEqual(await advanceRollovers(t.reg.db, 'com.az', timings, t.clock.now()), []);
    t.clock.advance(60_000);
    assert.deepEqual((await advanceRollovers(t.reg.db, 'com.az', timings, t.clock.now())).map((s) => `${s.keyTag} ${s.to}`), [`${newKsk} active`]);
    zones = await stage('ksk active');
    const com2 = zones.get('com.az')!;
    assert.ok(tags(com2, T.DNSKEY).includes(newKsk) && !tags(com2, T.DNSKEY).includes(oldKsk), 'DNSKEY swapped');
    assert.deepEqual(signer(com2, 'com.az', T.DNSKEY), [newKsk]);
    assert.equal(zones.get('az')!.get('com.az', T.DS)!.rdatas.length, 2, 'the old DS stays while the old DNSKEY may be cached');
    assert.equal(com2.get('com.az', T.CDS), undefined, 'no CDS while the old DS must stay');

    t.clock.advance(2 * HOUR);
    assert.deepEqual((await advanceRollovers(t.reg.db, 'com.az', timings, t.clock.now())).map((s) => `${s.keyTag} ${s.to}`), [`${oldKsk} removed`]);
    zones = await stage('ksk done');
    const ds = zones.get('az')!.get('com.az', T.DS)!.rdatas;
    assert.equal(ds.length, 1);
    assert.ok(ds[0]!.equals(dsFor('com.az', zones.get('com.az')!.get('com.az', T.CDNSKEY)!.rdatas[0]!)));
    assert.deepEqual(tags(zones.get('com.az')!, T.CDNSKEY), [newKsk]);
  });

  test('a scheduled rollover starts when the ZSK is older than its lifetime', async () => {
    const short = { ...timings, zskLifetime: 30 * 86400 };
    t.clock.advance(31 * 86400_000);
    const steps = await advanceRollovers(t.reg.db, 'org.az', short, t.clock.now());
    assert.deepEqual(steps.map((s) => `${s.role} ${s.to}`), ['zsk published']);
  });
});

describe('the DNS service and rollovers', () => {
  test('a rollover started elsewhere re-signs the served zone with a new serial at the next key check', async () => {
    const dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config, rebuildSeconds: 0, pollMs: 3_600_000 });
    try {
      const before = dns.store.get('gov.az')!;
      await startRollover(t.reg.db, 'gov.az', 'zsk', t.clock.now());
      await dns.checkKeys();
      const after = dns.store.get('gov.az')!;
      assert.ok(serialGreater(after.serial, before.serial));
      assert.equal(after.get('gov.az', T.DNSKEY)!.rdatas.length, 3);
      assert.deepEqual(checkZone(after, t.clock.now()).problems, []);
    } finally { await dns.close(); }
  });
});

describe('domen dnssec rollover / status / ds', () => {
  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = ''; let err = '';
    const ctx: CliContext = { io: { out: (s) => { out += s; }, err: (s) => { err += s; } }, cwd: tmp, registry: async () => t.reg, inServer: false };
    return { code: await runCli(argv, ctx), out, err };
  }
  test('starts a rollover, shows its next step, and lists both DS during a KSK rollover', async () => {
    const r = await cli('dnssec', 'rollover', 'ksk', 'az');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /az: new KSK \d+; its DS must be at the parent/);
    const status = await cli('dnssec', 'status', 'az', '--json');
    const rows = JSON.parse(status.out) as { role: string; state: string; next: string }[];
    assert.ok(rows.some((k) => k.role === 'ksk' && k.state === 'created' && /^active at /.test(k.next)));
    const ds = await cli('dnssec', 'ds', 'az');
    assert.equal(ds.out.split('\n').filter((l) => /\tDS\t/.test(l)).length, 2);
    assert.notEqual((await cli('dnssec', 'rollover', 'ksk', 'az')).code, 0);
    assert.notEqual((await cli('dnssec', 'rollover', 'ksk', 'nope.az')).code, 0);
    assert.notEqual((await cli('dnssec', 'rollover', 'csk', 'az')).code, 0);
  });
});
