// The portals in a real browser (playwright-core driving Debian's chromium): a registrar's staff signs in, finds a
// domain, renews it and sees the new expiry and the lower balance; the National Administrator refuses an
// application with a ground and sees it leave the queue; a write without the CSRF token is refused; five wrong
// passwords lock the account. Screenshots go to $DOMEN_TEST_ARTIFACTS (default: the system's temp directory).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { applyGov, PASSWORD, USERS } from './setup.ts';
import { browserWorld, fillSignIn, SHOTS, noChromium } from './browser-world.ts';

const skip = noChromium;
const shots = SHOTS;

const bw = browserWorld({ domains: 3 });


describe('portals in chromium', { skip }, () => {
  test('registrar staff finds a domain, renews it, sees the new expiry and the lower balance', async () => {
    const ctx = await bw.browser.newContext();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await fillSignIn(page, bw.base, USERS.registrar_staff.email);
    await page.waitForURL(`${bw.base}/registrar`);
    await page.goto(`${bw.base}/registrar/billing`);
    const balanceBefore = await page.locator('#balance').innerText();
    await page.goto(`${bw.base}/registrar`);
    await page.getByLabel('Name (or part of it)').fill('kitab1');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    await page.getByRole('link', { name: 'kitab1.az' }).click();
    const expiry = await page.locator('#expiry').innerText();
    await page.getByLabel('Years').selectOption('2');
    await page.getByRole('button', { name: 'Renew' }).click();
    await page.getByRole('status').waitFor();
    const renewed = await page.locator('#expiry').innerText();
    assert.equal(Number(renewed.slice(0, 4)), Number(expiry.slice(0, 4)) + 2);
    assert.match(await page.getByRole('status').innerText(), new RegExp(`New expiry date: ${renewed}`));
    await page.screenshot({ path: path.join(shots, 'registrar-renewed.png'), fullPage: true });
    await page.goto(`${bw.base}/registrar/billing`);
    const balanceAfter = await page.locator('#balance').innerText();
    assert.notEqual(balanceAfter, balanceBefore);
    assert.match(await page.locator('tbody').innerText(), /kitab1\.az/);

    // The same page in Azerbaijani and Russian.
    await page.goto(`${bw.base}/registrar?lang=az`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Domenlər');
    await page.goto(`${bw.base}/registrar?lang=ru`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Домены');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');

    // A script on the page that posts without the CSRF token is refused, and nothing changes.
    const status = await page.evaluate(async (name) => {
      const r = await fetch(`/api/domains/${name}/renew`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ periodYears: 1 }) });
      return r.status;
    }, 'kitab1.az');
    assert.equal(status, 403);
    const withToken = await page.evaluate(async () => {
      const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
      const r = await fetch('/api/domains/kitab1.az', { headers: { 'x-csrf-token': token } });
      return (await r.json() as { expiresAt: string }).expiresAt.slice(0, 10);
    });
    assert.equal(withToken, renewed);
    // No CSP violation on the way (the 403 above and a missing favicon are logged as resource errors).
    assert.deepEqual(errors.filter((e) => /Content Security Policy|Refused to/.test(e)), []);
    await ctx.close();
  });

  test('NA staff refuses an application with a ground and it leaves the queue', async () => {
    const a = await applyGov(bw.w);
    const other = await applyGov(bw.w);
    const ctx = await bw.browser.newContext();
    const page = await ctx.newPage();
    await fillSignIn(page, bw.base, USERS.na_staff.email);
    await page.waitForURL(`${bw.base}/admin`);
    const row = page.locator(`#application-${a.id}`);
    assert.match(await row.innerText(), new RegExp(a.name.replace(/\./g, '\\.')));
    await page.screenshot({ path: path.join(shots, 'admin-queue.png'), fullPage: true });
    await row.getByLabel('Ground').selectOption('R5.1.5');
    await row.getByLabel('Note').fill('the name is on the Stop-list');
    await row.getByRole('button', { name: /^Refuse/ }).click();
    await page.getByRole('status').waitFor();
    assert.match(await page.getByRole('status').innerText(), /refused \(R5\.1\.5\)/);
    assert.equal(await page.locator(`#application-${a.id}`).count(), 0);
    assert.equal(await page.locator(`#application-${other.id}`).count(), 1);
    const stored = await bw.w.t.reg.db.selectFrom('applications').select(['status', 'refusal_ground']).where('id', '=', a.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { status: 'refused', refusal_ground: 'R5.1.5' });
    await ctx.close();
  });

  test('five wrong passwords lock the account; the right one is then refused too', async () => {
    const ctx = await bw.browser.newContext();
    const page = await ctx.newPage();
    for (let i = 0; i < 5; i++) await fillSignIn(page, bw.base, USERS.registrar_admin.email, `wrong-${i}`);
    assert.match(await page.getByRole('alert').innerText(), /locked/);
    await fillSignIn(page, bw.base, USERS.registrar_admin.email, PASSWORD);
    assert.match(await page.getByRole('alert').innerText(), /locked/);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.screenshot({ path: path.join(shots, 'login-locked.png') });
    await ctx.close();
  });
});
