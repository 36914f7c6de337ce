// The public site inside the portals' frame: home, lookup, registrars, rules and statistics share one navigation and
// stylesheet under the CSP; anonymous pages are cacheable, a signed-in visitor's are private and show its portal;
// in chromium with JavaScript disabled the lookup and the registrar list work, and axe-core finds no serious or
// critical violation on the public pages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CSP } from '../../src/web/portal.ts';
import { signInAs, USERS } from './setup.ts';
import { browserWorld, noChromium, SHOTS, seriousAxeFindings } from './browser-world.ts';

const skipBrowser = noChromium;
const shots = SHOTS;
const PAGES = ['/', '/whois/', '/whois/?name=kitab0.az', '/whois/registrars', '/whois/rules', '/whois/agreement', '/whois/procedure', '/statistics'];

const bw = browserWorld({ domains: 2, chromium: 'optional' });

describe('one site', () => {
  test('every public page: the site navigation, the one stylesheet, the CSP, no inline script or style, cacheable when anonymous', async () => {
    for (const url of PAGES) {
      const res = await bw.w.app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}lang=en` });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-security-policy'], CSP, url);
      assert.match(res.body, /<nav class="site" aria-label="Site"><a href="\/"[^>]*>Home<\/a> · <a href="\/whois\/"[^>]*>Domain lookup<\/a>/, url);
      assert.match(res.body, /<link rel="stylesheet" href="\/portal\/static\/portal.css">/, url);
      assert.match(res.body, /<a href="\/login">Sign in<\/a>/, url);
      assert.doesNotMatch(res.body, /<script|style=/, url);
      assert.equal(res.headers['cache-control'], 'public, max-age=60', url);
    }
  });

  test('the home page: lookup form, counts, links; in az, en and ru', async () => {
    const en = await bw.w.app.inject({ url: '/?lang=en' });
    assert.match(en.body, /<h1>The \.az domain registry<\/h1>/);
    assert.match(en.body, /3 domains, 2 registrars, on (the embedded database|PostgreSQL)\./);
    assert.match(en.body, /<form method="get" action="\/whois\/" role="search"/);
    assert.match((await bw.w.app.inject({ url: '/?lang=az' })).body, /<h1>\.az domen reyestri<\/h1>/);
    assert.match((await bw.w.app.inject({ url: '/', headers: { 'accept-language': 'ru' } })).body, /<html lang="ru">/);
  });

  test('the statistics page shows the charts of the console, with their data as tables', async () => {
    const res = await bw.w.app.inject({ url: '/statistics?lang=en' });
    assert.match(res.body, /<svg[^>]*class="chart"/);
    assert.match(res.body, /id="stat-total">3</);
  });

  test('signed in, the public pages show the portal and are private', async () => {
    const { signed } = await signInAs(bw.w.app, USERS.registrar_staff.email);
    const res = await bw.w.app.inject({ url: '/whois/registrars?lang=en', headers: { cookie: signed!.cookie } });
    assert.equal(res.headers['cache-control'], 'private, no-store');
    assert.match(res.body, /<a href="\/registrar">Registrar portal<\/a>/);
    assert.match(res.body, /Sign out/);
    assert.doesNotMatch(res.body, /<a href="\/login">/);
  });
});

describe('public pages in chromium', { skip: skipBrowser }, () => {
  test('with JavaScript disabled: look up a name with the form, follow to its registrar', async () => {
    const ctx = await bw.browser!.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${bw.base}/?lang=en`);
    await page.getByLabel('Domain name').fill('kitab0.az');
    await page.getByLabel('Domain name').press('Enter');
    await page.waitForURL(/\/whois\/\?name=kitab0\.az/);
    const result = page.locator('#result');
    assert.match(await result.innerText(), /Registered and in use\./);
    assert.match(await result.innerText(), /ns1\.alpha-dns\.net/);
    assert.match(await result.innerText(), /a natural person \(not published\)/);
    await page.screenshot({ path: path.join(shots, 'public-lookup-nojs.png'), fullPage: true });
    await result.getByRole('link', { name: 'Registrar alpha' }).click();
    await page.waitForURL(/\/whois\/registrars#alpha$/);
    assert.match(await page.locator('tr#alpha').innerText(), /ops@alpha\.example\.az/);
    await page.getByLabel('Site').getByRole('link', { name: 'Domain lookup' }).click();
    await page.getByLabel('Domain name').fill('yoxdur-hec.az');
    await page.getByRole('button', { name: 'Look up' }).click();
    assert.match(await page.locator('#result').innerText(), /yoxdur-hec\.az is not registered/);
    await ctx.close();
  });

  test('the public pages have no serious or critical axe-core violation', async () => {
    const ctx = await bw.browser!.newContext();
    const page = await ctx.newPage();
    const problems: string[] = [];
    for (const url of PAGES) {
      await page.goto(`${bw.base}${url}${url.includes('?') ? '&' : '?'}lang=az`);
      problems.push(...await seriousAxeFindings(page, url));
    }
    await page.goto(`${bw.base}/statistics?lang=en`);
    await page.screenshot({ path: path.join(shots, 'public-statistics.png'), fullPage: true });
    await ctx.close();
    assert.deepEqual(problems, []);
  });
});
