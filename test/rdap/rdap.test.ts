// RDAP (RFC 7480, 9082, 9083) anonymous lookups and searches: objects, statuses (RFC 8056), secureDNS, IDN
// variants, redaction of natural persons (RFC 9537, R8.8), errors, HEAD, CORS, ETag, Cache-Control, paging.
// Every response body is validated against src/rdap/schemas by the helper.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createHost } from '../../src/core/hosts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { startHttp } from '../../src/server/http.ts';
import { rdap, validated } from './helpers.ts';

let t: TestRegistry;
let app: FastifyInstance;
let r1: Actor;
const DS = { keyTag: 12345, algorithm: 13, digestType: 2, digest: 'ab'.repeat(32) };
const PERSON = ['Aysel', 'Quliyeva', 'Rəşid qızı', 'Nizami küç. 1', '+994.501234567', 'rdap-p1@mail.example.az', '12345678', 'AZ1000'];

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'rdap-r1');
  await addPerson(t.reg, r1, 'rdap-p1');
  await addCompany(t.reg, r1, 'rdap-c1');
  await createDomain(t.reg, r1, { name: 'rdaphost1.az', registrant: 'rdap-c1' });
  await createHost(t.reg, r1, { name: 'ns1.rdaphost1.az', addresses: ['185.129.4.10', '2a01:4f8:1:2::10'] });
  await createHost(t.reg, r1, { name: 'ns1.dns-rdap.net' });
  await createHost(t.reg, r1, { name: 'ns2.dns-rdap.net' });
  await createDomain(t.reg, r1, {
    name: 'rdaptest1.az', registrant: 'rdap-p1', contacts: [{ type: 'tech', handle: 'rdap-c1' }, { type: 'admin', handle: 'rdap-p1' }],
    hosts: ['ns1.rdaphost1.az', 'ns1.dns-rdap.net'], ds: [DS],
  });
  await createDomain(t.reg, r1, { name: 'ağac1.az', registrant: 'rdap-p1', hosts: ['ns1.dns-rdap.net', 'ns2.dns-rdap.net'] });
  await createDomain(t.reg, r1, { name: 'dayan1.az', registrant: 'rdap-c1', hosts: ['ns1.dns-rdap.net', 'ns2.dns-rdap.net'] });
  await updateDomain(t.reg, operator, { name: 'dayan1.az', add: { statuses: ['serverHold'] } });
  await updateDomain(t.reg, r1, { name: 'dayan1.az', add: { statuses: ['clientTransferProhibited'] } });
  for (let i = 1; i <= 7; i++) await createDomain(t.reg, r1, { name: `pagetest${i}.az`, registrant: 'rdap-c1' });
  app = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false, pageSize: 3, baseUrl: 'https://rdap.example.az' } }, () => true);
});
after(async () => {
  await app?.close();
  await t?.close();
  assert.ok(validated.count > 30, `${validated.count} responses validated`);
});

type J = Record<string, unknown>;
const entities = (b: J) => b.entities as J[];
const byRole = (b: J, role: string) => entities(b).find((e) => (e.roles as string[]).includes(role))!;
const vcardProp = (e: J, name: string) => ((e.vcardArray as [string, unknown[][]])[1]).find((p) => p[0] === name);
const events = (b: J) => Object.fromEntries((b.events as J[]).map((e) => [e.eventAction, e.eventDate]));

