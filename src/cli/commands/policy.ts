import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { addListEntry, parseListName, removeListEntry, showList } from '../../core/policy-lists.ts';
import type { MatchMode } from '../../policy/types.ts';
import type { CliContext } from '../context.ts';
import { json, table } from '../output.ts';

export function policyCommands(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('the name policy of the TLD profile, with the live lists');

  policy.command('check').argument('<name>', 'a domain name: U-label or A-label, any case')
    .option('--json', 'print one JSON object')
    .description('check a name against the rules and the live lists (R4)')
    .action(async (name: string, opts: { json?: boolean }) => {
      const reg = await ctx.registry();
      const c = await reg.policy.checkName(name);
      const reasons = c.reasons.map((r) => ({ clause: r.clause, message: r.message, verdict: r.verdict,
        ...(r.ground ? { ground: r.ground } : {}), ...(r.documents ? { documents: r.documents } : {}) }));
      if (opts.json) {
        ctx.io.out(JSON.stringify({ input: c.input, ascii: c.ascii, unicode: c.unicode, zone: c.zone, verdict: c.verdict, reasons,
          label: c.label, bundle: c.bundleKey, idn: c.idn }) + '\n');
        return;
      }
      ctx.io.out(`${c.unicode ?? c.input}${c.ascii && c.ascii !== c.unicode ? ` (${c.ascii})` : ''}: ${c.verdict}${c.zone ? ` in zone ${c.zone}` : ''}\n`);
      for (const r of reasons) ctx.io.out(`  ${r.clause}${r.ground ? ` [${r.ground}]` : ''}: ${r.message}\n${(r.documents ?? []).map((d) => `    needs: ${d}\n`).join('')}`);
    });

  const list = policy.command('list').description('the Stop-list, reserved, consent and grandfathered lists (stop, reserved, geographic, person, organisation, grandfathered)');
  list.command('add').argument('<list>').argument('<word>')
    .option('--match <mode>', 'exact (the whole label), word (whole hyphen-separated parts of it) or substring (anywhere in it)', 'exact').option('--note <text>', 'why it is on the list')
    .action(async (l: string, word: string, opts: { match: string; note?: string }) => {
      const e = await addListEntry(await ctx.registry(), cliActor, parseListName(l), word, opts.match as MatchMode, opts.note ?? null);
      ctx.io.out(`added '${e.word}' to ${e.list} (${e.match})\n`);
    });
  list.command('remove').argument('<list>').argument('<word>')
    .action(async (l: string, word: string) => {
      await removeListEntry(await ctx.registry(), cliActor, parseListName(l), word);
      ctx.io.out(`removed '${word}' from ${l}\n`);
    });
  list.command('show').argument('<list>').option('--json', 'print JSON')
    .action(async (l: string, opts: { json?: boolean }) => {
      const entries = await showList(await ctx.registry(), parseListName(l));
      ctx.io.out(opts.json ? json(entries) : table(entries as unknown as Record<string, unknown>[], ['word', 'match', 'note']));
    });
}
