// Accessibility of the main pages (axe-core in chromium through playwright-core): the NA console's sections, the
// registrar portal's pages, and the public sign-in and abuse forms, each in az, with no violation of impact
// "serious" or "critical" (WCAG 2.1 A/AA rules and axe's best practices). Skipped when /usr/bin/chromium is absent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fileAccreditation } from '../../src/core/accreditation.ts';
import { reportAbuse } from '../../src/core/abuse.ts';
import { openDispute } from '../../src/core/disputes.ts';
import { operator } from '../helpers/fixtures.ts';
import { applyGov, USERS } from './setup.ts';
import { axeFindings, browserWorld, noChromium, seriousAxeFindings, signedInPage, SHOTS } from './browser-world.ts';

const skip = noChromium;
const shots = SHOTS;

const bw = browserWorld({ domains: 2, prepare: async (w) => {
  await applyGov(w);
  await fileAccreditation(w.t.reg, operator, { registrarId: 'yeni-reg', name: 'Yeni Registrator MMC', email: 'ops@yeni.example.az' });
  await openDispute(w.t.reg, operator, { name: 'kitab1.az', complainant: 'beta-owner', claim: 'Kitab is our trademark' });
  await reportAbuse(w.t.reg, operator, { name: 'kitab0.az', category: 'phishing', description: 'a copy of a bank login page', source: 'staff' });
} });

async function check(page: Page, url: string): Promise<string[]> {
  const res = await page.goto(`${bw.base}${url}`);
  assert.equal(res?.status(), 200, url);
  const bad = await seriousAxeFindings(page, url);
  if (bad.length) await page.screenshot({ path: path.join(shots, `a11y-${url.replace(/[^a-z0-9]+/gi, '_')}.png`), fullPage: true });
  return bad;
}

async function signedIn(email: string): Promise<Page> {
  const page = await signedInPage(bw, email);
  await page.goto(`${bw.base}/admin?lang=az`).catch(() => null); // the language switch, kept in a cookie
  return page;
}

describe('accessibility (axe-core)', { skip }, () => {
  test('public pages: sign-in and the abuse form', async () => {
    const ctx = await bw.browser.newContext();
    const page = await ctx.newPage();
    const problems = [...await check(page, '/login?lang=az'), ...await check(page, '/abuse?lang=az')];
    // The check itself can fail: an unlabelled field and an image without text are found.
    await page.evaluate(() => { document.querySelector('main')!.insertAdjacentHTML('beforeend', '<input name="x"><img src="/portal/static/portal.css">'); });
    const control = (await axeFindings(page)).filter((v) => v.impact === 'critical').map((v) => v.id).sort();
    assert.deepEqual(control, ['image-alt', 'label']);
    await ctx.close();
    assert.deepEqual(problems, []);
  });

  test('the National Administrator console', async () => {
    const page = await signedIn(USERS.na_staff.email);
    const problems: string[] = [];
    for (const url of ['/admin', '/admin/lists?list=stop', '/admin/zones', '/admin/registrars', '/admin/accreditation', '/admin/disputes',
      '/admin/abuse', '/admin/domains?name=kitab0.az', '/admin/audit', '/admin/audit?verify=1', '/admin/statistics']) problems.push(...await check(page, url));
    await page.goto(`${bw.base}/admin/statistics`);
    await page.screenshot({ path: path.join(shots, 'admin-statistics.png'), fullPage: true });
    await page.context().close();
    assert.deepEqual(problems, []);
  });

  test('the registrar portal', async () => {
    const page = await signedIn(USERS.registrar_staff.email);
    const problems: string[] = [];
    for (const url of ['/registrar', `/registrar/domains/${bw.w.alphaDomains[0]}`, '/registrar/applications', '/registrar/billing']) problems.push(...await check(page, url));
    await page.context().close();
    assert.deepEqual(problems, []);
  });
});
