// `domen notify list|show|retry|send-pending`, `domen inbox list`, and the sender in `domen serve`, against a real
// SMTP server; on PostgreSQL when DOMEN_TEST_DATABASE_URL is set. The commands run in-process through runCli (the
// code of `bin/domen.js`); two concurrent senders and the server are separate processes, as a user runs them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CliHarness, show, waitFor, type RunResult } from '../cli/harness.ts';
import { createPgDatabase, onPostgres } from '../helpers/registry.ts';
import { MailSink } from './mail-sink.ts';
import { queueNotices } from './queue.ts';

function ok(r: RunResult): RunResult { assert.equal(r.code, 0, show(r)); return r; }
function fails(r: RunResult, re: RegExp): RunResult { assert.notEqual(r.code, 0, show(r)); assert.match(r.stderr, re, show(r)); return r; }

describe('domen notify and inbox commands', () => {
  let h: CliHarness;
  let drop = async () => {};
  const sink = new MailSink();
  let smtp: Record<string, string>;
  before(async () => {
    let databaseUrl: string | undefined;
    if (onPostgres) { const d = await createPgDatabase(); databaseUrl = d.url; drop = d.drop; }
    h = await CliHarness.create(databaseUrl ? { databaseUrl } : {});
    await sink.start(0);
    smtp = { DOMEN_SMTP_URL: sink.url, DOMEN_MAIL_FROM: 'hostmaster@nic.example.az' };
    ok(await h.cli(['migrate']));
  });
  after(async () => { await h?.cleanup(); await sink.stop(); await drop(); });

  const queue = async (prefix: string, count: number, userEmail?: string): Promise<number[]> => queueNotices(await h.registry(), prefix, count, userEmail);

  it('list shows the queue; send-pending sends what is due; inbox list shows the account inbox', async () => {
    const ids = await queue('cl', 2, 'leyla@mail.example.az');
    const list = JSON.parse(ok(await h.cli(['notify', 'list', '--status', 'pending', '--json'])).stdout) as { id: number; recipient: string; lang: string; subject: string }[];
    assert.deepEqual(list.map((n) => n.recipient).sort(), ['cl-0@example.az', 'cl-1@example.az', 'leyla@mail.example.az']);
    assert.equal(list.find((n) => n.recipient === 'cl-1@example.az')!.subject, 'cl1.az domen adının qeydiyyatını 15.01.2027 tarixinədək uzadın');
    assert.equal(list.find((n) => n.recipient === 'leyla@mail.example.az')!.subject, 'Service for cl-inbox.az restored');
    assert.match(ok(await h.cli(['notify', 'list'])).stdout, /^3 pending, 1 sent, 0 dead\n/);

    fails(await h.cli(['notify', 'send-pending']), /DOMEN_SMTP_URL is not set/);
    const sent = ok(await h.cli(['notify', 'send-pending'], { env: smtp }));
    assert.match(sent.stdout, /^3 due: 3 sent, 0 to retry, 0 dead/);
    const m = sink.to('cl-0@example.az');
    assert.equal(m.length, 1);
    assert.match(m[0]!.headers.get('from') ?? '', /hostmaster@nic\.example\.az/);
    assert.match(m[0]!.text, /cl0\.az domen adının qeydiyyat müddəti 15\.01\.2027 tarixində başa çatır/);
    assert.match(sink.to('leyla@mail.example.az')[0]!.text, /The maintenance of the domain name cl-inbox\.az was restored on/);

    const box = ok(await h.cli(['inbox', 'list', 'LEYLA@mail.example.az']));
    assert.match(box.stdout, /Leyla Həsənova <leyla@mail\.example\.az> \(en\): 1 message/);
    assert.match(box.stdout, /Service for cl-inbox\.az restored/);
    fails(await h.cli(['inbox', 'list', 'nobody@mail.example.az']), /no user with the e-mail address nobody@mail\.example\.az/);

    const one = ok(await h.cli(['notify', 'show', String(ids[0])]));
    assert.match(one.stdout, /notification \d+: sent, email to cl-0@example\.az \(az\), renewal\.request, 1 attempt/);
    assert.match(one.stdout, /Subject: cl0\.az domen adının qeydiyyatını 15\.01\.2027 tarixinədək uzadın/);
  });

  it('two send-pending processes at once send each message exactly once', async () => {
    const ids = await queue('par', 12);
    const before = sink.messages.length;
    const [a, b] = await Promise.all([
      h.run(['notify', 'send-pending', '--limit', '6', '--json'], { env: smtp }),
      h.run(['notify', 'send-pending', '--limit', '6', '--json'], { env: smtp }),
    ]);
    const ra = JSON.parse(ok(a).stdout) as { sent: number };
    const rb = JSON.parse(ok(b).stdout) as { sent: number };
    assert.equal(ra.sent + rb.sent, 12);
    assert.deepEqual(sink.messages.slice(before).map((x) => x.notificationId).sort((x, y) => x - y), ids);
  });

  it('a refused address goes to the dead-letter list; retry --all-dead sends it once the address works', async () => {
    sink.refuse.set('dl-0@example.az', 550);
    const [id] = await queue('dl', 1);
    assert.match(ok(await h.cli(['notify', 'send-pending'], { env: smtp })).stdout, /1 due: 0 sent, 0 to retry, 1 dead\n {2}\d+: .*550/);
    const dead = JSON.parse(ok(await h.cli(['notify', 'list', '--status', 'dead', '--json'])).stdout) as { id: number; lastError: string }[];
    assert.deepEqual(dead.map((d) => d.id), [id]);
    assert.match(dead[0]!.lastError, /550/);
    fails(await h.cli(['notify', 'retry']), /name one notification id or --all-dead/);
    sink.refuse.clear();
    assert.equal(ok(await h.cli(['notify', 'retry', '--all-dead'])).stdout, `queued again: ${id}\n`);
    assert.match(ok(await h.cli(['notify', 'send-pending'], { env: smtp })).stdout, /^1 due: 1 sent/);
    assert.equal(sink.to('dl-0@example.az').length, 1);
    fails(await h.cli(['notify', 'retry', String(id)]), /was already sent/);
  });

  it('domen serve with DOMEN_SMTP_URL sends queued e-mail by itself', async () => {
    const ids = await queue('srv', 3);
    const before = sink.messages.length;
    if (!onPostgres) await h.closeInProcess();
    const server = h.spawnServer(['serve', '--only', 'http,notify'], { env: { ...smtp, DOMEN_NOTIFY_INTERVAL: '0.5' } });
    try {
      await h.waitForHealth(server);
      assert.match(server.stdout(), /notify {5}e-mail through smtp:\/\/127\.0\.0\.1:\d+ from hostmaster@nic\.example\.az, every 0\.5 s/);
      await waitFor('the three messages', () => sink.messages.length - before >= 3, 30_000);
      assert.deepEqual(sink.messages.slice(before).map((x) => x.notificationId).sort((x, y) => x - y), ids);
      // Queued while it runs (a forwarded command on PGlite cannot queue; PostgreSQL lets any process write).
      if (onPostgres) {
        const more = await queue('srv2', 1);
        await waitFor('the message queued while serving', () => sink.messages.some((x) => x.notificationId === more[0]), 30_000);
      }
    } finally {
      const r = await h.stop(server);
      assert.equal(r.code, 0, show(r));
    }
    assert.equal(new Set(sink.messages.map((x) => x.notificationId)).size, sink.messages.length, 'nothing was sent twice');
  });
});
