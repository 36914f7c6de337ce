// The portal pages served as HTML (without a browser): who may see which page, the forms of the console, the
// three languages, and that every visible form field has a label.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_ROLES, type PortalRole } from '../../src/web/auth/principal.ts';
import { applyGov, assertLabelled, pageClient, signInEveryRole, webWorld, type Signed, type WebWorld } from './setup.ts';

let w: WebWorld;
let s: Record<PortalRole, Signed>;
let client: ReturnType<typeof pageClient>;
before(async () => {
  w = await webWorld({ domains: 3 });
  s = await signInEveryRole(w);
  client = pageClient(w);
});
after(async () => { await w?.app.close(); await w?.t.close(); });

const get = (who: Signed, url: string) => client.get(who, url);
const post = (who: Signed, url: string, form: Record<string, string>) => client.post(who, url, form);


describe('who sees which page', () => {
  const pages: [string, PortalRole[]][] = [
    ['/registrar', ['registrar_admin', 'registrar_staff']],
    ['/registrar/billing', ['registrar_admin', 'registrar_staff']],
    ['/registrar/applications', ['registrar_admin', 'registrar_staff']],
    ['/registrar/domains/kitab0.az', ['registrar_admin', 'registrar_staff']],
    ['/admin', ['na_admin', 'na_staff', 'ministry']],
    ['/admin/domains?name=kitab0.az', ['na_admin', 'na_staff']],
  ];
  test('each page: 200 for its roles, 403 for the others', async () => {
    for (const [url, roles] of pages) {
      for (const role of ALL_ROLES) {
        const res = await get(s[role], url);
        assert.equal(res.statusCode, roles.includes(role) ? 200 : 403, `${url} as ${role}`);
        if (res.statusCode === 200) assertLabelled(res, `${url} as ${role}`);
      }
    }
  });

  test('a registrar sees its own pending applications with their deadlines', async () => {
    const a = await applyGov(w);
    const res = await get(s.registrar_staff, '/registrar/applications?lang=en');
    assert.match(res.body, new RegExp(`id="application-${a.id}"`));
    assert.match(res.body, /Due \(R3\.12\)/);
  });

  test("another registrar's domain page is refused", async () => {
    const res = await get(s.registrar_staff, `/registrar/domains/${w.betaDomain}`);
    assert.equal(res.statusCode, 403);
    assert.doesNotMatch(res.body, /beta-owner/);
  });

  test('the ministry sees the queue but no decision forms, and cannot decide', async () => {
    const a = await applyGov(w);
    const res = await get(s.ministry, '/admin');
    assert.match(res.body, new RegExp(`application-${a.id}`));
    assert.doesNotMatch(res.body, /\/refuse"/);
    assert.equal((await post(s.ministry, `/admin/applications/${a.id}/refuse`, { ground: 'R5.1.2' })).statusCode, 403);
  });
});

describe('console forms', () => {
  test('the queue shows each deadline; a refusal without a ground is refused and the application stays', async () => {
    const a = await applyGov(w);
    const queue = await get(s.na_staff, '/admin?lang=en');
    assert.match(queue.body, /Due \(R3\.12\)/);
    const noGround = await post(s.na_staff, `/admin/applications/${a.id}/refuse?lang=en`, { ground: '' });
    assert.ok(noGround.statusCode >= 400 && noGround.statusCode < 500);
    assert.match(noGround.body, new RegExp(`application-${a.id}`));
    const approved = await post(s.na_admin, `/admin/applications/${a.id}/approve?lang=en`, {});
    assert.equal(approved.statusCode, 200);
    assert.match(approved.body, /approved and registered/);
    assert.doesNotMatch(approved.body, new RegExp(`application-${a.id}"`));
  });

  test('suspend with a ground, then restore with a reason', async () => {
    const name = w.alphaDomains[2]!;
    const sus = await post(s.na_staff, `/admin/domains/${name}/suspend?lang=en`, { ground: 'court', note: 'case 12/2026' });
    assert.equal(sus.statusCode, 200);
    assert.match(sus.body, /serverHold/);
    assert.match(sus.body, /case 12\/2026/);
    const noReason = await post(s.na_staff, `/admin/domains/${name}/unsuspend?lang=en`, { ground: 'court', reason: ' ' });
    assert.equal(noReason.statusCode, 400);
    const res = await post(s.na_staff, `/admin/domains/${name}/unsuspend?lang=en`, { ground: 'court', reason: 'the court lifted it' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /restored/);
    assert.doesNotMatch(res.body.split('<ul>')[0]!, /serverHold/);
  });

  test('a registrar changes name servers through the form; a bad host name is shown and changes nothing', async () => {
    const name = w.alphaDomains[0]!;
    const bad = await post(s.registrar_admin, `/registrar/domains/${name}/nameservers?lang=en`, { hosts: 'ns1.alpha-dns.net\nnot_a_host' });
    assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, String(bad.statusCode));
    assert.match(bad.body, /role="alert"/);
    const hosts = await w.app.inject({ method: 'GET', url: `/api/domains/${name}`, headers: { cookie: s.registrar_admin.cookie } });
    assert.deepEqual(hosts.json().hosts, ['ns1.alpha-dns.net', 'ns2.alpha-dns.net']);
    const ok = await post(s.registrar_admin, `/registrar/domains/${name}/nameservers?lang=en`, { hosts: 'ns2.alpha-dns.net\nns1.alpha-dns.net' });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Name servers changed/);
  });
});

describe('billing page', () => {
  test('the statement of a period shows that period only', async () => {
    const today = w.t.clock.now().toISOString().slice(0, 10);
    const all = await get(s.registrar_staff, `/registrar/billing?lang=en&from=${today}&to=${today}`);
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /kitab0\.az/);
    const later = await get(s.registrar_staff, '/registrar/billing?lang=en&from=2030-01-01');
    assert.doesNotMatch(later.body.split('<tbody>')[1]!, /kitab0\.az/);
    assert.match(later.body, /value="2030-01-01"/);
  });
});

describe('languages', () => {
  test('each page in az, en and ru; the choice sticks in a cookie', async () => {
    const titles: Record<string, [string, string, string]> = {
      '/registrar': ['Domenlər', 'Domains', 'Домены'],
      '/registrar/billing': ['Balans', 'Balance', 'Баланс'],
    };
    for (const [url, [az, en, ru]] of Object.entries(titles)) {
      for (const [lang, title] of [['az', az], ['en', en], ['ru', ru]] as const) {
        const res = await get(s.registrar_staff, `${url}?lang=${lang}`);
        assert.match(res.body, new RegExp(`<html lang="${lang}">`));
        assert.match(res.body, new RegExp(`<h1>${title}</h1>`));
      }
    }
    const q = await get(s.na_staff, '/admin?lang=ru');
    assert.match(q.body, /Очередь заявок/);
    const set = [q.headers['set-cookie']].flat().find((c) => String(c).startsWith('domen_lang='));
    assert.ok(set);
    const again = await w.app.inject({ method: 'GET', url: '/admin', headers: { cookie: `${s.na_staff.cookie}; domen_lang=ru` } });
    assert.match(again.body, /<html lang="ru">/);
  });
});
