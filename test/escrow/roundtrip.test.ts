// The round trip of issue 8: deposit -> restore into a fresh database -> deposit again gives the same
// content (canonical digest of every object), the same published zones, and every object as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDeposit, restoreDeposit, verifyDeposit, rdeSchema } from '../../src/escrow/index.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { getContact } from '../../src/core/contacts.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { operator } from '../helpers/fixtures.ts';
import { seedEscrowFixture, zoneRecords } from './setup.ts';

let src: TestRegistry;
let dst: TestRegistry;
let tmp: string;
const schema = rdeSchema();

before(async () => {
  src = await testRegistry();
  dst = await testRegistry();
  await seedEscrowFixture(src);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-escrow-rt-'));
});
after(async () => { await src?.close(); await dst?.close(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

const files = (dir: string) => readdirSync(dir).map((f) => path.join(dir, f)).sort();
const sources = (list: string[]) => list.filter((f) => f.endsWith('.xml')).map((f) => ({ name: f, open: async () => createReadStream(f) }));

describe('escrow round trip', () => {
  test('a full deposit is valid, split, counted, and restores into an identical registry', async () => {
    const a = path.join(tmp, 'a');
    // A small split size: the deposit spreads over several files, each a valid deposit of its own.
    const d1 = await makeDeposit(src.reg, operator, { type: 'FULL', outDir: a, keys: null, splitBytes: 6000 });
    assert.ok(d1.files.length > 1, `expected several files, got ${d1.files.length}`);
    assert.match(path.basename(d1.files[0]!.xml!), /^az_2026-03-02_full_S1_R0\.xml$/);
    const db = src.reg.db;
    const live = async (t: 'domains' | 'contacts' | 'hosts') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n);
    assert.equal(d1.counts.domain, await live('domains'));
    assert.equal(d1.counts.contact, await live('contacts'));
    assert.equal(d1.counts.host, await live('hosts'));
    assert.equal(d1.counts.registrar, 2);
    const lists = Number((await db.selectFrom('policy_list_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(d1.counts.nndn, lists);

    const v1 = await verifyDeposit(files(a), {}, schema);
    assert.deepEqual(v1.problems, []);
    assert.ok(v1.ok);
    assert.equal(v1.totals['urn:ietf:params:xml:ns:rdeDomain-1.0'], d1.counts.domain);

    // Special characters survive: '&' and '<' in an organisation name.
    const all = files(a).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(f, 'utf8')).join('');
    assert.ok(all.includes('Xəzər &amp; Partnyorlar &lt;MMC&gt;'));
    assert.ok(all.includes('<rdeDomain:uName>gözəl.az</rdeDomain:uName>'));

    const report = await restoreDeposit(dst.reg, operator, sources(files(a)), { schema });
    assert.deepEqual(report.unmapped, []);
    assert.equal(report.restored.domains, d1.counts.domain);
    assert.equal(report.restored.transfers, 1);

    dst.clock.set(new Date('2026-03-05T10:00:00Z'));
    const b = path.join(tmp, 'b');
    const d2 = await makeDeposit(dst.reg, operator, { type: 'FULL', outDir: b, keys: null });
    assert.equal(d2.files.length, 1);
    const v2 = await verifyDeposit(files(b), {}, schema);
    assert.deepEqual(v2.problems, []);
    assert.notEqual(v2.id, v1.id);
    assert.equal(v2.digest, v1.digest, 'the restored registry deposits the same content');
    assert.deepEqual(d2.counts, d1.counts);

    // The published zones are the same, record for record.
    const z1 = await zoneRecords(src.reg);
    assert.ok(z1.some((r) => r.startsWith('alpha.az ') && / 43 /.test(r)), 'the fixture publishes DS');
    assert.deepEqual(await zoneRecords(dst.reg), z1);

    // Objects read back through the core as they were.
    for (const name of ['gözəl.az', 'partnyor.org.az', 'ikinci.az', 'bare.az']) {
      const x = await getDomain(src.reg, name); const y = await getDomain(dst.reg, name);
      assert.deepEqual(y, x, name);
    }
    for (const h of ['rep-co', 'firma-az', 'dns-own']) assert.deepEqual(await getContact(dst.reg, h), await getContact(src.reg, h));
  });

  test('a restore refuses a registry that holds domains, and changes nothing', async () => {
    const a = path.join(tmp, 'a');
    const before = Number((await dst.reg.db.selectFrom('domains').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await assert.rejects(restoreDeposit(dst.reg, operator, sources(files(a)), { schema }), /already holds domains/);
    const after = Number((await dst.reg.db.selectFrom('domains').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(after, before);
  });
});
