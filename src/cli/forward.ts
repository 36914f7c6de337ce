// The embedded database (PGlite) is held by one process. While `domen serve` runs on it, CLI commands are
// forwarded to the server over a Unix socket in the data directory (mode 0600: only the same user) and run
// there, in the server's process, against the same database. On PostgreSQL every process connects itself.
import { existsSync, readFileSync, unlinkSync, chmodSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { createHash } from 'node:crypto';
import type { CliContext } from './context.ts';
import type { Registry } from '../core/registry.ts';

export interface ServeInfo { pid: number; socket: string; http?: string; startedAt: string }

export function serveInfoPath(dataDir: string): string { return path.resolve(dataDir, 'serve.json'); }

/** Unix socket paths are limited to ~107 bytes; a long data dir gets a socket in the temp dir instead. */
export function socketPathFor(dataDir: string): string {
  const p = path.resolve(dataDir, 'domen.sock');
  if (Buffer.byteLength(p) < 100) return p;
  return path.join(os.tmpdir(), `domen-${createHash('sha256').update(p).digest('hex').slice(0, 16)}.sock`);
}

export function readServeInfo(dataDir: string): ServeInfo | null {
  try { return JSON.parse(readFileSync(serveInfoPath(dataDir), 'utf8')) as ServeInfo; } catch { return null; }
}

/** The running server that holds the data directory, if any. */
export function runningServer(dataDir: string): ServeInfo | null {
  const info = readServeInfo(dataDir);
  return info && info.pid !== process.pid && alive(info.pid) && existsSync(info.socket) ? info : null;
}

/** Writes serve.json in one step (write, then rename), so a CLI never reads half of it. */
export function writeServeInfo(dataDir: string, info: ServeInfo): string {
  const file = serveInfoPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info));
  renameSync(tmp, file);
  return file;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * The live process, other than this one, holding the lock of the embedded database in dataDir (see
 * lockDataDir in src/db/connect.ts: the lock file holds the PID), or null.
 */
export function lockHolder(dataDir: string): number | null {
  let pid: number;
  try { pid = Number(readFileSync(path.resolve(dataDir, 'domen.lock'), 'utf8')); } catch { return null; }
  return pid !== process.pid && alive(pid) ? pid : null;
}

interface Forwarded { stdout: string; stderr: string; exitCode: number }

/** Runs argv in the server when one holds the data directory; null when there is none. */
export async function forwardToServer(dataDir: string, argv: string[], cwd: string): Promise<Forwarded | null> {
  const info = runningServer(dataDir);
  if (!info) return null;
  const body = JSON.stringify({ argv, cwd });
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: info.socket, path: '/cli', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Forwarded); } catch (e) { reject(e as Error); }
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? resolve(null) : reject(e)));
    req.end(body);
  });
}

/** The server side: a Unix-socket HTTP endpoint that runs CLI commands against the server's registry. */
export async function listenForCli(dataDir: string, registry: Registry): Promise<{ socket: string; close(): Promise<void> }> {
  // Loaded here, not at the top: a CLI that only forwards need not load the commands and the database drivers.
  const { runCli } = await import('./program.ts');
  const socket = socketPathFor(dataDir);
  if (existsSync(socket)) unlinkSync(socket);
  // One command at a time, in order: commands are short and the embedded database is single-connection anyway.
  let queue: Promise<unknown> = Promise.resolve();
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/cli') { res.writeHead(404).end(); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size > 1 << 20) req.destroy(); else chunks.push(c); });
    req.on('end', () => {
      let parsed: { argv?: unknown; cwd?: unknown };
      try { parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof parsed; } catch { res.writeHead(400).end(); return; }
      if (!Array.isArray(parsed.argv) || !parsed.argv.every((a) => typeof a === 'string') || typeof parsed.cwd !== 'string') { res.writeHead(400).end(); return; }
      const argv = parsed.argv as string[];
      const cwd = parsed.cwd;
      let stdout = '';
      let stderr = '';
      const ctx: CliContext = {
        io: { out: (s) => { stdout += s; }, err: (s) => { stderr += s; } },
        cwd, inServer: true, registry: async () => registry,
      };
      const run = queue.then(() => runCli(argv, ctx));
      queue = run.catch(() => {});
      void run.then((exitCode) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ stdout, stderr, exitCode }));
      }, (e: Error) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ stdout, stderr: `${stderr}error: ${e.message}\n`, exitCode: 1 }));
      });
    });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(socket, resolve); });
  chmodSync(socket, 0o600);
  return {
    socket,
    close: () => new Promise<void>((resolve) => server.close(() => { try { unlinkSync(socket); } catch { /* gone */ } resolve(); })),
  };
}
