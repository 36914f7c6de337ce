// Small text helpers: code points, locale-free case mapping, NFC.

/** 'U+04D9' for a one-code-point string. */
export function hex(ch: string): string {
  return 'U+' + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Locale-free lowercase of one code point. U+0130 'İ' becomes plain 'i': the Unicode default
 * mapping gives 'i' + U+0307, which no IDN table allows. 'I' becomes 'i' (never 'ı'): the
 * Azerbaijani reading of capital I cannot be known from the input, and folding (ı→i) puts both
 * spellings in one bundle anyway.
 */
export function lowerChar(ch: string): string {
  return ch === '\u0130' ? 'i' : ch.toLowerCase();
}

/** NFC, locale-free lowercase, NFC again (lowercasing may decompose). */
export function canonical(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) out += lowerChar(ch);
  return out.normalize('NFC');
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
