// `domen serve` on the embedded database: while it runs, CLI commands in other processes are forwarded to it
// (src/cli/forward.ts), see each other's effects, and nobody else can open the database; SIGTERM stops it cleanly.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliHarness, ROOT, type Server, oneJsonObject, show } from './harness.ts';
import { assertCertDir, checkPolicyExamples, checkWorkingDays, fails, ok, policyCheck, registrarArgs, registrarIds, stopListFlow } from './flows.ts';

describe('domen serve on the embedded database, with CLI commands in other processes', () => {
  let h: CliHarness;
  let server: Server;
  let idn = '';

  before(async () => {
    h = await CliHarness.create();
    // serve migrates a fresh data directory itself.
    server = h.spawnServer(['serve']);
    const health = await h.waitForHealth(server);
    assert.equal(health.status, 'ok');
    assert.equal(health.database, 'pglite');
  });
  after(async () => { await h?.cleanup(); });

  it('says where it runs, and leaves serve.json and a private socket in the data directory', () => {
    assert.match(server.stdout(), /the \.az registry is running/);
    assert.match(server.stdout(), new RegExp(`http://127\\.0\\.0\\.1:${h.port}/ +health: http://127\\.0\\.0\\.1:${h.port}/healthz`));
    assert.match(server.stdout(), /migrated: 0001_registry\.sql/);
    const info = JSON.parse(readFileSync(path.join(h.dataDir, 'serve.json'), 'utf8')) as { pid: number; socket: string; http: string };
    assert.equal(info.pid, server.pid);
    assert.equal(info.http, server.url);
    assert.equal(statSync(info.socket).mode & 0o777, 0o600);
  });

  it('seed --demo (forwarded) loads the demo registry and says how to try it', async () => {
    const r = ok(await h.run(['seed', '--demo']));
    const n = Number(/demo data loaded: (\d+) domains/.exec(r.stdout)?.[1]);
    assert.ok(n >= 150 && n <= 250, show(r));
    assert.match(r.stdout, /admin@nic\.az/);
    idn = /try: npx domen domain info (\S+)/.exec(r.stdout)?.[1] ?? '';
    assert.ok([...idn].some((ch) => ch.charCodeAt(0) > 0x7f), `an IDN to try: ${show(r)}`);
    assert.match(ok(await h.run(['seed', '--demo'])).stdout, new RegExp(`demo data was already loaded: ${n} domains`));
  });

  it('domain info shows a demo IDN, in text and as JSON; a name not registered fails clearly', async () => {
    const text = ok(await h.run(['domain', 'info', idn])).stdout;
    assert.match(text, new RegExp(`^name +${idn} \\(xn--[a-z0-9-]+\\.[a-z.]+\\)$`, 'm'));
    assert.match(text, /^registrar +demo-reg[12]$/m);
    const d = oneJsonObject(ok(await h.run(['domain', 'info', idn, '--json'])));
    assert.equal(d.unicodeName, idn);
    assert.match(d.name as string, /^xn--/);
    assert.ok(Array.isArray(d.statuses));
    fails(await h.run(['domain', 'info', 'kitab-yoxdur-heç-vaxt.az']), /domain xn--[a-z0-9-]+\.az is not registered/);
    fails(await h.run(['domain', 'info', 'nonexisting-kitab.az', '--json']), /domain nonexisting-kitab\.az is not registered/);
  });

  it('policy check --json (forwarded): the three examples', async () => {
    await checkPolicyExamples(h);
  });

  it('policy list add/show/remove (forwarded): a Stop-list word refuses the next check, and no longer once removed', async () => {
    await stopListFlow(h, 'zqxw');
  });

  it('calendar working-days (forwarded)', async () => {
    await checkWorkingDays(h);
  });

  it('registrar create (forwarded): --cert-out is relative to the directory of the caller, not of the server', async () => {
    const cwd = await h.tempDir();
    const r = ok(await h.run(registrarArgs('reg-fwd', ['--cert-out', 'certs']), { cwd }));
    assert.match(r.stdout, /registrar reg-fwd \(Registrar reg-fwd MMC\) created/);
    assertCertDir(path.join(cwd, 'certs'));
    assert.ok(!existsSync(path.join(ROOT, 'certs')));
    fails(await h.run(registrarArgs('reg-fwd')), /a registrar with this identifier already exists/);
    fails(await h.run(registrarArgs('reg-fwd2', ['--password', 'short'])), /password has 8 to 128 characters/);
    assert.ok((await registrarIds(h)).includes('reg-fwd'));
  });

  it('commands started at once all run, each seeing what came before', async () => {
    ok(await h.run(['policy', 'list', 'add', 'stop', 'vbnq', '--match', 'substring']));
    const results = await Promise.all([
      policyCheck(h, 'abc-vbnq.az'),
      policyCheck(h, 'vbnq.com.az'),
      h.run(registrarArgs('reg-par')),
      h.run(['domain', 'info', idn, '--json']),
    ]);
    assert.equal(results[0].verdict, 'refused');
    assert.equal(results[1].verdict, 'refused');
    ok(results[2]);
    assert.equal(oneJsonObject(ok(results[3])).unicodeName, idn);
    const ids = await registrarIds(h);
    assert.ok(ids.includes('reg-par') && ids.includes('reg-fwd'), ids.join(','));
    // The server's own pages see the CLI's changes too.
    const home = await (await fetch(`${server.url}/?lang=en`)).text();
    assert.match(home, /\d+ domains, 4 registrars/);
  });

  it('no other process can open the database while the server holds it', async () => {
    const script = `import { openDatabase } from './src/db/connect.ts';
try { await openDatabase({ dataDir: process.env.DOMEN_DATA_DIR }); console.log('opened'); process.exit(3); }
catch (e) { console.error(e.message); process.exit(1); }`;
    const r = await h.runNode(['--import', 'tsx', '--input-type=module', '-e', script]);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, new RegExp(`the embedded database in ${h.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by process ${server.pid}`));
    // A second server on the same data directory says that one is running.
    const again = fails(await h.run(['serve'], { env: { DOMEN_HTTP_PORT: '1' } }), /domen serve is already running/);
    assert.match(again.stderr, new RegExp(`process ${server.pid}`));
  });

  it('SIGTERM stops the server cleanly: exit code 0, serve.json, socket and lock removed', async () => {
    const socket = (JSON.parse(readFileSync(path.join(h.dataDir, 'serve.json'), 'utf8')) as { socket: string }).socket;
    const r = await h.stop(server);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.signal, null);
    for (const f of [path.join(h.dataDir, 'serve.json'), socket, path.join(h.dataDir, 'domen.lock')]) assert.ok(!existsSync(f), `${f} is removed`);
  });

  it('afterwards, CLI commands open the database themselves again, with everything the server saw', async () => {
    const r = ok(await h.run(['registrar', 'list', '--json']));
    assert.doesNotMatch(r.stderr, /waiting for process/);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id).sort();
    assert.deepEqual(ids, ['demo-reg1', 'demo-reg2', 'reg-fwd', 'reg-par']);
  });
});
