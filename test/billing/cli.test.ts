// The billing commands as an operator types them, run in-process through runCli (the code of `bin/domen.js`) on an
// embedded data directory: registrar credit with good and bad amounts, balance, statement, the price list, and a monthly invoice
// issued and written as PDF.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliHarness, oneJsonObject } from '../cli/harness.ts';
import { fails, ok } from '../cli/flows.ts';
import { migrateAndSeedBase, openRegistry } from '../../src/server/bootstrap.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { createDomain } from '../../src/core/domains/create.ts';
import { addPerson, addRegistrar, operator } from '../helpers/fixtures.ts';
import { creditRegistrar } from '../../src/billing/accounts.ts';
import { assertValidPdf } from './pdf-check.ts';

describe('domen billing commands', () => {
  let h: CliHarness;
  const run = (args: string[]) => h.cli(args);
  const balance = async () => oneJsonObject(ok(await run(['registrar', 'balance', 'cli-reg', '--json']))).balance;

  before(async () => {
    h = await CliHarness.create();
    // Migrated, and last month's business made through the core at a past time, on the CLI's data directory.
    const reg = await openRegistry({ dataDir: h.dataDir }, new ManualClock('2026-10-10T10:00:00Z'));
    try {
      await migrateAndSeedBase(reg);
      const r = await addRegistrar(reg, 'cli-reg', { balance: 0 });
      await creditRegistrar(reg, operator, { registrarId: 'cli-reg', amount: 10_000, reference: 'bank 1' });
      await addPerson(reg, r, 'cli-own');
      await createDomain(reg, r, { name: 'hesab-faktura.az', registrant: 'cli-own', periodYears: 1 });
    } finally {
      await reg.database.close();
    }
  });
  after(async () => { await h?.cleanup(); });

  it('registrar credit records a payment in AZN; negative, over 2 decimals, non-numbers are refused and change nothing', async () => {
    assert.match(ok(await run(['registrar', 'credit', 'cli-reg', '150.50', '--reference', 'bank 7'])).stdout,
      /recorded a payment of 150\.50 AZN from cli-reg \(ledger transaction \d+\); balance 220\.50 AZN/);
    fails(await run(['registrar', 'credit', 'cli-reg', '-5']), /the payment must not be negative: '-5'/);
    fails(await run(['registrar', 'credit', 'cli-reg', '1.234']), /more than 2 decimals/);
    fails(await run(['registrar', 'credit', 'cli-reg', 'abc']), /not an amount in AZN \(like 150 or 150\.50\): 'abc'/);
    assert.equal(await balance(), 22_050, 'the opening 100.00, less 30.00 for the domain, and the 150.50 paid');
  });

  it('registrar statement: the lines with a running balance, for a period', async () => {
    const s = oneJsonObject(ok(await run(['registrar', 'statement', 'cli-reg', '--json'])));
    const lines = s.lines as { kind: string; amountAzn: string; balanceAzn: string; description: string }[];
    assert.deepEqual(lines.map((l) => [l.kind, l.amountAzn, l.balanceAzn]), [['payment', '100.00', '100.00'], ['charge', '-30.00', '70.00'], ['payment', '150.50', '220.50']]);
    assert.match(lines[1]!.description, /create hesab-faktura\.az, 1 year/);
    const nov = oneJsonObject(ok(await run(['registrar', 'statement', 'cli-reg', '--from', '2026-11-01', '--json'])));
    assert.equal(nov.openingAzn, '70.00');
    const text = ok(await run(['registrar', 'statement', 'cli-reg'])).stdout;
    assert.match(text, /opening balance 0\.00/);
    assert.match(text, /closing balance 220\.50/);
    fails(await run(['registrar', 'statement', 'cli-reg', '--from', '2026-13-01']), /--from is not a date/);
  });

  it('price set and list: a new price from a date; bad amounts and operations refused', async () => {
    assert.match(ok(await run(['price', 'set', 'com.az', 'renew', '22.50', '--from', '2030-01-01'])).stdout, /com\.az renew: 22\.50 AZN from 2029-12-31T20:00:00\.000Z/);
    const list = JSON.parse(ok(await run(['price', 'list', '--zone', 'com.az', '--json'])).stdout) as { operation: string; amountAzn: string }[];
    assert.deepEqual(list.filter((p) => p.operation === 'renew').map((p) => p.amountAzn), ['20.00', '22.50']);
    fails(await run(['price', 'set', 'com.az', 'park', '1', '--from', '2030-01-01']), /'park' is not a priced operation/);
  });

  it('invoice issue for a past month, pdf, list; a month twice is refused', async () => {
    const issued = ok(await run(['invoice', 'issue', 'cli-reg', '--month', '2026-10'])).stdout;
    const number = /invoice (\d{4}-\d{6}) for cli-reg, 2026-10: 1 lines, total 30\.00 AZN/.exec(issued)?.[1];
    assert.ok(number, issued);
    assert.match(number, /^\d{4}-000001$/);
    fails(await run(['invoice', 'issue', 'cli-reg', '--month', '2026-10']), new RegExp(`already invoiced: invoice ${number}`));
    const file = path.join(await h.tempDir(), 'invoice.pdf');
    assert.match(ok(await run(['invoice', 'pdf', number, '-o', file])).stdout, new RegExp(`wrote invoice ${number} \\(\\d+ bytes\\)`));
    const pdf = readFileSync(file);
    assertValidPdf(pdf);
    assert.ok(pdf.includes(`Invoice ${number}`));
    const listed = JSON.parse(ok(await run(['invoice', 'list', '--json'])).stdout) as { number: string; registrarId: string; total: number }[];
    assert.deepEqual(listed.map((i) => [i.number, i.registrarId, i.total]), [[number, 'cli-reg', 3000]]);
  });
});
