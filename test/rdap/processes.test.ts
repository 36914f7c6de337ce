// DOMEN_HTTP_PROCESSES=2: `domen serve` answers HTTP from two processes on one port (src/server/http-processes.ts).
// On PostgreSQL: RDAP answers from both, an address gets no more than the configured burst over both, a change
// through the core shows in both caches, a process that dies is replaced, SIGTERM stops them all. On the embedded
// database the setting is refused with a clear message. Every RDAP body is validated (rdapHttp).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createPgDatabase, onPostgres } from '../helpers/registry.ts';
import { addCompany, addRegistrar } from '../helpers/fixtures.ts';
import { CliHarness, type Server, show, waitFor } from '../cli/harness.ts';
import { openDatabase, type Db } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import type { Actor } from '../../src/core/actor.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { updateDomain } from '../../src/core/domains/update.ts';
import { rdapHttp } from './helpers.ts';

const BURST = 4;
const POLL_MS = 100;
const skip = onPostgres ? false : 'DOMEN_TEST_DATABASE_URL is not set: several HTTP processes need PostgreSQL';

/** The HTTP processes whose parent is `pid` (not its other children, such as tsx's esbuild service on a cold cache). */
function children(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', 'http-process'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const statuses = (b: Record<string, unknown>) => (b.status as string[] | undefined) ?? [];

describe('domen serve with DOMEN_HTTP_PROCESSES=2 on PostgreSQL', { skip }, () => {
  let h: CliHarness;
  let server: Server;
  let db: Db;
  let reg: Registry;
  let r1: Actor;
  let drop = async () => {};

  before(async () => {
    const created = await createPgDatabase();
    drop = created.drop;
    h = await CliHarness.create({ databaseUrl: created.url });
    server = h.spawnServer(['serve', '--only', 'http'], {
      env: { DOMEN_HTTP_PROCESSES: '2', DOMEN_RDAP_RATE: '0.01', DOMEN_RDAP_BURST: String(BURST), DOMEN_RDAP_CACHE_POLL_MS: String(POLL_MS) },
    });
    await h.waitForHealth(server);
    // Data through the core, from this process (the server migrated the database).
    db = await openDatabase({ databaseUrl: created.url, poolSize: 2 });
    reg = new Registry(db, { tld: 'az' });
    r1 = await addRegistrar(reg, 'proc-r1');
    await addCompany(reg, r1, 'proc-c1');
    await createDomain(reg, r1, { name: 'iki1.az', registrant: 'proc-c1' });
  });
  after(async () => {
    if (server && alive(server.pid)) await h.stop(server);
    await db?.close();
    await h?.cleanup();
    await drop();
  });

  it('says so at start-up and answers from two processes on one port', async () => {
    // The processes answer /healthz as soon as they listen, a moment before the primary prints its summary.
    await waitFor('the summary', () => /http {7}http:\/\/127\.0\.0\.1:\d+\/ .*\(2 processes\)/.test(server.stdout()), 10_000);
    assert.equal(children(server.pid).length, 2);
    for (let i = 0; i < 6; i++) {
      const r = await rdapHttp(server.port, '/rdap/domain/iki1.az', { localAddress: `127.0.1.${i + 1}` });
      assert.equal(r.status, 200);
      assert.equal(r.body.ldhName, 'iki1.az');
    }
  });

  it('an address gets no more than the configured burst over both processes', async () => {
    const seen: number[] = [];
    // A new connection each time: the primary hands them to the processes in turn.
    for (let i = 0; i < 3 * BURST; i++) seen.push((await rdapHttp(server.port, '/rdap/domain/iki1.az', { localAddress: '127.0.2.1' })).status);
    const ok = seen.filter((s) => s === 200).length;
    assert.ok(ok <= BURST && ok >= BURST / 2, `${ok} answers of ${JSON.stringify(seen)}`);
    assert.ok(seen.every((s) => s === 200 || s === 429), JSON.stringify(seen));
    assert.equal((await rdapHttp(server.port, '/rdap/domain/iki1.az', { localAddress: '127.0.2.2' })).status, 200);
  });

  it('a change through the core shows in both processes', async () => {
    await updateDomain(reg, r1, { name: 'iki1.az', add: { statuses: ['clientDeleteProhibited'] } });
    let from = 10;
    // Eight answers in a row on new connections (four from each process) show the change.
    await waitFor('the change in both processes', async () => {
      for (let i = 0; i < 8; i++) {
        const r = await rdapHttp(server.port, '/rdap/domain/iki1.az', { localAddress: `127.0.3.${from++ % 250 + 1}` });
        if (!statuses(r.body).includes('client delete prohibited')) return false;
      }
      return true;
    }, 100 * POLL_MS);
  });

  it('a process that dies is replaced; SIGTERM stops the primary and both processes', async () => {
    const [first, second] = children(server.pid);
    process.kill(first!, 'SIGKILL');
    await waitFor('a new process', () => { const now = children(server.pid); return now.length === 2 && !now.includes(first!); }, 30_000);
    await waitFor('the message', () => server.stderr().includes(`http: process ${first} exited (SIGKILL); starting another in 1 s`), 10_000);
    for (let i = 0; i < 4; i++) assert.equal((await rdapHttp(server.port, '/rdap/domain/iki1.az', { localAddress: `127.0.4.${i + 1}` })).status, 200);
    const all = children(server.pid);
    const r = await h.stop(server);
    assert.equal(r.code, 0, show(r));
    for (const pid of [...all, second!]) assert.ok(!alive(pid), `process ${pid} stopped`);
  });
});

describe('domen serve with DOMEN_HTTP_PROCESSES=2 on the embedded database', () => {
  let h: CliHarness;
  before(async () => { h = await CliHarness.create(); });
  after(async () => { await h?.cleanup(); });

  it('is refused: the embedded database is open in one process only', async () => {
    const server = h.spawnServer(['serve', '--only', 'http'], { env: { DOMEN_HTTP_PROCESSES: '2' } });
    const r = await server.exited;
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /DOMEN_HTTP_PROCESSES above 1 needs PostgreSQL \(DOMEN_DATABASE_URL\)/);
  });
});
