import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { listCalendarDays, removeCalendarDay, setCalendarDay } from '../../core/calendar-days.ts';
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

  const day = cal.command('day').description("the yearly data: the Cabinet's swapped days and the bayram dates");
  day.command('set').argument('<date>', 'YYYY-MM-DD').argument('<kind>', 'working (a weekend day made working), rest (a weekday made a rest day) or holiday (e.g. a bayram day)')
    .argument('[name]', 'what it is, e.g. "Ramazan bayramı" or "Cabinet decision No. 123"')
    .action(async (date: string, kind: string, name?: string) => {
      const d = await setCalendarDay(await ctx.registry(), cliActor, { date, kind: kind as 'working' | 'rest' | 'holiday', name: name ?? null });
      ctx.io.out(`${d.date} is now ${d.kind}${d.name ? ` (${d.name})` : ''}\n`);
    });
  day.command('remove').argument('<date>', 'YYYY-MM-DD').action(async (date: string) => {
    await removeCalendarDay(await ctx.registry(), cliActor, date);
    ctx.io.out(`removed the calendar entry for ${date}\n`);
  });
  day.command('list').argument('[year]').option('--json', 'print JSON').action(async (year: string | undefined, o: { json?: boolean }) => {
    const days = await listCalendarDays(await ctx.registry(), year ? Number(year) : undefined);
    ctx.io.out(o.json ? json(days) : days.map((d) => `${d.date}  ${d.kind.padEnd(8)} ${d.name ?? ''}`.trimEnd()).join('\n') + (days.length ? '\n' : ''));
  });
}
