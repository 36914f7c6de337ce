// Anonymous cache hits are answered in front of fastify's routing (src/rdap/plugin.ts, src/server/http.ts): over
// real sockets, as a client sees them, a hit carries the same status, headers and body as the answer fastify gave
// when it missed; If-None-Match -> 304, HEAD, CORS and the per-address limit hold on hits; a bearer token still gets
// its full answer; a change through the core replaces the cached answer. Behind a trusted proxy (no fast path) the
// limit follows X-Forwarded-For on hits too. Every body is validated against src/rdap/schemas (rdapHttp).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createHost } from '../../src/core/hosts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { createApiToken } from '../../src/core/tokens.ts';
import { startHttp } from '../../src/server/http.ts';
import { rdapHttp, validated, type RdapResponse } from './helpers.ts';

let t: TestRegistry;
let r1: Actor;
let app: FastifyInstance;
let port: number;
let token: string;
const POLL_MS = 50;
const RATE = { ratePerSecond: 0.2, burst: 5 };

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'fast-r1');
  await addPerson(t.reg, r1, 'fast-p1');
  for (const n of ['ns1.fast-dns.net', 'ns2.fast-dns.net']) await createHost(t.reg, r1, { name: n });
  for (const n of ['tez1.az', 'tez2.az', 'tez3.az', 'tez4.az', 'tez5.az']) {
    await createDomain(t.reg, r1, { name: n, registrant: 'fast-p1', hosts: ['ns1.fast-dns.net', 'ns2.fast-dns.net'] });
  }
  token = (await createApiToken(t.reg, operator, { registrarId: 'fast-r1' })).token;
  app = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: RATE, cache: { pollMs: POLL_MS } } }, () => true);
  port = (app.server.address() as AddressInfo).port;
});
after(async () => {
  await app?.close();
  await t?.close();
  assert.ok(validated.count > 20, `${validated.count} responses validated`);
});

type J = Record<string, unknown>;
const registrant = (b: J) => (b.entities as J[]).find((e) => (e.roles as string[]).includes('registrant'))!;
const fn = (e: J) => ((e.vcardArray as [string, unknown[][]])[1]).find((p) => p[0] === 'fn')![3];
const statuses = (b: J) => (b.status as string[] | undefined) ?? [];
/** Each test asks from its own addresses, so that the limit of one test does not spill into another. */
let nextAddress = 10;
const address = () => `127.0.0.${nextAddress++}`;
/** The headers a client sees, but the date and the connection's. */
const visible = (r: RdapResponse) => Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)));

