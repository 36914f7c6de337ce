// The '.az' clock, driven by moving the registry clock and running the worker's timers as `domen worker once`
// does: renewal request (R6.1), suspension at expiry and release 30 days later (R6.2), RGP restore (RFC 3915),
// data accuracy (R8.7) with restoration (R7.6), review deadline alerts (R3.12), transfer auto-approval.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { nameMaker, registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { addDays } from '../../src/core/clock.ts';
import { createDomain, type DomainCreateInput } from '../../src/core/domains/create.ts';
import { renewDomain } from '../../src/core/domains/renew.ts';
import { getDomain, type DomainView } from '../../src/core/domains/view.ts';
import { updateContact, getContact } from '../../src/core/contacts.ts';
import { createHost } from '../../src/core/hosts.ts';
import { createUser } from '../../src/core/registrars.ts';
import { refuseApplication } from '../../src/core/applications.ts';
import { pollRequest, pollAck } from '../../src/core/poll.ts';
import { requestTransfer } from '../../src/core/transfers.ts';
import { flagInaccurate } from '../../src/core/lifecycle/accuracy.ts';
import { recordRestoreReport, restoreDomain } from '../../src/core/lifecycle/restore.ts';
import { domainSuspensions, suspendDomain, unsuspendDomain } from '../../src/core/lifecycle/suspensions.ts';
import { cancelDomain } from '../../src/core/lifecycle/cancel.ts';
import { getBalance } from '../../src/billing/accounts.ts';
import { priceAt } from '../../src/billing/prices.ts';
import { runTimers } from '../../src/worker/timers.ts';

let t: TestRegistry;
let r1: Actor;
let r2: Actor;
const nextName = nameMaker('vaxt');

before(async () => {
  t = await testRegistry({ start: '2026-03-02T09:00:00Z' });
  r1 = await addRegistrar(t.reg, 'reg-l1');
  r2 = await addRegistrar(t.reg, 'reg-l2');
  await addPerson(t.reg, r1, 'l-own1');
  await addPerson(t.reg, r1, 'l-own2');
  await addPerson(t.reg, r2, 'l-own3');
  await addNameServers(t.reg, r1, 'l1-dns.net');
  await addNameServers(t.reg, r2, 'l2-dns.net');
});
after(async () => { await t?.close(); });

async function domainOf(actor: Actor, input: Partial<DomainCreateInput> = {}): Promise<DomainView> {
  const hosts = actor === r2 ? ['ns1.l2-dns.net', 'ns2.l2-dns.net'] : ['ns1.l1-dns.net', 'ns2.l1-dns.net'];
  const res = await createDomain(t.reg, actor, { name: nextName(), registrant: actor === r2 ? 'l-own3' : 'l-own1', hosts, ...input });
  if (res.status !== 'created') throw new Error('not created');
  return res.domain;
}

/** Runs every timer as of the given instant, like `domen worker once --at`. */
async function workerAt(at: Date | string): Promise<Record<string, number>> {
  t.clock.set(at);
  const results = await runTimers(t.reg);
  for (const r of results) assert.equal(r.error, undefined, `${r.name}: ${r.error}`);
  return Object.fromEntries(results.map((r) => [r.name, r.done]));
}

/** Every poll message waiting for a registrar, acknowledged as read. */
async function drainPoll(actor: Actor & { type: 'registrar' }): Promise<{ kind: string; message: string; payload: Record<string, unknown> }[]> {
  const out = [];
  for (let i = 0; i < 1000; i++) {
    const { message } = await pollRequest(t.reg, actor.registrarId);
    if (!message) break;
    out.push(message);
    await pollAck(t.reg, actor, actor.registrarId, message.id);
  }
  return out;
}

/** The e-mail notices queued for the people concerned (src/notify), e.g. the owner told of a suspension (R7.5). */
async function emails(template: string, name: string): Promise<{ recipient: string; lang: string; subject: string }[]> {
  const rows = await t.db.db.selectFrom('notifications').select(['recipient', 'lang', 'subject', 'params'])
    .where('template', '=', template).where('channel', '=', 'email').orderBy('id').execute();
  return rows.filter((r) => JSON.stringify(r.params).includes(name)).map((r) => ({ recipient: r.recipient, lang: r.lang, subject: r.subject }));
}

