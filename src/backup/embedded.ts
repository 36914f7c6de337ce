// Backup of the embedded database (PGlite): a consistent snapshot of the whole data directory, taken inside the
// process that holds it (the running server, when the CLI forwards `domen backup` to it) between two
// transactions, and a restore of such a snapshot into an empty data directory. docs/backup.md.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { openPglite, type Db } from '../db/connect.ts';

export interface SnapshotInfo { file: string; bytes: number; sha256: string }

/** Writes a snapshot of db to file (gzip when the name ends in .gz), in one step: a reader never sees half of it. */
export async function writeSnapshot(db: Db, file: string): Promise<SnapshotInfo> {
  if (!db.snapshot) throw new Error('domen backup is for the embedded database; on PostgreSQL use pg_basebackup with WAL archiving (docs/backup.md)');
  const blob = await db.snapshot();
  let bytes: Buffer = Buffer.from(await blob.arrayBuffer());
  if (file.endsWith('.gz')) bytes = gzipSync(bytes);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* not written */ }
    throw e;
  }
  return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** True when dataDir holds no embedded database yet. */
export function isEmptyDataDir(dataDir: string): boolean {
  const pg = path.join(dataDir, 'pglite');
  return !existsSync(pg) || readdirSync(pg).length === 0;
}

/** Restores a snapshot into dataDir, which must not hold a database; returns the tables' row counts checked. */
export async function restoreSnapshot(file: string, dataDir: string): Promise<{ dataDir: string; auditEntries: number; domains: number }> {
  if (!isEmptyDataDir(dataDir)) throw new Error(`${dataDir} already holds a database: restore into an empty data directory (set DOMEN_DATA_DIR), so nothing is overwritten`);
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  // ustar magic at offset 257: refuse anything that is not a snapshot before touching the directory.
  if (bytes.length < 512 || bytes.subarray(257, 262).toString('latin1') !== 'ustar') throw new Error(`${file} is not a domen backup (a tar of the embedded database)`);
  const db = await openPglite(dataDir, new Blob([bytes]));
  try {
    const a = await db.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const d = await db.db.selectFrom('domains').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { dataDir, auditEntries: Number(a.n), domains: Number(d.n) };
  } finally {
    await db.close();
  }
}