describe('a cache hit is the answer fastify gave', () => {
  test('GET: the same status, headers and body as the miss before it', async () => {
    const miss = await rdapHttp(port, '/rdap/domain/tez1.az', { localAddress: address() });
    const hit = await rdapHttp(port, '/rdap/domain/tez1.az', { localAddress: address() });
    assert.equal(miss.status, 200);
    assert.equal(hit.status, 200);
    assert.deepEqual(visible(hit), visible(miss));
    assert.equal(hit.text, miss.text);
    assert.equal(hit.headers['cache-control'], 'public, max-age=60');
    assert.equal(hit.headers.vary, 'Authorization');
    assert.equal(hit.headers['content-type'], 'application/rdap+json');
    assert.equal(hit.headers['referrer-policy'], 'no-referrer');
    assert.equal(hit.headers['access-control-expose-headers'], 'ETag, Retry-After');
    assert.equal(Number(hit.headers['content-length']), Buffer.byteLength(hit.text));
  });

  test('HEAD: the headers of the GET without a body, on a miss and on a hit', async () => {
    const get = await rdapHttp(port, '/rdap/domain/tez2.az', { localAddress: address() });
    const headMiss = await rdapHttp(port, '/rdap/domain/tez3.az', { method: 'HEAD', localAddress: address() });
    const headHit = await rdapHttp(port, '/rdap/domain/tez3.az', { method: 'HEAD', localAddress: address() });
    const headOfCached = await rdapHttp(port, '/rdap/domain/tez2.az', { method: 'HEAD', localAddress: address() });
    assert.deepEqual(visible(headHit), visible(headMiss));
    assert.deepEqual(visible(headOfCached), visible(get));
    assert.equal(headHit.status, 200);
    assert.equal(headHit.text, '');
  });

  test('If-None-Match with the ETag (weak, strong or among others, or *) -> 304 without a body; another ETag -> 200', async () => {
    const first = await rdapHttp(port, '/rdap/domain/tez1.az', { localAddress: address() });
    const etag = String(first.headers.etag);
    assert.match(etag, /^W\/"[A-Za-z0-9_-]+"$/);
    for (const inm of [etag, etag.slice(2), `"other", ${etag}`, '*']) {
      for (const method of ['GET', 'HEAD'] as const) {
        const r = await rdapHttp(port, '/rdap/domain/tez1.az', { method, headers: { 'if-none-match': inm }, localAddress: address() });
        assert.equal(r.status, 304, `${method} If-None-Match: ${inm}`);
        assert.equal(r.text, '');
        assert.equal(r.headers.etag, etag);
        assert.equal(r.headers['cache-control'], 'public, max-age=60');
      }
    }
    const other = await rdapHttp(port, '/rdap/domain/tez1.az', { headers: { 'if-none-match': 'W/"not-this-one"' }, localAddress: address() });
    assert.equal(other.status, 200);
    assert.equal(other.text, first.text);
  });

  test('links follow the Host of each request: a hit for one host is not served to another', async () => {
    for (const host of ['rdap.one.example', 'rdap.two.example', 'rdap.one.example', 'rdap.two.example']) {
      const r = await rdapHttp(port, '/rdap/domain/tez4.az', { headers: { host }, localAddress: address() });
      assert.equal(r.status, 200);
      const self = (r.body.links as J[]).find((l) => l.rel === 'self')!;
      assert.equal(self.href, `http://${host}/rdap/domain/tez4.az`);
    }
  });
});

describe('the limit per address', () => {
  test('hits over the limit get 429 with Retry-After as an RDAP error; another address is served meanwhile', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const flooder = address();
    try {
      await rdapHttp(port, '/rdap/domain/tez5.az', { localAddress: address() });
      const answers: RdapResponse[] = [];
      for (let i = 0; i < RATE.burst + 3; i++) answers.push(await rdapHttp(port, '/rdap/domain/tez5.az', { agent, localAddress: flooder }));
      // The burst, then nothing (0.2 tokens/s: no new token within this test).
      assert.deepEqual(answers.map((r) => r.status), [...Array(RATE.burst).fill(200), 429, 429, 429]);
      const limited = answers.at(-1)!;
      assert.equal(limited.body.errorCode, 429);
      assert.match(String(limited.headers['retry-after']), /^[1-9]\d*$/);
      assert.equal(limited.headers['cache-control'], 'no-store');
      // A name not in the cache (through fastify) is refused the same way for that address.
      const miss = await rdapHttp(port, '/rdap/domain/nosuch-tez.az', { agent, localAddress: flooder });
      assert.equal(miss.status, 429);
      assert.deepEqual(Object.keys(visible(miss)).sort(), Object.keys(visible(limited)).sort());
      assert.equal((await rdapHttp(port, '/rdap/domain/tez5.az', { method: 'HEAD', agent, localAddress: flooder })).status, 429);
      // Another address is served from the cache all along.
      const other = await rdapHttp(port, '/rdap/domain/tez5.az', { localAddress: address() });
      assert.equal(other.status, 200);
    } finally {
      agent.destroy();
    }
  });
});

