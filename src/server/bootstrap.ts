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

export async function migrateAndSeedBase(reg: Registry): Promise<string[]> {
  const applied = await migrate(reg.database);
  await seedBase(reg);
  return applied;
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const done = await appliedMigrations(db);
  return listMigrations().filter((m) => !done.has(m.version)).map((m) => m.file);
}
