// The registrant account over HTTP (fastify inject, with the payment provider and SMTP on real loopback sockets):
// sign-up with R3.7/R3.8 data and its refusals, the confirmation e-mail and its one-time link, sign-in with and
// without TOTP, an application paid through the provider's signed callback and followed to approval in the inbox,
// renewal, name servers, DS, contact data (R8.5), a move to another registrar and a change of owner (R10.1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { deliverPending, smtpTransport } from '../../src/notify/index.ts';
import { approveApplication } from '../../src/core/applications.ts';
import { getContact } from '../../src/core/contacts.ts';
import { getDomain } from '../../src/core/domains/view.ts';
import { na } from '../helpers/fixtures.ts';
import { signPayload } from '../../src/web/account/payments.ts';
import { AGREEMENT_VERSION } from '../../src/web/account/agreement.ts';
import { createPaymentRecord, getOrder, orderRegistration } from '../../src/core/accounts-orders.ts';
import { accountWorld, confirmationLink, naturalPerson, type AccountWorld } from './account-setup.ts';
import { cookiesOf, USERS, signInAs } from './setup.ts';

let aw: AccountWorld;
before(async () => { aw = await accountWorld(); });
after(async () => { await aw?.close(); });

/** A browser-like client: keeps cookies, reads the hidden form tokens of the page it posts from. */
class Client {
  jar: Record<string, string> = {};
  constructor(readonly ip = '198.51.100.7') {}
  private cookie() { return Object.entries(this.jar).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; '); }
  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await aw.app.inject({ method: 'GET', url, remoteAddress: this.ip, headers: { cookie: this.cookie() } });
    Object.assign(this.jar, cookiesOf(res));
    return res;
  }
  /** Posts the form of `page` whose action ends with `action`, with its hidden fields. */
  async post(page: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.postFrom((await this.get(page)).body, action, fields);
  }
  /** Posts a form of a page already shown (e.g. the answer to the previous post). */
  async postFrom(html: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const hidden: Record<string, string> = {};
    const forms = html.split('<form').slice(1);
    const tail = action.split('/').slice(-1)[0]!;
    // Every hidden field of the form posted to `action`, as a browser sends them (the page may spell the name as its A-label).
    const form = forms.find((f) => f.includes(`action="${action}"`)) ?? forms.find((f) => new RegExp(`action="[^"]*/${tail}"`).test(f)) ?? '';
    const target = /action="([^"]+)"/.exec(form)?.[1] ?? action;
    for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) hidden[m[1]!] = m[2]!.replace(/&amp;/g, '&');
    const res = await aw.app.inject({
      method: 'POST', url: target, remoteAddress: this.ip,
      headers: { cookie: this.cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...hidden, ...fields }).toString(),
    });
    Object.assign(this.jar, cookiesOf(res));
    return res;
  }
}

/** The page's error message, if any. */
const alert = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1] ?? '';
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

async function signUpAndConfirm(c: Client, email: string, over: Record<string, string> = {}): Promise<void> {
  const res = await c.post('/account/signup?lang=en', '/account/signup', naturalPerson(email, over));
  assert.equal(res.statusCode, 201, text(res.body));
  const link = new URL(await confirmationLink(aw, email));
  const page = await c.get(`${link.pathname}${link.search}`);
  const token = /name="token" value="([^"]+)"/.exec(page.body)![1]!;
  const done = await c.post(`${link.pathname}${link.search}`, '/account/confirm', { token });
  assert.match(text(done.body), /The address is confirmed/);
}

async function signIn(c: Client, email: string, password = 'Leyla-Pass-2026'): Promise<LightMyRequestResponse> {
  return c.post('/account/login?lang=en', '/account/login', { email, password });
}

/** Pays at the test provider as the payer would (its page's Pay button) and follows it back; returns the order page. */
async function payAt(c: Client, redirect: string, decision = 'pay'): Promise<LightMyRequestResponse> {
  assert.ok(redirect.startsWith(aw.provider.url), redirect);
  const res = await fetch(redirect, { method: 'POST', body: new URLSearchParams({ decision }), redirect: 'manual' });
  const back = new URL(res.headers.get('location')!);
  return c.get(`${back.pathname}?lang=en`);
}

