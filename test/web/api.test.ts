// The JSON API: every route tried with every role (the registrant's too) and anonymously (401/403/2xx as each route declares), the
// OpenAPI description, and what the operations do: the same core operations and errors as EPP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createApiToken } from '../../src/core/tokens.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { API_ROUTES, type ApiRoute } from '../../src/web/api/routes.ts';
import { ALL_ROLES, type ApiRole, type PortalRole } from '../../src/web/auth/principal.ts';
import { hmacProvider } from '../../src/web/account/payments.ts';
import { startTestProvider, type TestProvider } from '../../src/web/account/test-provider.ts';
import { operator } from '../helpers/fixtures.ts';
import { applyGov, signInAs, USERS, webWorld, type Signed, type WebWorld, SAMPLE_PDF } from './setup.ts';
import { registrarSample } from './registrar-samples.ts';
import { adminSample } from './admin-samples.ts';
import { accountSample, addRegistrant, ownedDomain, signInRegistrant, type RegistrantFixture } from './account-samples.ts';
import { attachDocument } from '../../src/core/application-documents.ts';

let w: WebWorld;
let provider: TestProvider;
let registrant: RegistrantFixture;
const ROLES: ApiRole[] = [...ALL_ROLES, 'registrant'];
const sessions = {} as Record<ApiRole, Signed>;
before(async () => {
  provider = await startTestProvider();
  w = await webWorld({ domains: 4, account: { payments: hmacProvider({ apiUrl: provider.url, secret: provider.secret }) } });
  for (const role of ALL_ROLES) {
    const { signed } = await signInAs(w.app, USERS[role].email);
    assert.ok(signed, role);
    sessions[role] = signed;
  }
  const userId = await addRegistrant(w, 'sahib@example.az');
  await addRegistrant(w, 'yeni-sahib@example.az');
  registrant = { userId, domain: await ownedDomain(w, userId), otherEmail: 'yeni-sahib@example.az' };
  sessions.registrant = await signInRegistrant(w.app, 'sahib@example.az');
});
after(async () => { await w?.app.close(); await w?.t.close(); await provider?.close(); });

