// Interop: a real knotd as a secondary of our server on loopback takes the signed 'az' by AXFR, and
// `kdig AXFR` from both gives the same records (transfers and NOTIFY signed with TSIG hmac-sha256); after 500 random registry
// changes through the core, published as differences, our NOTIFYs make knotd follow by IXFR (never AXFR again),
// and both are equal again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { startDnsService, type DnsService } from '../../src/dns/index.ts';
import { parseTsigKeys } from '../../src/dns/tsig.ts';
import { parseTargets, sendNotify } from '../../src/dns/notify.ts';
import { registrar } from '../helpers/fixtures.ts';
import { zoneFile } from '../../src/dns/export.ts';
import { T, readName } from '../../src/dns/wire.ts';
import { changeDriver } from './changes.ts';
import { kdig, missing, run, seedZoneFixture, testConfig, type Fixture } from './setup.ts';
import { freePort } from '../cli/harness.ts';
import { startKnot, XFR_KEY, XFR_SECRET, type KnotSecondary } from './knot-secondary.ts';

const skip = missing(['knotd', 'kdig']);


const SECRET = XFR_SECRET;
const KEY = XFR_KEY;

async function axfr(port: number, zone: string, tsig?: string): Promise<string[]> {
  const r = await run('kdig', ['@127.0.0.1', '-p', String(port), '+nocomments', '+nostats', '+noheader', ...(tsig ? ['-y', tsig] : []), 'AXFR', zone]);
  assert.equal(r.status, 0, r.stderr);
  // One line per RR, whitespace normalized; the closing SOA is left out.
  const lines = r.stdout.split('\n').filter((l) => l && !l.startsWith(';') && !/\sTSIG\s/.test(l)).map((l) => l.split(/\s+/).join(' '));
  return lines.slice(0, -1).sort();
}

