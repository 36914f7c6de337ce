// Dates typed by people (CLI, API query strings) for billing periods and price changes.
import { RegistryError } from '../core/errors.ts';
import type { Registry } from '../core/registry.ts';

/**
 * 'YYYY-MM-DD' is that civil day in the registry's time zone (its start, or with `endOfDay` the start of
 * the next day, so that `--to 2026-03-31` includes the 31st); anything else must be an ISO 8601 instant.
 */
export function parseWhen(reg: Registry, text: string, what: string, endOfDay = false): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const utc = Date.UTC(y, m - 1, d + (endOfDay ? 1 : 0));
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
      throw new RegistryError('syntax', `${what} is not a date: '${text}'`, 'A4.1');
    }
    return new Date(utc - reg.profile.calendar.timeZoneOffsetMinutes * 60_000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text.trim()) || Number.isNaN(Date.parse(text))) {
    throw new RegistryError('syntax', `${what} is YYYY-MM-DD or an ISO 8601 time: '${text}'`, 'A4.1');
  }
  return new Date(text);
}
