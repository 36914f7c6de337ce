// `domen user create|list`: the people who sign in (NA staff, registrar staff). The password is read from the
// standard input (or --password-file), never from the command line where other users could see it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { RegistryError } from '../../core/errors.ts';
import { createUser } from '../../core/registrars.ts';
import type { UserRole } from '../../db/schema.ts';
import type { CliContext } from '../context.ts';
import { json } from '../output.ts';

const ROLES = ['na_admin', 'na_staff', 'ministry', 'registrar_admin', 'registrar_staff'];

export function userCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('people who sign in: National Administrator and registrar staff');

  user.command('create').argument('<email>', 'the e-mail address to sign in with')
    .requiredOption('--name <name>', 'full name').requiredOption('--role <role>', ROLES.join(', '))
    .option('--registrar <id>', 'the registrar, for registrar roles')
    .requiredOption('--password-file <file>', "a file holding the password ('-' for the standard input)")
    .description('create a user account')
    .action(async (email: string, o: { name: string; role: string; registrar?: string; passwordFile: string }) => {
      if (!ROLES.includes(o.role)) throw new RegistryError('syntax', `--role is one of ${ROLES.join(', ')}`, 'R3.1');
      const password = readFileSync(o.passwordFile === '-' ? 0 : path.resolve(ctx.cwd, o.passwordFile), 'utf8').replace(/\r?\n$/, '');
      const u = await createUser(await ctx.registry(), cliActor, { email, name: o.name, role: o.role as UserRole, registrarId: o.registrar ?? null, password });
      ctx.io.out(`user ${u.id} ${u.email} (${u.role}${u.registrarId ? ` of ${u.registrarId}` : ''}) created\n`);
    });

  user.command('lang').argument('<email>', 'the e-mail address of the user').argument('<lang>', 'az, en or ru')
    .description("the language of the user's notices and inbox (R3.17: Azerbaijani unless asked otherwise)")
    .action(async (email: string, lang: string) => {
      const { setUserLanguage } = await import('../../core/languages.ts');
      const u = await setUserLanguage(await ctx.registry(), cliActor, email, lang);
      ctx.io.out(`user ${u.id} ${u.email}: language ${u.lang}\n`);
    });

  user.command('list').option('--json', 'print JSON').description('every user account')
    .action(async (o: { json?: boolean }) => {
      const reg = await ctx.registry();
      const rows = await reg.db.selectFrom('users').select(['id', 'email', 'name', 'role', 'registrar_id', 'active', 'lang']).orderBy('id').execute();
      if (o.json) { ctx.io.out(json(rows)); return; }
      for (const r of rows) ctx.io.out(`${String(r.id).padStart(4)}  ${r.email.padEnd(32)} ${r.role.padEnd(16)} ${r.lang}  ${r.registrar_id ?? ''}${r.active ? '' : ' (inactive)'}\n`);
    });
}
