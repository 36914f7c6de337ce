// `npm run bench -- dns [--changes 200] [--rate 20] [--batch 1000]`: incremental DNS publication.
// - latency from a committed create (through the core) to the answer of a real knotd secondary on
//   loopback that follows us by NOTIFY + IXFR: p50/p99 over --changes creates at --rate per second;
// - the time to apply and sign one batch of --batch changes as one difference (publish() with the poller off).
// On PostgreSQL when DOMEN_TEST_DATABASE_URL is set, else on PGlite (the test registry helpers).
// Results: bench/results/dns.md. Needs knotd (Debian package knot).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { changes: { type: 'string', default: '200' }, rate: { type: 'string', default: '20' }, batch: { type: 'string', default: '1000' } } });
  const changes = Number(values.changes); const rate = Number(values.rate); const batch = Number(values.batch);
  if (spawnSync('sh', ['-c', 'command -v knotd']).status !== 0) throw new Error('knotd is not installed (apt-get install knot knot-dnsutils)');
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
    console.log(lines.join('\n'));
    console.log(`achieved rate ${achieved.toFixed(1)}/s`);
    const out = [
      '# DNS benchmark: incremental publication', '',
      `Written by \`npm run bench -- dns\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, on ${onPostgres ? 'PostgreSQL' : 'PGlite (embedded)'}.`, '',
      `- Machine: ${os.cpus().length} cores, Node ${process.version}; 1-minute load average before / after: ${load0.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)}`,
      `- knotd ${spawnSync('knotd', ['-V'], { encoding: 'utf8' }).stdout.trim()} as a secondary on loopback (NOTIFY from us, IXFR), our publisher polling the outbox every 50 ms; achieved create rate ${achieved.toFixed(1)}/s`,
      '- Target of issue 5: p99 < 2 s from commit to the answer at the secondary.', '',
      '| measure | result |', '|---|---|', ...lines, '',
      '## What is measured', '',
      '- **commit → knotd answer**: `createDomain` through the core (one transaction, outbox event); the time from its return to the first',
      '  answer of knotd with the referral for the new name (UDP queries every 50 ms). In between: the outbox poll, the difference',
      '  (NS and, for DS, the NSEC3 records; re-signing only those RRsets and the SOA), the journal row, NOTIFY, knotd\'s IXFR.',
      '- **apply + sign one batch**: the creates committed with the poller off, then one `publish()`: read the outbox, read the',
      '  changed delegations, apply, sign, write the journal row.',
      '- Not measured here yet (issue 5): the 1,000,000-delegation full build beside kzonesign and dnssec-signzone, and dnsperf',
      '  against knotd.',
    ];
    writeFileSync(path.join(here, 'results', 'dns.md'), out.join('\n') + '\n');
  } finally {
    if (knot && knot.exitCode === null) knot.kill('SIGTERM');
    await t.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