describe('registrant sign-up (R3.6-R3.8)', () => {
  test('formats of R3.7 are checked by the core: a bad ID number and a bad TIN are refused with the clause, nothing is created', async () => {
    const c = new Client();
    const bad = await c.post('/account/signup?lang=en', '/account/signup', naturalPerson('bad-id@example.az', { idNumber: '123' }));
    assert.equal(bad.statusCode, 400);
    assert.match(text(bad.body), /ID number '123' does not fit series AZE \(R3\.7\)/);
    // The form comes back filled in, so nothing typed is lost.
    assert.match(bad.body, /value="Məmmədova"/);
    const tin = await c.post('/account/signup?lang=en', '/account/signup', naturalPerson('bad-tin@example.az', { tinNatural: '12AB' }));
    assert.match(text(tin.body), /TIN '12AB' must be 10 digits/);
    const legal = await c.post('/account/signup?lang=en', '/account/signup', { ...naturalPerson('firm@example.az'), kind: 'legal', orgName: 'Şəki Turizm MMC', regCountry: 'AZ', tin: '1700456781' });
    assert.match(text(legal.body), /director's or representative's name \(R3\.8\)/);
    const users = await aw.w.t.reg.db.selectFrom('users').select('email').where('email', 'in', ['bad-id@example.az', 'bad-tin@example.az', 'firm@example.az']).execute();
    assert.deepEqual(users, []);
  });

  test('signing up again with an address that has an account answers as for a new one; the address owner is told', async () => {
    const c = new Client();
    const email = 'ikinci@example.az';
    await signUpAndConfirm(c, email);
    const again = await new Client().post('/account/signup?lang=en', '/account/signup', naturalPerson(email.toUpperCase(), { givenName: 'Başqa' }));
    assert.equal(again.statusCode, 201, text(again.body));
    assert.equal(alert(again.body), '');
    await deliverPending(aw.w.t.reg, { transport: smtpTransport(aw.mail.url) });
    const m = aw.mail.to(email.toUpperCase()).at(-1)!;
    assert.match(m.subject, /a new sign-up with this address/);
    assert.match(m.text, /No new account was created/);
    assert.match(m.text, /\/account\/login/);
    const users = await aw.w.t.reg.db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', email).execute();
    assert.equal(users.length, 1);
  });

  test('a form posted without its token is refused', async () => {
    const res = await aw.app.inject({ method: 'POST', url: '/account/signup?lang=en', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(naturalPerson('x@example.az')).toString() });
    assert.equal(res.statusCode, 403);
  });

  test('the account opens only through the e-mailed one-time link; sign-in before that fails', async () => {
    const c = new Client();
    const email = 'orxan@example.az';
    await c.post('/account/signup?lang=en', '/account/signup', naturalPerson(email, { givenName: 'Orxan' }));
    assert.equal((await signIn(c, email)).statusCode, 401);
    const link = new URL(await confirmationLink(aw, email));
    const m = aw.mail.to(email).at(-1)!;
    assert.match(m.subject, /Confirm your e-mail address/);
    assert.match(m.text, /Dear Orxan Məmmədova/);
    const token = link.searchParams.get('token')!;
    // Opening the link changes nothing; the button does, once.
    await c.get(`${link.pathname}${link.search}`);
    assert.equal((await signIn(c, email)).statusCode, 401);
    assert.match(text((await c.post(`${link.pathname}${link.search}`, '/account/confirm', { token })).body), /confirmed/);
    const again = await c.post(`${link.pathname}${link.search}`, '/account/confirm', { token });
    assert.equal(again.statusCode, 404);
    const ok = await signIn(c, email);
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/account');
    assert.match(text((await c.get('/account?lang=en')).body), /Orxan Məmmədova · orxan@example\.az/);
    // The registrant's session is not a registrar's or the NA's.
    const other = await c.get('/registrar');
    assert.equal(other.statusCode, 303);
    assert.match(String(other.headers.location), /^\/login\?next=/);
    // And the staff sign-in does not take a registrant's password.
    assert.equal((await signInAs(aw.w.app, email, 'Leyla-Pass-2026')).signed, null);
  });

  test('a registrar user cannot use the account pages', async () => {
    const { signed } = await signInAs(aw.app, USERS.registrar_admin.email);
    const res = await aw.app.inject({ method: 'GET', url: '/account?lang=en', headers: { cookie: signed!.cookie } });
    assert.equal(res.statusCode, 403);
    assert.match(text(res.body), /This page is for registrants/);
  });
});

