// Sign-in to the portals: sessions in the database with idle and absolute expiry, cookie attributes, CSRF
// protection of every write, throttling and lockout per account and per address, and the security headers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { operator } from '../helpers/fixtures.ts';
import { createUser } from '../../src/core/registrars.ts';
import { portal } from '../../src/web/portal.ts';
import { cookiesOf, PASSWORD, signInAs, USERS, webWorld, type WebWorld } from './setup.ts';

let w: WebWorld;
before(async () => { w = await webWorld({ domains: 1 }); });
after(async () => { await w?.app.close(); await w?.t.close(); });

const minutes = (n: number) => w.t.clock.advance(n * 60_000);

describe('security headers', () => {
  test('every portal response forbids framing, inline scripts and sniffing', async () => {
    for (const url of ['/login', '/api/openapi.json', '/registrar', '/api/session']) {
      const res = await w.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/, url);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.ok(res.headers['referrer-policy'], url);
    }
  });

  test('the login page has no inline script or style', async () => {
    const html = (await w.app.inject({ method: 'GET', url: '/login' })).body;
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)/);
    assert.doesNotMatch(html, /\sstyle=|<style/);
    assert.match(html, /<label for="email">/);
    assert.match(html, /<html lang="az">/);
  });
});

describe('sign-in', () => {
  test('a good password starts a session: HttpOnly, SameSite=Lax, not Secure over plain http', async () => {
    const { res, signed } = await signInAs(w.app, USERS.registrar_staff.email);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/registrar');
    const set = [res.headers['set-cookie']].flat().find((c) => String(c).startsWith('domen_session='))!;
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Lax/);
    assert.doesNotMatch(set, /Secure/);
    const me = await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().role, 'registrar_staff');
    assert.equal(me.json().registrarId, 'alpha');
    // The database keeps only a hash of the cookie.
    const rows = await w.t.reg.db.selectFrom('web_sessions').select('id_hash').execute();
    assert.ok(rows.length >= 1);
    assert.ok(rows.every((r) => !signed!.cookie.includes(r.id_hash)));
    // The sign-in is in the audit log, with the user as actor and the address it came from.
    const audit = await w.t.reg.db.selectFrom('audit_log').select(['actor_id', 'after', 'source']).where('operation', '=', 'user.signin')
      .orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.match(audit.actor_id, /^alpha\/\d+$/);
    assert.equal(audit.source, 'portal');
    assert.deepEqual(audit.after, { signedIn: true, ip: '192.0.2.10' });
  });

  test('behind a trusted proxy that says https the cookie is Secure', async () => {
    const app = Fastify({ trustProxy: true });
    await app.register(portal, { reg: w.t.reg });
    const form = await app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' } });
    const token = cookiesOf(form).domen_login_csrf!;
    assert.match(String([form.headers['set-cookie']].flat()[0]), /Secure/);
    const res = await app.inject({
      method: 'POST', url: '/login', headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded', cookie: `domen_login_csrf=${token}` },
      payload: new URLSearchParams({ email: USERS.na_staff.email, password: PASSWORD, _login_csrf: token }).toString(),
    });
    assert.equal(res.statusCode, 303);
    assert.match(String([res.headers['set-cookie']].flat().find((c) => String(c).startsWith('domen_session='))), /; Secure/);
    await app.close();
  });

  test('a wrong password, an unknown e-mail and a missing form token start nothing', async () => {
    const wrong = await signInAs(w.app, USERS.registrar_staff.email, 'not-the-password', '192.0.2.20');
    assert.equal(wrong.res.statusCode, 401);
    assert.equal(wrong.signed, null);
    assert.match(wrong.res.body, /E-poçt və ya parol yanlışdır/);
    const unknown = await signInAs(w.app, 'nobody@example.az', PASSWORD, '192.0.2.20');
    assert.equal(unknown.res.statusCode, 401);
    const noToken = await w.app.inject({
      method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: USERS.registrar_staff.email, password: PASSWORD }).toString(),
    });
    assert.equal(noToken.statusCode, 403);
    assert.equal(cookiesOf(noToken).domen_session, undefined);
  });

  test('after sign-in the user returns to a local page only', async () => {
    const form = await w.app.inject({ method: 'GET', url: '/login' });
    const token = cookiesOf(form).domen_login_csrf!;
    const post = (next: string) => w.app.inject({
      method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `domen_login_csrf=${token}` },
      payload: new URLSearchParams({ email: USERS.registrar_admin.email, password: PASSWORD, _login_csrf: token, next }).toString(),
    });
    assert.equal((await post('/registrar/billing')).headers.location, '/registrar/billing');
    assert.equal((await post('//evil.example/x')).headers.location, '/registrar');
    assert.equal((await post('https://evil.example/')).headers.location, '/registrar');
  });

  test('an anonymous page visit goes to the sign-in page; an anonymous API call gets 401', async () => {
    const page = await w.app.inject({ method: 'GET', url: '/registrar' });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/login?next=%2Fregistrar');
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/domains' })).statusCode, 401);
  });
});

