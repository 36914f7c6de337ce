// The in-process cache of anonymous RDAP answers (src/rdap/cache.ts) stays correct after committed changes: two
// server instances with their own caches on one database (one PostgreSQL database through two connection pools
// with DOMEN_TEST_DATABASE_URL; the same PGlite otherwise) both show a change made through the core within their
// outbox poll interval, whatever the change touched: the domain, its contact, its name server.
import { after, before, test } from 'node:test';
import pg from 'pg';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { onPostgres, testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addCompany, addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import type { Actor } from '../../src/core/actor.ts';
import { openDatabase, type Db } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import { updateContact } from '../../src/core/contacts.ts';
import { createHost, updateHost } from '../../src/core/hosts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { startHttp } from '../../src/server/http.ts';
import { rdap } from './helpers.ts';

let t: TestRegistry;
let second: Db | null = null;
let apps: FastifyInstance[] = [];
let r1: Actor;
const POLL_MS = 100;

before(async () => {
  t = await testRegistry();
  r1 = await addRegistrar(t.reg, 'cache-r1');
  await addCompany(t.reg, r1, 'cache-c1');
  await addPerson(t.reg, r1, 'cache-p1');
  await createHost(t.reg, r1, { name: 'ns1.cache-dns.net', addresses: [] });
  await createHost(t.reg, r1, { name: 'ns2.cache-dns.net' });
  await createDomain(t.reg, r1, { name: 'kesh1.az', registrant: 'cache-c1', contacts: [{ type: 'tech', handle: 'cache-p1' }], hosts: ['ns1.cache-dns.net', 'ns2.cache-dns.net'] });
  await createDomain(t.reg, r1, { name: 'kesh2.az', registrant: 'cache-c1' });
  await createDomain(t.reg, r1, { name: 'kesh3.az', registrant: 'cache-c1' });
  // A second server instance: its own registry (on PostgreSQL its own pool) and its own cache.
  let reg2 = t.reg;
  if (onPostgres) {
    second = await openDatabase({ databaseUrl: t.url!, poolSize: 4 });
    reg2 = new Registry(second, { clock: t.clock, tld: 'az' });
  }
  for (const reg of [t.reg, reg2]) {
    apps.push(await startHttp(reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false, cache: { pollMs: POLL_MS } } }, () => true));
  }
});
after(async () => {
  for (const a of apps) await a.close();
  apps = [];
  await second?.close();
  await t?.close();
});

type J = Record<string, unknown>;

/** Asks every instance until `ok` holds for its answer; fails when one does not within 50 poll intervals. */
async function eventually(url: string, ok: (status: number, body: J) => boolean, what: string): Promise<void> {
  for (const [i, app] of apps.entries()) {
    const deadline = Date.now() + 50 * POLL_MS;
    for (;;) {
      const r = await rdap(app, url);
      if (ok(r.status, r.body)) break;
      if (Date.now() > deadline) assert.fail(`instance ${i + 1}: ${what} not shown by ${url} after ${50 * POLL_MS} ms: ${r.status} ${r.text.slice(0, 300)}`);
      await new Promise((res) => setTimeout(res, POLL_MS / 4));
    }
  }
}

const statuses = (b: J) => (b.status as string[] | undefined) ?? [];
const entity = (b: J, role: string) => (b.entities as J[]).find((e) => (e.roles as string[]).includes(role))!;
const vcard = (e: J, name: string) => ((e.vcardArray as [string, unknown[][]])[1]).find((p) => p[0] === name);

test('answers come from the cache: the same body and ETag again, without a database change', async () => {
  for (const app of apps) {
    const a = await rdap(app, '/rdap/domain/kesh1.az');
    const b = await rdap(app, '/rdap/domain/kesh1.az');
    assert.equal(a.status, 200);
    assert.equal(a.headers.etag, b.headers.etag);
    assert.equal(a.text, b.text);
  }
});

