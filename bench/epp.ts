// `npm run bench -- epp`: domain:check, domain:info and domain:create per second over EPP (TLS, one command
// at a time per session, as registrars' clients do) with 1, 8 and 32 sessions, on PostgreSQL, each beside
// pgbench running the same SQL on the same database in the same run: bench/sql/check-domain.sql,
// bench/sql/info-domain.sql and bench/sql/create-domain-full.sql (the core bench's create script).
// The EPP server runs in this process; the clients run in a child process (bench/epp-load.ts) so that their
// TLS and XML work does not share the server's event loop (they do share the machine's cores).
// Writes bench/results/epp.md.
//
// Options: --seconds N (per measurement, default 8), --sessions 1,8,32, --ops create,check,info, --out FILE.
// DOMEN_BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test); the bench
// creates its own database there and drops it at the end.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { scratchDatabase } from './scratch.ts';
import { openDatabase, redactUrl } from '../src/db/connect.ts';
import { Registry } from '../src/core/registry.ts';
import { cliActor } from '../src/core/actor.ts';
import { addRegistrarCertificate } from '../src/core/registrars.ts';
import { issueRegistrarCertificate } from '../src/core/pki-store.ts';
import { migrateAndSeedBase } from '../src/server/bootstrap.ts';
import { startEpp } from '../src/epp/server.ts';
import { addWorkers, checkpoint, fmt, HOSTS, ms, pgbenchRun, prepareScripts, runProcess, stats, type PgbenchVars, type Stats } from './core.ts';
import type { LoadJob, LoadResult } from './epp-load.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PGBENCH = process.env.DOMEN_BENCH_PGBENCH || '/usr/bin/pgbench';
const OPS = ['create', 'check', 'info'] as const;
type Op = typeof OPS[number];

