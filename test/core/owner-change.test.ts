// Change of owner (R10.1): only on the owner's written request, completed when the new owner accepts a new
// Registration Agreement (through their account) or the National Administrator records a signed one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, na, operator } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { deleteContact } from '../../src/core/contacts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { acceptOwnerChange, requestOwnerChange } from '../../src/core/owner-change.ts';
import { createUser } from '../../src/core/registrars.ts';
import { requestTransfer, rejectTransfer } from '../../src/core/transfers.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
let newOwner: Actor;   // the registrant account linked to contact o-new
let stranger: Actor;   // a registrant account linked to no contact of these domains
const nextName = nameMaker('sahib');
const LETTER = 'scan of the signed request of 2026-03-01, ref. 17/26';

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-o1');
  r2 = await addRegistrar(t.reg, 'reg-o2');
  await addPerson(t.reg, r1, 'o-old');
  await addPerson(t.reg, r1, 'o-new');
  await addPerson(t.reg, r2, 'o-other');
  const u = await createUser(t.reg, operator, { email: 'o-new@mail.example.az', name: 'New Owner', role: 'registrant', password: 'Owner-Pass-26' });
  await t.reg.db.updateTable('contacts').set({ account_id: u.id }).where('handle', '=', 'o-new').execute();
  newOwner = { type: 'registrant', userId: u.id, source: 'web' };
  const s = await createUser(t.reg, operator, { email: 'someone@mail.example.az', name: 'Someone', role: 'registrant', password: 'Someone-Pass-26' });
  stranger = { type: 'registrant', userId: s.id, source: 'web' };
});
after(async () => { await t?.close(); });

async function domainOfOld(): Promise<string> {
  const name = nextName();
  const res = await createDomain(t.reg, r1, { name, registrant: 'o-old' });
  assert.equal(res.status, 'created');
  return name;
}

describe('change of owner request', () => {
  test('R10.1: the owner\'s written request is required (2003)', async () => {
    const name = await domainOfOld();
    for (const requestDocument of ['', '   ']) {
      await assert.rejects(requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument }),
        registryError({ kind: 'required', eppCode: 2003, clause: 'R10.1' }));
    }
  });

  test('the sponsor files it, for a new owner among its own contacts', async () => {
    const name = await domainOfOld();
    await assert.rejects(requestOwnerChange(t.reg, r2, { name, newRegistrant: 'o-other', requestDocument: LETTER }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-other', requestDocument: LETTER }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'R8.8' }));
    await assert.rejects(requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-nobody', requestDocument: LETTER }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
    await assert.rejects(requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-old', requestDocument: LETTER }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R10.1' }));
    await assert.rejects(requestOwnerChange(t.reg, newOwner, { name, newRegistrant: 'o-new', requestDocument: LETTER }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
  });

  test('a request is pending until accepted; one at a time (2302)', async () => {
    const name = await domainOfOld();
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: `  ${LETTER} ` });
    assert.equal(oc.status, 'pending');
    assert.equal(oc.name, name);
    assert.equal(oc.fromRegistrant, 'o-old');
    assert.equal(oc.toRegistrant, 'o-new');
    assert.equal(oc.requestDocument, LETTER);
    assert.equal(oc.requestedBy, 'reg-o1');
    assert.equal((await getDomain(t.reg, name)).registrant, 'o-old');
    await assert.rejects(requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER }),
      registryError({ kind: 'exists', eppCode: 2302, clause: 'R10.1' }));
  });

  test('a locked or transferring domain takes no request (2304, 2300)', async () => {
    const name = await domainOfOld();
    await updateDomain(t.reg, r1, { name, add: { statuses: ['clientUpdateProhibited'] } });
    await assert.rejects(requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await updateDomain(t.reg, r1, { name, remove: { statuses: ['clientUpdateProhibited'] } });
    await requestTransfer(t.reg, r2, { name, authInfo: (await getDomain(t.reg, name)).authInfo });
    await assert.rejects(requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER }),
      registryError({ kind: 'pendingTransfer', eppCode: 2300 }));
    await rejectTransfer(t.reg, r1, name);
  });
});

