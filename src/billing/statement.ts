// A registrar's statement: the ledger lines of its prepaid account in a period, with the opening balance,
// a running balance after each line and the closing balance. Amounts as the registrar sees them:
// payments and refunds add, charges and payouts take away.
import { sql, type Kysely } from 'kysely';
import { isRegistryOperator, type Actor } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import type { Registry } from '../core/registry.ts';
import type { Database } from '../db/schema.ts';
import { formatAzn, CURRENCY } from './money.ts';

export interface StatementLine {
  transactionId: number; at: Date; kind: 'payment' | 'charge' | 'refund' | 'payout'; description: string;
  operation: string | null; domain: string | null; years: number | null;
  /** Signed, as the registrar sees it (qəpik). */
  amount: number; amountAzn: string; balance: number; balanceAzn: string;
  refundOf: number | null; reference: string | null;
}

export interface Statement {
  registrarId: string; currency: string; from: Date | null; to: Date | null;
  opening: number; openingAzn: string; closing: number; closingAzn: string;
  totals: { payments: number; charges: number; refunds: number; payouts: number };
  lines: StatementLine[];
}

export interface LedgerLineRow {
  id: number; at: Date; kind: 'payment' | 'charge' | 'refund' | 'payout'; amount: number; operation: string | null; zone: string | null; years: number | null;
  unit_price: number | null; domain_name: string | null; object_type: string | null; object_id: string | null; refund_of: number | null;
  reason: string | null; reference: string | null;
}

/** The words of a ledger line, the same on statements and invoices. */
export function describe(t: LedgerLineRow): string {
  const years = t.years && t.operation !== 'restore' ? `, ${t.years} year${t.years > 1 ? 's' : ''}` : '';
  const what = t.domain_name ?? (t.object_type ? `${t.object_type} ${t.object_id}` : '');
  switch (t.kind) {
    case 'payment': return `payment received${t.reference ? `: ${t.reference}` : ''}`;
    case 'payout': return `balance paid out${t.reference ? `: ${t.reference}` : ''}`;
    case 'charge': return `${t.operation} ${what}${years}${t.object_type === 'application' ? ` (application ${t.object_id})` : ''}`;
    case 'refund': return `refund of #${t.refund_of}: ${t.operation} ${what}${t.reason ? ` (${t.reason})` : ''}`;
  }
}

export const signed = (t: { kind: string; amount: number }): number => (t.kind === 'payment' || t.kind === 'refund' ? t.amount : -t.amount);

/** Sum of the registrar's signed ledger amounts before `before` (its balance at that instant). */
export async function balanceBefore(db: Kysely<Database>, registrarId: string, before: Date): Promise<number> {
  const r = await sql<{ n: number | null }>`select sum(case when kind in ('payment','refund') then amount else -amount end)::int8 as n
    from ledger_transactions where registrar_id = ${registrarId} and at < ${before}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export async function ledgerLines(db: Kysely<Database>, registrarId: string, from: Date | null, to: Date | null): Promise<LedgerLineRow[]> {
  let q = db.selectFrom('ledger_transactions')
    .select(['id', 'at', 'kind', 'amount', 'operation', 'zone', 'years', 'unit_price', 'domain_name', 'object_type', 'object_id', 'refund_of', 'reason', 'reference'])
    .where('registrar_id', '=', registrarId);
  if (from) q = q.where('at', '>=', from);
  if (to) q = q.where('at', '<', to);
  return q.orderBy('at').orderBy('id').execute();
}

/** The statement of [from, to) (either end open when null). Seen by the registrar itself and the National Administrator. */
export async function statement(reg: Registry, actor: Actor, registrarId: string, period: { from?: Date | null; to?: Date | null } = {}): Promise<Statement> {
  if (!isRegistryOperator(actor) && !(actor.type === 'registrar' && actor.registrarId === registrarId)) {
    throw new RegistryError('authorization', "a registrar's statement is seen by the registrar and the National Administrator only", 'R9.1');
  }
  const from = period.from ?? null;
  const to = period.to ?? null;
  if (from && to && from >= to) throw new RegistryError('range', 'the statement period ends before it starts', 'A4.1');
  if (!(await reg.db.selectFrom('registrars').select('id').where('id', '=', registrarId).executeTakeFirst())) {
    throw new RegistryError('notFound', `no registrar ${registrarId}`, 'R9.1');
  }
  const opening = from ? await balanceBefore(reg.db, registrarId, from) : 0;
  const rows = await ledgerLines(reg.db, registrarId, from, to);
  let balance = opening;
  const totals = { payments: 0, charges: 0, refunds: 0, payouts: 0 };
  const lines = rows.map((t): StatementLine => {
    const amount = signed(t);
    balance += amount;
    totals[`${t.kind}s` as keyof typeof totals] += t.amount;
    return {
      transactionId: t.id, at: t.at, kind: t.kind, description: describe(t), operation: t.operation, domain: t.domain_name, years: t.years,
      amount, amountAzn: formatAzn(amount), balance, balanceAzn: formatAzn(balance), refundOf: t.refund_of, reference: t.reference,
    };
  });
  return { registrarId, currency: CURRENCY, from, to, opening, openingAzn: formatAzn(opening), closing: balance, closingAzn: formatAzn(balance), totals, lines };
}
