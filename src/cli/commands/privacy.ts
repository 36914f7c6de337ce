// `domen privacy export|purge`: subject access and retention of personal data (R8.8, docs/privacy.md).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { exportSubject } from '../../privacy/export.ts';
import { purgeCandidates, purgePersonalData, retentionDays } from '../../privacy/purge.ts';
import { cliActor } from '../../core/actor.ts';
import type { CliContext } from '../context.ts';
import { CliExit } from '../context.ts';
import { json } from '../output.ts';

export function privacyCommands(program: Command, ctx: CliContext): void {
  const privacy = program.command('privacy').description('personal data (R8.8): subject access export and retention');

  privacy.command('export')
    .option('--contact <handle>', 'a contact handle')
    .option('--user <email>', 'the e-mail of a user account (its contacts are included)')
    .option('-o, --out <file>', 'write to FILE instead of the standard output')
    .description('everything held about one registrant, as JSON')
    .action(async (o: { contact?: string; user?: string; out?: string }) => {
      if (Boolean(o.contact) === Boolean(o.user)) throw new CliExit(2, 'error: give --contact HANDLE or --user EMAIL');
      const reg = await ctx.registry();
      const data = await exportSubject(reg.db, { ...(o.contact ? { contact: o.contact } : {}), ...(o.user ? { user: o.user } : {}) }, reg.clock.now());
      if (o.out) {
        const file = path.resolve(ctx.cwd, o.out);
        writeFileSync(file, json(data), { mode: 0o600 });
        ctx.io.out(`wrote ${data.contacts.length} contacts, ${data.domains.length} domains, ${data.history.length} versions, ${data.audit.length} audit entries to ${file}\n`);
      } else ctx.io.out(json(data));
    });

  privacy.command('purge')
    .option('--older-than <days>', 'erase contacts deleted more than DAYS ago (default: the retention period)')
    .option('--dry-run', 'only list the contacts that would be erased')
    .option('--json', 'print JSON')
    .description('erase the personal data of deleted registrations after the retention period; history is kept without it')
    .action(async (o: { olderThan?: string; dryRun?: boolean; json?: boolean }) => {
      const days = o.olderThan === undefined ? undefined : Number(o.olderThan);
      if (days !== undefined && (!Number.isInteger(days) || days < 1)) throw new CliExit(2, 'error: --older-than is a whole number of days, at least 1');
      const reg = await ctx.registry();
      const period = days ?? await retentionDays(reg);
      if (o.dryRun) {
        const c = await purgeCandidates(reg, { olderThanDays: period });
        ctx.io.out(o.json ? json(c) : `${c.handles.length} contacts deleted before ${c.cutoff.toISOString()} would be erased${c.handles.length ? `: ${c.handles.join(', ')}` : ''}\n`);
        return;
      }
      const r = await purgePersonalData(reg, { olderThanDays: period, actor: cliActor });
      ctx.io.out(o.json ? json(r) : `erased the personal data of ${r.contacts.length} contacts deleted before ${r.cutoff.toISOString()} (${r.historyVersions} history versions, ${r.auditEntries} audit entries redacted)\n`);
    });
}
