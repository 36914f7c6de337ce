// Refunds, each the return of (part of) one charge, found through the object the charge references:
// - the full fee of an application that is refused (R5.2) or withdrawn before a decision;
// - the fee of a transfer that is rejected or cancelled (nothing was delivered);
// - on termination of a registration, the unused whole months (Agreement A5.2), except when the
//   registrant itself terminated it by notice (A5.1.1).
import { RegistryError } from '../core/errors.ts';
import type { OperationContext } from '../core/operation.ts';
import type { BillingOperation } from '../db/schema.ts';
import { lockRegistrarAccount, post } from './ledger.ts';

export interface RefundResult { transactionId: number; registrarId: string; amount: number; refundOf: number; reason: string }

export type RefundInput =
  /** Everything not yet refunded of the charges for this object (R5.2, a transfer that did not happen). */
  | { kind: 'charges'; objectType: 'application' | 'transfer' | 'domain'; objectId: string; reason: string }
  /** A5.2: the unused whole months of the registration with this ROID; `ground` is why it ended. */
  | { kind: 'unusedMonths'; domainRoid: string; ground: string };

interface ChargeRow { id: number; registrar_id: string; amount: number; years: number | null; operation: string | null; object_type: string | null; object_id: string | null; zone: string | null; domain_name: string | null; domain_roid: string | null }

async function refunded(ctx: OperationContext, chargeId: number): Promise<number> {
  const r = await ctx.tx.selectFrom('ledger_transactions').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('n'))
    .where('refund_of', '=', chargeId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Refunds up to `amount` of one charge: never more than what is left of it. Locks the registrar's account first. */
async function refundCharge(ctx: OperationContext, charge: ChargeRow, amount: number | 'rest', reason: string): Promise<RefundResult | null> {
  const account = await lockRegistrarAccount(ctx, charge.registrar_id);
  const left = charge.amount - await refunded(ctx, charge.id);
  const value = amount === 'rest' ? left : Math.min(amount, left);
  if (value <= 0) return null;
  const transactionId = await post(ctx, account, 'refunds', value, {
    kind: 'refund', registrarId: charge.registrar_id, amount: value, refundOf: charge.id, reason, operation: charge.operation as BillingOperation | null,
    zone: charge.zone, years: charge.years, objectType: charge.object_type, objectId: charge.object_id, domainName: charge.domain_name, domainRoid: charge.domain_roid,
  });
  return { transactionId, registrarId: charge.registrar_id, amount: value, refundOf: charge.id, reason };
}

const CHARGE_COLUMNS = ['id', 'registrar_id', 'amount', 'years', 'operation', 'object_type', 'object_id', 'zone', 'domain_name', 'domain_roid', 'at'] as const;

/** Whole months from `from` to `to` (0 when `to` is not later). A month ends on the same day of the next month. */
export function wholeMonths(from: Date, to: Date): number {
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  const shifted = (n: number) => {
    const d = new Date(from);
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + n);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
    return d;
  };
  while (months > 0 && shifted(months) > to) months--;
  return Math.max(0, months);
}

async function refundObject(ctx: OperationContext, input: Extract<RefundInput, { kind: 'charges' }>): Promise<RefundResult[]> {
  const charges = await ctx.tx.selectFrom('ledger_transactions').select(CHARGE_COLUMNS).where('kind', '=', 'charge')
    .where('object_type', '=', input.objectType).where('object_id', '=', input.objectId).orderBy('registrar_id').orderBy('id').execute();
  const out: RefundResult[] = [];
  for (const c of charges) {
    const r = await refundCharge(ctx, c, 'rest', input.reason);
    if (r) out.push(r);
  }
  return out;
}

/**
 * A5.2: the unused whole months from now to the expiry, refunded at the monthly fee of the charges that
 * bought them: the newest charge bought the last months, so months are taken from the newest charge back.
 * Time that was not charged (an operator's create, a grandfathered import) is not refunded.
 */
async function refundUnusedMonths(ctx: OperationContext, input: Extract<RefundInput, { kind: 'unusedMonths' }>): Promise<RefundResult[]> {
  if (input.ground === 'A5.1.1') return []; // A5.2: no refund when the registrant terminated by notice
  const domain = await ctx.tx.selectFrom('domains').select(['roid', 'expires_at', 'application_id']).where('roid', '=', input.domainRoid).executeTakeFirst();
  if (!domain) throw new RegistryError('notFound', `no registration with ROID ${input.domainRoid}`, 'A5.2');
  let months = wholeMonths(ctx.now, domain.expires_at);
  if (months === 0) return [];
  const charges = await ctx.tx.selectFrom('ledger_transactions').select(CHARGE_COLUMNS).where('kind', '=', 'charge')
    .where('operation', 'in', ['create', 'renew', 'transfer'])
    .where((eb) => eb.or([
      eb('domain_roid', '=', domain.roid),
      ...(domain.application_id ? [eb.and([eb('object_type', '=', 'application'), eb('object_id', '=', String(domain.application_id))])] : []),
    ]))
    .orderBy('at', 'desc').orderBy('id', 'desc').execute();
  // The accounts in one order, so two refunds never wait on each other.
  for (const id of [...new Set(charges.map((c) => c.registrar_id))].sort()) await lockRegistrarAccount(ctx, id);
  const out: RefundResult[] = [];
  for (const c of charges) {
    if (months === 0) break;
    if (c.object_type === 'transfer') {
      const t = await ctx.tx.selectFrom('transfers').select('status').where('id', '=', Number(c.object_id)).executeTakeFirst();
      if (!t || !['clientApproved', 'serverApproved'].includes(t.status)) continue; // no time was added
    }
    if (!c.years) continue;
    const bought = c.years * 12;
    const used = Math.min(months, bought);
    months -= used;
    // What these months are worth, less what was refunded of this charge already: asking twice refunds nothing more.
    const due = Math.floor((c.amount * used) / bought) - await refunded(ctx, c.id);
    if (due <= 0) continue;
    const r = await refundCharge(ctx, c, due, `A5.2: ${used} unused month${used > 1 ? 's' : ''} (${input.ground})`);
    if (r) out.push(r);
  }
  return out;
}

/** Refunds inside the operation's transaction (call it from runOperation); returns one result per charge refunded. */
export async function refund(ctx: OperationContext, input: RefundInput): Promise<RefundResult[]> {
  return input.kind === 'charges' ? refundObject(ctx, input) : refundUnusedMonths(ctx, input);
}
