// Queues notices the way an operation does, from a separate process (for the CLI tests):
//   node --import tsx test/notify/queue-script.ts PREFIX COUNT [USER-EMAIL]
// COUNT renewal requests to PREFIX-N@example.az, and one to the account of USER-EMAIL (created, English).
import { cliActor } from '../../src/core/actor.ts';
import { runOperation } from '../../src/core/operation.ts';
import { createUser } from '../../src/core/registrars.ts';
import { openRegistry } from '../../src/server/bootstrap.ts';
import { notify } from '../../src/notify/index.ts';

const [prefix = 'q', countText = '1', userEmail] = process.argv.slice(2);
const reg = await openRegistry();
try {
  const ids: number[] = [];
  for (let i = 0; i < Number(countText); i++) {
    const r = await runOperation(reg, cliActor, 'test.queue', (ctx) => notify(ctx, {
      template: 'renewal.request', params: { name: `${prefix}${i}.az`, expiryDate: '2027-01-15', registrar: 'Registrar Bir' },
      to: { email: `${prefix}-${i}@example.az` }, dedupe: `renewal-request:${prefix}${i}.az:2027-01-15`,
    }));
    ids.push(...r.queued.map((q) => q.id));
  }
  if (userEmail) {
    const u = await createUser(reg, cliActor, { email: userEmail, name: 'Leyla Həsənova', role: 'registrant', password: 'Owner-Pass-123' });
    await reg.db.updateTable('users').set({ lang: 'en' }).where('id', '=', u.id).execute();
    const r = await runOperation(reg, cliActor, 'test.queue', (ctx) => notify(ctx, {
      template: 'domain.restored', params: { name: `${prefix}-inbox.az`, restoredAt: ctx.now, registrar: 'Registrar Bir' },
      to: { user: u.id }, dedupe: `restored:${prefix}-inbox.az`,
    }));
    ids.push(...r.queued.map((q) => q.id));
  }
  process.stdout.write(JSON.stringify(ids) + '\n');
} finally {
  await reg.database.close();
}