interface EppStats extends Stats { codes: Record<string, number>; serverCpuMs: number }
interface Row { op: Op; sessions: number; epp: EppStats; pgbench: Stats }

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'epp-load.ts')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), (job.seconds + 60) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`load generator exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
    child.stdin.end(JSON.stringify(job));
  });
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '8' },
      sessions: { type: 'string', default: '1,8,32' },
      ops: { type: 'string', default: OPS.join(',') },
      out: { type: 'string', default: path.join(here, 'results', 'epp.md') },
    },
  });
  const seconds = Number(values.seconds);
  const sessionCounts = values.sessions.split(',').map(Number);
  const ops = values.ops.split(',') as Op[];
  if (ops.some((o) => !OPS.includes(o))) throw new Error(`--ops is a list of ${OPS.join(', ')}`);
  if (!(seconds > 0 && seconds <= 60) || sessionCounts.some((c) => !Number.isInteger(c) || c < 1 || c > 64)) {
    throw new Error('--seconds is 1..60 and --sessions a list of 1..64');
  }
  const maxSessions = Math.max(...sessionCounts);
  const scratch = await scratchDatabase('epp');
  const { url: benchUrl, tmp } = scratch;
  const dropAll = scratch.drop;
  const started = new Date();
  const loadBefore = os.loadavg()[0]!;

  const log = (s: string) => console.log(`[bench epp] ${s}`);
  const rows: Row[] = [];
  let server: Record<string, string> = {};
  let pgbenchVersion = '';
  const poolSize = 40;
  try {
    log(`database ${redactUrl(benchUrl)}; ${seconds} s per measurement; sessions ${sessionCounts.join(', ')}`);
    const db = await openDatabase({ databaseUrl: benchUrl, poolSize });
    try {
      const reg = new Registry(db, { tld: 'az' });
      await migrateAndSeedBase(reg);
      const { workers, firstContactId } = await addWorkers(reg, maxSessions);
      const sessions: LoadJob['sessions'] = [];
      let caPem = '';
      for (const w of workers) {
        const id = (w.actor as { registrarId: string }).registrarId;
        const issued = await issueRegistrarCertificate(reg, id, `Bench registrar ${id}`);
        await addRegistrarCertificate(reg, cliActor, id, issued.fingerprint, issued.client.certPem);
        sessions.push({ clID: id, certPem: issued.client.certPem, keyPem: issued.client.keyPem, registrant: w.registrant, admin: w.admin });
        caPem = issued.caPem;
      }
      const epp = await startEpp(reg, {
        host: '127.0.0.1', port: 0, maxSessionsPerRegistrar: 64, commandsPerSecond: 1e6, commandBurst: 1e6,
        registrarCommandsPerSecond: 1e6, registrarCommandBurst: 1e6,
        log: (event, detail) => { if (event === 'epp.command.failed') console.error(event, detail); },
      });
      try {
        const hostIds = await reg.db.selectFrom('hosts').select(['id', 'name']).orderBy('name').execute();
        const owned: number[][] = sessions.map(() => []);
        let createBase = 0;
        const eppRun = async (op: Op, n: number, secs: number): Promise<EppStats> => {
          const cpu = process.cpuUsage();
          const r = await load({ port: epp.port, op, seconds: secs, sessions: sessions.slice(0, n), caPem, password: 'Bench-Pass-1',
            hosts: HOSTS, createBase, owned: owned.slice(0, n) });
          const used = process.cpuUsage(cpu);
          if (op === 'create') {
            r.created.forEach((list, i) => owned[i]!.push(...list));
            createBase += r.latencies.length + 1;
          }
          const s = stats(r.latencies, r.elapsed);
          return { ...s, codes: r.codes, serverCpuMs: (used.user + used.system) / 1000 / Math.max(1, r.latencies.length) };
        };

        // Warm up (JIT, TLS, plan caches), then a real snapshot and payload for pgbench's create rows.
        await eppRun('create', Math.min(4, maxSessions), 1);
        await eppRun('check', Math.min(4, maxSessions), 1);
        await eppRun('info', 1, 1);
        const sample = await reg.db.selectFrom('object_history').select('snapshot').where('object_type', '=', 'domain').limit(1).executeTakeFirstOrThrow();
        const event = await reg.db.selectFrom('outbox').select('payload').where('topic', '=', 'domain.created').limit(1).executeTakeFirstOrThrow();
        const vars: PgbenchVars = {
          own0: String(firstContactId), ns1: HOSTS[0]!, ns2: HOSTS[1]!, h1: String(hostIds[0]!.id), h2: String(hostIds[1]!.id),
          lockpfx: 'bundle:pgb-', auth: 'Bench-Auth-1234', snap: JSON.stringify(sample.snapshot), payload: JSON.stringify(event.payload),
        };
        const scripts = { ...(await prepareScripts(tmp)), check: path.join(here, 'sql', 'check-domain.sql'), info: path.join(here, 'sql', 'info-domain.sql') };

        const settings = await sql<{ name: string; setting: string }>`select name, setting from pg_settings
          where name in ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')`.execute(reg.db);
        server = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
        pgbenchVersion = (await runProcess(PGBENCH, ['--version'])).stdout.trim();

        for (const n of sessionCounts) {
          for (const op of ops) {
            await checkpoint(db);
            const e = await eppRun(op, n, seconds);
            log(`EPP domain:${op.padEnd(6)} sessions ${String(n).padStart(2)}: ${fmt(e.tps)}/s  p50/p99 ${ms(e)} ms  server CPU ${fmt(e.serverCpuMs, 2)} ms/command  ${JSON.stringify(e.codes)}`);
            await checkpoint(db);
            const ids = await sql<{ lo: number; hi: number }>`select min(id)::int8 as lo, max(id)::int8 as hi from domains where deleted_at is null`.execute(reg.db);
            const range = { idmin: String(ids.rows[0]!.lo), idmax: String(ids.rows[0]!.hi) };
            const p = op === 'create'
              ? await pgbenchRun(benchUrl, scripts.full, n, seconds, vars, tmp)
              : await pgbenchRun(benchUrl, scripts[op], n, seconds, { version: '0', ...range }, tmp);
            log(`pgbench same SQL     clients  ${String(n).padStart(2)}: ${fmt(p.tps)}/s  p50/p99 ${ms(p)} ms`);
            rows.push({ op, sessions: n, epp: e, pgbench: p });
          }
        }
      } finally {
        await epp.close();
      }
    } finally {
      await db.close();
    }
  } finally {
    await dropAll();
  }

  const md = report({ started, seconds, rows, server, pgbenchVersion, load: [loadBefore, os.loadavg()[0]!], poolSize });
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, md);
  log(`wrote ${path.relative(process.cwd(), values.out)}`);
}

