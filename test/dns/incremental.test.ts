// Incremental publication: random registry changes through the core, published batch by batch from the
// outbox as differences of the served zone, must leave exactly the zone a full build from the database
// gives (same RRs, same NSEC3/NSEC chain, same content digest hence the same serial), with every signature
// valid; the journal answers IXFR with the condensed difference, and AXFR form when it cannot.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { buildAll } from '../../src/dns/build.ts';
import { checkZone } from '../../src/dns/check.ts';
import { differenceSince } from '../../src/dns/journal.ts';
import { startDnsService, type DnsService } from '../../src/dns/index.ts';
import { T, rrText, typeName } from '../../src/dns/wire.ts';
import type { DnsConfig, Zone } from '../../src/dns/zone-model.ts';
import { createHost } from '../../src/core/hosts.ts';
import { na, registrar } from '../helpers/fixtures.ts';
import { changeDriver } from './changes.ts';
import { missing, run, seedZoneFixture, testConfig, type Fixture } from './setup.ts';

let t: TestRegistry;
let fx: Fixture;

before(async () => {
  t = await testRegistry({ start: new Date().toISOString() });
  fx = await seedZoneFixture(t);
});
after(async () => { await t?.close(); });

/** Our apex servers, one of them under a name that a test registers (apex-host.az). */
function config(denial: DnsConfig['denial']): DnsConfig {
  const c = testConfig(denial);
  return { ...c, servers: [...c.servers, { name: `ns3.apex-${denial}.az`, addresses: ['185.1.2.3'] }] };
}

/** Every RR but the RRSIGs, as text, plus (owner, covered type, key tag) of each RRSIG. */
function content(z: Zone): { rrs: string[]; sigs: string[] } {
  const rrs: string[] = [];
  const sigs: string[] = [];
  for (const rr of z.records()) {
    if (rr.type === T.RRSIG) sigs.push(`${rr.name} ${typeName(rr.rdata.readUInt16BE(0))} ${rr.rdata.readUInt16BE(16)}`);
    else rrs.push(rrText(rr));
  }
  return { rrs: rrs.sort(), sigs: sigs.sort() };
}

function recordSet(z: Zone): Set<string> {
  return new Set([...z.records()].filter((rr) => rr.type !== T.SOA).map(rrText));
}

