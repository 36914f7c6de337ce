// Transfers between registrars (RFC 5731 §3.2.4, R1.4): request with the authInfo, approve, reject, cancel,
// auto-approval after the profile's days, poll messages to both registrars.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar, na } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { addDays, addYears } from '../../src/core/clock.ts';
import { createDomain, type DomainCreateInput } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { renewDomain } from '../../src/core/domains/renew.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { getDomain, type DomainView } from '../../src/core/domains/view.ts';
import {
  approveTransfer, autoApproveTransfers, cancelTransfer, queryTransfer, rejectTransfer, requestTransfer,
} from '../../src/core/transfers.ts';

let t: TestRegistry;
let r1: Actor; // losing
let r2: Actor; // gaining
let r3: Actor; // a bystander
const worker: Actor = { type: 'system', name: 'worker', source: 'worker' };
const nextName = nameMaker('kocurme');

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-t1');
  r2 = await addRegistrar(t.reg, 'reg-t2');
  r3 = await addRegistrar(t.reg, 'reg-t3');
  await addPerson(t.reg, r1, 't-own1');
  await addNameServers(t.reg, r1, 't1-dns.net');
});
after(async () => { await t?.close(); });

async function domainOfR1(input: Partial<DomainCreateInput> = {}): Promise<DomainView> {
  const res = await createDomain(t.reg, r1, { name: nextName(), registrant: 't-own1', hosts: ['ns1.t1-dns.net', 'ns2.t1-dns.net'], ...input });
  if (res.status !== 'created') throw new Error('not created');
  return res.domain;
}

interface Poll { registrar_id: string; kind: string; message: string; payload: Record<string, unknown> }
async function polls(name: string): Promise<Poll[]> {
  const rows = await t.reg.db.selectFrom('poll_messages').select(['registrar_id', 'kind', 'message', 'payload', 'id']).orderBy('id').execute();
  return rows.filter((r) => (r.payload as { name?: string }).name === name) as Poll[];
}

describe('transfer request', () => {
  test('a wrong authInfo is 2202 and leaves the domain as it was', async () => {
    const d = await domainOfR1();
    await assert.rejects(requestTransfer(t.reg, r2, { name: d.name, authInfo: 'Wrong-Auth-1' }),
      registryError({ kind: 'invalidAuthInfo', eppCode: 2202, clause: 'RFC 5731 §3.2.4' }));
    assert.deepEqual((await getDomain(t.reg, d.name)).statuses, ['ok']);
    assert.equal((await polls(d.name)).length, 0);
  });

  test('the sponsor cannot request its own domain (2106); only a registrar requests (2201)', async () => {
    const d = await domainOfR1();
    await assert.rejects(requestTransfer(t.reg, r1, { name: d.name, authInfo: d.authInfo }),
      registryError({ kind: 'notEligibleForTransfer', eppCode: 2106 }));
    await assert.rejects(requestTransfer(t.reg, na, { name: d.name, authInfo: d.authInfo }),
      registryError({ kind: 'authorization', eppCode: 2201, clause: 'R1.4' }));
    await assert.rejects(requestTransfer(t.reg, r2, { name: 'hec-yoxdur.az', authInfo: d.authInfo }),
      registryError({ kind: 'notFound', eppCode: 2303 }));
  });

  test('a pending transfer shows on the domain, tells both registrars, and blocks a second request (2300)', async () => {
    const d = await domainOfR1();
    const tr = await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    assert.equal(tr.status, 'pending');
    assert.equal(tr.gainingRegistrarId, 'reg-t2');
    assert.equal(tr.losingRegistrarId, 'reg-t1');
    assert.equal(tr.actionDueAt.getTime(), addDays(t.clock.now(), t.reg.profile.transferAutoApproveDays).getTime());
    const seen = await getDomain(t.reg, d.name);
    assert.deepEqual(seen.statuses, ['pendingTransfer']);
    assert.equal(seen.registrarId, 'reg-t1');
    const p = await polls(d.name);
    assert.deepEqual(p.map((m) => [m.registrar_id, m.kind, m.payload.trStatus]).sort(),
      [['reg-t1', 'domain.transfer', 'pending'], ['reg-t2', 'domain.transfer', 'pending']]);
    assert.equal(p[0]!.payload.acDate, tr.actionDueAt.toISOString());
    await assert.rejects(requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo }),
      registryError({ kind: 'pendingTransfer', eppCode: 2300 }));
    await assert.rejects(requestTransfer(t.reg, r3, { name: d.name, authInfo: d.authInfo }),
      registryError({ kind: 'pendingTransfer', eppCode: 2300 }));
    await rejectTransfer(t.reg, r1, d.name);
  });

  test('while pending, the losing registrar cannot update, renew or delete (2300, RFC 5730 §3)', async () => {
    const d = await domainOfR1();
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    const pending = registryError({ kind: 'pendingTransfer', eppCode: 2300, clause: 'RFC 5731 §3.2.4' });
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientTransferProhibited'] } }), pending);
    await assert.rejects(deleteDomain(t.reg, r1, d.name), pending);
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: d.expiresAt.toISOString().slice(0, 10) }), pending);
    // Not even the National Administrator transforms it behind the registrars' backs.
    await assert.rejects(updateDomain(t.reg, na, { name: d.name, add: { statuses: ['serverHold'] } }), pending);
    await cancelTransfer(t.reg, r2, d.name);
    await updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientHold'] } });
  });

  test('clientTransferProhibited and serverTransferProhibited block a request (2304)', async () => {
    const d = await domainOfR1();
    await updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientTransferProhibited'] } });
    await assert.rejects(requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo }),
      registryError({ kind: 'statusProhibits', eppCode: 2304, clause: 'RFC 5731 §2.3' }));
    await updateDomain(t.reg, r1, { name: d.name, remove: { statuses: ['clientTransferProhibited'] } });
    await updateDomain(t.reg, na, { name: d.name, add: { statuses: ['serverTransferProhibited'] } });
    await assert.rejects(requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo }),
      registryError({ kind: 'statusProhibits', eppCode: 2304 }));
  });
});

