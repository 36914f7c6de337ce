// Consent to publication (RFC 5733 §2.9 <contact:disclose flag="1">, R8.8): a natural person created over EPP who
// consents to publish the name and e-mail gets exactly those shown in anonymous RDAP, WHOIS and the whois.az
// page, and can be found by the RDAP entity search (RFC 9082 §3.2.3); the rest stays redacted (RFC 9537). A
// person without consent is never shown nor found. EPP contact:info returns the consent as given.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { addCompany, registrar } from '../helpers/fixtures.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { startHttp } from '../../src/server/http.ts';
import { startWhois, type WhoisServer } from '../../src/whois/server.ts';
import { contact, identity } from '../epp/commands.ts';
import { harness, type Harness } from '../epp/harness.ts';
import { rawQuery } from '../whois/client.ts';
import { rdap } from './helpers.ts';

let h: Harness;
let app: FastifyInstance;
let whois: WhoisServer;
type J = Record<string, unknown>;

const CONSENT = '<contact:disclose flag="1"><contact:name type="loc"/><contact:email/></contact:disclose>';
const withDisclose = (xml: string, d: string) => xml.replace('</contact:create>', `${d}</contact:create>`);

before(async () => {
  h = await harness();
  await h.registrar('discl-r1');
  const a = await h.client('discl-r1');
  const person = (id: string, name: string, d: string) => a.command(withDisclose(contact.create({ id, name, voice: '+994.501112233', pc: 'AZ1001', street: ['Füzuli küç. 7'] }), d),
    { extension: identity.create(identity.person) });
  assert.equal((await person('nigar-open', 'Nigar Əliyeva', CONSENT)).code, 1000);
  assert.equal((await person('nigar-closed', 'Nigar Həsənova', '')).code, 1000);
  const info = await a.command(contact.info('nigar-open'));
  assert.equal(info.code, 1000);
  const d = info.first('contact:disclose');
  assert.ok(d, 'contact:info has the disclose element');
  assert.match(String(d.attrs.flag), /^(1|true)$/);
  assert.deepEqual(d.children.map((c) => c.name), ['name', 'email']);
  const closed = await a.command(contact.info('nigar-closed'));
  assert.equal(closed.first('contact:disclose'), undefined);
  const r1 = registrar('discl-r1');
  await addCompany(h.t.reg, r1, 'discl-c1');
  await addCompany(h.t.reg, r1, 'discl-c2');
  await createDomain(h.t.reg, r1, { name: 'aciq1.az', registrant: 'nigar-open', contacts: [{ type: 'tech', handle: 'nigar-closed' }] });
  app = await startHttp(h.t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false, pageSize: 2 } }, () => true);
  whois = await startWhois(h.t.reg, { host: '127.0.0.1', port: 0, rateLimit: false });
});
after(async () => { await whois?.close(); await app?.close(); await h?.close(); });

const vcard = (e: J, name: string) => ((e.vcardArray as [string, unknown[][]])[1]).filter((p) => p[0] === name);
const redactedNames = (b: J) => (b.redacted as J[] | undefined ?? []).map((x) => String((x.name as J).type ?? (x.name as J).description));

test('RDAP: the consented name and e-mail are shown, the address and phone redacted; without consent nothing', async () => {
  const r = await rdap(app, '/rdap/domain/aciq1.az');
  assert.equal(r.status, 200);
  const ents = r.body.entities as J[];
  const owner = ents.find((e) => (e.roles as string[])[0] === 'registrant')!;
  assert.equal(owner.handle, 'nigar-open');
  assert.equal(vcard(owner, 'fn')[0]![3], 'Nigar Rəşid qızı Əliyeva');
  assert.deepEqual(vcard(owner, 'email').map((p) => p[3]), ['nigar-open@mail.example.az']);
  assert.deepEqual(vcard(owner, 'adr'), []);
  assert.deepEqual(vcard(owner, 'tel'), []);
  for (const v of ['Füzuli', '501112233', 'AZ1001', '12345678']) assert.ok(!r.text.includes(v), v);
  const names = redactedNames(r.body);
  for (const n of ['Registrant Street', 'Registrant Phone', 'Registrant Identity Document', 'Tech Name', 'Tech Email', 'Registry Tech ID']) assert.ok(names.includes(n), n);
  for (const n of ['Registrant Name', 'Registrant Email', 'Registry Registrant ID']) assert.ok(!names.includes(n), n);
  const tech = ents.find((e) => (e.roles as string[])[0] === 'technical')!;
  assert.equal(tech.handle, undefined);
  assert.ok(!r.text.includes('Həsənova') && !r.text.includes('nigar-closed'));
  const alone = await rdap(app, '/rdap/entity/nigar-open');
  assert.equal(vcard(alone.body, 'fn')[0]![3], 'Nigar Rəşid qızı Əliyeva');
  assert.ok(redactedNames(alone.body).includes('Contact Street'));
});

