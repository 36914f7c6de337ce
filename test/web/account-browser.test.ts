// The registrant's journeys in a real browser (playwright-core driving Debian's chromium): a natural person signs
// up, confirms the e-mailed link, applies for şəki-turizm.az through a registrar, accepts the agreement and pays at
// the (test) provider; the National Administrator approves it in the console; the name is then in RDAP and the DNS
// server answers a referral for it. And sign-in by an e-signature certificate over TLS client authentication (R3.9),
// with a test CA made here as the trust anchor. Screenshots go to $DOMEN_TEST_ARTIFACTS/domen-web-screens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rdapPlugin } from '../../src/rdap/plugin.ts';
import { portal } from '../../src/web/portal.ts';
import { hmacProvider } from '../../src/web/account/payments.ts';
import { accountTlsOptions } from '../../src/web/account/certificates.ts';
import { buildAll } from '../../src/dns/build.ts';
import { ZoneStore, startDns } from '../../src/dns/server.ts';
import { kdig, testConfig } from '../dns/setup.ts';
import { freePort } from '../cli/harness.ts';
import { accountWorld, confirmationLink, type AccountWorld } from './account-setup.ts';
import { PASSWORD, USERS } from './setup.ts';
import { CHROMIUM, SHOTS, launchChromium, seriousAxeFindings } from './browser-world.ts';

const need = [CHROMIUM, '/usr/bin/openssl', '/usr/bin/kdig'].filter((f) => !existsSync(f));
const skip = need.length ? `not installed: ${need.join(', ')}: browser journeys skipped` : false;
const shots = SHOTS;

let aw: AccountWorld;
let tls: FastifyInstance;
let tlsBase = '';
let browser: Browser;
let dir = '';
const EMAIL = 'leyla.mammadova@example.az';
const PW = 'Leyla-Pass-2026';

/** A test e-signature CA, a server certificate for 127.0.0.1, a client certificate it issued, and one from a stranger CA. */
function makePki(d: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  for (const ca of ['ca', 'stranger']) {
    ssl('req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '30', '-subj', `/CN=${ca === 'ca' ? 'Test e-signature CA' : 'Stranger CA'}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  }
  const issue = (name: string, ca: string, subj: string, ext: string) => {
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj, '-utf8');
    writeFileSync(path.join(d, `${name}.ext`), ext);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '10', '-extfile', `${name}.ext`);
  };
  issue('server', 'ca', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue('leyla', 'ca', '/C=AZ/CN=Leyla Məmmədova/serialNumber=AZE17654321', 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  issue('mallory', 'stranger', '/C=AZ/CN=Leyla Məmmədova/serialNumber=AZE17654321', 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'domen-account-pki-'));
  makePki(dir);
  const tlsPort = await freePort();
  tlsBase = `https://127.0.0.1:${tlsPort}`;
  aw = await accountWorld({
    certificateUrl: tlsBase,
    register: async (app, w) => { await app.register(rdapPlugin, { prefix: '/rdap', reg: w.t.reg, rateLimit: false }); },
  });
  // The listener with TLS client authentication: the trust anchor is the test CA, as DOMEN_ACCOUNT_CLIENT_CA would name it.
  const read = (f: string) => readFileSync(path.join(dir, f));
  tls = Fastify({ logger: false, https: accountTlsOptions({ key: read('server.key'), cert: read('server.crt'), clientCa: read('ca.crt') }) });
  await tls.register(portal, { reg: aw.w.t.reg, account: { payments: hmacProvider({ apiUrl: aw.provider.url, secret: aw.provider.secret }), publicUrl: tlsBase, certificateUrl: tlsBase } });
  await tls.listen({ host: '127.0.0.1', port: tlsPort });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await tls?.close();
  await aw?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signInWithPassword(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/account/login?lang=en`);
  await page.getByLabel('E-mail').fill(EMAIL);
  await page.getByLabel('Password').fill(PW);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/account`);
}

function cspErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) errors.push(m.text()); });
  return errors;
}

