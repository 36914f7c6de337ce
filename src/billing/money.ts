// AZN amounts (A4.6: payments in Azerbaijani manat) kept as integer qəpik: 1 AZN = 100 qəpik, so sums are exact.
import { RegistryError } from '../core/errors.ts';

export const CURRENCY = 'AZN';

/** The most a single amount may be: far above any fee, well inside exact integer arithmetic. */
const MAX_QEPIK = 1_000_000_000_000; // 10 billion AZN

/**
 * '150', '150.5', '150.50' -> qəpik. Refuses signs, exponents, more than two decimals and separators other
 * than one '.', so that a typo never becomes a different amount. `what` names the amount in the error.
 */
export function parseAzn(text: string, what = 'the amount', opts: { allowZero?: boolean } = {}): number {
  const s = text.trim();
  if (s.startsWith('-')) throw new RegistryError('range', `${what} must not be negative: '${text}'`, 'A4.6');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) {
    if (/^\d+\.\d{3,}$/.test(s)) throw new RegistryError('syntax', `${what} has more than 2 decimals (qəpik): '${text}'`, 'A4.6');
    throw new RegistryError('syntax', `${what} is not an amount in AZN (like 150 or 150.50): '${text}'`, 'A4.6');
  }
  const qepik = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (qepik > MAX_QEPIK) throw new RegistryError('range', `${what} is too large: '${text}'`, 'A4.6');
  if (qepik === 0 && !opts.allowZero) throw new RegistryError('range', `${what} must be more than 0: '${text}'`, 'A4.6');
  return qepik;
}

/** qəpik -> '150.50' (always two decimals, '-' for negative amounts). */
export function formatAzn(qepik: number): string {
  if (!Number.isSafeInteger(qepik)) throw new Error(`not an amount in qəpik: ${qepik}`);
  const sign = qepik < 0 ? '-' : '';
  const abs = Math.abs(qepik);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** '150.50 AZN'. */
export const azn = (qepik: number): string => `${formatAzn(qepik)} ${CURRENCY}`;
