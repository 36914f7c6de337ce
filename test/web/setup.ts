// A registry with the portal mounted on a fastify instance (inject for API tests, listen for the browser), and the
// people and objects the web tests share: registrars alpha and beta, one user per role, domains and applications.
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addNameServers, addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { createUser } from '../../src/core/registrars.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import type { Actor } from '../../src/core/actor.ts';
import { portal } from '../../src/web/portal.ts';
import { ALL_ROLES, type PortalRole } from '../../src/web/auth/principal.ts';
import type { AccountOptions } from '../../src/web/pages/account.ts';

export const PASSWORD = 'Portal-Pass-2026';
export const USERS: Record<PortalRole, { email: string; registrarId: string | null }> = {
  na_admin: { email: 'admin@na.example.az', registrarId: null },
  na_staff: { email: 'staff@na.example.az', registrarId: null },
  ministry: { email: 'ministry@gov.example.az', registrarId: null },
  registrar_admin: { email: 'admin@alpha.example.az', registrarId: 'alpha' },
  registrar_staff: { email: 'staff@alpha.example.az', registrarId: 'alpha' },
};

export interface WebWorld { t: TestRegistry; app: FastifyInstance; alpha: Actor; beta: Actor; alphaDomains: string[]; betaDomain: string; nextGov(): string }

export async function webWorld(opts: { domains?: number; /** the registrant account's options (a payment provider) */ account?: AccountOptions } = {}): Promise<WebWorld> {
  const t = await testRegistry();
  const alpha = await addRegistrar(t.reg, 'alpha');
  const beta = await addRegistrar(t.reg, 'beta');
  for (const [role, u] of Object.entries(USERS)) {
    await createUser(t.reg, operator, { email: u.email, name: `${role} user`, role: role as PortalRole, registrarId: u.registrarId, password: PASSWORD });
  }
  await addPerson(t.reg, alpha, 'alpha-owner');
  await addPerson(t.reg, beta, 'beta-owner');
  const ns = await addNameServers(t.reg, alpha, 'alpha-dns.net');
  await addNameServers(t.reg, beta, 'beta-dns.net');
  const alphaDomains: string[] = [];
  for (let i = 0; i < (opts.domains ?? 3); i++) {
    const name = `kitab${i}.az`;
    await createDomain(t.reg, alpha, { name, registrant: 'alpha-owner', hosts: ns, periodYears: 1 });
    alphaDomains.push(name);
  }
  await createDomain(t.reg, beta, { name: 'beta-only.az', registrant: 'beta-owner', periodYears: 1 });
  let n = 0;
  const app = Fastify({ logger: false });
  await app.register(portal, { reg: t.reg, ...(opts.account ? { account: opts.account } : {}) });
  await app.ready();
  return { t, app, alpha, beta, alphaDomains, betaDomain: 'beta-only.az', nextGov: () => `nazirlik${++n}.gov.az` };
}

/** Files an application that needs review (gov.az, R3.2) for alpha; returns its id. */
export async function applyGov(w: WebWorld): Promise<{ id: number; name: string }> {
  const res = await createDomain(w.t.reg, w.alpha, { name: w.nextGov(), registrant: 'alpha-owner' });
  if (res.status !== 'pending') throw new Error('expected an application');
  return { id: res.application.id, name: res.application.name };
}

export function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = res.headers['set-cookie'];
  for (const c of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    out[pair!.slice(0, eq)] = decodeURIComponent(pair!.slice(eq + 1));
  }
  return out;
}

export interface Signed { cookie: string; csrf: string }

/** Signs in through the form, as a browser does: GET /login for the form token, POST it with the password. */
export async function signInAs(app: FastifyInstance, email: string, password = PASSWORD, ip = '192.0.2.10'): Promise<{ res: LightMyRequestResponse; signed: Signed | null }> {
  const form = await app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
  const loginCsrf = cookiesOf(form).domen_login_csrf!;
  const res = await app.inject({
    method: 'POST', url: '/login', remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `domen_login_csrf=${loginCsrf}` },
    payload: new URLSearchParams({ email, password, _login_csrf: loginCsrf }).toString(),
  });
  const session = cookiesOf(res).domen_session;
  if (res.statusCode !== 303 || !session) return { res, signed: null };
  const me = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `domen_session=${session}` } });
  return { res, signed: { cookie: `domen_session=${session}`, csrf: (me.json() as { csrfToken: string }).csrfToken } };
}

/** One signed-in session for every portal role. */
export async function signInEveryRole(w: WebWorld): Promise<Record<PortalRole, Signed>> {
  const s = {} as Record<PortalRole, Signed>;
  for (const role of ALL_ROLES) s[role] = (await signInAs(w.app, USERS[role].email)).signed!;
  return s;
}

/** Page requests as a browser sends them: GET with the session cookie, POST a form with its CSRF token (null: anonymous). */
export function pageClient(w: WebWorld): {
  get(who: Signed | null, url: string): Promise<LightMyRequestResponse>;
  post(who: Signed | null, url: string, form: Record<string, string>): Promise<LightMyRequestResponse>;
} {
  return {
    get: (who, url) => w.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} }),
    post: (who, url, form) => w.app.inject({
      method: 'POST', url, headers: { ...(who ? { cookie: who.cookie } : {}), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...(who ? { _csrf: who.csrf } : {}), ...form }).toString(),
    }),
  };
}

/** Every input, select and textarea that is not hidden has a <label for> naming its id. */
export function assertLabelled(res: LightMyRequestResponse, where: string): void {
  const labels = new Set([...res.body.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
  for (const m of res.body.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    if (/type="hidden"/.test(m[2]!)) continue;
    const id = /\sid="([^"]+)"/.exec(m[2]!)?.[1];
    assert.ok(id && labels.has(id), `${where}: unlabelled <${m[1]}${m[2]}>`);
  }
}

/** A small PDF file (it starts as PDF files do, which is what the registry checks), for document uploads. */
export const SAMPLE_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n'), Buffer.from('1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')]);
