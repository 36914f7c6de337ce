// E-mail delivery through a real SMTP server (smtp-server on 127.0.0.1): recipient, language and content;
// SMTP down -> backoff -> back up -> each message arrives once; dead letters and retry; two senders at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runOperation } from '../../src/core/operation.ts';
import { backoffMs, deliverPending, listNotifications, notify, retryNotifications, smtpTransport, type MailTransport, type Recipient } from '../../src/notify/index.ts';
import { operator } from '../helpers/fixtures.ts';
import { onPostgres, testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { MailSink } from './mail-sink.ts';
import { people, type People } from './setup.ts';

const timer = { type: 'system', name: 'lifecycle', source: 'test' } as const;
const MINUTE = 60_000;

describe('e-mail delivery over SMTP', () => {
  let t: TestRegistry;
  let p: People;
  const sink = new MailSink();
  let transport: MailTransport;
  before(async () => {
    t = await testRegistry({ start: '2026-03-02T09:00:00Z' });
    p = await people(t.reg, 'dq');
    await sink.start(0);
    transport = smtpTransport(sink.url);
  });
  after(async () => { await sink.stop(); await t?.close(); });

  const queue = (to: Recipient | Recipient[], dedupe: string, name: string, expiryDate = '2026-04-02') =>
    runOperation(t.reg, timer, 'lifecycle.renewal', (ctx) => notify(ctx, { template: 'renewal.request', params: { name, expiryDate, registrar: 'Registrar Bir MMC' }, to, dedupe }));
  const row = (id: number) => t.reg.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const deliver = (extra: Parameters<typeof deliverPending>[1] = {}) => deliverPending(t.reg, { transport, ...extra });

  it('sends each registrant the notice in their language: the name, the date, the clause, to their address', async () => {
    const q = await queue([{ contact: p.withAccount.handle }, { contact: p.noAccount.handle }], 'renewal-request:kitab.az:2026-04-02', 'kitab.az');
    const r = await deliver();
    assert.deepEqual([r.claimed, r.sent, r.retrying, r.dead], [2, 2, 0, 0]);

    const [en] = sink.to(p.withAccount.email);
    assert.ok(en, 'the English-language registrant got the message');
    assert.equal(en.subject, 'Renew kitab.az before 2 April 2026');
    assert.match(en.text, /The registration of the domain name kitab\.az expires on 2 April 2026\./);
    assert.match(en.text, /ask your registrar, Registrar Bir MMC, to renew it before that date \(clause 6\.1 of the Rules\)/);
    assert.equal(en.headers.get('content-language'), 'en');
    assert.match(en.headers.get('from') ?? '', /noreply@nic\.az/);

    const [az] = sink.to(p.noAccount.email);
    assert.ok(az, 'the registrant without an account got the message');
    assert.equal(az.subject, 'kitab.az domen adının qeydiyyatını 02.04.2026 tarixinədək uzadın');
    assert.match(az.text, /kitab\.az domen adının qeydiyyat müddəti 02\.04\.2026 tarixində başa çatır\./);
    assert.match(az.text, /registratorunuz Registrar Bir MMC vasitəsilə qeydiyyat müddətini uzadın \(Qaydaların 6\.1-ci bəndi\)/);
    assert.equal(az.headers.get('content-language'), 'az');
    assert.match(az.raw, /Content-Transfer-Encoding: quoted-printable/i);

    for (const e of q.queued.filter((x) => x.channel === 'email')) {
      const s = await row(e.id);
      assert.equal(s.status, 'sent');
      assert.equal(s.attempts, 1);
      assert.deepEqual(s.sent_at, t.clock.now());
    }
    assert.equal((await deliver()).claimed, 0, 'nothing is sent twice');
    assert.equal(sink.messages.length, 2);
  });

  it('SMTP down: the messages wait with backoff, nothing is lost; back up: each arrives exactly once', async () => {
    const q = await queue([{ contact: p.noAccount.handle }, { email: 'ops@registrar.example.az', lang: 'ru' }, { staff: true }], 'renewal-request:ders.az:2026-04-02', 'ders.az');
    const emails = q.queued.filter((x) => x.channel === 'email').map((x) => x.id);
    assert.equal(emails.length, 4);
    const port = sink.port;
    await sink.stop();
    const before = sink.messages.length;

    const first = await deliver();
    assert.deepEqual([first.claimed, first.sent, first.retrying, first.dead], [4, 0, 4, 0]);
    for (const id of emails) {
      const s = await row(id);
      assert.equal(s.status, 'pending');
      assert.equal(s.attempts, 1);
      assert.match(s.last_error ?? '', /ECONNREFUSED|connect/i);
      assert.deepEqual(s.next_attempt_at, new Date(t.clock.now().getTime() + MINUTE), 'the first retry in 1 minute');
    }
    await assert.rejects(retryNotifications(t.reg, operator, { id: emails[0]! }), /still pending: it is retried by itself/);
    t.clock.advance(30_000);
    assert.equal((await deliver()).claimed, 0, 'not before the backoff has passed');
    t.clock.advance(30_000);
    const second = await deliver();
    assert.equal(second.retrying, 4);
    assert.deepEqual((await row(emails[0]!)).next_attempt_at, new Date(t.clock.now().getTime() + 2 * MINUTE), 'then 2 minutes');
    assert.equal(sink.messages.length, before);

    await sink.start(port);
    t.clock.advance(MINUTE);
    assert.equal((await deliver()).claimed, 0, 'the server is back, but the backoff has not passed');
    t.clock.advance(MINUTE);
    const third = await deliver();
    assert.deepEqual([third.claimed, third.sent], [4, 4]);
    assert.equal((await deliver()).claimed, 0);
    const got = sink.messages.slice(before);
    assert.deepEqual(got.map((m) => m.notificationId).sort((a, b) => a - b), emails, 'each message exactly once');
    const ru = got.find((m) => m.envelopeTo.includes('ops@registrar.example.az'))!;
    assert.equal(ru.subject, 'Продлите регистрацию ders.az до 02.04.2026');
    assert.match(ru.text, /Срок регистрации доменного имени ders\.az истекает 02\.04\.2026\./);
    for (const id of emails) assert.equal((await row(id)).attempts, 3);
  });

  it('backoff doubles from 1 minute and is capped at 6 hours', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffMs(n) / MINUTE), [1, 2, 4, 8, 16]);
    assert.equal(backoffMs(30), 6 * 60 * MINUTE);
  });

  it('after the last attempt a message is dead; a permanent refusal (550) at once; `retry` sends them', async () => {
    sink.refuse.set('greylisted@example.az', 450);
    sink.refuse.set('nobody@example.az', 550);
    const a = await queue({ email: 'greylisted@example.az' }, 'dead-1', 'bir.az');
    const b = await queue({ email: 'nobody@example.az' }, 'dead-2', 'iki.az');
    const [ida, idb] = [a.queued[0]!.id, b.queued[0]!.id];
    const r1 = await deliver({ maxAttempts: 3 });
    assert.deepEqual([r1.retrying, r1.dead], [1, 1]);
    assert.equal((await row(idb)).status, 'dead');
    assert.match((await row(idb)).last_error ?? '', /550/);
    for (let i = 0; i < 2; i++) { t.clock.advance(backoffMs(i + 1)); await deliver({ maxAttempts: 3 }); }
    const dead = await row(ida);
    assert.deepEqual([dead.status, dead.attempts], ['dead', 3]);
    assert.match(dead.last_error ?? '', /450/);
    t.clock.advance(7 * 3600_000);
    assert.equal((await deliver({ maxAttempts: 3 })).claimed, 0, 'dead messages are not tried again by themselves');

    sink.refuse.clear();
    assert.deepEqual(await retryNotifications(t.reg, operator, { id: ida }), [ida]);
    assert.deepEqual(await retryNotifications(t.reg, operator, { allDead: true }), [idb]);
    const audit = await t.reg.db.selectFrom('audit_log').select(['object_id', 'actor_id']).where('operation', '=', 'notification.retry').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.object_id), [String(ida), String(idb)], 'each retry is in the audit log');
    await assert.rejects(retryNotifications(t.reg, operator, { id: ida + 10_000 }), /no notification/);
    await assert.rejects(retryNotifications(t.reg, { type: 'registrar', registrarId: p.registrarId }, { allDead: true }), /only the National Administrator/);
    const r2 = await deliver({ maxAttempts: 3 });
    assert.equal(r2.sent, 2);
    assert.equal(sink.to('greylisted@example.az').length, 1);
    assert.equal(sink.to('nobody@example.az').length, 1);
    await assert.rejects(retryNotifications(t.reg, operator, { id: ida }), /already sent/);
    assert.deepEqual((await listNotifications(t.reg, { status: 'dead' })).length, 0);
    await assert.rejects(listNotifications(t.reg, { status: 'lost' }), /status is pending, sent or dead/);
  });

  it('two senders at once (two connections on PostgreSQL) deliver each message exactly once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push((await queue({ email: `bulk${i}@example.az` }, `bulk-${i}`, `bulk${i}.az`)).queued[0]!.id);
    const before = sink.messages.length;
    const t2 = smtpTransport(sink.url);
    const drain = async (tr: MailTransport) => {
      let sent = 0;
      for (;;) { const r = await deliverPending(t.reg, { transport: tr, limit: 4 }); if (!r.claimed) return sent; sent += r.sent; }
    };
    const [s1, s2] = await Promise.all([drain(transport), drain(t2)]);
    assert.equal(s1 + s2, 30);
    // On PostgreSQL the two run on two connections at once and share the work; PGlite has one connection.
    if (onPostgres) assert.ok(s1 > 0 && s2 > 0, `both senders took part (${s1} and ${s2})`);
    const got = sink.messages.slice(before).map((m) => m.notificationId).sort((a, b) => a - b);
    assert.deepEqual(got, ids, 'every message once, none twice');
    const notSent = await t.reg.db.selectFrom('notifications').select('id').where('id', 'in', ids).where('status', '!=', 'sent').execute();
    assert.equal(notSent.length, 0);
  });

  it('without DOMEN_SMTP_URL and no transport, a pass says what to set and sends nothing', async () => {
    const saved = process.env.DOMEN_SMTP_URL;
    delete process.env.DOMEN_SMTP_URL;
    try {
      await assert.rejects(deliverPending(t.reg), /DOMEN_SMTP_URL is not set/);
    } finally { if (saved !== undefined) process.env.DOMEN_SMTP_URL = saved; }
  });
});
