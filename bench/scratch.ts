// A scratch PostgreSQL database and temp directory for one benchmark run, dropped again at the end or on
// Ctrl-C. DOMEN_BENCH_DATABASE_URL names the server (default: the local test database's server).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface Scratch { baseUrl: string; url: string; tmp: string; drop(): Promise<void> }

export async function scratchDatabase(kind: string): Promise<Scratch> {
  const baseUrl = process.env.DOMEN_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `domen_bench_${kind}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  const tmp = await mkdtemp(path.join(os.tmpdir(), `domen-bench-${kind}-`));
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
    await rm(tmp, { recursive: true, force: true });
  };
  function onSignal() { void drop().finally(() => process.exit(130)); }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { baseUrl, url: u.toString(), tmp, drop };
}