describe('transfer decisions', () => {
  test('the losing registrar approves: new sponsor, new authInfo, poll messages for both', async () => {
    const d = await domainOfR1({ contacts: [{ type: 'admin', handle: 't-own1' }] });
    t.clock.advance(3_600_000);
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    t.clock.advance(3_600_000);
    const done = await approveTransfer(t.reg, r1, d.name);
    assert.equal(done.status, 'clientApproved');
    assert.equal(done.actedAt?.getTime(), t.clock.now().getTime());
    const after = await getDomain(t.reg, d.name);
    assert.equal(after.registrarId, 'reg-t2');
    assert.notEqual(after.authInfo, d.authInfo);
    assert.deepEqual(after.statuses, ['ok']);
    assert.equal(after.transferredAt?.getTime(), t.clock.now().getTime());
    assert.equal(after.expiresAt.getTime(), d.expiresAt.getTime());
    // The contacts stay linked; the new sponsor manages the domain, the old one no longer does.
    assert.equal(after.registrant, 't-own1');
    await updateDomain(t.reg, r2, { name: d.name, add: { statuses: ['clientDeleteProhibited'] } });
    await assert.rejects(updateDomain(t.reg, r1, { name: d.name, add: { statuses: ['clientHold'] } }),
      registryError({ kind: 'authorization', eppCode: 2201 }));
    const concluded = (await polls(d.name)).filter((m) => m.payload.trStatus === 'clientApproved');
    assert.deepEqual(concluded.map((m) => m.registrar_id).sort(), ['reg-t1', 'reg-t2']);
    // RFC 5731 §3.2.4: for a concluded transfer, acDate is when it was concluded.
    assert.equal(concluded[0]!.payload.acDate, t.clock.now().toISOString());
    assert.equal(concluded[0]!.payload.reID, 'reg-t2');
    assert.equal(concluded[0]!.payload.acID, 'reg-t1');
    // The new sponsor can be asked for the old authInfo: it no longer works.
    await assert.rejects(requestTransfer(t.reg, r3, { name: d.name, authInfo: d.authInfo }), registryError({ kind: 'invalidAuthInfo', eppCode: 2202 }));
  });

  test('the losing registrar rejects: nothing changes but the status', async () => {
    const d = await domainOfR1();
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    const done = await rejectTransfer(t.reg, r1, d.name);
    assert.equal(done.status, 'clientRejected');
    const after = await getDomain(t.reg, d.name);
    assert.equal(after.registrarId, 'reg-t1');
    assert.equal(after.authInfo, d.authInfo);
    assert.deepEqual(after.statuses, ['ok']);
    assert.deepEqual((await polls(d.name)).filter((m) => m.payload.trStatus === 'clientRejected').map((m) => m.registrar_id).sort(), ['reg-t1', 'reg-t2']);
  });

  test('the gaining registrar cancels; roles are kept apart (2201); nothing pending is 2301', async () => {
    const d = await domainOfR1();
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    await assert.rejects(approveTransfer(t.reg, r3, d.name), registryError({ kind: 'authorization', eppCode: 2201, clause: 'RFC 5731 §3.2.4' }));
    await assert.rejects(rejectTransfer(t.reg, r3, d.name), registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(approveTransfer(t.reg, r2, d.name), registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(cancelTransfer(t.reg, r1, d.name), registryError({ kind: 'authorization', eppCode: 2201 }));
    await assert.rejects(cancelTransfer(t.reg, r3, d.name), registryError({ kind: 'authorization', eppCode: 2201 }));
    const done = await cancelTransfer(t.reg, r2, d.name);
    assert.equal(done.status, 'clientCancelled');
    assert.equal((await getDomain(t.reg, d.name)).registrarId, 'reg-t1');
    await assert.rejects(approveTransfer(t.reg, r1, d.name), registryError({ kind: 'notPendingTransfer', eppCode: 2301 }));
    await assert.rejects(cancelTransfer(t.reg, r2, d.name), registryError({ kind: 'notPendingTransfer', eppCode: 2301 }));
  });

  test('the National Administrator may approve: serverApproved', async () => {
    const d = await domainOfR1();
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    const done = await approveTransfer(t.reg, na, d.name);
    assert.equal(done.status, 'serverApproved');
    assert.equal((await getDomain(t.reg, d.name)).registrarId, 'reg-t2');
  });

  test('query: the two registrars, or whoever has the authInfo', async () => {
    const d = await domainOfR1();
    await assert.rejects(queryTransfer(t.reg, r1, d.name), registryError({ kind: 'notPendingTransfer', eppCode: 2301 }));
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    assert.equal((await queryTransfer(t.reg, r1, d.name)).status, 'pending');
    assert.equal((await queryTransfer(t.reg, r2, d.name)).status, 'pending');
    await assert.rejects(queryTransfer(t.reg, r3, d.name), registryError({ kind: 'authorization', eppCode: 2201 }));
    assert.equal((await queryTransfer(t.reg, r3, d.name, d.authInfo)).gainingRegistrarId, 'reg-t2');
    await rejectTransfer(t.reg, r1, d.name);
  });
});

describe('transfer timing and period', () => {
  test('after the profile\'s days the registry approves by itself, exactly once', async () => {
    const d = await domainOfR1();
    const tr = await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    t.clock.advanceDays(t.reg.profile.transferAutoApproveDays - 1);
    assert.deepEqual((await autoApproveTransfers(t.reg, worker)).filter((v) => v.name === d.name), []);
    assert.equal((await getDomain(t.reg, d.name)).registrarId, 'reg-t1');
    t.clock.set(tr.actionDueAt);
    const first = (await autoApproveTransfers(t.reg, worker)).filter((v) => v.name === d.name);
    assert.equal(first.length, 1);
    assert.equal(first[0]!.status, 'serverApproved');
    const second = (await autoApproveTransfers(t.reg, worker)).filter((v) => v.name === d.name);
    assert.deepEqual(second, []);
    const after = await getDomain(t.reg, d.name);
    assert.equal(after.registrarId, 'reg-t2');
    assert.deepEqual(after.statuses, ['ok']);
    const p = (await polls(d.name)).filter((m) => m.payload.trStatus === 'serverApproved');
    assert.deepEqual(p.map((m) => m.registrar_id).sort(), ['reg-t1', 'reg-t2']);
    const hist = await t.reg.db.selectFrom('object_history').select('operation')
      .where('object_type', '=', 'domain').where('object_id', '=', d.name).orderBy('version').execute();
    assert.deepEqual(hist.map((h) => h.operation), ['domain.create', 'domain.transfer.request', 'domain.transfer.autoApprove']);
  });

  test('two timers running at once conclude a due transfer once', async () => {
    const d = await domainOfR1();
    const tr = await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    t.clock.set(tr.actionDueAt);
    const runs = await Promise.all([autoApproveTransfers(t.reg, worker), autoApproveTransfers(t.reg, worker), autoApproveTransfers(t.reg, worker)]);
    assert.equal(runs.flat().filter((v) => v.name === d.name).length, 1);
    assert.equal((await polls(d.name)).filter((m) => m.payload.trStatus === 'serverApproved').length, 2);
    const rows = await t.reg.db.selectFrom('transfers').innerJoin('domains', 'domains.id', 'transfers.domain_id')
      .select('transfers.status').where('domains.name', '=', d.name).execute();
    assert.deepEqual(rows.map((r) => r.status), ['serverApproved']);
  });

  test('a transfer with a period extends the expiry when it completes', async () => {
    const d = await domainOfR1({ periodYears: 2 });
    const tr = await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo, periodYears: 1 });
    assert.equal(tr.periodYears, 1);
    assert.equal(tr.expiresAfter?.getTime(), addYears(d.expiresAt, 1).getTime());
    assert.equal((await getDomain(t.reg, d.name)).expiresAt.getTime(), d.expiresAt.getTime());
    await approveTransfer(t.reg, r1, d.name);
    assert.equal((await getDomain(t.reg, d.name)).expiresAt.getTime(), addYears(d.expiresAt, 1).getTime());
  });

  test('a rejected transfer with a period leaves the expiry alone', async () => {
    const d = await domainOfR1();
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo, periodYears: 3 });
    await rejectTransfer(t.reg, r1, d.name);
    assert.equal((await getDomain(t.reg, d.name)).expiresAt.getTime(), d.expiresAt.getTime());
  });

  test('R3.16: a transfer period is 1..10 years and cannot take the registration beyond 10 years', async () => {
    const d = await domainOfR1({ periodYears: 10 });
    await assert.rejects(requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo, periodYears: 11 }),
      registryError({ kind: 'range', eppCode: 2004, clause: 'R3.16' }));
    await assert.rejects(requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo, periodYears: 1 }),
      registryError({ kind: 'policy', eppCode: 2306, clause: 'R3.16' }));
    assert.deepEqual((await getDomain(t.reg, d.name)).statuses, ['ok']);
    const tr = await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    assert.equal(tr.expiresAfter?.getTime(), d.expiresAt.getTime());
    await cancelTransfer(t.reg, r2, d.name);
  });
});
