// Opens the registry database: PostgreSQL when DOMEN_DATABASE_URL is set, otherwise the embedded PGlite
// under DOMEN_DATA_DIR. Both give the same Kysely<Database>, so every query is written once.
import { mkdirSync, openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type DbKind = 'pglite' | 'postgres';

export interface Db {
  readonly kind: DbKind;
  readonly db: Kysely<Database>;
  /** Where the data lives, for people: a directory or a URL without its password. */
  readonly location: string;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  /** PGlite only: a consistent copy of the whole data directory (a tarball), taken between transactions. */
  snapshot?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DbConfig {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  /** PGlite only: start from this snapshot (see Db.snapshot) instead of an empty cluster. */
  loadDataDir?: Blob | undefined;
}

const INT8 = 20;
const DATE = 1082;

// bigint ids fit in a JS number for any registry this size; dates stay civil 'YYYY-MM-DD' strings.
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return { databaseUrl: env.DOMEN_DATABASE_URL || undefined, dataDir: env.DOMEN_DATA_DIR || './data' };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

export async function openDatabase(config: DbConfig): Promise<Db> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.poolSize ?? 10);
  return openPglite(config.dataDir ?? './data', config.loadDataDir);
}

async function openPostgres(url: string, max: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    location: redactUrl(url),
    async exec(script) {
      const client = await pool.connect();
      try {
        await client.query(script);
      } catch (err) {
        // A script that opened a transaction and failed leaves it aborted: end it before the client goes back.
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() { await db.destroy(); },
  };
}

/**
 * PGlite must be opened by one process at a time: a second one would corrupt it. A lock file with the
 * holder's PID says who has it; a lock left by a dead process is taken over.
 */
function lockDataDir(dir: string): () => void {
  const lock = path.join(dir, 'domen.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => { try { if (readFileSync(lock, 'utf8') === String(process.pid)) unlinkSync(lock); } catch { /* gone */ } };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8'));
      let running = false;
      try { process.kill(pid, 0); running = true; } catch (k) { running = (k as NodeJS.ErrnoException).code === 'EPERM'; }
      if (running) {
        throw new Error(`the embedded database in ${dir} is in use by process ${pid}; while 'domen serve' runs, the CLI forwards to it (or set DOMEN_DATABASE_URL)`);
      }
      unlinkSync(lock);
    }
  }
  throw new Error(`could not lock ${dir}`);
}

export async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Db> {
  let target = 'memory://';
  let unlock = () => {};
  if (dataDir !== 'memory://') {
    target = path.resolve(dataDir, 'pglite');
    mkdirSync(target, { recursive: true });
    unlock = lockDataDir(path.resolve(dataDir));
  }
  let pglite: PGlite;
  try {
    // Loaded only here: a process on PostgreSQL (every CLI command there) does not pay for it.
    const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
    pglite = await PGliteClass.create(target, { ...(loadDataDir ? { loadDataDir } : {}), parsers: { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v } });
  } catch (err) {
    unlock();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    location: target,
    async exec(script) {
      // Through Kysely's connection, so it queues behind any open transaction.
      await db.connection().execute(async () => {
        try {
          await pglite.exec(script);
        } catch (err) {
          await pglite.exec('rollback').catch(() => {});
          throw err;
        }
      });
    },
    async snapshot() {
      return db.connection().execute(() => pglite.dumpDataDir('none'));
    },
    async close() { await db.destroy(); await pglite.close(); unlock(); },
  };
}
