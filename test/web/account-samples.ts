// Registrants for the API tests and sample requests for the registrant's API routes (src/web/api/account-routes.ts),
// used by api.test.ts's every-route-every-role test: each returns a request that succeeds for the registrant, with
// fresh objects where the request consumes one (a domain to move or to give away, a message to mark read).
import type { FastifyInstance } from 'fastify';
import * as OTPAuth from 'otpauth';
import { beginTotp, confirmEmail, confirmTotp, getAccount, linkCertificate, signUpRegistrant } from '../../src/core/accounts.ts';
import { askOwnerChange } from '../../src/core/accounts-domains.ts';
import { contactAt, orderRegistration } from '../../src/core/accounts-orders.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { AGREEMENT_VERSION } from '../../src/web/account/agreement.ts';
import { personFromForm } from '../../src/web/account/person-form.ts';
import type { ApiRole } from '../../src/web/auth/principal.ts';
import { naturalPerson } from './account-setup.ts';
import { cookiesOf, type Signed, type WebWorld } from './setup.ts';

export const REGISTRANT_PASSWORD = 'Leyla-Pass-2026';

/** A confirmed registrant account, made as the sign-up page makes it (the link's secret taken from the e-mail's maker). */
export async function addRegistrant(w: WebWorld, email: string): Promise<number> {
  let secret = '';
  await signUpRegistrant(w.t.reg, { email, password: REGISTRANT_PASSWORD, lang: 'en', person: personFromForm(naturalPerson(email)) },
    { confirm: (s) => { secret = s; return `http://localhost/account/confirm?token=${s}`; }, signIn: 'http://localhost/account/login' });
  return (await confirmEmail(w.t.reg, secret)).userId;
}

