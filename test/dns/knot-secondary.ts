// A real knotd (Debian package knot) as a secondary of our server on loopback, for the interop tests: its own
// directory and config, NOTIFY accepted only with the TSIG key, transfers from our primary with that key, and its log
// kept to count the transfers it made.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../cli/harness.ts';
import { kdig } from './setup.ts';

export const XFR_SECRET = Buffer.alloc(32, 7).toString('base64');
/** The TSIG key as kdig -y and DOMEN_DNS_TSIG take it. */
export const XFR_KEY = `hmac-sha256:xfr-key:${XFR_SECRET}`;

export interface KnotSecondary {
  port: number;
  dir: string;
  log(): string;
  /** Finished incoming transfers of each kind, from knotd's log. */
  transfers(): { axfr: number; ixfr: number };
  /** Waits (bounded) until knotd serves `zone` with `serial`; returns its last SOA answer. */
  waitSerial(zone: string, serial: number | null, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

/** knotd for `zone`, taking it from our primary at `primaryPort`; pick `port` first to put it in our NOTIFY list. */
export async function startKnot(opts: { zone: string; primaryPort: number; port?: number }): Promise<KnotSecondary> {
  const port = opts.port ?? await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'domen-knot-'));
  for (const d of ['run', 'db', 'zones']) mkdirSync(path.join(dir, d));
  const conf = path.join(dir, 'knot.conf');
  writeFileSync(conf, [
    'server:',
    `    rundir: "${dir}/run"`,
    `    listen: 127.0.0.1@${port}`,
    'database:',
    `    storage: "${dir}/db"`,
    'control:',
    `    listen: "${dir}/run/knot.sock"`,
    'log:',
    '  - target: stderr',
    '    any: info',
    'key:',
    '  - id: xfr-key',
    '    algorithm: hmac-sha256',
    `    secret: ${XFR_SECRET}`,
    'remote:',
    '  - id: primary',
    `    address: 127.0.0.1@${opts.primaryPort}`,
    '    key: xfr-key',
    'acl:',
    // NOTIFY must be signed with the key (RFC 8945): unsigned ones are denied.
    '  - id: notify_from_primary',
    '    address: 127.0.0.1',
    '    key: xfr-key',
    '    action: notify',
    '  - id: transfer_to_tests',
    '    address: 127.0.0.1',
    '    action: transfer',
    'template:',
    '  - id: default',
    `    storage: "${dir}/zones"`,
    '    zonefile-load: none',
    '    journal-content: none',
    'zone:',
    `  - domain: ${opts.zone}`,
    '    master: primary',
    '    acl: [notify_from_primary, transfer_to_tests]',
    '',
  ].join('\n'));
  let log = '';
  const knot: ChildProcess = spawn('knotd', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  knot.stderr!.setEncoding('utf8').on('data', (s: string) => { log += s; });
  const count = (kind: string) => (log.match(new RegExp(`${kind}, incoming, remote [^\\n]*finished`, 'g')) ?? []).length;
  return {
    port, dir,
    log: () => log,
    transfers: () => ({ axfr: count('AXFR'), ixfr: count('IXFR') }),
    async waitSerial(zone, serial, ms = 30_000) {
      const deadline = Date.now() + ms;
      let soa = '';
      while (Date.now() < deadline) {
        soa = await kdig(port, [zone, 'SOA']);
        if (/Flags: qr aa/.test(soa) && (serial === null || soa.includes(` ${serial} `))) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      return soa;
    },
    async stop() {
      if (knot.exitCode === null) {
        const exited = new Promise((r) => knot.once('exit', r));
        knot.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (knot.exitCode === null) knot.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