test('RDAP entity search: registrars, legal entities and consenting persons; never the others; paged', async () => {
  const fn = await rdap(app, `/rdap/entities?fn=${encodeURIComponent('nigar*')}`);
  assert.equal(fn.status, 200);
  assert.ok((fn.body.rdapConformance as string[]).includes('paging'));
  const found = fn.body.entitySearchResults as J[];
  assert.deepEqual(found.map((e) => e.handle), ['nigar-open']);
  assert.ok(!fn.text.includes('Həsənova') && !fn.text.includes('Füzuli'));
  assert.ok(redactedNames(fn.body).includes('Contact Street'));
  assert.ok((fn.body.redacted as J[]).every((x) => String(x.prePath ?? x.postPath).startsWith('$.entitySearchResults[0]')));
  assert.deepEqual(((await rdap(app, '/rdap/entities?handle=nigar*')).body.entitySearchResults as J[]).map((e) => e.handle), ['nigar-open']);
  assert.deepEqual((await rdap(app, '/rdap/entities?handle=nigar-closed')).body.entitySearchResults, []);
  assert.deepEqual((await rdap(app, `/rdap/entities?fn=${encodeURIComponent('Nigar Rəşid qızı Həsənova')}`)).body.entitySearchResults, []);
  const exact = await rdap(app, `/rdap/entities?fn=${encodeURIComponent('DISCL-C1 mmc')}`);
  assert.deepEqual((exact.body.entitySearchResults as J[]).map((e) => e.handle), ['discl-c1']);
  // Two per page here: registrars and legal entities together, in order, with a next link.
  const seen: string[] = [];
  let url: string | null = '/rdap/entities?handle=discl*';
  for (let i = 0; url && i < 5; i++) {
    const p = await rdap(app, url);
    seen.push(...(p.body.entitySearchResults as J[]).map((e) => String(e.handle)));
    const next = ((p.body.paging_metadata as J).links as J[] | undefined)?.[0];
    url = next ? new URL(String(next.href)).pathname + new URL(String(next.href)).search : null;
  }
  assert.deepEqual(seen, ['discl-c1', 'discl-c2', 'discl-r1']);
  assert.deepEqual(((await rdap(app, '/rdap/entities?fn=registrar*')).body.entitySearchResults as J[]).map((e) => e.handle), ['discl-r1']);
  for (const u of ['/rdap/entities', '/rdap/entities?fn=n*', '/rdap/entities?fn=*gar', '/rdap/entities?fn=a*&handle=b*', '/rdap/entities?fn=ab*&cursor=xyz']) {
    assert.equal((await rdap(app, u)).status, 400, u);
  }
});

test('WHOIS and the whois.az page show the consented name only', async () => {
  const w = await rawQuery(whois.port, 'aciq1.az\r\n');
  assert.match(w, /Registrant ID: nigar-open/);
  assert.match(w, /Registrant Name: Nigar Rəşid qızı Əliyeva/);
  assert.match(w, /Registrant Email: nigar-open@mail\.example\.az/);
  assert.match(w, /Registrant Street: REDACTED FOR PRIVACY/);
  assert.match(w, /Registrant Phone: REDACTED FOR PRIVACY/);
  assert.match(w, /Tech ID: REDACTED FOR PRIVACY/);
  assert.ok(!w.includes('Həsənova') && !w.includes('Füzuli'));
  const c = await rawQuery(whois.port, 'contact nigar-closed\r\n');
  assert.match(c, /Contact Name: REDACTED FOR PRIVACY/);
  assert.ok(!c.includes('Həsənova') && !c.includes('nigar-closed@'));
  const page = await app.inject({ url: '/whois/?name=aciq1.az&lang=en' });
  assert.match(page.body, /Nigar Rəşid qızı Əliyeva/);
  assert.ok(!page.body.includes('nigar-open@'));
});
