// `domen notify list|show|retry|send-pending` and `domen inbox list`: the notification queue for operators
// (docs/notifications.md).
import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { RegistryError } from '../../core/errors.ts';
import { deliverPending, inboxOf, listNotifications, queueSummary, retryNotifications, showNotification } from '../../notify/index.ts';
import type { CliContext } from '../context.ts';
import { json, table } from '../output.ts';

function positiveInt(v: string, what: string): number {
  if (!/^[0-9]{1,15}$/.test(v) || Number(v) < 1) throw new RegistryError('syntax', `${what} is a whole number above 0, not '${v}'`, 'R3.11');
  return Number(v);
}

export function notifyCommands(program: Command, ctx: CliContext): void {
  const notify = program.command('notify').description('notifications: the e-mail queue, its dead-letter list, retries');

  notify.command('list')
    .option('--status <status>', 'pending, sent or dead (default: all)')
    .option('--limit <n>', 'at most N, newest first', '100')
    .option('--json', 'print JSON')
    .description('queued, sent and dead notifications (e-mail, inbox, EPP poll), newest first')
    .action(async (o: { status?: string; limit: string; json?: boolean }) => {
      const reg = await ctx.registry();
      const rows = await listNotifications(reg, { status: o.status, limit: positiveInt(o.limit, '--limit') });
      if (o.json) { ctx.io.out(json(rows)); return; }
      const s = await queueSummary(reg);
      ctx.io.out(`${s.pending} pending, ${s.sent} sent, ${s.dead} dead\n`);
      if (rows.length) {
        ctx.io.out(table(rows.map((r) => ({
          id: r.id, status: r.status, channel: r.channel, to: r.recipient, lang: r.lang, template: r.template, attempts: r.attempts,
          next: r.status === 'pending' ? r.nextAttemptAt : '', error: (r.lastError ?? '').slice(0, 60),
        })), ['id', 'status', 'channel', 'to', 'lang', 'template', 'attempts', 'next', 'error']));
      }
    });

  notify.command('show').argument('<id>', 'notification id').option('--json', 'print JSON')
    .description('one notification with its text as the recipient gets it')
    .action(async (id: string, o: { json?: boolean }) => {
      const reg = await ctx.registry();
      const n = await showNotification(reg, positiveInt(id, 'the id'));
      if (o.json) { ctx.io.out(json(n)); return; }
      ctx.io.out(`notification ${n.id}: ${n.status}, ${n.channel} to ${n.recipient} (${n.lang}), ${n.template}, ${n.attempts} attempt(s)\n`);
      if (n.lastError) ctx.io.out(`last error: ${n.lastError}\n`);
      ctx.io.out(`\nSubject: ${n.text.subject}\n\n${n.text.body}\n`);
    });

  notify.command('retry').argument('[id]', 'notification id')
    .option('--all-dead', 'every notification on the dead-letter list')
    .description('queue dead e-mail again, due now, attempts counted from zero')
    .action(async (id: string | undefined, o: { allDead?: boolean }) => {
      if (Boolean(id) === Boolean(o.allDead)) throw new RegistryError('syntax', 'name one notification id or --all-dead', 'R3.11');
      const reg = await ctx.registry();
      const ids = await retryNotifications(reg, cliActor, id ? { id: positiveInt(id, 'the id') } : { allDead: true });
      ctx.io.out(ids.length ? `queued again: ${ids.join(', ')}\n` : 'the dead-letter list is empty\n');
    });

  notify.command('send-pending')
    .option('--limit <n>', 'at most N messages', '500')
    .option('--json', 'print JSON')
    .description('one delivery pass now: send the e-mail that is due (DOMEN_SMTP_URL)')
    .action(async (o: { limit: string; json?: boolean }) => {
      const reg = await ctx.registry();
      const r = await deliverPending(reg, { limit: positiveInt(o.limit, '--limit') });
      if (o.json) { ctx.io.out(json(r)); return; }
      ctx.io.out(`${r.claimed} due: ${r.sent} sent, ${r.retrying} to retry, ${r.dead} dead\n`);
      for (const e of r.errors.slice(0, 20)) ctx.io.out(`  ${e.id}: ${e.error}\n`);
    });

  const inbox = program.command('inbox').description('account inboxes (R3.11, R6.1, R7.5 notices)');
  inbox.command('list').argument('<email>', "the user's e-mail address").option('--json', 'print JSON')
    .description("a user's account inbox, newest first")
    .action(async (email: string, o: { json?: boolean }) => {
      const reg = await ctx.registry();
      const box = await inboxOf(reg, email);
      if (o.json) { ctx.io.out(json(box)); return; }
      ctx.io.out(`${box.user.name} <${box.user.email}> (${box.user.lang}): ${box.messages.length} message(s)\n`);
      if (box.messages.length) {
        ctx.io.out(table(box.messages.map((m) => ({ id: m.id, at: m.at, read: m.readAt ? 'yes' : 'no', subject: m.subject })), ['id', 'at', 'read', 'subject']));
      }
    });
}