describe('domain lookup', () => {
  test('an A-label: the domain with its entities, name servers, DS data, events and links', async () => {
    const r = await rdap(app, '/rdap/domain/rdaptest1.az');
    assert.equal(r.status, 200);
    const b = r.body;
    assert.deepEqual(b.rdapConformance, ['rdap_level_0', 'redacted']);
    assert.equal(b.objectClassName, 'domain');
    assert.equal(b.ldhName, 'rdaptest1.az');
    assert.match(String(b.handle), /^D\d+-AZ$/);
    assert.ok(Array.isArray(b.notices) && (b.notices as J[]).length > 0);
    assert.deepEqual(b.status, ['active']);
    const ev = events(b);
    assert.equal(ev.registration, '2026-03-02T09:00:00Z');
    assert.equal(ev.expiration, '2027-03-02T09:00:00Z');
    assert.match(String(ev['last update of RDAP database']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(b.secureDNS, { delegationSigned: true, dsData: [{ keyTag: 12345, algorithm: 13, digest: 'AB'.repeat(32), digestType: 2 }] });
    const ns = b.nameservers as J[];
    assert.deepEqual(ns.map((n) => n.ldhName), ['ns1.dns-rdap.net', 'ns1.rdaphost1.az']);
    assert.deepEqual(ns[1]!.ipAddresses, { v4: ['185.129.4.10'], v6: ['2a01:4f8:1:2::10'] });
    const registrar = byRole(b, 'registrar');
    assert.equal(registrar.handle, 'rdap-r1');
    assert.equal(vcardProp(registrar, 'fn')![3], 'Registrar rdap-r1');
    assert.equal(registrar.publicIds, undefined);
    // The natural person's handle is withheld too (RFC 9537 'Registry Registrant ID').
    assert.deepEqual(entities(b).map((e) => [e.handle, e.roles]), [['rdap-r1', ['registrar']], [undefined, ['registrant', 'administrative']], ['rdap-c1', ['technical']]]);
    const links = b.links as J[];
    assert.deepEqual(links.map((l) => [l.rel, l.href]), [['self', 'https://rdap.example.az/rdap/domain/rdaptest1.az'], ['related', 'https://rdap.example.az/rdap/entity/rdap-r1']]);
    // Conformance and notices in the topmost object only (the schema checks the nested ones too).
    for (const e of entities(b)) { assert.equal(e.rdapConformance, undefined); assert.equal(e.notices, undefined); }
  });

  test('a U-label and its A-label give the same domain, with its IDN variant blocked', async () => {
    const u = await rdap(app, `/rdap/domain/${encodeURIComponent('ağac1.az')}`);
    assert.equal(u.status, 200);
    assert.equal(u.body.ldhName, 'xn--aac1-0wa.az');
    assert.equal(u.body.unicodeName, 'ağac1.az');
    const a = await rdap(app, '/rdap/domain/XN--AAC1-0WA.AZ');
    assert.equal(a.status, 200);
    assert.equal(a.body.handle, u.body.handle);
    assert.deepEqual(u.body.variants, [{ relation: ['registration restricted'], variantNames: [{ ldhName: 'agac1.az' }] }]);
  });

  test('a domain without name servers is inactive; a suspended one is on server hold (RFC 8056)', async () => {
    assert.deepEqual((await rdap(app, '/rdap/domain/pagetest1.az')).body.status, ['inactive']);
    const held = await rdap(app, '/rdap/domain/dayan1.az');
    assert.deepEqual([...(held.body.status as string[])].sort(), ['client transfer prohibited', 'server hold']);
    assert.deepEqual(held.body.secureDNS, { delegationSigned: false });
  });

  test('400 for a name that is not valid IDNA2008; 404 for names not registered or not ours', async () => {
    for (const n of ['xn--abc.az', 'ex_ample.az', '-abc.az', 'a..az', 'xn--zzz-.az']) {
      const r = await rdap(app, `/rdap/domain/${n}`);
      assert.equal(r.status, 400, n);
      assert.equal(r.body.errorCode, 400);
    }
    for (const n of ['nosuch1.az', 'example.com', 'www.rdaptest1.az', 'nosuch1.com.az']) {
      const r = await rdap(app, `/rdap/domain/${n}`);
      assert.equal(r.status, 404, n);
      assert.equal(r.body.errorCode, 404);
      assert.equal(r.body.title, 'Not Found');
    }
  });
});

describe('redaction (RFC 9537, R8.8)', () => {
  test('a natural person: no personal value anywhere; each withheld field named with its method and path', async () => {
    const r = await rdap(app, '/rdap/domain/rdaptest1.az');
    for (const v of PERSON) assert.ok(!r.text.includes(v), `'${v}' must not appear`);
    const person = byRole(r.body, 'registrant');
    assert.equal(vcardProp(person, 'fn')![3], '');
    for (const p of ['n', 'adr', 'tel', 'email']) assert.equal(vcardProp(person, p), undefined, p);
    assert.equal(person.remarks, undefined);
    assert.ok((r.body.rdapConformance as string[]).includes('redacted'));
    const red = r.body.redacted as J[];
    const names = red.map((x) => (x.name as J).type ?? (x.name as J).description);
    assert.ok(!r.text.includes('rdap-p1'), 'nor its handle');
    for (const n of ['Registry Registrant ID', 'Registrant Name', 'Registrant Street', 'Registrant City', 'Registrant Postal Code', 'Registrant Phone', 'Registrant Email',
      'Registrant Identity Document', 'Registrant Tax Identification Number']) assert.ok(names.includes(n), n);
    for (const x of red) {
      assert.equal(x.pathLang, 'jsonpath');
      if (x.method === 'removal') assert.match(String(x.prePath), /^\$\.entities\[\?\(@\.roles\[0\]=='registrant'\)\]\./);
      else { assert.equal(x.method, 'emptyValue'); assert.match(String(x.postPath), /fn/); }
    }
    assert.ok(red.filter((x) => x.method === 'removal').length >= 10);
  });

  test('a legal entity is shown: organisation, address, phone, e-mail (not its identity data)', async () => {
    const r = await rdap(app, '/rdap/domain/rdaptest1.az');
    const company = byRole(r.body, 'technical');
    assert.equal(vcardProp(company, 'fn')![3], 'rdap-c1 MMC');
    assert.equal(vcardProp(company, 'org')![3], 'rdap-c1 MMC');
    assert.deepEqual(vcardProp(company, 'adr'), ['adr', { cc: 'AZ' }, 'text', ['', '', 'Neftçilər pr. 2', 'Bakı', '', '', '']]);
    assert.deepEqual(vcardProp(company, 'tel'), ['tel', { type: 'voice' }, 'uri', 'tel:+994.124567890']);
    assert.deepEqual(vcardProp(company, 'email'), ['email', {}, 'text', 'info@rdap-c1.example.az']);
    assert.ok(!r.text.includes('1700456781'), 'the TIN stays with the registry');
  });

  test('a contact looked up alone: the same redaction, paths from the top', async () => {
    const r = await rdap(app, '/rdap/entity/rdap-p1');
    assert.equal(r.status, 200);
    assert.equal(r.body.objectClassName, 'entity');
    for (const v of PERSON) assert.ok(!r.text.includes(v), v);
    assert.equal(r.body.handle, undefined);
    assert.ok((r.body.redacted as J[]).every((x) => /^\$\.(vcardArray|remarks|handle|links)/.test(String(x.prePath ?? x.postPath))));
    const c = await rdap(app, '/rdap/entity/rdap-c1');
    assert.equal(c.body.redacted, undefined);
    assert.deepEqual(c.body.rdapConformance, ['rdap_level_0', 'redacted']);
  });
});

describe('nameserver and entity lookups', () => {
  test('a name server with glue; by U-label; 404; 400', async () => {
    const r = await rdap(app, '/rdap/nameserver/NS1.rdaphost1.az.');
    assert.equal(r.status, 200);
    assert.equal(r.body.objectClassName, 'nameserver');
    assert.equal(r.body.ldhName, 'ns1.rdaphost1.az');
    assert.deepEqual(r.body.status, ['associated', 'active']);
    assert.deepEqual(r.body.ipAddresses, { v4: ['185.129.4.10'], v6: ['2a01:4f8:1:2::10'] });
    assert.equal(entities(r.body)[0]!.handle, 'rdap-r1');
    assert.deepEqual((r.body.links as J[]).map((l) => l.rel), ['self', 'related']);
    assert.equal((await rdap(app, '/rdap/nameserver/ns9.rdaphost1.az')).status, 404);
    assert.equal((await rdap(app, '/rdap/nameserver/ns_1.example')).status, 400);
    await createHost(t.reg, r1, { name: 'ns1.xn--aac1-0wa.az' });
    const u = await rdap(app, `/rdap/nameserver/${encodeURIComponent('ns1.ağac1.az')}`);
    assert.equal(u.status, 200);
    assert.equal(u.body.ldhName, 'ns1.xn--aac1-0wa.az');
  });

  test('a registrar with its public data (R9.6), without IANA ids', async () => {
    const r = await rdap(app, '/rdap/entity/rdap-r1');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.roles, ['registrar']);
    assert.equal(vcardProp(r.body, 'email')![3], 'ops@rdap-r1.example.az');
    assert.equal(r.body.publicIds, undefined);
    assert.deepEqual(r.body.status, ['active']);
    assert.equal((await rdap(app, '/rdap/entity/nobody-here')).status, 404);
    assert.equal((await rdap(app, `/rdap/entity/${encodeURIComponent('a b')}`)).status, 400);
  });

  test('help', async () => {
    const r = await rdap(app, '/rdap/help');
    assert.equal(r.status, 200);
    assert.ok((r.body.notices as J[]).some((n) => n.title === 'About this RDAP service'));
  });
});

describe('searches', () => {
  test('domains?name=prefix*: paged, with a truncation notice and a next link', async () => {
    const seen: string[] = [];
    let url: string | null = '/rdap/domains?name=pagetest*';
    let pages = 0;
    while (url && pages < 10) {
      const r = await rdap(app, url);
      assert.equal(r.status, 200);
      assert.ok((r.body.rdapConformance as string[]).includes('paging'));
      const results = r.body.domainSearchResults as J[];
      seen.push(...results.map((d) => String(d.ldhName)));
      const next = ((r.body.paging_metadata as J).links as J[] | undefined)?.find((l) => l.rel === 'next');
      if (next) {
        assert.ok((r.body.notices as J[]).some((n) => n.type === 'result set truncated due to excessive load'));
        assert.equal(results.length, 3);
      }
      url = next ? String(next.href).replace('https://rdap.example.az', '') : null;
      pages++;
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7].map((i) => `pagetest${i}.az`));
    assert.equal(pages, 3);
  });

  test('a U-label prefix, an exact name, and patterns that are refused', async () => {
    const u = await rdap(app, `/rdap/domains?name=${encodeURIComponent('ağa*')}`);
    assert.deepEqual((u.body.domainSearchResults as J[]).map((d) => d.unicodeName), ['ağac1.az']);
    const e = await rdap(app, '/rdap/domains?name=rdaptest1.az');
    assert.deepEqual((e.body.domainSearchResults as J[]).map((d) => d.ldhName), ['rdaptest1.az']);
    assert.equal((e.body.domainSearchResults as J[])[0]!.entities, undefined);
    for (const p of ['*test', 'page*test', 'p*', '']) assert.equal((await rdap(app, `/rdap/domains?name=${encodeURIComponent(p)}`)).status, 400, p);
    assert.equal((await rdap(app, '/rdap/domains')).status, 400);
    assert.equal((await rdap(app, '/rdap/domains?name=a%25b*')).status, 200);
  });

  test('nameservers?name= and ?ip=', async () => {
    const n = await rdap(app, '/rdap/nameservers?name=ns1.rdap*');
    assert.deepEqual((n.body.nameserverSearchResults as J[]).map((h) => h.ldhName), ['ns1.rdaphost1.az']);
    const ip4 = await rdap(app, '/rdap/nameservers?ip=185.129.4.10');
    assert.deepEqual((ip4.body.nameserverSearchResults as J[]).map((h) => h.ldhName), ['ns1.rdaphost1.az']);
    const ip6 = await rdap(app, '/rdap/nameservers?ip=2a01:04f8:1:2:0:0:0:10');
    assert.deepEqual((ip6.body.nameserverSearchResults as J[]).map((h) => h.ldhName), ['ns1.rdaphost1.az']);
    assert.equal((await rdap(app, '/rdap/nameservers?ip=not-an-ip')).status, 400);
    assert.equal((await rdap(app, '/rdap/nameservers')).status, 400);
  });

  test('501 for query types this server does not support; 400 for unknown paths', async () => {
    for (const u of ['/rdap/autnum/64512', '/rdap/ip/192.0.2.1', '/rdap/domains?nsLdhName=ns1.dns-rdap.net']) {
      const r = await rdap(app, u);
      assert.equal(r.status, 501, u);
      assert.equal(r.body.errorCode, 501);
    }
    assert.equal((await rdap(app, '/rdap/whatever/x')).status, 400);
  });
});