describe('change of owner acceptance', () => {
  test('the new owner accepts through the account: the registrant changes, with history, audit and a poll message', async () => {
    const name = await domainOfOld();
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER });
    t.clock.advance(3_600_000);
    await assert.rejects(acceptOwnerChange(t.reg, newOwner, { id: oc.id, agreementVersion: ' ' }),
      registryError({ kind: 'required', eppCode: 2003, clause: 'R10.1' }));
    const d = await acceptOwnerChange(t.reg, newOwner, { id: oc.id, agreementVersion: 'RA-2026-01' });
    assert.equal(d.registrant, 'o-new');
    assert.equal(d.registrarId, 'reg-o1');
    assert.equal((await getDomain(t.reg, name)).registrant, 'o-new');

    const row = await t.reg.db.selectFrom('owner_changes').selectAll().where('id', '=', oc.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'completed');
    assert.equal(row.agreement_version, 'RA-2026-01');
    assert.equal(row.accepted_by, `registrant:${(newOwner as { userId: number }).userId}`);
    assert.equal(row.accepted_at?.getTime(), t.clock.now().getTime());

    const hist = await t.reg.db.selectFrom('object_history').select(['version', 'operation', 'snapshot'])
      .where('object_type', '=', 'domain').where('object_id', '=', name).orderBy('version').execute();
    assert.deepEqual(hist.map((h) => [h.version, h.operation]), [[1, 'domain.create'], [2, 'domain.ownerChange.accept']]);
    assert.equal((hist[1]!.snapshot as { registrant: string }).registrant, 'o-new');
    const ocHist = await t.reg.db.selectFrom('object_history').select(['version', 'operation'])
      .where('object_type', '=', 'owner_change').where('object_id', '=', String(oc.id)).orderBy('version').execute();
    assert.deepEqual(ocHist.map((h) => [h.version, h.operation]), [[1, 'domain.ownerChange.request'], [2, 'domain.ownerChange.accept']]);

    const polls = await t.reg.db.selectFrom('poll_messages').selectAll().where('registrar_id', '=', 'reg-o1').where('kind', '=', 'domain.ownerChange').execute();
    const mine = polls.filter((p) => (p.payload as { ownerChangeId: number }).ownerChangeId === oc.id);
    assert.equal(mine.length, 1);
    assert.equal((mine[0]!.payload as { name: string }).name, name);

    await assert.rejects(acceptOwnerChange(t.reg, newOwner, { id: oc.id, agreementVersion: 'RA-2026-01' }),
      registryError({ kind: 'statusProhibits', eppCode: 2304, clause: 'R10.1' }));
  });

  test('neither the registrar nor another registrant account accepts for the new owner (2201)', async () => {
    const name = await domainOfOld();
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER });
    for (const actor of [r1, r2, stranger]) {
      await assert.rejects(acceptOwnerChange(t.reg, actor, { id: oc.id, agreementVersion: 'RA-2026-01' }),
        registryError({ kind: 'authorization', eppCode: 2201, clause: 'R10.1' }));
    }
    assert.equal((await getDomain(t.reg, name)).registrant, 'o-old');
    await assert.rejects(acceptOwnerChange(t.reg, newOwner, { id: 987_654, agreementVersion: 'RA-2026-01' }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
  });

  test('the National Administrator records a signed paper agreement', async () => {
    const name = await domainOfOld();
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER });
    const d = await acceptOwnerChange(t.reg, na, { id: oc.id, agreementVersion: 'RA-2026-01 (paper, signed 2026-03-02)' });
    assert.equal(d.registrant, 'o-new');
    assert.equal(d.updatedBy, 'staff:1');
  });

  test('a locked or transferring domain is not handed over (2304, 2300)', async () => {
    const name = await domainOfOld();
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER });
    await requestTransfer(t.reg, r2, { name, authInfo: (await getDomain(t.reg, name)).authInfo });
    await assert.rejects(acceptOwnerChange(t.reg, newOwner, { id: oc.id, agreementVersion: 'RA-2026-01' }),
      registryError({ kind: 'pendingTransfer', eppCode: 2300 }));
    await rejectTransfer(t.reg, r1, name);
    // R4.6: a dispute lock of the National Administrator holds the change too.
    await updateDomain(t.reg, na, { name, add: { statuses: ['serverUpdateProhibited'] } });
    await assert.rejects(acceptOwnerChange(t.reg, newOwner, { id: oc.id, agreementVersion: 'RA-2026-01' }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await updateDomain(t.reg, na, { name, remove: { statuses: ['serverUpdateProhibited'] } });
    assert.equal((await acceptOwnerChange(t.reg, newOwner, { id: oc.id, agreementVersion: 'RA-2026-01' })).registrant, 'o-new');
  });

  test('the new owner named in a pending change cannot be deleted (2305)', async () => {
    await addPerson(t.reg, r1, 'o-heir');
    const name = await domainOfOld();
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-heir', requestDocument: LETTER });
    await assert.rejects(deleteContact(t.reg, r1, 'o-heir'), registryError({ kind: 'associationProhibits', eppCode: 2305 }));
    assert.equal((await acceptOwnerChange(t.reg, na, { id: oc.id, agreementVersion: 'RA-2026-01' })).registrant, 'o-heir');
  });

  test('deleting the domain cancels a pending change of owner', async () => {
    const name = await domainOfOld();
    const oc = await requestOwnerChange(t.reg, r1, { name, newRegistrant: 'o-new', requestDocument: LETTER });
    await deleteDomain(t.reg, r1, name);
    await assert.rejects(acceptOwnerChange(t.reg, newOwner, { id: oc.id, agreementVersion: 'RA-2026-01' }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    const ocHist = await t.reg.db.selectFrom('object_history').select(['version', 'operation'])
      .where('object_type', '=', 'owner_change').where('object_id', '=', String(oc.id)).orderBy('version').execute();
    assert.deepEqual(ocHist.map((h) => [h.version, h.operation]), [[1, 'domain.ownerChange.request'], [2, 'domain.delete']]);
  });
});
