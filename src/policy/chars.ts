// Human descriptions of rejected code points, with a "did you mean" hint (R4.1.2 messages).
import { hex } from './text.ts';

/** Names of code points that applicants are likely to type by mistake. */
const NAMES: Readonly<Record<string, string>> = {
  '\u0020': 'SPACE', '\u00a0': 'NO-BREAK SPACE', '\u200b': 'ZERO WIDTH SPACE',
  '\u200c': 'ZERO WIDTH NON-JOINER', '\u200d': 'ZERO WIDTH JOINER', '\u005f': 'LOW LINE',
  '\u0040': 'COMMERCIAL AT', '\u2010': 'HYPHEN', '\u2011': 'NON-BREAKING HYPHEN',
  '\u2013': 'EN DASH', '\u2014': 'EM DASH', '\u2212': 'MINUS SIGN',
  '\u0307': 'COMBINING DOT ABOVE', '\u0308': 'COMBINING DIAERESIS', '\u0327': 'COMBINING CEDILLA',
  '\u0306': 'COMBINING BREVE', '\u0301': 'COMBINING ACUTE ACCENT',
  '\u00e4': 'LATIN SMALL LETTER A WITH DIAERESIS', '\u00c4': 'LATIN CAPITAL LETTER A WITH DIAERESIS',
  '\u00e9': 'LATIN SMALL LETTER E WITH ACUTE', '\u00f1': 'LATIN SMALL LETTER N WITH TILDE',
  '\u00df': 'LATIN SMALL LETTER SHARP S', '\u01dd': 'LATIN SMALL LETTER TURNED E',
  '\u0259': 'LATIN SMALL LETTER SCHWA', '\u0131': 'LATIN SMALL LETTER DOTLESS I',
  '\u04d9': 'CYRILLIC SMALL LETTER SCHWA', '\u04d8': 'CYRILLIC CAPITAL LETTER SCHWA',
  '\u0430': 'CYRILLIC SMALL LETTER A', '\u0435': 'CYRILLIC SMALL LETTER IE',
  '\u043e': 'CYRILLIC SMALL LETTER O', '\u0440': 'CYRILLIC SMALL LETTER ER',
  '\u0441': 'CYRILLIC SMALL LETTER ES', '\u0445': 'CYRILLIC SMALL LETTER HA',
  '\u0443': 'CYRILLIC SMALL LETTER U', '\u0456': 'CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I',
  '\u0458': 'CYRILLIC SMALL LETTER JE', '\u04bb': 'CYRILLIC SMALL LETTER SHHA',
  '\u049d': 'CYRILLIC SMALL LETTER KA WITH VERTICAL STROKE', '\u0493': 'CYRILLIC SMALL LETTER GHE WITH STROKE',
  '\u04b9': 'CYRILLIC SMALL LETTER CHE WITH DESCENDER', '\u0447': 'CYRILLIC SMALL LETTER CHE',
  '\u0448': 'CYRILLIC SMALL LETTER SHA', '\u044b': 'CYRILLIC SMALL LETTER YERU',
  '\u04e9': 'CYRILLIC SMALL LETTER BARRED O', '\u04af': 'CYRILLIC SMALL LETTER STRAIGHT U',
};

/**
 * Likely intended letter: Cyrillic look-alikes, Azerbaijani Cyrillic letters (transliterated),
 * ä and ǝ for ə (ä stood for ə in the 1991 Latin alphabet), dashes for '-'.
 */
const HINTS: Readonly<Record<string, string>> = {
  '\u04d9': 'ə', '\u00e4': 'ə', '\u01dd': 'ə',
  '\u0430': 'a', '\u0435': 'e', '\u043e': 'o', '\u0440': 'p', '\u0441': 'c', '\u0445': 'x',
  '\u0443': 'y', '\u0456': 'i', '\u0458': 'j', '\u04bb': 'h',
  '\u049d': 'g', '\u0493': 'ğ', '\u04b9': 'c', '\u0447': 'ç', '\u0448': 'ş', '\u044b': 'ı',
  '\u04e9': 'ö', '\u04af': 'ü',
  '\u2010': '-', '\u2011': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
};

const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Arabic', 'Hebrew', 'Han'] as const;
const SCRIPT_RE = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, 'u')] as const);

/** The script of a letter (from a short list), or null. */
export function scriptOf(ch: string): string | null {
  for (const [name, re] of SCRIPT_RE) if (re.test(ch)) return name;
  return null;
}

function kind(ch: string): string | null {
  if (/^\p{Extended_Pictographic}$/u.test(ch)) return 'emoji';
  if (/^\p{White_Space}$/u.test(ch)) return 'white space';
  if (/^\p{M}$/u.test(ch)) return 'combining mark';
  if (/^\p{Cc}$/u.test(ch)) return 'control character';
  if (/^\p{Cf}$/u.test(ch)) return 'invisible format character';
  if (/^\p{L}$/u.test(ch) && /^\p{Lu}$/u.test(ch)) return 'uppercase letter';
  return null;
}

/** "U+04D9 'ә' CYRILLIC SMALL LETTER SCHWA (Cyrillic script)" */
export function describeChar(ch: string): string {
  const k = kind(ch);
  const visible = k === 'white space' || k === 'combining mark' || k === 'control character' || k === 'invisible format character';
  let s = hex(ch) + (visible ? '' : ` '${ch}'`);
  const name = NAMES[ch];
  if (name) s += ' ' + name;
  const script = /^\p{L}$/u.test(ch) ? scriptOf(ch) : null;
  const notes = [script && script !== 'Latin' ? `${script} script` : null, k].filter((x): x is string => !!x);
  if (notes.length) s += ` (${notes.join(', ')})`;
  return s;
}

/** A repertoire character the applicant probably meant, or null. */
export function suggest(ch: string, allowed: (c: string) => boolean): string | null {
  const direct = HINTS[ch];
  if (direct && allowed(direct)) return direct;
  const compat = ch.normalize('NFKC').toLowerCase(); // fullwidth 'ａ' → 'a'
  if (compat !== ch && [...compat].every(allowed)) return compat;
  const bare = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(); // 'é' → 'e'
  if (bare && bare !== ch && [...bare].every(allowed)) return bare;
  return null;
}

/** Hint text: "did you mean 'ə' U+0259?" */
export function hintText(s: string): string {
  return `did you mean '${s}'${[...s].length === 1 ? ' ' + hex(s) : ''}?`;
}
