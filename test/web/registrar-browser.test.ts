// The registrar portal in chromium (playwright-core): an administrator selects two domains and renews them in one
// bulk action, reads one result per domain and sees the balance fall; locks one against transfer from the list;
// adds a contact through the form with the keyboard; and the new sections pass axe-core (no serious or critical
// violation). Screenshots go to $DOMEN_TEST_ARTIFACTS/domen-web-screens (default: the temp directory).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { USERS } from './setup.ts';
import { browserWorld, signedInPage, SHOTS, noChromium, seriousAxeFindings } from './browser-world.ts';

const skip = noChromium;
const shots = SHOTS;

const bw = browserWorld({ domains: 3 });

async function signIn(email: string): Promise<Page> {
  const page = await signedInPage(bw, email);
  await page.waitForURL(`${bw.base}/registrar`);
  return page;
}

const azn = (s: string) => Number(s.replace(/[^0-9.-]/g, ''));

describe('registrar portal in chromium', { skip }, () => {
  test('bulk renewal of two domains: one result each, and the balance falls', async () => {
    const page = await signIn(USERS.registrar_admin.email);
    const cspErrors: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) cspErrors.push(m.text()); });
    await page.getByRole('link', { name: 'Balance' }).click();
    const before = azn(await page.locator('#balance').innerText());
    await page.getByRole('navigation', { name: 'Registrar sections' }).getByRole('link', { name: 'Domains' }).click();
    await page.getByLabel('Select kitab0.az').check();
    await page.getByLabel('Select kitab1.az').check();
    await page.getByLabel('Action', { exact: true }).selectOption('renew');
    await page.getByLabel('Renewal period (years)').selectOption('2');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#bulk-results').waitFor();
    assert.match(await page.getByRole('status').innerText(), /Done: 2; refused: 0/);
    const results = await page.locator('ul.results li').allInnerTexts();
    assert.equal(results.length, 2);
    assert.match(results[0]!, /^kitab0\.az: done \(Expires 2029-03-02\)$/);
    await page.screenshot({ path: path.join(shots, 'registrar-bulk-renewed.png'), fullPage: true });
    await page.getByRole('link', { name: 'Balance' }).click();
    const after = azn(await page.locator('#balance').innerText());
    assert.ok(after < before, `${after} < ${before}`);
    assert.equal((await page.locator('tbody tr', { hasText: 'kitab1.az' }).count()) >= 1, true);

    // A client status from the list: kitab2.az locked against transfer, shown in its row.
    await page.goto(`${bw.base}/registrar?lang=en`);
    await page.getByLabel('Select kitab2.az').check();
    await page.getByLabel('Action', { exact: true }).selectOption('addStatus');
    await page.getByLabel('Client status').selectOption('clientTransferProhibited');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#bulk-results').waitFor();
    assert.match(await page.locator('tbody tr', { hasText: 'kitab2.az' }).innerText(), /clientTransferProhibited/);
    assert.deepEqual(cspErrors, []);
    await page.context().close();
  });

  test('a contact added through the form with the keyboard, then found in the list', async () => {
    const page = await signIn(USERS.registrar_staff.email);
    await page.goto(`${bw.base}/registrar/contacts?lang=en`);
    await page.getByRole('link', { name: 'New contact' }).click();
    await page.getByLabel('Handle').fill('kamran-m');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // kind: natural -> legal -> back, with the keyboard
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getByLabel('Kind').inputValue(), 'natural');
    await page.getByLabel('Given name').fill('Kamran');
    await page.getByLabel('Family name').fill('Məmmədov');
    await page.getByLabel('Citizenship (country code)').fill('AZ');
    await page.getByLabel('City').fill('Şəki');
    await page.getByLabel('Country code (AZ)').fill('AZ');
    await page.getByLabel('E-mail').fill('kamran@mail.example.az');
    await page.getByLabel('Address').fill('Nizami küç. 7');
    await page.getByLabel('Address').press('Tab');
    await page.keyboard.press('Enter'); // the submit button follows the last field
    await page.getByRole('status').waitFor();
    assert.match(await page.getByRole('status').innerText(), /Contact kamran-m created/);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /kamran-m/);
    await page.screenshot({ path: path.join(shots, 'registrar-contact-added.png'), fullPage: true });
    await page.goto(`${bw.base}/registrar/contacts?lang=en`);
    await page.getByLabel('Handle, name or e-mail').fill('Məmmədov');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.deepEqual(await page.locator('tbody tr td:first-child').allInnerTexts(), ['kamran-m']);
    await page.context().close();
  });

  test('the new sections have no serious or critical axe-core violation', async () => {
    const page = await signIn(USERS.registrar_admin.email);
    const problems: string[] = [];
    for (const url of ['/registrar?lang=az', '/registrar/contacts', '/registrar/contacts/new', '/registrar/contacts/alpha-owner', '/registrar/hosts',
      '/registrar/hosts/ns1.alpha-dns.net', '/registrar/invoices', '/registrar/poll', '/registrar/epp', '/registrar/users']) {
      const res = await page.goto(`${bw.base}${url}`);
      assert.equal(res?.status(), 200, url);
      problems.push(...await seriousAxeFindings(page, url));
    }
    await page.goto(`${bw.base}/registrar/epp`);
    await page.screenshot({ path: path.join(shots, 'registrar-epp.png'), fullPage: true });
    await page.context().close();
    assert.deepEqual(problems, []);
  });
});
