// Authenticated RDAP: "Authorization: Bearer TOKEN". A registrar's token shows the full data of the objects it
// sponsors (and only those); a National Administrator user's token shows everything; a bad or revoked token is
// refused with 401. Tokens are stored as SHA-256 only, created by the core operation (and `domen token create`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { testRegistry, type TestRegistry } from '../helpers/registry.ts';
import { addPerson, addRegistrar, operator, registrar } from '../helpers/fixtures.ts';
import { registryError } from '../helpers/expect.ts';
import { createHost } from '../../src/core/hosts.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { createUser } from '../../src/core/registrars.ts';
import { createApiToken, hashToken, resolveApiToken, revokeApiToken } from '../../src/core/tokens.ts';
import { startHttp } from '../../src/server/http.ts';
import { runCli } from '../../src/cli/program.ts';
import { rdap } from './helpers.ts';

let t: TestRegistry;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
const PERSON = ['Aysel', 'Quliyeva', 'Nizami küç. 1', '+994.501234567', '12345678'];

before(async () => {
  t = await testRegistry();
  const r1 = await addRegistrar(t.reg, 'auth-r1');
  const r2 = await addRegistrar(t.reg, 'auth-r2');
  await addPerson(t.reg, r1, 'auth-p1');
  await addPerson(t.reg, r2, 'auth-p2');
  for (const n of ['ns1.auth-dns.net', 'ns2.auth-dns.net']) await createHost(t.reg, r1, { name: n });
  await createDomain(t.reg, r1, { name: 'authtest1.az', registrant: 'auth-p1', hosts: ['ns1.auth-dns.net', 'ns2.auth-dns.net'] });
  await createDomain(t.reg, r2, { name: 'authtest2.az', registrant: 'auth-p2' });
  await createUser(t.reg, operator, { email: 'staff@nic.example.az', name: 'NA Staff', role: 'na_staff', password: 'Staff-Pass-123' });
  await createUser(t.reg, operator, { email: 'ops@auth-r2.example.az', name: 'R2 Staff', role: 'registrar_staff', registrarId: 'auth-r2', password: 'Staff-Pass-123' });
  tokens.r1 = (await createApiToken(t.reg, operator, { registrarId: 'auth-r1' })).token;
  tokens.r2 = (await createApiToken(t.reg, operator, { registrarId: 'auth-r2' })).token;
  tokens.staff = (await createApiToken(t.reg, operator, { userEmail: 'STAFF@nic.example.az' })).token;
  tokens.r2user = (await createApiToken(t.reg, operator, { userEmail: 'ops@auth-r2.example.az' })).token;
  app = await startHttp(t.reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false } }, () => true);
});
after(async () => { await app?.close(); await t?.close(); });

const bearer = (tk: string) => ({ authorization: `Bearer ${tk}` });
type J = Record<string, unknown>;
const registrant = (b: J) => (b.entities as J[]).find((e) => (e.roles as string[]).includes('registrant'))!;
const fn = (e: J) => ((e.vcardArray as [string, unknown[][]])[1]).find((p) => p[0] === 'fn')![3];

describe('tokens', () => {
  test('created once, stored as a SHA-256, recorded without the secret; only operators issue them', async () => {
    const c = await createApiToken(t.reg, operator, { registrarId: 'auth-r1' });
    assert.match(c.token, /^dmn_[A-Za-z0-9_-]{43}$/);
    const row = await t.reg.db.selectFrom('api_tokens').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashToken(c.token));
    const audit = await t.reg.db.selectFrom('audit_log').select(['after', 'operation']).where('object_type', '=', 'api_token').where('object_id', '=', String(c.id)).execute();
    assert.equal(audit[0]!.operation, 'token.create');
    assert.ok(!JSON.stringify(audit).includes(c.token));
    await assert.rejects(createApiToken(t.reg, registrar('auth-r1'), { registrarId: 'auth-r1' }), registryError({ kind: 'authorization' }));
    await assert.rejects(createApiToken(t.reg, operator, { registrarId: 'nobody' }), registryError({ kind: 'notFound' }));
    await assert.rejects(createApiToken(t.reg, operator, {}), registryError({ kind: 'required' }));
    assert.deepEqual(await resolveApiToken(t.reg, c.token), { type: 'registrar', registrarId: 'auth-r1', tokenId: c.id });
    await revokeApiToken(t.reg, operator, c.id);
    assert.equal(await resolveApiToken(t.reg, c.token), null);
  });
});

