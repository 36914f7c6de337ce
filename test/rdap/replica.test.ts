// DOMEN_READ_DATABASE_URL: RDAP and the whois.az pages read the registry given as readRegistry (a streaming replica
// in production), never the primary, so they keep answering while the primary is unreachable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addRegistrar } from '../helpers/fixtures.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { startHttp } from '../../src/server/http.ts';
import { rdap } from './helpers.ts';

let primary: TestRegistry;
let replica: TestRegistry;
let app: FastifyInstance;

before(async () => {
  [primary, replica] = await Promise.all([testRegistry(), testRegistry()]);
  const r = await addRegistrar(replica.reg, 'repl-r1');
  await addCompany(replica.reg, r, 'repl-c1');
  await createDomain(replica.reg, r, { name: 'replika1.az', registrant: 'repl-c1' });
  app = await startHttp(primary.reg, { host: '127.0.0.1', port: 0, readRegistry: replica.reg, rdap: { rateLimit: false } }, () => true);
});
after(async () => { await app?.close(); await replica?.close(); await primary?.close().catch(() => {}); });

test('RDAP and the pages answer from the read registry, also with the primary gone', async () => {
  assert.equal((await rdap(app, '/rdap/domain/replika1.az')).status, 200);
  await primary.close();
  const r = await rdap(app, '/rdap/domain/replika1.az');
  assert.equal(r.status, 200);
  assert.equal(r.body.ldhName, 'replika1.az');
  const page = await app.inject({ url: '/whois/?name=replika1.az&lang=en' });
  assert.match(page.body, /Registered, but without name servers/);
});
