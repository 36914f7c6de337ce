// DIFF deposits applied on restore (RFC 8909 §5.1, RFC 9022 §4/§5: contents add or replace, deletes remove):
// FULL, then changes through the core, then DIFFs; restoring FULL + DIFFs into a fresh registry reaches the
// state a FULL at the last DIFF's watermark holds (same content digest, same zones).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDeposit, rdeSchema, restoreDeposit, verifyDeposit } from '../../src/escrow/index.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { deleteContact } from '../../src/core/contacts.ts';
import { createHost, updateHost } from '../../src/core/hosts.ts';
import { removeListEntry } from '../../src/core/policy-lists.ts';
import { approveTransfer } from '../../src/core/transfers.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, operator, registrar } from '../helpers/fixtures.ts';
import { seedEscrowFixture, zoneRecords } from './setup.ts';

const schema = rdeSchema();
let src: TestRegistry;
let dst: TestRegistry;
let tmp: string;

before(async () => {
  src = await testRegistry();
  dst = await testRegistry();
  await seedEscrowFixture(src);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-escrow-diffrestore-'));
});
after(async () => { await src?.close(); await dst?.close(); if (tmp) rmSync(tmp, { recursive: true, force: true }); });

const files = (dir: string) => readdirSync(dir).map((f) => path.join(dir, f)).sort();
const sources = (dir: string) => files(dir).filter((f) => f.endsWith('.xml')).map((f) => ({ name: f, open: async () => createReadStream(f) }));
const digest = async (dir: string) => { const v = await verifyDeposit(files(dir), {}, schema); assert.deepEqual(v.problems, []); return v.digest; };

describe('restoring FULL + DIFF deposits', () => {
  test('reaches the same registry as a FULL at the last watermark: digest and zones', async () => {
    const r = registrar('reg-dns');
    const two = registrar('reg-two');
    await makeDeposit(src.reg, operator, { type: 'FULL', outDir: path.join(tmp, 'full'), keys: null, splitBytes: 8000 });

    // Day 1: create, update, delete, transfer, list change.
    src.clock.advance(3600_000);
    await addPerson(src.reg, r, 'yeni-owner');
    await createHost(src.reg, r, { name: 'ns3.beta.az', addresses: ['185.5.10.33'] });
    const made = await createDomain(src.reg, r, { name: 'yeni.az', registrant: 'yeni-owner', hosts: ['ns1.dns-ext.net', 'ns3.beta.az'] });
    assert.equal(made.status, 'created');
    await updateDomain(src.reg, r, { name: 'alpha.az', add: { statuses: ['clientUpdateProhibited'] } });
    await updateHost(src.reg, r, { name: 'ns2.beta.az', addAddresses: ['185.5.10.12'] });
    await deleteDomain(src.reg, r, 'held.az');
    await approveTransfer(src.reg, two, 'ikinci.az');
    await removeListEntry(src.reg, operator, 'stop', 'saxta');
    src.clock.advance(60_000);
    const d1 = await makeDeposit(src.reg, operator, { type: 'DIFF', outDir: path.join(tmp, 'diff1'), keys: null });

    // Day 2: a name deleted and registered again by someone else (new ROID), and its old owner deleted.
    src.clock.advance(86_400_000);
    await deleteDomain(src.reg, r, 'yeni.az');
    await createDomain(src.reg, r, { name: 'yeni.az', registrant: 'firma-az', hosts: ['ns1.dns-ext.net', 'ns2.dns-ext.net'] });
    await deleteContact(src.reg, r, 'yeni-owner');
    src.clock.advance(60_000);
    const d2 = await makeDeposit(src.reg, operator, { type: 'DIFF', outDir: path.join(tmp, 'diff2'), keys: null });
    assert.equal(d2.prevId, d1.id);
    assert.ok(d2.deletes >= 1, 'the contact is a delete');

    // The reference: a FULL of the source now.
    src.clock.advance(60_000);
    await makeDeposit(src.reg, operator, { type: 'FULL', outDir: path.join(tmp, 'ref'), keys: null });

    // A DIFF alone into an empty registry, or out of order, is refused and changes nothing.
    await assert.rejects(restoreDeposit(dst.reg, operator, sources(path.join(tmp, 'diff1')), { schema }), /no deposit was restored into this registry/);
    await assert.rejects(restoreDeposit(dst.reg, operator, [...sources(path.join(tmp, 'full')), ...sources(path.join(tmp, 'diff2'))], { schema }),
      /does not follow/);

    // FULL + DIFF 1 in one call (files in any order), then DIFF 2 in a later call.
    const rep = await restoreDeposit(dst.reg, operator, [...sources(path.join(tmp, 'diff1')), ...sources(path.join(tmp, 'full'))], { schema });
    assert.deepEqual(rep.unmapped, []);
    assert.equal(rep.diffs.length, 1);
    assert.equal(rep.diffs[0]!.id, d1.id);
    assert.equal(rep.diffs[0]!.deleted.domains, 1);
    assert.equal(rep.diffs[0]!.added.domains, 1);
    await assert.rejects(restoreDeposit(dst.reg, operator, sources(path.join(tmp, 'diff1')), { schema }), /does not follow/);
    const rep2 = await restoreDeposit(dst.reg, operator, sources(path.join(tmp, 'diff2')), { schema });
    assert.equal(rep2.diffs[0]!.id, d2.id);
    assert.equal(rep2.diffs[0]!.deleted.contacts, 1);

    dst.clock.set(new Date(src.clock.now().getTime() + 60_000));
    await makeDeposit(dst.reg, operator, { type: 'FULL', outDir: path.join(tmp, 'again'), keys: null });
    assert.equal(await digest(path.join(tmp, 'again')), await digest(path.join(tmp, 'ref')), 'FULL + DIFFs restore to the same content');
    assert.deepEqual((await zoneRecords(dst.reg)).sort(), (await zoneRecords(src.reg)).sort());
    const yeni = await dst.reg.db.selectFrom('domains').select(['roid', 'registrar_id']).where('name', '=', 'yeni.az').where('deleted_at', 'is', null).execute();
    assert.equal(yeni.length, 1);
    const ikinci = await dst.reg.db.selectFrom('domains').select('registrar_id').where('name', '=', 'ikinci.az').executeTakeFirstOrThrow();
    assert.equal(ikinci.registrar_id, 'reg-dns', 'the transfer is applied');
  });
});
