// Monthly invoices (A4.1: the fees are in the invoice) from the ledger: one per registrar and calendar
// month of the registry's time zone, numbered YYYY-NNNNNN per year of issue without gaps, and fixed at
// issue (the content is stored; the PDF is rendered from it at any time).
import { sql, type Kysely } from 'kysely';
import { assertOperator, isRegistryOperator, type Actor } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import { runOperation } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import type { Database } from '../db/schema.ts';
import { DEFAULT_ISSUER, type Issuer } from './defaults.ts';
import { CURRENCY, formatAzn } from './money.ts';
import { balanceBefore, describe, ledgerLines, signed } from './statement.ts';

export interface InvoiceLine {
  transactionId: number; date: string; kind: 'charge' | 'refund'; description: string; operation: string | null;
  domain: string | null; years: number | null; unitPrice: number | null; amount: number;
}

export interface InvoiceContent {
  issuer: Issuer;
  registrar: { id: string; name: string; legalForm: string | null; address: string | null; email: string };
  currency: string;
  timeZoneOffsetMinutes: number;
  lines: InvoiceLine[];
  /** The prepaid account over the month: opening + payments + refunds - charges - payouts = closing. */
  summary: { opening: number; payments: number; charges: number; refunds: number; payouts: number; closing: number };
}

export interface InvoiceView {
  number: string; registrarId: string; month: string; periodFrom: Date; periodTo: Date; issuedAt: Date; issuedBy: string;
  currency: string; total: number; totalAzn: string; content: InvoiceContent;
}

type InvoiceRow = { number: string; registrar_id: string; month: string; period_from: Date; period_to: Date; issued_at: Date; issued_by: string; currency: string; total: number; content: unknown };

const view = (r: InvoiceRow): InvoiceView => ({
  number: r.number, registrarId: r.registrar_id, month: r.month, periodFrom: r.period_from, periodTo: r.period_to, issuedAt: r.issued_at,
  issuedBy: r.issued_by, currency: r.currency, total: r.total, totalAzn: formatAzn(r.total), content: r.content as InvoiceContent,
});

/** 'YYYY-MM' -> [first instant, first instant of the next month) in the registry's civil time zone. */
export function monthPeriod(month: string, offsetMinutes: number): { from: Date; to: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RegistryError('syntax', `the month is YYYY-MM (like 2026-03): '${month}'`, 'A4.1');
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  const shift = offsetMinutes * 60_000;
  return { from: new Date(Date.UTC(y, mo, 1) - shift), to: new Date(Date.UTC(y, mo + 1, 1) - shift) };
}

/** The civil date (YYYY-MM-DD) of an instant in the registry's time zone. */
export const civilDate = (d: Date, offsetMinutes: number): string => new Date(d.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);

export async function issuer(db: Kysely<Database>, tld: string): Promise<Issuer> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'billing.issuer').executeTakeFirst();
  return (row?.value as Issuer | undefined) ?? DEFAULT_ISSUER[tld] ?? { name: `Registry of .${tld}`, address: '' };
}

/** The name and address printed on invoices as the issuer (the registry operator). */
export async function setIssuer(reg: Registry, actor: Actor, patch: Partial<Issuer>): Promise<Issuer> {
  assertOperator(actor, 'set the invoice issuer', 'A4.1');
  return runOperation(reg, actor, 'invoice.issuer', async (ctx) => {
    const before = await issuer(ctx.tx, reg.profile.tld);
    const after: Issuer = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    if (!after.name?.trim()) throw new RegistryError('required', 'the issuer needs a name', 'A4.1');
    await sql`insert into settings (key, value) values ('billing.issuer', ${JSON.stringify(after)}::jsonb)
      on conflict (key) do update set value = excluded.value, updated_at = now()`.execute(ctx.tx);
    await ctx.record({ objectType: 'invoice', objectId: 'issuer', before, after, topic: 'billing.issuer' });
    return after;
  });
}

export interface IssueInput { registrarId: string; month: string }

