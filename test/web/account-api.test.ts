// The registrant's JSON API (/api/account/*): a registrant signed in at /account/login reads its account and
// domains, changes name servers (with the session's CSRF token only), applies and pays through the provider; it
// cannot reach another registrant's domain or order, nor any other route; registrar users cannot reach its routes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { orderRegistration } from '../../src/core/accounts-orders.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { createApiToken } from '../../src/core/tokens.ts';
import { AGREEMENT_VERSION } from '../../src/web/account/agreement.ts';
import { operator } from '../helpers/fixtures.ts';
import { accountWorld, type AccountWorld } from './account-setup.ts';
import { addRegistrant, ownedDomain, signInRegistrant, totpCode } from './account-samples.ts';
import { askOwnerChange } from '../../src/core/accounts-domains.ts';
import { signInAs, USERS, type Signed } from './setup.ts';

let aw: AccountWorld;
let leyla: { id: number; domain: string; s: Signed };
let other: { id: number; domain: string };
before(async () => {
  aw = await accountWorld();
  const id = await addRegistrant(aw.w, 'leyla.api@example.az');
  leyla = { id, domain: await ownedDomain(aw.w, id, 'leyla'), s: await signInRegistrant(aw.app, 'leyla.api@example.az') };
  const oid = await addRegistrant(aw.w, 'orxan.api@example.az');
  other = { id: oid, domain: await ownedDomain(aw.w, oid, 'orxan') };
});
after(async () => { await aw?.close(); });

