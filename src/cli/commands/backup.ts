// `domen backup --out FILE` and `domen restore FILE`: the embedded database's snapshot and restore (docs/backup.md).
// While `domen serve` runs, `backup` is forwarded to it and the snapshot is taken in the server, between
// transactions; `restore` only ever fills an empty data directory.
import path from 'node:path';
import type { Command } from 'commander';
import { restoreSnapshot, writeSnapshot } from '../../backup/embedded.ts';
import type { CliContext } from '../context.ts';
import { CliExit } from '../context.ts';
import { json } from '../output.ts';

export function backupCommands(program: Command, ctx: CliContext): void {
  program.command('backup').requiredOption('-o, --out <file>', 'the snapshot file (.tar, or .tar.gz to compress)')
    .option('--json', 'print JSON')
    .description('a consistent snapshot of the embedded database, also while the server runs (PostgreSQL: docs/backup.md)')
    .action(async (o: { out: string; json?: boolean }) => {
      const reg = await ctx.registry();
      if (reg.database.kind !== 'pglite') throw new CliExit(1, 'error: on PostgreSQL take base backups with WAL archiving: scripts/backup/pg-base-backup.sh (docs/backup.md)');
      const info = await writeSnapshot(reg.database, path.resolve(ctx.cwd, o.out));
      ctx.io.out(o.json ? json(info) : `wrote ${info.file} (${info.bytes} bytes, sha256 ${info.sha256})\n`);
    });

  program.command('restore').argument('<file>', 'a snapshot written by `domen backup`')
    .option('--data-dir <dir>', 'the empty data directory to restore into (default: DOMEN_DATA_DIR)')
    .option('--json', 'print JSON')
    .description('restore a snapshot of the embedded database into an empty data directory')
    .action(async (file: string, o: { dataDir?: string; json?: boolean }) => {
      if (ctx.inServer && !o.dataDir) throw new CliExit(1, 'error: the server is running on this data directory: restore into another, empty one (--data-dir), or stop the server');
      if (process.env.DOMEN_DATABASE_URL && !o.dataDir) throw new CliExit(1, 'error: DOMEN_DATABASE_URL is set: restore of PostgreSQL is point-in-time recovery (docs/backup.md); for a snapshot give --data-dir');
      const dataDir = path.resolve(ctx.cwd, o.dataDir ?? process.env.DOMEN_DATA_DIR ?? './data');
      const r = await restoreSnapshot(path.resolve(ctx.cwd, file), dataDir);
      ctx.io.out(o.json ? json(r) : `restored ${r.domains} domains and ${r.auditEntries} audit entries into ${r.dataDir}; run 'domen audit verify' to check the trail\n`);
    });
}