const reg1 = () => r1 as Actor & { type: 'registrar' };
const reg2 = () => r2 as Actor & { type: 'registrar' };

describe('R6.1 renewal request and R6.2 expiry', () => {
  test('the renewal request goes out 40 days ahead (at least a month, R6.1), once', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1);
    await drainPoll(reg1());
    const expiry = d.expiresAt;
    assert.equal((await workerAt(addDays(expiry, -41)))['renewal-request'], 0);
    assert.equal((await workerAt(addDays(expiry, -40)))['renewal-request'], 1);
    const mails = await emails('renewal.request', d.name);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.recipient, 'l-own1@mail.example.az');
    assert.match(mails[0]!.subject, new RegExp(d.name.replace('.', '\\.')));
    const polls = (await drainPoll(reg1())).filter((m) => m.kind === 'domain.renewalRequest');
    assert.equal(polls.length, 1);
    assert.match(polls[0]!.message, new RegExp(`${d.name}.*expires on ${expiry.toISOString().slice(0, 10)}`));
    // The next runs, and a run a week later, send nothing more for this expiry date.
    assert.equal((await workerAt(addDays(expiry, -40)))['renewal-request'], 0);
    assert.equal((await workerAt(addDays(expiry, -33)))['renewal-request'], 0);
    // After a renewal the new expiry date gets its own request, a year on.
    await renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: expiry.toISOString().slice(0, 10), periodYears: 1 });
    const renewed = await getDomain(t.reg, d.name);
    assert.equal(((await workerAt(addDays(renewed.expiresAt, -40)))['renewal-request'] ?? 0) >= 1, true);
  });

  test('not renewed by its expiry: suspended (serverHold, out of the zone), in the redemption period (R6.2, RFC 3915)', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1);
    await workerAt(addDays(d.expiresAt, -1));
    assert.ok(!(await getDomain(t.reg, d.name)).statuses.includes('serverHold'));
    await drainPoll(reg1());
    const res = await workerAt(new Date(d.expiresAt.getTime() + 1000));
    assert.ok(res['expiry-suspension']! >= 1);
    const after = await getDomain(t.reg, d.name);
    for (const s of ['serverHold', 'pendingDelete', 'redemptionPeriod']) assert.ok(after.statuses.includes(s), `${s} in ${after.statuses}`);
    const [s] = await domainSuspensions(t.reg, d.name);
    assert.equal(s!.ground, 'expiry');
    assert.equal(s!.clause, 'R6.2');
    // The sponsor learns it from its poll queue (RFC 8590 change data).
    const polls = await drainPoll(reg1());
    assert.ok(polls.some((m) => m.kind === 'domain.change' && m.payload.name === d.name && String(m.payload.reason).includes('R6.2')));
    // The owner is told at once (R7.5: within 1 working day), in the registry's language by default.
    assert.deepEqual((await emails('domain.suspended', d.name)).map((e) => e.recipient), ['l-own1@mail.example.az']);
    // Once suspended, a second worker run does nothing more.
    assert.equal((await workerAt(new Date(d.expiresAt.getTime() + 60_000)))['expiry-suspension'], 0);
    // Renewing is no longer the way back: the redemption period admits only a restore.
    await assert.rejects(renewDomain(t.reg, r1, { name: d.name, currentExpiryDate: d.expiresAt.toISOString().slice(0, 10) }),
      registryError({ kind: 'notEligibleForRenewal', message: /redemption period/ }));
  });

  test('a restore in the 30 days (payment, R6.2) brings the name back for a year from its old expiry', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1);
    await workerAt(addDays(d.expiresAt, 1));
    t.clock.set(addDays(d.expiresAt, 20));
    // Only the sponsor restores.
    await assert.rejects(restoreDomain(t.reg, r2, d.name), registryError({ kind: 'authorization' }));
    const restored = await restoreDomain(t.reg, r1, d.name);
    assert.deepEqual(restored.statuses.filter((s) => s !== 'inactive'), ['ok', 'pendingRestore']);
    assert.equal(restored.expiresAt.toISOString().slice(0, 10), `${d.expiresAt.getUTCFullYear() + 1}${d.expiresAt.toISOString().slice(4, 10)}`);
    const [s] = await domainSuspensions(t.reg, d.name);
    assert.ok(s!.liftedAt);
    // A second restore has nothing to restore.
    await assert.rejects(restoreDomain(t.reg, r1, d.name), registryError({ kind: 'statusProhibits' }));
    // The report within 7 days ends pendingRestore; a second report has nothing to report on.
    const report = { preData: 'x', postData: 'x', deleteTime: '', restoreTime: '', restoreReason: 'owner paid', statements: ['true'] };
    const reported = await recordRestoreReport(t.reg, r1, d.name, report);
    assert.ok(!reported.statuses.includes('pendingRestore'));
    await assert.rejects(recordRestoreReport(t.reg, r1, d.name, report), registryError({ kind: 'statusProhibits' }));
    // Thirty days after the original suspension nothing is released: it was paid.
    await workerAt(addDays(d.expiresAt, 40));
    assert.equal((await getDomain(t.reg, d.name)).name, d.name);
  });

  test('without a report the pendingRestore mark lapses after 7 days', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1);
    await workerAt(addDays(d.expiresAt, 1));
    t.clock.set(addDays(d.expiresAt, 2));
    await restoreDomain(t.reg, r1, d.name);
    await workerAt(addDays(d.expiresAt, 8));
    assert.ok((await getDomain(t.reg, d.name)).statuses.includes('pendingRestore'));
    await workerAt(addDays(d.expiresAt, 9.1));
    assert.ok(!(await getDomain(t.reg, d.name)).statuses.includes('pendingRestore'));
  });

  test('not paid within 30 days of the suspension: cancelled and released, its name servers with it (R6.2)', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1, { registrant: 'l-own2' });
    const host = `ns1.${d.name}`;
    await createHost(t.reg, r1, { name: host, addresses: ['91.212.4.77'] });
    t.clock.set('2026-09-01T09:00:00Z');
    const user = await domainOf(r2, { hosts: ['ns1.l2-dns.net', host] });
    const suspendedAt = new Date(d.expiresAt.getTime() + 3_600_000);
    await workerAt(suspendedAt);
    await drainPoll(reg2());
    assert.equal((await workerAt(addDays(suspendedAt, 29.9)))['release-after-redemption'], 0);
    assert.equal(((await workerAt(addDays(suspendedAt, 30)))['release-after-redemption'] ?? 0) >= 1, true);
    await assert.rejects(getDomain(t.reg, d.name), registryError({ kind: 'notFound' }));
    // The other sponsor's domain lost the deleted name server, and that sponsor was told.
    assert.deepEqual((await getDomain(t.reg, user.name)).hosts, ['ns1.l2-dns.net']);
    const polls = await drainPoll(reg2());
    assert.ok(polls.some((m) => m.kind === 'domain.change' && m.payload.name === user.name && String(m.message).includes(host)));
    assert.deepEqual((await emails('domain.cancelled', d.name)).map((e) => e.recipient), ['l-own2@mail.example.az']);
    // The name is free again, first come first served.
    const again = await createDomain(t.reg, r2, { name: d.name, registrant: 'l-own3', hosts: ['ns1.l2-dns.net', 'ns2.l2-dns.net'] });
    assert.equal(again.status, 'created');
  });

  test('a pending transfer ends when the name enters the redemption period', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1);
    t.clock.set(addDays(d.expiresAt, -2));
    await requestTransfer(t.reg, r2, { name: d.name, authInfo: d.authInfo });
    await workerAt(new Date(d.expiresAt.getTime() + 1000));
    const after = await getDomain(t.reg, d.name);
    assert.equal(after.registrarId, 'reg-l1');
    assert.ok(!after.statuses.includes('pendingTransfer'));
    assert.ok(after.statuses.includes('redemptionPeriod'));
  });
});