describe('TOTP (RFC 6238)', () => {
  test('enrolment needs a code from the new secret; then sign-in asks for a code, a used code does not work twice', async () => {
    const c = new Client('198.51.100.8');
    const email = 'totp@example.az';
    await signUpAndConfirm(c, email);
    await signIn(c, email);
    const start = await c.post('/account/security?lang=en', '/account/security/totp', {});
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(start.body)![1]!;
    assert.match(start.body, /otpauth:\/\/totp\//);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const now = aw.w.t.clock.now().getTime();
    const wrong = await c.postFrom(start.body, '/account/security/totp/confirm', { code: String((Number(totp.generate({ timestamp: now })) + 1) % 1_000_000).padStart(6, '0') });
    assert.equal(wrong.statusCode, 401);
    // The pending secret stays after a wrong code: enrol again, then confirm right.
    const start2 = await c.post('/account/security?lang=en', '/account/security/totp', {});
    const secret2 = /id="totp-secret">([A-Z2-7]+)</.exec(start2.body)![1]!;
    const totp2 = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret2), digits: 6, period: 30, algorithm: 'SHA1' });
    const ok = await c.postFrom(start2.body, '/account/security/totp/confirm', { code: totp2.generate({ timestamp: now }) });
    assert.match(text(ok.body), /Two-step sign-in is on/);

    const d = new Client('198.51.100.9');
    const pw = await signIn(d, email);
    assert.equal(pw.statusCode, 200);
    assert.match(pw.body, /6-digit code/);
    assert.equal(d.jar.domen_session, undefined);
    aw.w.t.clock.advance(31_000);
    const code = totp2.generate({ timestamp: aw.w.t.clock.now().getTime() });
    const in1 = await d.postFrom(pw.body, '/account/login/totp', { code });
    assert.equal(in1.statusCode, 303);
    assert.ok(d.jar.domen_session);
    // The same code again (another sign-in within its 30 s) is refused: RFC 6238 §5.2.
    const e = new Client('198.51.100.10');
    const pw2 = await signIn(e, email);
    const replay = await e.postFrom(pw2.body, '/account/login/totp', { code });
    assert.equal(replay.statusCode, 401);
    assert.match(text(replay.body), /wrong or was already used/);
  });

  test('wrong codes count as failed sign-ins: five of them lock the account, password or not', async () => {
    const c = new Client('198.51.100.11');
    const page = await signIn(c, 'totp@example.az');
    // (The test clock stands still: a second passes so that the codes come after the password's success.)
    aw.w.t.clock.advance(1000);
    let form = page.body;
    for (let i = 0; i < 5; i++) {
      const res = await c.postFrom(form, '/account/login/totp', { code: '000000' });
      assert.equal(res.statusCode, 401);
      form = res.body;
    }
    const locked = await signIn(c, 'totp@example.az');
    assert.equal(locked.statusCode, 429);
    assert.match(alert(locked.body), /locked/);
  });
});

