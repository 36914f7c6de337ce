// A structural check of a PDF file without a PDF library: what a reader needs to open it.
import assert from 'node:assert/strict';

/** %PDF header, %%EOF trailer, and a cross-reference table whose every offset points at its object. */
export function assertValidPdf(pdf: Buffer): void {
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const text = pdf.toString('latin1');
  assert.match(text.slice(-32), /%%EOF\s*$/);
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  assert.ok(Number.isInteger(startxref) && startxref > 0, 'startxref');
  assert.equal(text.slice(startxref, startxref + 4), 'xref');
  const head = /^xref\s+(\d+)\s+(\d+)\s+/.exec(text.slice(startxref))!;
  const [first, count] = [Number(head[1]), Number(head[2])];
  let pos = startxref + head[0].length;
  let objects = 0;
  for (let i = 0; i < count; i++) {
    const entry = text.slice(pos, pos + 20);
    pos += 20;
    const m = /^(\d{10}) (\d{5}) ([nf])/.exec(entry);
    assert.ok(m, `xref entry ${i}: ${JSON.stringify(entry)}`);
    if (m[3] !== 'n') continue;
    const at = Number(m[1]);
    assert.match(text.slice(at, at + 20), new RegExp(`^${first + i} ${Number(m[2])} obj`), `object ${first + i} at ${at}`);
    objects++;
  }
  assert.ok(objects > 5, `${objects} objects`);
  assert.match(text, /\/Type \/Catalog/);
  assert.match(text, /\/FontFile2|\/BaseFont \/Helvetica/);
}
