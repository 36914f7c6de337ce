// notify(): recipients, languages and channels; queued inside the operation (a rollback queues nothing);
// one notice per dedupe key even when two timers race.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runOperation } from '../../src/core/operation.ts';
import { pollRequest } from '../../src/core/poll.ts';
import { notify, inboxOf, type Recipient } from '../../src/notify/index.ts';
import { operator } from '../helpers/fixtures.ts';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { people, type People } from './setup.ts';

const timer = { type: 'system', name: 'lifecycle', source: 'test' } as const;

function renewal(to: Recipient | Recipient[], dedupe: string, name = 'kitab.az') {
  return { template: 'renewal.request' as const, params: { name, expiryDate: '2026-04-02', registrar: 'Registrar Bir' }, to, dedupe };
}

describe('notify(): recipients, languages, channels, one transaction', () => {
  let t: TestRegistry;
  let p: People;
  before(async () => { t = await testRegistry(); p = await people(t.reg, 'nq'); });
  after(async () => { await t?.close(); });

  const rows = (dedupe: string) => t.reg.db.selectFrom('notifications').selectAll().where('dedupe_key', '=', dedupe).orderBy('id').execute();

  it('a registrant with an English account gets English e-mail and inbox; one without an account gets Azerbaijani e-mail', async () => {
    const r = await runOperation(t.reg, timer, 'lifecycle.renewal', (ctx) => notify(ctx, renewal([{ contact: p.withAccount.handle }, { contact: p.noAccount.id }], 'renewal-request:kitab.az:2026-04-02')));
    assert.deepEqual(r.queued.map((q) => [q.channel, q.recipient, q.lang]), [
      ['email', p.withAccount.email, 'en'], ['inbox', `user:${p.withAccount.userId}`, 'en'], ['email', p.noAccount.email, 'az'],
    ]);
    const stored = await rows('renewal-request:kitab.az:2026-04-02');
    assert.deepEqual(stored.map((s) => s.status), ['pending', 'sent', 'pending'], 'e-mail waits for the sender; the inbox is written at once');
    assert.equal(stored[0]!.subject, 'Renew kitab.az before 2 April 2026');
    assert.equal(stored[2]!.subject, 'kitab.az domen adının qeydiyyatını 02.04.2026 tarixinədək uzadın');
    assert.deepEqual(stored[0]!.params, { name: 'kitab.az', expiryDate: '2026-04-02', registrar: 'Registrar Bir' });
    assert.equal(stored[0]!.operation, 'lifecycle.renewal');
    const box = await inboxOf(t.reg, p.withAccount.email.replace('-c1@', '-owner@').toUpperCase());
    assert.equal(box.messages.length, 1);
    assert.equal(box.messages[0]!.subject, 'Renew kitab.az before 2 April 2026');
    assert.match(box.messages[0]!.body, /expires on 2 April 2026[\s\S]*clause 6\.1/);
  });

  it('a registrar gets e-mail (its language, else the default) and an English EPP poll message', async () => {
    await t.reg.db.updateTable('registrars').set({ lang: 'ru' }).where('id', '=', p.registrarId).execute();
    const before = (await pollRequest(t.reg, p.registrarId)).count;
    const r = await runOperation(t.reg, timer, 'lifecycle.suspend', (ctx) => notify(ctx, {
      template: 'domain.suspended', params: { name: 'kitab.az', ground: 'R6.2', suspendedAt: ctx.now, registrar: 'Registrar Bir' },
      to: { registrar: p.registrarId }, dedupe: 'suspended:kitab.az:2026-04-02',
    }));
    assert.deepEqual(r.queued.map((q) => [q.channel, q.lang]), [['email', 'ru'], ['poll', 'en']]);
    const q = await pollRequest(t.reg, p.registrarId);
    assert.equal(q.count, before + 1);
    const all = await t.reg.db.selectFrom('poll_messages').selectAll().where('registrar_id', '=', p.registrarId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(all.kind, 'notice');
    assert.equal(all.message, 'Service for kitab.az suspended');
    assert.match(String((all.payload as Record<string, unknown>).text), /Ground \(clause 6\.2 of the Rules\): the registration was not renewed by its expiry date/);
    assert.equal((await rows('suspended:kitab.az:2026-04-02'))[0]!.subject, 'Обслуживание kitab.az приостановлено');
    const only = await runOperation(t.reg, timer, 'x', (ctx) => notify(ctx, { ...renewal({ registrar: p.registrarId, via: ['poll'] }, 'poll-only') }));
    assert.deepEqual(only.queued.map((x) => x.channel), ['poll']);
  });

  it('NA staff: every active na_admin and na_staff user by e-mail and inbox, in their language', async () => {
    const r = await runOperation(t.reg, timer, 'review.deadline', (ctx) => notify(ctx, {
      template: 'application.deadline',
      params: { name: 'şəki.az', applicationId: 7, registrar: 'Registrar Bir', receivedAt: '2026-03-16T06:30:00Z', dueAt: '2026-03-26T20:00:00Z' },
      to: { staff: true }, dedupe: 'application-deadline:7',
    }));
    assert.equal(r.queued.length, 4);
    assert.ok(r.queued.every((q) => q.lang === 'ru'));
    for (const id of p.staffIds) {
      const box = await inboxOf(t.reg, (await t.reg.db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email);
      assert.equal(box.messages[0]!.subject, 'Срок рассмотрения истекает: заявка № 7 (şəki.az)');
      assert.match(box.messages[0]!.body, /истекает 27\.03\.2026, 00:00 \(по бакинскому времени\)/);
    }
  });

  it('a bare e-mail address, in the language asked for', async () => {
    const r = await runOperation(t.reg, timer, 'x', (ctx) => notify(ctx, renewal({ email: ' Someone@Example.AZ ', lang: 'ru' }, 'raw-1')));
    assert.deepEqual(r.queued.map((q) => [q.recipient, q.lang]), [['someone@example.az', 'ru']]);
    await assert.rejects(runOperation(t.reg, timer, 'x', (ctx) => notify(ctx, renewal({ email: 'not an address' }, 'raw-2'))), /is not an e-mail address/);
    await assert.rejects(runOperation(t.reg, timer, 'x', (ctx) => notify(ctx, renewal({ contact: 'nobody-here' }, 'raw-3'))), /no contact nobody-here/);
    assert.equal((await rows('raw-2')).length + (await rows('raw-3')).length, 0);
  });

  it('a notify() inside an operation that throws afterwards queues nothing: no e-mail, no inbox, no poll message', async () => {
    const inboxBefore = (await inboxOf(t.reg, p.withAccount.email.replace('-c1@', '-owner@'))).messages.length;
    const pollBefore = (await pollRequest(t.reg, p.registrarId)).count;
    await assert.rejects(runOperation(t.reg, timer, 'lifecycle.renewal', async (ctx) => {
      const r = await notify(ctx, renewal([{ contact: p.withAccount.handle }, { registrar: p.registrarId }], 'rolled-back'));
      assert.equal(r.queued.length, 4, 'queued inside the transaction');
      throw new Error('the operation failed after queuing');
    }), /failed after queuing/);
    assert.equal((await rows('rolled-back')).length, 0);
    assert.equal((await inboxOf(t.reg, p.withAccount.email.replace('-c1@', '-owner@'))).messages.length, inboxBefore);
    assert.equal((await pollRequest(t.reg, p.registrarId)).count, pollBefore);
  });

  it('the same dedupe key again queues nothing more, also when two timers race for it', async () => {
    const to: Recipient[] = [{ contact: p.noAccount.handle }, { registrar: p.registrarId }];
    const first = await runOperation(t.reg, timer, 'x', (ctx) => notify(ctx, renewal(to, 'renewal-request:ders.az:2026-04-02', 'ders.az')));
    assert.equal(first.queued.length, 3);
    const again = await runOperation(t.reg, timer, 'x', (ctx) => notify(ctx, renewal(to, 'renewal-request:ders.az:2026-04-02', 'ders.az')));
    assert.deepEqual([again.queued.length, again.duplicates], [0, 3]);
    // Two nodes' timers at once: each in its own transaction; the unique key lets one of them write.
    const race = await Promise.all([1, 2, 3].map(() => runOperation(t.reg, timer, 'x', (ctx) => notify(ctx, renewal(to, 'renewal-request:race.az:2026-04-02', 'race.az')))));
    assert.equal(race.reduce((n, r) => n + r.queued.length, 0), 3);
    assert.equal((await rows('renewal-request:race.az:2026-04-02')).length, 3);
    const polls = await t.reg.db.selectFrom('poll_messages').select('id').where('registrar_id', '=', p.registrarId)
      .where('message', 'like', '%race.az%').execute();
    assert.equal(polls.length, 1, 'one poll message for the registrar');
  });

  it('bad parameters are refused and roll the operation back', async () => {
    await assert.rejects(runOperation(t.reg, operator, 'x', (ctx) => notify(ctx, {
      template: 'domain.cancelled', params: { name: 'a.az', ground: 'R6.2', cancelledAt: ctx.now, registrar: 'R' }, to: { email: 'a@b.az' }, dedupe: 'bad-1',
    })), /not a ground this notice can state/);
    assert.equal((await rows('bad-1')).length, 0);
  });
});
