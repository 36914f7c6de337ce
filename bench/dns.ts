// `npm run bench -- dns [--changes 200] [--rate 20] [--batch 1000]`: incremental DNS publication.
// - latency from a committed create (through the core) to the answer of a real knotd secondary on
//   loopback that follows us by NOTIFY + IXFR: p50/p99 over --changes creates at --rate per second;
// - the time to apply and sign one batch of --batch changes as one difference (publish() with the poller off).
// On PostgreSQL when DOMEN_TEST_DATABASE_URL is set, else on PGlite (the test registry helpers).
// Results: bench/results/dns.md. Needs knotd (Debian package knot).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { testRegistry, onPostgres } from '../test/helpers/registry.ts';
import { seedZoneFixture, testConfig } from '../test/dns/setup.ts';
import { registrar } from '../test/helpers/fixtures.ts';
import { createDomain } from '../src/core/domains/create.ts';
import { startDnsService } from '../src/dns/index.ts';
import { nameWire } from '../src/dns/wire.ts';
import { freePort } from '../test/cli/harness.ts';
import pg from 'pg';
import { scratchDatabase } from './scratch.ts';
import { runProcess } from './core.ts';
import { rrText, type RR } from '../src/dns/wire.ts';
import { SIGNING_TYPES, dnsConfigFromEnv, type DnsConfig } from '../src/dns/zone-model.ts';

const here = path.dirname(fileURLToPath(import.meta.url));


/** UDP queries over one socket; each resolves with the rcode and the number of authority RRs, or null on timeout. */
function querier(port: number) {
  const s = dgram.createSocket('udp4');
  const waiting = new Map<number, (a: { rcode: number; authority: number }) => void>();
  let next = 1;
  s.on('message', (m) => { const f = waiting.get(m.readUInt16BE(0)); if (f) { waiting.delete(m.readUInt16BE(0)); f({ rcode: m.readUInt16BE(2) & 0xf, authority: m.readUInt16BE(8) }); } });
  return {
    ask(name: string, type: number, timeoutMs = 500): Promise<{ rcode: number; authority: number } | null> {
      const id = next = (next + 1) & 0xffff;
      const h = Buffer.alloc(12); h.writeUInt16BE(id, 0); h.writeUInt16BE(1, 4);
      const q = Buffer.alloc(4); q.writeUInt16BE(type, 0); q.writeUInt16BE(1, 2);
      return new Promise((resolve) => {
        const timer = setTimeout(() => { waiting.delete(id); resolve(null); }, timeoutMs);
        waiting.set(id, (a) => { clearTimeout(timer); resolve(a); });
        s.send(Buffer.concat([h, nameWire(name), q]), port, '127.0.0.1');
      });
    },
    close() { s.close(); },
  };
}

/**
 * knotd serving a signed zone file as a primary (no signing; no RRL module: Knot's response rate limiting is the
 * rrl module, off unless configured), started in `tmp`/knotd; resolves with its port and process once it answers the SOA.
 */
