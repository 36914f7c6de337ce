import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { getDomain } from '../../core/domains/view.ts';
import { restoreDomain } from '../../core/lifecycle/restore.ts';
import { CANCEL_GROUNDS, cancelDomain } from '../../core/lifecycle/cancel.ts';
import { formatAzn } from '../../billing/money.ts';
import { domainSuspensions, MANUAL_GROUNDS, suspendDomain, unsuspendDomain } from '../../core/lifecycle/suspensions.ts';
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

  domain.command('suspend').argument('<name>', 'U-label or A-label')
    .requiredOption('--ground <ground>', `the ground of R7.4: ${MANUAL_GROUNDS.join(', ')}`)
    .option('--note <text>', 'the decision or document behind it')
    .description('suspend the maintenance of a domain (R7.4): serverHold, out of the zone; the owner is told (R7.5)')
    .action(async (name: string, o: { ground: string; note?: string }) => {
      const d = await suspendDomain(await ctx.registry(), cliActor, name, o.ground, o.note);
      ctx.io.out(`${d.unicodeName}: suspended (${o.ground}); status ${d.statuses.join(', ')}\n`);
    });

  domain.command('unsuspend').argument('<name>', 'U-label or A-label')
    .requiredOption('--ground <ground>', 'the ground of the suspension to lift')
    .requiredOption('--reason <text>', 'why the cause is gone (R7.6)')
    .description('lift a suspension once its cause is gone (R7.6)')
    .action(async (name: string, o: { ground: string; reason: string }) => {
      const d = await unsuspendDomain(await ctx.registry(), cliActor, name, o.ground, o.reason);
      ctx.io.out(`${d.unicodeName}: suspension (${o.ground}) lifted; status ${d.statuses.join(', ')}\n`);
    });

  domain.command('suspensions').argument('<name>', 'U-label or A-label').option('--json', 'print JSON')
    .description('the suspensions of a domain, active and lifted')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await domainSuspensions(await ctx.registry(), name);
      if (o.json) { ctx.io.out(json(list)); return; }
      if (!list.length) { ctx.io.out('no suspensions\n'); return; }
      for (const s of list) {
        ctx.io.out(`${s.startedAt.toISOString()}  ${s.ground.padEnd(14)} ${s.clause.padEnd(5)} ${s.liftedAt ? `lifted ${s.liftedAt.toISOString()} (${s.liftReason ?? ''})` : 'ACTIVE'}${s.note ? `  ${s.note}` : ''}\n`);
      }
    });

  domain.command('restore').argument('<name>', 'U-label or A-label')
    .description('restore a name in the redemption period after expiry (R6.2), charging its sponsor as an RGP restore would')
    .action(async (name: string) => {
      const d = await restoreDomain(await ctx.registry(), cliActor, name);
      ctx.io.out(`${d.unicodeName}: restored; expires ${d.expiresAt.toISOString()}\n`);
    });

  domain.command('cancel').argument('<name>', 'U-label or A-label')
    .requiredOption('--ground <clause>', `the ground of R7.3: ${Object.keys(CANCEL_GROUNDS).join(', ')}`)
    .requiredOption('--note <text>', 'the decision or document behind it')
    .description('cancel a registration early and release the name (R7.3); the owner is told (R7.5), unused months refunded (A5.2)')
    .action(async (name: string, o: { ground: string; note: string }) => {
      const r = await cancelDomain(await ctx.registry(), cliActor, name, o.ground, o.note);
      const refunded = r.refunds.reduce((n, x) => n + x.amount, 0);
      ctx.io.out(`${r.name}: cancelled (${r.ground}); ${refunded ? `${formatAzn(refunded)} AZN refunded to the sponsor (A5.2)` : 'nothing refunded'}\n`);
    });
}