describe('lockout and throttling', () => {
  test('five wrong passwords lock the account for 15 minutes, even against the right one', async () => {
    await createUser(w.t.reg, operator, { email: 'lock@alpha.example.az', name: 'Lock', role: 'registrar_staff', registrarId: 'alpha', password: PASSWORD });
    for (let i = 1; i <= 4; i++) assert.equal((await signInAs(w.app, 'lock@alpha.example.az', 'wrong', '192.0.2.30')).res.statusCode, 401, `attempt ${i}`);
    const fifth = await signInAs(w.app, 'lock@alpha.example.az', 'wrong', '192.0.2.31');
    assert.equal(fifth.res.statusCode, 429);
    const right = await signInAs(w.app, 'LOCK@alpha.example.az', PASSWORD, '192.0.2.32');
    assert.equal(right.res.statusCode, 429);
    assert.equal(right.signed, null);
    assert.ok(Number(right.res.headers['retry-after']) > 0);
    assert.match(right.res.body, /bağlanıb/);
    minutes(16);
    const later = await signInAs(w.app, 'lock@alpha.example.az', PASSWORD, '192.0.2.32');
    assert.equal(later.res.statusCode, 303);
    // A success clears the count: one more failure does not lock again.
    assert.equal((await signInAs(w.app, 'lock@alpha.example.az', 'wrong', '192.0.2.32')).res.statusCode, 401);
    assert.equal((await signInAs(w.app, 'lock@alpha.example.az', PASSWORD, '192.0.2.32')).res.statusCode, 303);
  });

  test('parallel guesses are counted one by one: no more than five get a verdict', async () => {
    await createUser(w.t.reg, operator, { email: 'race@alpha.example.az', name: 'Race', role: 'registrar_staff', registrarId: 'alpha', password: PASSWORD });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => signInAs(w.app, 'race@alpha.example.az', `wrong-${i}`, `203.0.113.${i + 1}`)));
    const codes = results.map((r) => r.res.statusCode).sort();
    assert.deepEqual(codes, [401, 401, 401, 401, 429, 429, 429, 429, 429, 429]);
    const rows = await w.t.reg.db.selectFrom('login_attempts').select('id').where('email', '=', 'race@alpha.example.az').execute();
    assert.equal(rows.length, 5);
    assert.equal((await signInAs(w.app, 'race@alpha.example.az', PASSWORD, '203.0.113.50')).res.statusCode, 429);
  });

  test('twenty failures from one address throttle that address for every account', async () => {
    for (let i = 0; i < 20; i++) await signInAs(w.app, `guess${i}@example.az`, 'wrong', '198.51.100.7');
    const blocked = await signInAs(w.app, USERS.na_staff.email, PASSWORD, '198.51.100.7');
    assert.equal(blocked.res.statusCode, 429);
    assert.equal((await signInAs(w.app, USERS.na_staff.email, PASSWORD, '198.51.100.8')).res.statusCode, 303);
    minutes(16);
    assert.equal((await signInAs(w.app, USERS.na_staff.email, PASSWORD, '198.51.100.7')).res.statusCode, 303);
  });
});

