// whois.az pages: the lookup explains the status in plain words in az/en/ru (R3.18); the registrar list (R9.6);
// no personal data of natural persons (R8.8); HTML-escaped input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { startHttp } from '../../src/server/http.ts';

let t: TestRegistry;
let app: FastifyInstance;

before(async () => {
  t = await testRegistry();
  const r = await addRegistrar(t.reg, 'site-r1');
  await addPerson(t.reg, r, 'site-p1');
  await addCompany(t.reg, r, 'site-c1');
  await createDomain(t.reg, r, { name: 'sayt1.az', registrant: 'site-p1' });
  await createDomain(t.reg, r, { name: 'şirkət1.az', registrant: 'site-c1' });
  await updateDomain(t.reg, operator, { name: 'sayt1.az', add: { statuses: ['serverHold'] } });
  app = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false } }, () => true);
});
after(async () => { await app?.close(); await t?.close(); });

const get = async (url: string, headers: Record<string, string> = {}) => {
  const r = await app.inject({ url, headers });
  assert.equal(r.statusCode, 200, url);
  assert.match(String(r.headers['content-type']), /^text\/html; charset=utf-8/);
  return r.body;
};

test('the lookup explains the status in plain words, in Azerbaijani, English and Russian', async () => {
  const en = await get('/whois/?name=sayt1.az&lang=en');
  assert.match(en, /Suspended by the registry: withdrawn from the DNS/);
  assert.match(en, /Registered, but without name servers/);
  assert.match(en, /a natural person \(not published\)/);
  assert.match(await get('/whois/?name=sayt1.az&lang=az'), /Reyestr tərəfindən dayandırılıb/);
  assert.match(await get('/whois/?name=sayt1.az&lang=ru'), /Приостановлен реестром/);
  assert.match(await get('/whois/?name=sayt1.az', { 'accept-language': 'ru-RU,ru;q=0.9' }), /<html lang="ru">/);
  for (const v of ['Aysel', 'Quliyeva', 'Nizami', '+994.501234567', 'site-p1']) assert.ok(!en.includes(v), v);
  const company = await get(`/whois/?name=${encodeURIComponent('ŞİRKƏT1.az')}&lang=en`);
  assert.match(company, /site-c1 MMC/);
  assert.match(company, /xn--/);
  assert.match(await get('/whois/?name=yox1.az&lang=en'), /is not registered/);
  assert.match(await get('/whois/?name=xn--abc.az&lang=en'), /is not a valid domain name/);
  const xss = await get(`/whois/?name=${encodeURIComponent('<script>x</script>.az')}&lang=en`);
  assert.ok(!xss.includes('<script>x'), 'input is escaped');
});

test('the rules, the model agreement and the procedure (R3.17), with a note on the translation', async () => {
  const rules = await get('/whois/rules?lang=en');
  assert.match(rules, /4\.1\. The following technical requirements/);
  assert.match(rules, /3\.17\. Information on these Rules/);
  assert.doesNotMatch(rules, /DOMAIN NAME REGISTRATION AGREEMENT/);
  const agreement = await get('/whois/agreement?lang=az');
  assert.match(agreement, /DOMAIN NAME REGISTRATION AGREEMENT/);
  assert.match(agreement, /Rəsmi mətn Azərbaycan dilindədir/);
  assert.doesNotMatch(agreement, /Lists of information included/);
  const procedure = await get('/whois/procedure?lang=ru');
  assert.match(procedure, /3\.1\. The right to use domain names/);
  assert.doesNotMatch(procedure, /4\.1\. The following technical requirements/);
  assert.match(procedure, /Официальный текст на азербайджанском языке/);
});

test('the registrar list shows the R9.6 data', async () => {
  const page = await get('/whois/registrars?lang=en');
  assert.match(page, /Registrar site-r1/);
  assert.match(page, /ops@site-r1\.example\.az/);
  assert.match(await get('/whois/registrars?lang=az'), /Registratorlar/);
});

test('the whois.az pages are the public site of the portals: one frame, the CSP, a home page at /', async () => {
  const home = await get('/?lang=en');
  assert.match(home, /<h1>The \.az domain registry<\/h1>/);
  assert.match(home, /2 domains, 1 registrars, on (the embedded database|PostgreSQL)\./);
  const lookup = await app.inject({ url: '/whois/?name=sayt1.az&lang=en' });
  assert.match(String(lookup.headers['content-security-policy']), /script-src 'self'/);
  assert.match(lookup.body, /<nav class="site" aria-label="Site">/);
  assert.match(lookup.body, /<a href="\/login">Sign in<\/a>/);
  assert.doesNotMatch(lookup.body, /style=/);
});

test('/whois without the slash leads to the lookup, keeping the query', async () => {
  const r = await app.inject({ url: '/whois?name=sayt1.az&lang=en' });
  assert.equal(r.statusCode, 301);
  assert.equal(r.headers.location, '/whois/?name=sayt1.az&lang=en');
});
