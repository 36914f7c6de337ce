// A fresh, migrated registry for one test file: embedded PGlite in memory by default, or a new database on
// the PostgreSQL server named by DOMEN_TEST_DATABASE_URL (dropped again at the end).
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { migrateAndSeedBase } from '../../src/server/bootstrap.ts';

export const pgUrl = process.env.DOMEN_TEST_DATABASE_URL || '';
export const onPostgres = Boolean(pgUrl);

export interface TestRegistry { reg: Registry; clock: ManualClock; db: Db; url: string | null; close(): Promise<void> }

/** Creates an empty PostgreSQL database on the test server; returns its URL and a drop function. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `domen_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function testRegistry(opts: { start?: string; tld?: string } = {}): Promise<TestRegistry> {
  const clock = new ManualClock(opts.start ?? '2026-03-02T09:00:00Z');
  let db: Db;
  let drop = async () => {};
  let url: string | null = null;
  if (onPostgres) {
    const created = await createPgDatabase();
    url = created.url;
    drop = created.drop;
    db = await openDatabase({ databaseUrl: url, poolSize: 8 });
  } else {
    const template = templateFile(opts.tld ?? 'az', clock.now().toISOString());
    if (template && existsSync(template)) {
      db = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(template)]) });
      return { reg: new Registry(db, { clock, tld: opts.tld ?? 'az' }), clock, db, url, close: () => db.close() };
    }
    db = await openDatabase({ dataDir: 'memory://' });
    const reg = new Registry(db, { clock, tld: opts.tld ?? 'az' });
    await migrateAndSeedBase(reg);
    if (template) await saveTemplate(db, template);
    return { reg, clock, db, url, close: () => db.close() };
  }
  const reg = new Registry(db, { clock, tld: opts.tld ?? 'az' });
  await migrateAndSeedBase(reg);
  return { reg, clock, db, url, async close() { await db.close(); await drop(); } };
}

/**
 * scripts/test.js names a directory, fresh for each run, where the first test file to need a migrated and seeded
 * PGlite registry leaves a snapshot of it; the others start from that copy (about 1 s instead of 4).
 */
function templateFile(tld: string, start: string): string | null {
  const dir = process.env.DOMEN_TEST_TEMPLATE_DIR;
  return dir ? path.join(dir, `${tld}-${start.replace(/[^0-9A-Za-z]/g, '')}.tar`) : null;
}

/** Writes a PGlite snapshot of db to file (whole or not at all: other test files may read it at once); returns it. */
export async function saveTemplate(db: Db, file: string): Promise<Blob | null> {
  if (!db.snapshot) return null;
  const blob = await db.snapshot();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
  renameSync(tmp, file);
  return blob;
}