for (const denial of ['nsec3', 'nsec3-optout', 'nsec'] as const) {
  describe(`incremental publication (${denial})`, () => {
    let dns: DnsService;
    before(async () => {
      dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config: config(denial), rebuildSeconds: 0, pollMs: 3_600_000 });
    });
    after(async () => { await dns?.close(); });

    test('random changes published as differences equal a full build, and every signature verifies', async () => {
      const az0 = dns.store.get('az')!;
      const com0 = dns.store.get('com.az')!;
      const snapshot = recordSet(az0);
      const serial0 = az0.serial;
      const driver = changeDriver(t.reg, { registrarId: 'reg-dns', registrant: 'dns-own', external: fx.external, prefix: `inc-${denial}-`, seed: denial.length * 7919 });
      let done = 0;
      for (let batch = 0; batch < 12; batch++) {
        const size = 1 + (batch % 4);
        for (let i = 0; i < size; i++) if (await driver.step()) done++;
        t.clock.advance(1000);
        await dns.publish();
      }
      // apex-host.az delegated: our apex server ns3.apex-host.az turns from authoritative data (under the
      // empty non-terminal apex-host.az) into glue, and back when apex-host.az is suspended.
      const apex = `apex-${denial}.az`;
      assert.ok(dns.store.get('az')!.ents.has(apex));
      const r = registrar('reg-dns');
      assert.equal((await createDomain(t.reg, r, { name: apex, registrant: 'dns-own' })).status, 'created');
      await createHost(t.reg, r, { name: `ns3.apex-${denial}.az`, addresses: ['185.1.2.3'] });
      await updateDomain(t.reg, r, { name: apex, add: { hosts: [`ns3.${apex}`, fx.external[0]!] } });
      await dns.publish();
      assert.ok(dns.store.get('az')!.cuts.has(apex));
      assert.equal(dns.store.get('az')!.get(`ns3.${apex}`, T.A)!.sigs.length, 0, 'glue is not signed');
      await updateDomain(t.reg, na, { name: apex, add: { statuses: ['serverHold'] } });
      await dns.publish();
      assert.ok(dns.store.get('az')!.ents.has(apex));
      assert.equal(dns.store.get('az')!.get(`ns3.${apex}`, T.A)!.sigs.length, 1, 'authoritative again, signed');
      assert.ok(done >= 15, `${done} changes made`);

      // The same zone objects, changed in place, with one difference per batch.
      const az = dns.store.get('az')!;
      assert.equal(az, az0, 'az was changed in place, not rebuilt');
      assert.equal(dns.store.get('com.az'), com0);
      assert.equal(dns.stats.fullRebuilds, 0);
      assert.ok(az.journal.length >= 10, `${az.journal.length} differences`);

      // A full build from the database: the same content digest keeps the serial, and the same RRs.
      const { zones } = await buildAll(t.reg.db, config(denial), t.clock);
      for (const origin of ['az', 'com.az']) {
        const inc = dns.store.get(origin)!;
        const full = zones.get(origin)!;
        assert.equal(full.serial, inc.serial, `${origin}: a full build gives the same serial (same content digest)`);
        const a = content(inc);
        const b = content(full);
        assert.deepEqual(a.rrs, b.rrs, `${origin}: same RRs`);
        assert.deepEqual(a.sigs, b.sigs, `${origin}: the same RRsets are signed, by the same keys`);
        assert.deepEqual([...inc.ents].sort(), [...full.ents].sort());
        assert.deepEqual(inc.nsec3Hashes, full.nsec3Hashes);
        assert.deepEqual(inc.nsecNames, full.nsecNames);
        assert.deepEqual(checkZone(inc, t.clock.now(), origin === 'com.az' ? dns.store.get('az') : undefined).problems, []);
      }

      // The condensed difference from the first serial turns the first zone into the current one.
      const diff = differenceSince(az, serial0)!;
      assert.ok(diff, 'the journal reaches back to the first serial');
      const text = (rrs: typeof diff.added) => rrs.map(rrText);
      for (const l of text(diff.removed)) assert.ok(snapshot.delete(l), `removed RR was in the zone: ${l}`);
      for (const l of text(diff.added)) snapshot.add(l);
      assert.deepEqual([...snapshot].sort(), [...recordSet(az)].sort());

      // The journal rows: one per difference, chained by serial.
      const rows = await t.reg.db.selectFrom('dns_journal').selectAll().where('zone', '=', 'az').orderBy('id').execute();
      const mine = rows.slice(rows.findIndex((r) => r.serial_from === serial0));
      assert.equal(mine.length, az.journal.length);
      for (let i = 1; i < mine.length; i++) assert.equal(mine[i]!.serial_from, mine[i - 1]!.serial_to);
      assert.equal(mine[mine.length - 1]!.serial_to, az.serial);
    });

    test('IXFR answers the difference from the journal, AXFR form when the serial is unknown', { skip: missing(['kdig']) }, async () => {
      const az = dns.store.get('az')!;
      const from = az.journal[az.journal.length - 3]!.from;
      const ixfr = await run('kdig', ['@127.0.0.1', '-p', String(dns.server.port), '+nocomments', '+nostats', `IXFR=${from}`, 'az']);
      assert.equal(ixfr.status, 0, ixfr.stderr);
      const lines = ixfr.stdout.split('\n').filter((l) => l && !l.startsWith(';'));
      const soas = lines.filter((l) => /\sIN\s+SOA\s/.test(l));
      assert.equal(soas.length, 4, `IXFR form: new SOA, old SOA, new SOA, new SOA:\n${ixfr.stdout.slice(0, 2000)}`);
      assert.match(soas[1]!, new RegExp(` ${from} `));
      assert.ok(lines.length < recordSet(az).size / 2, `${lines.length} RRs: a difference, not the zone`);
      const unknown = await run('kdig', ['@127.0.0.1', '-p', String(dns.server.port), '+nocomments', '+nostats', 'IXFR=12345', 'az']);
      const all = unknown.stdout.split('\n').filter((l) => l && !l.startsWith(';'));
      assert.equal(all.length, recordSet(az).size + 2, 'an unknown serial gets the whole zone');
      // Up to date: the SOA alone.
      const current = await run('kdig', ['@127.0.0.1', '-p', String(dns.server.port), '+nocomments', '+nostats', `IXFR=${az.serial}`, 'az']);
      assert.equal(current.stdout.split('\n').filter((l) => l && !l.startsWith(';')).length, 1);
    });

    test('a batch without DNS changes keeps the serial; a full rebuild keeps the served zone', async () => {
      const az = dns.store.get('az')!;
      const serial = az.serial;
      const name = az.cuts.has('alpha.az') ? 'alpha.az' : [...az.cuts][0]!;
      await updateDomain(t.reg, na, { name, add: { statuses: ['serverTransferProhibited'] } });
      await dns.publish();
      assert.equal(dns.store.get('az')!.serial, serial);
      await dns.rebuild();
      assert.equal(dns.store.get('az'), az, 'the rebuild found the same content and kept the zone and its journal');
      await updateDomain(t.reg, na, { name, remove: { statuses: ['serverTransferProhibited'] } });
    });
  });
}

describe('journal trimming', () => {
  test('the journal keeps DOMEN_DNS_JOURNAL_KEEP differences; an older secondary gets the zone', async () => {
    process.env.DOMEN_DNS_JOURNAL_KEEP = '3';
    const dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config: config('nsec3'), rebuildSeconds: 0, pollMs: 3_600_000 });
    try {
      const first = dns.store.get('az')!.serial;
      for (let i = 0; i < 5; i++) {
        const res = await createDomain(t.reg, registrar('reg-dns'), { name: `trim-${i}.az`, registrant: 'dns-own', hosts: fx.external });
        assert.equal(res.status, 'created');
        t.clock.advance(1000);
        await dns.publish();
      }
      const az = dns.store.get('az')!;
      assert.equal(az.journal.length, 3);
      assert.equal(differenceSince(az, first), null, 'too old: the whole zone');
      assert.ok(differenceSince(az, az.journal[0]!.from));
      const rows = await t.reg.db.selectFrom('dns_journal').select('serial_from').where('zone', '=', 'az').execute();
      assert.equal(rows.length, 3);
    } finally {
      delete process.env.DOMEN_DNS_JOURNAL_KEEP;
      await dns.close();
    }
  });
});
