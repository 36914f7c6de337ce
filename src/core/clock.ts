// Time is injected so lifecycle rules (R6.1, R6.2, R8.7, the review SLA) are tested by moving a clock.
export interface Clock { now(): Date }

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved: for tests and `worker once --at`. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start: Date | string) { this.#t = new Date(start).getTime(); }
  now(): Date { return new Date(this.#t); }
  set(t: Date | string): void { this.#t = new Date(t).getTime(); }
  advance(ms: number): void { this.#t += ms; }
  advanceDays(days: number): void { this.advance(days * 86_400_000); }
}

/** Adds whole calendar years in UTC; 29 Feb becomes 28 Feb in a common year. */
export function addYears(d: Date, years: number): Date {
  const r = new Date(d.getTime());
  r.setUTCFullYear(r.getUTCFullYear() + years);
  if (r.getUTCDate() !== d.getUTCDate()) r.setUTCDate(0);
  return r;
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}
