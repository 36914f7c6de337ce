// API bearer tokens for authenticated RDAP (and later the JSON API): issued to a registrar or a user, printed once.
import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { createApiToken, revokeApiToken } from '../../core/tokens.ts';
import { CliExit, type CliContext } from '../context.ts';

export function tokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('API bearer tokens (authenticated RDAP: full data of what the holder may see)');

  token.command('create').description('issue a token to a registrar or to a user; it is printed once and stored only as a SHA-256')
    .option('--registrar <id>', 'the registrar (EPP clID) that holds the token')
    .option('--user <email>', 'the user (NA staff: everything; registrar staff: their registrar) that holds the token')
    .action(async (o: { registrar?: string; user?: string }) => {
      if (Boolean(o.registrar) === Boolean(o.user)) throw new CliExit(2, 'name exactly one holder: --registrar ID or --user EMAIL');
      const t = await createApiToken(await ctx.registry(), cliActor, { registrarId: o.registrar ?? null, userEmail: o.user ?? null });
      ctx.io.out(`token ${t.id} for ${o.registrar ? `registrar ${o.registrar}` : `user ${o.user}`} (shown only now; keep it secret):\n${t.token}\n`);
    });

  token.command('revoke').description('revoke a token by its number').argument('<id>', 'the token number printed by create')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new CliExit(2, 'a token number is an integer');
      await revokeApiToken(await ctx.registry(), cliActor, Number(id));
      ctx.io.out(`token ${id} revoked\n`);
    });
}
