// `domen contact info|flag-inaccurate|verify`: the data-accuracy procedure of R8.5-R8.7 from the operator's side.
import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { getContact } from '../../core/contacts.ts';
import { flagInaccurate, markVerified } from '../../core/lifecycle/accuracy.ts';
import type { CliContext } from '../context.ts';
import { json } from '../output.ts';

export function contactCommands(program: Command, ctx: CliContext): void {
  const contact = program.command('contact').description('contacts (registrants and their data, R3.7/R3.8, R8.5-R8.7)');

  contact.command('info').argument('<handle>', 'contact id').option('--json', 'print JSON')
    .action(async (handle: string, o: { json?: boolean }) => {
      const c = await getContact(await ctx.registry(), handle);
      if (o.json) { ctx.io.out(json(c)); return; }
      ctx.io.out(`${c.handle} (${c.kind}) registrar ${c.registrarId}, verification ${c.verification}\n`);
    });

  contact.command('flag-inaccurate').argument('<handle>', 'contact id').requiredOption('--note <text>', 'what is inaccurate (the owner is told)')
    .description('record that the data are inaccurate: the owner has 3 working days to correct them, then suspension (R8.7)')
    .action(async (handle: string, o: { note: string }) => {
      const c = await flagInaccurate(await ctx.registry(), cliActor, handle, o.note);
      ctx.io.out(`${c.handle}: marked inaccurate; to be corrected by ${c.accuracyDueAt.toISOString()} (R8.7)\n`);
    });

  contact.command('verify').argument('<handle>', 'contact id')
    .description('confirm the data of a contact (ends the R8.7 procedure)')
    .action(async (handle: string) => {
      const c = await markVerified(await ctx.registry(), cliActor, handle);
      ctx.io.out(`${c.handle}: verified\n`);
    });
}
