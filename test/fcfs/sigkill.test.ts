// Crash safety: a process creating domains is killed with SIGKILL while creates are in flight. Afterwards
// every create it reported as committed is there, every domain that is there is whole (history, audit,
// outbox), nothing refers to a domain that is not, and PostgreSQL holds no transaction open for the dead
// process. Needs DOMEN_TEST_DATABASE_URL; skipped without it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createPgDatabase, onPostgres } from '../helpers/registry.ts';
import { addCompany, addNameServers, addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import { migrateAndSeedBase } from '../../src/server/bootstrap.ts';

const skip = onPostgres ? false : 'needs DOMEN_TEST_DATABASE_URL';
const worker = fileURLToPath(new URL('./sigkill-worker.ts', import.meta.url));
const KILL_AFTER = 50;

interface Run { committed: string[]; exitSignal: NodeJS.Signals | null; inFlightAtKill: number; stderr: string }

/** Runs the worker until it has reported KILL_AFTER commits, then SIGKILLs it. */
function runAndKill(env: NodeJS.ProcessEnv, dbName: string, watcher: pg.Client): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: string[] = [];
    let stderr = '';
    let buffered = '';
    let killing = false;
    let inFlightAtKill = -1;
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker reported ${committed.length} commits in 30 s; stderr: ${stderr}`));
    }, 30_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^committed (\S+)$/.exec(line);
        if (!m) {
          child.kill('SIGKILL');
          reject(new Error(`unexpected worker output: ${line}`));
          return;
        }
        committed.push(m[1]!);
      }
      if (!killing && committed.length >= KILL_AFTER) {
        killing = true;
        // How many of its transactions are open right now (for the report), then kill without warning.
        watcher.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and xact_start is not null
            and pid <> pg_backend_pid()`, [dbName])
          .then((r) => { inFlightAtKill = (r.rows[0] as { n: number }).n; }, () => {})
          .finally(() => child.kill('SIGKILL'));
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      // Lines the worker wrote before it died are still in the pipe: 'close' comes after them.
      child.stdout.once('close', () => resolve({ committed, exitSignal: signal, inFlightAtKill, stderr }));
      if (child.stdout.closed) resolve({ committed, exitSignal: signal, inFlightAtKill, stderr });
    });
  });
}

async function settle(client: pg.Client, dbName: string, what: string, timeoutMs = 15_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and ${what}`, [dbName]);
    const n = (r.rows[0] as { n: number }).n;
    if (n === 0 || Date.now() > until) return n;
    await sleep(100);
  }
}

test('SIGKILL during creates: no committed create is lost, no partial one is visible, no transaction is left open',
  { skip, timeout: 60_000 }, async (t: TestContext) => {
    const created = await createPgDatabase();
    const dbName = new URL(created.url).pathname.slice(1);
    let client: pg.Client | null = null;
    let fixtures = '';
    try {
      const setup = await openDatabase({ databaseUrl: created.url, poolSize: 2 });
      try {
        const reg = new Registry(setup, { tld: 'az' });
        await migrateAndSeedBase(reg);
        const r = await addRegistrar(reg, 'kill-reg');
        await addPerson(reg, r, 'kill-own');
        await addCompany(reg, r, 'kill-adm');
        const hosts = await addNameServers(reg, r, 'kill-dns.net');
        fixtures = JSON.stringify({ registrarId: 'kill-reg', registrant: 'kill-own', admin: 'kill-adm', hosts });
      } finally {
        await setup.close();
      }

      const watcher = new pg.Client({ connectionString: created.url });
      await watcher.connect();
      let run: Run;
      try {
        run = await runAndKill({ ...process.env, DOMEN_SIGKILL_DATABASE_URL: created.url, DOMEN_SIGKILL_FIXTURES: fixtures }, dbName, watcher);
      } finally {
        await watcher.end();
      }
      assert.equal(run.exitSignal, 'SIGKILL', `the worker died of SIGKILL, not on its own; stderr: ${run.stderr}`);
      assert.ok(run.committed.length >= KILL_AFTER);
      assert.ok(run.committed.length < 2000, 'killed mid-batch');

      // A fresh connection, after the server has noticed the dead client.
      client = new pg.Client({ connectionString: created.url });
      await client.connect();
      const idle = await settle(client, dbName, `state = 'idle in transaction'`);
      assert.equal(idle, 0, 'no transaction of the killed process stays open');
      const left = await settle(client, dbName, 'pid <> pg_backend_pid()');

      const domains = (await client.query<{ id: number; name: string }>(`select id, name from domains where deleted_at is null`)).rows;
      const live = new Set(domains.map((d) => d.name));
      const lost = run.committed.filter((n) => !live.has(n));
      assert.deepEqual(lost, [], 'every create reported as committed is in the database');

      // Every domain there is whole: one history version, one audit row, one 'domain.created' event, its links.
      const incomplete = await client.query<{ name: string; h: number; a: number; o: number; c: number; hs: number }>(`
        select d.name,
          (select count(*)::int from object_history x where x.object_type = 'domain' and x.object_id = d.name and x.version = 1) as h,
          (select count(*)::int from audit_log x where x.object_type = 'domain' and x.object_id = d.name and x.operation = 'domain.create') as a,
          (select count(*)::int from outbox x where x.object_type = 'domain' and x.object_id = d.name and x.topic = 'domain.created') as o,
          (select count(*)::int from domain_contacts x where x.domain_id = d.id) as c,
          (select count(*)::int from domain_hosts x where x.domain_id = d.id) as hs
        from domains d`);
      const partial = incomplete.rows.filter((r) => r.h !== 1 || r.a !== 1 || r.o !== 1 || r.c !== 2 || r.hs !== 2);
      assert.deepEqual(partial, [], 'every domain has exactly its history version, audit row, outbox event, contacts and hosts');

      // Nothing refers to a domain that is not there.
      const dangling = await client.query<{ what: string; object_id: string }>(`
        select 'object_history' as what, object_id from object_history x
          where object_type = 'domain' and not exists (select 1 from domains d where d.name = x.object_id)
        union all select 'audit_log', object_id from audit_log x
          where object_type = 'domain' and not exists (select 1 from domains d where d.name = x.object_id)
        union all select 'outbox', object_id from outbox x
          where object_type = 'domain' and not exists (select 1 from domains d where d.name = x.object_id)`);
      assert.deepEqual(dangling.rows, [], 'no history, audit or outbox row for a domain that does not exist');
      const counts = (await client.query<{ h: number; a: number; o: number }>(`select
          (select count(*)::int from object_history where object_type = 'domain') as h,
          (select count(*)::int from audit_log where object_type = 'domain') as a,
          (select count(*)::int from outbox where object_type = 'domain') as o`)).rows[0]!;
      assert.deepEqual(counts, { h: domains.length, a: domains.length, o: domains.length });

      t.diagnostic(`reported committed: ${run.committed.length}; in the database: ${domains.length} ` +
        `(${domains.length - run.committed.length} committed but not yet reported); ` +
        `transactions open at the kill: ${run.inFlightAtKill}; backends left after settling: ${left}`);
    } finally {
      await client?.end().catch(() => {});
      await created.drop();
    }
  });
