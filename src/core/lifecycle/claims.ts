// What every timer of the worker does with what it found due: each object in its own operation, claimed with
// FOR UPDATE SKIP LOCKED and checked again under the lock, so several workers (or one run twice) act exactly once.
import type { DomainRow } from '../../db/schema.ts';
import type { Actor } from '../actor.ts';
import { runOperation, type OperationContext } from '../operation.ts';
import type { Registry } from '../registry.ts';

/** Runs `act` for each due item in an operation of its own; returns how many it acted on (act returned true). */
export async function actOnEach<T>(reg: Registry, actor: Actor, operation: string, items: readonly T[],
  act: (ctx: OperationContext, item: T) => Promise<boolean>): Promise<number> {
  let n = 0;
  for (const item of items) {
    if (await runOperation(reg, actor, operation, (ctx) => act(ctx, item))) n++;
  }
  return n;
}

/** Locks a live domain for a timer, or null when another worker holds it or it is gone. */
export async function claimDomain(ctx: OperationContext, id: number): Promise<DomainRow | null> {
  const row = await ctx.tx.selectFrom('domains').selectAll().where('id', '=', id).where('deleted_at', 'is', null)
    .forUpdate().skipLocked().executeTakeFirst();
  return row ?? null;
}

/** Records that a timer's notice went out; false when it already had (on this node or another). */
export async function firstNotice(ctx: OperationContext, kind: string, objectId: string, occasion: string): Promise<boolean> {
  const r = await ctx.tx.insertInto('lifecycle_notices').values({ kind, object_id: objectId, occasion, at: ctx.now })
    .onConflict((oc) => oc.doNothing()).returning('kind').executeTakeFirst();
  return r !== undefined;
}
