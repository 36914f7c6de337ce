// Small XML text builders for the deposit writer. Everything is escaped here, once: text and attribute values,
// and characters XML 1.0 cannot carry at all are refused rather than written into an unreadable deposit.
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;', '\t': '&#9;', '\n': '&#10;' };

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function escapeText(s: string): string {
  if (FORBIDDEN.test(s)) throw new Error(`a value cannot be written to XML (control character): ${JSON.stringify(s.slice(0, 60))}`);
  return s.replace(/[&<>\r]/g, (c) => ESC[c]!);
}

export function escapeAttr(s: string): string {
  if (FORBIDDEN.test(s)) throw new Error(`a value cannot be written to XML (control character): ${JSON.stringify(s.slice(0, 60))}`);
  return s.replace(/[&<>"\r\t\n]/g, (c) => ESC[c]!);
}

export type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Child = string | null | undefined | false | Child[];

function attrs(a: Attrs | null | undefined): string {
  if (!a) return '';
  let s = '';
  for (const [k, v] of Object.entries(a)) if (v !== null && v !== undefined) s += ` ${k}="${escapeAttr(String(v))}"`;
  return s;
}

function flat(children: Child[]): string {
  let s = '';
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    s += Array.isArray(c) ? flat(c) : c;
  }
  return s;
}

/** An element whose children are already XML. */
export function el(name: string, a: Attrs | null, ...children: Child[]): string {
  const inner = flat(children);
  return inner === '' ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${inner}</${name}>`;
}

/** An element holding text; nothing when the value is null/undefined. */
export function tx(name: string, value: string | number | null | undefined, a: Attrs | null = null): string {
  if (value === null || value === undefined) return '';
  return `<${name}${attrs(a)}>${escapeText(String(value))}</${name}>`;
}

/** xsd:dateTime in UTC with milliseconds, as RFC 9022 examples use. */
export function dt(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}
