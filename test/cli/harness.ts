// Runs the `domen` CLI the way a user does: `node bin/domen.js ...` as child processes, each test file with
// its own data directory and HTTP port. Every child is tracked and killed by cleanup(); every wait is bounded.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../../src/core/registry.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'domen.js');
/** The longest any single wait in these tests may take. */
export const WAIT_MS = 60_000;

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export interface RunOptions { cwd?: string; env?: Record<string, string>; timeoutMs?: number }

export interface Server {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has ended. */
  exited: Promise<RunResult>;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen(0, '127.0.0.1', resolve); });
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Describes a finished process for assertion messages. */
export function show(r: RunResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

export class CliHarness {
  readonly children = new Set<ChildProcess>();
  readonly tempDirs: string[] = [];
  /** The registry that cli() runs commands on, opened at the first cli() and closed before any child starts. */
  private inProcess: Registry | null = null;

  /** The WHOIS port of this harness's servers (set by create). */
  whoisPort = 0;
  /** The DNS port (UDP and TCP) of this harness's servers (set by create). */
  dnsPort = 0;

  private constructor(readonly dataDir: string, readonly port: number, readonly eppPort: number, readonly databaseUrl: string | null) {
    this.tempDirs.push(dataDir);
  }

  static async create(opts: { databaseUrl?: string } = {}): Promise<CliHarness> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'domen-cli-'));
    const h = new CliHarness(dataDir, await freePort(), await freePort(), opts.databaseUrl ?? null);
    h.whoisPort = await freePort();
    h.dnsPort = await freePort();
    return h;
  }

  async tempDir(): Promise<string> {
    const d = await mkdtemp(path.join(os.tmpdir(), 'domen-cli-x-'));
    this.tempDirs.push(d);
    return d;
  }

  /** The environment of every child: the caller's, without any DOMEN_* setting, plus this harness's. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DOMEN_') && k !== 'NODE_TEST_CONTEXT') env[k] = v;
    env.DOMEN_DATA_DIR = this.dataDir;
    env.DOMEN_HTTP_HOST = '127.0.0.1';
    env.DOMEN_HTTP_PORT = String(this.port);
    env.DOMEN_EPP_HOST = '127.0.0.1';
    env.DOMEN_EPP_PORT = String(this.eppPort);
    env.DOMEN_WHOIS_HOST = '127.0.0.1';
    env.DOMEN_WHOIS_PORT = String(this.whoisPort);
    env.DOMEN_DNS_HOST = '127.0.0.1';
    env.DOMEN_DNS_PORT = String(this.dnsPort);
    if (this.databaseUrl) env.DOMEN_DATABASE_URL = this.databaseUrl;
    return { ...env, ...extra };
  }

  private spawnNode(args: string[], opts: RunOptions): { child: ChildProcess; out: { stdout: string; stderr: string }; exited: Promise<RunResult> } {
    if (this.inProcess && !this.databaseUrl) throw new Error('call closeInProcess() before starting a child on the embedded database');
    const child = spawn(process.execPath, args, { cwd: opts.cwd ?? ROOT, env: this.env(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    const out = { stdout: '', stderr: '' };
    child.stdout!.setEncoding('utf8').on('data', (s: string) => { out.stdout += s; });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => { out.stderr += s; });
    const exited = new Promise<RunResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => { this.children.delete(child); resolve({ code, signal, ...out }); });
    });
    return { child, out, exited };
  }

  /** Runs `node bin/domen.js ...args` to its end (killed after timeoutMs). */
  async run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.runNode([BIN, ...args], opts);
  }

  /**
   * Runs one command line in this process, through the same runCli() that `bin/domen.js` and a forwarding server
   * use, on this harness's database: the command's behaviour and output without the ~2 s start of a Node process.
   * What only the process does (finding the database, forwarding, exit on signals) stays with run() and the
   * journeys in test/cli. opts.env is set in process.env for the duration of the command.
   */
  async cli(args: string[], opts: Omit<RunOptions, 'timeoutMs'> = {}): Promise<RunResult> {
    const { runCli } = await import('../../src/cli/program.ts');
    const out = { stdout: '', stderr: '' };
    const saved = new Map<string, string | undefined>();
    for (const [k, v] of Object.entries(opts.env ?? {})) { saved.set(k, process.env[k]); process.env[k] = v; }
    try {
      const code = await runCli(args, {
        io: { out: (x) => { out.stdout += x; }, err: (x) => { out.stderr += x; } },
        // Opened when the command asks for it (as bin/domen.js does): `restore` into another directory needs none.
        cwd: opts.cwd ?? ROOT, inServer: false, registry: () => this.registry(),
      });
      return { code, signal: null, ...out };
    } finally {
      for (const [k, v] of saved) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    }
  }

  /** The registry that cli() uses, opened on this harness's database if it is not open yet. */
  async registry(): Promise<Registry> {
    if (!this.inProcess) {
      const { openRegistry } = await import('../../src/server/bootstrap.ts');
      if (this.databaseUrl) this.inProcess = await openRegistry({ databaseUrl: this.databaseUrl });
      else {
        // A new embedded cluster starts as a copy of a blank one (PGlite's initdb is most of its start).
        const fresh = !existsSync(path.join(this.dataDir, 'pglite'));
        this.inProcess = await openRegistry({ dataDir: this.dataDir, ...(fresh ? { loadDataDir: await blankCluster() } : {}) });
      }
    }
    return this.inProcess;
  }

  /** Closes the registry of cli(), so that a child process can open the embedded database. */
  async closeInProcess(): Promise<void> {
    const r = this.inProcess;
    this.inProcess = null;
    if (r) await r.database.close();
  }

  /** Runs `node ...args` (a script) to its end (killed after timeoutMs). */
  async runNode(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    if (!this.databaseUrl) await this.closeInProcess();
    const { child, out, exited } = this.spawnNode(args, opts);
    const timeoutMs = opts.timeoutMs ?? WAIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`node ${args.join(' ')} did not finish in ${timeoutMs} ms\n--- stdout\n${out.stdout}--- stderr\n${out.stderr}`));
      }, timeoutMs);
    });
    try { return await Promise.race([exited, timeout]); } finally { clearTimeout(timer); }
  }

  /** Starts `serve` or `start` (or another long-running command) in the background. */
  spawnServer(args: string[], opts: RunOptions = {}): Server {
    const { child, out, exited } = this.spawnNode([BIN, ...args], opts);
    return {
      child, pid: child.pid!, port: this.port, url: `http://127.0.0.1:${this.port}`,
      stdout: () => out.stdout, stderr: () => out.stderr, exited,
    };
  }

  /** Polls GET /healthz until it answers 200; fails if the server exits first or after timeoutMs. */
  async waitForHealth(server: Server, timeoutMs = WAIT_MS): Promise<Record<string, unknown>> {
    let ended: RunResult | null = null;
    void server.exited.then((r) => { ended = r; });
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (ended) throw new Error(`the server ended before it was healthy: ${show(ended)}`);
      try {
        const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
        const body = await res.text();
        if (res.status === 200) return JSON.parse(body) as Record<string, unknown>;
        last = `${res.status} ${body}`;
      } catch (e) {
        last = (e as Error).message;
      }
      await sleep(200);
    }
    throw new Error(`GET /healthz did not answer 200 in ${timeoutMs} ms (last: ${last})\n--- stdout\n${server.stdout()}--- stderr\n${server.stderr()}`);
  }

  /** Sends SIGTERM and waits for the end (SIGKILL after timeoutMs, which fails the wait). */
  async stop(server: Server, timeoutMs = WAIT_MS): Promise<RunResult> {
    server.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { server.child.kill('SIGKILL'); reject(new Error(`the server did not stop in ${timeoutMs} ms after SIGTERM`)); }, timeoutMs);
    });
    try { return await Promise.race([server.exited, timeout]); } finally { clearTimeout(timer); }
  }

  /** Kills every child still running, then removes the temporary directories. */
  async cleanup(): Promise<void> {
    await this.closeInProcess();
    const alive = [...this.children];
    for (const c of alive) c.kill('SIGKILL');
    await Promise.all(alive.map((c) => (c.exitCode !== null || c.signalCode !== null ? null
      : new Promise<void>((resolve) => { c.once('close', () => resolve()); setTimeout(resolve, 5000).unref(); }))));
    for (const d of this.tempDirs) await rm(d, { recursive: true, force: true });
  }
}

