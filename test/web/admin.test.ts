// The National Administrator's console without a browser: who sees and who may change each section; the Stop-list
// journey (a word added in the console refuses a matching application on the ground R5.1.5); statistics with SVG
// charts and their JSON; the audit log with the chain's verification; accreditation with its R9.3 checklist and
// 20-working-day clock; registrar suspension; disputes with locks and transfer to the complainant; abuse reports
// from the public form to a notice and a suspension that needs a ground of R7.4.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { loginRecord } from '../../src/core/registrars.ts';
import { verifyPassword } from '../../src/core/passwords.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { requestTransfer } from '../../src/core/transfers.ts';
import type { RegistryError } from '../../src/core/errors.ts';
import { ALL_ROLES, type PortalRole } from '../../src/web/auth/principal.ts';
import { setPrice } from '../../src/billing/prices.ts';
import { addRegistrar, operator } from '../helpers/fixtures.ts';
import { assertLabelled, pageClient, signInAs, signInEveryRole, webWorld, type Signed, type WebWorld } from './setup.ts';

let w: WebWorld;
let s: Record<PortalRole, Signed>;
let client: ReturnType<typeof pageClient>;
before(async () => {
  w = await webWorld({ domains: 3 });
  s = await signInEveryRole(w);
  client = pageClient(w);
});
after(async () => { await w?.app.close(); await w?.t.close(); });

const get = (who: Signed | null, url: string) => client.get(who, url);
const post = (who: Signed | null, url: string, form: Record<string, string>) => client.post(who, url, form);
const api = (who: Signed | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => w.app.inject({
  method, url, headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}, ...(payload ? { payload } : {}),
});
/** The text of the page's status or alert notice. */
const unescape = (t: string) => t.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const noticeOf = (res: LightMyRequestResponse) => (/<p class="notice (ok|error)" role="(?:status|alert)">([^<]*)<\/p>/.exec(res.body)?.slice(1) ?? []).map(unescape);


