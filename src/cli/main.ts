// Entry point of `npx domen`.
import { configFromEnv } from '../db/connect.ts';
import type { Registry } from '../core/registry.ts';
import { CliExit, type CliContext } from './context.ts';
import { forwardToServer } from './forward.ts';
import { runCli } from './program.ts';

const argv = process.argv.slice(2);
const config = configFromEnv();
const local = new Set(['serve', 'start', 'help', '--help', '-h', undefined]);

async function main(): Promise<number> {
  // On the embedded database, a running server holds it: hand the command to the server.
  if (!config.databaseUrl && !local.has(argv[0])) {
    const forwarded = await forwardToServer(config.dataDir ?? './data', argv, process.cwd());
    if (forwarded) {
      process.stdout.write(forwarded.stdout);
      process.stderr.write(forwarded.stderr);
      return forwarded.exitCode;
    }
  }
  let registry: Registry | null = null;
  const ctx: CliContext = {
    io: { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
    cwd: process.cwd(),
    inServer: false,
    async registry(opts = {}) {
      if (!registry) {
        const { openRegistry, pendingMigrations } = await import('../server/bootstrap.ts');
        registry = await openRegistry(config);
        if (opts.requireSchema !== false) {
          const pending = await pendingMigrations(registry.database);
          if (pending.length) throw new CliExit(1, `the database schema is not up to date (${pending.join(', ')} pending): run 'npx domen migrate'`);
        }
      }
      return registry;
    },
  };
  try {
    return await runCli(argv, ctx);
  } finally {
    const r = registry as Registry | null;
    if (r && argv[0] !== 'serve' && argv[0] !== 'start') await r.database.close();
  }
}

main().then((code) => {
  if (argv[0] !== 'serve' && argv[0] !== 'start') process.exit(code);
  else if (code !== 0) process.exit(code);
}, (err: unknown) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(1);
});
