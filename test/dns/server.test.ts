// The authoritative server on a random port, asked with kdig (and delv when installed): referrals with glue,
// DS and denial proofs, authoritative apex answers, NXDOMAIN/NODATA proofs, EDNS0, truncation, AXFR.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { buildAll } from '../../src/dns/build.ts';
import { ZoneStore, startDns, type DnsServer } from '../../src/dns/server.ts';
import { T, rdataText } from '../../src/dns/wire.ts';
import { kdig, missing, run, seedZoneFixture, testConfig } from './setup.ts';

const skip = missing(['kdig']);
let t: TestRegistry;

before(async () => {
  t = await testRegistry({ start: new Date().toISOString() });
  await seedZoneFixture(t);
});
after(async () => { await t?.close(); });

for (const denial of ['nsec3', 'nsec3-optout', 'nsec'] as const) {
  describe(`authoritative server (${denial})`, { skip }, () => {
    let server: DnsServer;
    let store: ZoneStore;
    let tmp: string;
    const q = (...args: string[]) => kdig(server.port, args);

    before(async () => {
      store = new ZoneStore();
      for (const z of (await buildAll(t.reg.db, testConfig(denial), t.clock)).zones.values()) store.set(z);
      server = await startDns(store, { host: '127.0.0.1', port: 0 });
      tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-dns-srv-'));
    });
    after(async () => { await server?.close(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

    test('the apex: authoritative SOA, NS and DNSKEY with RRSIGs when DO is set', async () => {
      const soa = await q('+dnssec', 'az', 'SOA');
      assert.match(soa, /status: NOERROR/);
      assert.match(soa, /Flags: qr aa/);
      assert.match(soa, /^az\.\s+\d+\s+IN\s+SOA\s+ns1\.nic\.az\. hostmaster\.nic\.az\./m);
      assert.match(soa, /^az\.\s+\d+\s+IN\s+RRSIG\s+SOA 13 1 /m);
      const keys = await q('+dnssec', 'az', 'DNSKEY');
      assert.equal((keys.match(/IN\s+DNSKEY\s+257 3 13/g) ?? []).length, 1);
      assert.equal((keys.match(/IN\s+DNSKEY\s+256 3 13/g) ?? []).length, 1);
      assert.match(keys, /IN\s+RRSIG\s+DNSKEY 13 1/);
      // Without DO: no signatures.
      assert.doesNotMatch(await q('az', 'SOA'), /RRSIG/);
    });

    test('a signed delegation: referral (AA=0) with NS and signed DS', async () => {
      const r = await q('+dnssec', 'www.alpha.az', 'A');
      assert.match(r, /status: NOERROR/);
      assert.doesNotMatch(r, /Flags: qr aa/);
      assert.match(r, /^alpha\.az\.\s+\d+\s+IN\s+NS\s+ns1\.dns-ext\.net\./m);
      assert.match(r, /^alpha\.az\.\s+\d+\s+IN\s+DS\s+2371 13 2 /m);
      assert.match(r, /^alpha\.az\.\s+\d+\s+IN\s+RRSIG\s+DS 13 2 /m);
      // The DS itself is answered authoritatively by the parent.
      const ds = await q('+dnssec', 'alpha.az', 'DS');
      assert.match(ds, /Flags: qr aa/);
      assert.match(ds, /ANSWER: 2/);
    });

    test('an insecure delegation: glue for in-bailiwick servers and a proof that there is no DS', async () => {
      const r = await q('+dnssec', 'beta.az', 'A');
      assert.doesNotMatch(r, /Flags: qr aa/);
      assert.match(r, /^beta\.az\.\s+\d+\s+IN\s+NS\s+ns1\.beta\.az\./m);
      assert.match(r, /^ns1\.beta\.az\.\s+\d+\s+IN\s+A\s+185\.5\.10\.10/m);
      assert.match(r, /^ns1\.beta\.az\.\s+\d+\s+IN\s+AAAA\s+2a02:6b8::10/m);
      assert.match(r, denial === 'nsec' ? /^beta\.az\.\s+\d+\s+IN\s+NSEC\s+\S+ NS RRSIG NSEC/m : /IN\s+NSEC3\s+1 (0|1) 0 - /m);
      if (denial === 'nsec3-optout') assert.match(r, /IN\s+NSEC3\s+1 1 0 - /);
      // Glue is not authoritative: a question for it is referred too.
      assert.doesNotMatch(await q('ns1.beta.az', 'A'), /Flags: qr aa/);
    });

    test('NXDOMAIN for unregistered, suspended and name-server-less names, with the denial proof', async () => {
      for (const name of ['nonexistent.az', 'held.az', 'bare.az', 'a.b.nonexistent.az']) {
        const r = await q('+dnssec', name, 'A');
        assert.match(r, /status: NXDOMAIN/, name);
        assert.match(r, /Flags: qr aa/, name);
        assert.match(r, /^az\.\s+\d+\s+IN\s+SOA\s/m, name);
        const proofs = (r.match(denial === 'nsec' ? /IN\s+NSEC\s/g : /IN\s+NSEC3\s/g) ?? []).length;
        assert.ok(proofs >= 2 && proofs <= 3, `${name}: ${proofs} denial records\n${r}`);
        assert.ok((r.match(/IN\s+RRSIG\s+NSEC/g) ?? []).length === proofs, name);
      }
    });

    test('NODATA at the apex: SOA and the matching denial record', async () => {
      const r = await q('+dnssec', 'az', 'TXT');
      assert.match(r, /status: NOERROR/);
      assert.match(r, /ANSWER: 0/);
      assert.match(r, denial === 'nsec' ? /^az\.\s+\d+\s+IN\s+NSEC\s/m : /IN\s+NSEC3\s+1 \d 0 - \S+ NS SOA RRSIG DNSKEY NSEC3PARAM CDS CDNSKEY/m);
    });

    test('the general-use zone com.az: its own apex, and the DS in az', async () => {
      assert.match(await q('+dnssec', 'com.az', 'SOA'), /^com\.az\.\s+\d+\s+IN\s+SOA\s/m);
      const ds = await q('+dnssec', 'com.az', 'DS');
      assert.match(ds, /Flags: qr aa/);
      assert.match(ds, /^com\.az\.\s+\d+\s+IN\s+DS\s+\d+ 13 2 /m);
      assert.match(await q('shop.com.az', 'NS'), /^shop\.com\.az\.\s+\d+\s+IN\s+NS\s+ns1\.dns-ext\.net\./m);
      assert.match(await q('example.org', 'A'), /status: REFUSED/);
    });

    test('truncation over UDP and the TCP fallback', async () => {
      const udp = await q('+dnssec', '+bufsize=512', '+ignore', '+notcp', 'az', 'ANY');
      assert.match(udp, /Flags: qr aa tc/);
      const tcp = await q('+dnssec', '+bufsize=512', 'az', 'ANY');
      assert.doesNotMatch(tcp, /Flags: qr aa tc/);
      assert.match(tcp, /IN\s+DNSKEY\s+257/);
      // EDNS version 1: BADVERS.
      assert.match(await q('+edns=1', 'az', 'SOA'), /BADVERS/);
    });

    test('AXFR over TCP returns the whole zone, SOA first and last', async () => {
      const r = await run('kdig', ['@127.0.0.1', '-p', String(server.port), '+nocomments', '+nostats', 'AXFR', 'az']);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.split('\n').filter((l) => l && !l.startsWith(';'));
      const expected = [...store.get('az')!.records()].length + 1;
      assert.equal(lines.length, expected);
      assert.match(lines[0]!, /\sSOA\s/);
      assert.match(lines[lines.length - 1]!, /\sSOA\s/);
      // IXFR (RFC 1995): an up-to-date client gets the SOA alone; an older one the whole zone (§4).
      const serial = store.get('az')!.serial;
      const ixfr = async (from: number) => (await run('kdig', ['@127.0.0.1', '-p', String(server.port), '+nocomments', '+nostats', `IXFR=${from}`, 'az'])).stdout
        .split('\n').filter((l) => l && !l.startsWith(';'));
      assert.equal((await ixfr(serial)).length, 1);
      assert.equal((await ixfr(serial - 10)).length, expected);
      // AXFR over UDP is refused.
      assert.match(await q('+notcp', 'az', 'AXFR'), /REFUSED|failed|error/);
    });

    test('delv validates a signed delegation and a denial of existence from the az trust anchor', { skip: missing(['delv']) }, async () => {
      const az = store.get('az')!;
      const ksk = az.get('az', T.DNSKEY)!.rdatas.find((k) => k.readUInt16BE(0) === 257)!;
      const [, , , key] = rdataText(T.DNSKEY, ksk).split(' ');
      const anchors = path.join(tmp, 'anchors.conf');
      writeFileSync(anchors, `trust-anchors { az. static-key 257 3 13 "${key}"; };\n`);
      const delv = (name: string, type: string) => run('delv', ['@127.0.0.1', '-p', String(server.port), '-a', anchors, '+root=az', '+nortrace', name, type]);
      const ds = await delv('alpha.az', 'DS');
      assert.match(ds.stdout, /; fully validated/, ds.stdout + ds.stderr);
      const nx = await delv('nonexistent.az', 'A');
      assert.match(nx.stdout + nx.stderr, /resolution failed: ncache nxdomain|; negative response, fully validated/, nx.stdout + nx.stderr);
      const soa = await delv('com.az', 'SOA');
      assert.match(soa.stdout, /; fully validated/, soa.stdout + soa.stderr);
    });
  });
}
