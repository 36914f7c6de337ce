// The working-day calendar's yearly data, kept by the National Administrator: the Cabinet's swapped days
// (a Saturday declared working, a weekday declared a rest day) and the dates of the movable bayrams.
// Each edit bumps the policy version, so every node's deadlines (R3.12, R7.5, R8.7, R9.2) follow at once.
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import { PolicyService } from './policy-service.ts';
import type { Registry } from './registry.ts';
import { validateDate } from './validate.ts';

export type CalendarDayKind = 'holiday' | 'working' | 'rest';
export interface CalendarDay { date: string; kind: CalendarDayKind; name: string | null }

export async function setCalendarDay(reg: Registry, actor: Actor, day: CalendarDay): Promise<CalendarDay> {
  assertOperator(actor, 'change the working-day calendar', 'R3.12');
  validateDate(day.date, 'date', 'R3.12');
  if (!['holiday', 'working', 'rest'].includes(day.kind)) throw new RegistryError('syntax', `kind is holiday, working or rest, not '${day.kind}'`, 'R3.12');
  if (day.kind === 'holiday' && !day.name?.trim()) throw new RegistryError('required', 'a holiday needs a name', 'R3.12');
  const set = await runOperation(reg, actor, 'calendar.day.set', async (ctx) => {
    const before = await ctx.tx.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('date', '=', day.date).forUpdate().executeTakeFirst();
    const after: CalendarDay = { date: day.date, kind: day.kind, name: day.name?.trim() || null };
    await ctx.tx.insertInto('calendar_days').values(after)
      .onConflict((oc) => oc.column('date').doUpdateSet({ kind: after.kind, name: after.name })).execute();
    await PolicyService.bump(ctx.tx);
    await ctx.record({ objectType: 'calendar', objectId: day.date, before: before ?? null, after, topic: 'calendar.day.set' });
    return after;
  });
  PolicyService.invalidate();
  return set;
}

export async function removeCalendarDay(reg: Registry, actor: Actor, date: string): Promise<void> {
  assertOperator(actor, 'change the working-day calendar', 'R3.12');
  validateDate(date, 'date', 'R3.12');
  await runOperation(reg, actor, 'calendar.day.remove', async (ctx) => {
    const gone = await ctx.tx.deleteFrom('calendar_days').where('date', '=', date).returning(['date', 'kind', 'name']).executeTakeFirst();
    if (!gone) throw new RegistryError('notFound', `no calendar entry for ${date}`, 'R3.12');
    await PolicyService.bump(ctx.tx);
    await ctx.record({ objectType: 'calendar', objectId: date, before: gone, after: null, topic: 'calendar.day.removed' });
  });
  PolicyService.invalidate();
}

export async function listCalendarDays(reg: Registry, year?: number): Promise<CalendarDay[]> {
  let q = reg.db.selectFrom('calendar_days').select(['date', 'kind', 'name']).orderBy('date');
  if (year) q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return q.execute();
}
