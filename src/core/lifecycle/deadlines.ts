// R3.12: applications are decided within 3 working days. Staff are alerted when a pending application's
// deadline is near (deadlineAlertWorkingDays), and again if it passes undecided.
import type { Actor } from '../actor.ts';
import { runOperation } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { firstNotice } from './expiry.ts';
import { registrarName, tellStaff } from './notices.ts';

export async function alertDeadlines(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const now = reg.clock.now();
  const calendar = await reg.policy.calendar();
  const soon = calendar.deadline(now, reg.profile.lifecycle.deadlineAlertWorkingDays);
  const pending = await reg.db.selectFrom('applications').select(['id', 'name', 'unicode_name', 'due_at', 'received_at', 'registrar_id'])
    .where('status', '=', 'pending').where('due_at', '<=', soon).orderBy('received_at').orderBy('id').limit(limit).execute();
  let n = 0;
  for (const a of pending) {
    const occasion = a.due_at <= now ? 'overdue' : 'near';
    const done = await runOperation(reg, actor, 'application.deadlineAlert', async (ctx) => {
      const row = await ctx.tx.selectFrom('applications').select(['status']).where('id', '=', a.id).forUpdate().skipLocked().executeTakeFirst();
      if (!row || row.status !== 'pending') return false;
      if (!(await firstNotice(ctx, 'application-deadline', String(a.id), occasion))) return false;
      await tellStaff(ctx, 'application.deadline', {
        applicationId: a.id, name: a.unicode_name, registrar: await registrarName(ctx, a.registrar_id), dueAt: a.due_at, receivedAt: a.received_at,
      }, `application-deadline:${a.id}:${occasion}`);
      await ctx.record({ objectType: 'application', objectId: String(a.id), before: null, after: { dueAt: a.due_at, state: occasion }, history: false,
        topic: 'application.deadline', payload: { clause: 'R3.12', state: occasion } });
      return true;
    });
    if (done) n++;
  }
  return n;
}
