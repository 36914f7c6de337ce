// The registrar's poll queue (RFC 5730 §2.9.2.3): messages written by operations, read and acknowledged here.
import { sql } from 'kysely';
import type { Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import type { Registry } from './registry.ts';

export interface PollMessage { id: number; at: Date; kind: string; message: string; payload: Record<string, unknown> }

/** The oldest unacknowledged message and the queue length (RFC 5730 §2.9.2.3). */
export async function pollRequest(reg: Registry, registrarId: string): Promise<{ count: number; message: PollMessage | null }> {
  const count = await reg.db.selectFrom('poll_messages').select(sql<number>`count(*)::int`.as('n'))
    .where('registrar_id', '=', registrarId).where('acked_at', 'is', null).executeTakeFirstOrThrow();
  if (count.n === 0) return { count: 0, message: null };
  const m = await reg.db.selectFrom('poll_messages').select(['id', 'at', 'kind', 'message', 'payload'])
    .where('registrar_id', '=', registrarId).where('acked_at', 'is', null).orderBy('id').limit(1).executeTakeFirst();
  return { count: count.n, message: m ? { ...m, payload: (m.payload ?? {}) as Record<string, unknown> } : null };
}

/** Dequeues one of the registrar's own messages; returns how many remain. */
export async function pollAck(reg: Registry, actor: Actor, registrarId: string, id: number): Promise<number> {
  return runOperation(reg, actor, 'poll.ack', async (ctx) => {
    const acked = await ctx.tx.updateTable('poll_messages').set({ acked_at: ctx.now })
      .where('id', '=', id).where('registrar_id', '=', registrarId).where('acked_at', 'is', null).returning('id').executeTakeFirst();
    if (!acked) throw new RegistryError('notFound', `no message ${id} waiting in your queue`, 'RFC 5730 §2.9.2.3');
    const left = await ctx.tx.selectFrom('poll_messages').select(sql<number>`count(*)::int`.as('n'))
      .where('registrar_id', '=', registrarId).where('acked_at', 'is', null).executeTakeFirstOrThrow();
    return left.n;
  });
}
