// An issued invoice as a PDF (pdfkit), rendered from the content stored at issue: the same invoice always
// prints the same. Azerbaijani names need more than the PDF standard fonts carry (ə is not in WinAnsi), so
// a Unicode TrueType font is embedded when one is found (DOMEN_PDF_FONT, or DejaVu Sans from Debian's
// fonts-dejavu); without one, letters outside WinAnsi are written in their closest Latin form.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatAzn } from './money.ts';
import type { InvoiceView } from './invoices.ts';

const FONT_CANDIDATES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf'];

function unicodeFont(): { regular: string; bold: string } | null {
  const regular = [process.env.DOMEN_PDF_FONT, ...FONT_CANDIDATES].find((f): f is string => Boolean(f) && existsSync(f!));
  if (!regular) return null;
  const bold = regular.replace(/\.ttf$/i, '-Bold.ttf');
  return { regular, bold: existsSync(bold) ? bold : regular };
}

const LATIN: Record<string, string> = { ə: 'e', Ə: 'E', ı: 'i', İ: 'I', ğ: 'g', Ğ: 'G', ş: 's', Ş: 'S' };
const latin = (s: string) => s.replace(/[əƏıİğĞşŞ]/g, (c) => LATIN[c]!);

export async function renderInvoicePdf(inv: InvoiceView): Promise<Buffer> {
  const c = inv.content;
  const font = unicodeFont();
  const t = (s: string) => (font ? s : latin(s));
  const doc = new PDFDocument({
    size: 'A4', margin: 50,
    info: { Title: `Invoice ${inv.number}`, Subject: `Invoice ${inv.number} for ${inv.month}, ${inv.registrarId}`, Author: t(c.issuer.name), Creator: 'domen' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });
  if (font) { doc.registerFont('body', font.regular); doc.registerFont('bold', font.bold); } else { doc.registerFont('body', 'Helvetica'); doc.registerFont('bold', 'Helvetica-Bold'); }

  const money = (q: number) => `${formatAzn(q)} ${c.currency}`;
  const left = 50;
  const width = doc.page.width - 100;

  doc.font('bold').fontSize(18).text(t(`Invoice ${inv.number}`), left, 50);
  doc.font('body').fontSize(10).moveDown(0.3)
    .text(`Period: ${inv.month} (${c.lines.length} line${c.lines.length === 1 ? '' : 's'})`)
    .text(`Issued: ${new Date(inv.issuedAt.getTime() + c.timeZoneOffsetMinutes * 60_000).toISOString().slice(0, 10)}`);

  const top = doc.y + 15;
  const col = width / 2;
  const block = (x: number, title: string, lines: (string | null | undefined)[]) => {
    doc.font('bold').fontSize(10).text(title, x, top, { width: col - 10 });
    doc.font('body');
    for (const l of lines) if (l) doc.text(t(l), x, undefined, { width: col - 10 });
    return doc.y;
  };
  const y1 = block(left, 'From', [c.issuer.name, c.issuer.address, c.issuer.tin ? `TIN ${c.issuer.tin}` : null, c.issuer.email, c.issuer.bank]);
  const y2 = block(left + col, 'To', [
    `${c.registrar.name}${c.registrar.legalForm && !c.registrar.name.endsWith(c.registrar.legalForm) ? ` ${c.registrar.legalForm}` : ''}`,
    c.registrar.address, c.registrar.email, `Registrar ID ${c.registrar.id}`,
  ]);

  // Lines: date, description, years, unit price, amount.
  const cols = [{ w: 70, a: 'left' }, { w: width - 70 - 40 - 80 - 90, a: 'left' }, { w: 40, a: 'right' }, { w: 80, a: 'right' }, { w: 90, a: 'right' }] as const;
  let y = Math.max(y1, y2) + 20;
  const row = (cells: string[], bold = false) => {
    doc.font(bold ? 'bold' : 'body').fontSize(9);
    let x = left;
    const heights = cells.map((s, i) => doc.heightOfString(t(s), { width: cols[i]!.w - 6 }));
    const h = Math.max(...heights) + 4;
    if (y + h > doc.page.height - 60) { doc.addPage(); y = 50; }
    cells.forEach((s, i) => { doc.text(t(s), x, y, { width: cols[i]!.w - 6, align: cols[i]!.a }); x += cols[i]!.w; });
    y += h;
  };
  const rule = () => { doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.5).stroke(); y += 4; };
  row(['Date', 'Description', 'Years', `Unit (${c.currency})`, `Amount (${c.currency})`], true);
  rule();
  for (const l of c.lines) {
    row([l.date, l.description, l.years && l.operation !== 'restore' ? String(l.years) : '', l.unitPrice !== null && l.kind === 'charge' ? formatAzn(l.unitPrice) : '', formatAzn(l.amount)]);
  }
  rule();
  row(['', 'Total', '', '', money(inv.total)], true);

  y += 16;
  const s = c.summary;
  const summary: [string, number][] = [
    ['Prepaid balance at the start of the month', s.opening], ['Payments received', s.payments], ['Charges', -s.charges],
    ['Refunds', s.refunds], ...(s.payouts ? [['Paid out', -s.payouts] as [string, number]] : []), ['Prepaid balance at the end of the month', s.closing],
  ];
  for (const [label, value] of summary) row(['', label, '', '', money(value)]);
  y += 16;
  doc.font('body').fontSize(8).text(t('Fees in AZN (A4.6), charged from the prepaid balance when each operation was made. Refunds: R5.2 (refused applications), A5.2 (unused months).'), left, y, { width });
  doc.end();
  return done;
}