describe('applying, paying, following (R3.10-R3.12), then the domain', () => {
  const email = 'leyla@example.az';
  const c = new Client('198.51.100.20');
  let orderId = 0;

  before(async () => { await signUpAndConfirm(c, email); await signIn(c, email); });

  test('look-up: an IDN name needing review, with its A-label and suggestions in other general-use zones', async () => {
    const res = await c.get(`/account/lookup?lang=en&name=${encodeURIComponent('şəki-turizm.az')}`);
    const page = text(res.body);
    assert.match(page, /şəki-turizm\.az \( xn--[a-z0-9-]+\.az \)\s*: available; the application will be reviewed/);
    assert.match(page, /Other options/);
    assert.match(page, /şəki-turizm\.com\.az/);
    assert.match(text((await c.get('/account/lookup?lang=en&name=kitab0.az')).body), /kitab0\.az\s*: taken/);
  });

  test('without accepting the agreement nothing is ordered (R3.10)', async () => {
    const res = await c.post(`/account/apply?lang=en&name=${encodeURIComponent('şəki-turizm.az')}`, '/account/apply', { name: 'şəki-turizm.az', registrarId: 'alpha', periodYears: '1', accurate: 'yes' });
    assert.equal(res.statusCode, 400);
    assert.match(alert(res.body), /read and accept the Registration Agreement before applying \(R3\.10\)/);
    assert.equal((await aw.w.t.reg.db.selectFrom('account_orders').select('id').execute()).length, 0);
  });

  test('a declined payment files nothing; a paid one files the application through the registrar, and the receipt reaches the inbox (R3.11)', async () => {
    const apply = () => c.post(`/account/apply?lang=en&name=${encodeURIComponent('şəki-turizm.az')}`, '/account/apply', {
      name: 'şəki-turizm.az', registrarId: 'alpha', periodYears: '2', hosts: 'ns1.alpha-dns.net\nns2.alpha-dns.net', accept: 'yes', accurate: 'yes',
    });
    const first = await apply();
    assert.equal(first.statusCode, 303, alert(first.body));
    const declined = await payAt(c, first.headers.location as string, 'decline');
    assert.match(text(declined.body), /Status awaiting payment/);
    const res = await apply();
    const order = await payAt(c, res.headers.location as string);
    assert.match(text(order.body), /Status under review by the National Administrator \(R3\.12\)/);
    const row = await aw.w.t.reg.db.selectFrom('account_orders').selectAll().where('status', '=', 'filed').executeTakeFirstOrThrow();
    orderId = row.id;
    assert.equal(row.agreement_version?.startsWith('resolution-63-2019-model@'), true);
    assert.ok(row.agreement_accepted_at);
    const app = await aw.w.t.reg.db.selectFrom('applications').selectAll().where('id', '=', row.application_id!).executeTakeFirstOrThrow();
    assert.equal(app.registrar_id, 'alpha');
    assert.equal(app.unicode_name, 'şəki-turizm.az');
    assert.equal(app.period_years, 2);
    const contact = await aw.w.t.reg.db.selectFrom('contacts').select(['account_id', 'given_name', 'id_number']).where('id', '=', app.registrant_id).executeTakeFirstOrThrow();
    assert.deepEqual({ ...contact }, { account_id: row.user_id, given_name: 'Leyla', id_number: '17654321' });
    const inbox = text((await c.get('/account/inbox?lang=en')).body);
    assert.match(inbox, /şəki-turizm\.az/);
    // The provider's amount is the price of two years.
    const paid = [...aw.provider.payments.values()].find((p) => p.status === 'paid')!;
    assert.equal(paid.amount, row.amount);
    assert.ok(row.amount > 0);
  });

  test('a callback with a bad signature, a stale one, or one with another amount changes nothing; a repeated one counts once', async () => {
    const body = JSON.stringify({ id: 'tp_x', reference: 'Pnone', status: 'paid', amount: 1, currency: 'AZN' });
    const forged = await fetch(`${aw.base}/account/payments/callback`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-payment-signature': signPayload('not the secret', body, Math.floor(Date.now() / 1000)) }, body });
    assert.equal(forged.status, 401);
    const stale = await fetch(`${aw.base}/account/payments/callback`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-payment-signature': signPayload(aw.provider.secret, body, Math.floor(Date.now() / 1000) - 3600) }, body });
    assert.equal(stale.status, 401);
    const unknown = await fetch(`${aw.base}/account/payments/callback`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-payment-signature': signPayload(aw.provider.secret, body, Math.floor(Date.now() / 1000)) }, body });
    assert.equal(unknown.status, 404);
    // A signed callback for a real payment, with less than the order's amount: refused, the order waits; the right amount files it.
    const userId = (await aw.w.t.reg.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const order = await orderRegistration(aw.w.t.reg, userId, { name: 'kənd-evi.az', registrarId: 'beta', periodYears: 1, hosts: [], agreementVersion: AGREEMENT_VERSION, accurate: true });
    const pay = await createPaymentRecord(aw.w.t.reg, userId, order.id, 'hmac');
    const send = (amount: number) => {
      const b = JSON.stringify({ id: 'tp_manual', reference: pay.id, status: 'paid', amount, currency: 'AZN' });
      return fetch(`${aw.base}/account/payments/callback`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-payment-signature': signPayload(aw.provider.secret, b, Math.floor(Date.now() / 1000)) }, body: b });
    };
    const short = await send(pay.amount - 1);
    assert.equal(short.ok, false);
    assert.match(((await short.json()) as { message: string }).message, /due/);
    assert.equal((await getOrder(aw.w.t.reg, userId, order.id)).status, 'awaiting_payment');
    const right = await send(pay.amount);
    assert.equal(right.status, 200);
    assert.deepEqual(await right.json(), { ok: true, order: order.id, status: 'filed' });
    // Said twice, it is still one payment and one registration.
    assert.equal((await send(pay.amount)).status, 200);
    assert.equal((await aw.w.t.reg.db.selectFrom('domains').select('id').where('unicode_name', '=', 'kənd-evi.az').execute()).length, 1);
  });

  test('the NA approves: the account shows the name with its expiry, and the decision is in the inbox (R3.12)', async () => {
    const row = await aw.w.t.reg.db.selectFrom('account_orders').select('application_id').where('id', '=', orderId).executeTakeFirstOrThrow();
    await approveApplication(aw.w.t.reg, na, row.application_id!);
    const home = text((await c.get('/account?lang=en')).body);
    assert.match(home, /approved and registered/);
    const d = await getDomain(aw.w.t.reg, 'şəki-turizm.az');
    assert.match(home, new RegExp(`şəki-turizm\\.az alpha ${d.expiresAt.toISOString().slice(0, 10)}`));
    assert.match(text((await c.get('/account/inbox?lang=en')).body), /approved/i);
  });

  test('renewal is paid and done by the sponsoring registrar', async () => {
    const before = await getDomain(aw.w.t.reg, 'şəki-turizm.az');
    const page = `/account/domains/${encodeURIComponent('şəki-turizm.az')}?lang=en`;
    const res = await c.post(page, `/account/domains/${encodeURIComponent('şəki-turizm.az')}/renew`, { periodYears: '1' });
    assert.equal(res.statusCode, 303);
    const order = await payAt(c, res.headers.location as string);
    assert.match(text(order.body), /Status renewed/);
    const after = await getDomain(aw.w.t.reg, 'şəki-turizm.az');
    assert.equal(after.expiresAt.getUTCFullYear(), before.expiresAt.getUTCFullYear() + 1);
  });

  test('name servers and DS change through the registrar', async () => {
    const name = encodeURIComponent('şəki-turizm.az');
    const page = `/account/domains/${name}?lang=en`;
    const ns = await c.post(page, `/account/domains/${name}/nameservers`, { hosts: 'ns1.turizm-dns.net\nns2.turizm-dns.net' });
    assert.match(text(ns.body), /Name servers changed/);
    const ds = await c.post(page, `/account/domains/${name}/ds`, { ds: '2371 13 2 1F987CC6583E92DF0890718C42A5A3C2F1E3C8B1F4D5E6A7B8C9D0E1F2A3B4C5' });
    assert.match(text(ds.body), /DS records changed/);
    const bad = await c.post(page, `/account/domains/${name}/ds`, { ds: 'not a record' });
    assert.equal(bad.statusCode, 400);
    const d = await getDomain(aw.w.t.reg, 'şəki-turizm.az');
    assert.deepEqual(d.hosts.sort(), ['ns1.turizm-dns.net', 'ns2.turizm-dns.net']);
    assert.equal(d.ds.length, 1);
    assert.equal(d.updatedBy, 'alpha');
  });

  test('contact data kept current (R8.5): the contact at the registrar changes too; a bad phone is refused', async () => {
    const bad = await c.post('/account/profile?lang=en', '/account/profile', { ...naturalPerson(email), voice: '0501234567' });
    assert.equal(bad.statusCode, 400);
    assert.match(text(bad.body), /not a telephone number/);
    const ok = await c.post('/account/profile?lang=en', '/account/profile', { ...naturalPerson(email), street: 'M. F. Axundov küç. 5', voice: '+994.559998877' });
    assert.match(text(ok.body), /Data updated/);
    const d = await getDomain(aw.w.t.reg, 'şəki-turizm.az');
    const contact = await getContact(aw.w.t.reg, d.registrant);
    assert.deepEqual(contact.street, ['M. F. Axundov küç. 5']);
    assert.equal(contact.voice, '+994.559998877');
  });

  test('a change of owner (R10.1): requested here, completed when the new owner accepts a new agreement', async () => {
    const other = new Client('198.51.100.21');
    await signUpAndConfirm(other, 'kamran@example.az', { givenName: 'Kamran', idNumber: '17650000' });
    await signIn(other, 'kamran@example.az');
    const name = encodeURIComponent('şəki-turizm.az');
    const req = await c.post(`/account/domains/${name}?lang=en`, `/account/domains/${name}/owner`, { email: 'kamran@example.az', request: 'Sold with the business' });
    assert.match(text(req.body), /Request filed/);
    const home = await other.get('/account?lang=en');
    assert.match(text(home.body), /Domains offered to you \(R10\.1\) şəki-turizm\.az/);
    const id = /action="\/account\/owner-changes\/(\d+)\/accept"/.exec(home.body)![1]!;
    const done = await other.post('/account?lang=en', `/account/owner-changes/${id}/accept`, { accept: 'yes' });
    assert.match(text(done.body), /şəki-turizm\.az is now yours/);
    const oc = await aw.w.t.reg.db.selectFrom('owner_changes').select(['status', 'agreement_version']).where('id', '=', Number(id)).executeTakeFirstOrThrow();
    assert.equal(oc.status, 'completed');
    assert.match(oc.agreement_version!, /^resolution-63-2019-model@/);
    // The former owner no longer sees it.
    assert.equal((await c.get(`/account/domains/${name}?lang=en`)).statusCode, 404);
    // The new owner moves it to another registrar (R1.4): a pending transfer with the authInfo.
    const moved = await other.post(`/account/domains/${name}?lang=en`, `/account/domains/${name}/transfer`, { registrarId: 'beta' });
    assert.match(text(moved.body), /Transfer to Registrar beta requested/);
    const tr = await aw.w.t.reg.db.selectFrom('transfers').select(['gaining_registrar_id', 'losing_registrar_id', 'status']).executeTakeFirstOrThrow();
    assert.deepEqual({ ...tr }, { gaining_registrar_id: 'beta', losing_registrar_id: 'alpha', status: 'pending' });
  });

  test('every account page exists in az, en and ru with labelled fields and no inline script or style', async () => {
    for (const lang of ['az', 'en', 'ru']) {
      for (const path of ['/account', '/account/profile', '/account/security', '/account/inbox', `/account/apply?name=${encodeURIComponent('yeni-ad.az')}`]) {
        const res = await c.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res.statusCode, 200, path);
        assert.match(res.body, new RegExp(`<html lang="${lang}">`));
        assert.doesNotMatch(res.body, /<script|style=/);
        for (const m of res.body.matchAll(/<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|radio|checkbox)")[^>]*\bid="([^"]+)"/g)) {
          assert.match(res.body, new RegExp(`<label for="${m[1]}"`), `${path} ${lang}: #${m[1]} has a label`);
        }
      }
    }
  });
});
