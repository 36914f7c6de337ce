// `npm run bench -- rdap`: RDAP domain lookups per second and p99 over HTTP keep-alive (wrk), beside nginx
// serving the same JSON as a static file in the same run; then again with the database grown to a larger size
// (default 1,000,000 domains) to show whether p99 holds. The RDAP server runs in this process on PostgreSQL
// with the rate limit off; wrk (Debian package) asks for names picked at random across the table.
// Writes bench/results/rdap.md.
//
// Options: --seconds N (per measurement, default 8), --connections N (default 16), --sizes 10000,1000000,
// --processes 1,2 (RDAP server processes sharing the port through node:cluster, each beside nginx with as many
// worker processes; 1 is the server in this process), --out FILE.
// DOMEN_BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test); the bench creates
// its own database there and drops it at the end. Needs `wrk` and `nginx` (apt-get install wrk nginx-light).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { scratchDatabase } from './scratch.ts';
import { openDatabase, redactUrl } from '../src/db/connect.ts';
import { Registry } from '../src/core/registry.ts';
import { cliActor } from '../src/core/actor.ts';
import { createContact } from '../src/core/contacts.ts';
import { createHost } from '../src/core/hosts.ts';
import { createRegistrar } from '../src/core/registrars.ts';
import { migrateAndSeedBase } from '../src/server/bootstrap.ts';
import { startHttp } from '../src/server/http.ts';
import { startHttpProcesses } from '../src/server/http-processes.ts';
import { runProcess } from './core.ts';
import { warm } from './rdap-warm.ts';
import { freePort } from '../test/cli/harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface WrkResult { rps: number; p50: number; p99: number; requests: number; non2xx: number; errors: string }
type Target = 'RDAP (domen)' | 'RDAP (domen), answer cache off' | 'nginx, static file';
interface Row { size: number; processes: number; target: Target; r: WrkResult }


function toMs(v: string, unit: string): number {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

async function wrk(url: string, script: string, seconds: number, connections: number): Promise<WrkResult> {
  const r = await runProcess('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url]);
  if (r.code !== 0) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  const out = r.stdout;
  const pct = (p: string) => { const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out); return m ? toMs(m[1]!, m[2]!) : NaN; };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: pct('50'), p99: pct('99'),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    non2xx, errors: /Socket errors: (.*)/.exec(out)?.[1] ?? '',
  };
}