describe('session expiry and sign-out', () => {
  test('a session idle for 30 minutes ends', async () => {
    const { signed } = await signInAs(w.app, USERS.na_admin.email);
    minutes(29);
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 200);
    minutes(29);
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 200);
    minutes(31);
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 401);
    const page = await w.app.inject({ method: 'GET', url: '/admin', headers: { cookie: signed!.cookie } });
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /ended=1/);
  });

  test('a busy session still ends 12 hours after sign-in', async () => {
    const { signed } = await signInAs(w.app, USERS.na_admin.email);
    for (let h = 0; h < 11 * 3; h++) {
      minutes(20);
      assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 200, `after ${(h + 1) * 20} minutes`);
    }
    minutes(61);
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 401);
  });

  test('signing out needs the CSRF token and ends the session', async () => {
    const { signed } = await signInAs(w.app, USERS.registrar_admin.email);
    const forged = await w.app.inject({ method: 'POST', url: '/logout', headers: { cookie: signed!.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 200);
    const out = await w.app.inject({ method: 'POST', url: '/logout', headers: { cookie: signed!.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(signed!.csrf)}` });
    assert.equal(out.statusCode, 303);
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 401);
    assert.ok(await w.t.reg.db.selectFrom('audit_log').select('id').where('operation', '=', 'user.signout').executeTakeFirst());
  });

  test('a deactivated user is signed out at the next request', async () => {
    await createUser(w.t.reg, operator, { email: 'gone@na.example.az', name: 'Gone', role: 'na_staff', password: PASSWORD });
    const { signed } = await signInAs(w.app, 'gone@na.example.az');
    await w.t.reg.db.updateTable('users').set({ active: false }).where('email', '=', 'gone@na.example.az').execute();
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: signed!.cookie } })).statusCode, 401);
  });
});

describe('CSRF', () => {
  test('a cookie-authenticated write without the token, with a wrong one, or from another origin is refused and changes nothing', async () => {
    const { signed } = await signInAs(w.app, USERS.registrar_staff.email);
    const name = w.alphaDomains[0]!;
    const before = (await w.app.inject({ method: 'GET', url: `/api/domains/${name}`, headers: { cookie: signed!.cookie } })).json().expiresAt;
    const attempts = [
      { cookie: signed!.cookie },
      { cookie: signed!.cookie, 'x-csrf-token': 'x'.repeat(43) },
      { cookie: signed!.cookie, 'x-csrf-token': signed!.csrf, origin: 'https://evil.example' },
    ];
    for (const headers of attempts) {
      const res = await w.app.inject({ method: 'POST', url: `/api/domains/${name}/renew`, headers, payload: { periodYears: 1 } });
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.equal(res.json().error, 'csrf');
    }
    const form = await w.app.inject({ method: 'POST', url: `/registrar/domains/${name}/renew`, headers: { cookie: signed!.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'periodYears=1' });
    assert.equal(form.statusCode, 403);
    const afterwards = (await w.app.inject({ method: 'GET', url: `/api/domains/${name}`, headers: { cookie: signed!.cookie } })).json().expiresAt;
    assert.equal(afterwards, before);
    const ok = await w.app.inject({ method: 'POST', url: `/api/domains/${name}/renew`, headers: { cookie: signed!.cookie, 'x-csrf-token': signed!.csrf }, payload: { periodYears: 1 } });
    assert.equal(ok.statusCode, 200);
    assert.notEqual(ok.json().expiresAt, before);
  });
});