async function knotServing(tmp: string, zoneFile: string, children: ChildProcess[]): Promise<{ kport: number; knot: ChildProcess }> {
  const kdir = path.join(tmp, 'knotd');
  for (const d of ['run', 'db']) mkdirSync(path.join(kdir, d), { recursive: true });
  const kport = await freePort();
  writeFileSync(path.join(kdir, 'knot.conf'), [
    'server:', `    rundir: "${kdir}/run"`, `    listen: 127.0.0.1@${kport}`,
    'database:', `    storage: "${kdir}/db"`, 'control:', `    listen: "${kdir}/run/knot.sock"`,
    'log:', '  - target: stderr', '    any: warning',
    'template:', '  - id: default', '    zonefile-sync: -1', '    journal-content: none', '    semantic-checks: off',
    'zone:', '  - domain: az', `    file: "${zoneFile}"`, '',
  ].join('\n'));
  const knot = spawn('knotd', ['-c', path.join(kdir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(knot);
  const q = querier(kport);
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline && (await q.ask('az', 6, 1000))?.rcode !== 0) await new Promise((r) => setTimeout(r, 500));
  q.close();
  return { kport, knot };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: {
    changes: { type: 'string', default: '200' }, rate: { type: 'string', default: '20' }, batch: { type: 'string', default: '1000' },
    size: { type: 'string' }, seconds: { type: 'string' }, out: { type: 'string' },
    'queries-only': { type: 'boolean', default: false }, rounds: { type: 'string', default: '3' }, help: { type: 'boolean', default: false },
  } });
  if (values.help) {
    console.log([
      'npm run bench -- dns [--changes 200] [--rate 20] [--batch 1000] [--size 1000000] [--seconds 10] [--out FILE]',
      '  the whole benchmark: latency, one batch, the --size zone (built from PostgreSQL, beside kzonesign and',
      '  dnssec-signzone) and queries/s beside knotd; results in bench/results/dns.md unless --out.',
      'npm run bench -- dns --queries-only [--size 200000] [--seconds 4] [--rounds 3] [--out FILE]',
      '  queries/s only, on a synthetic signed zone of --size delegations built in memory (no database): ours with',
      '  the answer cache, ours without it (every answer built) and knotd on the same zone, dnsperf asking each',
      '  in turn for --seconds per round; results in bench/results/dns-queries.md unless --out.',
    ].join('\n'));
    return;
  }
  if (values['queries-only']) {
    await queriesOnly(Number(values.size ?? 200_000), Number(values.seconds ?? 4), Number(values.rounds), values.out ?? path.join(here, 'results', 'dns-queries.md'));
    return;
  }
  const outFile = values.out ?? path.join(here, 'results', 'dns.md');
  const changes = Number(values.changes); const rate = Number(values.rate); const batch = Number(values.batch);
  const size = Number(values.size ?? 1_000_000);
  for (const tool of ['knotd', 'kzonesign', 'dnssec-signzone', 'dnssec-keygen', 'dnsperf', '/usr/bin/time']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed (apt-get install knot knot-dnsutils knot-dnssecutils bind9-utils dnsperf time)`);
  }
  const load0 = os.loadavg()[0]!;
  const t = await testRegistry({ start: new Date().toISOString() });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-bench-dns-'));
  let knot: ChildProcess | null = null;
  const lines: string[] = [];
  try {
    const fx = await seedZoneFixture(t);
    const knotPort = await freePort();
    const dns = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, rebuildSeconds: 0, pollMs: 50, config: { ...testConfig('nsec3-optout'), notify: [`127.0.0.1@${knotPort}`] } });
    for (const d of ['run', 'db', 'zones']) mkdirSync(path.join(tmp, d));
    writeFileSync(path.join(tmp, 'knot.conf'), [
      'server:', `    rundir: "${tmp}/run"`, `    listen: 127.0.0.1@${knotPort}`,
      'database:', `    storage: "${tmp}/db"`, 'control:', `    listen: "${tmp}/run/knot.sock"`,
      'log:', '  - target: stderr', '    any: info',
      'remote:', '  - id: primary', `    address: 127.0.0.1@${dns.server.port}`,
      'acl:', '  - id: notify_from_primary', '    address: 127.0.0.1', '    action: notify',
      'template:', '  - id: default', `    storage: "${tmp}/zones"`, '    zonefile-load: none', '    journal-content: none',
      'zone:', '  - domain: az', '    master: primary', '    acl: notify_from_primary', '',
    ].join('\n'));
    let knotLog = '';
    knot = spawn('knotd', ['-c', path.join(tmp, 'knot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    knot.stderr!.setEncoding('utf8').on('data', (s: string) => { knotLog += s; });
    const knotQ = querier(knotPort);
    const query = (_port: number, name: string, type: number, timeout?: number) => knotQ.ask(name, type, timeout);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await query(knotPort, 'az', 6))?.rcode !== 0) await new Promise((r) => setTimeout(r, 200));

    // 1. Latency: creates at `rate` per second, each polled at knotd every 20 ms until it gives the referral.
    const r = registrar('reg-dns');
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    const started = Date.now();
    for (let i = 0; i < changes; i++) {
      const due = started + (i * 1000) / rate;
      if (Date.now() < due) await new Promise((res) => setTimeout(res, due - Date.now()));
      const name = `lat-${i}.az`;
      const res = await createDomain(t.reg, r, { name, registrant: 'dns-own', hosts: fx.external });
      if (res.status !== 'created') throw new Error(`${name} not created`);
      const committed = Date.now();
      // PGlite runs in this process and resolves queries as microtasks: give timers and sockets a turn.
      await new Promise((res2) => setImmediate(res2));
      pending.push((async () => {
        while (Date.now() - committed < 30_000) {
          const a = await query(knotPort, name, 2, 500);
          if (a && a.rcode === 0 && a.authority > 0) { latencies.push(Date.now() - committed); return; }
          await new Promise((res2) => setTimeout(res2, 50));
        }
      })());
    }
    await Promise.all(pending);
    const achieved = changes / ((Date.now() - started) / 1000);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
    const ixfrs = (knotLog.match(/IXFR, incoming, remote [^\n]*finished/g) ?? []).length;
    const axfrs = (knotLog.match(/AXFR, incoming, remote [^\n]*finished/g) ?? []).length;
    lines.push(`| commit → knotd answer, ${changes} creates at ${rate}/s | p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies[latencies.length - 1]} ms (${latencies.length}/${changes} seen) |`);
    lines.push(`| knotd transfers during the run | ${ixfrs} IXFR, ${axfrs} AXFR (the first one) |`);
    lines.push(`| differences published | ${dns.stats.differences} in ${dns.stats.batches} batches, ${dns.stats.fullRebuilds} full rebuilds |`);
    knotQ.close();
    await dns.close();

    // 2. One batch of `batch` changes applied and signed as one difference.
    const quiet = await startDnsService(t.reg, { host: '127.0.0.1', port: 0, rebuildSeconds: 0, pollMs: 3_600_000, config: testConfig('nsec3-optout') });
    for (let i = 0; i < batch; i++) {
      const res = await createDomain(t.reg, r, { name: `batch-${i}.az`, registrant: 'dns-own', hosts: fx.external,
        ...(i % 20 === 0 ? { ds: [{ keyTag: i, algorithm: 13, digestType: 2, digest: 'AB'.repeat(32) }] } : {}) });
      if (res.status !== 'created') throw new Error('batch create failed');
    }
    const t0 = performance.now();
    await quiet.publish();
    const ms = performance.now() - t0;
    const az = quiet.store.get('az')!;
    const last = az.journal[az.journal.length - 1]!;
    lines.push(`| apply + sign ${batch} creates (5% with DS) as one difference | ${ms.toFixed(0)} ms (${last.removed.length} RRs removed, ${last.added.length} added; zone now ${az.cuts.size} delegations) |`);
    await quiet.close();
    const scaleLines: string[] = [];
    const scaleNotes: string[] = [];
    if (size > 0) await scale(size, Number(values.seconds ?? 10), scaleLines, scaleNotes);
    console.log(lines.join('\n'));
    console.log(scaleLines.join('\n'));
    console.log(`achieved rate ${achieved.toFixed(1)}/s`);
    const out = [
      '# DNS benchmark: publication latency, the 1,000,000-delegation zone, queries/s', '',
      `Written by \`npm run bench -- dns\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; latency on ${onPostgres ? 'PostgreSQL' : 'PGlite (embedded)'}, the large zone on PostgreSQL.`, '',
      `- Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; 1-minute load average before / after: ${load0.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)} (other agents' work shares the machine)`,
      `- ${spawnSync('knotd', ['-V'], { encoding: 'utf8' }).stdout.trim()} as a secondary on loopback (NOTIFY from us, IXFR), our publisher polling the outbox every 50 ms; achieved create rate ${achieved.toFixed(1)}/s`,
      ...scaleNotes,
      '- Targets of issue 5: p99 < 2 s from commit to the answer at the secondary; full sign no slower than kzonesign, peak RSS < 3 GB, queries >= 0.25 of knotd\'s.', '',
      '## Publication latency', '',
      '| measure | result |', '|---|---|', ...lines, '',
      ...(scaleLines.length ? [`## The ${size.toLocaleString('en')}-delegation zone (5% DS)`, '', '| measure | time / rate | memory / ratio |', '|---|---:|---|', ...scaleLines, ''] : []),
      '## What is measured', '',
      '- **commit → knotd answer**: `createDomain` through the core (one transaction, outbox event); the time from its return to the first',
      '  answer of knotd with the referral for the new name (UDP queries every 50 ms). In between: the outbox poll, the difference',
      '  (NS and, for DS, the NSEC3 records; re-signing only those RRsets and the SOA), the journal row, NOTIFY, knotd\'s IXFR.',
      '- **apply + sign one batch**: the creates committed with the poller off, then one `publish()`: read the outbox, read the',
      '  changed delegations, apply, sign, write the journal row.',
      '- **full build + sign (domen)**: a separate process (`bench/dns.ts --child`, under GNU time for its peak RSS) starts the DNS service',
      '  on the grown PostgreSQL database: every zone read from the registry tables through one cursor, the content digest and serial, the',
      '  NSEC3 (or NSEC) chain and every signature (ECDSA P-256, validity 14 days). The same process then writes the zone files,',
      '  answers dnsperf and publishes the 1,000 creates, so its peak RSS covers all of that.',
      '- **kzonesign / dnssec-signzone -P**: the unsigned zone file that our build wrote (SOA, NS, DS; same TTLs), signed with',
      '  ECDSA P-256 keys they generate, NSEC3 opt-out with iterations 0 and no salt (`-3 - -H 0 -A`), then NSEC; wall time and',
      '  peak RSS by GNU time; both use all cores by default.',
      '- **queries/s**: dnsperf (`-D`: DO bit; 200 outstanding, 4 sockets) for the stated seconds on 20,000 queries: 80% A for an existing',
      '  delegation (a signed or opt-out referral), 10% below one (also a referral), 10% for a name that does not exist (NXDOMAIN with',
      '  the NSEC3 proof). knotd loads the signed zone file that our build wrote (no signing, no RRL module), so both serve the same zone;',
      '  dnsperf asks ours and knotd in turn, three rounds each, so that both see the same load from the rest of the machine.',
    ];
    writeFileSync(outFile, out.join('\n') + '\n');
  } finally {
    if (knot && knot.exitCode === null) knot.kill('SIGTERM');
    await t.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---- the 1,000,000-delegation zone ----------------------------------------------------------------------
// One scratch PostgreSQL database grown with plain SQL (the bench's data, not registry operations): `size`
// delegations under az, each with two external name servers, every 20th with a DS (5%). Our build + sign
// runs in a child process (this file with `--child`) under GNU time for its peak RSS; it then writes the
// unsigned zone file (for the reference signers) and the signed one (for knotd), answers dnsperf, and
// publishes 1,000 creates made through the core as one difference.

interface Timed { seconds: number; rssKb: number; code: number | null; stderr: string }

/** Runs a command under GNU time (`%e %M`: wall seconds, peak RSS in KiB). */
function timed(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Timed> {
  const out = path.join(os.tmpdir(), `domen-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve) => {
    const p = spawn('/usr/bin/time', ['-f', '%e %M', '-o', out, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    let stderr = '';
    p.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    p.on('exit', (code) => {
      const [sec, rss] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ');
      rmSync(out, { force: true });
      resolve({ seconds: Number(sec), rssKb: Number(rss), code, stderr: stderr.slice(-2000) });
    });
  });
}

async function growZone(url: string, ownerId: number, size: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let start = 0; start < size; start += 100_000) {
      const end = Math.min(size, start + 100_000) - 1;
      await c.query(`
        with d as (
          insert into domains (roid, name, unicode_name, zone, bundle_key, registrar_id, registrant_id, auth_info, statuses, created_at, created_by, expires_at)
          select 'DNSB' || i || '-AZ', 'b' || i || '.az', 'b' || i || '.az', 'az', 'b' || i || '.az', 'bench-reg', $1, 'Auth-Info-1', '{}',
                 now(), 'bench', now() + interval '1 year'
          from generate_series($2::int, $3::int) i
          returning id, name)
        , h as (insert into domain_hosts (domain_id, host_id) select d.id, h.id from d cross join (select id from hosts where name like 'ns_.bench-dns.net') h)
        insert into domain_ds (domain_id, key_tag, algorithm, digest_type, digest)
          select d.id, (d.id % 65536)::int, 13, 2, upper(md5(d.name) || md5(d.name || 'x')) from d where split_part(substr(d.name, 2), '.', 1)::int % 20 = 0`,
      [ownerId, start, end]);
    }
    await c.query('analyze domains; analyze domain_hosts; analyze domain_ds');
  } finally {
    await c.end();
  }
}

/** The child: builds, signs and serves on PostgreSQL; commands on stdin, answers as JSON lines on stdout. */
async function child(args: string[]): Promise<void> {
  const [url, denial] = args as [string, DnsConfig['denial']];
  const say = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
  const { openDatabase } = await import('../src/db/connect.ts');
  const { Registry } = await import('../src/core/registry.ts');
  const { lastBuild } = await import('../src/dns/build.ts');
  const db = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const reg = new Registry(db, { tld: 'az' });
  const config = { ...dnsConfigFromEnv('az', { DOMEN_DNS_NS: 'ns1.nic.az=127.0.0.1,ns2.dns-ext.net' }), denial };
  const t0 = performance.now();
  const dns = await startDnsService(reg, { host: '127.0.0.1', port: 0, rebuildSeconds: 0, pollMs: 3_600_000, config });
  const totalMs = performance.now() - t0;
  const az = dns.store.get('az')!;
  say({ event: 'built', port: dns.server.port, totalMs, ...lastBuild.get('az'), delegations: az.cuts.size, rssMb: process.memoryUsage().rss / 2 ** 20 });
  const rl = (await import('node:readline')).createInterface({ input: process.stdin });
  for await (const line of rl) {
    const [cmd, arg] = line.split(' ');
    if (cmd === 'export') {
      // The unsigned content (SOA, NS, DS, glue) for the reference signers, and the signed zone for knotd.
      const { createWriteStream } = await import('node:fs');
      const write = async (file: string, pick: (rr: RR) => boolean) => {
        const ws = createWriteStream(file);
        for (const rr of az.records()) if (pick(rr) && !ws.write(rrText(rr) + '\n')) await new Promise<void>((r) => ws.once('drain', () => r()));
        await new Promise<void>((r) => ws.end(() => r()));
      };
      await write(`${arg}/az.zone`, (rr) => !SIGNING_TYPES.has(rr.type));
      await write(`${arg}/az.signed`, () => true);
      say({ event: 'exported' });
    } else if (cmd === 'publish') {
      const p0 = performance.now();
      await dns.publish();
      const last = az.journal[az.journal.length - 1];
      say({ event: 'published', ms: performance.now() - p0, removed: last?.removed.length ?? 0, added: last?.added.length ?? 0, delegations: az.cuts.size });
    } else break;
  }
  await dns.close();
  await db.close();
}

async function scale(size: number, seconds: number, lines: string[], notes: string[]): Promise<void> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const scratch = await scratchDatabase('dns');
  const tmp = scratch.tmp;
  const children: ChildProcess[] = [];
  try {
    const { openDatabase } = await import('../src/db/connect.ts');
    const { Registry } = await import('../src/core/registry.ts');
    const { migrateAndSeedBase } = await import('../src/server/bootstrap.ts');
    const { createRegistrar } = await import('../src/core/registrars.ts');
    const { createContact } = await import('../src/core/contacts.ts');
    const { createHost } = await import('../src/core/hosts.ts');
    const { creditRegistrar } = await import('../src/billing/accounts.ts');
    const { cliActor } = await import('../src/core/actor.ts');
    const db = await openDatabase({ databaseUrl: scratch.url, poolSize: 4 });
    const reg = new Registry(db, { tld: 'az' });
    await migrateAndSeedBase(reg);
    await createRegistrar(reg, cliActor, { id: 'bench-reg', name: 'Bench Registrar MMC', email: 'ops@bench.example.az', password: 'Bench-Pass-1', phone: '+994.124000000', address: 'Bakı', url: 'https://bench.example.az' });
    await creditRegistrar(reg, cliActor, { registrarId: 'bench-reg', amount: 1e13 });
    const actor = { type: 'registrar' as const, registrarId: 'bench-reg' };
    await createContact(reg, actor, { handle: 'bench-owner', kind: 'natural', givenName: 'Bench', familyName: 'Owner', city: 'Bakı', cc: 'AZ', email: 'owner@bench.example.az', street: ['1 Bench st'] });
    for (const h of ['ns1.bench-dns.net', 'ns2.bench-dns.net']) await createHost(reg, actor, { name: h });
    const owner = await reg.db.selectFrom('contacts').select('id').where('handle', '=', 'bench-owner').executeTakeFirstOrThrow();
    log(`growing the registry to ${size} delegations (5% with DS)...`);
    await growZone(scratch.url, owner.id, size);

    // Ours, NSEC3 opt-out: build + sign from the database, serve, 1,000 changes.
    const runChild = async (denial: string, work: (send: (cmd: string) => Promise<Record<string, number>>, built: Record<string, number>) => Promise<void>) => {
      const out = path.join(tmp, `time-${denial}`);
      const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=8192`.trim() };
      const p = spawn('/usr/bin/time', ['-f', '%e %M', '-o', out, process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', scratch.url, denial],
        { stdio: ['pipe', 'pipe', 'inherit'], env });
      children.push(p);
      const rl = (await import('node:readline')).createInterface({ input: p.stdout! });
      const it = rl[Symbol.asyncIterator]();
      const next = async () => { const r = await it.next(); if (r.done) throw new Error(`our ${denial} build stopped`); return JSON.parse(r.value) as Record<string, number>; };
      const built = await next();
      await work(async (cmd) => { p.stdin!.write(cmd + '\n'); return next(); }, built);
      p.stdin!.end('exit\n');
      await new Promise((r) => p.once('exit', r));
      const [sec, rss] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ');
      return { built, seconds: Number(sec), rssKb: Number(rss) };
    };
    const zoneDir = path.join(tmp, 'zone');
    mkdirSync(zoneDir);
    const rounds = 3;
    const perf = { ours: [] as number[], knot: [] as number[], lostOurs: 0, lostKnot: 0 };
    const qpsOf = (x: string) => Number(/Queries per second:\s+([\d.]+)/.exec(x)?.[1] ?? NaN);
    const lostOf = (x: string) => /Queries lost:\s+(\d+)/.exec(x)?.[1] ?? '?';
    let published: Record<string, number> = {};
    log('ours: nsec3-optout build + sign...');
    const ours3 = await runChild('nsec3-optout', async (send, built) => {
      log(`  built in ${(built.totalMs! / 1000).toFixed(1)} s; exporting the zone files...`);
      await send(`export ${zoneDir}`);
      const queries = writeQueries(tmp, size);
      // knotd serving our signed zone (no signing; no RRL module: Knot's response rate limiting is the rrl
      // module, off unless configured) while ours keeps serving; dnsperf asks them in turn, `rounds` times,
      // so that both see the same load from the rest of the (shared) machine.
      log('  knotd loading our signed zone...');
      const { kport, knot } = await knotServing(tmp, path.join(zoneDir, 'az.signed'), children);
      const each = Math.max(2, Math.round(seconds / 2));
      for (let r = 0; r < rounds; r++) {
        const a = await dnsperf(built.port!, queries, each);
        const k = await dnsperf(kport, queries, each);
        perf.ours.push(qpsOf(a)); perf.knot.push(qpsOf(k));
        perf.lostOurs += Number(lostOf(a)) || 0; perf.lostKnot += Number(lostOf(k)) || 0;
        log(`  dnsperf round ${r + 1}: ours ${qpsOf(a).toFixed(0)}, knotd ${qpsOf(k).toFixed(0)} (load ${os.loadavg()[0]!.toFixed(1)})`);
      }
      knot.kill('SIGTERM');
      log('  1,000 creates through the core...');
      for (let i = 0; i < 1000; i++) {
        const res = await createDomain(reg, actor, { name: `inc-${i}.az`, registrant: 'bench-owner', hosts: ['ns1.bench-dns.net', 'ns2.bench-dns.net'],
          ...(i % 20 === 0 ? { ds: [{ keyTag: i, algorithm: 13, digestType: 2, digest: 'AB'.repeat(32) }] } : {}) });
        if (res.status !== 'created') throw new Error('create failed');
      }
      published = await send('publish');
    });
    await db.close();

    // References: the same unsigned zone file, the same parameters.
    const unsigned = path.join(zoneDir, 'az.zone');
    const rrCount = Number(spawnSync('wc', ['-l', unsigned], { encoding: 'utf8' }).stdout.split(' ')[0]);
    const ks = (mode: 'nsec3-optout' | 'nsec') => {
      const dir = path.join(tmp, `knot-${mode}`);
      mkdirSync(path.join(dir, 'out'), { recursive: true });
      writeFileSync(path.join(dir, 'knot.conf'), [
        'database:', `    storage: "${dir}"`,
        'policy:', '  - id: bench', '    algorithm: ecdsap256sha256', '    rrsig-lifetime: 14d', '    rrsig-refresh: 7d',
        ...(mode === 'nsec' ? ['    nsec3: off'] : ['    nsec3: on', '    nsec3-opt-out: on', '    nsec3-iterations: 0', '    nsec3-salt-length: 0']),
        'zone:', '  - domain: az', `    file: "${unsigned}"`, '    dnssec-signing: on', '    dnssec-policy: bench', '',
      ].join('\n'));
      return timed('kzonesign', ['-c', path.join(dir, 'knot.conf'), '-o', path.join(dir, 'out'), 'az']);
    };
    const bind = (mode: 'nsec3-optout' | 'nsec') => {
      const dir = path.join(tmp, `bind-${mode}`);
      mkdirSync(dir);
      spawnSync('dnssec-keygen', ['-q', '-a', 'ECDSAP256SHA256', '-K', dir, 'az']);
      spawnSync('dnssec-keygen', ['-q', '-a', 'ECDSAP256SHA256', '-f', 'KSK', '-K', dir, 'az']);
      return timed('dnssec-signzone', ['-P', '-S', '-K', dir, '-o', 'az', '-e', '+1209600', '-f', path.join(dir, 'az.signed'),
        ...(mode === 'nsec' ? [] : ['-3', '-', '-H', '0', '-A']), unsigned], { cwd: dir }); // its dsset-az. file goes to the cwd
    };
    const ref = async (name: string, run: () => Promise<Timed>) => {
      log(`${name}...`);
      const r = await run();
      if (r.code !== 0) throw new Error(`${name} failed: ${r.stderr}`);
      log(`  ${r.seconds} s, peak RSS ${(r.rssKb / 1024).toFixed(0)} MB (load ${os.loadavg()[0]!.toFixed(1)})`);
      return r;
    };
    log(`  ours: ${JSON.stringify(ours3.built)}; peak RSS ${(ours3.rssKb / 1024).toFixed(0)} MB; 1,000 changes ${JSON.stringify(published)}`);
    const k3 = await ref('kzonesign nsec3-optout', () => ks('nsec3-optout'));
    const b3 = await ref('dnssec-signzone -P nsec3-optout', () => bind('nsec3-optout'));

    log('ours: nsec build + sign...');
    const ours1 = await runChild('nsec', async () => {});
    log(`  ours nsec: ${JSON.stringify(ours1.built)}; peak RSS ${(ours1.rssKb / 1024).toFixed(0)} MB`);
    const k1 = await ref('kzonesign nsec', () => ks('nsec'));
    const b1 = await ref('dnssec-signzone -P nsec', () => bind('nsec'));

    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
    const s = (x: number) => `${x.toFixed(1)} s`;
    const b = ours3.built; const b1n = ours1.built;
    lines.push(
      `| full build + sign from PostgreSQL, NSEC3 opt-out (domen) | ${s(b.totalMs! / 1000)} (reading ${s(b.readMs! / 1000)}, signing ${s(b.signMs! / 1000)}) | peak RSS ${mb(ours3.rssKb)} (whole process: build, serve, 1,000 changes) |`,
      `| kzonesign, NSEC3 opt-out, same zone file | ${s(k3.seconds)} | peak RSS ${mb(k3.rssKb)} |`,
      `| dnssec-signzone -P, NSEC3 opt-out, same zone file | ${s(b3.seconds)} | peak RSS ${mb(b3.rssKb)} |`,
      `| full build + sign from PostgreSQL, NSEC (domen) | ${s(b1n.totalMs! / 1000)} (reading ${s(b1n.readMs! / 1000)}, signing ${s(b1n.signMs! / 1000)}) | peak RSS ${mb(ours1.rssKb)} |`,
      `| kzonesign, NSEC, same zone file | ${s(k1.seconds)} | peak RSS ${mb(k1.rssKb)} |`,
      `| dnssec-signzone -P, NSEC, same zone file | ${s(b1.seconds)} | peak RSS ${mb(b1.rssKb)} |`,
      `| apply + sign 1,000 creates through the core (5% DS) as one difference, on the ${size.toLocaleString('en')}-delegation zone | ${published.ms!.toFixed(0)} ms (${published.removed} RRs removed, ${published.added} added) | |`,
      `| queries/s, domen server (dnsperf, DO bit; mean of ${rounds} rounds of ${Math.max(2, Math.round(seconds / 2))} s, in turn with knotd) | ${mean(perf.ours).toFixed(0)} (rounds ${perf.ours.map((x) => x.toFixed(0)).join(', ')}; lost ${perf.lostOurs}) | ÷ knotd ${(mean(perf.ours) / mean(perf.knot)).toFixed(2)} (rounds ${perf.ours.map((x, i) => (x / perf.knot[i]!).toFixed(2)).join(', ')}) |`,
      `| queries/s, knotd serving our signed zone (same rounds) | ${mean(perf.knot).toFixed(0)} (rounds ${perf.knot.map((x) => x.toFixed(0)).join(', ')}; lost ${perf.lostKnot}) | |`,
    );
    notes.push(`- Zone: ${size.toLocaleString('en')} delegations (+ ${b.delegations! - size} from the registry's own zones), each with 2 external NS, every 20th with a DS; the unsigned zone file has ${rrCount.toLocaleString('en')} lines.`,
      `- ${spawnSync('kzonesign', ['-V'], { encoding: 'utf8' }).stdout.trim()}; ${spawnSync('dnssec-signzone', ['-V'], { encoding: 'utf8' }).stderr.trim() || spawnSync('dnssec-signzone', ['-V'], { encoding: 'utf8' }).stdout.trim()}; ${spawnSync('dnsperf', ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? 'dnsperf'}.`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await scratch.drop();
  }
}

/** dnsperf's query file: 80% existing delegations, 10% names below them, 10% names that do not exist. */
function writeQueries(tmp: string, size: number): string {
  const out: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const n = Math.floor(Math.random() * size);
    const r = i % 10;
    out.push(r < 8 ? `b${n}.az A` : r === 8 ? `www.b${n}.az A` : `nx${n}.az A`);
  }
  const file = path.join(tmp, 'queries.txt');
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

async function dnsperf(port: number, file: string, seconds: number): Promise<string> {
  const r = await runProcess('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(seconds), '-D', '-q', '200', '-c', '4']);
  if (!/Queries per second/.test(r.stdout)) throw new Error(`dnsperf failed: ${r.stdout} ${r.stderr}`);
  return r.stdout;
}

// ---- queries/s only, on a synthetic zone ---------------------------------------------------------------
// The zone of scale() (b0.az ... with two external NS each, every 20th with a DS, NSEC3 opt-out) built and
// signed in memory, without PostgreSQL: minutes less per run, so that a change to the server can be
// measured A/B, back to back, at a reduced size. Each server runs in a process of its own (this file with
// `--serve-synthetic`), as the service would.

/** The child: builds and signs the synthetic zone, writes it (when asked) for knotd, serves it until stdin ends. */
async function serveSynthetic(args: string[]): Promise<void> {
  const [sizeArg, zoneFile] = args as [string, string | undefined];
  const size = Number(sizeArg);
  const { createPrivateKey } = await import('node:crypto');
  const { createWriteStream } = await import('node:fs');
  const { Zone } = await import('../src/dns/zone-model.ts');
  const { generateKey } = await import('../src/dns/keys.ts');
  const { signZoneParallel } = await import('../src/dns/sign.ts');
  const { ZoneStore, startDns } = await import('../src/dns/server.ts');
  const { T, rdataA, rdataDs, rdataName, rdataSoa } = await import('../src/dns/wire.ts');
  const t0 = performance.now();
  const z = new Zone('az');
  z.denial = 'nsec3-optout';
  const ttl = 3600;
  z.serial = 2026112301;
  z.add('az', T.SOA, ttl, rdataSoa({ mname: 'ns1.nic.az', rname: 'hostmaster.nic.az', serial: z.serial, refresh: 1800, retry: 900, expire: 1209600, minimum: 3600 }));
  for (const n of ['ns1.nic.az', 'ns2.dns-ext.net']) { z.add('az', T.NS, ttl, rdataName(n)); z.add('nic.az', T.NS, ttl, rdataName(n)); }
  z.add('ns1.nic.az', T.A, ttl, rdataA('127.0.0.1'));
  const ns = [rdataName('ns1.bench-dns.net'), rdataName('ns2.bench-dns.net')];
  for (let i = 0; i < size; i++) {
    const name = `b${i}.az`;
    for (const r of ns) z.add(name, T.NS, ttl, r);
    if (i % 20 === 0) z.add(name, T.DS, ttl, rdataDs(i % 65536, 13, 2, Buffer.alloc(32, i & 0xff)));
  }
  const key = (role: 'ksk' | 'zsk', id: number) => {
    const g = generateKey('az', role);
    return { id, zone: 'az', role, algorithm: 13, flags: g.flags, keyTag: g.keyTag, publicKey: g.publicKey, privateKey: createPrivateKey(g.privatePem), state: 'active', dnskey: g.dnskey };
  };
  await signZoneParallel(z, [key('ksk', 1), key('zsk', 2)], { now: new Date(), validity: 14 * 86400, cds: true });
  const store = new ZoneStore();
  store.set(z);
  const server = await startDns(store, { host: '127.0.0.1', port: 0 });
  if (zoneFile) {
    const ws = createWriteStream(zoneFile);
    for (const rr of z.records()) if (!ws.write(rrText(rr) + '\n')) await new Promise<void>((r) => ws.once('drain', () => r()));
    await new Promise<void>((r) => ws.end(() => r()));
  }
  process.stdout.write(JSON.stringify({ port: server.port, buildMs: performance.now() - t0, rssMb: process.memoryUsage().rss / 2 ** 20 }) + '\n');
  const rl = (await import('node:readline')).createInterface({ input: process.stdin });
  for await (const line of rl) if (line === 'exit') break;
  await server.close();
  process.stdout.write(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

async function queriesOnly(size: number, seconds: number, rounds: number, outFile: string): Promise<void> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  for (const tool of ['knotd', 'dnsperf']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed (apt-get install knot dnsperf)`);
  }
  const load0 = os.loadavg()[0]!;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-bench-dnsq-'));
  const children: ChildProcess[] = [];
  try {
    const zoneFile = path.join(tmp, 'az.signed');
    const serve = async (label: string, env: NodeJS.ProcessEnv, withFile: boolean) => {
      const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve-synthetic', String(size), ...(withFile ? [zoneFile] : [])],
        { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
      children.push(p);
      const rl = (await import('node:readline')).createInterface({ input: p.stdout! });
      const it = rl[Symbol.asyncIterator]();
      const next = async () => { const r = await it.next(); if (r.done) throw new Error(`${label} stopped`); return JSON.parse(r.value) as Record<string, number>; };
      const started = await next();
      log(`  ${label}: built and signed in ${(started.buildMs! / 1000).toFixed(1)} s, RSS ${started.rssMb!.toFixed(0)} MB, port ${started.port}`);
      return { port: started.port!, stop: async () => { p.stdin!.end('exit\n'); const r = await next(); await new Promise((res) => p.once('exit', res)); return r.maxRssMb!; } };
    };
    log(`building the ${size.toLocaleString('en')}-delegation synthetic zone twice (ours with the answer cache, ours without)...`);
    const cached = await serve('ours (answer cache)', {}, true);
    const uncached = await serve('ours (no answer cache)', { DOMEN_DNS_ANSWER_CACHE: '0' }, false);
    const { kport, knot } = await knotServing(tmp, zoneFile, children);
    const queries = writeQueries(tmp, size);
    const qpsOf = (x: string) => Number(/Queries per second:\s+([\d.]+)/.exec(x)?.[1] ?? NaN);
    const lostOf = (x: string) => Number(/Queries lost:\s+(\d+)/.exec(x)?.[1] ?? NaN);
    const res = { cached: [] as number[], uncached: [] as number[], knot: [] as number[], lost: [0, 0, 0], load: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      const a = await dnsperf(cached.port, queries, seconds);
      const b = await dnsperf(uncached.port, queries, seconds);
      const k = await dnsperf(kport, queries, seconds);
      res.cached.push(qpsOf(a)); res.uncached.push(qpsOf(b)); res.knot.push(qpsOf(k));
      [a, b, k].forEach((x, i) => { res.lost[i]! += lostOf(x) || 0; });
      res.load.push(os.loadavg()[0]!);
      log(`  round ${r + 1}: ours ${qpsOf(a).toFixed(0)}, ours without the cache ${qpsOf(b).toFixed(0)}, knotd ${qpsOf(k).toFixed(0)} (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
    const knotRss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${knot.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
    knot.kill('SIGTERM');
    const rssCached = await cached.stop();
    const rssUncached = await uncached.stop();
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    const row = (label: string, xs: number[], lost: number, rss: number) =>
      `| ${label} | ${mean(xs).toFixed(0)} (rounds ${xs.map((x) => x.toFixed(0)).join(', ')}; lost ${lost}) | ${(mean(xs) / mean(res.knot)).toFixed(2)} (rounds ${xs.map((x, i) => (x / res.knot[i]!).toFixed(2)).join(', ')}) | ${rss.toFixed(0)} MB |`;
    const out = [
      '# DNS benchmark: queries/s on a synthetic signed zone', '',
      `Written by \`npm run bench -- dns --queries-only --size ${size} --seconds ${seconds} --rounds ${rounds}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`, '',
      `- Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; 1-minute load average before ${load0.toFixed(2)}, after each round ${res.load.map((l) => l.toFixed(2)).join(', ')} (other work shares the machine)`,
      `- ${spawnSync('knotd', ['-V'], { encoding: 'utf8' }).stdout.trim()} loading the zone file our server wrote; ${spawnSync('dnsperf', ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? 'dnsperf'}`,
      `- Zone: ${size.toLocaleString('en')} delegations under az built in memory (2 external NS each, every 20th with a DS), NSEC3 opt-out, signed (ECDSA P-256)`,
      '- dnsperf -D (DO bit), 200 outstanding, 4 sockets, 20,000 queries: 80% existing delegations, 10% names below one, 10% names that do not exist',
      '- "ours" and "ours without the answer cache" are the same server (DOMEN_DNS_ANSWER_CACHE=0 for the second); all three are asked in turn each round.', '',
      '| server | queries/s | ÷ knotd | peak RSS |', '|---|---:|---|---:|',
      row('ours, answer cache', res.cached, res.lost[0]!, rssCached),
      row('ours, no answer cache (every answer built)', res.uncached, res.lost[1]!, rssUncached),
      row('knotd', res.knot, res.lost[2]!, knotRss),
    ];
    writeFileSync(outFile, out.join('\n') + '\n');
    console.log(out.join('\n'));
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child' && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await child(process.argv.slice(3));
}
if (process.argv[2] === '--serve-synthetic' && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await serveSynthetic(process.argv.slice(3));
}