describe('what does not take the anonymous path', () => {
  test("a bearer token gets the sponsor's full data, not the cached anonymous answer; a bad token gets 401", async () => {
    const anon = await rdapHttp(port, '/rdap/domain/tez1.az', { localAddress: address() });
    assert.equal(fn(registrant(anon.body)), '');
    const own = await rdapHttp(port, '/rdap/domain/tez1.az', { headers: { authorization: `Bearer ${token}` }, localAddress: address() });
    assert.equal(own.status, 200);
    assert.equal(fn(registrant(own.body)), 'Aysel Rəşid qızı Quliyeva');
    assert.equal(own.headers['cache-control'], 'private, no-store');
    assert.notEqual(own.headers.etag, anon.headers.etag);
    // The anonymous ETag does not make a 304 for the token's answer.
    const cond = await rdapHttp(port, '/rdap/domain/tez1.az', { headers: { authorization: `Bearer ${token}`, 'if-none-match': String(anon.headers.etag) }, localAddress: address() });
    assert.equal(cond.status, 200);
    const bad = await rdapHttp(port, '/rdap/domain/tez1.az', { headers: { authorization: 'Bearer dmn_not-a-token' }, localAddress: address() });
    assert.equal(bad.status, 401);
  });

  test('a change through the core replaces the cached answer and its ETag', async () => {
    const before = await rdapHttp(port, '/rdap/domain/tez2.az', { localAddress: address() });
    assert.ok(!statuses(before.body).includes('client delete prohibited'));
    await updateDomain(t.reg, r1, { name: 'tez2.az', add: { statuses: ['clientDeleteProhibited'] } });
    const deadline = Date.now() + 50 * POLL_MS;
    let now = before;
    const from = address();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (!statuses(now.body).includes('client delete prohibited')) {
        if (Date.now() > deadline) assert.fail(`the change is not shown after ${50 * POLL_MS} ms`);
        await new Promise((res) => setTimeout(res, POLL_MS / 2));
        now = await rdapHttp(port, '/rdap/domain/tez2.az', { headers: { 'if-none-match': String(before.headers.etag) }, agent, localAddress: from });
        // 304 while the old answer stands; then the new one.
        if (now.status === 304) now = before;
      }
    } finally {
      agent.destroy();
    }
    assert.notEqual(now.headers.etag, before.headers.etag);
    // And it is cached in its turn: the same answer again, 304 for its own ETag.
    const again = await rdapHttp(port, '/rdap/domain/tez2.az', { headers: { 'if-none-match': String(now.headers.etag) }, localAddress: address() });
    assert.equal(again.status, 304);
  });
});

describe('behind a trusted proxy', () => {
  let proxied: FastifyInstance;
  let proxiedPort: number;
  before(async () => {
    process.env.DOMEN_TRUST_PROXY = '127.0.0.1';
    try {
      proxied = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: RATE } }, () => true);
    } finally {
      delete process.env.DOMEN_TRUST_PROXY;
    }
    proxiedPort = (proxied.server.address() as AddressInfo).port;
  });
  after(async () => { await proxied?.close(); });

  test("cached answers are limited per client address from X-Forwarded-For, and links follow the proxy's host and protocol", async () => {
    const via = (client: string) => ({ 'x-forwarded-for': client, 'x-forwarded-host': 'rdap.proxy.example', 'x-forwarded-proto': 'https' });
    const first = await rdapHttp(proxiedPort, '/rdap/domain/tez3.az', { headers: via('198.51.100.1') });
    assert.equal((first.body.links as J[]).find((l) => l.rel === 'self')!.href, 'https://rdap.proxy.example/rdap/domain/tez3.az');
    const statusesSeen: number[] = [];
    for (let i = 0; i < RATE.burst + 1; i++) statusesSeen.push((await rdapHttp(proxiedPort, '/rdap/domain/tez3.az', { headers: via('198.51.100.2') })).status);
    assert.deepEqual(statusesSeen, [...Array(RATE.burst).fill(200), 429]);
    assert.equal((await rdapHttp(proxiedPort, '/rdap/domain/tez3.az', { headers: via('198.51.100.3') })).status, 200);
  });
});
