// Full-build signing (sign.ts laying out the signed data in chunks, sign-pool.ts signing them on worker
// threads and this one): the same zone as RRset-by-RRset signing, and valid for ldns-verify-zone and
// kzonecheck, with NSEC, NSEC3 and NSEC3 opt-out.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkZone } from '../../src/dns/check.ts';
import { zoneFile } from '../../src/dns/export.ts';
import { generateKey, type ZoneKey } from '../../src/dns/keys.ts';
import { signZone, signZoneParallel } from '../../src/dns/sign.ts';
import { T, compareNames, rdataA, rdataDs, rdataName, rdataSoa, rrText } from '../../src/dns/wire.ts';
import { Zone, type Denial } from '../../src/dns/zone-model.ts';
import { missing, run } from './setup.ts';

const NOW = new Date('2026-11-23T00:00:00Z');
const OPTS = { now: NOW, validity: 14 * 86400, cds: true };

function testKeys(): ZoneKey[] {
  return (['ksk', 'zsk'] as const).map((role, i) => {
    const k = generateKey('az', role);
    return { id: i + 1, zone: 'az', role, algorithm: 13, flags: k.flags, keyTag: k.keyTag, publicKey: k.publicKey, privateKey: createPrivateKey(k.privatePem), state: 'active', dnskey: k.dnskey };
  });
}

/** 3,000 delegations (several chunks), every 10th with a DS, plus glue, an empty non-terminal and a wildcard. */
function testZone(denial: Denial): Zone {
  const z = new Zone('az');
  z.denial = denial;
  z.add('az', T.SOA, 3600, rdataSoa({ mname: 'ns1.nic.az', rname: 'hostmaster.nic.az', serial: 1, refresh: 1800, retry: 900, expire: 1209600, minimum: 3600 }));
  z.add('az', T.NS, 3600, rdataName('ns1.nic.az'));
  z.add('az', T.NS, 3600, rdataName('ns2.dns-ext.net'));
  z.add('ns1.nic.az', T.A, 3600, rdataA('127.0.0.1'));
  z.add('www.deep.az', T.A, 3600, rdataA('127.0.0.2'));
  z.add('*.wild.az', T.A, 3600, rdataA('127.0.0.3'));
  for (let i = 0; i < 3000; i++) {
    const name = `d${i}.az`;
    // The NS RDATA in either order: the canonical order of the signed data must not depend on it.
    z.setRRset(name, T.NS, 3600, i % 2 ? [rdataName(`ns2.h${i % 7}.net`), rdataName(`ns1.h${i % 7}.net`)] : [rdataName(`ns1.h${i % 7}.net`), rdataName(`ns2.h${i % 7}.net`)]);
    if (i % 10 === 0) z.add(name, T.DS, 3600, rdataDs(i, 13, 2, Buffer.alloc(32, i & 0xff)));
  }
  z.setRRset('g.az', T.NS, 3600, [rdataName('ns.g.az')]);
  z.add('ns.g.az', T.A, 3600, rdataA('192.0.2.1'));
  return z;
}

/** The zone's RRs as text, RRSIGs without their signature (ECDSA signatures differ on every signing). */
function withoutSignatures(z: Zone): string[] {
  return [...z.records()].map((rr) => (rr.type === T.RRSIG ? rrText({ ...rr, rdata: rr.rdata.subarray(0, rr.rdata.length - 64) }) : rrText(rr)));
}

for (const denial of ['nsec', 'nsec3', 'nsec3-optout'] as const) {
  describe(`full-build signing, ${denial}`, () => {
    test('on worker threads: the same records as signing RRset by RRset, one valid RRSIG per authoritative RRset', async () => {
      const keys = testKeys();
      const threaded = testZone(denial);
      const prev = process.env.DOMEN_DNS_SIGN_THREADS;
      process.env.DOMEN_DNS_SIGN_THREADS = '2';
      try {
        assert.equal(await signZoneParallel(threaded, keys, OPTS), true);
      } finally {
        if (prev === undefined) delete process.env.DOMEN_DNS_SIGN_THREADS; else process.env.DOMEN_DNS_SIGN_THREADS = prev;
      }
      const single = testZone(denial);
      signZone(single, keys, OPTS);
      assert.deepEqual(withoutSignatures(threaded), withoutSignatures(single));
      const result = checkZone(threaded, NOW);
      assert.deepEqual(result.problems, []);
      assert.ok(threaded.exists('deep.az'), 'the empty non-terminal exists');
      if (denial === 'nsec') assert.deepEqual(threaded.nsecNames, [...threaded.nsecNames].sort(compareNames), 'the NSEC owners in canonical order');
      assert.equal(threaded.get('ns.g.az', T.A)!.sigs.length, 0, 'glue is not signed');
      assert.equal(threaded.get('d1.az', T.NS)!.sigs.length, 0, 'a delegation NS RRset is not signed');
    });

    test('the exported zone passes ldns-verify-zone and kzonecheck', { skip: missing(['ldns-verify-zone', 'kzonecheck']) }, async () => {
      const z = testZone(denial);
      await signZoneParallel(z, testKeys(), OPTS);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'domen-sign-'));
      try {
        const file = path.join(dir, 'az.zone');
        writeFileSync(file, zoneFile(z));
        const ldns = await run('ldns-verify-zone', ['-t', NOW.toISOString().replace(/[-:T]/g, '').slice(0, 14), file], 60_000);
        assert.equal(ldns.status, 0, `ldns-verify-zone: ${ldns.stdout}${ldns.stderr}`);
        const kz = await run('kzonecheck', ['-o', 'az', '-d', 'on', '-t', String(Math.floor(NOW.getTime() / 1000)), file], 60_000);
        assert.equal(kz.status, 0, `kzonecheck: ${kz.stdout}${kz.stderr}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
