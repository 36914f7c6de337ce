// Commands that manage the installation itself: migrate, seed, serve, start.
import type { Command } from 'commander';
import { CliExit, type CliContext } from '../context.ts';

export function adminCommands(program: Command, ctx: CliContext): void {
  program.command('migrate').description('apply the SQL migrations and the starter data of the profile')
    .action(async () => {
      const { migrateAndSeedBase } = await import('../../server/bootstrap.ts');
      const reg = await ctx.registry({ requireSchema: false });
      const applied = await migrateAndSeedBase(reg);
      ctx.io.out(applied.length ? `applied ${applied.join(', ')}\n` : 'the schema is up to date\n');
    });

  program.command('seed').description('load data').option('--demo', "a demo '.az' registry: NA admin, two registrars, registrants, ~200 domains")
    .action(async (o: { demo?: boolean }) => {
      if (!o.demo) throw new CliExit(2, 'say what to seed: --demo');
      const { seedDemo, demoCredentialLines } = await import('../../seed/demo.ts');
      const reg = await ctx.registry();
      const summary = await seedDemo(reg);
      ctx.io.out(`${summary.created ? `demo data loaded: ${summary.domains} domains` : `demo data was already loaded: ${summary.domains} domains`}\n`
        + `${demoCredentialLines(summary).join('\n')}\n`);
    });

  program.command('serve').description('run the registry services (HTTP now; EPP, RDAP, WHOIS, DNS as they land)')
    .option('--only <services>', 'comma-separated subset, e.g. http')
    .action(async (o: { only?: string }) => {
      if (ctx.inServer) throw new CliExit(2, 'the server is already running');
      const { serve } = await import('../../server/serve.ts');
      await serve({ only: o.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? null, demo: false });
    });

  program.command('start').description('first run: migrate and load the demo data, then serve (npm start)')
    .action(async () => {
      if (ctx.inServer) throw new CliExit(2, 'the server is already running');
      const { serve } = await import('../../server/serve.ts');
      await serve({ only: null, demo: true });
    });
}
