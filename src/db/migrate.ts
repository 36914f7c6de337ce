// Versioned SQL migrations: src/db/migrations/NNNN_name.sql, applied in order, each in one transaction,
// recorded in schema_migrations. Each transaction takes an advisory lock and records its version first,
// so when two nodes migrate at once the second finds the version taken and skips it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db } from './connect.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 7_200_263; // any constant: 'domen migrations'

export interface Migration { version: string; file: string }

export function listMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({ version: file.slice(0, 4), file }));
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

export async function appliedMigrations(database: Db): Promise<Set<string>> {
  await database.exec('create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())');
  const rows = await database.db.selectFrom('schema_migrations').select('version').execute();
  return new Set(rows.map((r) => r.version));
}

export async function migrate(database: Db): Promise<string[]> {
  const done = await appliedMigrations(database);
  const applied: string[] = [];
  for (const m of listMigrations()) {
    if (done.has(m.version)) continue;
    const script = readFileSync(path.join(dir, m.file), 'utf8');
    try {
      await database.exec(
        `begin;\nselect pg_advisory_xact_lock(${LOCK_KEY});\ninsert into schema_migrations (version) values ('${m.version}');\n${script}\n;commit;`,
      );
      applied.push(m.file);
    } catch (err) {
      if (!isUniqueViolation(err)) throw new Error(`migration ${m.file} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return applied;
}
