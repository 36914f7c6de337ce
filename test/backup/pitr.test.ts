// PostgreSQL backup for real (docs/backup.md): a throwaway cluster with WAL archiving through
// scripts/backup/pg-archive-wal.sh, a base backup by scripts/backup/pg-base-backup.sh, changes made through domen's
// core, a point in time noted, more changes, then scripts/backup/pg-pitr-restore.sh to that time: the restored
// registry has exactly the first set of changes and a valid audit chain.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../../src/db/connect.ts';
import { Registry } from '../../src/core/registry.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { migrateAndSeedBase } from '../../src/server/bootstrap.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { deleteDomain } from '../../src/core/domains/delete.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { addPerson, addRegistrar } from '../helpers/fixtures.ts';
import { freePort } from '../cli/harness.ts';

const BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/backup');
const isRoot = process.getuid?.() === 0;
// initdb refuses to run as root: as root the cluster runs as the 'postgres' user.
const pgUser = isRoot ? spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }) : null;
const skip = !existsSync(path.join(BIN, 'initdb')) ? `no PostgreSQL binaries in ${BIN} (set PG_BIN)`
  : isRoot && pgUser?.status !== 0 ? 'running as root and there is no postgres user to run the cluster as' : false;

/** Runs a command as the cluster's owner; fails the test with its output when it fails. */
function run(cmd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  const [c, a] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('PostgreSQL base backup + WAL archive + point-in-time restore', { skip }, () => {
  let tmp = '';
  const clusters: string[] = [];
  let port = 0;
  let port2 = 0;

  async function startCluster(data: string, p: number): Promise<void> {
    run(path.join(BIN, 'pg_ctl'), ['-D', data, '-o', `-p ${p} -k ${tmp} -c listen_addresses=127.0.0.1`, '-l', path.join(tmp, `log-${p}.txt`), '-w', '-t', '120', 'start']);
    clusters.push(data);
  }

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'domen-pitr-'));
    chmodSync(tmp, 0o755);
    if (isRoot) chownSync(tmp, Number(pgUser!.stdout.trim()), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()));
    port = await freePort();
    port2 = await freePort();
    const data = path.join(tmp, 'data');
    run(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    appendFileSync(path.join(data, 'postgresql.conf'), [
      '', 'wal_level = replica', 'archive_mode = on',
      `archive_command = '${SCRIPTS}/pg-archive-wal.sh %p %f ${tmp}/archive'`,
      'archive_timeout = 60', 'max_wal_senders = 4', 'fsync = on', '',
    ].join('\n'));
    await startCluster(data, port);
  });

  after(async () => {
    for (const d of clusters.reverse()) run(path.join(BIN, 'pg_ctl'), ['-D', d, '-m', 'immediate', '-w', 'stop'], { allowFail: true });
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('restore to a noted time has exactly the changes made before it, and a valid audit chain', async () => {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query('create database domen');
    const url = `postgres://postgres@127.0.0.1:${port}/domen`;
    const db = await openDatabase({ databaseUrl: url, poolSize: 4 });
    const reg = new Registry(db, { clock: new ManualClock('2026-03-02T09:00:00Z'), tld: 'az' });
    let restored: Awaited<ReturnType<typeof openDatabase>> | null = null;
    try {
      await migrateAndSeedBase(reg);
      const r1 = await addRegistrar(reg, 'reg-bk');
      await addPerson(reg, r1, 'bk-own');

      // The base backup is taken before the first set: restoring it needs the archived WAL.
      const backupDir = run(path.join(SCRIPTS, 'pg-base-backup.sh'), [path.join(tmp, 'backups'), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']).trim().split('\n').at(-1)!;
      assert.ok(existsSync(path.join(backupDir, 'backup_manifest')), backupDir);

      const first = ['birinci1.az', 'birinci2.az', 'birinci3.az'];
      for (const name of first) assert.equal((await createDomain(reg, r1, { name, registrant: 'bk-own' })).status, 'created');
      const headAtTarget = (await verifyChain(reg.db)).head;
      await sleep(1100);
      const target = (await admin.query<{ t: string }>("select to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' as t")).rows[0]!.t;
      await sleep(1100);
      const second = ['ikinci1.az', 'ikinci2.az'];
      for (const name of second) assert.equal((await createDomain(reg, r1, { name, registrant: 'bk-own' })).status, 'created');
      await deleteDomain(reg, r1, 'birinci2.az');

      // Everything up to now goes to the archive.
      const wal = (await admin.query<{ w: string }>('select pg_walfile_name(pg_current_wal_lsn()) as w')).rows[0]!.w;
      await admin.query('select pg_switch_wal()');
      for (let i = 0; i < 300; i++) {
        const s = (await admin.query<{ last: string | null }>('select last_archived_wal as last from pg_stat_archiver')).rows[0]!.last;
        if (s && s >= wal) break;
        await sleep(100);
      }
      await admin.end();
      await db.close();

      const restoredDir = path.join(tmp, 'restored');
      const out = run(path.join(SCRIPTS, 'pg-pitr-restore.sh'), [backupDir, path.join(tmp, 'archive'), restoredDir, target]);
      assert.match(out, /replays .* up to /);
      await startCluster(restoredDir, port2);
      restored = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${port2}/domen`, poolSize: 2 });
      // recovery_target_action = promote: the server opens read-write once the target is reached.
      for (let i = 0; i < 600; i++) {
        const r = await restored.db.selectNoFrom((eb) => eb.fn<boolean>('pg_is_in_recovery', []).as('rec')).executeTakeFirstOrThrow();
        if (!r.rec) break;
        await sleep(100);
      }
      const live = await restored.db.selectFrom('domains').select('name').where('deleted_at', 'is', null).where('name', 'in', [...first, ...second]).orderBy('name').execute();
      assert.deepEqual(live.map((d) => d.name), first, 'exactly the first set, and birinci2.az not yet deleted');
      const chain = await verifyChain(restored.db);
      assert.deepEqual(chain.problems, []);
      assert.deepEqual(chain.head, headAtTarget, 'the audit chain ends where it ended at the target time');
      // The restored cluster is a working registry.
      const reg2 = new Registry(restored, { clock: new ManualClock('2026-03-02T10:00:00Z'), tld: 'az' });
      assert.equal((await createDomain(reg2, { type: 'registrar', registrarId: 'reg-bk' }, { name: 'ucuncu.az', registrant: 'bk-own' })).status, 'created');
      assert.equal((await verifyChain(restored.db)).ok, true);
    } finally {
      await restored?.close();
      await db.close().catch(() => {});
      await admin.end().catch(() => {});
    }
  });
});
