import type { Command } from 'commander';
import { getDomain } from '../../core/domains/view.ts';
import type { CliContext } from '../context.ts';
import { json } from '../output.ts';

export function domainCommands(program: Command, ctx: CliContext): void {
  const domain = program.command('domain').description('registered domains');
  domain.command('info').argument('<name>', 'U-label or A-label').option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const d = await getDomain(await ctx.registry(), name);
      if (o.json) { ctx.io.out(json(d)); return; }
      const lines: [string, string][] = [
        ['name', d.unicodeName === d.name ? d.name : `${d.unicodeName} (${d.name})`], ['roid', d.roid], ['zone', d.zone],
        ['registrar', d.registrarId], ['registrant', d.registrant],
        ...d.contacts.map((c): [string, string] => [c.type, c.handle]),
        ['status', d.statuses.join(', ')], ['name servers', d.hosts.join(', ') || '(none)'],
        ...d.ds.map((x): [string, string] => ['DS', `${x.keyTag} ${x.algorithm} ${x.digestType} ${x.digest}`]),
        ['created', d.createdAt.toISOString()], ['expires', d.expiresAt.toISOString()],
        ['updated', d.updatedAt?.toISOString() ?? ''], ['grandfathered', d.grandfathered ? 'yes (R4.13)' : 'no'],
      ];
      for (const [k, v] of lines) ctx.io.out(`${k.padEnd(14)}${v}\n`);
    });
}