describe('R7.4-R7.6 suspensions by the National Administrator', () => {
  test('a ground is required, each ground is lifted on its own, serverHold goes with the last', async () => {
    t.clock.set('2026-06-01T09:00:00Z');
    const d = await domainOf(r1);
    await assert.rejects(suspendDomain(t.reg, operator, d.name, 'expiry'), registryError({ kind: 'policy', clause: 'R7.4' }));
    await assert.rejects(suspendDomain(t.reg, r1, d.name, 'court'), registryError({ kind: 'authorization' }));
    await suspendDomain(t.reg, operator, d.name, 'court', 'Baku court ruling 2-1234/2026');
    await suspendDomain(t.reg, operator, d.name, 'agreement');
    await assert.rejects(suspendDomain(t.reg, operator, d.name, 'court'), registryError({ kind: 'statusProhibits' }));
    assert.ok((await getDomain(t.reg, d.name)).statuses.includes('serverHold'));
    await assert.rejects(unsuspendDomain(t.reg, operator, d.name, 'court', ' '), registryError({ kind: 'required' }));
    await unsuspendDomain(t.reg, operator, d.name, 'court', 'ruling overturned');
    assert.ok((await getDomain(t.reg, d.name)).statuses.includes('serverHold'), 'the agreement ground still holds it');
    await unsuspendDomain(t.reg, operator, d.name, 'agreement', 'breach remedied');
    assert.ok(!(await getDomain(t.reg, d.name)).statuses.includes('serverHold'));
    const list = await domainSuspensions(t.reg, d.name);
    assert.deepEqual(list.map((s) => [s.ground, s.liftReason]).sort(), [['agreement', 'breach remedied'], ['court', 'ruling overturned']]);
  });
});

