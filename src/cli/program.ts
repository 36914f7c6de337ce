// The `domen` command line. Every command is defined once here and runs either in the CLI process or,
// forwarded, inside a running server that holds the embedded database (see src/cli/forward.ts).
import { Command, CommanderError } from 'commander';
import { isRegistryError } from '../core/errors.ts';
import type { CliContext } from './context.ts';
import { CliExit, CliRestart } from './context.ts';
import { calendarCommands } from './commands/calendar.ts';
import { domainCommands } from './commands/domain.ts';
import { policyCommands } from './commands/policy.ts';
import { registrarCommands } from './commands/registrar.ts';
import { adminCommands } from './commands/admin.ts';
import { zoneCommands } from './commands/zone.ts';
import { dnssecCommands } from './commands/dnssec.ts';
import { tokenCommands } from './commands/token.ts';
import { escrowCommands } from './commands/escrow.ts';
import { billingCommands } from './commands/billing.ts';
import { notifyCommands } from './commands/notify.ts';
import { workerCommands } from './commands/worker.ts';
import { contactCommands } from './commands/contact.ts';
import { userCommands } from './commands/user.ts';
import { auditCommands } from './commands/audit.ts';
import { privacyCommands } from './commands/privacy.ts';
import { backupCommands } from './commands/backup.ts';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('domen')
    .description('domen: a country-code TLD registry (EPP, policy, RDAP/WHOIS, DNS, portals)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
  adminCommands(program, ctx);
  policyCommands(program, ctx);
  registrarCommands(program, ctx);
  domainCommands(program, ctx);
  calendarCommands(program, ctx);
  zoneCommands(program, ctx);
  dnssecCommands(program, ctx);
  tokenCommands(program, ctx);
  escrowCommands(program, ctx);
  billingCommands(program, ctx);
  notifyCommands(program, ctx);
  workerCommands(program, ctx);
  contactCommands(program, ctx);
  userCommands(program, ctx);
  auditCommands(program, ctx);
  privacyCommands(program, ctx);
  backupCommands(program, ctx);
  // Sub-commands inherit the error handling and output of the root.
  const inherit = (c: Command) => { c.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) }); c.commands.forEach(inherit); };
  program.commands.forEach(inherit);
  return program;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CliRestart) throw err;
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliExit) { if (err.message) ctx.io.err(`${err.message}\n`); return err.exitCode; }
    if (isRegistryError(err)) {
      ctx.io.err(`error: ${err.message} (${err.clause}; EPP ${err.eppCode})\n`);
      for (const r of err.reasons) ctx.io.err(`  ${r.clause}${r.ground ? ` [${r.ground}]` : ''}: ${r.message}\n`);
      return 1;
    }
    ctx.io.err(`error: ${(err as Error).message}\n`);
    return 1;
  }
}
