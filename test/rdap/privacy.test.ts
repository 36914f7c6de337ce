// R8.8 (Law "On Personal Data"): crawls every object of the demo registry through anonymous RDAP (lookups by
// A-label and U-label, searches, entities, entity searches), WHOIS (domains, name servers, registrars, contacts) and the whois.az pages
// (lookups in az/en/ru, the registrar list), and finds none of the
// natural persons' personal values (names, street, phone, fax, e-mail, ID document, TIN) in any answer.
// The persons include the directors recorded as representatives of legal entities.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { startHttp } from '../../src/server/http.ts';
import { startWhois, type WhoisServer } from '../../src/whois/server.ts';
import { rdap } from './helpers.ts';
import { rawQuery } from '../whois/client.ts';

let t: TestRegistry;
let app: FastifyInstance;
let whois: WhoisServer;

before(async () => {
  t = await testRegistry();
  await seedDemo(t.reg);
  app = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false } }, () => true);
  whois = await startWhois(t.reg, { host: '127.0.0.1', port: 0, rateLimit: false });
});
after(async () => { await whois?.close(); await app?.close(); await t?.close(); });

/** Every personal value of every natural person in the registry, with where it came from. */
async function personalValues(): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const add = (v: string | null | undefined, what: string) => { if (v && v.trim().length >= 3) values.set(v.trim(), what); };
  const contacts = await t.reg.db.selectFrom('contacts').selectAll().where('deleted_at', 'is', null).execute();
  for (const c of contacts) {
    if (c.kind === 'natural') {
      const who = `contact ${c.handle}`;
      add(c.given_name, `${who} given name`); add(c.family_name, `${who} family name`); add(c.patronymic, `${who} patronymic`);
      for (const s of c.street) add(s, `${who} street`);
      for (const p of [c.voice, c.fax]) { add(p, `${who} phone`); add(p?.replace(/^\+\d+\./, ''), `${who} phone digits`); }
      add(c.email, `${who} e-mail`);
      add(c.id_number, `${who} ID number`); add(c.id_series && c.id_number ? `${c.id_series} ${c.id_number}` : null, `${who} ID`);
      add(c.tin, `${who} TIN`); add(c.id_authority, `${who} ID authority`);
    }
    const rep = c.representative;
    if (rep) {
      add(rep.name, `representative of ${c.handle}`);
      for (const part of rep.name.split(/\s+/).filter((p) => p.length >= 4 && p !== rep.position)) add(part, `representative of ${c.handle} (name part)`);
      add(rep.idNumber, `representative of ${c.handle} ID number`);
    }
  }
  return values;
}