/**
 * A blank PGlite cluster (initdb done, nothing migrated) as a tarball: made once per `npm test` run in the
 * directory scripts/test.js names, else once per process.
 */
let blank: Promise<Blob> | null = null;
function blankCluster(): Promise<Blob> {
  blank ??= (async () => {
    const dir = process.env.DOMEN_TEST_TEMPLATE_DIR;
    const file = dir ? path.join(dir, 'blank-cluster.tar') : null;
    if (file && existsSync(file)) return new Blob([readFileSync(file)]);
    const { openDatabase } = await import('../../src/db/connect.ts');
    const { saveTemplate } = await import('../helpers/registry.ts');
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const tar = file ? await saveTemplate(db, file) : await db.snapshot!();
      if (!tar) throw new Error('the embedded database gave no snapshot');
      return tar;
    } finally { await db.close(); }
  })();
  return blank;
}

/** Waits until cond() is true, polling; fails after timeoutMs. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The stdout of a `--json` command: exactly one JSON object. */
export function oneJsonObject(r: RunResult): Record<string, unknown> {
  let value: unknown;
  try { value = JSON.parse(r.stdout); } catch (e) { throw new Error(`stdout is not one JSON value (${(e as Error).message}): ${show(r)}`); }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`stdout is not a JSON object: ${show(r)}`);
  return value as Record<string, unknown>;
}
