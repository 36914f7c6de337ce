// Reading and writing the small values every object mapping shares: periods, authInfo, statuses and the
// client identifiers shown as crID/upID.
import type { XNode } from './dom.ts';
import { EppError } from './errors.ts';
import type { EppConfig } from './config.ts';

/** RFC 5731 §2.5: a period in years or months; the registry counts whole years (R3.16). */
export function periodYears(period: XNode | undefined): number | undefined {
  if (!period) return undefined;
  const n = Number(period.text);
  if (period.attrs.unit === 'y') return n;
  if (n % 12 !== 0) {
    throw new EppError(2004, `a period of ${n} months is not a whole number of years (R3.16: registrations run 1 to 10 years)`);
  }
  return n / 12;
}

/** RFC 5731 §2.6 / RFC 5733 §2.8: password authInfo; the <ext> form is not offered. */
export function authInfoPw(authInfo: XNode | undefined): string | undefined {
  if (!authInfo) return undefined;
  const pw = authInfo.children.find((c) => c.name === 'pw');
  if (!pw) throw new EppError(2102, 'only password authInfo (<pw>) is supported, not <ext>');
  return pw.text;
}

/** The 's' attribute of each <status> child. */
export function statusValues(parent: XNode | undefined, qname: string): string[] {
  return parent ? parent.all(qname).map((s) => s.attrs.s ?? '') : [];
}

/**
 * The clID to show for the actor recorded by the core ('reg-one', 'reg-one/12' for a registrar's user,
 * 'system:cli', 'staff:3' ...): a registrar's own id, or the registry's for its staff and timers.
 */
export function clIdOf(actorId: string | null, config: EppConfig): string | null {
  if (!actorId) return null;
  if (actorId.includes(':')) return config.registryClId;
  return actorId.split('/')[0]!;
}

/** xs:date from a JavaScript Date (UTC). */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
