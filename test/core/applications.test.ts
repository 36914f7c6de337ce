// Applications that need consent (R4.2, R4.8, R4.9, R3.2): the review queue in order of receipt with a
// deadline of 3 working days (R3.12), competing applications (R4.12), decisions with R5.1.x grounds and
// their poll messages (RFC 5731 §3.3 panData).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar, na } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { addYears } from '../../src/core/clock.ts';
import { deleteContact } from '../../src/core/contacts.ts';
import { createDomain, type DomainCreateInput } from '../../src/core/domains/create.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import {
  approveApplication, getApplication, refuseApplication, reviewQueue, withdrawApplication, type ApplicationView,
} from '../../src/core/applications.ts';
import { addListEntry } from '../../src/core/policy-lists.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
const ministry: Actor = { type: 'staff', userId: 7, role: 'ministry' };
const nextGov = nameMaker('qurum', 'gov.az');
const DS = { keyTag: 4711, algorithm: 13, digestType: 2, digest: 'C'.repeat(64) };

// Friday 13 March 2026, 14:00 in Baku: the week before Novruz.
const FRIDAY = '2026-03-13T10:00:00Z';
// Thursday 19 March 2026, 14:00 in Baku: the last working day before Novruz and Ramazan bayramı.
const THURSDAY = '2026-03-19T10:00:00Z';

before(async () => {
  t = await testRegistry({ start: FRIDAY });
  r1 = await addRegistrar(t.reg, 'reg-a1');
  r2 = await addRegistrar(t.reg, 'reg-a2');
  await addPerson(t.reg, r1, 'a-own1');
  await addPerson(t.reg, r1, 'a-adm1');
  await addPerson(t.reg, r2, 'a-own2');
  await addNameServers(t.reg, r1, 'a1-dns.net');
});
after(async () => { await t?.close(); });

async function apply(actor: Actor, input: Partial<DomainCreateInput> = {}): Promise<ApplicationView> {
  const res = await createDomain(t.reg, actor, { name: nextGov(), registrant: actor === r2 ? 'a-own2' : 'a-own1', ...input });
  assert.equal(res.status, 'pending');
  if (res.status !== 'pending') throw new Error('not pending');
  return res.application;
}

interface Pan { name: string; paResult: boolean; clientTrid: string | null; applicationId: number; refusalGround: string | null; paDate: string }
async function pans(registrarId: string, applicationId: number) {
  const rows = await t.reg.db.selectFrom('poll_messages').selectAll().where('registrar_id', '=', registrarId).where('kind', '=', 'domain.pan').orderBy('id').execute();
  return rows.map((r) => ({ ...r, payload: r.payload as Pan })).filter((r) => r.payload.applicationId === applicationId);
}

describe('receipt and queue (R3.12)', () => {
  test('received on a Friday: due at the end of the third working day, Wednesday 18 March in Baku', async () => {
    t.clock.set(FRIDAY);
    const app = await apply(r1);
    assert.equal(app.receivedAt.toISOString(), '2026-03-13T10:00:00.000Z');
    const calendar = await t.reg.policy.calendar();
    assert.equal(app.dueAt.getTime(), calendar.deadline(app.receivedAt, 3).getTime());
    // Mon 16, Tue 17, Wed 18 March; the deadline is 24:00 Baku time (UTC+4) of the 18th.
    assert.equal(app.dueAt.toISOString(), '2026-03-18T20:00:00.000Z');
  });

  test('received just before Novruz: the deadline lands after the holidays, Thursday 2 April', async () => {
    t.clock.set(THURSDAY);
    const app = await apply(r1);
    const calendar = await t.reg.policy.calendar();
    assert.equal(app.dueAt.getTime(), calendar.deadline(app.receivedAt, 3).getTime());
    // 20-24 March Novruz with Ramazan bayramı on 20-21 March, and the days moved to 25, 26, 27 and 30 March:
    // the working days after the 19th are 31 March, 1 and 2 April.
    for (const d of ['2026-03-20', '2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-30']) {
      assert.equal(calendar.isWorkingDay(d), false, d);
    }
    assert.deepEqual(calendar.workingDaysBetween('2026-03-20', '2026-04-02'), ['2026-03-31', '2026-04-01', '2026-04-02']);
    assert.equal(app.dueAt.toISOString(), '2026-04-02T20:00:00.000Z');
    assert.equal(calendar.localDate(new Date(app.dueAt.getTime() - 1)), '2026-04-02');
  });

  test('the queue is in order of receipt; a registrar sees only its own', async () => {
    t.clock.set(THURSDAY);
    const a = await apply(r2);
    t.clock.advance(60_000);
    const b = await apply(r1);
    t.clock.advance(60_000);
    const c = await apply(r2);
    const ids = new Set([a.id, b.id, c.id]);
    const queue = (await reviewQueue(t.reg, na, { limit: 1000 })).filter((x) => ids.has(x.id));
    assert.deepEqual(queue.map((x) => x.id), [a.id, b.id, c.id]);
    const all = await reviewQueue(t.reg, na, { limit: 1000 });
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.receivedAt <= all[i]!.receivedAt);
    const mine = await reviewQueue(t.reg, r2, { limit: 1000 });
    assert.ok(mine.every((x) => x.registrarId === 'reg-a2'));
    assert.deepEqual(mine.filter((x) => ids.has(x.id)).map((x) => x.id), [a.id, c.id]);
    assert.deepEqual((await reviewQueue(t.reg, ministry, { registrarId: 'reg-a1', limit: 1000 })).filter((x) => ids.has(x.id)).map((x) => x.id), [b.id]);
    await assert.rejects(reviewQueue(t.reg, { type: 'registrant', userId: 99 }), registryError({ kind: 'authorization', eppCode: 2201, clause: 'R3.12' }));
    await assert.rejects(getApplication(t.reg, r1, a.id), registryError({ kind: 'authorization', eppCode: 2201 }));
    assert.equal((await getApplication(t.reg, r2, a.id)).id, a.id);
    assert.equal((await getApplication(t.reg, na, a.id)).id, a.id);
    for (const x of [a, b, c]) await withdrawApplication(t.reg, na, x.id);
  });
});

