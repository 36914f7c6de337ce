// `domen price ...`, `domen invoice ...` and the money commands of `domen registrar` (credit, balance,
// statement, credit-limit). Amounts are typed in AZN (150 or 150.50) and kept in qəpik.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../../core/actor.ts';
import { RegistryError } from '../../core/errors.ts';
import { creditRegistrar, getBalance, payoutRegistrar, setCreditLimit } from '../../billing/accounts.ts';
import { getInvoice, issueInvoice, listInvoices, setIssuer, issuer } from '../../billing/invoices.ts';
import { azn, formatAzn, parseAzn } from '../../billing/money.ts';
import { listPrices, setPrice } from '../../billing/prices.ts';
import { statement } from '../../billing/statement.ts';
import { parseWhen } from '../../billing/dates.ts';
import type { CliContext } from '../context.ts';
import { json, table } from '../output.ts';

/** `registrar credit|balance|statement|credit-limit`, added to the `registrar` command. */
export function registrarBillingCommands(registrar: Command, ctx: CliContext): void {
  registrar.command('credit').description("record a registrar's payment: its prepaid balance grows by AMOUNT (A4.2)")
    .argument('<id>', 'registrar id').argument('<amount>', 'AZN, like 150 or 150.50')
    .option('--reference <text>', 'the bank transfer or receipt reference')
    .action(async (id: string, amount: string, o: { reference?: string }) => {
      const qepik = parseAzn(amount, 'the payment');
      const r = await creditRegistrar(await ctx.registry(), cliActor, { registrarId: id, amount: qepik, reference: o.reference ?? null });
      ctx.io.out(`recorded a payment of ${azn(r.amount)} from ${id} (ledger transaction ${r.transactionId}); balance ${azn(r.balance.balance)}\n`);
    });

  registrar.command('payout').description("record money paid back to a registrar from its balance (e.g. when its accreditation ends, R9.8)")
    .argument('<id>', 'registrar id').argument('<amount>', 'AZN, like 150 or 150.50')
    .option('--reference <text>', 'the bank transfer reference')
    .action(async (id: string, amount: string, o: { reference?: string }) => {
      const r = await payoutRegistrar(await ctx.registry(), cliActor, { registrarId: id, amount: parseAzn(amount, 'the payout'), reference: o.reference ?? null });
      ctx.io.out(`recorded a payout of ${azn(r.amount)} to ${id} (ledger transaction ${r.transactionId}); balance ${azn(r.balance.balance)}\n`);
    });

  registrar.command('balance').description("a registrar's prepaid balance and credit limit")
    .argument('<id>', 'registrar id').option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const b = await getBalance(await ctx.registry(), cliActor, id);
      ctx.io.out(o.json ? json(b) : `${id}: balance ${azn(b.balance)}, credit limit ${azn(b.creditLimit)}, available ${azn(b.available)}\n`);
    });

  registrar.command('credit-limit').description('how far below zero the balance may go (default 0: prepaid only)')
    .argument('<id>', 'registrar id').argument('<amount>', 'AZN, 0 or more')
    .action(async (id: string, amount: string) => {
      const b = await setCreditLimit(await ctx.registry(), cliActor, id, parseAzn(amount, 'the credit limit', { allowZero: true }));
      ctx.io.out(`${id}: credit limit ${azn(b.creditLimit)}, available ${azn(b.available)}\n`);
    });

  registrar.command('statement').description('the ledger lines of a registrar with a running balance')
    .argument('<id>', 'registrar id')
    .option('--from <date>', 'YYYY-MM-DD (registry time) or ISO time; default: the beginning')
    .option('--to <date>', 'YYYY-MM-DD, included, or ISO time; default: now')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { from?: string; to?: string; json?: boolean }) => {
      const reg = await ctx.registry();
      const s = await statement(reg, cliActor, id, {
        from: o.from ? parseWhen(reg, o.from, '--from') : null, to: o.to ? parseWhen(reg, o.to, '--to', true) : null,
      });
      if (o.json) { ctx.io.out(json(s)); return; }
      ctx.io.out(`statement of ${id} (${s.currency})${s.from ? ` from ${s.from.toISOString()}` : ''}${s.to ? ` to ${s.to.toISOString()}` : ''}\n`);
      ctx.io.out(`opening balance ${s.openingAzn}\n`);
      ctx.io.out(table(s.lines.map((l) => ({ id: l.transactionId, at: l.at, kind: l.kind, description: l.description, amount: l.amountAzn, balance: l.balanceAzn })),
        ['id', 'at', 'kind', 'description', 'amount', 'balance']));
      ctx.io.out(`closing balance ${s.closingAzn}\n`);
    });
}

