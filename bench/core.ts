// `npm run bench -- core`: domain creates per second through core createDomain() on PostgreSQL with 1, 4
// and 16 concurrent workers, beside pgbench running the same SQL (bench/sql/create-domain-full.sql: every
// statement createDomain sends) and only its writing transaction (bench/sql/create-domain-writes.sql), on
// the same server and database, plus createDomain on the embedded PGlite. Writes bench/results/core.md.
//
// Options: --seconds N (per measurement, default 10), --clients 1,4,16, --out FILE, --no-pglite.
// DOMEN_BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test); the bench
// creates its own database there and drops it at the end.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, redactUrl, type Db } from '../src/db/connect.ts';
import { Registry } from '../src/core/registry.ts';
import { cliActor, type Actor } from '../src/core/actor.ts';
import { createRegistrar } from '../src/core/registrars.ts';
import { createContact } from '../src/core/contacts.ts';
import { createHost } from '../src/core/hosts.ts';
import { createDomain } from '../src/core/domains/create.ts';
import { creditRegistrar } from '../src/billing/accounts.ts';
import { migrateAndSeedBase } from '../src/server/bootstrap.ts';
import { scratchDatabase } from './scratch.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PGBENCH = process.env.DOMEN_BENCH_PGBENCH || '/usr/bin/pgbench';
export const HOSTS = ['ns1.bench-dns.net', 'ns2.bench-dns.net'];

export interface Stats { tps: number; p50: number; p99: number; count: number; /** Node's own CPU time per transaction (core runs). */ cpuMs?: number }

export interface Worker { actor: Actor; registrant: string; admin: string }

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function stats(latenciesMs: number[], seconds: number): Stats {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { tps: s.length / seconds, p50: percentile(s, 50), p99: percentile(s, 99), count: s.length };
}

// ---- fixtures ---------------------------------------------------------------------------------------

/**
 * Worker i acts as registrar 'bench-w<i>' with its own registrant 'bw<i>-own' and admin/tech 'bw<i>-adm',
 * created in this order so that their contact ids are consecutive: pgbench client i uses the same rows.
 */
export async function addWorkers(reg: Registry, n: number): Promise<{ workers: Worker[]; firstContactId: number }> {
  const workers: Worker[] = [];
  for (let i = 0; i < n; i++) {
    const id = `bench-w${i}`;
    await createRegistrar(reg, cliActor, { id, name: `Bench registrar ${i}`, email: `ops@${id}.example.az`, password: 'Bench-Pass-1' });
    // Creates are charged (A2.2): a prepaid balance for far more creates than a run makes.
    await creditRegistrar(reg, cliActor, { registrarId: id, amount: 1e13 });
    const actor: Actor = { type: 'registrar', registrarId: id, source: 'bench' };
    const person = { kind: 'natural' as const, givenName: 'Aysel', familyName: 'Quliyeva', citizenship: 'AZ', street: ['Nizami küç. 1'],
      city: 'Bakı', pc: 'AZ1000', cc: 'AZ', voice: '+994.501234567', idSeries: 'AZE', idNumber: '12345678' };
    await createContact(reg, actor, { ...person, handle: `bw${i}-own`, email: `own${i}@mail.example.az` });
    await createContact(reg, actor, { ...person, handle: `bw${i}-adm`, email: `adm${i}@mail.example.az` });
    workers.push({ actor, registrant: `bw${i}-own`, admin: `bw${i}-adm` });
  }
  for (const h of HOSTS) await createHost(reg, workers[0]!.actor, { name: h });
  const ids = await reg.db.selectFrom('contacts').select(['id', 'handle']).where('handle', 'like', 'bw%').orderBy('id').execute();
  const first = ids[0]!.id;
  ids.forEach((r, k) => {
    const want = `bw${Math.floor(k / 2)}-${k % 2 ? 'adm' : 'own'}`;
    if (r.handle !== want || r.id !== first + k) throw new Error(`bench fixtures: contact ids are not consecutive (${r.handle} = ${r.id})`);
  });
  return { workers, firstContactId: first };
}

// ---- core createDomain ------------------------------------------------------------------------------

let seq = 0;