describe('domen token create', () => {
  test('prints the token once; --registrar or --user, not both; the token then works', async () => {
    let out = '';
    let err = '';
    const ctx = { io: { out: (s: string) => { out += s; }, err: (s: string) => { err += s; } }, cwd: process.cwd(), registry: async () => t.reg, inServer: false };
    assert.equal(await runCli(['token', 'create', '--registrar', 'auth-r2'], ctx), 0, err);
    const token = /^(dmn_\S+)$/m.exec(out)?.[1];
    assert.ok(token, out);
    assert.match(out, /token \d+ for registrar auth-r2 \(shown only now/);
    assert.deepEqual(await resolveApiToken(t.reg, token), { type: 'registrar', registrarId: 'auth-r2', tokenId: Number(/token (\d+)/.exec(out)![1]) });
    out = '';
    assert.equal(await runCli(['token', 'create', '--user', 'staff@nic.example.az'], ctx), 0, err);
    assert.match(out, /for user staff@nic\.example\.az/);
    assert.equal(await runCli(['token', 'create', '--registrar', 'auth-r2', '--user', 'staff@nic.example.az'], ctx), 2);
    assert.equal(await runCli(['token', 'create'], ctx), 2);
    assert.match(err, /exactly one holder/);
    const id = /token (\d+)/.exec(out)![1]!;
    out = '';
    assert.equal(await runCli(['token', 'revoke', id], ctx), 0);
    assert.match(out, new RegExp(`token ${id} revoked`));
  });
});

describe('authenticated RDAP', () => {
  test('the sponsor sees the full data of its domain; the other registrar sees it redacted', async () => {
    const own = await rdap(app, '/rdap/domain/authtest1.az', { headers: bearer(tokens.r1!) });
    assert.equal(own.status, 200);
    assert.equal(fn(registrant(own.body)), 'Aysel Rəşid qızı Quliyeva');
    for (const v of PERSON) assert.ok(own.text.includes(v), v);
    assert.equal(own.body.redacted, undefined);
    assert.ok(JSON.stringify(registrant(own.body).remarks).includes('AZE 12345678'), 'the identity data for the sponsor');
    assert.equal(own.headers['cache-control'], 'private, no-store');
    const other = await rdap(app, '/rdap/domain/authtest1.az', { headers: bearer(tokens.r2!) });
    assert.equal(fn(registrant(other.body)), '');
    for (const v of PERSON) assert.ok(!other.text.includes(v), v);
    assert.ok(Array.isArray(other.body.redacted));
    // Registrar staff act for their registrar.
    const staffOfR2 = await rdap(app, '/rdap/domain/authtest2.az', { headers: bearer(tokens.r2user!) });
    assert.equal(fn(registrant(staffOfR2.body)), 'Aysel Rəşid qızı Quliyeva');
    assert.equal((await rdap(app, '/rdap/domain/authtest1.az', { headers: bearer(tokens.r2user!) })).body.redacted !== undefined, true);
  });

  test('NA staff see everything; contacts looked up alone follow the same rule', async () => {
    for (const name of ['authtest1.az', 'authtest2.az']) {
      const r = await rdap(app, `/rdap/domain/${name}`, { headers: bearer(tokens.staff!) });
      assert.equal(fn(registrant(r.body)), 'Aysel Rəşid qızı Quliyeva', name);
      assert.equal(r.body.redacted, undefined);
    }
    const p2 = await rdap(app, '/rdap/entity/auth-p2', { headers: bearer(tokens.r2!) });
    assert.equal(fn(p2.body), 'Aysel Rəşid qızı Quliyeva');
    const p2r1 = await rdap(app, '/rdap/entity/auth-p2', { headers: bearer(tokens.r1!) });
    assert.equal(fn(p2r1.body), '');
  });

  test('a wrong, malformed or revoked token: 401 with WWW-Authenticate, never the data', async () => {
    const c = await createApiToken(t.reg, operator, { registrarId: 'auth-r1' });
    await revokeApiToken(t.reg, operator, c.id);
    for (const h of [bearer('dmn_wrong'), bearer(c.token), { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }]) {
      const r = await rdap(app, '/rdap/domain/authtest1.az', { headers: h });
      assert.equal(r.status, 401, JSON.stringify(h));
      assert.equal(r.body.errorCode, 401);
      assert.match(String(r.headers['www-authenticate']), /^Bearer/);
      for (const v of PERSON) assert.ok(!r.text.includes(v));
    }
  });
});