async function startNginx(dir: string, port: number, json: string, workers: number): Promise<ChildProcess> {
  await mkdir(path.join(dir, 'www'), { recursive: true });
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  await writeFile(path.join(dir, 'www', 'domain.json'), json);
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes ${workers};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path ${dir}/tmp-body; proxy_temp_path ${dir}/tmp-proxy; fastcgi_temp_path ${dir}/tmp-fcgi; uwsgi_temp_path ${dir}/tmp-uwsgi; scgi_temp_path ${dir}/tmp-scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location /rdap/domain/ {
      default_type application/rdap+json;
      add_header access-control-allow-origin *;
      try_files /domain.json =404;
    }
  }
}
`);
  const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (await listening(port)) return child;
  child.kill('SIGKILL');
  throw new Error('nginx did not start');
}

async function listening(port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * N RDAP server processes on one port, started and stopped as `domen serve` does with DOMEN_HTTP_PROCESSES=N
 * (src/server/http-processes.ts, node:cluster); each runs bench/rdap-worker.ts: the server of src/server/http.ts
 * with the rate limit off and the bench's names in its cache.
 */
async function startCluster(n: number, url: string, port: number, names: string[]): Promise<{ stop(): Promise<void> }> {
  const group = await startHttpProcesses({
    count: n, exec: path.join(here, 'rdap-worker.ts'), restart: false,
    env: { DOMEN_RDAP_BENCH_URL: url, DOMEN_RDAP_BENCH_PORT: String(port), DOMEN_RDAP_BENCH_NAMES: [...new Set(names)].join(',') },
  });
  return { stop: () => group.close() };
}

/** Grows the domains table to `size` rows with plain SQL (the bench's data, not registry operations). */
async function grow(url: string, registrantId: number, from: number, size: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let start = from; start < size; start += 100_000) {
      const end = Math.min(size, start + 100_000) - 1;
      await c.query(`
        with d as (
          insert into domains (roid, name, unicode_name, zone, bundle_key, registrar_id, registrant_id, auth_info, statuses, created_at, created_by, expires_at)
          select 'DB' || i || '-AZ', 'bench' || i || '.az', 'bench' || i || '.az', 'az', 'bench' || i || '.az', 'bench-reg', $1, 'Auth-Info-1', '{}',
                 now(), 'bench', now() + interval '1 year'
          from generate_series($2::int, $3::int) i
          returning id)
        insert into domain_hosts (domain_id, host_id) select d.id, h.id from d cross join (select id from hosts where name like 'ns_.bench-dns.net') h`,
      [registrantId, start, end]);
    }
    await c.query('analyze domains; analyze domain_hosts');
  } finally {
    await c.end();
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '8' }, connections: { type: 'string', default: '16' },
      sizes: { type: 'string', default: '10000,1000000' }, out: { type: 'string', default: path.join(here, 'results', 'rdap.md') },
      processes: { type: 'string', default: '1,2' },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const sizes = values.sizes.split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
  const processCounts = values.processes.split(',').map(Number).filter((n) => n > 0 && n <= 16);
  for (const tool of ['wrk', 'nginx']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: apt-get install -y wrk nginx-light`);
  }
  const scratch = await scratchDatabase('rdap');
  const { url: benchUrl, tmp } = scratch;
  const started = new Date();
  const loadBefore = os.loadavg()[0]!;
  const nginx = new Map<number, ChildProcess>();
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const rows: Row[] = [];
  let serverVersion = '?';
  let sampleBytes = 0;
  try {
    log(`database ${redactUrl(benchUrl)}; sizes ${sizes.join(', ')}; ${seconds} s per measurement, ${connections} connections`);
    const db = await openDatabase({ databaseUrl: benchUrl, poolSize: 20 });
    const reg = new Registry(db, { tld: 'az' });
    await migrateAndSeedBase(reg);
    serverVersion = (await sql<{ v: string }>`select version() as v`.execute(reg.db)).rows[0]!.v.split(' on ')[0]!;
    await createRegistrar(reg, cliActor, { id: 'bench-reg', name: 'Bench Registrar MMC', email: 'ops@bench.example.az', password: 'Bench-Pass-1', phone: '+994.124000000', address: 'Bakı', url: 'https://bench.example.az' });
    const actor = { type: 'registrar' as const, registrarId: 'bench-reg' };
    await createContact(reg, actor, { handle: 'bench-owner', kind: 'natural', givenName: 'Bench', familyName: 'Owner', city: 'Bakı', cc: 'AZ', email: 'owner@bench.example.az', street: ['1 Bench st'] });
    for (const h of ['ns1.bench-dns.net', 'ns2.bench-dns.net']) await createHost(reg, actor, { name: h });
    const owner = await reg.db.selectFrom('contacts').select('id').where('handle', '=', 'bench-owner').executeTakeFirstOrThrow();
    const app = await startHttp(reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false } }, () => true);
    const rdapPort = (app.server.address() as AddressInfo).port;
    // The same server without the answer cache: every lookup is a database round trip (the prepared statement).
    const uncached = await startHttp(reg, { host: '127.0.0.1', port: 0, rdap: { rateLimit: false, cache: false } }, () => true);
    const uncachedPort = (uncached.server.address() as AddressInfo).port;
    const nginxPorts = new Map<number, number>();
    for (const n of processCounts) nginxPorts.set(n, await freePort());
    const clusterPort = await freePort();
    let have = 0;
    for (const size of sizes) {
      log(`growing the domains table to ${size}...`);
      await grow(benchUrl, owner.id, have, size);
      have = size;
      // 2,000 names picked at random over the whole table.
      const names = Array.from({ length: 2000 }, () => `bench${Math.floor(Math.random() * size)}.az`);
      const script = path.join(tmp, `paths-${size}.lua`);
      await writeFile(script, `local paths = {${names.map((n) => `"/rdap/domain/${n}"`).join(',')}}
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end
`);
      const sample = await app.inject({ url: `/rdap/domain/${names[0]}` });
      if (sample.statusCode !== 200) throw new Error(`sample lookup: ${sample.statusCode} ${sample.body}`);
      sampleBytes = sample.body.length;
      for (const n of processCounts) {
        let ng = nginx.get(n);
        if (!ng) { ng = await startNginx(path.join(tmp, `nginx-${n}`), nginxPorts.get(n)!, sample.body, n); nginx.set(n, ng); }
        // 1 process: the server of this process; more: that many worker processes on one port.
        const group = n === 1 ? null : await startCluster(n, benchUrl, clusterPort, names);
        if (n === 1) await warm(app, [...new Set(names)], rdapPort);
        const port = n === 1 ? rdapPort : clusterPort;
        try {
          // Every name is in the caches (warm()); a short wrk warm-up for the connections, then measure: RDAP, then nginx.
          await wrk(`http://127.0.0.1:${port}`, script, 2, connections);
          log(`RDAP at ${size} domains, ${n} process(es)...`);
          rows.push({ size, processes: n, target: 'RDAP (domen)', r: await wrk(`http://127.0.0.1:${port}`, script, seconds, connections) });
        } finally {
          await group?.stop();
        }
        if (n === 1) {
          await wrk(`http://127.0.0.1:${uncachedPort}`, script, 2, connections);
          log(`RDAP without the cache at ${size} domains...`);
          rows.push({ size, processes: 1, target: 'RDAP (domen), answer cache off', r: await wrk(`http://127.0.0.1:${uncachedPort}`, script, seconds, connections) });
        }
        log(`nginx, ${n} worker(s)...`);
        rows.push({ size, processes: n, target: 'nginx, static file', r: await wrk(`http://127.0.0.1:${nginxPorts.get(n)!}`, script, seconds, connections) });
        log(JSON.stringify(rows.slice(n === 1 ? -3 : -2)));
      }
    }
    await app.close();
    await uncached.close();
    await db.close();
  } finally {
    for (const n of nginx.values()) n.kill('SIGTERM');
    await scratch.drop();
  }
  const md = report({ started, seconds, connections, rows, serverVersion, load: [loadBefore, os.loadavg()[0]!], sampleBytes });
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, md);
  process.stdout.write(md);
}

