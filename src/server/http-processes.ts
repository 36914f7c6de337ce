// DOMEN_HTTP_PROCESSES=N: `domen serve` runs its HTTP service (RDAP, the portals, the API) in N processes sharing
// one port through node:cluster, for the throughput of RDAP cache hits (bench/results/rdap.md). Each process has
// its own connection pool and its own RDAP answer cache, kept correct from the outbox like separate nodes; EPP,
// WHOIS, DNS, notify and the worker stay in the primary, once. PostgreSQL only: the embedded database is open in
// one process. A process that dies is started again after a second; the primary stops them all on SIGINT/SIGTERM.
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';

/** The message a process sends when it listens ('ready') or could not start ({ error }); 'stop' asks it to close. */
export type HttpProcessMessage = 'ready' | { error: string };

export interface HttpProcessesOptions {
  count: number;
  /** The module each process runs (default: src/server/http-process.ts, the HTTP service of `domen serve`). */
  exec?: string;
  /** Added to each process's environment (beside DOMEN_HTTP_PROCESSES=count). */
  env?: Record<string, string>;
  /** Start a process again when one dies after start-up (default true). */
  restart?: boolean;
  log?: (line: string) => void;
}

export interface HttpProcesses {
  pids(): number[];
  /** Asks every process to close (in-flight requests end), waits up to 10 s, then kills what is left. */
  close(): Promise<void>;
}

/** The processes run TypeScript too: through tsx, whichever way this one was started (bin/domen.js registers it in-process). */
function execArgv(): string[] {
  const args = process.execArgv;
  return args.some((a) => a.includes('tsx')) ? args : [...args, '--import', import.meta.resolve('tsx')];
}

/** Forks `count` processes and resolves once all of them listen; rejects (stopping the others) if one cannot start. */
export async function startHttpProcesses(opts: HttpProcessesOptions): Promise<HttpProcesses> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  cluster.setupPrimary({ exec: opts.exec ?? fileURLToPath(new URL('./http-process.ts', import.meta.url)), execArgv: execArgv() });
  const env = { ...opts.env, DOMEN_HTTP_PROCESSES: String(opts.count) };
  const live = new Set<Worker>();
  let stopping = false;

  const fork = (): Promise<void> => new Promise((resolve, reject) => {
    const w = cluster.fork(env);
    live.add(w);
    let started = false;
    w.on('message', (m: HttpProcessMessage) => {
      if (m === 'ready') { started = true; resolve(); } else if (typeof m === 'object' && m && 'error' in m) reject(new Error(`an HTTP process could not start: ${m.error}`));
    });
    w.once('exit', (code, signal) => {
      live.delete(w);
      if (!started) { reject(new Error(`an HTTP process exited while starting (${signal ?? code})`)); return; }
      if (stopping || opts.restart === false) return;
      log(`http: process ${w.process.pid} exited (${signal ?? code}); starting another in 1 s`);
      setTimeout(() => {
        if (!stopping) fork().catch((e: Error) => log(`http: ${e.message}; trying again on the next exit`));
      }, 1000).unref();
    });
  });

  const close = async (): Promise<void> => {
    stopping = true;
    await Promise.all([...live].map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) { resolve(); return; }
      const t = setTimeout(() => { w.process.kill('SIGKILL'); }, 10_000);
      w.once('exit', () => { clearTimeout(t); resolve(); });
      if (w.isConnected()) w.send('stop', (err: Error | null) => { if (err) w.process.kill('SIGTERM'); });
      else w.process.kill('SIGTERM');
    })));
  };

  try {
    await Promise.all(Array.from({ length: opts.count }, () => fork()));
  } catch (e) {
    await close();
    throw e;
  }
  return { pids: () => [...live].map((w) => w.process.pid!).filter(Boolean), close };
}