describe('R8.7 data accuracy', () => {
  test('found inaccurate before Novruz: 3 working days after the holidays, then suspension; corrected: restored (R7.6)', async () => {
    // Friday 19 March 2027; Novruz 20-24 March and the days moved from the weekend (25, 26) are holidays.
    t.clock.set('2027-03-01T09:00:00Z');
    await addPerson(t.reg, r1, 'l-acc1');
    const d1 = await domainOf(r1, { registrant: 'l-acc1' });
    const d2 = await domainOf(r1, { registrant: 'l-acc1' });
    const other = await domainOf(r1);
    t.clock.set('2027-03-19T10:00:00Z');
    await assert.rejects(flagInaccurate(t.reg, r1, 'l-acc1', 'address'), registryError({ kind: 'authorization' }));
    const flagged = await flagInaccurate(t.reg, operator, 'l-acc1', 'the address does not exist');
    // Working days 29, 30, 31 March: due at the end of 31 March in Baku (UTC+4).
    assert.equal(flagged.accuracyDueAt.toISOString(), '2027-03-31T20:00:00.000Z');
    assert.equal((await getContact(t.reg, 'l-acc1')).verification, 'inaccurate');
    await assert.rejects(flagInaccurate(t.reg, operator, 'l-acc1', 'again'), registryError({ kind: 'statusProhibits' }));
    const polls = await drainPoll(reg1());
    assert.ok(polls.some((m) => m.kind === 'contact.inaccurate' && String(m.message).includes('2027-03-31')));

    assert.deepEqual((await emails('accuracy.notice', d1.name)).map((e) => e.recipient), ['l-acc1@mail.example.az']);
    assert.equal((await workerAt('2027-03-31T19:59:00Z'))['accuracy-suspension'], 0);
    assert.equal((await workerAt('2027-03-31T20:00:00Z'))['accuracy-suspension'], 2);
    for (const n of [d1.name, d2.name]) assert.ok((await getDomain(t.reg, n)).statuses.includes('serverHold'));
    assert.ok(!(await getDomain(t.reg, other.name)).statuses.includes('serverHold'));
    assert.equal((await workerAt('2027-04-01T08:00:00Z'))['accuracy-suspension'], 0);

    // The registrar corrects the data: the next worker run restores both names (well within R7.6's 24 hours).
    t.clock.set('2027-04-01T09:00:00Z');
    await updateContact(t.reg, r1, { handle: 'l-acc1', set: { street: ['Nizami küçəsi 10'] } });
    assert.equal((await getContact(t.reg, 'l-acc1')).verification, 'unverified');
    assert.equal((await workerAt('2027-04-01T09:01:00Z'))['accuracy-restoration'], 2);
    for (const n of [d1.name, d2.name]) assert.ok(!(await getDomain(t.reg, n)).statuses.includes('serverHold'));
    assert.equal((await emails('domain.restored', d1.name)).length, 1);
  });
});

