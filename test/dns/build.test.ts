// The full build's read of the registry (build.ts): delegations through a cursor in batches, their content
// sum while they are read. Whatever the batch size, and inside a caller's transaction, the zone is the same,
// and its content sum is the sum of every unsigned RR's share as the incremental publisher keeps it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { na, registrar } from '../helpers/fixtures.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { buildAll, buildUnsigned, publishedZones, unsignedSum } from '../../src/dns/build.ts';
import { SIGNING_TYPES, addShare, rrShare, type Zone } from '../../src/dns/zone-model.ts';
import { T, readName, rrText } from '../../src/dns/wire.ts';
import { DS_CHILD, seedZoneFixture, testConfig } from './setup.ts';

let t: TestRegistry;
let zones: string[];

before(async () => {
  t = await testRegistry();
  const { external } = await seedZoneFixture(t);
  const r = registrar('reg-dns');
  const create = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await createDomain(t.reg, r, { name, registrant: 'dns-own', ...extra });
    if (res.status !== 'created') throw new Error(`${name} was not created`);
  };
  // Enough delegations for several batches of 1-3 rows, NS sets shared and not, one and two DS.
  for (let i = 0; i < 7; i++) await create(`del${i}.az`, { hosts: i % 3 === 0 ? ['ns1.beta.az', external[0]!] : external, ...(i % 2 ? { ds: [DS_CHILD] } : {}) });
  await create('twods.az', { hosts: external, ds: [DS_CHILD, { ...DS_CHILD, keyTag: 4242 }] });
  // DS without name servers, DS under clientHold: nothing published.
  await create('dsonly.az', { ds: [DS_CHILD] });
  await create('onhold.az', { hosts: external, ds: [DS_CHILD] });
  await updateDomain(t.reg, r, { name: 'onhold.az', add: { statuses: ['clientHold'] } });
  await updateDomain(t.reg, na, { name: 'del6.az', add: { statuses: ['serverHold'] } });
  zones = (await publishedZones(t.reg.db)).map((z) => z.name);
});
after(async () => { await t?.close(); });

const text = (z: Zone) => [...z.records({ withSigs: false })].map(rrText);

/** The content sum by its definition: rrShare of every unsigned RR, one by one. */
function referenceSum(z: Zone): bigint {
  let sum = 0n;
  for (const rr of z.records({ withSigs: false })) if (!SIGNING_TYPES.has(rr.type)) sum = addShare(sum, rrShare(rr.name, rr.type, rr.ttl, rr.rdata), 1);
  return sum;
}

describe('full build: reading the registry', () => {
  test('batches of any size, and a caller\'s transaction, give the same zone and content sum', async () => {
    const whole = await buildUnsigned(t.reg.db, 'az', zones, new Map(), testConfig());
    // The registry's delegations (the general-use zones under 'az' are delegations too).
    const cuts = [...whole.cuts].filter((c) => !zones.includes(c)).sort();
    assert.deepEqual(cuts, ['alpha.az', 'beta.az', 'del0.az', 'del1.az', 'del2.az', 'del3.az', 'del4.az', 'del5.az', 'gamma.az', 'twods.az']);
    assert.deepEqual(whole.get('twods.az', T.DS)!.rdatas.map((r) => r.readUInt16BE(0)).sort(), [2371, 4242]);
    assert.equal(whole.get('del1.az', T.DS)!.rdatas.length, 1);
    assert.equal(whole.get('del0.az', T.DS), undefined);
    assert.deepEqual(whole.get('del3.az', T.NS)!.rdatas.map((r) => readName(r, 0)[0]).sort(), ['ns1.beta.az', 'ns1.dns-ext.net']);
    for (const gone of ['dsonly.az', 'onhold.az', 'del6.az', 'held.az', 'bare.az']) assert.equal(whole.nodes.has(gone), false, gone);
    for (const batch of [1, 2, 3, 11]) {
      const z = await buildUnsigned(t.reg.db, 'az', zones, new Map(), testConfig(), batch);
      assert.deepEqual(text(z), text(whole), `batch ${batch}`);
      assert.equal(z.contentSum, whole.contentSum, `batch ${batch}`);
    }
    const inTx = await t.reg.db.transaction().execute((trx) => buildUnsigned(trx, 'az', zones, new Map(), testConfig(), 2));
    assert.deepEqual(text(inTx), text(whole));
  });

  test('the content sum is the sum of every unsigned RR\'s share, before and after signing', async () => {
    const unsigned = await buildUnsigned(t.reg.db, 'az', zones, new Map(), testConfig());
    assert.equal(unsigned.contentSum, referenceSum(unsigned));
    assert.equal(unsignedSum(unsigned), unsigned.contentSum);
    for (const z of (await buildAll(t.reg.db, testConfig('nsec'), t.clock)).zones.values()) {
      assert.ok(z.signed);
      assert.equal(z.contentSum, referenceSum(z), z.origin);
    }
  });
});
