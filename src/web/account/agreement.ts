// The Registration Agreement the registrant reads and accepts before applying (R3.10, A12.3): the model agreement
// of Resolution No. 63 (English translation in src/web/content). Its version names the text by its SHA-256, so an
// acceptance recorded with it says exactly which words were accepted.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const RESOLUTION = readFileSync(new URL('../content/resolution-63-2019.en.txt', import.meta.url), 'utf8').replace(/\r\n/g, '\n');

function between(text: string, start: RegExp, end: RegExp): string {
  const a = text.search(start);
  if (a < 0) return '';
  const rest = text.slice(a);
  const b = rest.slice(1).search(end);
  return (b < 0 ? rest : rest.slice(0, b + 1)).trim();
}

export const AGREEMENT_TEXT = between(RESOLUTION, /^Appendix$/m, /^Appendix 2$/m);
export const AGREEMENT_VERSION = `resolution-63-2019-model@${createHash('sha256').update(AGREEMENT_TEXT).digest('hex').slice(0, 12)}`;