/** Signs in at /account/login as a browser does; the CSRF token for API writes comes from GET /api/account. */
export async function signInRegistrant(app: FastifyInstance, email: string, password = REGISTRANT_PASSWORD, ip = '192.0.2.77'): Promise<Signed> {
  const form = await app.inject({ method: 'GET', url: '/account/login', remoteAddress: ip });
  const token = cookiesOf(form).domen_account_csrf!;
  const res = await app.inject({
    method: 'POST', url: '/account/login', remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `domen_account_csrf=${token}` },
    payload: new URLSearchParams({ email, password, _form: token }).toString(),
  });
  const session = cookiesOf(res).domen_session;
  if (res.statusCode !== 303 || !session) throw new Error(`registrant sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const me = await app.inject({ method: 'GET', url: '/api/account', headers: { cookie: `domen_session=${session}` } });
  return { cookie: `domen_session=${session}`, csrf: (me.json() as { csrfToken: string }).csrfToken };
}

let n = 0;

/** The code an authenticator shows at a time (RFC 6238, SHA-1, 6 digits, 30 s). */
export function totpCode(secret: string, at: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });
}
/** A new domain at alpha whose registrant contact is the account's (as a paid order files it). */
export async function ownedDomain(w: WebWorld, userId: number, label = 'hesab'): Promise<string> {
  const handle = await contactAt(w.t.reg, userId, 'alpha');
  const name = `${label}${++n}.az`;
  await createDomain(w.t.reg, w.alpha, { name, registrant: handle, hosts: ['ns1.alpha-dns.net', 'ns2.alpha-dns.net'], periodYears: 1 });
  return name;
}

export interface RegistrantFixture { userId: number; domain: string; otherEmail: string }

export async function accountSample(w: WebWorld, f: RegistrantFixture, key: string, role: ApiRole | null): Promise<{ url: string; payload?: unknown } | null> {
  const mine = role === 'registrant';
  const d = `/api/account/domains/${f.domain}`;
  const order = async () => (await orderRegistration(w.t.reg, f.userId, { name: `sifaris${++n}.az`, registrarId: 'alpha', periodYears: 1, hosts: [], agreementVersion: AGREEMENT_VERSION, accurate: true })).id;
  switch (key) {
    case 'GET /account': return { url: '/api/account' };
    case 'PUT /account/person': return { url: '/api/account/person', payload: { voice: '+994.502223345', city: 'Şəki' } };
    case 'GET /account/domains': return { url: '/api/account/domains' };
    case 'GET /account/domains/:name': return { url: d };
    case 'POST /account/domains/:name/renew': return { url: `${d}/renew`, payload: { periodYears: 1 } };
    case 'PUT /account/domains/:name/nameservers': return { url: `${d}/nameservers`, payload: { hosts: ['ns1.alpha-dns.net', 'ns2.alpha-dns.net'] } };
    case 'PUT /account/domains/:name/ds': return { url: `${d}/ds`, payload: { ds: [{ keyTag: 2371, algorithm: 13, digestType: 2, digest: '1F987CC6583E92DF0890718C42A5A3C2F1E3C8B1F4D5E6A7B8C9D0E1F2A3B4C5' }] } };
    case 'POST /account/domains/:name/transfer':
      return { url: `/api/account/domains/${mine ? await ownedDomain(w, f.userId, 'kocur') : f.domain}/transfer`, payload: { registrarId: 'beta' } };
    case 'POST /account/domains/:name/owner-change':
      return { url: `/api/account/domains/${mine ? await ownedDomain(w, f.userId, 'satis') : f.domain}/owner-change`, payload: { email: f.otherEmail, request: 'I sold the name.' } };
    case 'GET /account/lookup': return { url: '/api/account/lookup?name=yeni-ad.az' };
    case 'GET /account/orders': return { url: '/api/account/orders' };
    case 'POST /account/orders':
      return { url: '/api/account/orders', payload: { name: `ariza${++n}.az`, registrarId: 'alpha', periodYears: 1, hosts: ['ns1.alpha-dns.net', 'ns2.alpha-dns.net'], agreementVersion: AGREEMENT_VERSION, accurate: true } };
    case 'GET /account/orders/:id': return { url: `/api/account/orders/${await order()}` };
    case 'POST /account/orders/:id/payment': return { url: `/api/account/orders/${await order()}/payment` };
    case 'GET /account/inbox': return { url: '/api/account/inbox' };
    case 'POST /account/totp': return { url: '/api/account/totp' };
    case 'POST /account/totp/confirm': {
      const { secret } = await beginTotp(w.t.reg, f.userId);
      return { url: '/api/account/totp/confirm', payload: { code: totpCode(secret, w.t.clock.now().getTime()) } };
    }
    case 'POST /account/totp/disable': {
      // Enrolled with the code of this time step; the request brings the next step's (each step is accepted once).
      const { secret } = await beginTotp(w.t.reg, f.userId);
      const now = w.t.clock.now().getTime();
      if (mine) await confirmTotp(w.t.reg, f.userId, totpCode(secret, now));
      return { url: '/api/account/totp/disable', payload: { code: totpCode(secret, now + 30_000) } };
    }
    case 'POST /account/certificates': return { url: '/api/account/certificates' };
    case 'DELETE /account/certificates/:id': {
      const fingerprint = `${'AB:'.repeat(31)}${(++n % 256).toString(16).padStart(2, '0').toUpperCase()}`;
      await linkCertificate(w.t.reg, f.userId, { fingerprint, subject: `CN=Leyla ${n}`, issuer: 'CN=Test e-signature CA', notAfter: new Date(w.t.clock.now().getTime() + 86_400_000) });
      const c = (await getAccount(w.t.reg.db, f.userId)).certificates.find((x) => x.fingerprint === fingerprint)!;
      return { url: `/api/account/certificates/${c.id}` };
    }
    case 'POST /account/owner-changes/:id/accept': {
      // Offered to this account by the other one, which sells it a name of its own.
      const other = await w.t.reg.db.selectFrom('users').select('id').where('email', '=', f.otherEmail).executeTakeFirstOrThrow();
      const me = await w.t.reg.db.selectFrom('users').select('email').where('id', '=', f.userId).executeTakeFirstOrThrow();
      const oc = await askOwnerChange(w.t.reg, other.id, await ownedDomain(w, other.id, 'satilir'), me.email, 'Sold to the account holder.');
      return { url: `/api/account/owner-changes/${oc.id}/accept`, payload: { agreementVersion: AGREEMENT_VERSION } };
    }
    case 'POST /account/inbox/:id/read': {
      const m = await w.t.reg.db.insertInto('inbox_messages').values({ user_id: f.userId, at: w.t.clock.now(), subject: 'Receipt', body: 'Paid.', notification_id: null })
        .returning('id').executeTakeFirstOrThrow();
      return { url: `/api/account/inbox/${m.id}/read` };
    }
  }
  return null;
}