describe('console sections', () => {
  const READ = ['na_admin', 'na_staff', 'ministry'];
  const pages: [string, string[]][] = [
    ['/admin/lists?list=stop', READ], ['/admin/zones', READ], ['/admin/registrars', READ], ['/admin/accreditation', READ],
    ['/admin/disputes', READ], ['/admin/abuse', READ], ['/admin/statistics', READ], ['/admin/audit', ['na_admin', 'na_staff']],
  ];
  test('each section: 200 with labelled fields for its roles, 403 for the others, sign-in for anonymous', async () => {
    for (const [url, roles] of pages) {
      for (const role of ALL_ROLES) {
        const res = await get(s[role], url);
        assert.equal(res.statusCode, roles.includes(role) ? 200 : 403, `${url} as ${role}`);
        if (res.statusCode === 200) assertLabelled(res, `${url} as ${role}`);
      }
      assert.equal((await get(null, url)).statusCode, 303, `${url} anonymous`);
    }
  });

  test('the ministry reads without forms; its writes are refused', async () => {
    const page = await get(s.ministry, '/admin/lists?list=stop&lang=en');
    assert.match(page.body, /Read only/);
    assert.doesNotMatch(page.body, /action="\/admin\/lists\/add"/);
    const res = await post(s.ministry, '/admin/lists/add', { list: 'stop', word: 'nazirlik', match: 'exact' });
    assert.equal(res.statusCode, 403);
    assert.equal((await api(s.ministry, 'POST', '/api/lists/stop', { word: 'nazirlik' })).statusCode, 403);
    assert.equal((await api(s.na_staff, 'GET', '/api/lists/stop')).json().some((e: { word: string }) => e.word === 'nazirlik'), false);
  });

  test('every section in az, en and ru', async () => {
    const titles: Record<string, [string, string, string]> = {
      '/admin/statistics': ['Statistika', 'Statistics', 'Статистика'],
      '/admin/disputes': ['Mübahisələr', 'Disputes', 'Споры'],
      '/admin/accreditation': ['Akkreditasiya', 'Accreditation', 'Аккредитация'],
    };
    for (const [url, [az, en, ru]] of Object.entries(titles)) {
      for (const [lang, title] of [['az', az], ['en', en], ['ru', ru]] as const) {
        const res = await get(s.na_staff, `${url}?lang=${lang}`);
        assert.match(res.body, new RegExp(`<html lang="${lang}">`));
        assert.match(res.body, new RegExp(`<h1>${title}</h1>`), `${url} ${lang}`);
      }
    }
  });

  test('a form without the CSRF token is refused and changes nothing', async () => {
    const res = await w.app.inject({ method: 'POST', url: '/admin/lists/add', headers: { cookie: s.na_staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'list=stop&word=csrfsiz' });
    assert.equal(res.statusCode, 403);
    assert.equal((await api(s.na_staff, 'GET', '/api/lists/stop')).json().some((e: { word: string }) => e.word === 'csrfsiz'), false);
  });
});

describe('Stop-list journey', () => {
  test('the NA adds a Stop-list word; a matching application is refused with R5.1.5; removed, the name is free', async () => {
    const before = await api(s.registrar_staff, 'POST', '/api/domains', { name: 'qumarxana.az', registrant: 'alpha-owner' });
    assert.equal(before.statusCode, 200, before.body);
    const added = await post(s.na_staff, '/admin/lists/add?lang=en', { list: 'stop', word: 'Qumar', match: 'substring', note: 'gambling' });
    assert.equal(added.statusCode, 200);
    assert.deepEqual(noticeOf(added), ['ok', '"qumar" added to the stop list.']);
    assert.match(added.body, /<td lang="az">qumar<\/td><td>anywhere in the name<\/td><td>gambling<\/td>/);
    const refused = await api(s.registrar_staff, 'POST', '/api/domains', { name: 'onlayn-qumar.az', registrant: 'alpha-owner' });
    assert.equal(refused.statusCode, 422);
    const body = refused.json() as { code: number; reasons: { ground?: string; clause: string; message: string }[] };
    assert.equal(body.code, 2306);
    assert.ok(body.reasons.some((r) => r.ground === 'R5.1.5' && r.clause === 'R4.3'), refused.body);
    // The word again: refused with the clause, the list unchanged.
    const twice = await post(s.na_staff, '/admin/lists/add?lang=en', { list: 'stop', word: 'qumar', match: 'exact' });
    assert.equal(twice.statusCode, 409);
    assert.match(noticeOf(twice)[1]!, /already on the list \(R4\.3\)/);
    const removed = await post(s.na_admin, '/admin/lists/remove?lang=en', { list: 'stop', word: 'qumar' });
    assert.deepEqual(noticeOf(removed), ['ok', '"qumar" removed from the stop list.']);
    const after = await api(s.registrar_staff, 'POST', '/api/domains', { name: 'onlayn-qumar.az', registrant: 'alpha-owner' });
    assert.equal(after.statusCode, 200, after.body);
  });

  test('zones: the NA adds one and restricts it; names in it then need review', async () => {
    const res = await post(s.na_staff, '/admin/zones?lang=en', { label: 'sport', restricted: 'true' });
    assert.deepEqual(noticeOf(res), ['ok', 'Zone sport.az added.']);
    assert.match(res.body, /id="zone-sport\.az"><th scope="row">sport\.az<\/th><td>restricted<\/td><td>yes<\/td>/);
    for (const operation of ['create', 'renew'] as const) await setPrice(w.t.reg, operator, { zone: 'sport.az', operation, amount: 2000, effectiveFrom: w.t.clock.now() });
    const filed = await createDomain(w.t.reg, w.alpha, { name: 'futbol.sport.az', registrant: 'alpha-owner' });
    assert.equal(filed.status, 'pending');
    await post(s.na_staff, '/admin/zones/set', { zone: 'sport.az', restricted: 'false' });
    const direct = await createDomain(w.t.reg, w.alpha, { name: 'voleybol.sport.az', registrant: 'alpha-owner' });
    assert.equal(direct.status, 'created');
    const bad = await post(s.na_staff, '/admin/zones?lang=en', { label: 'no good' });
    assert.equal(bad.statusCode, 400);
  });
});

describe('statistics', () => {
  test('JSON counts match the registry; the page draws them as SVG with a data table', async () => {
    await api(s.registrar_staff, 'POST', '/api/domains/kitab1.az/renew', { periodYears: 1 });
    const live = await w.t.reg.db.selectFrom('domains').select((eb) => eb.fn.countAll<string>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    const res = await api(null, 'GET', '/api/statistics?months=3');
    assert.equal(res.statusCode, 200);
    const st = res.json() as { total: number; months: string[]; activity: { month: string; creates: number; renewals: number }[]; registrars: { registrarId: string; domains: number }[]; domainsByZone: { zone: string; counts: number[] }[] };
    assert.equal(st.total, Number(live.n));
    assert.equal(st.months.length, 3);
    const now = st.activity.at(-1)!;
    assert.equal(now.month, w.t.clock.now().toISOString().slice(0, 7));
    assert.ok(now.renewals >= 1);
    assert.equal(now.creates, Number(live.n));
    const alpha = await w.t.reg.db.selectFrom('domains').select((eb) => eb.fn.countAll<string>().as('n')).where('registrar_id', '=', 'alpha').where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    assert.equal(st.registrars.find((r) => r.registrarId === 'alpha')!.domains, Number(alpha.n));
    assert.equal(st.domainsByZone.find((z) => z.zone === 'az')!.counts.at(-1), Number((await sql<{ n: number }>`select count(*)::int as n from domains where zone = 'az' and deleted_at is null`.execute(w.t.reg.db)).rows[0]!.n));
    const page = await get(s.ministry, '/admin/statistics?lang=en&months=3');
    for (const id of ['chart-zones', 'chart-activity', 'chart-registrars', 'chart-idn', 'chart-dnssec']) {
      assert.match(page.body, new RegExp(`<svg class="chart" id="${id}"[^>]*role="img" aria-labelledby="${id}-t ${id}-d"`));
    }
    assert.match(page.body, new RegExp(`<strong id="stat-total">${st.total}</strong>`));
    assert.match(page.body, /<caption>Creates, renewals and deletions per month<\/caption>/);
    assert.equal((await api(null, 'GET', '/api/statistics?months=0')).statusCode, 400);
  });
});

describe('accreditation and registrar measures', () => {
  test('an application: checklist, 20 working days, no accreditation until every R9.3 item is met, then credentials', async () => {
    const filed = await post(s.na_staff, '/admin/accreditation?lang=en', { registrarId: 'yeni-reg', name: 'Yeni Registrator MMC', email: 'ops@yeni.example.az', legalForm: 'MMC' });
    assert.equal(filed.statusCode, 200, filed.body);
    const list = (await api(s.ministry, 'GET', '/api/accreditations?status=pending')).json() as { id: number; registrarId: string; dueAt: string; receivedAt: string; checklist: { item: string; state: string }[] }[];
    const a = list.find((x) => x.registrarId === 'yeni-reg')!;
    assert.equal(a.checklist.length, 13);
    const cal = await w.t.reg.policy.calendar();
    assert.equal(a.dueAt, cal.deadline(new Date(a.receivedAt), 20).toISOString());
    assert.match(filed.body, new RegExp(`id="accreditation-${a.id}"`));
    assert.match(filed.body, /<th scope="row">R9\.3\.3<\/th><td>two independent IP address blocks<\/td>/);
    assert.match((await get(s.ministry, '/admin/accreditation?lang=ru')).body, /<th scope="row">R9\.3\.3<\/th><td>два независимых блока IP-адресов<\/td>/);
    const early = await post(s.na_staff, `/admin/accreditation/${a.id}/accredit?lang=en`, {});
    assert.equal(early.statusCode, 422);
    assert.match(noticeOf(early)[1]!, /not every requirement of R9\.3 is met: R9\.3\.1, .*\(R9\.3\)/);
    for (const c of a.checklist) {
      const r = await post(s.na_staff, `/admin/accreditation/${a.id}/check`, { item: c.item, state: 'met', note: `${c.item} seen on site` });
      assert.equal(r.statusCode, 200);
    }
    const done = await post(s.na_admin, `/admin/accreditation/${a.id}/accredit?lang=en`, { note: 'agreement signed' });
    const [kind, text] = noticeOf(done);
    assert.equal(kind, 'ok', text);
    const password = /EPP password \(shown only now\): (\S+)/.exec(text!)![1]!;
    const rec = await loginRecord(w.t.reg, 'yeni-reg');
    assert.equal(rec!.status, 'active');
    assert.ok(await verifyPassword(rec!.passwordHash, password));
    // The registrar's first portal user signs in with the password shown once and lands in the registrar portal.
    const portalPassword = /Portal user ops@yeni\.example\.az, password \(shown only now\): (\S+)/.exec(text!)![1]!;
    const first = await signInAs(w.app, 'ops@yeni.example.az', portalPassword, '192.0.2.77');
    assert.equal(first.res.headers.location, '/registrar');
    const regs = await get(s.ministry, '/admin/registrars?lang=en');
    assert.match(regs.body, /id="registrar-yeni-reg"><th scope="row"><code>yeni-reg<\/code><\/th><td>Yeni Registrator MMC/);
  });

  test('suspension stops new registrations; reinstatement restores them; termination moves the domains', async () => {
    await addRegistrar(w.t.reg, 'gamma');
    await createDomain(w.t.reg, { type: 'registrar', registrarId: 'gamma' }, { name: 'gamma-bir.az', registrant: 'beta-owner', periodYears: 1 }).catch(() => null);
    const susp = await post(s.na_staff, '/admin/registrars/gamma/suspend?lang=en', { reason: 'no backups (R9.3.5)' });
    assert.deepEqual(noticeOf(susp), ['ok', 'gamma suspended.']);
    await assert.rejects(createDomain(w.t.reg, { type: 'registrar', registrarId: 'gamma' }, { name: 'gamma-iki.az', registrant: 'beta-owner' }), /gamma is suspended/);
    await post(s.na_staff, '/admin/registrars/gamma/reinstate', { reason: 'backups shown' });
    assert.equal((await loginRecord(w.t.reg, 'gamma'))!.status, 'active');
    const term = await post(s.na_admin, '/admin/registrars/gamma/terminate?lang=en', { successor: 'beta', consent: 'beta letter 12', reason: 'R9.8' });
    assert.equal(noticeOf(term)[0], 'ok', term.body);
    assert.equal((await loginRecord(w.t.reg, 'gamma'))!.status, 'terminated');
  });
});

describe('disputes', () => {
  test('opening locks the name; transfer to the complainant changes owner and sponsor and unlocks', async () => {
    const opened = await post(s.na_staff, '/admin/disputes?lang=en', { name: 'kitab2.az', complainant: 'beta-owner', claim: 'Kitab is our registered trademark', reference: 'Court case 2-123' });
    assert.equal(noticeOf(opened)[0], 'ok', opened.body);
    let d = await getDomain(w.t.reg, 'kitab2.az');
    for (const lock of ['serverDeleteProhibited', 'serverTransferProhibited', 'serverUpdateProhibited']) assert.ok(d.statuses.includes(lock), lock);
    await assert.rejects(updateDomain(w.t.reg, w.alpha, { name: 'kitab2.az', add: { statuses: ['clientHold'] } }), (e: RegistryError) => e.eppCode === 2304);
    const again = await post(s.na_staff, '/admin/disputes?lang=en', { name: 'kitab2.az', complainant: 'beta-owner', claim: 'again' });
    assert.equal(again.statusCode, 409);
    const id = (await api(s.ministry, 'GET', '/api/disputes?status=open')).json()[0].id as number;
    const decided = await post(s.na_admin, `/admin/disputes/${id}/decide?lang=en`, { decision: 'transfer', note: 'court ruling in favour' });
    assert.deepEqual(noticeOf(decided), ['ok', `Dispute #${id}: the name went to the complainant.`]);
    d = await getDomain(w.t.reg, 'kitab2.az');
    assert.equal(d.registrant, 'beta-owner');
    assert.equal(d.registrarId, 'beta');
    assert.ok(!d.statuses.some((x) => x.startsWith('server')), d.statuses.join(' '));
    const audit = (await api(s.na_staff, 'GET', '/api/audit?objectType=dispute&objectId=' + id)).json() as { operation: string }[];
    assert.deepEqual(audit.map((e) => e.operation), ['dispute.open', 'dispute.transfer']);
  });

  test('dismissal unlocks and keeps locks that were there before', async () => {
    await w.t.reg.db.updateTable('domains').set({ statuses: ['serverDeleteProhibited'] }).where('name', '=', 'kitab0.az').execute();
    const { auth_info: authInfo } = await w.t.reg.db.selectFrom('domains').select('auth_info').where('name', '=', 'kitab0.az').executeTakeFirstOrThrow();
    await requestTransfer(w.t.reg, w.beta, { name: 'kitab0.az', authInfo });
    await post(s.na_staff, '/admin/disputes', { name: 'kitab0.az', complainant: 'beta-owner', claim: 'similar to our name' });
    // The transfer that was pending is cancelled by the registry: it cannot complete under the lock.
    const t = await w.t.reg.db.selectFrom('transfers').select('status').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(t.status, 'serverCancelled');
    const id = (await api(s.na_staff, 'GET', '/api/disputes?status=open')).json()[0].id as number;
    const res = await post(s.na_staff, `/admin/disputes/${id}/decide?lang=en`, { decision: 'dismiss', note: 'no likelihood of confusion' });
    assert.deepEqual(noticeOf(res), ['ok', `Dispute #${id} dismissed; the name is unlocked.`]);
    const d = await getDomain(w.t.reg, 'kitab0.az');
    assert.deepEqual(d.statuses.filter((x) => x.startsWith('server')), ['serverDeleteProhibited']);
    assert.equal(d.registrant, 'alpha-owner');
  });
});

describe('abuse reports', () => {
  test('public form -> triage -> notice to registrar and owner -> no takedown without an R7.4 ground -> suspension -> closed', async () => {
    const form = await get(null, '/abuse?lang=en');
    assert.equal(form.statusCode, 200);
    assertLabelled(form, '/abuse');
    const sent = await post(null, '/abuse?lang=en', { name: 'kitab1.az', category: 'phishing', description: 'A copy of a bank login page at https://kitab1.az/login', reporterEmail: 'victim@example.org' });
    const [kind, text] = noticeOf(sent);
    assert.equal(kind, 'ok', sent.body);
    const id = Number(/#(\d+)/.exec(text!)![1]);
    const short = await post(null, '/abuse?lang=en', { name: 'kitab1.az', category: 'phishing', description: 'bad' });
    assert.equal(short.statusCode, 400);
    assert.match(short.body, /value="kitab1\.az"/); // what was typed is kept
    await post(s.na_staff, `/admin/abuse/${id}/triage`, { severity: 'high' });
    const notified = await post(s.na_staff, `/admin/abuse/${id}/notify?lang=en`, {});
    assert.deepEqual(noticeOf(notified), ['ok', `Report #${id}: notified.`]);
    const sentTo = (await w.t.reg.db.selectFrom('notifications').select(['channel', 'recipient']).where('template', '=', 'abuse.notice').execute())
      .map((n) => `${n.channel} ${n.recipient}`).sort();
    assert.deepEqual(sentTo, ['email alpha-owner@mail.example.az', 'email ops@alpha.example.az', 'poll alpha']);
    const noGround = await api(s.na_staff, 'POST', `/api/abuse/${id}/suspend`, { ground: 'abuse', note: 'phishing' });
    assert.equal(noGround.statusCode, 400);
    const noDoc = await post(s.na_staff, `/admin/abuse/${id}/suspend?lang=en`, { ground: '', note: '' });
    assert.equal(noDoc.statusCode, 422);
    assert.equal((await getDomain(w.t.reg, 'kitab1.az')).statuses.includes('serverHold'), false);
    const taken = await post(s.na_staff, `/admin/abuse/${id}/suspend?lang=en`, { ground: 'court', note: 'Baku court order 2-77 of 2026-11-20' });
    assert.equal(noticeOf(taken)[0], 'ok', taken.body);
    assert.ok((await getDomain(w.t.reg, 'kitab1.az')).statuses.includes('serverHold'));
    await post(s.na_staff, `/admin/abuse/${id}/refer`, { referral: 'Ministry of Internal Affairs, case 55' });
    const closed = await post(s.na_staff, `/admin/abuse/${id}/close?lang=en`, { resolution: 'referred; suspended by court order' });
    assert.deepEqual(noticeOf(closed), ['ok', `Report #${id}: closed.`]);
    const r = (await api(s.ministry, 'GET', `/api/abuse/${id}`)).json() as { status: string; severity: string; referral: string; actionGround: string };
    assert.equal(r.status, 'closed');
    assert.equal(r.severity, 'high');
    assert.match(r.actionGround, /^R7\.4 court: Baku court order/);
  });
});

describe('audit log', () => {
  test('filtered by object, with before and after; the chain verified, and a tampered entry named', async () => {
    const plain = await get(s.na_staff, '/admin/audit?lang=en&object=domain:kitab2.az');
    assert.match(plain.body, /<input type="hidden" name="object" value="domain:kitab2\.az"><input type="hidden" name="verify" value="1">\n<button type="submit">Verify the audit chain<\/button>/);
    const res = await get(s.na_staff, '/admin/audit?lang=en&object=domain:kitab2.az&verify=1');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<p class="notice ok" role="status" id="chain">The audit chain is intact: \d+ entries/);
    const ops = [...res.body.matchAll(/<td><code>(domain\.[\w.]+|dispute\.[\w.]+)<\/code><\/td>/g)].map((m) => m[1]);
    assert.deepEqual(ops, ['domain.create', 'dispute.open', 'dispute.transfer']);
    assert.match(res.body, /&quot;registrant&quot;: &quot;beta-owner&quot;/);
    const byActor = await get(s.na_staff, '/admin/audit?actor=system:public-report');
    assert.match(byActor.body, /abuse\.report/);
    assert.doesNotMatch(byActor.body, /dispute\.open/);
    const bad = await get(s.na_staff, '/admin/audit?lang=en&object=nocolon&since=yesterday');
    assert.equal(bad.statusCode, 400);
    await sql`update audit_log set after = '{"forged": true}'::jsonb where object_type = 'dispute' and operation = 'dispute.open'`.execute(w.t.reg.db);
    const broken = await get(s.na_staff, '/admin/audit?lang=en&verify=1');
    assert.match(broken.body, /<div class="notice error" role="alert" id="chain"><p>The audit chain has \d+ problems:/);
  });
});