describe('R3.12 review deadlines', () => {
  test('received on the Friday before Victory Day on a Sunday: due 13 November; staff alerted once near, once overdue', async () => {
    // 8 Nov 2026 (Victory Day) is a Sunday and moves to Tuesday 10 Nov; 9 Nov is State Flag Day.
    t.clock.set('2026-11-06T10:00:00Z');
    await createUser(t.reg, operator, { email: 'review@nic.az', name: 'NA Reviewer', role: 'na_staff', password: 'Reviewer-Pass-2026' });
    const res = await createDomain(t.reg, r1, { name: 'qusar.az', registrant: 'l-own1', hosts: ['ns1.l1-dns.net', 'ns2.l1-dns.net'] });
    assert.equal(res.status, 'pending');
    if (res.status !== 'pending') return;
    assert.equal(res.application.dueAt.toISOString(), '2026-11-13T20:00:00.000Z');
    // R3.11: the receipt is confirmed at once to the applicant.
    assert.deepEqual((await emails('application.received', 'qusar.az')).map((e) => e.recipient), ['l-own1@mail.example.az']);
    assert.equal((await workerAt('2026-11-10T12:00:00Z'))['review-deadline-alert'], 0);
    // One working day before: Thursday 12 November.
    assert.equal((await workerAt('2026-11-12T06:00:00Z'))['review-deadline-alert'], 1);
    assert.equal((await workerAt('2026-11-12T07:00:00Z'))['review-deadline-alert'], 0);
    assert.equal((await workerAt('2026-11-13T20:00:01Z'))['review-deadline-alert'], 1);
    assert.equal((await workerAt('2026-11-16T09:00:00Z'))['review-deadline-alert'], 0);
    // Both alerts went to the National Administrator's staff, not to the applicant.
    const alerts = await t.db.db.selectFrom('notifications').select(['recipient', 'channel']).where('template', '=', 'application.deadline').execute();
    assert.deepEqual(alerts.filter((a) => a.channel === 'email').map((a) => a.recipient), ['review@nic.az', 'review@nic.az']);
    // R3.12, R5.2: the refusal goes to the applicant with its ground and the refund.
    await refuseApplication(t.reg, operator, res.application.id, 'R5.1.4', 'no consent of the municipality');
    const refused = await t.db.db.selectFrom('notifications').select(['recipient', 'params']).where('template', '=', 'application.refused').where('channel', '=', 'email').execute();
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.recipient, 'l-own1@mail.example.az');
    assert.match(JSON.stringify(refused[0]!.params), /R5\.1\.4.*AZN|AZN.*R5\.1\.4/);
  });
});

describe('R7.3 early cancellation by the National Administrator', () => {
  test('a breach of the agreement: released at once, the owner told, the unused whole months refunded (A5.2)', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1, { periodYears: 2 });
    const price = await priceAt(t.reg.db, 'az', 'create', t.clock.now());
    t.clock.set('2026-09-10T09:00:00Z');
    await assert.rejects(cancelDomain(t.reg, r1, d.name, 'R7.3.4', 'breach'), registryError({ kind: 'authorization' }));
    await assert.rejects(cancelDomain(t.reg, operator, d.name, 'R7.4.1', 'x'), registryError({ kind: 'policy', clause: 'R7.3' }));
    const before = (await getBalance(t.reg, operator, 'reg-l1')).balance;
    const r = await cancelDomain(t.reg, operator, d.name, 'R7.3.4', 'NA decision 44/2026');
    // 10 Sep 2026 to 2 Mar 2028: 17 whole months of the 24 bought.
    const refunded = r.refunds.reduce((n, x) => n + x.amount, 0);
    assert.equal(refunded, Math.floor((price!.amount * 2 * 17) / 24));
    assert.equal((await getBalance(t.reg, operator, 'reg-l1')).balance, before + refunded);
    await assert.rejects(getDomain(t.reg, d.name), registryError({ kind: 'notFound' }));
    assert.equal((await emails('domain.cancelled', d.name)).length, 1);
  });

  test("on the owner's request (A5.1.1) nothing is refunded", async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await domainOf(r1);
    t.clock.set('2026-04-10T09:00:00Z');
    const r = await cancelDomain(t.reg, operator, d.name, 'R7.3.1', 'owner letter of 2026-03-30');
    assert.deepEqual(r.refunds, []);
  });
});
