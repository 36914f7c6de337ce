// The DNS service as `domen serve` runs it: built from the registry at start, rebuilt on demand; a change
// through the core shows after a rebuild with a greater serial, and unchanged data keeps the serial.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { startDnsService, type DnsService } from '../../src/dns/index.ts';
import { T, rrText, serialGreater } from '../../src/dns/wire.ts';
import { differenceSince } from '../../src/dns/journal.ts';
import { expiring } from '../../src/dns/refresh.ts';
import { checkZone } from '../../src/dns/check.ts';
import { na } from '../helpers/fixtures.ts';
import { kdig, missing, seedZoneFixture, testConfig, type Fixture } from './setup.ts';

let t: TestRegistry;
let dns: DnsService;
let fx: Fixture;
// Signature refresh in slices of at least 3 RRsets, so that the small fixture zone takes several differences.
const cfg = { ...testConfig('nsec3'), refreshBatch: 3 };

before(async () => {
  t = await testRegistry({ start: new Date().toISOString() });
  fx = await seedZoneFixture(t);
  dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config: cfg, rebuildSeconds: 0, pollMs: 100 });
});
after(async () => { await dns?.close(); await t?.close(); });

describe('DNS service', () => {
  test('a new delegation appears after a rebuild, a suspension removes it, serials only go forward', async () => {
    const zone0 = dns.store.get('az')!;
    await dns.rebuild();
    // Unchanged data keeps its serial and the very zone (with the signatures the secondaries hold).
    assert.equal(dns.store.get('az'), zone0);
    t.clock.advance(1000);
    await dns.rebuild(['az'], true);
    assert.ok(serialGreater(dns.store.get('az')!.serial, zone0.serial), 're-signing advances the serial');
    const serial0 = dns.store.get('az')!.serial;
    const res = await createDomain(t.reg, { type: 'registrar', registrarId: 'reg-dns', source: 'test' }, { name: 'newname.az', registrant: 'dns-own', hosts: fx.external });
    assert.equal(res.status, 'created');
    t.clock.advance(1000);
    await dns.rebuild();
    const az1 = dns.store.get('az')!;
    assert.ok(az1.get('newname.az', T.NS));
    assert.ok(serialGreater(az1.serial, serial0));
    await updateDomain(t.reg, na, { name: 'newname.az', add: { statuses: ['serverHold'] } });
    t.clock.advance(1000);
    await dns.rebuild();
    const az2 = dns.store.get('az')!;
    assert.equal(az2.get('newname.az', T.NS), undefined);
    assert.ok(serialGreater(az2.serial, az1.serial));
  });

  test('a change through the core is published within seconds from the outbox, without an explicit rebuild', async () => {
    const started = Date.now();
    const res = await createDomain(t.reg, { type: 'registrar', registrarId: 'reg-dns', source: 'test' }, { name: 'auto.az', registrant: 'dns-own', hosts: fx.external });
    assert.equal(res.status, 'created');
    while (!dns.store.get('az')!.get('auto.az', T.NS) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    assert.ok(dns.store.get('az')!.get('auto.az', T.NS), 'auto.az is published');
  });

  test('the server answers from the rebuilt zone', { skip: missing(['kdig']) }, async () => {
    const r = await kdig(dns.server.port, ['az', 'SOA']);
    assert.match(r, new RegExp(`IN\\s+SOA\\s+\\S+ \\S+ ${dns.store.get('az')!.serial} `));
    assert.match(await kdig(dns.server.port, ['newname.az', 'NS']), /status: NXDOMAIN/);
  });

  test('a restart keeps the serial, the signatures and the journal when the content is unchanged; a change while stopped gets a new serial', async () => {
    const before = dns.store.get('az')!;
    const text = (z: typeof before) => [...z.records()].map(rrText).join('\n');
    const served = text(before);
    const firstJournaled = before.journal[0]!.from;
    await dns.close();
    t.clock.advance(1000);
    dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config: cfg, rebuildSeconds: 0, pollMs: 100 });
    const again = dns.store.get('az')!;
    assert.notEqual(again, before, 'a new process builds the zone anew');
    assert.equal(again.serial, before.serial, 'same content, same serial: secondaries need no transfer');
    assert.equal(text(again), served, 'byte-equal RRs, RRSIGs included (what the secondaries hold)');
    assert.ok(differenceSince(again, firstJournaled), 'IXFR from a journaled serial still works after the restart');
    await dns.close();
    const res = await createDomain(t.reg, { type: 'registrar', registrarId: 'reg-dns', source: 'test' }, { name: 'offline.az', registrant: 'dns-own', hosts: fx.external });
    assert.equal(res.status, 'created');
    t.clock.advance(1000);
    dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config: cfg, rebuildSeconds: 0, pollMs: 100 });
    const changed = dns.store.get('az')!;
    assert.ok(changed.get('offline.az', T.NS));
    assert.ok(serialGreater(changed.serial, before.serial), 'changed content gets a new serial');
  });

  test('signatures near expiry are renewed a slice at a time, as small differences of the same zone', async () => {
    const zone = dns.store.get('az')!;
    const journal0 = zone.journal.length;
    const rebuilds0 = dns.stats.fullRebuilds;
    const nowS = () => Math.floor(t.clock.now().getTime() / 1000);
    assert.equal(expiring(zone, nowS(), cfg.signatureRefresh).count, 0);
    t.clock.advance(8 * 86_400_000); // 8 of the 14 days: every signature is within the 7-day refresh window
    const due = expiring(zone, nowS(), cfg.signatureRefresh).count;
    assert.ok(due > 10, `${due} RRsets due`);
    for (let i = 0; i < 100 && expiring(zone, nowS(), cfg.signatureRefresh).count > 0; i++) await dns.refresh();
    assert.equal(expiring(zone, nowS(), cfg.signatureRefresh).count, 0, 'every signature renewed');
    assert.equal(dns.store.get('az'), zone, 'the served zone was changed by differences, not replaced');
    assert.equal(dns.stats.fullRebuilds, rebuilds0, 'no full re-sign');
    const diffs = zone.journal.slice(journal0);
    assert.ok(diffs.length >= 3, `${diffs.length} differences`);
    for (const d of diffs) {
      // Only signatures change (and the SOA): old RRSIGs out, new ones in, a few RRsets and the SOA each time.
      assert.ok([...d.removed, ...d.added].every((rr) => rr.type === T.RRSIG), 'only RRSIGs in a refresh difference');
      assert.equal(d.removed.length, d.added.length);
      assert.ok(d.added.length <= Math.max(cfg.refreshBatch, Math.ceil(due / 2)) + 1, `${d.added.length} RRSIGs in one difference`);
    }
    assert.deepEqual(checkZone(zone, t.clock.now()).problems, [], 'every signature valid at the new time');
    // The same content: a full build keeps the zone and its serial.
    await dns.rebuild(['az']);
    assert.equal(dns.store.get('az'), zone);
  });
});
