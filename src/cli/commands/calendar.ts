import type { Command } from 'commander';
import { RegistryError } from '../../core/errors.ts';
import type { CliContext } from '../context.ts';
import { json } from '../output.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function calendarCommands(program: Command, ctx: CliContext): void {
  const cal = program.command('calendar').description("the working-day calendar of the profile's country");
  cal.command('working-days').argument('<from>', 'YYYY-MM-DD').argument('<to>', 'YYYY-MM-DD').option('--json', 'print JSON')
    .description('the working days from FROM to TO, both included')
    .action(async (from: string, to: string, o: { json?: boolean }) => {
      if (!DATE.test(from) || !DATE.test(to)) throw new RegistryError('syntax', 'dates are YYYY-MM-DD', 'R3.12');
      const calendar = await (await ctx.registry()).policy.calendar();
      const days = calendar.workingDaysBetween(from, to);
      if (o.json) { ctx.io.out(json({ from, to, count: days.length, days })); return; }
      ctx.io.out(`${days.length} working days from ${from} to ${to}\n${days.join('\n')}${days.length ? '\n' : ''}`);
    });
  cal.command('holidays').argument('<year>').option('--json', 'print JSON')
    .action(async (year: string, o: { json?: boolean }) => {
      const calendar = await (await ctx.registry()).policy.calendar();
      const list = calendar.holidays(Number(year));
      ctx.io.out(o.json ? json(list) : list.map((h) => `${h.date}  ${h.name}${h.movedFrom ? ` (moved from ${h.movedFrom})` : ''}`).join('\n') + '\n');
    });
  cal.command('deadline').argument('<instant>', 'ISO time of receipt').argument('[days]', 'working days', '3')
    .description('the end of the N-th working day after receipt (R3.12: 3)')
    .action(async (instant: string, days: string) => {
      const t = new Date(instant);
      if (Number.isNaN(t.getTime())) throw new RegistryError('syntax', `'${instant}' is not an ISO time`, 'R3.12');
      const calendar = await (await ctx.registry()).policy.calendar();
      ctx.io.out(`${calendar.deadline(t, Number(days)).toISOString()}\n`);
    });
}
