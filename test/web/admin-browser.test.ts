// The console in chromium (playwright-core): the Stop-list journey of issue 7. The National Administrator adds a
// word in the list editor; a registrar then applies for a name with it through the portal's JSON API (from its
// signed-in page, with the page's CSRF token) and is refused on the ground R5.1.5. Then the statistics page draws
// its charts. Screenshots go to $DOMEN_TEST_ARTIFACTS (default: the system's temp directory).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { USERS } from './setup.ts';
import { browserWorld, signedInPage, SHOTS, noChromium } from './browser-world.ts';

const skip = noChromium;
const shots = SHOTS;

const bw = browserWorld({ domains: 2 });


/** A registrar's application through the portal API, from its signed-in page (cookie + the page's CSRF token). */
async function apply(page: Page, name: string): Promise<{ status: number; body: { code?: number; reasons?: { ground?: string; message: string }[] } }> {
  return page.evaluate(async (n) => {
    const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
    const res = await fetch('/api/domains', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ name: n, registrant: 'alpha-owner' }) });
    return { status: res.status, body: await res.json() };
  }, name);
}

describe('console in chromium', { skip }, () => {
  test('the NA adds a Stop-list word; a matching application is refused with R5.1.5', async () => {
    const na = await signedInPage(bw, USERS.na_staff.email);
    await na.getByRole('link', { name: 'Lists' }).click();
    await na.getByLabel('Word').fill('kazino');
    await na.getByLabel('Match').selectOption('substring');
    await na.getByLabel('Note').fill('gambling (R4.4)');
    await na.getByRole('button', { name: 'Add' }).click();
    assert.equal(await na.getByRole('status').innerText(), '"kazino" added to the stop list.');
    assert.match(await na.locator('tbody').innerText(), /kazino\s+anywhere in the name\s+gambling/);
    await na.screenshot({ path: path.join(shots, 'admin-stop-list.png'), fullPage: true });

    const registrar = await signedInPage(bw, USERS.registrar_staff.email);
    const refused = await apply(registrar, 'onlayn-kazino.az');
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 2306);
    assert.ok(refused.body.reasons?.some((r) => r.ground === 'R5.1.5'), JSON.stringify(refused.body));
    assert.equal((await apply(registrar, 'onlayn-kitab.az')).status, 200);

    await na.goto(`${bw.base}/admin/statistics`);
    assert.equal(await na.locator('svg.chart').count(), 5);
    assert.equal(await na.locator('#stat-total').innerText(), '4');
    await na.screenshot({ path: path.join(shots, 'admin-statistics-chart.png'), fullPage: true });
    await na.context().close();
    await registrar.context().close();
  });
});
