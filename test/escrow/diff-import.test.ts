// Differential deposits (changes since the previous deposit, deletes listed in rde:deletes) and the import of
// a deposit made by another registry system, with the report of what could not be mapped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDeposit, rdeSchema, restoreDeposit, verifyDeposit } from '../../src/escrow/index.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { updateHost } from '../../src/core/hosts.ts';
import { removeListEntry } from '../../src/core/policy-lists.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { operator, registrar } from '../helpers/fixtures.ts';
import { seedEscrowFixture, zoneRecords } from './setup.ts';

const FOREIGN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'foreign-full.xml');
const schema = rdeSchema();
let t: TestRegistry;
let empty: TestRegistry;
let tmp: string;

before(async () => {
  t = await testRegistry();
  empty = await testRegistry();
  await seedEscrowFixture(t);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-escrow-diff-'));
});
after(async () => { await t?.close(); await empty?.close(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

const xmlOf = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('');

describe('differential deposits', () => {
  test('a DIFF needs a previous deposit', async () => {
    await assert.rejects(makeDeposit(t.reg, operator, { type: 'DIFF', outDir: path.join(tmp, 'none'), keys: null }), /full deposit first/);
  });

  test('holds exactly what changed since the previous deposit, and the deletes', async () => {
    const full = await makeDeposit(t.reg, operator, { type: 'FULL', outDir: path.join(tmp, 'full'), keys: null });
    t.clock.advance(3600_000);
    const r = registrar('reg-dns');
    await updateDomain(t.reg, r, { name: 'alpha.az', add: { statuses: ['clientUpdateProhibited'] } });
    await deleteDomain(t.reg, r, 'held.az');
    // A readdressed in-zone host changes the glue of the domains that use it: they come along.
    await updateHost(t.reg, r, { name: 'ns2.beta.az', addAddresses: ['185.5.10.12'] });
    await removeListEntry(t.reg, operator, 'stop', 'saxta');
    t.clock.advance(60_000);

    const dir = path.join(tmp, 'diff');
    const d = await makeDeposit(t.reg, operator, { type: 'DIFF', outDir: dir, keys: null });
    assert.equal(d.prevId, full.id);
    const v = await verifyDeposit(readdirSync(dir).map((f) => path.join(dir, f)), {}, schema);
    assert.deepEqual(v.problems, []);
    assert.equal(v.type, 'DIFF');
    const xml = xmlOf(dir);
    assert.match(xml, new RegExp(`type="DIFF" id="${d.id}" prevId="${full.id}"`));
    const names = [...xml.matchAll(/<rdeDomain:domain><rdeDomain:name>([^<]+)</g)].map((m) => m[1]).sort();
    assert.deepEqual(names, ['alpha.az', 'beta.az', 'partnyor.org.az']);
    assert.match(xml, /<rde:deletes><rdeDomain:delete><rdeDomain:name>held\.az<\/rdeDomain:name><\/rdeDomain:delete>/);
    assert.match(xml, /<rdeNNDN:delete><rdeNNDN:aName>saxta<\/rdeNNDN:aName><\/rdeNNDN:delete><domen:delete><domen:listEntry list="stop" word="saxta"\/>/);
    assert.equal(d.counts.domain, 3);
    assert.equal(d.counts.host, 1);
    assert.equal(d.counts.contact, 0);
    assert.equal(d.deletes, 2);

    // Nothing changed since: an empty DIFF.
    t.clock.advance(60_000);
    const e = await makeDeposit(t.reg, operator, { type: 'DIFF', outDir: path.join(tmp, 'diff2'), keys: null });
    assert.equal(e.prevId, d.id);
    assert.equal(e.counts.domain + e.counts.host + e.counts.contact + e.counts.nndn + e.deletes, 0);
  });
});

describe('import from another registry system', () => {
  test('maps what it can and reports the rest', async () => {
    const report = await restoreDeposit(empty.reg, operator, [{ name: FOREIGN, open: async () => createReadStream(FOREIGN) }], { schema });
    assert.equal(report.depositId, 'OLDSYS0001');
    assert.equal(report.restored.registrars, 1);
    assert.equal(report.restored.contacts, 2);
    assert.equal(report.restored.domains, 2);
    assert.equal(report.restored.hosts, 2);
    assert.equal(report.restored.ds, 1);
    assert.equal(report.restored.listEntries, 1);
    const lines = report.unmapped.map((u) => `${u.object} ${u.key}: ${u.reason}`);
    const expect = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), `${re} in\n${lines.join('\n')}`);
    expect(/^domain bina\.com\.az: RGP status 'redemptionPeriod' is not one we support/);
    expect(/^contact GHOST-C: sponsor 'ghostreg' is not a registrar/);
    expect(/^domain yetim\.az: sponsor 'ghostreg' is not a registrar/);
    expect(/^domain sahibsiz\.az: registrant 'NO-SUCH-C' is not a restored contact/);
    expect(/^domain example\.com: not under a zone of this registry/);
    expect(/^registrar oldreg: no EPP password in the deposit/);
    assert.deepEqual(report.unmappedTotals, {
      'unknown status': 1, 'registrar without password': 1, 'unknown registrar': 2, 'unknown registrant': 1, 'outside our zones': 1,
    });

    const k = await getDomain(empty.reg, 'kohne.az');
    assert.equal(k.registrarId, 'oldreg');
    assert.deepEqual(k.hosts.sort(), ['ns.provider.net', 'ns1.kohne.az']);
    assert.equal(k.expiresAt.toISOString(), '2027-05-05T10:00:00.000Z');
    const b = await getDomain(empty.reg, 'bina.com.az');
    assert.ok(b.statuses.includes('clientHold') && !b.statuses.includes('redemptionPeriod'));
    // In-zone host with glue under its superordinate domain; the imported domain is published with its DS.
    const zone = await zoneRecords(empty.reg);
    assert.ok(zone.includes('ns1.kohne.az 3600 1 192.0.2.53') || zone.some((r) => r.startsWith('ns1.kohne.az ') && r.endsWith(' 1 192.0.2.53')), zone.filter((r) => r.includes('kohne')).join('\n'));
    assert.ok(zone.some((r) => r.startsWith('kohne.az ') && / 43 12345 13 2 /.test(r)));
    const lists = await empty.reg.db.selectFrom('policy_list_entries').selectAll().execute();
    assert.deepEqual(lists.map((l) => [l.list, l.word]), [['stop', 'qadagan']]);
  });

  test('a deposit whose header counts do not match its objects is refused, and nothing is written', async () => {
    const fresh = await testRegistry();
    try {
      const bad = readFileSync(FOREIGN, 'utf8').replace('<h:count uri="urn:ietf:params:xml:ns:rdeDomain-1.0">5</h:count>', '<h:count uri="urn:ietf:params:xml:ns:rdeDomain-1.0">6</h:count>');
      const { Readable } = await import('node:stream');
      await assert.rejects(restoreDeposit(fresh.reg, operator, [{ name: 'bad.xml', open: async () => Readable.from([bad]) }], { schema }), /header counts 6 objects of urn:ietf:params:xml:ns:rdeDomain-1.0, the file holds 5/);
      const n = await fresh.reg.db.selectFrom('registrars').select('id').execute();
      assert.equal(n.length, 0);
    } finally { await fresh.close(); }
  });
});
