// The double-entry ledger of registrars' prepaid balances, in qəpik. Every posting is one ledger
// transaction whose entries sum to zero (the database checks it at commit); a registrar's prepaid account
// is locked (SELECT ... FOR UPDATE) in the operation's own transaction before its balance is read, so
// concurrent operations of one registrar are charged one after the other and never overdraw it.
//
// Sign convention: debits positive, credits negative. A registrar's prepaid account is what the registry
// owes it (a liability): a payment credits it, a charge debits it. Its `balance` column holds the
// registrar's available money, i.e. the negated sum of its entries.
import type { Kysely } from 'kysely';
import { isRegistryOperator } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import type { OperationContext } from '../core/operation.ts';
import type { BillingOperation, Database } from '../db/schema.ts';
import { azn } from './money.ts';
import { hasPriceList, priceAt } from './prices.ts';

export type RegistryAccount = 'bank' | 'revenue' | 'refunds';

export interface AccountRow { id: number; registrar_id: string | null; balance: number; credit_limit: number }

async function registryAccountId(db: Kysely<Database>, kind: RegistryAccount): Promise<number> {
  const row = await db.selectFrom('billing_accounts').select('id').where('code', '=', `registry:${kind}`).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The registrar's prepaid account, created at first use, locked until the end of the operation's
 * transaction. Every posting to a registrar account goes through here.
 */
export async function lockRegistrarAccount(ctx: OperationContext, registrarId: string): Promise<AccountRow> {
  const registrar = await ctx.tx.selectFrom('registrars').select(['id', 'name']).where('id', '=', registrarId).executeTakeFirst();
  if (!registrar) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.1');
  await ctx.tx.insertInto('billing_accounts').values({ code: `registrar:${registrarId}`, kind: 'registrar', registrar_id: registrarId, name: `Prepaid balance of ${registrar.name}` })
    .onConflict((oc) => oc.constraint('billing_accounts_registrar').doNothing()).execute();
  return ctx.tx.selectFrom('billing_accounts').select(['id', 'registrar_id', 'balance', 'credit_limit'])
    .where('registrar_id', '=', registrarId).forUpdate().executeTakeFirstOrThrow();
}

export interface TransactionFields {
  kind: 'payment' | 'charge' | 'refund' | 'payout'; registrarId: string; amount: number;
  operation?: BillingOperation | null; zone?: string | null; years?: number | null; unitPrice?: number | null; priceId?: number | null;
  objectType?: string | null; objectId?: string | null; domainName?: string | null; domainRoid?: string | null;
  refundOf?: number | null; reason?: string | null; reference?: string | null;
}

/**
 * One balanced posting between a (locked) registrar account and one of the registry's accounts.
 * `registrarDelta` is the change of the registrar's available balance: + for payments and refunds.
 */
export async function post(ctx: OperationContext, account: AccountRow, counter: RegistryAccount, registrarDelta: number, f: TransactionFields): Promise<number> {
  if (!Number.isSafeInteger(f.amount) || f.amount <= 0 || Math.abs(registrarDelta) !== f.amount) throw new Error(`bad posting amount ${f.amount}/${registrarDelta}`);
  const t = await ctx.tx.insertInto('ledger_transactions').values({
    at: ctx.now, kind: f.kind, registrar_id: f.registrarId, amount: f.amount, operation: f.operation ?? null, zone: f.zone ?? null,
    years: f.years ?? null, unit_price: f.unitPrice ?? null, price_id: f.priceId ?? null, object_type: f.objectType ?? null,
    object_id: f.objectId ?? null, domain_name: f.domainName ?? null, domain_roid: f.domainRoid ?? null, refund_of: f.refundOf ?? null,
    reason: f.reason ?? null, reference: f.reference ?? null, actor: ctx.actorId, source_operation: ctx.operation,
  }).returning('id').executeTakeFirstOrThrow();
  const counterId = await registryAccountId(ctx.tx, counter);
  await ctx.tx.insertInto('ledger_entries').values([
    { transaction_id: t.id, account_id: account.id, amount: -registrarDelta },
    { transaction_id: t.id, account_id: counterId, amount: registrarDelta },
  ]).execute();
  await ctx.tx.updateTable('billing_accounts').set((eb) => ({ balance: eb('balance', '+', registrarDelta) })).where('id', '=', account.id).execute();
  account.balance += registrarDelta;
  return t.id;
}

export interface ChargeInput {
  registrarId: string;
  /** The zone the name is in ('az', 'com.az'): prices are per zone. */
  zone: string;
  operation: BillingOperation;
  /** Years bought (create, renew, transfer); 1 for a restore. */
  years?: number;
  /** What was bought, so a refund finds the charge: a 'domain' by ROID, an 'application' or a 'transfer' by id. */
  objectType: 'domain' | 'application' | 'transfer';
  objectId: string;
  domainName?: string | null;
  /** The registration whose time was bought (A5.2 refunds); the domain's ROID. */
  domainRoid?: string | null;
}

export interface ChargeResult {
  /** The ledger transaction, or null when nothing was charged (see `waived`). */
  transactionId: number | null;
  amount: number;
  unitPrice: number;
  years: number;
  priceId: number | null;
  /** Why nothing was charged: an operator's own action, a registry without a price list, or a price of 0. */
  waived: null | 'registryOperator' | 'noPriceList' | 'free';
}

/**
 * Charges the registrar for an operation, inside the operation's transaction (call it from runOperation):
 * the price in force at ctx.now times the years. Throws RegistryError('billing') (EPP 2104) when the
 * balance, with the credit limit, does not cover it, so the whole operation rolls back.
 * Operations of the National Administrator itself (staff, the operator's CLI, the registry's timers) are
 * not charged.
 */
export async function chargeOperation(ctx: OperationContext, input: ChargeInput): Promise<ChargeResult> {
  const years = input.years ?? 1;
  if (!Number.isInteger(years) || years < 1) throw new RegistryError('range', `cannot charge for ${years} years`, 'R3.16');
  if (isRegistryOperator(ctx.actor)) return { transactionId: null, amount: 0, unitPrice: 0, years, priceId: null, waived: 'registryOperator' };
  const price = await priceAt(ctx.tx, input.zone, input.operation, ctx.now);
  if (!price) {
    if (!(await hasPriceList(ctx.tx))) return { transactionId: null, amount: 0, unitPrice: 0, years, priceId: null, waived: 'noPriceList' };
    throw new RegistryError('billing', `no ${input.operation} price is set for the zone ${input.zone}: the National Administrator sets one (domen price set)`, 'R3.1');
  }
  const amount = price.amount * years;
  if (amount === 0) return { transactionId: null, amount: 0, unitPrice: 0, years, priceId: price.id, waived: 'free' };
  const account = await lockRegistrarAccount(ctx, input.registrarId);
  if (account.balance - amount < -account.credit_limit) {
    const what = `the ${input.operation} of ${input.domainName ?? `${input.objectType} ${input.objectId}`}${input.operation === 'restore' ? '' : ` for ${years} year${years > 1 ? 's' : ''}`}`;
    const message = `insufficient balance: ${what} costs ${azn(amount)}; registrar ${input.registrarId} has ${azn(account.balance)}`
      + (account.credit_limit ? ` and a credit limit of ${azn(account.credit_limit)}` : '');
    // R5.1.6 (fee not paid) and A2.2 (registered once the fee is received).
    throw new RegistryError('billing', message, 'R5.1.6', [{ clause: 'A2.2', ground: 'R5.1.6', message }]);
  }
  const transactionId = await post(ctx, account, 'revenue', -amount, {
    kind: 'charge', registrarId: input.registrarId, amount, operation: input.operation, zone: input.zone, years, unitPrice: price.amount,
    priceId: price.id, objectType: input.objectType, objectId: input.objectId, domainName: input.domainName ?? null, domainRoid: input.domainRoid ?? null,
  });
  return { transactionId, amount, unitPrice: price.amount, years, priceId: price.id, waived: null };
}
