// Entry point of `npx domen`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DbConfig } from '../db/connect.ts';
import type { Registry } from '../core/registry.ts';
import { CliExit, CliRestart, type CliContext } from './context.ts';
import { forwardToServer, lockHolder, runningServer } from './forward.ts';

const argv = process.argv.slice(2);
// As configFromEnv() in src/db/connect.ts, without loading the database drivers: a command forwarded to a running
// server needs none of them, and starts in a fraction of the time.
const config: DbConfig = { databaseUrl: process.env.DOMEN_DATABASE_URL || undefined, dataDir: process.env.DOMEN_DATA_DIR || './data' };
const dataDir = path.resolve(config.dataDir ?? './data');
const serving = argv[0] === 'serve' || argv[0] === 'start';
const local = new Set(['serve', 'start', 'help', '--help', '-h', undefined]);

/** How long a command waits for another process to let go of the embedded database. */
const LOCK_WAIT_MS = 60_000;
const started = Date.now();
const remaining = () => Math.max(0, started + LOCK_WAIT_MS - Date.now());
let told = false;
function waiting(pid: number): void {
  if (told) return;
  told = true;
  process.stderr.write(`waiting for process ${pid}, which has the embedded database in ${dataDir} open...\n`);
}

/**
 * On the embedded database: forwards the command to a running server, or waits (bounded) while another
 * process holds the database: a short CLI command, or a server still migrating or loading its demo data,
 * which the command is then forwarded to. Returns the exit code when the command ran in the server.
 */
async function forwardOrWait(): Promise<number | null> {
  if (serving) {
    const running = runningServer(dataDir);
    if (running) throw new CliExit(1, `domen serve is already running on ${dataDir} (process ${running.pid}${running.http ? `, ${running.http}` : ''})`);
  }
  for (;;) {
    if (!serving) {
      const forwarded = await forwardToServer(dataDir, argv, process.cwd());
      if (forwarded) {
        process.stdout.write(forwarded.stdout);
        process.stderr.write(forwarded.stderr);
        return forwarded.exitCode;
      }
    }
    const holder = lockHolder(dataDir);
    // Past the deadline the command goes on, and opening the database says who holds it.
    if (holder === null || remaining() === 0) return null;
    if (Date.now() - started > 1000) waiting(holder);
    await sleep(200);
  }
}

/** Runs the command in this process; the database is opened when the command asks for it. */
async function runHere(): Promise<number> {
  let registry: Registry | null = null;
  const ctx: CliContext = {
    io: { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
    cwd: process.cwd(),
    inServer: false,
    async registry(opts = {}) {
      if (!registry) {
        // Do not create an empty database as a side effect of a mistyped DOMEN_DATA_DIR or working directory.
        if (!config.databaseUrl && opts.requireSchema !== false && !existsSync(path.join(dataDir, 'pglite'))) {
          throw new CliExit(1, `there is no registry database in ${dataDir}: run 'npx domen migrate' to create one (or 'npm start' for a demo registry), or set DOMEN_DATA_DIR`);
        }
        const { openRegistryWhenFree, pendingMigrations } = await import('../server/bootstrap.ts');
        // Another command may have taken the database between the check above and here: wait for it, or for a
        // server that took it to be ready, and forward to that.
        registry = await openRegistryWhenFree(config, remaining(), {
          waiting,
          interrupt: () => (runningServer(dataDir) ? new CliRestart() : null),
        });
        if (opts.requireSchema !== false) {
          const pending = await pendingMigrations(registry.database);
          if (pending.length) throw new CliExit(1, `the database schema is not up to date (${pending.join(', ')} pending): run 'npx domen migrate'`);
        }
      }
      return registry;
    },
  };
  try {
    const { runCli } = await import('./program.ts');
    return await runCli(argv, ctx);
  } finally {
    const r = registry as Registry | null;
    if (r && !serving) {
      // The audit entries of this command are sealed before the database closes (src/audit/chain.ts).
      await (await import('../audit/chain.ts')).sealerIdle(r.db);
      await r.database.close();
    }
  }
}

async function main(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    if (!config.databaseUrl && (serving || !local.has(argv[0]))) {
      const code = await forwardOrWait();
      if (code !== null) return code;
    }
    try {
      return await runHere();
    } catch (err) {
      if (err instanceof CliRestart && attempt < 3) continue;
      throw err;
    }
  }
}

/** Exits once stdout and stderr are flushed (on macOS, writes to a pipe are asynchronous). */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main().then((code) => {
  // A server keeps running after its command returns.
  if (!serving || code !== 0) exit(code);
}, (err: unknown) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  exit(1);
});