function call(s: Signed | null, method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return w.app.inject({
    method: method as 'GET', url,
    headers: s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

let counter = 0;
/** A request that succeeds for a role the route allows (fresh objects where a write consumes them). */
async function sample(r: ApiRoute, apiRole: ApiRole | null): Promise<{ url: string; payload?: unknown }> {
  // The portal routes' samples are for the portal roles; a registrant is refused them before they are read.
  const role: PortalRole | null = apiRole === 'registrant' ? null : apiRole;
  const na = role === 'na_admin' || role === 'na_staff' || role === 'ministry';
  const own = w.alphaDomains[0]!;
  const key = `${r.method} ${r.path}`;
  switch (key) {
    case 'GET /session': return { url: '/api/session' };
    case 'GET /domains': return { url: '/api/domains?q=kitab' };
    case 'POST /domains': return { url: '/api/domains', payload: { name: `yeni${++counter}.az`, registrant: 'alpha-owner', ...(na ? { registrarId: 'alpha' } : {}) } };
    case 'GET /domains/:name': return { url: `/api/domains/${own}` };
    case 'POST /domains/:name/renew': return { url: `/api/domains/${own}/renew`, payload: { periodYears: 1 } };
    case 'PUT /domains/:name/nameservers': return { url: `/api/domains/${own}/nameservers`, payload: { hosts: ['ns1.alpha-dns.net', 'ns2.alpha-dns.net'] } };
    case 'GET /domains/:name/suspensions': return { url: `/api/domains/${own}/suspensions` };
    case 'POST /domains/:name/suspend': return { url: `/api/domains/${w.alphaDomains[role === 'na_admin' ? 2 : 3]}/suspend`, payload: { ground: 'court', note: 'test' } };
    case 'POST /domains/:name/unsuspend': return { url: `/api/domains/${w.alphaDomains[role === 'na_admin' ? 2 : 3]}/unsuspend`, payload: { ground: 'court', reason: 'decision reversed' } };
    case 'GET /applications': return { url: '/api/applications' };
    case 'GET /applications/:id': return { url: `/api/applications/${(await applyGov(w)).id}` };
    case 'POST /applications/:id/approve': return { url: `/api/applications/${(await applyGov(w)).id}/approve`, payload: {} };
    case 'POST /applications/:id/refuse': return { url: `/api/applications/${(await applyGov(w)).id}/refuse`, payload: { ground: 'R5.1.2', note: 'wrong TIN' } };
    case 'GET /applications/:id/documents': return { url: `/api/applications/${(await applyGov(w)).id}/documents` };
    case 'POST /applications/:id/documents': return { url: `/api/applications/${(await applyGov(w)).id}/documents`, payload: { kind: na ? 'decision' : 'consent', filename: 'razılıq.pdf', content: SAMPLE_PDF.toString('base64') } };
    case 'GET /applications/:id/documents/:doc': {
      const a = await applyGov(w);
      const d = await attachDocument(w.t.reg, operator, a.id, { kind: 'consent', filename: 'razılıq.pdf', content: SAMPLE_PDF });
      return { url: `/api/applications/${a.id}/documents/${d.id}` };
    }
    case 'GET /registrar/balance': return { url: `/api/registrar/balance${na ? '?registrar=alpha' : ''}` };
    case 'GET /registrar/statement': return { url: `/api/registrar/statement${na ? '?registrar=alpha' : ''}` };
  }
  const registrarRoute = await registrarSample(w, key, role);
  if (registrarRoute) return registrarRoute;
  const adminRoute = await adminSample(w, key, role);
  if (adminRoute) return adminRoute;
  const accountRoute = await accountSample(w, registrant, key, apiRole);
  if (accountRoute) return accountRoute;
  throw new Error(`no sample request for ${key}: add one to this test`);
}

describe('every API route with every role', () => {
  test('anonymous 401, roles not named 403, roles named 2xx', async () => {
    const seen: string[] = [];
    for (const r of API_ROUTES) {
      for (const role of [null, ...ROLES]) {
        const { url, payload } = await sample(r, role);
        const res = await call(role ? sessions[role] : null, r.method, url, payload);
        const label = `${r.method} ${url} as ${role ?? 'anonymous'}: ${res.body.slice(0, 300)}`;
        if (r.roles === 'public') assert.ok(res.statusCode < 300, label);
        else if (!role) assert.equal(res.statusCode, 401, label);
        else if (!r.roles.includes(role)) assert.equal(res.statusCode, 403, label);
        // A certificate is linked from the TLS listener with client authentication (R3.9); this request has no TLS.
        else if (r.method === 'POST' && r.path === '/account/certificates') assert.match(`${res.statusCode} ${res.body}`, /^400 .*no client certificate on this connection/, label);
        else assert.ok(res.statusCode >= 200 && res.statusCode < 300, label);
        seen.push(`${r.method} ${r.path} ${role}`);
      }
    }
    assert.equal(seen.length, API_ROUTES.length * (ROLES.length + 1));
    assert.ok(API_ROUTES.filter((r) => r.roles !== 'public' && r.roles.includes('registrant')).every((r) => r.path.startsWith('/account')));
  });
});

describe('OpenAPI', () => {
  test('/api/openapi.json is OpenAPI 3.1 and lists every route with its roles', async () => {
    const res = await call(null, 'GET', '/api/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { 'x-roles': string[] }>> };
    assert.equal(doc.openapi, '3.1.0');
    for (const r of API_ROUTES) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${r.path}`);
      assert.deepEqual(op['x-roles'], r.roles === 'public' ? [] : r.roles);
    }
  });
});

describe('operations', () => {
  const staff = () => sessions.registrar_staff;

  test('a registrar sees and searches only its own domains', async () => {
    const list = (await call(staff(), 'GET', '/api/domains?q=kitab1')).json();
    assert.deepEqual(list.items.map((d: { name: string }) => d.name), ['kitab1.az']);
    const all = (await call(staff(), 'GET', '/api/domains?limit=200')).json();
    assert.ok(all.items.every((d: { registrarId: string }) => d.registrarId === 'alpha'));
    const other = await call(staff(), 'GET', `/api/domains/${w.betaDomain}`);
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 2201);
    const naList = (await call(sessions.na_staff, 'GET', '/api/domains?q=beta')).json();
    assert.deepEqual(naList.items.map((d: { name: string }) => d.name), [w.betaDomain]);
    const inactive = (await call(sessions.na_staff, 'GET', '/api/domains?status=inactive')).json();
    assert.ok(inactive.items.some((d: { name: string }) => d.name === w.betaDomain));
    assert.ok(inactive.items.every((d: { statuses: string[] }) => d.statuses.includes('inactive')));
  });

  test('renewal moves the expiry and charges the balance; a wrong current expiry is refused and changes nothing', async () => {
    const name = w.alphaDomains[1]!;
    const before = (await call(staff(), 'GET', `/api/domains/${name}`)).json();
    const balance = (await call(staff(), 'GET', '/api/registrar/balance')).json().balance;
    const bad = await call(staff(), 'POST', `/api/domains/${name}/renew`, { periodYears: 1, currentExpiryDate: '2001-01-01' });
    assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, bad.body);
    assert.ok(bad.json().clause);
    assert.equal((await call(staff(), 'GET', `/api/domains/${name}`)).json().expiresAt, before.expiresAt);
    const ok = await call(staff(), 'POST', `/api/domains/${name}/renew`, { periodYears: 2 });
    assert.equal(ok.statusCode, 200);
    assert.equal(new Date(ok.json().expiresAt).getUTCFullYear(), new Date(before.expiresAt).getUTCFullYear() + 2);
    assert.ok((await call(staff(), 'GET', '/api/registrar/balance')).json().balance < balance);
    const st = (await call(staff(), 'GET', '/api/registrar/statement')).json();
    assert.ok(st.lines.some((l: { domain: string | null; kind: string }) => l.domain === name && l.kind === 'charge'));
  });

  test('name servers are set to exactly the list; new external ones become hosts; bad input changes nothing', async () => {
    const name = w.alphaDomains[1]!;
    const res = await call(staff(), 'PUT', `/api/domains/${name}/nameservers`, { hosts: ['ns1.alpha-dns.net', 'ns.new-provider.com'] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().hosts, ['ns.new-provider.com', 'ns1.alpha-dns.net']);
    const bad = await call(staff(), 'PUT', `/api/domains/${name}/nameservers`, { hosts: 'ns1' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual((await call(staff(), 'GET', `/api/domains/${name}`)).json().hosts, ['ns.new-provider.com', 'ns1.alpha-dns.net']);
  });

  test('refusal needs a ground of R5.1; the application leaves the queue; approval registers the name', async () => {
    const a = await applyGov(w);
    const queue = (await call(sessions.na_staff, 'GET', '/api/applications')).json() as { id: number; dueAt: string }[];
    const mine = queue.find((x) => x.id === a.id);
    assert.ok(mine?.dueAt);
    const noGround = await call(sessions.na_staff, 'POST', `/api/applications/${a.id}/refuse`, { ground: 'R9.9.9' });
    assert.equal(noGround.statusCode, 400);
    const refused = await call(sessions.na_staff, 'POST', `/api/applications/${a.id}/refuse`, { ground: 'R5.1.5', note: 'Stop-list' });
    assert.equal(refused.statusCode, 200);
    assert.equal(refused.json().refusalGround, 'R5.1.5');
    assert.ok(!((await call(sessions.na_staff, 'GET', '/api/applications')).json() as { id: number }[]).some((x) => x.id === a.id));
    const again = await call(sessions.na_staff, 'POST', `/api/applications/${a.id}/approve`, {});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 2304);

    const b = await applyGov(w);
    const approved = await call(sessions.na_admin, 'POST', `/api/applications/${b.id}/approve`, {});
    assert.equal(approved.statusCode, 200);
    assert.equal((await call(staff(), 'GET', `/api/domains/${b.name}`)).statusCode, 200);
  });

  test('suspension needs a ground of R7.4 and shows serverHold; restoration needs a reason', async () => {
    const name = w.alphaDomains[0]!;
    const bad = await call(sessions.na_staff, 'POST', `/api/domains/${name}/suspend`, { ground: 'expiry' });
    assert.equal(bad.statusCode, 400);
    const s = await call(sessions.na_staff, 'POST', `/api/domains/${name}/suspend`, { ground: 'agreement', note: 'breach' });
    assert.equal(s.statusCode, 200);
    assert.ok(s.json().statuses.includes('serverHold'));
    const twice = await call(sessions.na_staff, 'POST', `/api/domains/${name}/suspend`, { ground: 'agreement' });
    assert.equal(twice.statusCode, 409);
    const noReason = await call(sessions.na_staff, 'POST', `/api/domains/${name}/unsuspend`, { ground: 'agreement' });
    assert.equal(noReason.statusCode, 400);
    const u = await call(sessions.na_staff, 'POST', `/api/domains/${name}/unsuspend`, { ground: 'agreement', reason: 'cured' });
    assert.equal(u.statusCode, 200);
    assert.ok(!u.json().statuses.includes('serverHold'));
  });

  test('an API token authenticates without cookies or CSRF token; a bad token gets 401', async () => {
    const token = await createApiToken(w.t.reg, operator, { registrarId: 'alpha' });
    const res = await w.app.inject({ method: 'POST', url: `/api/domains/${w.alphaDomains[2]}/renew`, headers: { authorization: `Bearer ${token.token}` }, payload: { periodYears: 1 } });
    assert.equal(res.statusCode, 200, res.body);
    const other = await w.app.inject({ method: 'GET', url: `/api/domains/${w.betaDomain}`, headers: { authorization: `Bearer ${token.token}` } });
    assert.equal(other.statusCode, 403);
    const bad = await w.app.inject({ method: 'GET', url: '/api/domains', headers: { authorization: 'Bearer dmn_nope' } });
    assert.equal(bad.statusCode, 401);
  });

  test('a name the registry refuses gets the EPP code and clause in the body', async () => {
    await createDomain(w.t.reg, w.alpha, { name: 'tutulub.az', registrant: 'alpha-owner' });
    const res = await call(staff(), 'POST', '/api/domains', { name: 'tutulub.az', registrant: 'alpha-owner' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 2302);
    assert.ok(res.json().clause);
    assert.equal((await call(staff(), 'GET', '/api/nothing-here')).statusCode, 404);
  });
});
