// Opening the registry from the environment: database, schema, starter data.
import { configFromEnv, openDatabase, type Db, type DbConfig } from '../db/connect.ts';
import { appliedMigrations, listMigrations, migrate } from '../db/migrate.ts';
import type { Clock } from '../core/clock.ts';
import { Registry } from '../core/registry.ts';
import { seedBase } from '../seed/base.ts';

export async function openRegistry(config: DbConfig = configFromEnv(), clock?: Clock): Promise<Registry> {
  const db = await openDatabase(config);
  return new Registry(db, clock ? { clock } : {});
}

/**
 * The registry that public reads (RDAP, WHOIS, the whois.az pages) use when DOMEN_READ_DATABASE_URL names a
 * streaming replica: same clock and TLD as `reg`; null without one. The caller closes its database.
 */
export async function openReadRegistry(reg: Registry, url = process.env.DOMEN_READ_DATABASE_URL): Promise<Registry | null> {
  if (!url) return null;
  return new Registry(await openDatabase({ databaseUrl: url }), { clock: reg.clock, tld: reg.profile.tld });
}

/** The PID in the error of src/db/connect.ts when another process holds the embedded database, or null. */
export function lockedBy(err: unknown): number | null {
  const m = /is in use by process (\d+)/.exec(err instanceof Error ? err.message : '');
  return m ? Number(m[1]) : null;
}

export interface WaitHooks {
  /** Called once when the database has been held by another process for a second. */
  waiting?(pid: number): void;
  /** Checked between tries: an error returned here is thrown instead of waiting on. */
  interrupt?(): Error | null;
}

/**
 * openRegistry, but while another process holds the embedded database (a short CLI command, usually), tries again
 * until waitMs has passed; then the error says who holds it.
 */
export async function openRegistryWhenFree(config: DbConfig, waitMs: number, hooks: WaitHooks = {}): Promise<Registry> {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      return await openRegistry(config);
    } catch (err) {
      const pid = lockedBy(err);
      if (pid === null || Date.now() - started >= waitMs) throw err;
      const stop = hooks.interrupt?.();
      if (stop) throw stop;
      if (!told && Date.now() - started >= 1000) { hooks.waiting?.(pid); told = true; }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function migrateAndSeedBase(reg: Registry): Promise<string[]> {
  const applied = await migrate(reg.database);
  await seedBase(reg);
  return applied;
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const done = await appliedMigrations(db);
  return listMigrations().filter((m) => !done.has(m.version)).map((m) => m.file);
}
