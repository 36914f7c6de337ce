// The double-entry ledger of registrars' prepaid balances, in qəpik. Every posting is one ledger
// transaction whose entries sum to zero (the database checks it at commit); a registrar's prepaid account
// is locked (SELECT ... FOR UPDATE) in the operation's own transaction before its balance is read, so
// concurrent operations of one registrar are charged one after the other and never overdraw it.
//
// Sign convention: debits positive, credits negative. A registrar's prepaid account is what the registry
// owes it (a liability): a payment credits it, a charge debits it. Its `balance` column holds the
// registrar's available money, i.e. the negated sum of its entries.
import { sql } from 'kysely';
import { isRegistryOperator } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import type { OperationContext } from '../core/operation.ts';
import type { BillingOperation } from '../db/schema.ts';
import { azn } from './money.ts';

export type RegistryAccount = 'bank' | 'revenue' | 'refunds';

export interface AccountRow { id: number; registrar_id: string | null; balance: number; credit_limit: number }

/**
 * The registrar's prepaid account, created at first use, locked until the end of the operation's
 * transaction. Every posting to a registrar account goes through here. One statement: the upsert's DO UPDATE
 * (which changes nothing) locks the row, waiting for a concurrent charge's commit and then returning the balance
 * it committed, as SELECT ... FOR UPDATE did after a separate insert.
 */
export async function lockRegistrarAccount(ctx: OperationContext, registrarId: string): Promise<AccountRow> {
  const r = await sql<AccountRow>`with r as (select id, name from registrars where id = ${registrarId})
    insert into billing_accounts (code, kind, registrar_id, name)
      select 'registrar:' || r.id, 'registrar', r.id, 'Prepaid balance of ' || r.name from r
    on conflict on constraint billing_accounts_registrar do update set balance = billing_accounts.balance
    returning id, registrar_id, balance, credit_limit`.execute(ctx.tx);
  if (!r.rows[0]) throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.1');
  return r.rows[0];
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
  // The transaction, its two entries (the registry's account found by its code) and the balance: one statement.
  const t = await sql<{ id: number }>`with t as (
      insert into ledger_transactions (at, kind, registrar_id, amount, operation, zone, years, unit_price, price_id, object_type, object_id,
        domain_name, domain_roid, refund_of, reason, reference, actor, source_operation)
      values (${ctx.now}, ${f.kind}, ${f.registrarId}, ${f.amount}, ${f.operation ?? null}, ${f.zone ?? null}, ${f.years ?? null}, ${f.unitPrice ?? null},
        ${f.priceId ?? null}, ${f.objectType ?? null}, ${f.objectId ?? null}, ${f.domainName ?? null}, ${f.domainRoid ?? null}, ${f.refundOf ?? null},
        ${f.reason ?? null}, ${f.reference ?? null}, ${ctx.actorId}, ${ctx.operation})
      returning id
    ), entries as (
      insert into ledger_entries (transaction_id, account_id, amount)
      select t.id, ${account.id}::bigint, ${-registrarDelta}::bigint from t
      union all select t.id, (select id from billing_accounts where code = ${`registry:${counter}`}), ${registrarDelta}::bigint from t
    ), balance as (
      update billing_accounts set balance = balance + ${registrarDelta}::bigint where id = ${account.id}
    )
    select id from t`.execute(ctx.tx);
  account.balance += registrarDelta;
  return t.rows[0]!.id;
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
 * The price in force at ctx.now (and whether the registry has any price), and, only when that price is not 0,
 * the registrar's prepaid account created at first use and locked as lockRegistrarAccount does: one statement
 * for what priceAt, hasPriceList and lockRegistrarAccount read and write one after the other. The account is
 * null when nothing is to be charged or there is no such registrar.
 */
async function priceAndAccount(ctx: OperationContext, input: ChargeInput): Promise<{ price: { id: number; amount: number } | null; anyPrice: boolean; account: AccountRow | null }> {
  const r = await sql<{ price_id: number | null; amount: number | null; any_price: boolean } & { [K in keyof AccountRow]: AccountRow[K] | null }>`with price as (
      select id, amount from prices where zone = ${input.zone} and operation = ${input.operation} and effective_from <= ${ctx.now}
      order by effective_from desc limit 1
    ), r as (
      select id, name from registrars where id = ${input.registrarId} and exists (select 1 from price where amount > 0)
    ), acc as (
      insert into billing_accounts (code, kind, registrar_id, name)
        select 'registrar:' || r.id, 'registrar', r.id, 'Prepaid balance of ' || r.name from r
      on conflict on constraint billing_accounts_registrar do update set balance = billing_accounts.balance
      returning id, registrar_id, balance, credit_limit
    )
    select price.id as price_id, price.amount, exists (select 1 from prices) as any_price, acc.id, acc.registrar_id, acc.balance, acc.credit_limit
    from (select 1) one left join price on true left join acc on true`.execute(ctx.tx);
  const row = r.rows[0]!;
  return {
    price: row.price_id === null || row.amount === null ? null : { id: row.price_id, amount: row.amount },
    anyPrice: row.any_price,
    account: row.id === null ? null : { id: row.id, registrar_id: row.registrar_id, balance: row.balance!, credit_limit: row.credit_limit! },
  };
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
  const { price, anyPrice, account } = await priceAndAccount(ctx, input);
  if (!price) {
    if (!anyPrice) return { transactionId: null, amount: 0, unitPrice: 0, years, priceId: null, waived: 'noPriceList' };
    throw new RegistryError('billing', `no ${input.operation} price is set for the zone ${input.zone}: the National Administrator sets one (domen price set)`, 'R3.1');
  }
  const amount = price.amount * years;
  if (amount === 0) return { transactionId: null, amount: 0, unitPrice: 0, years, priceId: price.id, waived: 'free' };
  if (!account) throw new RegistryError('notFound', `no registrar ${input.registrarId}`, 'R9.1');
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
