// R3.12: applications are decided within 3 working days. Staff are alerted when a pending application's
// deadline is near (deadlineAlertWorkingDays), and again if it passes undecided.
import type { Actor } from '../actor.ts';
import type { Registry } from '../registry.ts';
import { actOnEach, firstNotice } from './claims.ts';
import { registrarName, tellStaff } from './notices.ts';

export async function alertDeadlines(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const now = reg.clock.now();
  const calendar = await reg.policy.calendar();
  const soon = calendar.deadline(now, reg.profile.lifecycle.deadlineAlertWorkingDays);
  const pending = await reg.db.selectFrom('applications').select(['id', 'name', 'unicode_name', 'due_at', 'received_at', 'registrar_id'])
    .where('status', '=', 'pending').where('due_at', '<=', soon).orderBy('received_at').orderBy('id').limit(limit).execute();
  const items = pending.map((a) => ({ ...a, occasion: a.due_at <= now ? 'overdue' : 'near' }));
  return actOnEach(reg, actor, 'application.deadlineAlert', items, async (ctx, a) => {
    const row = await ctx.tx.selectFrom('applications').select(['status']).where('id', '=', a.id).forUpdate().skipLocked().executeTakeFirst();
    if (!row || row.status !== 'pending') return false;
    if (!(await firstNotice(ctx, 'application-deadline', String(a.id), a.occasion))) return false;
    await tellStaff(ctx, 'application.deadline', {
      applicationId: a.id, name: a.unicode_name, registrar: await registrarName(ctx, a.registrar_id), dueAt: a.due_at, receivedAt: a.received_at,
    }, `application-deadline:${a.id}:${a.occasion}`);
    await ctx.record({ objectType: 'application', objectId: String(a.id), before: null, after: { dueAt: a.due_at, state: a.occasion }, history: false,
      topic: 'application.deadline', payload: { clause: 'R3.12', state: a.occasion } });
    return true;
  });
}