describe('knotd as a secondary', { skip }, () => {
  let t: TestRegistry;
  let dns: DnsService;
  let fx: Fixture;
  let knot: KnotSecondary | null = null;
  let knotPort = 0;
  let tmp: string;
  const knotLog = () => knot?.log() ?? '';

  before(async () => {
    t = await testRegistry({ start: new Date().toISOString() });
    fx = await seedZoneFixture(t);
    knotPort = await freePort();
    dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, rebuildSeconds: 0, pollMs: 100, config: { ...testConfig('nsec3-optout'), notify: [`127.0.0.1@${knotPort}/xfr-key`], tsigKeys: parseTsigKeys(KEY) } });
    knot = await startKnot({ zone: 'az', primaryPort: dns.server.port, port: knotPort });
    tmp = knot.dir;
  });

  after(async () => {
    await knot?.stop();
    await dns?.close();
    await t?.close();
  });

  test('takes the zone by AXFR and serves the same records', async () => {
    const deadline = Date.now() + 20_000;
    let soa = '';
    while (Date.now() < deadline) {
      soa = await kdig(knotPort, ['az', 'SOA']);
      if (/status: NOERROR/.test(soa) && /Flags: qr aa/.test(soa)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(soa, /Flags: qr aa/, `knotd did not load az:\n${soa}\n${knotLog()}`);
    const ours = await axfr(dns.server.port, 'az', KEY);
    const theirs = await axfr(knotPort, 'az');
    assert.ok(ours.length > 30, `${ours.length} records`);
    assert.deepEqual(theirs, ours);
    // Transfers need the TSIG key: without it REFUSED, with a wrong one NOTAUTH (BADSIG).
    assert.match(await kdig(dns.server.port, ['AXFR', 'az']), /REFUSED/);
    assert.match(await kdig(dns.server.port, ['-y', `hmac-sha256:xfr-key:${Buffer.alloc(32, 8).toString('base64')}`, 'AXFR', 'az']), /NOTAUTH|BADSIG/);
    assert.match(await kdig(dns.server.port, ['-y', 'hmac-sha256:other-key:' + SECRET, 'AXFR', 'az']), /NOTAUTH|BADKEY/);
    // A signed ordinary query gets a signed answer that kdig verifies.
    const signed = await kdig(dns.server.port, ['-y', KEY, 'az', 'SOA']);
    assert.match(signed, /status: NOERROR/);
    assert.match(signed, /ADDITIONAL: 1/);
    assert.doesNotMatch(signed, /WARNING|;; ERROR|failed/);
    // The secondary answers a referral from our data.
    assert.match(await kdig(knotPort, ['+dnssec', 'alpha.az', 'NS']), /IN\s+DS\s+2371 13 2/);
  });

  test('500 random changes through the core reach knotd by NOTIFY and IXFR; both copies are equal and valid', async () => {
    const before = dns.store.get('az')!.serial;
    const axfrsBefore = knot!.transfers().axfr;
    const driver = changeDriver(t.reg, { registrarId: 'reg-dns', registrant: 'dns-own', external: fx.external, prefix: 'knot-', seed: 500 });
    let made = 0;
    for (let i = 0; i < 500; i++) {
      if (await driver.step()) made++;
      // PGlite answers in this process as microtasks: give the publisher's timer and our server's sockets a
      // turn, and let batches form while changes keep coming.
      await new Promise((res) => setImmediate(res));
      if (i % 10 === 9) await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(made > 400, `${made} of 500 changes accepted by the core`);
    await dns.publish();
    assert.notEqual(dns.store.get('az')!.serial, before);
    const deadline = Date.now() + 30_000;
    let soa = '';
    let serial = 0;
    while (Date.now() < deadline) {
      serial = dns.store.get('az')!.serial;
      soa = await kdig(knotPort, ['az', 'SOA']);
      if (soa.includes(` ${serial} `)) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.ok(soa.includes(` ${serial} `), `knotd did not reach serial ${serial}:\n${soa}\n${knotLog().slice(-2000)}`);
    assert.deepEqual(await axfr(knotPort, 'az'), await axfr(dns.server.port, 'az', KEY));
    // Our NOTIFYs carried the TSIG that knotd's ACL requires (an unsigned one is denied and knotd would only
    // find the changes at its next SOA refresh, 30 min away).
    assert.match(knotLog(), /notify, incoming, remote [^\n]*serial/i);
    assert.doesNotMatch(knotLog(), /notify, incoming[^\n]*denied/i);
    const soaRd = dns.store.get('az')!.soaRdata();
    assert.equal((await sendNotify('az', soaRd, parseTargets(`127.0.0.1@${knotPort}/xfr-key`, parseTsigKeys(KEY)), { attempts: 1, firstWaitMs: 2000 })).length, 1, 'a signed NOTIFY is acknowledged with a valid TSIG');
    assert.equal((await sendNotify('az', soaRd, parseTargets(`127.0.0.1@${knotPort}`), { attempts: 1, firstWaitMs: 1000 })).length, 0, 'an unsigned NOTIFY is refused');
    // knotd followed by IXFR: no zone transfer after the first one.
    const { ixfr: ixfrs, axfr: axfrs } = knot!.transfers();
    assert.ok(ixfrs >= 1, `knotd logged ${ixfrs} IXFRs:\n${knotLog().slice(-3000)}`);
    assert.equal(axfrs, axfrsBefore, `knotd fell back to AXFR:\n${knotLog().split('\n').filter((l) => /AXFR|fallback|failed/.test(l)).slice(0, 10).join('\n')}`);
    assert.equal(dns.stats.fullRebuilds, 0, 'no full rebuild was needed');
    // The zone after 500 changes is valid for kzonecheck and ldns-verify-zone.
    if (!missing(['kzonecheck', 'ldns-verify-zone'])) {
      const file = path.join(tmp, 'az.signed');
      writeFileSync(file, zoneFile(dns.store.get('az')!));
      const kz = await run('kzonecheck', ['-o', 'az', '-d', 'on', '-t', String(Math.floor(t.clock.now().getTime() / 1000)), file]);
      // The one complaint allowed: an in-bailiwick name server whose own domain is suspended or deleted has
      // no glue (R6.2: the hold takes its addresses out of the zone too), so the delegations using it are lame.
      const az = dns.store.get('az')!;
      const complaints = `${kz.stdout}${kz.stderr}`.split('\n').filter((l) => /^\[/.test(l));
      for (const c of complaints) {
        const m = /^\[(.+)\.\] missing glue record$/.exec(c);
        assert.ok(m, `kzonecheck: ${c}`);
        const targets = az.get(m[1]!, T.NS)!.rdatas.map((rd) => readName(rd, 0)[0]).filter((h) => h.endsWith('.az'));
        assert.ok(targets.some((h) => az.cutAbove(h) === null), `${m[1]}: missing glue, yet all its name servers are below delegations`);
      }
      assert.ok(kz.status === 0 || complaints.length > 0, `kzonecheck: ${kz.stdout}${kz.stderr}`);
      const ldns = await run('ldns-verify-zone', ['-t', t.clock.now().toISOString().replace(/[-:T]/g, '').slice(0, 14), file]);
      assert.equal(ldns.status, 0, `ldns-verify-zone: ${ldns.stdout}${ldns.stderr}`);
    }
  });

  test('latency from a committed create to the answer at knotd (20 creates at 10/s)', async (ctx) => {
    const r = registrar('reg-dns');
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const name = `lat-${i}.az`;
      const res = await createDomain(t.reg, r, { name, registrant: 'dns-own', hosts: fx.external });
      assert.equal(res.status, 'created');
      const committed = Date.now();
      pending.push((async () => {
        while (Date.now() - committed < 60_000) {
          if (/status: NOERROR/.test(await kdig(knotPort, [name, 'NS']))) { latencies.push(Date.now() - committed); return; }
          await new Promise((res2) => setTimeout(res2, 50));
        }
      })());
      await new Promise((res2) => setTimeout(res2, 100));
    }
    await Promise.all(pending);
    assert.equal(latencies.length, 20, 'every create reached knotd');
    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length * 0.5)]!;
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
    ctx.diagnostic(`create -> knotd answer: p50 ${p50} ms, p99 ${p99} ms (outbox poll 100 ms, one difference of the zone, NOTIFY, IXFR from the journal)`);
    // The latency itself is measured by `npm run bench -- dns` (bench/results/dns.md), not asserted here.
  });
});