describe('decisions', () => {
  test('approval registers the name as requested and tells the registrar (panData paResult true)', async () => {
    t.clock.set(THURSDAY);
    const name = nextGov();
    const res = await createDomain(t.reg, { ...r1, clientTrid: 'ABC-123' } as Actor, {
      name, registrant: 'a-own1', periodYears: 2, hosts: ['ns1.a1-dns.net', 'ns2.a1-dns.net'], authInfo: 'Gov-Auth-2026',
      contacts: [{ type: 'admin', handle: 'a-adm1' }], ds: [DS],
    });
    assert.equal(res.status, 'pending');
    if (res.status !== 'pending') return;
    t.clock.advanceDays(1);
    const { application, domain } = await approveApplication(t.reg, na, res.application.id, 'letter no. 12 on file');
    assert.equal(application.status, 'approved');
    assert.equal(application.domain, name);
    assert.equal(application.decidedBy, 'staff:1');
    assert.equal(application.decisionNote, 'letter no. 12 on file');
    assert.equal(domain.name, name);
    const d = await getDomain(t.reg, name);
    assert.equal(d.registrarId, 'reg-a1');
    assert.equal(d.registrant, 'a-own1');
    assert.deepEqual(d.hosts, ['ns1.a1-dns.net', 'ns2.a1-dns.net']);
    assert.deepEqual(d.contacts, [{ type: 'admin', handle: 'a-adm1' }]);
    assert.deepEqual(d.ds, [DS]);
    assert.equal(d.authInfo, 'Gov-Auth-2026');
    // R3.14, A2.2: registered from the decision; the period runs from then.
    assert.equal(d.createdAt.getTime(), t.clock.now().getTime());
    assert.equal(d.expiresAt.getTime(), addYears(t.clock.now(), 2).getTime());
    const p = await pans('reg-a1', res.application.id);
    assert.equal(p.length, 1);
    assert.equal(p[0]!.payload.paResult, true);
    assert.equal(p[0]!.payload.name, name);
    assert.equal(p[0]!.payload.clientTrid, 'ABC-123');
    assert.equal(p[0]!.payload.paDate, t.clock.now().toISOString());
    await assert.rejects(getApplication(t.reg, r2, res.application.id), registryError({ kind: 'authorization', eppCode: 2201 }));
  });

  test('R4.12: competing applications: approving one refuses the others with R5.1.1 and tells their registrars', async () => {
    t.clock.set(THURSDAY);
    const name = nextGov();
    const first = await apply(r1, { name });
    t.clock.advance(60_000);
    const second = await apply(r2, { name });
    t.clock.advance(60_000);
    const third = await apply(r1, { name });
    const { domain } = await approveApplication(t.reg, na, first.id);
    assert.equal(domain.registrarId, 'reg-a1');
    for (const [app, registrarId] of [[second, 'reg-a2'], [third, 'reg-a1']] as const) {
      const v = await getApplication(t.reg, na, app.id);
      assert.equal(v.status, 'refused');
      assert.equal(v.refusalGround, 'R5.1.1');
      const p = await pans(registrarId, app.id);
      assert.equal(p.length, 1);
      assert.equal(p[0]!.payload.paResult, false);
      assert.equal(p[0]!.payload.refusalGround, 'R5.1.1');
    }
    await assert.rejects(approveApplication(t.reg, na, second.id), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
  });

  test('R4.12: the first applicant has preference: a later application waits until the earlier one is decided', async () => {
    t.clock.set(THURSDAY);
    const name = nextGov();
    const first = await apply(r1, { name });
    t.clock.advance(60_000);
    const second = await apply(r2, { name });
    await assert.rejects(approveApplication(t.reg, na, second.id), registryError({ kind: 'policy', eppCode: 2306, clause: 'R4.12' }));
    assert.equal((await getApplication(t.reg, na, second.id)).status, 'pending');
    await refuseApplication(t.reg, na, first.id, 'R5.1.7', 'no consent of the state body');
    const { domain } = await approveApplication(t.reg, na, second.id);
    assert.equal(domain.registrarId, 'reg-a2');
    assert.equal(domain.registrant, 'a-own2');
  });

  test('refusal needs a ground of R5.1 (2005) and tells the registrar (paResult false)', async () => {
    const app = await apply(r2);
    await assert.rejects(refuseApplication(t.reg, na, app.id, 'R5.2'), registryError({ kind: 'syntax', eppCode: 2005, clause: 'R5.1' }));
    await assert.rejects(refuseApplication(t.reg, na, app.id, ''), registryError({ kind: 'syntax', eppCode: 2005 }));
    const v = await refuseApplication(t.reg, na, app.id, 'R5.1.8', 'no Ministry approval');
    assert.equal(v.status, 'refused');
    assert.equal(v.refusalGround, 'R5.1.8');
    const p = await pans('reg-a2', app.id);
    assert.equal(p.length, 1);
    assert.equal(p[0]!.payload.paResult, false);
    assert.equal(p[0]!.payload.refusalGround, 'R5.1.8');
    await assert.rejects(getDomain(t.reg, app.name), registryError({ kind: 'notFound', eppCode: 2303 }));
    await assert.rejects(refuseApplication(t.reg, na, app.id, 'R5.1.8'), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
  });

  test('only the National Administrator (or the Ministry) decides (2201, R3.12)', async () => {
    const app = await apply(r1);
    await assert.rejects(approveApplication(t.reg, r1, app.id), registryError({ kind: 'authorization', eppCode: 2201, clause: 'R3.12' }));
    await assert.rejects(refuseApplication(t.reg, r1, app.id, 'R5.1.2'), registryError({ kind: 'authorization', eppCode: 2201, clause: 'R3.12' }));
    await assert.rejects(approveApplication(t.reg, { type: 'registrant', userId: 5 }, app.id), registryError({ kind: 'authorization', eppCode: 2201 }));
    const { application } = await approveApplication(t.reg, ministry, app.id);
    assert.equal(application.decidedBy, 'staff:7');
  });

  test('an application is decided once: approving twice is 2304; an unknown one is 2303', async () => {
    const app = await apply(r1);
    await approveApplication(t.reg, na, app.id);
    await assert.rejects(approveApplication(t.reg, na, app.id), registryError({ kind: 'statusProhibits', eppCode: 2304, clause: 'R3.12' }));
    await assert.rejects(refuseApplication(t.reg, na, app.id, 'R5.1.2'), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await assert.rejects(approveApplication(t.reg, na, 999_999), registryError({ kind: 'notFound', eppCode: 2303 }));
  });

  test('a name put on the Stop-list since receipt cannot be approved (R4.3)', async () => {
    const app = await apply(r1, { name: 'qusar.az' });
    await addListEntry(t.reg, na, 'stop', 'qusar');
    await assert.rejects(approveApplication(t.reg, na, app.id), registryError({ kind: 'policy', eppCode: 2306, clause: 'R4.3', ground: 'R5.1.5' }));
    assert.equal((await getApplication(t.reg, na, app.id)).status, 'pending');
    await refuseApplication(t.reg, na, app.id, 'R5.1.5');
  });

  test('the registrar withdraws its own application; then its registrant may be deleted', async () => {
    await addPerson(t.reg, r1, 'a-leaving');
    const app = await apply(r1, { registrant: 'a-leaving' });
    await assert.rejects(deleteContact(t.reg, r1, 'a-leaving'), registryError({ kind: 'associationProhibits', eppCode: 2305 }));
    await assert.rejects(withdrawApplication(t.reg, r2, app.id), registryError({ kind: 'authorization', eppCode: 2201 }));
    const v = await withdrawApplication(t.reg, r1, app.id);
    assert.equal(v.status, 'withdrawn');
    await assert.rejects(withdrawApplication(t.reg, r1, app.id), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await assert.rejects(approveApplication(t.reg, na, app.id), registryError({ kind: 'statusProhibits', eppCode: 2304 }));
    await deleteContact(t.reg, r1, 'a-leaving');
  });
});
