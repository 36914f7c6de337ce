// The CLI and the server on PostgreSQL (DOMEN_DATABASE_URL): every process connects itself, so commands run
// alongside a running server without forwarding. Runs when DOMEN_TEST_DATABASE_URL names a server to create a
// fresh database on; skipped otherwise.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPgDatabase, onPostgres } from '../helpers/registry.ts';
import { CliHarness, type Server, oneJsonObject, show } from './harness.ts';
import { assertCertDir, checkPolicyExamples, fails, ok, policyCheck, registrarArgs, registrarIds } from './flows.ts';

const skip = onPostgres ? false : 'DOMEN_TEST_DATABASE_URL is not set: set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run the CLI on PostgreSQL';

describe('domen CLI and serve on PostgreSQL', { skip }, () => {
  let h: CliHarness;
  let drop = async () => {};

  before(async () => {
    const created = await createPgDatabase();
    drop = created.drop;
    h = await CliHarness.create({ databaseUrl: created.url });
  });
  after(async () => {
    await h?.cleanup();
    await drop();
  });

  it('a command before migrate fails and says to run `npx domen migrate`', async () => {
    fails(await h.run(['policy', 'check', 'kitab.az']), /schema is not up to date \(0001_registry\.sql[^)]* pending\): run 'npx domen migrate'/);
  });

  it('migrate applies the schema, then finds it up to date', async () => {
    assert.match(ok(await h.run(['migrate'])).stdout, /^applied .*0001_registry\.sql/m);
    assert.match(ok(await h.run(['migrate'])).stdout, /the schema is up to date/);
    assert.ok(!existsSync(path.join(h.dataDir, 'pglite')), 'the embedded database is not touched');
  });

  it('policy check --json: the three examples', async () => {
    await checkPolicyExamples(h);
  });

  it('registrar create --cert-out, a duplicate, a bad password', async () => {
    const dir = path.join(await h.tempDir(), 'certs');
    ok(await h.run(registrarArgs('reg-pg', ['--cert-out', dir])));
    assertCertDir(dir);
    fails(await h.run(registrarArgs('reg-pg')), /a registrar with this identifier already exists/);
    fails(await h.run(registrarArgs('reg-pg2', ['--password', 'short'])), /password has 8 to 128 characters/);
  });

  describe('while serve runs', () => {
    let server: Server;
    before(async () => {
      server = h.spawnServer(['serve']);
      const health = await h.waitForHealth(server);
      assert.equal(health.database, 'postgres');
    });

    it('the server does not hold the data directory: no serve.json, no socket, no lock', () => {
      for (const f of ['serve.json', 'domen.sock', 'domen.lock']) assert.ok(!existsSync(path.join(h.dataDir, f)), f);
      assert.match(server.stdout(), /PostgreSQL postgres:\/\//);
    });

    it('CLI commands run alongside it, at once, and see each other\'s effects', async () => {
      ok(await h.run(['policy', 'list', 'add', 'stop', 'pgqz', '--match', 'substring']));
      const [a, b, c, d] = await Promise.all([
        policyCheck(h, 'my-pgqz-shop.az'),
        h.run(registrarArgs('reg-pg3')),
        h.run(registrarArgs('reg-pg4')),
        h.run(['domain', 'info', 'nonexisting-kitab.az']),
      ]);
      assert.equal(a.verdict, 'refused');
      assert.ok(a.reasons.some((r) => r.clause === 'R4.3'));
      ok(b);
      ok(c);
      fails(d, /domain nonexisting-kitab\.az is not registered/);
      assert.deepEqual((await registrarIds(h)).sort(), ['reg-pg', 'reg-pg3', 'reg-pg4']);
      ok(await h.run(['policy', 'list', 'remove', 'stop', 'pgqz']));
      assert.equal((await policyCheck(h, 'my-pgqz-shop.az')).verdict, 'ok');
      // The server sees what the CLI did.
      assert.match(await (await fetch(`${server.url}/?lang=en`)).text(), /0 domains, 3 registrars, on PostgreSQL/);
    });

    it('calendar and --json output parse while it runs', async () => {
      const days = oneJsonObject(ok(await h.run(['calendar', 'working-days', '2026-03-16', '2026-04-03', '--json'])));
      assert.equal(days.count, 8);
    });

    it('SIGTERM stops it with exit code 0', async () => {
      const r = await h.stop(server);
      assert.equal(r.code, 0, show(r));
    });
  });
});
