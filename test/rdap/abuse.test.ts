// Abuse: 1,000 RDAP requests in about a second from one address (127.0.0.2) are limited with 429 and
// Retry-After, while another address (127.0.0.3) is served with 200 all along. Real sockets, keep-alive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addRegistrar } from '../helpers/fixtures.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { startHttp } from '../../src/server/http.ts';
import { validateRdap } from './helpers.ts';

let t: TestRegistry;
let app: FastifyInstance;
let port: number;
const RATE = { ratePerSecond: 20, burst: 40 };

before(async () => {
  t = await testRegistry();
  const r = await addRegistrar(t.reg, 'abuse-r1');
  await addCompany(t.reg, r, 'abuse-c1');
  await createDomain(t.reg, r, { name: 'abuse1.az', registrant: 'abuse-c1' });
  app = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: RATE } }, () => true);
  port = (app.server.address() as AddressInfo).port;
});
after(async () => { await app?.close(); await t?.close(); });

interface Result { status: number; retryAfter: string | undefined; body: string }

function get(agent: http.Agent, localAddress: string, path: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, localAddress, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

test('1,000 requests/s from one address get 429 with Retry-After; another address is still served', async () => {
  const abuser = new http.Agent({ keepAlive: true, maxSockets: 32, localAddress: '127.0.0.2' });
  const other = new http.Agent({ keepAlive: true, maxSockets: 2, localAddress: '127.0.0.3' });
  try {
    const started = Date.now();
    const flood: Promise<Result>[] = [];
    const polite: Result[] = [];
    // 1,000 requests spread over about one second, in 20 bursts of 50.
    const floodDone = (async () => {
      for (let i = 0; i < 20; i++) {
        for (let j = 0; j < 50; j++) flood.push(get(abuser, '127.0.0.2', '/rdap/domain/abuse1.az'));
        await new Promise((r) => setTimeout(r, 50));
      }
      return Promise.all(flood);
    })();
    // Meanwhile, the other address asks ten times, every 100 ms.
    for (let i = 0; i < 10; i++) {
      polite.push(await get(other, '127.0.0.3', '/rdap/domain/abuse1.az'));
      await new Promise((r) => setTimeout(r, 100));
    }
    const results = await floodDone;
    const elapsed = (Date.now() - started) / 1000;
    const ok = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    assert.equal(ok + limited.length, 1000, `every request answered with 200 or 429 (${JSON.stringify([...new Set(results.map((r) => r.status))])})`);
    // At most the burst plus what the bucket refilled meanwhile (with a little slack for timing).
    assert.ok(ok <= RATE.burst + Math.ceil(RATE.ratePerSecond * elapsed) + 5, `${ok} served in ${elapsed.toFixed(2)} s`);
    assert.ok(limited.length >= 800, `${limited.length} limited`);
    for (const r of limited.slice(0, 20)) {
      assert.ok(Number(r.retryAfter) >= 1, 'Retry-After in seconds');
      const body = JSON.parse(r.body) as Record<string, unknown>;
      validateRdap(429, body, '429');
      assert.equal(body.errorCode, 429);
    }
    assert.deepEqual(polite.map((r) => r.status), Array(10).fill(200), 'the other address is served throughout');
    validateRdap(200, JSON.parse(polite[0]!.body), 'polite');
    assert.ok(elapsed < 30, `bounded: ${elapsed} s`);
  } finally {
    abuser.destroy();
    other.destroy();
  }
});
