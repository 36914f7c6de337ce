// `npm start` (`domen start`) on a fresh data directory: migrates, loads the demo registry, serves it, and says
// how to use it; a second start reuses the data.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliHarness, type RunResult, type Server, oneJsonObject, show, waitFor } from './harness.ts';
import { ok } from './flows.ts';

describe('domen start (npm start)', () => {
  let h: CliHarness;
  let server: Server;
  let domains = 0;
  let early: Promise<RunResult>;

  before(async () => {
    h = await CliHarness.create();
    server = h.spawnServer(['start']);
    // A command typed while the server is still migrating and loading the demo waits for it, then is forwarded.
    await waitFor('start to take the database', () => existsSync(path.join(h.dataDir, 'domen.lock')));
    early = h.run(['policy', 'check', 'kitab.az', '--json']);
    early.catch(() => {}); // awaited in its test
    await h.waitForHealth(server);
  });
  after(async () => { await h?.cleanup(); });

  it('migrates a fresh data directory, loads the demo data and prints how to use it', () => {
    const out = server.stdout();
    assert.match(out, /migrated: 0001_registry\.sql/);
    domains = Number(/demo data +loaded: (\d+) domains/.exec(out)?.[1]);
    assert.ok(domains >= 150 && domains <= 250, out);
    assert.ok(out.includes(`http://127.0.0.1:${h.port}/`), out);
    assert.ok(out.includes(`http://127.0.0.1:${h.port}/healthz`), out);
    assert.match(out, /admin@nic\.az +\S+/);
    assert.match(out, /try: npx domen domain info \S+/);
  });

  it('a command run while it was starting waited for it, and was then forwarded to it', async () => {
    const r = ok(await early);
    assert.equal(oneJsonObject(r).verdict, 'ok');
    assert.match(r.stderr, new RegExp(`waiting for process ${server.pid}, which has the embedded database in .* open`));
  });

  it('answers /healthz with {status: ok} and / with an HTML page that counts the domains', async () => {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.match(health.headers.get('content-type') ?? '', /application\/json/);
    const body = await health.json() as { status: string; database: string; tld: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'pglite');
    assert.equal(body.tld, 'az');
    const home = await fetch(`${server.url}/?lang=en`);
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    const html = await home.text();
    assert.match(html, /^<!doctype html>/i);
    assert.ok(html.includes(`${domains} domains`), html);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const r = await h.stop(server);
    assert.equal(r.code, 0, show(r));
    assert.ok(!existsSync(path.join(h.dataDir, 'serve.json')));
  });

  it('a second start on the same data directory reuses the data: the demo is present, not loaded again', async () => {
    server = h.spawnServer(['start']);
    await h.waitForHealth(server);
    const out = server.stdout();
    assert.match(out, new RegExp(`demo data +present: ${domains} domains`), out);
    assert.doesNotMatch(out, /migrated:|demo data +loaded/);
    assert.match(out, /admin@nic\.az/);
    assert.ok((await (await fetch(`${server.url}/?lang=en`)).text()).includes(`${domains} domains`));
    const r = await h.stop(server);
    assert.equal(r.code, 0, show(r));
  });
});
