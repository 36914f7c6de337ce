// The zone model and the signer: what is published from the registry, the signatures and denial chains
// verified by our checker and by kzonecheck and ldns-verify-zone on the exported zone file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { buildAll, nextSerial } from '../../src/dns/build.ts';
import { checkZone } from '../../src/dns/check.ts';
import { zoneFile } from '../../src/dns/export.ts';
import { T, compareNames, readName, serialGreater, rdataText } from '../../src/dns/wire.ts';
import type { Zone } from '../../src/dns/zone-model.ts';
import { keyTag } from '../../src/dns/keys.ts';
import { missing, seedZoneFixture, testConfig } from './setup.ts';

let t: TestRegistry;
let tmp: string;

before(async () => {
  t = await testRegistry();
  await seedZoneFixture(t);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-dns-zone-'));
});
after(async () => { await t?.close(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

function ns(z: Zone, name: string): string[] {
  return (z.get(name, T.NS)?.rdatas ?? []).map((r) => readName(r, 0)[0]).sort();
}

describe('zone model', () => {
  test("'az' delegates live domains with name servers, with DS and in-bailiwick glue only", async () => {
    const { zones } = await buildAll(t.reg.db, testConfig(), t.clock);
    const az = zones.get('az')!;
    assert.deepEqual(ns(az, 'az'), ['ns1.nic.az', 'ns2.dns-ext.net']);
    assert.deepEqual(ns(az, 'alpha.az'), ['ns1.dns-ext.net', 'ns2.dns-ext.net']);
    assert.deepEqual(az.get('alpha.az', T.DS)!.rdatas.map((r) => rdataText(T.DS, r)), ['2371 13 2 1F987CC6583E92DF0890718C42A5A3C2F1E3C8B1F4D5E6A7B8C9D0E1F2A3B4C5']);
    assert.deepEqual(ns(az, 'beta.az'), ['ns1.beta.az', 'ns2.beta.az']);
    assert.deepEqual(az.get('ns1.beta.az', T.A)!.rdatas.map((r) => rdataText(T.A, r)), ['185.5.10.10']);
    assert.deepEqual(az.get('ns1.beta.az', T.AAAA)!.rdatas.map((r) => rdataText(T.AAAA, r)), ['2a02:6b8:0:0:0:0:0:10']);
    assert.deepEqual(ns(az, 'gamma.az'), ['ns1.beta.az', 'ns1.dns-ext.net']);
    // Suspended (R6.2, R7.4) and names without name servers are not published; nor are external hosts' addresses.
    assert.equal(az.nodes.has('held.az'), false);
    assert.equal(az.nodes.has('bare.az'), false);
    assert.equal(az.nodes.has('ns1.dns-ext.net'), false);
    // The general-use zone is its own zone, delegated with NS and the DS of its KSK.
    assert.deepEqual(ns(az, 'com.az'), ['ns1.nic.az', 'ns2.dns-ext.net']);
    const com = zones.get('com.az')!;
    const comKsk = com.get('com.az', T.DNSKEY)!.rdatas.find((k) => k.readUInt16BE(0) === 257)!;
    assert.equal(az.get('com.az', T.DS)!.rdatas[0]!.readUInt16BE(0), keyTag(comKsk));
    assert.deepEqual(ns(com, 'shop.com.az'), ['ns1.dns-ext.net', 'ns2.dns-ext.net']);
    assert.equal(az.nodes.has('shop.com.az'), false);
    // The apex server under the zone has authoritative addresses (nic.az is not delegated here).
    assert.equal(az.isAuthoritative('ns1.nic.az'), true);
    assert.equal(az.get('ns1.nic.az', T.A)!.sigs.length, 1);
  });

  test('serials follow RFC 1982 and never go backwards; unchanged content keeps its serial', async () => {
    assert.equal(nextSerial(null, new Date('2026-03-02T09:00:00Z')), Math.floor(Date.parse('2026-03-02T09:00:00Z') / 1000));
    assert.equal(nextSerial(1_772_442_100, new Date('2026-03-02T09:00:00Z')), 1_772_442_101); // clock behind the serial
    assert.equal(nextSerial(4_294_967_295, new Date(0)), 0);
    assert.ok(serialGreater(0, 4_294_967_295));
    assert.ok(serialGreater(1, 2 ** 31 + 2) && !serialGreater(2 ** 31 + 2, 1));
    const a = (await buildAll(t.reg.db, testConfig(), t.clock, ['az'])).zones.get('az')!;
    t.clock.advance(60_000);
    const b = (await buildAll(t.reg.db, testConfig(), t.clock, ['az'])).zones.get('az')!;
    assert.equal(b.serial, a.serial);
    const c = (await buildAll(t.reg.db, { ...testConfig(), ttl: 7200 }, t.clock, ['az'])).zones.get('az')!;
    assert.ok(serialGreater(c.serial, a.serial), `serial ${c.serial} after ${a.serial}`);
  });

  test('records come out in canonical order (RFC 4034 §6.1)', () => {
    const names = ['az', 'Z.a.az', 'a.az', 'yljkjljk.a.az', 'zabc.a.az', '*.z.a.az', '\u0001.z.a.az', 'z.a.az', 'zz.a.az'].map((n) => n.toLowerCase());
    const sorted = [...names].sort(compareNames);
    assert.deepEqual(sorted, ['az', 'a.az', 'yljkjljk.a.az', 'z.a.az', 'z.a.az', '\u0001.z.a.az', '*.z.a.az', 'zabc.a.az', 'zz.a.az']);
  });
});

for (const denial of ['nsec3', 'nsec3-optout', 'nsec'] as const) {
  describe(`signed with ${denial}`, () => {
    let zones: Map<string, Zone>;
    before(async () => { zones = (await buildAll(t.reg.db, testConfig(denial), t.clock)).zones; });

    test('our checker accepts every zone and the chain of trust from az to com.az', () => {
      for (const z of zones.values()) {
        const parentZone = z.origin === 'az' ? undefined : zones.get('az');
        const r = checkZone(z, t.clock.now(), parentZone);
        assert.deepEqual(r.problems, [], `${z.origin}: ${r.problems.slice(0, 5).join('; ')}`);
        assert.ok(r.signatures > 0);
      }
      const az = zones.get('az')!;
      // Delegation NS and glue are unsigned; DS is signed.
      assert.equal(az.get('alpha.az', T.NS)!.sigs.length, 0);
      assert.equal(az.get('ns1.beta.az', T.A)!.sigs.length, 0);
      assert.equal(az.get('alpha.az', T.DS)!.sigs.length, 1);
      const nsec3 = [...az.nodes.values()].filter((n) => n.has(T.NSEC3)).length;
      if (denial === 'nsec3') assert.ok(nsec3 >= 6, `${nsec3} NSEC3 records`);
      if (denial === 'nsec3-optout') assert.ok(!az.nsec3Matching('beta.az') && az.nsec3Matching('alpha.az'));
      if (denial === 'nsec') assert.equal(nsec3, 0);
    });

    test('the checker notices a broken signature and a broken chain', () => {
      const az = zones.get('az')!;
      const ds = az.get('alpha.az', T.DS)!;
      const saved = ds.sigs[0]!;
      const broken = Buffer.from(saved); broken[broken.length - 1]! ^= 1;
      ds.sigs = [broken];
      try {
        assert.ok(checkZone(az, t.clock.now()).problems.some((p) => p.includes('alpha.az DS: RRSIG does not verify')));
      } finally { ds.sigs = [saved]; }
    });

    test('kzonecheck -d on and ldns-verify-zone accept the exported zone files', { skip: missing(['kzonecheck', 'ldns-verify-zone']) }, () => {
      for (const z of zones.values()) {
        const file = path.join(tmp, `${z.origin}.${denial}.zone`);
        writeFileSync(file, zoneFile(z));
        const time = String(Math.floor(t.clock.now().getTime() / 1000));
        const kz = spawnSync('kzonecheck', ['-o', z.origin, '-d', 'on', '-t', time, file], { encoding: 'utf8' });
        assert.equal(kz.status, 0, `kzonecheck ${z.origin}: ${kz.stdout}${kz.stderr}`);
        const ldns = spawnSync('ldns-verify-zone', ['-t', t.clock.now().toISOString().replace(/[-:T]/g, '').slice(0, 14), file], { encoding: 'utf8' });
        assert.equal(ldns.status, 0, `ldns-verify-zone ${z.origin}: ${ldns.stdout}${ldns.stderr}`);
      }
      void execFileSync;
    });
  });
}

describe('signing on worker threads', () => {
  test('a zone large enough for the worker pool (1,000 signed delegations: over 2,000 signatures) is signed the same way, every signature valid', async () => {
    const { generateKey } = await import('../../src/dns/keys.ts');
    const { createPrivateKey } = await import('node:crypto');
    const { Zone } = await import('../../src/dns/zone-model.ts');
    const { signZoneParallel } = await import('../../src/dns/sign.ts');
    const { rdataDs, rdataName, rdataSoa } = await import('../../src/dns/wire.ts');
    const keys = (['ksk', 'zsk'] as const).map((role, i) => {
      const k = generateKey('az', role);
      return { id: i + 1, zone: 'az', role, algorithm: 13, flags: k.flags, keyTag: k.keyTag, publicKey: k.publicKey, privateKey: createPrivateKey(k.privatePem), state: 'active', dnskey: k.dnskey };
    });
    const z = new Zone('az');
    z.denial = 'nsec3-optout';
    z.add('az', T.SOA, 3600, rdataSoa({ mname: 'ns1.nic.az', rname: 'hostmaster.nic.az', serial: 1, refresh: 1800, retry: 900, expire: 1209600, minimum: 3600 }));
    z.add('az', T.NS, 3600, rdataName('ns1.nic.az'));
    for (let i = 0; i < 1000; i++) {
      z.add(`w${i}.az`, T.NS, 3600, rdataName('ns1.example.net'));
      z.add(`w${i}.az`, T.DS, 3600, rdataDs(i, 13, 2, Buffer.alloc(32, i & 0xff)));
    }
    const prev = process.env.DOMEN_DNS_SIGN_THREADS;
    process.env.DOMEN_DNS_SIGN_THREADS = '2';
    try {
      await signZoneParallel(z, keys, { now: new Date(), validity: 14 * 86400, cds: true });
    } finally {
      if (prev === undefined) delete process.env.DOMEN_DNS_SIGN_THREADS; else process.env.DOMEN_DNS_SIGN_THREADS = prev;
    }
    assert.equal(z.get('w999.az', T.DS)!.sigs.length, 1);
    assert.deepEqual(checkZone(z, new Date()).problems, []);
  });
});
