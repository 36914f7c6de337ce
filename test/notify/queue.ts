// Queues notices the way an operation does (for the CLI tests): COUNT renewal requests to PREFIX-N@example.az, and
// one to the account of USER-EMAIL (created, English). Returns the notification ids.
import { cliActor } from '../../src/core/actor.ts';
import { runOperation } from '../../src/core/operation.ts';
import { createUser } from '../../src/core/registrars.ts';
import { setUserLanguage } from '../../src/core/languages.ts';
import type { Registry } from '../../src/core/registry.ts';
import { notify } from '../../src/notify/index.ts';

export async function queueNotices(reg: Registry, prefix: string, count: number, userEmail?: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = await runOperation(reg, cliActor, 'test.queue', (ctx) => notify(ctx, {
      template: 'renewal.request', params: { name: `${prefix}${i}.az`, expiryDate: '2027-01-15', registrar: 'Registrar Bir' },
      to: { email: `${prefix}-${i}@example.az` }, dedupe: `renewal-request:${prefix}${i}.az:2027-01-15`,
    }));
    ids.push(...r.queued.map((q) => q.id));
  }
  if (userEmail) {
    const u = await createUser(reg, cliActor, { email: userEmail, name: 'Leyla Həsənova', role: 'registrant', password: 'Owner-Pass-123' });
    await setUserLanguage(reg, cliActor, userEmail, 'en');
    const r = await runOperation(reg, cliActor, 'test.queue', (ctx) => notify(ctx, {
      template: 'domain.restored', params: { name: `${prefix}-inbox.az`, restoredAt: ctx.now, registrar: 'Registrar Bir' },
      to: { user: u.id }, dedupe: `restored:${prefix}-inbox.az`,
    }));
    ids.push(...r.queued.map((q) => q.id));
  }
  return ids;
}
