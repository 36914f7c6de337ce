// Registrars' prepaid accounts as operations of their own: payments received (A4.2: cash or bank
// transfer, in AZN), payouts of what is left, the credit limit, and the balance.
import type { Kysely } from 'kysely';
import { assertOperator, isRegistryOperator, type Actor } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import { runOperation, type OperationContext } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import type { Database } from '../db/schema.ts';
import { lockRegistrarAccount, post, type AccountRow } from './ledger.ts';
import { azn, formatAzn } from './money.ts';

export interface BalanceView {
  registrarId: string; balance: number; balanceAzn: string; creditLimit: number; creditLimitAzn: string;
  /** What the registrar can still spend: balance plus credit limit. */
  available: number; availableAzn: string;
}

const balanceView = (registrarId: string, a: { balance: number; credit_limit: number }): BalanceView => ({
  registrarId, balance: a.balance, balanceAzn: formatAzn(a.balance), creditLimit: a.credit_limit, creditLimitAzn: formatAzn(a.credit_limit),
  available: a.balance + a.credit_limit, availableAzn: formatAzn(a.balance + a.credit_limit),
});

function assertOwnOrOperator(actor: Actor, registrarId: string): void {
  if (isRegistryOperator(actor)) return;
  if (actor.type === 'registrar' && actor.registrarId === registrarId) return;
  throw new RegistryError('authorization', "a registrar's balance is seen by the registrar and the National Administrator only", 'R9.1');
}

async function assertRegistrar(db: Kysely<Database>, registrarId: string): Promise<void> {
  if (!(await db.selectFrom('registrars').select('id').where('id', '=', registrarId).executeTakeFirst())) {
    throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.1');
  }
}

/** The registrar's balance (0 before its first payment). A read. */
export async function getBalance(reg: Registry, actor: Actor, registrarId: string): Promise<BalanceView> {
  assertOwnOrOperator(actor, registrarId);
  await assertRegistrar(reg.db, registrarId);
  const a = await reg.db.selectFrom('billing_accounts').select(['balance', 'credit_limit']).where('registrar_id', '=', registrarId).executeTakeFirst();
  return balanceView(registrarId, a ?? { balance: 0, credit_limit: 0 });
}

async function recordAccount(ctx: OperationContext, registrarId: string, before: AccountRow, after: AccountRow, topic: string, payload: Record<string, unknown>): Promise<void> {
  await ctx.record({ objectType: 'billing_account', objectId: registrarId, before: balanceView(registrarId, before), after: balanceView(registrarId, after), topic, payload });
}

export interface CreditInput { registrarId: string; amount: number; reference?: string | null }
export interface PostingResult { transactionId: number; amount: number; balance: BalanceView }

/** Records a registrar's payment (in qəpik) received by the registry: the prepaid balance grows by it. */
export async function creditRegistrar(reg: Registry, actor: Actor, input: CreditInput): Promise<PostingResult> {
  assertOperator(actor, "record a registrar's payment", 'A4.2');
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new RegistryError('range', 'a payment is a whole number of qəpik above 0', 'A4.6');
  const reference = input.reference?.trim() || null;
  if (reference && reference.length > 200) throw new RegistryError('range', 'the payment reference is longer than 200 characters', 'A4.2');
  return runOperation(reg, actor, 'registrar.credit', async (ctx) => {
    const account = await lockRegistrarAccount(ctx, input.registrarId);
    const before = { ...account };
    const transactionId = await post(ctx, account, 'bank', input.amount, { kind: 'payment', registrarId: input.registrarId, amount: input.amount, reference });
    await recordAccount(ctx, input.registrarId, before, account, 'billing.payment', { transactionId, amount: input.amount, reference });
    return { transactionId, amount: input.amount, balance: balanceView(input.registrarId, account) };
  });
}

/** Pays back part or all of a registrar's balance (e.g. when its accreditation ends, R9.8). */
export async function payoutRegistrar(reg: Registry, actor: Actor, input: CreditInput): Promise<PostingResult> {
  assertOperator(actor, "pay out a registrar's balance", 'A4.2');
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new RegistryError('range', 'a payout is a whole number of qəpik above 0', 'A4.6');
  return runOperation(reg, actor, 'registrar.payout', async (ctx) => {
    const account = await lockRegistrarAccount(ctx, input.registrarId);
    if (account.balance < input.amount) {
      throw new RegistryError('billing', `registrar ${input.registrarId} has ${azn(account.balance)}: cannot pay out ${azn(input.amount)}`, 'A4.2');
    }
    const before = { ...account };
    const transactionId = await post(ctx, account, 'bank', -input.amount, { kind: 'payout', registrarId: input.registrarId, amount: input.amount, reference: input.reference?.trim() || null });
    await recordAccount(ctx, input.registrarId, before, account, 'billing.payout', { transactionId, amount: input.amount });
    return { transactionId, amount: input.amount, balance: balanceView(input.registrarId, account) };
  });
}

/** How far below zero the registrar's balance may go (0 by default: prepaid only). */
export async function setCreditLimit(reg: Registry, actor: Actor, registrarId: string, limit: number): Promise<BalanceView> {
  assertOperator(actor, "set a registrar's credit limit", 'A4.2');
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RegistryError('range', 'a credit limit is a whole number of qəpik, 0 or more', 'A4.2');
  return runOperation(reg, actor, 'registrar.creditLimit', async (ctx) => {
    const account = await lockRegistrarAccount(ctx, registrarId);
    if (account.balance < -limit) {
      throw new RegistryError('billing', `registrar ${registrarId} owes ${azn(-account.balance)}: the credit limit cannot go below that`, 'A4.2');
    }
    const before = { ...account };
    await ctx.tx.updateTable('billing_accounts').set({ credit_limit: limit }).where('id', '=', account.id).execute();
    account.credit_limit = limit;
    await recordAccount(ctx, registrarId, before, account, 'billing.creditLimit', { creditLimit: limit });
    return balanceView(registrarId, account);
  });
}