/** Issues the invoice of a past month for a registrar: its charges and refunds of that month. */
export async function issueInvoice(reg: Registry, actor: Actor, input: IssueInput): Promise<InvoiceView> {
  assertOperator(actor, 'issue invoices', 'A4.1');
  const offset = reg.profile.calendar.timeZoneOffsetMinutes;
  const { from, to } = monthPeriod(input.month, offset);
  return runOperation(reg, actor, 'invoice.issue', async (ctx) => {
    if (to > ctx.now) throw new RegistryError('policy', `${input.month} is not over yet: a month is invoiced once it has ended`, 'A4.1');
    const r = await ctx.tx.selectFrom('registrars').select(['id', 'name', 'legal_form', 'address', 'email']).where('id', '=', input.registrarId).executeTakeFirst();
    if (!r) throw new RegistryError('notFound', `no registrar ${input.registrarId}`, 'R9.1');
    const existing = await ctx.tx.selectFrom('invoices').select('number').where('registrar_id', '=', r.id).where('month', '=', input.month).executeTakeFirst();
    if (existing) throw new RegistryError('exists', `${input.month} of ${r.id} is already invoiced: invoice ${existing.number}`, 'A4.1');
    const rows = await ledgerLines(ctx.tx, r.id, from, to);
    const billed = rows.filter((t) => t.kind === 'charge' || t.kind === 'refund');
    if (!billed.length) throw new RegistryError('policy', `registrar ${r.id} has no charges or refunds in ${input.month}: nothing to invoice`, 'A4.1');
    const summary = { opening: await balanceBefore(ctx.tx, r.id, from), payments: 0, charges: 0, refunds: 0, payouts: 0, closing: 0 };
    summary.closing = summary.opening;
    for (const t of rows) { summary[`${t.kind}s`] += t.amount; summary.closing += signed(t); }
    const lines: InvoiceLine[] = billed.map((t) => ({
      transactionId: t.id, date: civilDate(t.at, offset), kind: t.kind as 'charge' | 'refund', description: describe(t), operation: t.operation,
      domain: t.domain_name, years: t.years, unitPrice: t.unit_price, amount: t.kind === 'charge' ? t.amount : -t.amount,
    }));
    // Numbered by the year of issue in the registry's time zone; the counter row stays locked to commit.
    const year = Number(civilDate(ctx.now, offset).slice(0, 4));
    const counter = await sql<{ last: number }>`insert into invoice_counters (year, last) values (${year}, 1)
      on conflict (year) do update set last = invoice_counters.last + 1 returning last`.execute(ctx.tx);
    const seq = counter.rows[0]!.last;
    const number = `${year}-${String(seq).padStart(6, '0')}`;
    const content: InvoiceContent = {
      issuer: await issuer(ctx.tx, reg.profile.tld),
      registrar: { id: r.id, name: r.name, legalForm: r.legal_form, address: r.address, email: r.email },
      currency: CURRENCY, timeZoneOffsetMinutes: offset, lines, summary,
    };
    const row = await ctx.tx.insertInto('invoices').values({
      number, year, seq, registrar_id: r.id, period_from: from, period_to: to, month: input.month, issued_at: ctx.now, issued_by: ctx.actorId,
      currency: CURRENCY, total: summary.charges - summary.refunds, content: JSON.stringify(content),
    }).returningAll().executeTakeFirstOrThrow();
    const v = view(row);
    await ctx.record({ objectType: 'invoice', objectId: number, before: null, after: { ...v, content: undefined }, topic: 'invoice.issued',
      payload: { registrarId: r.id, month: input.month, total: v.total } });
    return v;
  });
}

function assertCanSee(actor: Actor, registrarId: string): void {
  if (isRegistryOperator(actor) || (actor.type === 'registrar' && actor.registrarId === registrarId)) return;
  throw new RegistryError('authorization', "a registrar's invoices are seen by the registrar and the National Administrator only", 'R9.1');
}

export async function getInvoice(reg: Registry, actor: Actor, number: string): Promise<InvoiceView> {
  const row = await reg.db.selectFrom('invoices').selectAll().where('number', '=', number.trim()).executeTakeFirst();
  if (!row) throw new RegistryError('notFound', `no invoice ${number}`, 'A4.1');
  assertCanSee(actor, row.registrar_id);
  return view(row);
}

export async function listInvoices(reg: Registry, actor: Actor, opts: { registrarId?: string; year?: number } = {}): Promise<InvoiceView[]> {
  const registrarId = actor.type === 'registrar' ? actor.registrarId : opts.registrarId;
  if (registrarId) assertCanSee(actor, registrarId);
  else if (!isRegistryOperator(actor)) throw new RegistryError('authorization', 'invoices are listed for the National Administrator', 'R9.1');
  let q = reg.db.selectFrom('invoices').selectAll();
  if (registrarId) q = q.where('registrar_id', '=', registrarId);
  if (opts.year) q = q.where('year', '=', opts.year);
  return (await q.orderBy('year').orderBy('seq').execute()).map(view);
}
