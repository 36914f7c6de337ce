// Billing: prices, the prepaid ledger, refunds, statements and invoices (see docs/billing.md).
export { chargeOperation, lockRegistrarAccount, type ChargeInput, type ChargeResult } from './ledger.ts';
export { refund, wholeMonths, type RefundInput, type RefundResult } from './refunds.ts';
export { creditRegistrar, payoutRegistrar, setCreditLimit, getBalance, type BalanceView, type CreditInput, type PostingResult } from './accounts.ts';
export { priceAt, listPrices, setPrice, seedPrices, BILLING_OPERATIONS, type PriceView, type SetPriceInput } from './prices.ts';
export { statement, type Statement, type StatementLine } from './statement.ts';
export { issueInvoice, getInvoice, listInvoices, setIssuer, issuer, monthPeriod, type InvoiceView, type InvoiceContent, type InvoiceLine } from './invoices.ts';
export { renderInvoicePdf } from './pdf.ts';
export { parseAzn, formatAzn, azn, CURRENCY } from './money.ts';