describe('HTTP behaviour (RFC 7480)', () => {
  test('HEAD, ETag with If-None-Match (304), Cache-Control, CORS preflight', async () => {
    const g = await rdap(app, '/rdap/domain/rdaptest1.az');
    const etag = String(g.headers.etag);
    assert.match(etag, /^W\/"[A-Za-z0-9_-]+"$/);
    assert.equal(g.headers['cache-control'], 'public, max-age=60');
    const h = await rdap(app, '/rdap/domain/rdaptest1.az', { method: 'HEAD' });
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
    assert.equal(h.headers.etag, etag);
    const c = await rdap(app, '/rdap/domain/rdaptest1.az', { headers: { 'if-none-match': etag } });
    assert.equal(c.status, 304);
    assert.equal(c.text, '');
    // A change of the domain changes the ETag, once the cache has read the outbox (every 250 ms here).
    await updateDomain(t.reg, r1, { name: 'rdaptest1.az', add: { statuses: ['clientDeleteProhibited'] } });
    let changed = await rdap(app, '/rdap/domain/rdaptest1.az', { headers: { 'if-none-match': etag } });
    for (let i = 0; i < 100 && changed.status === 304; i++) {
      await new Promise((r) => setTimeout(r, 50));
      changed = await rdap(app, '/rdap/domain/rdaptest1.az', { headers: { 'if-none-match': etag } });
    }
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
    const pre = await app.inject({ method: 'OPTIONS', url: '/rdap/domain/rdaptest1.az', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } });
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.match(String(pre.headers['access-control-allow-headers']), /Authorization/);
  });

  test('429 with Retry-After for an address over its limit, while another address is served', async () => {
    const limited = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: { ratePerSecond: 1, burst: 3 } } }, () => true);
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await rdap(limited, '/rdap/help', { ip: '198.51.100.7' })).status);
      assert.deepEqual(codes.slice(0, 3), [200, 200, 200]);
      const over = await rdap(limited, '/rdap/domain/rdaptest1.az', { ip: '198.51.100.7' });
      assert.equal(over.status, 429);
      assert.equal(over.body.errorCode, 429);
      assert.ok(Number(over.headers['retry-after']) >= 1);
      assert.equal((await rdap(limited, '/rdap/domain/rdaptest1.az', { ip: '198.51.100.8' })).status, 200);
    } finally {
      await limited.close();
    }
  });
});
