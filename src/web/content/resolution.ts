// Resolution No. 63 of 25 February 2019 (English translation, resolution-63-2019.en.txt): the rules (Appendix 1)
// and the model Registration Agreement (the Appendix to them), cut out of the text once for the pages that show them
// and the account that records their acceptance.
import { readFileSync } from 'node:fs';

const RESOLUTION = readFileSync(new URL('./resolution-63-2019.en.txt', import.meta.url), 'utf8').replace(/\r\n/g, '\n');

/** The text from the line matching `start` up to (not including) the next line matching `end`; '' without a start. */
export function between(text: string, start: RegExp, end: RegExp): string {
  const a = text.search(start);
  if (a < 0) return '';
  const rest = text.slice(a);
  const b = rest.slice(1).search(end);
  return b < 0 ? rest : rest.slice(0, b + 1);
}

export const RULES = between(RESOLUTION, /^Appendix 1$/m, /^Appendix$/m);
export const MODEL_AGREEMENT = between(RESOLUTION, /^Appendix$/m, /^Appendix 2$/m);
