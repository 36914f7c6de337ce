// ASCII folding of Azerbaijani letters: variant bundles and list matching (R4.2, R4.3/R4.4).
import { canonical } from './text.ts';

export type FoldTable = Readonly<Record<string, string>>;

/** The seven Azerbaijani letters outside ASCII and their ASCII fold. */
export const AZ_FOLD: FoldTable = Object.freeze({
  'ə': 'e', // U+0259
  'ı': 'i', // U+0131
  'ş': 's',
  'ç': 'c',
  'ğ': 'g',
  'ö': 'o',
  'ü': 'u',
});

/** Canonical form (NFC, lowercase, İ→i) with the table's letters folded: 'Şəki' → 'seki'. */
export function fold(s: string, table: FoldTable = AZ_FOLD): string {
  let out = '';
  for (const ch of canonical(s)) out += table[ch] ?? ch;
  return out;
}

/** Key for list matching: folded, hyphens removed, so 'Milli-Məclis' → 'millimeclis'. */
export function matchKey(s: string, table: FoldTable = AZ_FOLD): string {
  return fold(s, table).replaceAll('-', '');
}