function call(s: Signed | null, method: string, url: string, payload?: unknown, csrf = true): Promise<LightMyRequestResponse> {
  return aw.app.inject({
    method: method as 'GET', url,
    headers: s ? { cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrf } : {}) } : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

describe('the registrant API', () => {
  test('the session of /account/login reads the account and its domains', async () => {
    const acc = await call(leyla.s, 'GET', '/api/account');
    assert.equal(acc.statusCode, 200, acc.body);
    const a = acc.json();
    assert.equal(a.email, 'leyla.api@example.az');
    assert.equal(a.person.idNumber, '17654321');
    assert.equal(a.totp, false);
    assert.deepEqual(a.certificates, []);
    assert.equal(a.csrfToken, leyla.s.csrf);
    const list = (await call(leyla.s, 'GET', '/api/account/domains')).json() as { name: string; registrarId: string }[];
    assert.deepEqual(list.map((d) => [d.name, d.registrarId]), [[leyla.domain, 'alpha']]);
    const one = await call(leyla.s, 'GET', `/api/account/domains/${leyla.domain}`);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json().hosts, ['ns1.alpha-dns.net', 'ns2.alpha-dns.net']);
    assert.equal(one.json().authInfo, undefined);
  });

  test('name servers change through the sponsor, only with the CSRF token; bad input changes nothing', async () => {
    const url = `/api/account/domains/${leyla.domain}/nameservers`;
    const noToken = await call(leyla.s, 'PUT', url, { hosts: ['ns.new-provider.com', 'ns1.alpha-dns.net'] }, false);
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().error, 'csrf');
    assert.deepEqual((await getDomain(aw.w.t.reg, leyla.domain)).hosts, ['ns1.alpha-dns.net', 'ns2.alpha-dns.net']);
    const ok = await call(leyla.s, 'PUT', url, { hosts: ['ns.new-provider.com', 'ns1.alpha-dns.net'] });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().hosts, ['ns.new-provider.com', 'ns1.alpha-dns.net']);
    assert.deepEqual((await call(leyla.s, 'GET', `/api/account/domains/${leyla.domain}`)).json().hosts, ['ns.new-provider.com', 'ns1.alpha-dns.net']);
    const bad = await call(leyla.s, 'PUT', url, { hosts: ['ns.new-provider.com'] });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().clause, 'Appendix 2');
    assert.deepEqual((await getDomain(aw.w.t.reg, leyla.domain)).hosts, ['ns.new-provider.com', 'ns1.alpha-dns.net']);
    // The change is the sponsor's operation, as over EPP.
    const audit = await aw.w.t.reg.db.selectFrom('audit_log').select(['actor_type', 'actor_id']).where('object_type', '=', 'domain').where('object_id', '=', leyla.domain)
      .orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual({ ...audit }, { actor_type: 'registrar', actor_id: 'alpha' });
  });

  test("another registrant's domain and order are not found; every other route is refused", async () => {
    const theirs = `/api/account/domains/${other.domain}`;
    assert.equal((await call(leyla.s, 'GET', theirs)).statusCode, 404);
    const ns = await call(leyla.s, 'PUT', `${theirs}/nameservers`, { hosts: ['ns.evil.example', 'ns2.evil.example'] });
    assert.equal(ns.statusCode, 404);
    assert.equal((await call(leyla.s, 'POST', `${theirs}/transfer`, { registrarId: 'beta' })).statusCode, 404);
    assert.deepEqual((await getDomain(aw.w.t.reg, other.domain)).hosts, ['ns1.alpha-dns.net', 'ns2.alpha-dns.net']);
    const order = await orderRegistration(aw.w.t.reg, other.id, { name: 'orxanin-sifarisi.az', registrarId: 'alpha', periodYears: 1, hosts: [], agreementVersion: AGREEMENT_VERSION, accurate: true });
    assert.equal((await call(leyla.s, 'GET', `/api/account/orders/${order.id}`)).statusCode, 404);
    assert.equal((await call(leyla.s, 'POST', `/api/account/orders/${order.id}/payment`)).statusCode, 404);
    // The registrar and NA routes: 403 for a registrant, even on its own domain.
    const portalRoute = await call(leyla.s, 'GET', `/api/domains/${leyla.domain}`);
    assert.equal(portalRoute.statusCode, 403);
    assert.equal(portalRoute.json().error, 'authorization');
    assert.equal((await call(leyla.s, 'GET', '/api/session')).statusCode, 403);
    // And the staff pages still treat a registrant as signed out there.
    const page = await aw.app.inject({ method: 'GET', url: '/registrar', headers: { cookie: leyla.s.cookie } });
    assert.equal(page.statusCode, 303);
  });

  test('a registrar user gets 403 on /api/account/*; no one signed in gets 401', async () => {
    const { signed } = await signInAs(aw.app, USERS.registrar_admin.email);
    for (const [method, url] of [['GET', '/api/account'], ['GET', '/api/account/domains'], ['GET', `/api/account/domains/${leyla.domain}`]] as const) {
      const res = await call(signed, method, url);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
    }
    assert.equal((await call(signed, 'PUT', `/api/account/domains/${leyla.domain}/nameservers`, { hosts: ['ns1.alpha-dns.net', 'ns2.alpha-dns.net'] })).statusCode, 403);
    assert.equal((await call(null, 'GET', '/api/account')).statusCode, 401);
  });

  test("a registrant's API token (domen token create --user) reaches its account routes, and only those", async () => {
    const token = await createApiToken(aw.w.t.reg, operator, { userEmail: 'leyla.api@example.az' });
    const auth = { authorization: `Bearer ${token.token}` };
    const list = await aw.app.inject({ method: 'GET', url: '/api/account/domains', headers: auth });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual((list.json() as { name: string }[]).map((d) => d.name), [leyla.domain]);
    assert.equal((await aw.app.inject({ method: 'GET', url: '/api/domains', headers: auth })).statusCode, 403);
    assert.equal((await aw.app.inject({ method: 'GET', url: `/api/account/domains/${other.domain}`, headers: auth })).statusCode, 404);
  });

  test('an application: the agreement in force must be accepted; the answer names the payment page; the paid order is filed', async () => {
    const body = { name: 'leylanin-saytı.az', registrarId: 'alpha', periodYears: 1, hosts: ['ns1.alpha-dns.net', 'ns2.alpha-dns.net'], accurate: true };
    const look = (await call(leyla.s, 'GET', '/api/account/lookup?name=leylanin-saytı.az')).json();
    assert.equal(look.result.state, 'available');
    const old = await call(leyla.s, 'POST', '/api/account/orders', { ...body, agreementVersion: '0.9' });
    assert.equal(old.statusCode, 422);
    assert.equal(old.json().clause, 'R3.10');
    const res = await call(leyla.s, 'POST', '/api/account/orders', { ...body, agreementVersion: AGREEMENT_VERSION });
    assert.equal(res.statusCode, 200, res.body);
    const { order, redirectUrl } = res.json() as { order: { id: number; name: string; status: string }; redirectUrl: string };
    assert.equal(order.status, 'awaiting_payment');
    assert.ok(redirectUrl.startsWith(aw.provider.url), redirectUrl);
    // The payer pays at the provider's page; its signed callback files the order through the registrar.
    const paid = await fetch(redirectUrl, { method: 'POST', body: new URLSearchParams({ decision: 'pay' }), redirect: 'manual' });
    assert.equal(paid.status, 303);
    const after = (await call(leyla.s, 'GET', `/api/account/orders/${order.id}`)).json();
    assert.equal(after.status, 'filed', JSON.stringify(after));
    assert.ok(((await call(leyla.s, 'GET', '/api/account/domains')).json() as { name: string }[]).some((d) => d.name === order.name));
  });

  test('an authenticator through the API: a wrong code is refused, the right one enables it; turning it off needs a fresh code', async () => {
    const begin = await call(leyla.s, 'POST', '/api/account/totp');
    assert.equal(begin.statusCode, 200, begin.body);
    const { secret, uri } = begin.json() as { secret: string; uri: string };
    assert.match(uri, /^otpauth:\/\/totp\//);
    const now = aw.w.t.clock.now().getTime();
    const good = totpCode(secret, now);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    const bad = await call(leyla.s, 'POST', '/api/account/totp/confirm', { code: wrong });
    assert.equal(bad.statusCode, 401, bad.body);
    assert.equal((await call(leyla.s, 'GET', '/api/account')).json().totp, false);
    assert.equal((await call(leyla.s, 'POST', '/api/account/totp/confirm', { code: good })).statusCode, 200);
    assert.equal((await call(leyla.s, 'GET', '/api/account')).json().totp, true);
    // The code that enabled it cannot turn it off again (RFC 6238 §5.2); the next one can.
    assert.equal((await call(leyla.s, 'POST', '/api/account/totp/disable', { code: good })).statusCode, 401);
    assert.equal((await call(leyla.s, 'POST', '/api/account/totp/disable', { code: totpCode(secret, now + 30_000) })).statusCode, 200);
    assert.equal((await call(leyla.s, 'GET', '/api/account')).json().totp, false);
  });

  test('a change of owner offered to another account is accepted there with the agreement in force, not by the seller', async () => {
    const offer = await askOwnerChange(aw.w.t.reg, other.id, other.domain, 'leyla.api@example.az', 'sold');
    const orxan = await signInRegistrant(aw.app, 'orxan.api@example.az', undefined, '192.0.2.78');
    assert.equal((await call(orxan, 'POST', `/api/account/owner-changes/${offer.id}/accept`, { agreementVersion: AGREEMENT_VERSION })).statusCode >= 400, true);
    const stale = await call(leyla.s, 'POST', `/api/account/owner-changes/${offer.id}/accept`, { agreementVersion: '0.9' });
    assert.equal(stale.statusCode, 422);
    const ok = await call(leyla.s, 'POST', `/api/account/owner-changes/${offer.id}/accept`, { agreementVersion: AGREEMENT_VERSION });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.ok(((await call(leyla.s, 'GET', '/api/account/domains')).json() as { name: string }[]).some((d) => d.name === other.domain));
  });

  test('a certificate is linked only over TLS with client authentication; over plain HTTP the answer says so', async () => {
    const res = await call(leyla.s, 'POST', '/api/account/certificates');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /no client certificate on this connection/);
  });
});
