// The CLI on the embedded database (PGlite) with no server running: every command opens the data directory itself.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliHarness } from './harness.ts';
import { assertCertDir, checkWorkingDays, fails, ok, policyCheck, registrarArgs } from './flows.ts';

describe('domen CLI on the embedded database, no server', () => {
  let h: CliHarness;
  before(async () => { h = await CliHarness.create(); });
  after(async () => { await h?.cleanup(); });

  it('a command before migrate fails and says to run `npx domen migrate`, creating nothing', async () => {
    const r = fails(await h.run(['policy', 'check', 'kitab.az']), /npx domen migrate/);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(path.join(h.dataDir, 'pglite')), 'no database was created as a side effect');
  });

  it('migrate applies the schema on a fresh data directory, and then finds it up to date', async () => {
    assert.match(ok(await h.run(['migrate'])).stdout, /^applied .*0001_registry\.sql/m);
    assert.match(ok(await h.run(['migrate'])).stdout, /the schema is up to date/);
    assert.ok(!existsSync(path.join(h.dataDir, 'domen.lock')), 'the lock is released when the command ends');
  });

  it('calendar working-days 2026-03-16 2026-04-03 skips Novruz and Ramazan bayramı', async () => {
    await checkWorkingDays(h);
  });

  it('registrar create --cert-out writes client.key (0600), client.crt and ca.crt that verify', async () => {
    const dir = path.join(await h.tempDir(), 'certs');
    const r = ok(await h.run(registrarArgs('reg-x', ['--cert-out', dir])));
    assert.match(r.stdout, /registrar reg-x \(Registrar reg-x MMC\) created/);
    assert.match(r.stdout, /client certificate ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assertCertDir(dir);
  });

  it('registrar create refuses a duplicate id and a bad password with a clear message', async () => {
    // Started together: each waits its turn for the database.
    const [dup, short, missing] = await Promise.all([
      h.run(registrarArgs('reg-x')),
      h.run(['registrar', 'create', '--id', 'reg-y', '--name', 'Y', '--email', 'y@y.az', '--password', 'short']),
      h.run(['registrar', 'create', '--id', 'reg-y', '--name', 'Y']),
    ]);
    fails(dup, /a registrar with this identifier already exists/);
    fails(short, /password has 8 to 128 characters/);
    fails(missing, /required option '--email <email>' not specified/);
  });

  it('policy check --json, two at once: both succeed (the second waits for the first to let go of the database)', async () => {
    const [seki, ab] = await Promise.all([policyCheck(h, 'Şəki.AZ'), policyCheck(h, 'ab.az')]);
    assert.equal(seki.ascii, 'xn--ki-eta41h.az');
    assert.equal(seki.unicode, 'şəki.az');
    assert.equal(seki.verdict, 'review');
    assert.ok(seki.reasons.some((r) => r.clause === 'R4.2'));
    assert.equal(ab.verdict, 'refused');
    assert.ok(ab.reasons.some((r) => r.clause === 'R4.1.1'));
  });

  it('start on a registry with data of its own serves it, without the demo', async () => {
    const server = h.spawnServer(['start']);
    await h.waitForHealth(server);
    assert.match(server.stdout(), /demo data +not loaded: this registry has data of its own/);
    assert.doesNotMatch(server.stdout(), /admin@nic\.az/);
    assert.equal((await h.stop(server)).code, 0);
  });
});
