// `domen audit verify|anchor|log`: the tamper-evident audit trail (docs/audit.md).
import type { Command } from 'commander';
import { listAudit, parseObject } from '../../audit/log.ts';
import { parseAnchor, takeAnchor, verifyChain, type Anchor } from '../../audit/verify.ts';
import { RegistryError } from '../../core/errors.ts';
import type { CliContext } from '../context.ts';
import { CliExit } from '../context.ts';
import { json, table } from '../output.ts';

function instant(text: string, option: string): Date {
  // A bare date is the start of that day in UTC.
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(d.getTime())) throw new RegistryError('syntax', `${option} is a date or an ISO 8601 time, not '${text}'`, 'RFC 3339');
  return d;
}

export function auditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit trail: every operation by every actor, chained by hash');

  audit.command('verify')
    .option('--anchor <seq:hash...>', 'also check that entry SEQ still has HASH (as printed by `audit anchor` and kept outside)')
    .option('--json', 'print JSON')
    .description('walk the hash chain; name every edited, deleted or inserted entry (exit 1 if any)')
    .action(async (o: { anchor?: string[]; json?: boolean }) => {
      let anchors: Anchor[];
      try { anchors = (o.anchor ?? []).map(parseAnchor); } catch (e) { throw new CliExit(2, `error: ${(e as Error).message}`); }
      const reg = await ctx.registry();
      const r = await verifyChain(reg.db, { anchors });
      if (o.json) ctx.io.out(json(r));
      else {
        if (r.sealed) ctx.io.out(`sealed ${r.sealed} entr${r.sealed === 1 ? 'y' : 'ies'} not yet in the chain\n`);
        for (const p of r.problems) ctx.io.out(`${p.kind.toUpperCase()}: ${p.message}\n`);
        ctx.io.out(`${r.ok ? 'ok' : 'FAILED'}: ${r.entries} entries, head ${r.head.seq}:${r.head.hash}, ${r.redacted} redacted (R8.8), ${r.anchorsChecked} anchors checked, ${r.problems.length} problems\n`);
      }
      if (!r.ok) throw new CliExit(1);
    });

  audit.command('anchor')
    .option('--note <text>', 'where the anchor is published')
    .option('--json', 'print JSON')
    .description('record and print the chain head as SEQ:HASH; publish it outside the registry')
    .action(async (o: { note?: string; json?: boolean }) => {
      const reg = await ctx.registry();
      const a = await takeAnchor(reg.db, reg.clock.now(), o.note ?? null);
      ctx.io.out(o.json ? json(a) : `${a.seq}:${a.hash}\n`);
    });

  audit.command('log')
    .option('--object <type:id>', 'one object, e.g. domain:example.az or contact:C1')
    .option('--actor <id>', "an actor id, e.g. 'REG1', 'REG1/5', 'staff:3', 'system:cli'")
    .option('--since <time>', 'entries at or after this date or time')
    .option('--until <time>', 'entries before this date or time')
    .option('--limit <n>', 'the newest N entries (default 100)', '100')
    .option('--json', 'print JSON with before/after')
    .description('list audit entries, oldest first')
    .action(async (o: { object?: string; actor?: string; since?: string; until?: string; limit: string; json?: boolean }) => {
      let obj: { objectType?: string; objectId?: string } = {};
      if (o.object) {
        try { obj = parseObject(o.object); } catch (e) { throw new CliExit(2, `error: ${(e as Error).message}`); }
      }
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliExit(2, 'error: --limit is a positive whole number');
      const reg = await ctx.registry();
      const rows = await listAudit(reg.db, {
        ...obj, ...(o.actor ? { actorId: o.actor } : {}), limit,
        ...(o.since ? { since: instant(o.since, '--since') } : {}), ...(o.until ? { until: instant(o.until, '--until') } : {}),
      });
      if (o.json) { ctx.io.out(json(rows)); return; }
      ctx.io.out(table(rows.map((r) => ({ ...r, object: `${r.objectType}:${r.objectId}`, redacted: r.redacted ? 'yes' : '' })),
        ['seq', 'at', 'actorId', 'operation', 'object', 'redacted']));
    });
}
