// The price list: per zone and operation, in qəpik, each price applying from its effective_from. The price
// of an operation is the latest one not after the operation time, so a change can be announced ahead.
import { sql, type Kysely } from 'kysely';
import { assertOperator, type Actor } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import { runOperation } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import type { BillingOperation, Database } from '../db/schema.ts';
import { DEFAULT_PRICES } from './defaults.ts';
import { formatAzn } from './money.ts';

export const BILLING_OPERATIONS: readonly BillingOperation[] = ['create', 'renew', 'restore', 'transfer'];

export interface PriceView {
  id: number; zone: string; operation: BillingOperation; amount: number; amountAzn: string; effectiveFrom: Date; createdAt: Date; createdBy: string;
}

type PriceRow = { id: number; zone: string; operation: BillingOperation; amount: number; effective_from: Date; created_at: Date; created_by: string };

const view = (r: PriceRow): PriceView => ({
  id: r.id, zone: r.zone, operation: r.operation, amount: r.amount, amountAzn: formatAzn(r.amount), effectiveFrom: r.effective_from,
  createdAt: r.created_at, createdBy: r.created_by,
});

export function assertBillingOperation(op: string): BillingOperation {
  if (!(BILLING_OPERATIONS as readonly string[]).includes(op)) {
    throw new RegistryError('syntax', `'${op}' is not a priced operation (${BILLING_OPERATIONS.join(', ')})`, 'R3.1');
  }
  return op as BillingOperation;
}

/** The price in force for zone and operation at `at`, or null when none is. */
export async function priceAt(db: Kysely<Database>, zone: string, operation: BillingOperation, at: Date): Promise<PriceView | null> {
  const row = await db.selectFrom('prices').selectAll().where('zone', '=', zone).where('operation', '=', operation)
    .where('effective_from', '<=', at).orderBy('effective_from', 'desc').limit(1).executeTakeFirst();
  return row ? view(row) : null;
}

/** True once the registry has any price: until then it charges nothing (a profile without a price list). */
export async function hasPriceList(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await db.selectFrom('prices').select('id').limit(1).executeTakeFirst());
}

/**
 * The price list. By default each zone and operation's price in force at `at` and any announced after it;
 * `all` gives the whole history.
 */
export async function listPrices(db: Kysely<Database>, opts: { at: Date; zone?: string; all?: boolean }): Promise<PriceView[]> {
  let q = db.selectFrom('prices').selectAll();
  if (opts.zone) q = q.where('zone', '=', opts.zone);
  if (!opts.all) {
    // In force at `at`: the latest not after it; plus everything later (announced changes).
    q = q.where((eb) => eb.or([
      eb('effective_from', '>', opts.at),
      eb('effective_from', '=', eb.selectFrom('prices as p').select(sql<Date>`max(p.effective_from)`.as('m'))
        .whereRef('p.zone', '=', 'prices.zone').whereRef('p.operation', '=', 'prices.operation').where('p.effective_from', '<=', opts.at)),
    ]));
  }
  const rows = await q.orderBy('zone').orderBy('operation').orderBy('effective_from').execute();
  return rows.map(view);
}

export interface SetPriceInput { zone: string; operation: string; amount: number; effectiveFrom: Date }

/** A new price (R3.1: set by the National Administrator). Replaces one announced for the very same instant. */
export async function setPrice(reg: Registry, actor: Actor, input: SetPriceInput): Promise<PriceView> {
  assertOperator(actor, 'set prices', 'R3.1');
  const operation = assertBillingOperation(input.operation);
  if (!Number.isSafeInteger(input.amount) || input.amount < 0) throw new RegistryError('range', 'a price is a whole number of qəpik, 0 or more', 'R3.1');
  if (Number.isNaN(input.effectiveFrom.getTime())) throw new RegistryError('syntax', 'the effective date is not a date', 'R3.1');
  const zone = input.zone.trim().toLowerCase().replace(/^\.|\.$/g, '');
  return runOperation(reg, actor, 'price.set', async (ctx) => {
    const z = await ctx.tx.selectFrom('zones').select('name').where('name', '=', zone).executeTakeFirst();
    if (!z) throw new RegistryError('notFound', `'${zone}' is not a zone of this registry`, 'R4.11');
    // Prices already used by a charge stay as they were: the ledger refers to them.
    const same = await ctx.tx.selectFrom('prices').selectAll().where('zone', '=', zone).where('operation', '=', operation)
      .where('effective_from', '=', input.effectiveFrom).executeTakeFirst();
    if (same) {
      const used = await ctx.tx.selectFrom('ledger_transactions').select('id').where('price_id', '=', same.id).limit(1).executeTakeFirst();
      if (used) throw new RegistryError('exists', `the ${operation} price of ${zone} from ${input.effectiveFrom.toISOString()} has been charged already: set a new one from a later date`, 'R3.1');
      await ctx.tx.deleteFrom('prices').where('id', '=', same.id).execute();
    }
    const row = await ctx.tx.insertInto('prices').values({
      zone, operation, amount: input.amount, effective_from: input.effectiveFrom, created_at: ctx.now, created_by: ctx.actorId,
    }).returningAll().executeTakeFirstOrThrow();
    const v = view(row);
    await ctx.record({ objectType: 'price', objectId: `${zone}/${operation}/${row.effective_from.toISOString()}`, before: same ? view(same) : null, after: v,
      topic: 'price.set', payload: { zone, operation, amount: row.amount } });
    return v;
  });
}

/**
 * The profile's starting prices for every zone, once per registry (so an operator's later prices stay), in
 * the caller's transaction (the base seed's, src/seed/base.ts, after the zones exist).
 */
export async function seedPrices(tx: Kysely<Database>, tld: string, now: Date): Promise<boolean> {
  const defaults = DEFAULT_PRICES[tld];
  if (!defaults) return false;
  const key = `seed.prices.${tld}`;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
  if (await tx.selectFrom('settings').select('key').where('key', '=', key).executeTakeFirst()) return false;
  const zones = await tx.selectFrom('zones').select('name').where('profile', '=', tld).execute();
  const rows = zones.flatMap((z) => BILLING_OPERATIONS.map((operation) => ({
    zone: z.name, operation, amount: defaults.byZone(z.name)[operation], effective_from: new Date(defaults.effectiveFrom),
    created_at: now, created_by: 'system:seed',
  })));
  if (rows.length) await tx.insertInto('prices').values(rows).onConflict((oc) => oc.constraint('prices_one_per_instant').doNothing()).execute();
  await tx.insertInto('settings').values({ key, value: JSON.stringify({ at: now.toISOString() }) }).execute();
  return true;
}