export function billingCommands(program: Command, ctx: CliContext): void {
  const price = program.command('price').description('the price list per zone and operation, in AZN (R3.1)');

  price.command('list').description('prices in force now and any announced for later')
    .option('--zone <zone>', 'one zone only').option('--all', 'the whole history').option('--at <date>', 'in force at this date instead of now')
    .option('--json', 'print JSON')
    .action(async (o: { zone?: string; all?: boolean; at?: string; json?: boolean }) => {
      const reg = await ctx.registry();
      const at = o.at ? parseWhen(reg, o.at, '--at') : reg.clock.now();
      const rows = await listPrices(reg.db, { at, zone: o.zone?.toLowerCase(), all: o.all });
      ctx.io.out(o.json ? json(rows) : table(rows.map((p) => ({ zone: p.zone, operation: p.operation, AZN: p.amountAzn, from: p.effectiveFrom, 'in force': p.effectiveFrom <= at ? 'yes' : 'later' })),
        ['zone', 'operation', 'AZN', 'from', 'in force']));
    });

  price.command('set').description('a new price from a date: per year for create, renew and transfer; per restore for restore')
    .argument('<zone>', "'az', 'com.az', ...").argument('<operation>', 'create, renew, restore or transfer').argument('<amount>', 'AZN, like 30 or 25.50')
    .requiredOption('--from <date>', 'YYYY-MM-DD (start of the day, registry time) or ISO time')
    .action(async (zone: string, operation: string, amount: string, o: { from: string }) => {
      const reg = await ctx.registry();
      const p = await setPrice(reg, cliActor, { zone, operation, amount: parseAzn(amount, 'the price', { allowZero: true }), effectiveFrom: parseWhen(reg, o.from, '--from') });
      ctx.io.out(`${p.zone} ${p.operation}: ${p.amountAzn} AZN from ${p.effectiveFrom.toISOString()}\n`);
    });

  const invoice = program.command('invoice').description('monthly invoices of registrars (A4.1)');

  invoice.command('issue').description("issue the invoice of a past month for a registrar from its ledger")
    .argument('<id>', 'registrar id').requiredOption('--month <YYYY-MM>', 'the month invoiced')
    .action(async (id: string, o: { month: string }) => {
      const v = await issueInvoice(await ctx.registry(), cliActor, { registrarId: id, month: o.month });
      ctx.io.out(`invoice ${v.number} for ${id}, ${v.month}: ${v.content.lines.length} lines, total ${formatAzn(v.total)} ${v.currency}\n`);
    });

  invoice.command('list').description('issued invoices').option('--registrar <id>').option('--year <year>').option('--json', 'print JSON')
    .action(async (o: { registrar?: string; year?: string; json?: boolean }) => {
      const year = o.year === undefined ? undefined : Number(o.year);
      if (year !== undefined && !/^\d{4}$/.test(o.year!)) throw new RegistryError('syntax', `--year is a year like 2026: '${o.year}'`, 'A4.1');
      const rows = await listInvoices(await ctx.registry(), cliActor, { registrarId: o.registrar, year });
      ctx.io.out(o.json ? json(rows.map((r) => ({ ...r, content: undefined })))
        : table(rows.map((r) => ({ number: r.number, registrar: r.registrarId, month: r.month, total: r.totalAzn, issued: r.issuedAt })), ['number', 'registrar', 'month', 'total', 'issued']));
    });

  invoice.command('pdf').description('write an issued invoice as PDF').argument('<number>', 'e.g. 2026-000001')
    .requiredOption('-o, --out <file>', 'the PDF file to write')
    .action(async (number: string, o: { out: string }) => {
      const v = await getInvoice(await ctx.registry(), cliActor, number);
      // Loaded only here: pdfkit and its fonts take a while to load, and no other command needs them.
      const { renderInvoicePdf } = await import('../../billing/pdf.ts');
      const file = path.resolve(ctx.cwd, o.out);
      const pdf = await renderInvoicePdf(v);
      await writeFile(file, pdf);
      ctx.io.out(`wrote invoice ${v.number} (${pdf.length} bytes) to ${file}\n`);
    });

  invoice.command('issuer').description('the registry name and address printed on invoices')
    .option('--name <name>').option('--address <address>').option('--tin <tin>').option('--email <email>').option('--bank <bank>', 'bank account details')
    .option('--json', 'print JSON')
    .action(async (o: { name?: string; address?: string; tin?: string; email?: string; bank?: string; json?: boolean }) => {
      const reg = await ctx.registry();
      const { json: asJson, ...patch } = o;
      const i = Object.values(patch).some((v) => v !== undefined) ? await setIssuer(reg, cliActor, patch) : await issuer(reg.db, reg.profile.tld);
      ctx.io.out(asJson ? json(i) : `${i.name}\n${i.address}\n${i.tin ? `TIN ${i.tin}\n` : ''}${i.email ? `${i.email}\n` : ''}${i.bank ? `${i.bank}\n` : ''}`);
    });
}
