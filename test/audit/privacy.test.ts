// Personal data (R8.8): the subject-access export, and the retention purge that erases a deleted registrant's
// data from the contact, its history and its audit entries while the history rows and the audit chain remain.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { registryError } from '../helpers/expect.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createContact, deleteContact, updateContact } from '../../src/core/contacts.ts';
import { createUser } from '../../src/core/registrars.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { exportSubject } from '../../src/privacy/export.ts';
import { DEFAULT_RETENTION_DAYS, RETENTION_SETTING, purgeCandidates, purgePersonalData, retentionDays } from '../../src/privacy/purge.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { addListEntry } from '../../src/core/policy-lists.ts';
import { withdrawApplication } from '../../src/core/applications.ts';

let t: TestRegistry;
let r1: Actor;
let userId = 0;
let appId = 0;
const SURNAME = 'Məmmədova-Testova';
const EMAIL = 'ulviyye@mail.example.az';

/**
 * Rows of a table whose text mentions the surname. The user account (and its own history) is not a registration:
 * it is closed by its own procedure, not by the retention of deleted contacts (docs/privacy.md).
 */
async function mentions(table: 'contacts' | 'object_history' | 'audit_log'): Promise<number> {
  const notUser = table === 'contacts' ? sql`true` : sql`x.object_type <> 'user'`;
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} x where x::text like ${`%${SURNAME}%`} and ${notUser}`.execute(t.reg.db);
  return r.rows[0]!.n;
}

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'reg-pv');
  userId = (await createUser(t.reg, operator, { email: EMAIL, name: `Ülviyyə ${SURNAME}`, role: 'registrant', password: 'Registrant-Pass-1' })).id;
  await createContact(t.reg, operator, {
    handle: 'pv-ulv', registrarId: 'reg-pv', accountId: userId, kind: 'natural', givenName: 'Ülviyyə', familyName: SURNAME, citizenship: 'AZ',
    street: ['Füzuli küç. 7'], city: 'Gəncə', cc: 'AZ', voice: '+994.502223344', email: EMAIL, idSeries: 'AZE', idNumber: '87654321', tin: '1234567891',
  });
  await addPerson(t.reg, r1, 'pv-other');
  await addPerson(t.reg, r1, 'pv-recent');
  await addPerson(t.reg, r1, 'pv-live');
  await createDomain(t.reg, r1, { name: 'ulviyye.az', registrant: 'pv-ulv', contacts: [{ type: 'admin', handle: 'pv-ulv' }] });
  await createDomain(t.reg, r1, { name: 'other-pv.az', registrant: 'pv-other', contacts: [{ type: 'tech', handle: 'pv-ulv' }] });
  await updateContact(t.reg, r1, { handle: 'pv-ulv', set: { voice: '+994.509998877' } });
  // A name held back for review: an application with pv-ulv as registrant, later withdrawn.
  await addListEntry(t.reg, operator, 'reserved', 'ulvi-rezerv', 'exact', null);
  const app = await createDomain(t.reg, r1, { name: 'ulvi-rezerv.az', registrant: 'pv-ulv', authInfo: 'Ulv-Secret-77' });
  assert.equal(app.status, 'pending');
  appId = app.status === 'pending' ? app.application.id : 0;
  await withdrawApplication(t.reg, r1, appId);
  // The portal's traces of the account: a web session and sign-in attempts (as src/web/auth writes them), and
  // notices to the account (e-mail and inbox).
  await sql`insert into web_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
    values ('h-pv', ${userId}, 'csrf-pv', now(), now(), now() + interval '1 day', '198.51.100.7', 'Firefox/pv')`.execute(t.reg.db);
  await sql`insert into login_attempts (email, ip, at, success) values (${EMAIL}, '198.51.100.7', now(), false), (${EMAIL}, '198.51.100.7', now(), true),
    ('someone-else@example.az', '198.51.100.8', now(), true)`.execute(t.reg.db);
  await sql`insert into notifications (dedupe_key, channel, recipient, user_id, template, lang, params, subject, status, attempts, next_attempt_at, created_at, operation, actor)
    values ('pv-1', 'email', ${EMAIL}, ${userId}, 'x', 'az', ${JSON.stringify({ name: `Ülviyyə ${SURNAME}` })}::jsonb, ${`Hörmətli ${SURNAME}`}, 'sent', 1, now(), now(), 'test', 'system:cli')`.execute(t.reg.db);
});
after(async () => { await t?.close(); });

describe('subject access export', () => {
  test('by contact: the contact, its domains by role, its history and the audit entries naming it; no secrets', async () => {
    const x = await exportSubject(t.reg.db, { contact: 'pv-ulv' }, t.clock.now());
    assert.equal(x.contacts.length, 1);
    assert.equal(x.contacts[0]!.family_name, SURNAME);
    assert.equal(x.user?.email, EMAIL);
    assert.deepEqual(x.domains.map((d) => `${String(d.role)}:${String(d.name)}`).sort(), ['admin:ulviyye.az', 'registrant:ulviyye.az', 'tech:other-pv.az']);
    assert.deepEqual(x.history.map((h) => h.operation), ['contact.create', 'contact.update']);
    const ops = x.audit.map((a) => `${String(a.operation)}:${String(a.objectId)}`);
    for (const want of ['contact.create:pv-ulv', 'contact.update:pv-ulv', 'domain.create:ulviyye.az', 'domain.create:other-pv.az', `user.create:${userId}`]) {
      assert.ok(ops.includes(want), `${want} in ${ops.join(', ')}`);
    }
    assert.ok(!ops.includes('contact.create:pv-other'), 'nothing about another person');
    const text = JSON.stringify(x);
    assert.ok(!/password_hash|auth_info|authInfo|csrf|h-pv|Ulv-Secret/.test(text), 'no passwords, authInfo, session ids');
    assert.deepEqual(x.applications.map((a) => a.name), ['ulvi-rezerv.az']);
    assert.deepEqual(x.sessions.map((w) => [w.ip, w.user_agent]), [['198.51.100.7', 'Firefox/pv']]);
    assert.deepEqual(x.loginAttempts.map((l) => l.success), [false, true]);
    assert.ok(x.notifications.some((n) => String(n.subject).includes(SURNAME)));
  });

  test('by user e-mail: the account and its contacts; an unknown subject is a clear error', async () => {
    const x = await exportSubject(t.reg.db, { user: EMAIL.toUpperCase() }, t.clock.now());
    assert.equal(x.user?.id, userId);
    assert.deepEqual(x.contacts.map((c) => c.handle), ['pv-ulv']);
    assert.equal(x.domains.length, 3);
    await assert.rejects(exportSubject(t.reg.db, { contact: 'pv-nobody' }, t.clock.now()), registryError({ kind: 'notFound', message: /no contact pv-nobody/ }));
    await assert.rejects(exportSubject(t.reg.db, { user: 'nobody@example.az' }, t.clock.now()), registryError({ kind: 'notFound', message: /no user/ }));
  });
});

describe('retention purge', () => {
  test('the period: the setting, else DOMEN_RETENTION_DAYS, else five years; bad values refused', async () => {
    assert.equal(await retentionDays(t.reg, {}), DEFAULT_RETENTION_DAYS);
    assert.equal(await retentionDays(t.reg, { DOMEN_RETENTION_DAYS: '30' }), 30);
    await assert.rejects(retentionDays(t.reg, { DOMEN_RETENTION_DAYS: 'soon' }), /DOMEN_RETENTION_DAYS must be a whole number of days/);
    await t.reg.db.insertInto('settings').values({ key: RETENTION_SETTING, value: '400' }).execute();
    try {
      assert.equal(await retentionDays(t.reg, { DOMEN_RETENTION_DAYS: '30' }), 400);
    } finally {
      await t.reg.db.deleteFrom('settings').where('key', '=', RETENTION_SETTING).execute();
    }
    await assert.rejects(purgePersonalData(t.reg, { olderThanDays: 0 }), registryError({ kind: 'range', message: /--older-than must be a whole number/ }));
  });

  test('erases a deleted registrant after the period; keeps history rows, live and recent contacts; the chain verifies', async () => {
    await deleteDomain(t.reg, r1, 'ulviyye.az');
    await deleteDomain(t.reg, r1, 'other-pv.az');
    await deleteContact(t.reg, r1, 'pv-ulv');
    t.clock.advanceDays(DEFAULT_RETENTION_DAYS - 10);
    await deleteContact(t.reg, r1, 'pv-recent');
    assert.deepEqual((await purgeCandidates(t.reg)).handles, [], 'not before the period has passed');
    t.clock.advanceDays(11);

    const historyBefore = await t.reg.db.selectFrom('object_history').select(['version', 'operation', 'at']).where('object_id', '=', 'pv-ulv').orderBy('version').execute();
    const auditBefore = await t.reg.db.selectFrom('audit_log').select(['seq', 'operation', 'hash']).where('object_id', '=', 'pv-ulv').orderBy('seq').execute();
    assert.ok(await mentions('audit_log') >= 3);
    assert.deepEqual((await purgeCandidates(t.reg)).handles, ['pv-ulv']);

    const r = await purgePersonalData(t.reg);
    assert.deepEqual(r.contacts, ['pv-ulv']);
    // The contact's entries, and those of its application and of the account tied to it.
    const linkedAudit = await t.reg.db.selectFrom('audit_log').select('seq').where((eb) => eb.or([
      eb.and([eb('object_type', '=', 'application'), eb('object_id', '=', String(appId))]),
      eb.and([eb('object_type', '=', 'user'), eb('object_id', '=', String(userId))])])).execute();
    assert.ok(linkedAudit.length >= 2);
    assert.equal(r.auditEntries, auditBefore.length + linkedAudit.length);
    assert.equal(r.historyVersions, historyBefore.length);

    // The person is gone from every table ...
    assert.equal(await mentions('contacts'), 0);
    assert.equal(await mentions('object_history'), 0);
    assert.equal(await mentions('audit_log'), 0);
    // ... the structure stays: the tombstone, every version, every audit entry with its place and hash.
    const c = await t.reg.db.selectFrom('contacts').selectAll().where('handle', '=', 'pv-ulv').executeTakeFirstOrThrow();
    assert.equal(c.given_name, null);
    assert.equal(c.email, '');
    assert.equal(c.id_number, null);
    assert.equal(c.cc, 'AZ');
    assert.ok(c.purged_at && c.deleted_at);
    const historyAfter = await t.reg.db.selectFrom('object_history').select(['version', 'operation', 'at', 'snapshot']).where('object_id', '=', 'pv-ulv').orderBy('version').execute();
    assert.deepEqual(historyAfter.map(({ snapshot: _s, ...h }) => h), historyBefore.map((h) => ({ ...h })));
    const snap = historyAfter[0]!.snapshot as Record<string, unknown>;
    assert.equal(snap.handle, 'pv-ulv');
    assert.equal(snap.familyName, null);
    assert.deepEqual(snap.street, []);
    const auditAfter = await t.reg.db.selectFrom('audit_log').select(['seq', 'operation', 'hash', 'redacted_at']).where('object_id', '=', 'pv-ulv')
      .where('operation', '!=', 'privacy.purge').orderBy('seq').execute();
    assert.deepEqual(auditAfter.map(({ redacted_at: _r, ...a }) => a), auditBefore.map((a) => ({ ...a })));
    assert.ok(auditAfter.every((a) => a.redacted_at !== null));

    const v = await verifyChain(t.reg.db);
    assert.deepEqual(v.problems, []);
    assert.equal(v.redacted, r.auditEntries);

    // Others untouched; a second run erases nothing more.
    const others = await t.reg.db.selectFrom('contacts').select(['handle', 'family_name', 'purged_at']).where('handle', 'in', ['pv-recent', 'pv-live', 'pv-other']).orderBy('handle').execute();
    assert.deepEqual(others.map((o) => [o.handle, o.family_name, o.purged_at]), [['pv-live', 'Quliyeva', null], ['pv-other', 'Quliyeva', null], ['pv-recent', 'Quliyeva', null]]);
    assert.deepEqual((await purgePersonalData(t.reg)).contacts, []);

    const x = await exportSubject(t.reg.db, { contact: 'pv-ulv' }, t.clock.now());
    assert.equal(x.contacts[0]!.family_name, null);
    assert.ok(!JSON.stringify(x).includes(SURNAME), 'nothing names the person any more');
  });

  test('with the registrant: the account tied to it, the application request, notices, sign-ins and sessions', async () => {
    // (after the purge above) The account had only pv-ulv: it is closed and anonymous; its row and history stay.
    const u = await t.reg.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    assert.deepEqual([u.email, u.name, u.active, u.password_hash], [`purged-${userId}@invalid`, '', false, '!purged']);
    const all = sql<{ n: number }>`select (select count(*) from users x where x::text like ${`%${SURNAME}%`})
      + (select count(*) from object_history x where x::text like ${`%${SURNAME}%`}) + (select count(*) from audit_log x where x::text like ${`%${SURNAME}%`})
      + (select count(*) from notifications x where x::text like ${`%${SURNAME}%`}) + (select count(*) from inbox_messages x where x::text like ${`%${SURNAME}%`}) as n`;
    assert.equal(Number((await all.execute(t.reg.db)).rows[0]!.n), 0, 'no table names the person');
    const app = await t.reg.db.selectFrom('applications').select(['name', 'request', 'status']).where('id', '=', appId).executeTakeFirstOrThrow();
    assert.equal(app.name, 'ulvi-rezerv.az');
    assert.equal(app.status, 'withdrawn');
    assert.equal((app.request as { authInfo: unknown }).authInfo, null);
    assert.ok(!JSON.stringify(await t.reg.db.selectFrom('audit_log').select(['before', 'after']).where('object_type', '=', 'application').execute()).includes('Ulv-Secret'));
    assert.deepEqual(await t.reg.db.selectFrom('web_sessions').select('id_hash').where('user_id', '=', userId).execute(), []);
    assert.deepEqual((await t.reg.db.selectFrom('login_attempts').select('email').execute()).map((l) => l.email), ['someone-else@example.az']);
    const n = await t.reg.db.selectFrom('notifications').select(['recipient', 'subject', 'params', 'template']).where('dedupe_key', '=', 'pv-1').executeTakeFirstOrThrow();
    assert.deepEqual([n.recipient, n.subject, n.params, n.template], ['purged@invalid', '', {}, 'x']);
    const v = await verifyChain(t.reg.db);
    assert.deepEqual(v.problems, []);
    await assert.rejects(exportSubject(t.reg.db, { user: EMAIL }, t.clock.now()), /no user/);
  });

  test('a redacted entry edited afterwards, or an entry falsely marked redacted, is named by verify', async () => {
    const red = await t.reg.db.selectFrom('audit_log').select(['seq']).where('object_id', '=', 'pv-ulv').where('redacted_at', 'is not', null).orderBy('seq').executeTakeFirstOrThrow();
    const plain = await t.reg.db.selectFrom('audit_log').select(['seq']).where('object_id', '=', 'pv-live').orderBy('seq').executeTakeFirstOrThrow();
    class Rollback extends Error { constructor(readonly value: unknown) { super('rollback'); } }
    let result: Awaited<ReturnType<typeof verifyChain>> | undefined;
    await t.reg.db.transaction().execute(async (tx) => {
      await sql`update audit_log set after = jsonb_set(after, '{familyName}', '"Someone"') where seq = ${red.seq}`.execute(tx);
      await sql`update audit_log set after = jsonb_set(after, '{familyName}', 'null'::jsonb), redacted_at = now() where seq = ${plain.seq}`.execute(tx);
      result = await verifyChain(tx);
      throw new Rollback(null);
    }).catch((e: unknown) => { if (!(e instanceof Rollback)) throw e; });
    assert.deepEqual(result!.problems.map((p) => `${p.kind}@${p.seq}`).sort(), [`edited@${red.seq}`, `redaction@${plain.seq}`].sort());
    assert.equal((await verifyChain(t.reg.db)).ok, true);
  });
});
