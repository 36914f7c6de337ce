// The signature snapshot that keeps a zone's serial across a restart is stored in parts (migration 0021), so no
// single value grows with the zone; a snapshot written in many parts gives back every RRSIG.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { startDnsService, type DnsService } from '../../src/dns/index.ts';
import { loadRestorable, sigKey, writeSnapshot } from '../../src/dns/snapshot.ts';
import { seedZoneFixture, testConfig } from './setup.ts';

let t: TestRegistry;
let dns: DnsService;

before(async () => {
  t = await testRegistry({ start: new Date().toISOString() });
  await seedZoneFixture(t);
  dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, config: testConfig('nsec3'), rebuildSeconds: 0, pollMs: 60_000 });
});
after(async () => { await dns?.close(); await t?.close(); });

test('a snapshot in many small parts restores every signature of the zone at its serial', async () => {
  const zone = dns.store.get('az')!;
  await writeSnapshot(t.reg.db, zone, t.clock.now(), 300);
  const parts = await t.reg.db.selectFrom('dns_zone_snapshot_part').select('part').where('zone', '=', 'az').execute();
  assert.ok(parts.length > 3, `${parts.length} parts`);
  const state = await t.reg.db.selectFrom('dns_zone_state').select('digest').where('zone', '=', 'az').executeTakeFirstOrThrow();
  const saved = await loadRestorable(t.reg.db, 'az', state.digest, 10);
  assert.ok(saved, 'the snapshot is usable');
  assert.equal(saved.serial, zone.serial);
  let signed = 0;
  for (const [name, node] of zone.nodes) {
    for (const [type, set] of node) {
      if (set.sigs.length === 0) continue;
      signed++;
      const back = saved.sigs.get(sigKey(name, type));
      assert.ok(back && back.length === set.sigs.length && back.every((s, i) => s.equals(set.sigs[i]!)), `${name}/${type}`);
    }
  }
  assert.equal(saved.sigs.size, signed);
  // Written again with the default part size, the old parts are gone.
  await writeSnapshot(t.reg.db, zone, t.clock.now());
  const after1 = await t.reg.db.selectFrom('dns_zone_snapshot_part').select('part').where('zone', '=', 'az').execute();
  assert.deepEqual(after1.map((p) => p.part), [0]);
});