function report(r: { started: Date; seconds: number; rows: Row[]; server: Record<string, string>; pgbenchVersion: string; load: [number, number]; poolSize: number }): string {
  const cpus = os.cpus();
  const best = (op: Op) => r.rows.filter((x) => x.op === op).sort((a, b) => b.epp.tps - a.epp.tps)[0];
  const bc = best('create');
  const bk = best('check');
  return [
    '# EPP benchmark: domain:check, domain:info, domain:create',
    '',
    `Written by \`npm run bench -- epp\` on ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC. Each figure is one ${r.seconds}-second run.`,
    '',
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; PostgreSQL ${r.server.server_version ?? '?'} on the same machine over TCP (fsync ${r.server.fsync ?? '?'}, ` +
      `synchronous_commit ${r.server.synchronous_commit ?? '?'}, shared_buffers ${Number(r.server.shared_buffers) * 8 / 1024} MB); ${r.pgbenchVersion}; ` +
      `the server's connection pool: ${r.poolSize}`,
    `- 1-minute load average before / after the run: ${r.load[0].toFixed(2)} / ${r.load[1].toFixed(2)} (anything else running on the machine shows in the figures)`,
    `- Targets of issue 3: >= 1,000 creates/s, >= 5,000 checks/s, creates at >= 0.5 of pgbench's rate. ` +
      `Reached here: ${bc ? `${fmt(bc.epp.tps)} creates/s (${bc.sessions} sessions, ${fmt(bc.epp.tps / bc.pgbench.tps, 2)} of pgbench)` : '–'}, ` +
      `${bk ? `${fmt(bk.epp.tps)} checks/s (${bk.sessions} sessions)` : '–'}.`,
    '',
    '| command | sessions | EPP commands/s | p50 / p99 ms | server CPU ms per command | result codes | pgbench, same SQL tx/s | p50 / p99 ms | EPP ÷ pgbench |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|',
    ...r.rows.map((x) => `| domain:${x.op} | ${x.sessions} | ${fmt(x.epp.tps)} | ${ms(x.epp)} | ${fmt(x.epp.serverCpuMs, 2)} | ` +
      `${Object.entries(x.epp.codes).map(([c, n]) => `${c}×${n}`).join(' ')} | ${fmt(x.pgbench.tps)} | ${ms(x.pgbench)} | ${fmt(x.epp.tps / x.pgbench.tps, 2)} |`),
    '',
    '## What is measured',
    '',
    '- **EPP**: the server of `src/epp` in the bench process; the clients in a child process (`bench/epp-load.ts`), one TLS 1.3 session per ' +
      'registrar (`bench-w<i>`, with its own registrant and admin/tech contact, as in the core bench), each sending one command and waiting for ' +
      'its answer before the next; latency from writing the command to reading the whole response. check: one free random name; info: a name ' +
      'the session\'s registrar created (so the sponsor\'s full view); create: a new name with 2 name servers and admin/tech contacts.',
    '- **pgbench, same SQL**: `bench/sql/check-domain.sql`, `bench/sql/info-domain.sql` and `bench/sql/create-domain-full.sql` (the core ' +
      'bench\'s), the statements the server sends for each command, from a query log (without the policy-version read, which the server ' +
      'caches for up to a second), `-M extended`, as many clients as sessions, on the same database right after the EPP run.',
    '- **server CPU ms per command**: user + system CPU time of the bench process (the EPP server, the core, node-postgres; not the clients) ' +
      'during the run, divided by the commands answered. 1000 divided by it is what one core of Node could answer at most.',
    '',
    ...whereTheTimeGoes(r.rows, r.load),
  ].join('\n');
}

/** The computed part of the analysis: CPU ceilings from the measured CPU per command, and pgbench's ceiling. */
function whereTheTimeGoes(rows: Row[], load: [number, number]): string[] {
  const range = (op: Op, f: (x: Row) => number, d = 1) => {
    const v = rows.filter((x) => x.op === op).map(f);
    return v.length ? `${fmt(Math.min(...v), d)}–${fmt(Math.max(...v), d)}` : '–';
  };
  return [
    '## Where the time goes',
    '',
    `- **Node CPU per command** (server side): create ${range('create', (x) => x.epp.serverCpuMs, 2)} ms, check ${range('check', (x) => x.epp.serverCpuMs, 2)} ms, ` +
      `info ${range('info', (x) => x.epp.serverCpuMs, 2)} ms. One Node process answers at most 1000 / that per second on one core: ` +
      `about ${range('create', (x) => 1000 / x.epp.serverCpuMs, 0)} creates/s and ${range('check', (x) => 1000 / x.epp.serverCpuMs, 0)} checks/s, ` +
      'if it had a core to itself; here it shares two cores with PostgreSQL and the load generator.',
    `- **The database's ceiling for the same SQL** (pgbench, the same machine): ${range('create', (x) => x.pgbench.tps, 0)} creates/s, ` +
      `${range('check', (x) => x.pgbench.tps, 0)} checks/s, ${range('info', (x) => x.pgbench.tps, 0)} infos/s. ` +
      [['create', 1000, 'creates/s'], ['check', 5000, 'checks/s']].map(([op, target, unit]) => {
        const top = Math.max(0, ...rows.filter((x) => x.op === op).map((x) => x.pgbench.tps));
        return top < Number(target)
          ? `The target of ${Number(target).toLocaleString('en')} ${unit} is above what PostgreSQL itself does for this SQL on this machine in this run.`
          : `PostgreSQL alone reaches the target of ${Number(target).toLocaleString('en')} ${unit} with this SQL here (up to ${fmt(top, 0)}).`;
      }).join(' ') + ' (fsync on: every create waits for its commit to reach the disk, and pgbench batches nothing either.)',
    `- **The machine was shared**: 1-minute load average ${load[0].toFixed(1)} before and ${load[1].toFixed(1)} after on 2 cores (other test suites ran ` +
      'beside the bench), which lowers every figure, pgbench\'s too.',
    '- **Round trips**: a check is 1 statement (the bundles\' live domains and the pending applications together), an info 1 (the ' +
      'domain with its contacts, name servers, subordinate hosts and DS data as JSON aggregates), a create BEGIN + 5 statements + COMMIT ' +
      'on one connection (3 of the create itself with history, audit entry and outbox, 2 of the charge in src/billing): each round trip ' +
      'costs a write and a read on a socket on both sides. The audit entries are sealed into the chain after commit, a batch of ' +
      'creates per short transaction (src/audit/chain.ts); pgbench\'s script leaves that out.',
    '',
  ];
}
