// Backup of the embedded database while `domen serve` runs and writes go on (docs/backup.md): `domen backup` is
// forwarded to the server, which snapshots PGlite between transactions; `domen restore` fills an empty data
// directory (run in-process through runCli, the code of bin/domen.js), and the restored registry is consistent (every registrar has its audit entry, the chain verifies).
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliHarness, type Server } from '../cli/harness.ts';
import { fails, ok, registrarArgs } from '../cli/flows.ts';
import { onPostgres } from '../helpers/registry.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { verifyChain } from '../../src/audit/verify.ts';

describe('domen backup / restore of the embedded database while the server runs', { skip: onPostgres ? 'the embedded database only (PostgreSQL: test/backup/pitr.test.ts)' : false }, () => {
  let h: CliHarness;
  let server: Server;
  let dir = '';

  before(async () => {
    h = await CliHarness.create();
    server = h.spawnServer(['serve']);
    await h.waitForHealth(server);
    dir = await h.tempDir();
  });
  after(async () => { await h?.cleanup(); });

  it('snapshots taken during writes restore to consistent registries with a valid audit chain', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `reg-w${i}`);
    const writer = (async () => { for (const id of ids) ok(await h.run(registrarArgs(id))); })();
    const snaps: string[] = [];
    // Two snapshots while the writer runs, the second compressed.
    for (const name of ['during-1.tar', 'during-2.tar.gz']) {
      await new Promise((r) => setTimeout(r, 1500));
      const file = path.join(dir, name);
      const r = ok(await h.run(['backup', '--out', file]));
      assert.match(r.stdout, /^wrote .* \(\d+ bytes, sha256 [0-9a-f]{64}\)$/m);
      snaps.push(file);
    }
    await writer;
    snaps.push(path.join(dir, 'after.tar'));
    ok(await h.run(['backup', '--out', snaps[2]!]));
    // While the server runs, its own data directory cannot be restored over.
    fails(await h.run(['restore', snaps[0]!]), /the server is running on this data directory/);

    const counts: number[] = [];
    for (const [i, snap] of snaps.entries()) {
      const target = path.join(dir, `restored-${i}`);
      const r = ok(await h.cli(['restore', snap, '--data-dir', target]));
      assert.match(r.stdout, /^restored \d+ domains and \d+ audit entries into /m);
      // Checked in this process: one database open instead of one per command.
      const db = await openDatabase({ dataDir: target });
      try {
        const chain = await verifyChain(db.db);
        assert.deepEqual(chain.problems, [], snap);
        const regs = (await db.db.selectFrom('registrars').select('id').where('id', 'like', 'reg-w%').execute()).map((x) => x.id).sort();
        // A prefix of the writes, in order: no half-written operation in a snapshot.
        assert.deepEqual(regs, ids.slice(0, regs.length), `snapshot ${snap}: ${regs.join(',')}`);
        const audited = await db.db.selectFrom('audit_log').select('object_id').where('operation', '=', 'registrar.create').where('object_id', 'like', 'reg-w%').execute();
        assert.deepEqual(audited.map((a) => a.object_id).sort(), regs, 'every registrar with its audit entry, and no other');
        counts.push(regs.length);
      } finally { await db.close(); }
    }
    // And as an operator checks a restore.
    assert.match(ok(await h.run(['audit', 'verify'], { env: { DOMEN_DATA_DIR: path.join(dir, 'restored-1') } })).stdout, /^ok: \d+ entries/m);
    assert.equal(counts[2], ids.length, 'the last snapshot has every write');
    assert.ok(counts[0]! <= counts[1]! && counts[1]! <= counts[2]!, `snapshots in order: ${counts.join(', ')}`);

    // Restore refuses a directory that holds a database, and a file that is not a snapshot.
    fails(await h.cli(['restore', snaps[2]!, '--data-dir', path.join(dir, 'restored-0')]), /already holds a database/);
    const junk = path.join(dir, 'junk.tar');
    writeFileSync(junk, 'not a tar file at all'.repeat(40));
    const empty = path.join(dir, 'empty-target');
    fails(await h.cli(['restore', junk, '--data-dir', empty]), /is not a domen backup/);
    assert.ok(!existsSync(path.join(empty, 'pglite')), 'nothing was created');
    assert.equal(server.child.exitCode, null, `the server still runs: ${server.stderr()}`);
  });
});