describe('registrant journeys in chromium', { skip }, () => {
  test('sign up, confirm, apply for şəki-turizm.az, pay; the NA approves; the name is in RDAP and DNS', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const errors = cspErrors(page);
    const base = aw.base;

    await page.goto(`${base}/account/signup?lang=en`);
    await page.getByLabel('A natural person (R3.7)').check();
    const fill: [string, string][] = [['Given name', 'Leyla'], ['Family name', 'Məmmədova'], ['Patronymic', 'Əli qızı'], ['Citizenship (country code, e.g. AZ)', 'AZ'],
      ['ID document series (AZE, AA, MYI, DYI)', 'AZE'], ['ID document number', '17654321'], ['Issuing authority', 'ASAN xidmət'], ['Date of issue', '2021-05-10'],
      ['Street and number', 'Füzuli küç. 12'], ['City', 'Şəki'], ['Postal code', 'AZ5500'], ['Country (code)', 'AZ'], ['Telephone (+994.501234567)', '+994.502223344'],
      ['E-mail', EMAIL], ['Password (8 or more characters: lower and upper case, a digit)', PW]];
    for (const [label, value] of fill) await page.getByLabel(label, { exact: true }).fill(value);
    await page.screenshot({ path: path.join(shots, 'account-signup.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign up' }).click();
    assert.match(await page.getByRole('status').innerText(), /Open the link sent to leyla\.mammadova@example\.az/);

    await page.goto(`${await confirmationLink(aw, EMAIL)}&lang=en`);
    await page.getByRole('button', { name: 'Confirm' }).click();
    assert.match(await page.getByRole('status').innerText(), /The address is confirmed/);

    await signInWithPassword(page, base);
    // Keyboard only: the look-up field, typed, submitted with Enter.
    await page.getByLabel('Domain name (e.g. şəki-turizm.az)').focus();
    await page.keyboard.type('şəki-turizm.az');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/account\/lookup/);
    assert.match(await page.locator('#result').innerText(), /şəki-turizm\.az \(xn--ki-turizm-z2b46y\.az\): available; the application will be reviewed/);
    assert.match(await page.locator('#suggestions').innerText(), /şəki-turizm\.com\.az/);
    await page.screenshot({ path: path.join(shots, 'account-lookup.png'), fullPage: true });
    await page.getByRole('link', { name: 'Apply: şəki-turizm.az' }).click();

    await page.getByLabel('Registrar (R1.4: your free choice)').selectOption('alpha');
    await page.getByLabel('Period (years)').selectOption('1');
    await page.getByLabel('Name servers (one per line; may stay empty)').fill('ns1.alpha-dns.net\nns2.alpha-dns.net');
    await page.getByLabel(/I have read the Registration Agreement/).check();
    await page.getByLabel(/I confirm the data are complete and accurate/).check();
    await page.screenshot({ path: path.join(shots, 'account-apply.png'), fullPage: true });
    await page.getByRole('button', { name: 'Accept and pay' }).click();

    // The provider's page (another origin), then back to the order.
    await page.waitForURL(`${aw.provider.url}/pay/**`);
    assert.match(await page.locator('#amount').innerText(), /30\.00 AZN/);
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/account\/orders\/\d+$/);
    assert.match(await page.locator('#order-status').innerText(), /under review by the National Administrator \(R3\.12\)/);
    await page.screenshot({ path: path.join(shots, 'account-order-pending.png'), fullPage: true });

    // R3.11: the receipt is in the account's inbox at once.
    await page.goto(`${base}/account/inbox?lang=en`);
    assert.match(await page.locator('main').innerText(), /şəki-turizm\.az/);

    // The National Administrator approves it in the console.
    const app = await aw.w.t.reg.db.selectFrom('applications').select('id').where('unicode_name', '=', 'şəki-turizm.az').executeTakeFirstOrThrow();
    const na = await browser.newContext();
    const naPage = await na.newPage();
    await naPage.goto(`${base}/login?lang=en`);
    await naPage.getByLabel('E-mail').fill(USERS.na_staff.email);
    await naPage.getByLabel('Password').fill(PASSWORD);
    await naPage.getByRole('button', { name: 'Sign in' }).click();
    await naPage.waitForURL(`${base}/admin`);
    await naPage.locator(`#application-${app.id}`).getByRole('button', { name: /^Approve/ }).click();
    await naPage.getByRole('status').waitFor();
    assert.match(await naPage.getByRole('status').innerText(), /şəki-turizm\.az approved and registered/);
    await na.close();

    // The registrant follows it: approved, with the expiry, and the decision in the inbox (R3.12).
    await page.goto(`${base}/account?lang=en`);
    assert.match(await page.locator(`#order-${(await aw.w.t.reg.db.selectFrom('account_orders').select('id').executeTakeFirstOrThrow()).id} .order-status`).innerText(), /approved and registered/);
    assert.match(await page.getByRole('table', { name: 'My domains' }).innerText(), /şəki-turizm\.az\s+alpha\s+2027-\d\d-\d\d/);
    await page.screenshot({ path: path.join(shots, 'account-approved.png'), fullPage: true });

    // The same overview in Azerbaijani and Russian.
    await page.goto(`${base}/account?lang=az`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Hesabım');
    await page.goto(`${base}/account?lang=ru`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Мой кабинет');
    assert.deepEqual(errors, []);
    await ctx.close();

    // Live in RDAP (RFC 9083), by its A-label.
    const rdap = await fetch(`${base}/rdap/domain/xn--ki-turizm-z2b46y.az`);
    assert.equal(rdap.status, 200);
    const doc = await rdap.json() as { ldhName: string; unicodeName: string; nameservers: { ldhName: string }[] };
    assert.equal(doc.ldhName.toLowerCase(), 'xn--ki-turizm-z2b46y.az');
    assert.equal(doc.unicodeName, 'şəki-turizm.az');
    assert.deepEqual(doc.nameservers.map((n) => n.ldhName.toLowerCase()).sort(), ['ns1.alpha-dns.net', 'ns2.alpha-dns.net']);

    // Live in DNS: the authoritative server for az refers a query below the name to its name servers.
    const store = new ZoneStore();
    for (const z of (await buildAll(aw.w.t.reg.db, testConfig(), aw.w.t.clock)).zones.values()) store.set(z);
    const dns = await startDns(store, { host: '127.0.0.1', port: 0 });
    try {
      // +noidn: the owner names as the wire has them (A-labels), not kdig's Unicode rendering.
      const r = await kdig(dns.port, ['+noidn', 'www.xn--ki-turizm-z2b46y.az', 'A']);
      assert.match(r, /status: NOERROR/);
      assert.doesNotMatch(r, /Flags: qr aa/);
      assert.match(r, /^xn--ki-turizm-z2b46y\.az\.\s+\d+\s+IN\s+NS\s+ns1\.alpha-dns\.net\./m);
      assert.match(r, /^xn--ki-turizm-z2b46y\.az\.\s+\d+\s+IN\s+NS\s+ns2\.alpha-dns\.net\./m);
    } finally {
      await dns.close();
    }
  });

  test('an e-signature certificate is linked once, then signs in alone; one from an untrusted CA is refused (R3.9)', async () => {
    const cert = (name: string) => ({ origin: tlsBase, certPath: path.join(dir, `${name}.crt`), keyPath: path.join(dir, `${name}.key`) });
    const withCert = async (name: string): Promise<BrowserContext> => browser.newContext({ ignoreHTTPSErrors: true, clientCertificates: [cert(name)] });

    // Signed in by password over the TLS listener, the person links the certificate the browser presented.
    const linking = await withCert('leyla');
    const page = await linking.newPage();
    await signInWithPassword(page, tlsBase);
    await page.goto(`${tlsBase}/account/security?lang=en`);
    assert.match(await page.locator('main').innerText(), /Certificate presented by the browser: .*CN=Leyla Məmmədova/);
    await page.getByRole('button', { name: 'Link this certificate' }).click();
    assert.match(await page.getByRole('status').innerText(), /Certificate linked/);
    assert.match(await page.locator('table').innerText(), /Test e-signature CA/);
    await page.screenshot({ path: path.join(shots, 'account-certificate-linked.png'), fullPage: true });
    await linking.close();

    // A fresh browser with only the certificate: the sign-in page's link signs in, no password.
    const ctx = await withCert('leyla');
    const p2 = await ctx.newPage();
    await p2.goto(`${tlsBase}/account/login?lang=en`);
    await p2.getByRole('link', { name: 'Sign in with an e-signature certificate' }).click();
    await p2.waitForURL(`${tlsBase}/account`);
    assert.match(await p2.locator('main').innerText(), /Leyla Məmmədova · leyla\.mammadova@example\.az/);
    const signins = await aw.w.t.reg.db.selectFrom('audit_log').select('after').where('operation', '=', 'user.signin').execute();
    assert.ok(signins.some((s) => JSON.stringify(s.after).includes('"how":"certificate"')));
    await ctx.close();

    // The same subject from a CA that is not a trust anchor: refused, and no session.
    const stranger = await withCert('mallory');
    const p3 = await stranger.newPage();
    const res = await p3.goto(`${tlsBase}/account/login/certificate?lang=en`);
    assert.equal(res?.status(), 401);
    assert.match(await p3.getByRole('alert').innerText(), /not issued by a trusted e-signature authority/);
    assert.equal((await stranger.cookies()).some((c) => c.name === 'domen_session'), false);
    await p3.screenshot({ path: path.join(shots, 'account-certificate-refused.png') });
    await stranger.close();
  });

  test('the account pages have no serious or critical axe-core violation, in az', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const problems: string[] = [];
    const check = async (url: string) => {
      const res = await page.goto(`${aw.base}${url}`);
      assert.equal(res?.status(), 200, url);
      problems.push(...await seriousAxeFindings(page, url));
    };
    for (const url of ['/account/signup?lang=az', '/account/login?lang=az']) await check(url);
    await signInWithPassword(page, aw.base);
    const name = encodeURIComponent('şəki-turizm.az');
    for (const url of ['/account?lang=az', `/account/lookup?name=${name}`, `/account/apply?name=${encodeURIComponent('yeni-ad.az')}`, `/account/domains/${name}`,
      '/account/orders/1', '/account/profile', '/account/security', '/account/inbox', '/account/agreement']) await check(url);
    await ctx.close();
    assert.deepEqual(problems, []);
  });
});
