// `domen worker once --at` run at the same moment from two processes on one PostgreSQL database: every
// suspension is done once and every notice reaches the real SMTP server once (issue 6, "Must show").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { onPostgres, testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { CliHarness, show } from '../cli/harness.ts';
import { MailSink } from '../notify/mail-sink.ts';
import { addDays } from '../../src/core/clock.ts';
import { createDomain } from '../../src/core/domains/create.ts';

const skip = onPostgres ? false : 'two worker processes share one database only on PostgreSQL (set DOMEN_TEST_DATABASE_URL)';

let t: TestRegistry;
let h: CliHarness;
const mail = new MailSink();
const EXPIRING = 24;
const RENEWING = 12;

before(async () => {
  if (skip) return;
  t = await testRegistry({ start: '2026-01-10T09:00:00Z' });
  const r = await addRegistrar(t.reg, 'reg-w1');
  await addNameServers(t.reg, r, 'w1-dns.net');
  for (let i = 0; i < 4; i++) await addPerson(t.reg, r, `w-own${i}`);
  for (let i = 0; i < EXPIRING; i++) {
    await createDomain(t.reg, r, { name: `muddet${i}.az`, registrant: `w-own${i % 4}`, hosts: ['ns1.w1-dns.net', 'ns2.w1-dns.net'] });
  }
  // These expire a month after the others: due for the renewal request (R6.1) at the same run.
  t.clock.set('2026-02-10T09:00:00Z');
  for (let i = 0; i < RENEWING; i++) {
    await createDomain(t.reg, r, { name: `yenile${i}.az`, registrant: `w-own${i % 4}`, hosts: ['ns1.w1-dns.net', 'ns2.w1-dns.net'] });
  }
  await mail.start();
  h = await CliHarness.create({ databaseUrl: t.url! });
});
after(async () => {
  await h?.cleanup();
  await mail.stop();
  await t?.close();
});

test('two `worker once` processes at once: each suspension once, each e-mail once', { skip }, async () => {
  const at = addDays(new Date('2027-01-10T09:00:00Z'), 0.5).toISOString();
  const env = { DOMEN_SMTP_URL: mail.url, DOMEN_MAIL_FROM: 'noreply@nic.az' };
  const [a, b] = await Promise.all([
    h.run(['worker', 'once', '--at', at, '--json'], { env }),
    h.run(['worker', 'once', '--at', at, '--json'], { env }),
  ]);
  assert.equal(a.code, 0, show(a));
  assert.equal(b.code, 0, show(b));
  const done = (r: typeof a, name: string) => (JSON.parse(r.stdout) as { results: { name: string; done: number }[] }).results.find((x) => x.name === name)!.done;
  assert.equal(done(a, 'expiry-suspension') + done(b, 'expiry-suspension'), EXPIRING);
  assert.equal(done(a, 'renewal-request') + done(b, 'renewal-request'), RENEWING);

  const audit = await t.db.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('operation', '=', 'domain.expire').where('object_type', '=', 'domain').executeTakeFirstOrThrow();
  assert.equal(Number(audit.n), EXPIRING, 'one suspension operation per domain');
  const held = await t.db.db.selectFrom('domains').select('name').where(sql<boolean>`'serverHold' = any(statuses)`).execute();
  assert.equal(held.length, EXPIRING);

  // The e-mail: one 'suspended' and one renewal request per domain, to its owner, none twice.
  const suspended = mail.messages.filter((m) => /muddet\d+\.az/.test(m.subject));
  const renewals = mail.messages.filter((m) => /yenile\d+\.az/.test(m.subject));
  assert.equal(suspended.length, EXPIRING, mail.messages.map((m) => m.subject).join('\n'));
  assert.equal(renewals.length, RENEWING);
  const ids = mail.messages.map((m) => m.notificationId);
  assert.equal(new Set(ids).size, ids.length, 'no notification sent twice');
  for (const m of suspended) assert.ok(m.envelopeTo[0]!.endsWith('@mail.example.az'));
  // A third run later the same day has nothing left to do.
  const c = await h.run(['worker', 'once', '--at', addDays(new Date(at), 0.1).toISOString(), '--json'], { env });
  assert.equal(done(c, 'expiry-suspension'), 0);
  assert.equal(done(c, 'renewal-request'), 0);
  assert.equal(mail.messages.length, EXPIRING + RENEWING);
});