test("a cached answer's 'last update of RDAP database' follows the outbox reads; its ETag does not change", async () => {
  const updated = (b: J) => (b.events as J[]).find((e) => e.eventAction === 'last update of RDAP database')?.eventDate;
  const first = await rdap(apps[0]!, '/rdap/domain/kesh1.az');
  t.clock.advance(3_600_000);
  const later = new Date(t.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await eventually('/rdap/domain/kesh1.az', (_s, b) => updated(b) === later, 'the new time');
  const again = await rdap(apps[0]!, '/rdap/domain/kesh1.az');
  assert.equal(again.headers.etag, first.headers.etag);
  assert.notEqual(updated(first.body), later);
});

test('a domain change through the core shows on both instances', async () => {
  for (const app of apps) assert.ok(!statuses((await rdap(app, '/rdap/domain/kesh1.az')).body).includes('client delete prohibited'));
  await updateDomain(t.reg, r1, { name: 'kesh1.az', add: { statuses: ['clientDeleteProhibited'] } });
  await eventually('/rdap/domain/kesh1.az', (_s, b) => statuses(b).includes('client delete prohibited'), 'the new status');
});

test('a change of a contact or a name server, or a suspension by the registry, shows in the domain answer', async () => {
  for (const app of apps) await rdap(app, '/rdap/domain/kesh1.az');
  await updateContact(t.reg, r1, { handle: 'cache-c1', set: { email: 'new@cache-c1.example.az' } });
  await eventually('/rdap/domain/kesh1.az', (_s, b) => vcard(entity(b, 'registrant'), 'email')?.[3] === 'new@cache-c1.example.az', 'the new e-mail');
  await updateHost(t.reg, r1, { name: 'ns1.cache-dns.net', newName: 'ns9.cache-dns.net' });
  await eventually('/rdap/domain/kesh1.az', (_s, b) => (b.nameservers as J[]).some((n) => n.ldhName === 'ns9.cache-dns.net'), 'the renamed name server');
  await eventually('/rdap/nameserver/ns1.cache-dns.net', (s) => s === 404, 'the old name server name gone');
  await updateDomain(t.reg, operator, { name: 'kesh1.az', add: { statuses: ['serverHold'] } });
  await eventually('/rdap/domain/kesh1.az', (_s, b) => statuses(b).includes('server hold'), 'the suspension');
});

test('a name server shows the domains that start using it; a deleted domain is gone', async () => {
  await eventually('/rdap/nameserver/ns2.cache-dns.net', (s) => s === 200, 'the name server');
  await createHost(t.reg, r1, { name: 'ns3.cache-dns.net' });
  await eventually('/rdap/nameserver/ns3.cache-dns.net', (_s, b) => !statuses(b).includes('associated'), 'an unused host');
  await updateDomain(t.reg, r1, { name: 'kesh2.az', add: { hosts: ['ns2.cache-dns.net', 'ns3.cache-dns.net'] } });
  await eventually('/rdap/nameserver/ns3.cache-dns.net', (_s, b) => statuses(b).includes('associated'), 'the host in use');
  await eventually('/rdap/domain/kesh2.az', (s) => s === 200, 'the domain');
  await deleteDomain(t.reg, r1, 'kesh2.az');
  await eventually('/rdap/domain/kesh2.az', (s, b) => s === 404 || statuses(b).includes('pending delete'), 'the deletion');
});

test('a change committed after a later one is still seen: outbox ids are handed out before commit', { skip: !onPostgres && 'PGlite has one connection' }, async () => {
  // Into both caches, once the earlier tests' events are read (an answer read across an invalidation is not kept).
  await new Promise((res) => setTimeout(res, 4 * POLL_MS));
  await eventually('/rdap/domain/kesh1.az', (s, b) => s === 200 && !statuses(b).includes('client renew prohibited'), 'the domain');
  // kesh3 cached too: its change below then shows only once a cache has read the outbox past the slow writer's id.
  await eventually('/rdap/domain/kesh3.az', (s, b) => s === 200 && !statuses(b).includes('client update prohibited'), 'the other domain');
  // A writer that takes its outbox id first and commits last (a raw transaction standing in for a slow operation).
  const slow = new pg.Client({ connectionString: t.url! });
  await slow.connect();
  try {
    await slow.query('begin');
    await slow.query(`update domains set statuses = array_append(statuses, 'clientRenewProhibited') where name = 'kesh1.az'`);
    await slow.query(`insert into outbox (at, topic, object_type, object_id, payload) values (now(), 'domain.updated', 'domain', 'kesh1.az', '{}')`);
    await updateDomain(t.reg, r1, { name: 'kesh3.az', add: { statuses: ['clientUpdateProhibited'] } });
    // Both caches have read past the slow writer's id by now.
    await eventually('/rdap/domain/kesh3.az', (_s, b) => statuses(b).includes('client update prohibited'), 'the later change');
    await slow.query('commit');
  } finally {
    await slow.end();
  }
  await eventually('/rdap/domain/kesh1.az', (_s, b) => statuses(b).includes('client renew prohibited'), 'the earlier id committed last');
});