function report(r: { started: Date; seconds: number; connections: number; rows: Row[]; serverVersion: string; load: [number, number]; sampleBytes: number }): string {
  const cpus = os.cpus();
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  const wrkVersion = spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? '?';
  const nginxVersion = (spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr ?? '').trim();
  const lines = [
    '# RDAP benchmark: domain lookups',
    '',
    `Written by \`npm run bench -- rdap\` on ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC. Each figure is one ${r.seconds}-second wrk run with ${r.connections} keep-alive connections (1 thread); RDAP after a 5-second warm-up.`,
    '',
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; ${r.serverVersion} on the same machine over TCP; ${wrkVersion}; ${nginxVersion} (as many worker processes as RDAP has processes, the same JSON as a file, ${r.sampleBytes} bytes)`,
    `- 1-minute load average before / after the run: ${r.load[0].toFixed(2)} / ${r.load[1].toFixed(2)} (anything else running on the machine shows in the figures)`,
    '- Target of issue 4: RDAP >= 0.5 of nginx\'s rate with p99 < 10 ms, and p99 unchanged at 1M domains.',
    '',
    '| domains in the table | processes | server | lookups/s | p50 / p99 ms | non-2xx | socket errors | ÷ nginx |',
    '|---:|---:|---|---:|---:|---:|---|---:|',
  ];
  for (const row of r.rows) {
    const ng = r.rows.find((x) => x.size === row.size && x.processes === row.processes && x.target === 'nginx, static file');
    lines.push(`| ${row.size.toLocaleString('en')} | ${row.processes} | ${row.target} | ${f(row.r.rps)} | ${f(row.r.p50, 2)} / ${f(row.r.p99, 2)} | ${row.r.non2xx} | ${row.r.errors || '–'} | ${ng ? f(row.r.rps / ng.r.rps, 2) : '–'} |`);
  }
  lines.push('', '## What is measured', '',
    '- **RDAP (domen)**: `GET /rdap/domain/benchN.az` on the HTTP server of `src/server/http.ts` (rate limit off), on PostgreSQL: with 1 process, the server in the bench process; with more, that many processes on one port, started as `domen serve` starts them with `DOMEN_HTTP_PROCESSES` (`src/server/http-processes.ts`, node:cluster; each runs `bench/rdap-worker.ts`), each with its own pool and its own answer cache (`src/rdap/cache.ts`, kept correct from the outbox). wrk cycles through 2,000 names picked at random over the whole table, so after the warm-up the answers come from the cache, answered in front of the fastify routing (the fast path of `src/rdap/plugin.ts`). Each answer is the full anonymous domain object: the registrar entity, the (natural person, redacted) registrant, two name servers, events and notices, with its ETag.',
    '- **RDAP (domen), answer cache off**: the same server with `cache: false`: every lookup reads PostgreSQL (one prepared statement, `loadDomainRecord`) and renders the JSON: what a lookup of a name not in the cache costs.',
    '- **nginx, static file**: the same paths answered with one of those JSON answers as a static file (try_files), with as many worker processes, same wrk settings: the ceiling of HTTP alone on this machine.',
    '- The domains beyond the first few are inserted with plain SQL (`generate_series`), not through registry operations: the bench measures reads.',
    '');
  return lines.join('\n');
}
