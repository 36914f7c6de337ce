// The registrar portal's sections without a browser: who sees which page, contacts and hosts (lists, filters,
// forms, refusals that keep what was typed), bulk actions with one result per domain, the name-server change as
// one operation, invoices with their PDF, EPP access (certificates, allowlist, password), poll messages, users.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { verifyPassword } from '../../src/core/passwords.ts';
import { loginRecord } from '../../src/core/registrars.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { setDomainNameServers } from '../../src/core/domains/nameservers.ts';
import { createHost } from '../../src/core/hosts.ts';
import { ALL_ROLES, type PortalRole } from '../../src/web/auth/principal.ts';
import { addPerson, operator } from '../helpers/fixtures.ts';
import { alphaInvoice, freshCertificate } from './registrar-samples.ts';
import { assertLabelled, pageClient, signInAs, signInEveryRole, USERS, webWorld, type Signed, type WebWorld } from './setup.ts';

let w: WebWorld;
let s: Record<PortalRole, Signed>;
let client: ReturnType<typeof pageClient>;
before(async () => {
  w = await webWorld({ domains: 4 });
  s = await signInEveryRole(w);
  client = pageClient(w);
});
after(async () => { await w?.app.close(); await w?.t.close(); });

const get = (who: Signed, url: string) => client.get(who, url);
const post = (who: Signed, url: string, form: Record<string, string>) => client.post(who, url, form);
const db = () => w.t.reg.db;
const statusesOf = async (name: string) => (await db().selectFrom('domains').select('statuses').where('name', '=', name).executeTakeFirstOrThrow()).statuses;
const hostExists = async (name: string) => Boolean(await db().selectFrom('hosts').select('id').where('name', '=', name).where('deleted_at', 'is', null).executeTakeFirst());
/** The visible text of the page's <main>, tags removed. */
const text = (res: LightMyRequestResponse) => (res.body.split('<main')[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');


describe('who sees which registrar page', () => {
  test('registrar pages: 200 for registrar roles (users: administrator only), 403 for the others; every field labelled', async () => {
    const both: PortalRole[] = ['registrar_admin', 'registrar_staff'];
    const pages: [string, PortalRole[]][] = [
      ['/registrar/contacts', both], ['/registrar/contacts/new', both], ['/registrar/contacts/alpha-owner', both], ['/registrar/hosts', both],
      ['/registrar/hosts/ns1.alpha-dns.net', both], ['/registrar/invoices', both], ['/registrar/poll', both], ['/registrar/epp', both],
      ['/registrar/users', ['registrar_admin']],
    ];
    for (const [url, roles] of pages) {
      for (const role of ALL_ROLES) {
        const res = await get(s[role], url);
        assert.equal(res.statusCode, roles.includes(role) ? 200 : 403, `${url} as ${role}`);
        if (res.statusCode === 200) {
          assertLabelled(res, `${url} as ${role}`);
          assert.doesNotMatch(res.body, /<script|style=/, `${url}: no inline script or style (CSP)`);
        }
      }
    }
  });

  test("another registrar's contact and host are refused; a staff user cannot post the administrator's forms", async () => {
    assert.equal((await get(s.registrar_staff, '/registrar/contacts/beta-owner')).statusCode, 403);
    assert.equal((await get(s.registrar_staff, '/registrar/hosts/ns1.beta-dns.net')).statusCode, 403);
    assert.equal((await post(s.registrar_staff, '/registrar/epp/allowlist', { entries: '' })).statusCode, 403);
    assert.equal((await post(s.registrar_staff, '/registrar/users', { email: 'x@alpha.example.az', name: 'X', role: 'registrar_admin', password: 'Portal-Pass-2026' })).statusCode, 403);
    const noToken = await w.app.inject({ method: 'POST', url: '/registrar/contacts/alpha-owner/delete', headers: { cookie: s.registrar_admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(noToken.statusCode, 403);
  });

  test('contacts and domains in az, en and ru', async () => {
    for (const [lang, h1] of [['az', 'Əlaqə şəxsləri'], ['en', 'Contacts'], ['ru', 'Контакты']] as const) {
      const res = await get(s.registrar_staff, `/registrar/contacts?lang=${lang}`);
      assert.match(res.body, new RegExp(`<html lang="${lang}">`));
      assert.match(res.body, new RegExp(`<h1>${h1}</h1>`));
    }
  });
});

describe('contacts', () => {
  test('a contact is created through the form, found by search and filters, changed, and deleted when unlinked', async () => {
    const form = {
      handle: 'nigar-a', kind: 'natural', givenName: 'Nigar', familyName: 'Əliyeva', patronymic: '', orgName: '', citizenship: 'AZ', regCountry: '',
      street: 'Xaqani küç. 12\nmənzil 4', city: 'Bakı', sp: '', pc: 'AZ1001', cc: 'AZ', voice: '+994.552223344', fax: '', email: 'nigar@mail.example.az',
      idSeries: 'AA', idNumber: '1234567', idAuthority: 'ASAN', idIssuedOn: '2021-05-01', tin: '',
    };
    const bad = await post(s.registrar_staff, '/registrar/contacts?lang=en', { ...form, email: 'not-an-address' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /role="alert"/);
    assert.match(bad.body, /value="Əliyeva"/, 'what was typed comes back');
    assert.ok(!(await db().selectFrom('contacts').select('id').where('handle', '=', 'nigar-a').executeTakeFirst()));

    const ok = await post(s.registrar_staff, '/registrar/contacts?lang=en', form);
    assert.equal(ok.statusCode, 200, text(ok));
    assert.match(ok.body, /Contact nigar-a created/);
    assert.match(text(ok), /Nigar Əliyeva/);

    const found = await get(s.registrar_staff, '/registrar/contacts?lang=en&q=%C6%8Fliyeva&kind=natural');
    assert.match(found.body, /href="\/registrar\/contacts\/nigar-a"/);
    assert.doesNotMatch(found.body, /href="\/registrar\/contacts\/alpha-owner"/);
    const unlinked = await get(s.registrar_staff, '/registrar/contacts?lang=en&linked=false');
    assert.match(unlinked.body, /nigar-a/);
    assert.doesNotMatch(unlinked.body, />alpha-owner</);
    assert.doesNotMatch((await get(s.registrar_staff, '/registrar/contacts?lang=en&q=beta')).body, /beta-owner/, "another registrar's contacts stay out");

    const changed = await post(s.registrar_staff, '/registrar/contacts/nigar-a/update?lang=en', { ...form, city: 'Sumqayıt' });
    assert.equal(changed.statusCode, 200);
    assert.match(changed.body, /Changes saved/);
    assert.equal((await db().selectFrom('contacts').select('city').where('handle', '=', 'nigar-a').executeTakeFirstOrThrow()).city, 'Sumqayıt');

    const gone = await post(s.registrar_staff, '/registrar/contacts/nigar-a/delete?lang=en', {});
    assert.equal(gone.statusCode, 303);
    assert.match((await get(s.registrar_staff, String(gone.headers.location))).body, /Contact nigar-a deleted/);
  });

  test('a linked contact is not deleted: the refusal with its clause, and the contact stays', async () => {
    const page = await get(s.registrar_admin, '/registrar/contacts/alpha-owner?lang=en');
    assert.match(page.body, /<ul id="contact-domains"><li><a href="\/registrar\/domains\/kitab0\.az">kitab0\.az<\/a> \(registrant\)/);
    const res = await post(s.registrar_admin, '/registrar/contacts/alpha-owner/delete?lang=en', {});
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /RFC 5733 §3\.2\.2/);
    assert.ok(await db().selectFrom('contacts').select('id').where('handle', '=', 'alpha-owner').where('deleted_at', 'is', null).executeTakeFirst());
  });
});

describe('hosts', () => {
  test('hosts are created (glue only inside the registry), filtered, given addresses and deleted when unused', async () => {
    const outside = await post(s.registrar_staff, '/registrar/hosts?lang=en', { name: 'ns.elsewhere.net', addresses: '185.10.20.30' });
    assert.equal(outside.statusCode, 422);
    assert.match(outside.body, /value="ns.elsewhere.net"/);
    assert.ok(!(await hostExists('ns.elsewhere.net')));
    const glue = await post(s.registrar_staff, '/registrar/hosts?lang=en', { name: `ns1.${w.alphaDomains[3]}`, addresses: '185.10.20.30\n2a01:4f8::53' });
    assert.equal(glue.statusCode, 200, text(glue));
    assert.match(glue.body, /185\.10\.20\.30/);
    const internal = await get(s.registrar_staff, '/registrar/hosts?lang=en&zone=internal');
    assert.match(internal.body, new RegExp(`ns1\\.${w.alphaDomains[3]!.replace('.', '\\.')}`));
    assert.doesNotMatch(internal.body, /ns1\.alpha-dns\.net/);
    const inUse = await get(s.registrar_staff, '/registrar/hosts?lang=en&linked=true');
    assert.match(inUse.body, /ns1\.alpha-dns\.net/);
    assert.doesNotMatch(inUse.body, new RegExp(`ns1\\.${w.alphaDomains[3]!.replace('.', '\\.')}`));

    const href = `/registrar/hosts/ns1.${w.alphaDomains[3]}`;
    const moved = await post(s.registrar_staff, `${href}/addresses?lang=en`, { addresses: '185.10.20.31' });
    assert.equal(moved.statusCode, 200);
    assert.deepEqual((await db().selectFrom('hosts').select('addresses').where('name', '=', `ns1.${w.alphaDomains[3]}`).executeTakeFirstOrThrow()).addresses, ['185.10.20.31']);
    const linked = await post(s.registrar_staff, '/registrar/hosts/ns1.alpha-dns.net/delete?lang=en', {});
    assert.equal(linked.statusCode, 409);
    assert.ok(await hostExists('ns1.alpha-dns.net'));
    const deleted = await post(s.registrar_staff, `${href}/delete?lang=en`, {});
    assert.equal(deleted.statusCode, 303);
    assert.ok(!(await hostExists(`ns1.${w.alphaDomains[3]}`)));
  });
});

describe('bulk actions and name servers', () => {
  test('a status on several domains: one result per domain, the refused one unchanged, the others changed', async () => {
    const [a, b] = [w.alphaDomains[0]!, w.alphaDomains[1]!];
    const res = await post(s.registrar_staff, '/registrar/domains/bulk?lang=en', { names: [a, b, w.betaDomain].join('\n'), action: 'addStatus', status: 'clientTransferProhibited' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Done: 2; refused: 1/);
    const items = [...res.body.matchAll(/<li class="(done|failed)"><strong>([^<]+)<\/strong>/g)].map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(items, [`${a} done`, `${b} done`, `${w.betaDomain} failed`]);
    assert.match(res.body, /sponsored by another registrar/);
    assert.ok((await statusesOf(a)).includes('clientTransferProhibited'));
    assert.ok(!(await statusesOf(w.betaDomain)).includes('clientTransferProhibited'));
    // Again on the same two: each is refused on its own (already set), nothing half-done.
    const again = await post(s.registrar_staff, '/registrar/domains/bulk?lang=en', { names: `${a}\n${b}`, action: 'addStatus', status: 'clientTransferProhibited' });
    assert.match(again.body, /Done: 0; refused: 2/);
    const off = await post(s.registrar_staff, '/registrar/domains/bulk?lang=en', { names: `${a}\n${b}`, action: 'removeStatus', status: 'clientTransferProhibited' });
    assert.match(off.body, /Done: 2; refused: 0/);
    const serverStatus = await post(s.registrar_staff, '/registrar/domains/bulk?lang=en', { names: a, action: 'addStatus', status: 'serverHold' });
    assert.equal(serverStatus.statusCode, 422);
    assert.ok(!(await statusesOf(a)).includes('serverHold'));
  });

  test('bulk renewal charges only the domains it renewed', async () => {
    const [a, b] = [w.alphaDomains[0]!, w.alphaDomains[1]!];
    await updateDomain(w.t.reg, w.alpha, { name: b, add: { statuses: ['clientRenewProhibited'] } });
    // The statement the registrar reads: its charge lines, by domain.
    const charges = async () => ((await w.app.inject({ method: 'GET', url: '/api/registrar/statement', headers: { cookie: s.registrar_admin.cookie } })).json()
      .lines as { kind: string; domain: string | null }[]).filter((l) => l.kind === 'charge').map((l) => l.domain);
    const before = await charges();
    const res = await post(s.registrar_admin, '/registrar/domains/bulk?lang=en', { names: `${a}\n${b}`, action: 'renew', periodYears: '1' });
    assert.match(res.body, /Done: 1; refused: 1/);
    assert.match(res.body, /clientRenewProhibited/);
    const after = await charges();
    assert.deepEqual(after.slice(before.length), [a]);
    await updateDomain(w.t.reg, w.alpha, { name: b, remove: { statuses: ['clientRenewProhibited'] } });
  });

  test('name servers in bulk, and the change as one operation: a refusal leaves no new host behind', async () => {
    const [a, b] = [w.alphaDomains[0]!, w.alphaDomains[1]!];
    const res = await post(s.registrar_staff, '/registrar/domains/bulk?lang=en', { names: `${a}\n${b}`, action: 'nameservers', hosts: 'ns1.bulk-dns.org\nns2.bulk-dns.org' });
    assert.match(res.body, /Done: 2; refused: 0/);
    for (const n of [a, b]) {
      const hosts = (await w.app.inject({ method: 'GET', url: `/api/domains/${n}`, headers: { cookie: s.registrar_staff.cookie } })).json().hosts;
      assert.deepEqual(hosts, ['ns1.bulk-dns.org', 'ns2.bulk-dns.org']);
    }
    // An in-zone host that does not exist: refused, and the external one named with it is not created either.
    await assert.rejects(setDomainNameServers(w.t.reg, w.alpha, { name: a, hosts: ['ns.fresh-provider.net', `ns9.${w.alphaDomains[2]}`] }), /does not exist/);
    assert.ok(!(await hostExists('ns.fresh-provider.net')));
    // A status that blocks the update: the same.
    await updateDomain(w.t.reg, w.alpha, { name: a, add: { statuses: ['clientUpdateProhibited'] } });
    const blocked = await post(s.registrar_staff, `/registrar/domains/${a}/nameservers?lang=en`, { hosts: 'ns.fresh-provider.net\nns1.bulk-dns.org' });
    assert.equal(blocked.statusCode, 409);
    assert.ok(!(await hostExists('ns.fresh-provider.net')));
    await updateDomain(w.t.reg, w.alpha, { name: a, remove: { statuses: ['clientUpdateProhibited'] } });
    // Success: the host and the delegation in one operation, one audit entry per object.
    const done = await setDomainNameServers(w.t.reg, w.alpha, { name: a, hosts: ['ns.fresh-provider.net', 'ns1.bulk-dns.org'] });
    assert.deepEqual(done.createdHosts, ['ns.fresh-provider.net']);
    const audit = await db().selectFrom('audit_log').select(['operation', 'object_type']).where('operation', '=', 'domain.nameservers').orderBy('id', 'desc').limit(2).execute();
    assert.deepEqual(audit.map((x) => x.object_type).sort(), ['domain', 'host']);
  });

  test("the domain page's client statuses: ticked ones added, unticked removed, in one update", async () => {
    const a = w.alphaDomains[2]!;
    const res = await post(s.registrar_staff, `/registrar/domains/${a}/statuses?lang=en`, { statuses: 'clientDeleteProhibited\nclientTransferProhibited' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual((await statusesOf(a)).sort(), ['clientDeleteProhibited', 'clientTransferProhibited']);
    await post(s.registrar_staff, `/registrar/domains/${a}/statuses?lang=en`, { statuses: 'clientDeleteProhibited' });
    assert.deepEqual(await statusesOf(a), ['clientDeleteProhibited']);
    await post(s.registrar_staff, `/registrar/domains/${a}/statuses?lang=en`, {});
    assert.deepEqual(await statusesOf(a), []);
  });
});

describe('invoices, poll messages', () => {
  test('an issued invoice is listed and downloads as a PDF; another registrar cannot fetch it', async () => {
    const number = await alphaInvoice(w);
    const list = await get(s.registrar_staff, '/registrar/invoices?lang=en');
    assert.match(list.body, new RegExp(`id="invoice-${number}"`));
    const pdf = await get(s.registrar_staff, `/registrar/invoices/${number}.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.equal((await get(s.na_staff, `/registrar/invoices/${number}.pdf`)).statusCode, 403);
    const api = await w.app.inject({ method: 'GET', url: `/api/registrar/invoices/${number}/pdf`, headers: { cookie: s.registrar_admin.cookie } });
    assert.equal(api.rawPayload.subarray(0, 5).toString(), '%PDF-');
  });

  test('a message the registry left is listed and acknowledged', async () => {
    const name = w.alphaDomains[3]!;
    await updateDomain(w.t.reg, operator, { name, add: { statuses: ['serverTransferProhibited'] }, reason: 'court order 7/2026' });
    const page = await get(s.registrar_staff, '/registrar/poll?lang=en');
    const id = [...page.body.matchAll(/id="message-(\d+)"/g)].map((m) => Number(m[1])).pop()!;
    assert.match(page.body, /court order 7\/2026/);
    const ack = await post(s.registrar_staff, `/registrar/poll/${id}/ack?lang=en`, {});
    assert.equal(ack.statusCode, 200);
    assert.match(ack.body, new RegExp(`Message #${id} acknowledged`));
    assert.doesNotMatch(ack.body, new RegExp(`id="message-${id}"`));
    assert.equal((await post(s.registrar_staff, `/registrar/poll/${id}/ack?lang=en`, {})).statusCode, 404);
  });
});

describe('EPP access and users', () => {
  test('the administrator adds and removes a client certificate; staff sees it without the forms', async () => {
    const pem = await freshCertificate();
    const bad = await post(s.registrar_admin, '/registrar/epp/certificates?lang=en', { pem: 'not a certificate' });
    assert.equal(bad.statusCode, 400);
    const added = await post(s.registrar_admin, '/registrar/epp/certificates?lang=en', { pem });
    assert.equal(added.statusCode, 200, text(added));
    const fp = /Certificate added: ([0-9A-F:]{95})/.exec(added.body)![1]!;
    assert.ok((await loginRecord(w.t.reg, 'alpha'))!.fingerprints.includes(fp), 'EPP login now accepts it');
    assert.equal((await post(s.registrar_admin, '/registrar/epp/certificates?lang=en', { pem })).statusCode, 409);
    const staffView = await get(s.registrar_staff, '/registrar/epp?lang=en');
    assert.match(staffView.body, new RegExp(fp));
    assert.doesNotMatch(staffView.body, /action="\/registrar\/epp\/certificates/);
    const removed = await post(s.registrar_admin, '/registrar/epp/certificates/remove?lang=en', { fingerprint: fp });
    assert.equal(removed.statusCode, 200);
    assert.ok(!(await loginRecord(w.t.reg, 'alpha'))!.fingerprints.includes(fp));
  });

  test('the allowlist: a bad entry is refused and changes nothing; a good list is saved', async () => {
    const bad = await post(s.registrar_admin, '/registrar/epp/allowlist?lang=en', { entries: '192.0.2.1\n10.0.0.0/99' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual((await loginRecord(w.t.reg, 'alpha'))!.ipAllowlist, []);
    const ok = await post(s.registrar_admin, '/registrar/epp/allowlist?lang=en', { entries: '192.0.2.1\n2001:db8::/32' });
    assert.match(ok.body, /Allowlist saved \(2 entries\)/);
    assert.deepEqual((await loginRecord(w.t.reg, 'alpha'))!.ipAllowlist, ['192.0.2.1', '2001:db8::/32']);
    await post(s.registrar_admin, '/registrar/epp/allowlist?lang=en', { entries: '' });
  });

  test('the EPP password: two different entries are refused; the new one is what EPP login checks', async () => {
    const differ = await post(s.registrar_admin, '/registrar/epp/password?lang=en', { password: 'New-Epp-Pass-1', password2: 'New-Epp-Pass-2' });
    assert.equal(differ.statusCode, 400);
    const weak = await post(s.registrar_admin, '/registrar/epp/password?lang=en', { password: 'short', password2: 'short' });
    assert.equal(weak.statusCode, 422);
    const ok = await post(s.registrar_admin, '/registrar/epp/password?lang=en', { password: 'New-Epp-Pass-1', password2: 'New-Epp-Pass-1' });
    assert.equal(ok.statusCode, 200);
    assert.ok(await verifyPassword((await loginRecord(w.t.reg, 'alpha'))!.passwordHash, 'New-Epp-Pass-1'));
  });

  test('the administrator adds a staff user who signs in, then deactivates it and its session ends', async () => {
    const added = await post(s.registrar_admin, '/registrar/users?lang=en', { email: 'rauf@alpha.example.az', name: 'Rauf', role: 'registrar_staff', password: 'Rauf-Pass-2026' });
    assert.equal(added.statusCode, 200, text(added));
    const dup = await post(s.registrar_admin, '/registrar/users?lang=en', { email: 'rauf@alpha.example.az', name: 'Rauf', role: 'registrar_staff', password: 'Rauf-Pass-2026' });
    assert.equal(dup.statusCode, 409);
    assert.match(dup.body, /value="Rauf"/);
    const rauf = (await signInAs(w.app, 'rauf@alpha.example.az', 'Rauf-Pass-2026', '192.0.2.77')).signed!;
    assert.equal((await get(rauf, '/registrar/contacts')).statusCode, 200);
    assert.equal((await get(rauf, '/registrar/users')).statusCode, 403);
    const id = (await db().selectFrom('users').select('id').where('email', '=', 'rauf@alpha.example.az').executeTakeFirstOrThrow()).id;
    const off = await post(s.registrar_admin, `/registrar/users/${id}?lang=en`, { role: 'registrar_staff', active: 'false' });
    assert.equal(off.statusCode, 200);
    assert.match(off.body, /rauf@alpha\.example\.az changed/);
    assert.equal((await get(rauf, '/registrar/contacts')).statusCode, 303, 'signed out');
    assert.equal((await signInAs(w.app, 'rauf@alpha.example.az', 'Rauf-Pass-2026', '192.0.2.78')).signed, null);
    // The administrator does not demote itself (the page offers no form for it; the API says why).
    const me = (await db().selectFrom('users').select('id').where('email', '=', USERS.registrar_admin.email).executeTakeFirstOrThrow()).id;
    const self = await w.app.inject({ method: 'PATCH', url: `/api/registrar/users/${me}`, headers: { cookie: s.registrar_admin.cookie, 'x-csrf-token': s.registrar_admin.csrf }, payload: { active: false } });
    assert.equal(self.statusCode, 422);
    // Nor does it touch another registrar's users.
    const betaUser = await w.app.inject({ method: 'PATCH', url: `/api/registrar/users/${id}?registrar=beta`, headers: { cookie: s.registrar_admin.cookie, 'x-csrf-token': s.registrar_admin.csrf }, payload: { active: true } });
    assert.equal(betaUser.statusCode, 200, 'a registrar names no other registrar: ?registrar= is ignored for it');
  });
});

describe('API of the registrar portal', () => {
  test('contacts and hosts through JSON: created, listed with filters, deleted', async () => {
    const h = { cookie: s.registrar_staff.cookie, 'x-csrf-token': s.registrar_staff.csrf };
    const c = await w.app.inject({ method: 'POST', url: '/api/contacts', headers: h, payload: { handle: 'json-co', kind: 'legal', orgName: 'Json MMC', city: 'Bakı', cc: 'AZ', email: 'info@json.example.az', tin: '1700456781', repName: 'Orxan Həsənov', repPosition: 'direktor' } });
    assert.equal(c.statusCode, 200, c.body);
    assert.deepEqual(c.json().representative, { name: 'Orxan Həsənov', position: 'direktor' });
    const page = await get(s.registrar_staff, '/registrar/contacts/json-co?lang=en');
    assert.match(text(page), /Director or representative \(R3\.8\) Orxan Həsənov, direktor/);
    const noName = await w.app.inject({ method: 'PUT', url: '/api/contacts/json-co', headers: h, payload: { repName: '', repIdNumber: '123' } });
    assert.equal(noName.statusCode, 400);
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/contacts/json-co', headers: h })).json().representative.name, 'Orxan Həsənov');
    const legal = (await w.app.inject({ method: 'GET', url: '/api/contacts?kind=legal', headers: h })).json();
    assert.deepEqual(legal.items.map((x: { handle: string }) => x.handle), ['json-co']);
    assert.equal((await w.app.inject({ method: 'DELETE', url: '/api/contacts/json-co', headers: h })).statusCode, 200);
    await createHost(w.t.reg, w.alpha, { name: 'ns.json-host.net' });
    const hosts = (await w.app.inject({ method: 'GET', url: '/api/hosts?zone=external&linked=false&q=json', headers: h })).json();
    assert.deepEqual(hosts.items.map((x: { name: string }) => x.name), ['ns.json-host.net']);
    const other = await w.app.inject({ method: 'DELETE', url: '/api/contacts/beta-owner', headers: h });
    assert.equal(other.statusCode, 403);
    await addPerson(w.t.reg, w.beta, 'beta-spare');
    assert.equal((await w.app.inject({ method: 'GET', url: '/api/contacts?registrar=beta&q=beta', headers: h })).json().total, 0, 'a registrar lists only its own');
  });
});
