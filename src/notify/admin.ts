// What operators see and do: the queue and its dead-letter list, retries, a user's account inbox.
import { sql, type Selectable } from 'kysely';
import type { NotificationsTable } from '../db/schema.ts';
import type { Actor } from '../core/actor.ts';
import { assertOperator } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import { runOperation } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import { render, type Rendered, type StoredParams } from './render.ts';
import { isLang, isTemplateKey } from './templates/keys.ts';

export type NotificationStatus = 'pending' | 'sent' | 'dead';

export interface NotificationView {
  id: number; dedupeKey: string; channel: 'email' | 'inbox' | 'poll'; recipient: string; template: string; lang: string;
  subject: string; status: NotificationStatus; attempts: number; nextAttemptAt: Date; lastError: string | null;
  createdAt: Date; sentAt: Date | null; operation: string; params: StoredParams;
}

const STATUSES: readonly string[] = ['pending', 'sent', 'dead'];

export async function listNotifications(reg: Registry, opts: { status?: string; limit?: number } = {}): Promise<NotificationView[]> {
  if (opts.status !== undefined && !STATUSES.includes(opts.status)) {
    throw new RegistryError('syntax', `status is pending, sent or dead, not '${opts.status}'`, 'R3.11');
  }
  let q = reg.db.selectFrom('notifications').selectAll();
  if (opts.status) q = q.where('status', '=', opts.status as NotificationStatus);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit ?? 100).execute();
  return rows.map(toView);
}

function toView(r: Selectable<NotificationsTable>): NotificationView {
  return {
    id: r.id, dedupeKey: r.dedupe_key, channel: r.channel, recipient: r.recipient, template: r.template, lang: r.lang, subject: r.subject,
    status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at,
    sentAt: r.sent_at, operation: r.operation, params: r.params,
  };
}

/** One notification with its text as the recipient gets it. */
export async function showNotification(reg: Registry, id: number): Promise<NotificationView & { text: Rendered }> {
  const row = await reg.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `no notification ${id}`, 'R3.11');
  const v = toView(row);
  if (!isTemplateKey(v.template) || !isLang(v.lang)) throw new RegistryError('notFound', `notification ${id} has an unknown template ${v.template}`, 'R3.11');
  return { ...v, text: render(v.template, v.lang, v.params, reg.profile.tld) };
}

/**
 * Puts dead e-mail back in the queue, due now, with its attempts counted from zero.
 * `id` for one message; `allDead` for the whole dead-letter list. Returns the ids queued again.
 */
export async function retryNotifications(reg: Registry, actor: Actor, what: { id: number } | { allDead: true }): Promise<number[]> {
  assertOperator(actor, 'retry notifications');
  return runOperation(reg, actor, 'notification.retry', async (ctx) => {
    let q = ctx.tx.updateTable('notifications').set({ status: 'pending', attempts: 0, next_attempt_at: ctx.now })
      .where('channel', '=', 'email').where('status', '=', 'dead');
    if ('id' in what) {
      const row = await ctx.tx.selectFrom('notifications').select(['status', 'channel']).where('id', '=', what.id).forUpdate().executeTakeFirst();
      if (!row) throw new RegistryError('notFound', `no notification ${what.id}`, 'R3.11');
      if (row.status === 'sent') throw new RegistryError('statusProhibits', `notification ${what.id} was already sent`, 'R3.11');
      // A pending row may be in a sender's hands right now: only dead ones are safe to hand out again.
      if (row.status === 'pending') throw new RegistryError('statusProhibits', `notification ${what.id} is still pending: it is retried by itself`, 'R3.11');
      q = q.where('id', '=', what.id);
    }
    const rows = await q.returning('id').execute();
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    for (const id of ids) {
      await ctx.record({
        objectType: 'notification', objectId: String(id), before: { status: 'dead' }, after: { status: 'pending' },
        topic: 'notification.retried', history: false,
      });
    }
    return ids;
  });
}

/** Counts per status, for a summary line. */
export async function queueSummary(reg: Registry): Promise<Record<NotificationStatus, number>> {
  const rows = await reg.db.selectFrom('notifications').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
  const out: Record<NotificationStatus, number> = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}

export interface InboxMessageView { id: number; at: Date; subject: string; body: string; readAt: Date | null }

/** A user's account inbox, newest first, found by the user's e-mail address. */
export async function inboxOf(reg: Registry, email: string): Promise<{ user: { id: number; email: string; name: string; lang: string }; messages: InboxMessageView[] }> {
  const user = await reg.db.selectFrom('users').select(['id', 'email', 'name', 'lang'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!user) throw new RegistryError('notFound', `no user with the e-mail address ${email}`, 'R3.6');
  return { user, messages: await inboxMessages(reg, user.id) };
}

/** The messages of a user's account inbox, newest first (the newest `limit` of them when given). */
export async function inboxMessages(reg: Registry, userId: number, limit?: number): Promise<InboxMessageView[]> {
  let q = reg.db.selectFrom('inbox_messages').select(['id', 'at', 'subject', 'body', 'read_at']).where('user_id', '=', userId).orderBy('id', 'desc');
  if (limit) q = q.limit(limit);
  return (await q.execute()).map((r) => ({ id: r.id, at: r.at, subject: r.subject, body: r.body, readAt: r.read_at }));
}

/** How many messages of a user's inbox are unread. */
export async function unreadCount(reg: Registry, userId: number): Promise<number> {
  const r = await reg.db.selectFrom('inbox_messages').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return r.n;
}