/** `clients` workers, each creating one domain at a time as its own registrar, for `seconds`. */
async function coreRun(reg: Registry, workers: Worker[], clients: number, seconds: number, prefix: string): Promise<Stats> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let last = start;
  const cpu = process.cpuUsage();
  await Promise.all(workers.slice(0, clients).map(async (w) => {
    while (performance.now() < end) {
      const name = `${prefix}-${++seq}.az`;
      const t0 = performance.now();
      const r = await createDomain(reg, w.actor, {
        name, registrant: w.registrant, hosts: HOSTS,
        contacts: [{ type: 'admin', handle: w.admin }, { type: 'tech', handle: w.admin }],
      });
      if (r.status !== 'created') throw new Error(`${name} went to review: pick another bench prefix`);
      const t1 = performance.now();
      latencies.push(t1 - t0);
      last = Math.max(last, t1);
    }
  }));
  const used = process.cpuUsage(cpu);
  return { ...stats(latencies, (last - start) / 1000), cpuMs: (used.user + used.system) / 1000 / Math.max(1, latencies.length) };
}

// ---- pgbench ----------------------------------------------------------------------------------------

export function runProcess(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface PgbenchVars { [k: string]: string }

export async function pgbenchRun(url: string, script: string, clients: number, seconds: number, vars: PgbenchVars, logDir: string): Promise<Stats> {
  const dir = await mkdtemp(path.join(logDir, 'pgbench-'));
  const args = ['-n', '-M', 'extended', '-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(seconds),
    '-f', script, '-l', `--log-prefix=${path.join(dir, 'tx')}`,
    ...Object.entries(vars).flatMap(([k, v]) => ['-D', `${k}=${v}`]), url];
  const r = await runProcess(PGBENCH, args);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout);
  const failed = /number of failed transactions: (\d+)/.exec(r.stdout);
  if (r.code !== 0 || !tps || (failed && failed[1] !== '0')) {
    throw new Error(`pgbench ${path.basename(script)} -c ${clients} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  // Per-transaction log lines: client_id transaction_no latency_us script_no epoch_s epoch_us.
  const latencies: number[] = [];
  for (const f of await readdir(dir)) {
    for (const line of (await readFile(path.join(dir, f), 'utf8')).split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (line && Number.isFinite(us)) latencies.push(us / 1000);
    }
  }
  await rm(dir, { recursive: true, force: true });
  const s = stats(latencies, seconds);
  return { ...s, tps: Number(tps[1]) };
}

// ---- the run ----------------------------------------------------------------------------------------

export async function checkpoint(db: Db): Promise<void> {
  await sql`checkpoint`.execute(db.db).catch(() => {});
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const ms = (s: Stats) => `${fmt(s.p50, 2)} / ${fmt(s.p99, 2)}`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      clients: { type: 'string', default: '1,4,16' },
      out: { type: 'string', default: path.join(here, 'results', 'core.md') },
      'no-pglite': { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const clientCounts = values.clients.split(',').map(Number);
  if (!(seconds > 0 && seconds <= 60) || clientCounts.some((c) => !Number.isInteger(c) || c < 1 || c > 64)) {
    throw new Error('--seconds is 1..60 and --clients a list of 1..64');
  }
  const maxClients = Math.max(...clientCounts);
  const scratch = await scratchDatabase('core');
  const { url: benchUrl, tmp } = scratch;
  const dropAll = scratch.drop;
  const started = new Date();
  const loadBefore = os.loadavg()[0]!;

  const log = (s: string) => console.log(`[bench core] ${s}`);
  type Row = { clients: number; core: Stats; full: Stats; writes: Stats };
  const rows: Row[] = [];
  let pglite: Stats | null = null;
  let server: Record<string, string> = {};
  let pgbenchVersion = '';
  try {
    log(`database ${redactUrl(benchUrl)}; ${seconds} s per measurement; clients ${clientCounts.join(', ')}`);
    const db = await openDatabase({ databaseUrl: benchUrl, poolSize: maxClients });
    try {
      const reg = new Registry(db, { tld: 'az' });
      await migrateAndSeedBase(reg);
      const { workers, firstContactId } = await addWorkers(reg, maxClients);
      const hostIds = await reg.db.selectFrom('hosts').select(['id', 'name']).orderBy('name').execute();

      // Warm up (JIT, policy cache, plan caches), then take a real snapshot and payload for pgbench's rows.
      await coreRun(reg, workers, Math.min(4, maxClients), 1, 'warm');
      const sample = await reg.db.selectFrom('object_history').select('snapshot').where('object_type', '=', 'domain').limit(1).executeTakeFirstOrThrow();
      const event = await reg.db.selectFrom('outbox').select('payload').where('topic', '=', 'domain.created').limit(1).executeTakeFirstOrThrow();
      const vars: PgbenchVars = {
        own0: String(firstContactId), ns1: HOSTS[0]!, ns2: HOSTS[1]!, h1: String(hostIds[0]!.id), h2: String(hostIds[1]!.id),
        lockpfx: 'bundle:pgb-', auth: 'Bench-Auth-1234', snap: JSON.stringify(sample.snapshot), payload: JSON.stringify(event.payload),
      };
      // pgbench client c uses worker c's registrar and contacts, like the core run.
      const scripts = await prepareScripts(tmp);

      const settings = await sql<{ name: string; setting: string }>`select name, setting from pg_settings
        where name in ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'wal_level')`.execute(reg.db);
      server = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
      pgbenchVersion = (await runProcess(PGBENCH, ['--version'])).stdout.trim();

      for (const c of clientCounts) {
        await checkpoint(db);
        const core = await coreRun(reg, workers, c, seconds, `core${c}`);
        log(`createDomain      clients ${String(c).padStart(2)}: ${fmt(core.tps)} tx/s  p50/p99 ${ms(core)} ms  (${core.count})`);
        await checkpoint(db);
        const full = await pgbenchRun(benchUrl, scripts.full, c, seconds, vars, tmp);
        log(`pgbench same SQL  clients ${String(c).padStart(2)}: ${fmt(full.tps)} tx/s  p50/p99 ${ms(full)} ms  (${full.count})`);
        await checkpoint(db);
        const writes = await pgbenchRun(benchUrl, scripts.writes, c, seconds, { ...vars, lockpfx: 'bundle:pgw-' }, tmp);
        log(`pgbench writes    clients ${String(c).padStart(2)}: ${fmt(writes.tps)} tx/s  p50/p99 ${ms(writes)} ms  (${writes.count})`);
        rows.push({ clients: c, core, full, writes });
      }
      const counts = await sql<{ n: number }>`select count(*)::int8 as n from domains`.execute(reg.db);
      log(`${counts.rows[0]!.n} domains in the bench database`);
    } finally {
      await db.close();
    }

    if (!values['no-pglite']) pglite = await pgliteRun(tmp, seconds, log);
  } finally {
    await dropAll();
  }

  const md = report({ started, seconds, rows, pglite, server, pgbenchVersion, load: [loadBefore, os.loadavg()[0]!] });
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, md);
  log(`wrote ${path.relative(process.cwd(), values.out)}`);
}

/** The scripts in bench/sql with the per-client fixture expressions spliced in. */
export async function prepareScripts(tmp: string): Promise<{ full: string; writes: string }> {
  const perClient = ['\\set own_id :own0 + 2 * :client_id', '\\set adm_id :own0 + 2 * :client_id + 1'].join('\n');
  const out: Record<string, string> = {};
  for (const name of ['full', 'writes']) {
    let text = await readFile(path.join(here, 'sql', `create-domain-${name}.sql`), 'utf8');
    text = text
      .replace(/^\\set n .*$/m, (m) => `${m}\n${perClient}`)
      .replaceAll(':reg', `('bench-w' || CAST(:client_id AS text))`)
      .replace(/:own\b/g, `('bw' || CAST(:client_id AS text) || '-own')`)
      .replace(/:adm\b/g, `('bw' || CAST(:client_id AS text) || '-adm')`);
    const file = path.join(tmp, `create-domain-${name}.sql`);
    await writeFile(file, text);
    out[name] = file;
  }
  return { full: out.full!, writes: out.writes! };
}

/** createDomain on the embedded PGlite (one connection), on disk like the default `domen start`. */
async function pgliteRun(tmp: string, seconds: number, log: (s: string) => void): Promise<Stats> {
  const dataDir = path.join(tmp, 'pglite-data');
  const db = await openDatabase({ dataDir });
  try {
    const reg = new Registry(db, { tld: 'az' });
    await migrateAndSeedBase(reg);
    const { workers } = await addWorkers(reg, 1);
    await coreRun(reg, workers, 1, 1, 'warm');
    const s = await coreRun(reg, workers, 1, seconds, 'lite');
    log(`PGlite createDomain clients  1: ${fmt(s.tps)} tx/s  p50/p99 ${ms(s)} ms  (${s.count})`);
    return s;
  } finally {
    await db.close();
  }
}

function report(r: {
  started: Date; seconds: number; rows: { clients: number; core: Stats; full: Stats; writes: Stats }[];
  pglite: Stats | null; server: Record<string, string>; pgbenchVersion: string; load: [number, number];
}): string {
  const cpus = os.cpus();
  const ratio = (a: Stats, b: Stats) => `${fmt(a.tps / b.tps, 2)}`;
  const lines = [
    '# Core benchmark: domain create',
    '',
    `Written by \`npm run bench -- core\` on ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC. ` +
      `Each figure is one ${r.seconds}-second run.`,
    '',
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
      `${os.type()} ${os.release()}`,
    `- Node ${process.version}; PostgreSQL ${r.server.server_version ?? '?'} on the same machine over TCP ` +
      `(fsync ${r.server.fsync ?? '?'}, synchronous_commit ${r.server.synchronous_commit ?? '?'}, ` +
      `shared_buffers ${Number(r.server.shared_buffers) * 8 / 1024} MB); ${r.pgbenchVersion}`,
    `- 1-minute load average before / after the run: ${r.load[0].toFixed(2)} / ${r.load[1].toFixed(2)} ` +
      '(anything else running on the machine shows in the figures)',
    '',
    '| database | clients | domen `createDomain` tx/s | p50 / p99 ms | Node CPU ms per create | pgbench, same SQL tx/s | p50 / p99 ms | domen ÷ same SQL | pgbench, writes only tx/s | p50 / p99 ms | domen ÷ writes only |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map((x) => `| PostgreSQL | ${x.clients} | ${fmt(x.core.tps)} | ${ms(x.core)} | ${fmt(x.core.cpuMs ?? NaN, 2)} | ${fmt(x.full.tps)} | ${ms(x.full)} | ` +
      `${ratio(x.core, x.full)} | ${fmt(x.writes.tps)} | ${ms(x.writes)} | ${ratio(x.core, x.writes)} |`),
    ...(r.pglite ? [`| PGlite, embedded (one connection, on disk) | 1 | ${fmt(r.pglite.tps)} | ${ms(r.pglite)} | ${fmt(r.pglite.cpuMs ?? NaN, 2)} | – | – | – | – | – | – |`] : []),
    '',
    '## What is measured',
    '',
    '- **domen `createDomain`**: the core operation (policy check, sponsor, contacts and hosts, bundle lock, ' +
      'availability, domain row, 2 contact links, 2 name servers, snapshot, history, audit, outbox), one create at a ' +
      'time per client; each client is its own registrar with its own registrant and admin/tech contact; all share ' +
      'two name servers. Latency is from the call to the resolved promise (after COMMIT).',
    '- **pgbench, same SQL**: [`bench/sql/create-domain-full.sql`](../sql/create-domain-full.sql), the statements ' +
      '`createDomain` sends, taken from a query log (BEGIN, 5 statements, COMMIT: the sponsor, contacts and name servers ' +
      'with the bundle lock; the guarded insert of the domain, its links and the snapshot\'s handles; history + unsealed audit ' +
      'entry + outbox; the charge, 2 statements of src/billing; the policy version, read at most once a second, and the ' +
      'sealing of audit entries after commit, a batch at a time, are left out), ' +
      'with the same fixture rows per client, a real snapshot as JSON and random names; ' +
      '`pgbench -n -M extended -c C -j min(2, C) -T ' + r.seconds + '`. The ratio shows what Node, node-postgres, ' +
      'Kysely and the operation code cost over the bare SQL.',
    '- **pgbench, writes only**: [`bench/sql/create-domain-writes.sql`](../sql/create-domain-writes.sql): BEGIN, ' +
      'bundle advisory lock, the domain with its 2 contact links and 2 name servers, object_history + outbox, the charge ' +
      '(balance, ledger transaction, 2 entries), the audit head and entry, COMMIT (6 statements): the rows a create ' +
      'writes, without its reads.',
    '- **Node CPU ms per create**: user + system CPU of the Node process during the run, divided by the creates ' +
      '(for PGlite it includes the database itself, which runs inside Node).',
    '- Node, pgbench and PostgreSQL share the machine\'s cores, so the client-side cost competes with the server.',
    '',
  ];
  return lines.join('\n');
}