test('no personal value of a natural person in any anonymous RDAP, WHOIS or web answer about the demo registry', async () => {
  const values = await personalValues();
  assert.ok(values.size >= 30, `${values.size} values to look for`);
  const naturals = await t.reg.db.selectFrom('contacts').select('handle').where('kind', '=', 'natural').execute();
  assert.ok(naturals.length >= 4);
  const domains = await t.reg.db.selectFrom('domains').select(['name', 'unicode_name']).where('deleted_at', 'is', null).orderBy('name').execute();
  const hosts = await t.reg.db.selectFrom('hosts').select('name').where('deleted_at', 'is', null).execute();
  const contacts = await t.reg.db.selectFrom('contacts').select('handle').where('deleted_at', 'is', null).execute();
  const registrars = await t.reg.db.selectFrom('registrars').select('id').execute();
  assert.ok(domains.length >= 150, `${domains.length} demo domains`);

  let answers = 0;
  // Whole words, any case: 'Əli' is a given name, but also the middle of the word 'nömrəli' on the Azerbaijani pages.
  const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [...values].map(([v, source]) => ({ v, source, re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(v)}(?![\\p{L}\\p{N}])`, 'iu') }));
  const check = (text: string, what: string) => {
    answers++;
    for (const { v, source, re } of patterns) {
      if (re.test(text)) assert.fail(`${what} shows ${source}: '${v}'`);
    }
  };
  const get = async (url: string) => {
    const r = await rdap(app, url);
    assert.ok(r.status === 200, `${url}: ${r.status}`);
    check(r.text, `RDAP ${url}`);
    return r;
  };

  // The check finds the values where they are: the registry's own (authenticated) view of a person's domain.
  const { createApiToken } = await import('../../src/core/tokens.ts');
  const { cliActor } = await import('../../src/core/actor.ts');
  const staff = await createApiToken(t.reg, cliActor, { userEmail: 'admin@nic.az' });
  const personal = await t.reg.db.selectFrom('domains').innerJoin('contacts', 'contacts.id', 'domains.registrant_id').select('domains.name')
    .where('contacts.kind', '=', 'natural').where('domains.deleted_at', 'is', null).limit(1).executeTakeFirstOrThrow();
  const full = await rdap(app, `/rdap/domain/${personal.name}`, { headers: { authorization: `Bearer ${staff.token}` } });
  assert.throws(() => check(full.text, 'the registry view'), /shows contact .* (given name|family name)/);

  let redactedPersons = 0;
  for (const d of domains) {
    const r = await get(`/rdap/domain/${d.name}`);
    if (Array.isArray(r.body.redacted)) redactedPersons++;
    if (d.unicode_name !== d.name) await get(`/rdap/domain/${encodeURIComponent(d.unicode_name)}`);
    check(await rawQuery(whois.port, `${d.name}\r\n`), `WHOIS ${d.name}`);
    for (const lang of ['az', 'en', 'ru']) {
      const page = await app.inject({ url: `/whois/?lang=${lang}&name=${encodeURIComponent(d.unicode_name)}` });
      assert.equal(page.statusCode, 200);
      check(page.body, `web lookup ${d.unicode_name} (${lang})`);
    }
    if (d.unicode_name !== d.name) check(await rawQuery(whois.port, `${d.unicode_name}\r\n`), `WHOIS ${d.unicode_name}`);
  }
  assert.ok(redactedPersons > 20, `${redactedPersons} domains with a natural person, redacted`);
  for (const h of hosts) {
    await get(`/rdap/nameserver/${h.name}`);
    check(await rawQuery(whois.port, `nameserver ${h.name}\r\n`), `WHOIS nameserver ${h.name}`);
  }
  for (const c of contacts) {
    await get(`/rdap/entity/${c.handle}`);
    check(await rawQuery(whois.port, `contact ${c.handle}\r\n`), `WHOIS contact ${c.handle}`);
  }
  // Entity searches (every page) by the persons' own names and handles, and by every two-character handle prefix:
  // no natural person (none of the demo's consented to publication) is ever found.
  const naturalHandles = new Set(naturals.map((n) => n.handle));
  const persons = await t.reg.db.selectFrom('contacts').select(['given_name', 'family_name']).where('kind', '=', 'natural').execute();
  const searches = [
    ...persons.flatMap((p) => [`fn=${encodeURIComponent(`${p.given_name ?? ''}*`)}`, `fn=${encodeURIComponent(`${p.given_name} ${p.family_name}`)}`]),
    ...[...new Set(contacts.map((c) => c.handle.slice(0, 2)))].map((h) => `handle=${encodeURIComponent(h)}*`),
    ...[...naturalHandles].map((h) => `handle=${encodeURIComponent(h)}`),
  ];
  let entitiesFound = 0;
  for (const q of new Set(searches)) {
    let url: string | null = `/rdap/entities?${q}`;
    for (let page = 0; url && page < 20; page++) {
      const r = await get(url);
      for (const e of r.body.entitySearchResults as { handle?: string }[]) {
        entitiesFound++;
        assert.ok(e.handle && !naturalHandles.has(e.handle), `${url} finds a natural person`);
      }
      const next = ((r.body.paging_metadata as { links?: { rel: string; href: string }[] }).links ?? []).find((l) => l.rel === 'next');
      url = next ? next.href.replace(/^https?:\/\/[^/]+/, '') : null;
    }
  }
  assert.ok(entitiesFound > 5, `${entitiesFound} registrars and legal entities found by the searches`);
  for (const r of registrars) {
    await get(`/rdap/entity/${r.id}`);
    check(await rawQuery(whois.port, `registrar ${r.id}\r\n`), `WHOIS registrar ${r.id}`);
  }
  for (const r of await t.reg.db.selectFrom('registrars').select('name').execute()) {
    const a = await rawQuery(whois.port, `registrar ${r.name.slice(0, 3)}*\r\n`);
    assert.match(a, /^Registrar ID: /m);
    check(a, `WHOIS registrar ${r.name.slice(0, 3)}*`);
  }
  // Searches over every two-character prefix, every page.
  const prefixes = [...new Set(domains.map((d) => d.name.slice(0, 2)))];
  for (const p of prefixes) {
    let url: string | null = `/rdap/domains?name=${encodeURIComponent(p)}*`;
    for (let page = 0; url && page < 20; page++) {
      const r = await get(url);
      const next = ((r.body.paging_metadata as { links?: { rel: string; href: string }[] }).links ?? []).find((l) => l.rel === 'next');
      url = next ? next.href.replace(/^https?:\/\/[^/]+/, '') : null;
    }
  }
  for (const lang of ['az', 'en', 'ru']) {
    for (const p of ['registrars', 'rules', 'agreement', 'procedure']) check((await app.inject({ url: `/whois/${p}?lang=${lang}` })).body, `web ${p} (${lang})`);
  }
  await get('/rdap/nameservers?name=ns*');
  await get('/rdap/help');
  assert.ok(answers > 500, `${answers} answers checked`);
});
