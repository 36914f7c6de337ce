// Working-day calendar: which civil dates are working days, and deadlines counted in working days
// (R3.12 review of applications: 3 working days; R7.5 notice of suspension: 1; R8.5-R8.7 data fixes: 3;
// R9.2 registrar accreditation check: 20). Pure: no I/O, no clock, no dependence on the host's time zone.
//
// Rules (Labour Code of Azerbaijan, Art. 105, generalised as data):
// - Saturday and Sunday are rest days; the fixed holidays and the dated (lunar) holidays are rest days.
// - Art. 105.5: a holiday on a Saturday or Sunday moves to the next working day, unless it is marked
//   `movable: false` (20 January never moves).
// - Art. 105.6: a dated holiday marked `compensateOverlap` (Ramazan and Gurban bayramı) that coincides on
//   a weekday with another holiday also gives a moved day (2026: Ramazan bayramı 20 March on Novruz).
// - A moved day goes to the first day after the holiday that is neither a weekend day, nor a holiday,
//   nor a day already taken by another moved holiday. Each holiday (one name on one date) moves once.
// - Overrides (the Cabinet's yearly swaps, election days) win over everything; they are applied on top of
//   the computed calendar and do not shift other moved days.
//
// Dates are 'YYYY-MM-DD' civil dates in the registry's time zone (a fixed UTC offset: Asia/Baku is
// UTC+04:00 with no DST since 2016). Internally a date is a day number (days since 1970-01-01) so that
// all arithmetic is on integers and UTC, never on the host's local time.

import { azCalendarData } from './calendar-data/az.ts';

export { azCalendarData };

export interface Holiday {
  date: string;
  name: string;
  /** a rest day given in place of a holiday that fell on a weekend or on another holiday */
  moved?: boolean;
  /** for a moved day: the date of the holiday it replaces */
  movedFrom?: string;
  /** a rest day declared by an override (the Cabinet's swaps, election days) */
  override?: boolean;
  /** the underlying date is an estimate (lunar holiday not yet fixed by the Cabinet) */
  estimate?: boolean;
}

export interface CalendarOverride {
  date: string;
  working: boolean;
  note?: string | null;
}

export interface FixedHoliday {
  month: number;
  day: number;
  name: string;
  /** false: stays on its date even on a weekend, with no day in its place (20 January) */
  movable: boolean;
  /** first year in which it is a holiday (absent: every year) */
  since?: number;
}

export interface DatedHoliday {
  /** first day, 'YYYY-MM-DD' */
  date: string;
  /** number of consecutive days */
  days: number;
  name: string;
  /** Art. 105.6: a day of it that coincides with another holiday on a weekday gives a moved day */
  compensateOverlap?: boolean;
  /** the date is computed, not yet announced */
  estimate?: boolean;
}

export interface CalendarData {
  /** the registry's civil time zone as a fixed offset east of UTC, in minutes (Baku: 240) */
  timeZoneOffsetMinutes: number;
  fixed: FixedHoliday[];
  /** per year, the holidays whose dates change every year; a year is covered only if it has a key here */
  byYear: Record<number, DatedHoliday[]>;
  /** later entries win over earlier ones for the same date */
  overrides: CalendarOverride[];
}

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a 'YYYY-MM-DD' civil date; throws on anything else. */
function parseDay(date: string, what = 'date'): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    // Date.UTC maps years 0-99 to 1900-1999; the round trip below rejects them along with 2025-02-30.
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw new RangeError(`${what} must be a valid 'YYYY-MM-DD' date, got ${JSON.stringify(date)}`);
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function isWeekend(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday, 6 = Saturday
  return dow === 0 || dow === 6;
}

/** One holiday (one name) on one date. */
interface Entry {
  day: number;
  name: string;
  movable: boolean;
  compensateOverlap: boolean;
  estimate: boolean;
  /** order in which moved days are handed out: fixed holidays first, then dated ones */
  rank: number;
  seq: number;
}

interface MovedDay {
  day: number;
  from: Entry;
}

interface YearInfo {
  /** statutory holidays and moved days of the year, before overrides, sorted */
  holidays: Holiday[];
  /** their dates */
  offDays: Set<number>;
}

export class WorkingCalendar {
  readonly timeZoneOffsetMinutes: number;
  private readonly offsetMs: number;
  private readonly fixed: FixedHoliday[];
  /** dated holidays, one entry per day, bucketed by the year of that day */
  private readonly datedByYear = new Map<number, Omit<Entry, 'seq'>[]>();
  private readonly coveredYears: Set<number>;
  private readonly overrideByDay = new Map<number, CalendarOverride>();
  private readonly yearCache = new Map<number, YearInfo>();

  constructor(data: CalendarData) {
    const offset = data.timeZoneOffsetMinutes;
    if (!Number.isInteger(offset) || Math.abs(offset) >= 24 * 60) {
      throw new RangeError(`timeZoneOffsetMinutes must be a whole number of minutes under a day, got ${offset}`);
    }
    this.timeZoneOffsetMinutes = offset;
    this.offsetMs = offset * 60_000;

    this.fixed = data.fixed.map((f) => {
      // 2024 is a leap year, so 29 February is accepted here (and skipped in other years).
      parseDay(`2024-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`, `fixed holiday ${f.name}`);
      return { ...f };
    });

    this.coveredYears = new Set(Object.keys(data.byYear).map(Number));
    for (const [key, list] of Object.entries(data.byYear)) {
      for (const h of list) {
        const first = parseDay(h.date, `${h.name} (${key})`);
        if (!Number.isInteger(h.days) || h.days < 1) {
          throw new RangeError(`${h.name} (${key}): days must be a positive integer, got ${h.days}`);
        }
        for (let i = 0; i < h.days; i++) {
          const day = first + i;
          const y = yearOf(day);
          let bucket = this.datedByYear.get(y);
          if (!bucket) this.datedByYear.set(y, (bucket = []));
          bucket.push({
            day,
            name: h.name,
            movable: true,
            compensateOverlap: h.compensateOverlap === true,
            estimate: h.estimate === true,
            rank: 1,
          });
        }
      }
    }

    for (const o of data.overrides) {
      const day = parseDay(o.date, 'override date');
      if (typeof o.working !== 'boolean') throw new TypeError(`override ${o.date}: working must be a boolean`);
      this.overrideByDay.set(day, { date: o.date, working: o.working, note: o.note ?? null });
    }
  }

  /** Whether the calendar has the data (the dated holidays) for this year. */
  coversYear(year: number): boolean {
    return this.coveredYears.has(year);
  }

  /**
   * Holidays of the year, sorted by date: the statutory ones, the moved days (moved: true, movedFrom),
   * and rest days declared by overrides (override: true); days that an override declares working are
   * left out. Two holidays on one date (Novruz and Ramazan bayramı in 2026) are two entries.
   */
  holidays(year: number): Holiday[] {
    const info = this.yearInfo(year);
    const result = info.holidays.filter((h) => this.overrideByDay.get(parseDay(h.date))?.working !== true);
    for (const [day, o] of this.overrideByDay) {
      if (!o.working && yearOf(day) === year) {
        result.push({ date: o.date, name: o.note ?? 'Rest day (override)', override: true });
      }
    }
    // Stable sort: on one date, statutory entries come before moved days and overrides.
    return result.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  /** Whether a 'YYYY-MM-DD' civil date is a working day. */
  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(parseDay(date));
  }

  /** The civil date (in the calendar's time zone) of an instant. */
  localDate(instant: Date): string {
    return formatDay(this.localDayNumber(instant));
  }

  /** The working days d with from <= d <= to, in order (empty when from > to). */
  workingDaysBetween(from: string, to: string): string[] {
    const first = parseDay(from, 'from');
    const last = parseDay(to, 'to');
    const days: string[] = [];
    for (let d = first; d <= last; d++) if (this.isWorkingDayNumber(d)) days.push(formatDay(d));
    return days;
  }

  /** The n-th working day after date (n >= 1); date itself is never counted. */
  addWorkingDays(date: string, n: number): string {
    return formatDay(this.addWorkingDayNumbers(parseDay(date), n));
  }

  /**
   * The end of the n-th working day after the civil date of receivedAt: 24:00 local time of that day,
   * i.e. 00:00 local of the next day, as an instant. "Within 3 working days" (R3.12) is
   * deadline(receivedAt, 3); the deadline is met by anything strictly before the returned instant.
   */
  deadline(receivedAt: Date, n: number): Date {
    const day = this.addWorkingDayNumbers(this.localDayNumber(receivedAt), n);
    return new Date((day + 1) * DAY_MS - this.offsetMs);
  }

  private localDayNumber(instant: Date): number {
    const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
    if (!Number.isFinite(ms)) throw new RangeError('instant must be a valid Date');
    return Math.floor((ms + this.offsetMs) / DAY_MS);
  }

  private addWorkingDayNumbers(start: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
    let day = start;
    // Terminates: every covered year has working days, and an uncovered year throws.
    for (let found = 0; found < n; ) if (this.isWorkingDayNumber(++day)) found++;
    return day;
  }

  private isWorkingDayNumber(day: number): boolean {
    const override = this.overrideByDay.get(day);
    if (override) return override.working;
    if (isWeekend(day)) {
      this.yearInfo(yearOf(day)); // a weekend outside the covered years is still refused
      return false;
    }
    return !this.yearInfo(yearOf(day)).offDays.has(day);
  }

  private yearInfo(year: number): YearInfo {
    const cached = this.yearCache.get(year);
    if (cached) return cached;
    if (!Number.isInteger(year) || !this.coveredYears.has(year)) {
      throw new RangeError(`the working-day calendar has no holiday data for the year ${year}`);
    }
    const info = this.computeYear(year);
    this.yearCache.set(year, info);
    return info;
  }

  /**
   * Resolves the holidays whose moved days can land in `year`: those of the year itself and of the year
   * before (31 December moves into January); the next year's holidays are included so that a move out of
   * December skips them. Moved days go at most a few weeks forward, so this window is exact.
   */
  private computeYear(year: number): YearInfo {
    const entries: Entry[] = [];
    for (let y = year - 1; y <= year + 1; y++) {
      for (const f of this.fixed) {
        if (f.since !== undefined && y < f.since) continue;
        const ms = Date.UTC(y, f.month - 1, f.day);
        if (new Date(ms).getUTCMonth() !== f.month - 1) continue; // 29 February outside leap years
        entries.push({
          day: ms / DAY_MS,
          name: f.name,
          movable: f.movable,
          compensateOverlap: false,
          estimate: false,
          rank: 0,
          seq: entries.length,
        });
      }
      for (const d of this.datedByYear.get(y) ?? []) entries.push({ ...d, seq: entries.length });
    }

    const byDay = new Map<number, Entry[]>();
    for (const e of entries) {
      const list = byDay.get(e.day);
      if (list) list.push(e);
      else byDay.set(e.day, [e]);
    }

    const needsMove = (e: Entry): boolean => {
      if (isWeekend(e.day)) return e.movable; // Art. 105.5
      return e.compensateOverlap && (byDay.get(e.day)?.length ?? 0) > 1; // Art. 105.6
    };
    const sources = entries
      .filter(needsMove)
      .sort((a, b) => a.rank - b.rank || a.day - b.day || a.seq - b.seq);

    const taken = new Set<number>();
    const moved: MovedDay[] = [];
    for (const from of sources) {
      let day = from.day + 1;
      while (isWeekend(day) || byDay.has(day) || taken.has(day)) day++;
      taken.add(day);
      moved.push({ day, from });
    }

    const items: { day: number; order: number; holiday: Holiday }[] = [];
    for (const e of entries) {
      if (yearOf(e.day) !== year) continue;
      const holiday: Holiday = { date: formatDay(e.day), name: e.name };
      if (e.estimate) holiday.estimate = true;
      items.push({ day: e.day, order: e.seq, holiday });
    }
    for (const m of moved) {
      if (yearOf(m.day) !== year) continue;
      const holiday: Holiday = {
        date: formatDay(m.day),
        name: m.from.name,
        moved: true,
        movedFrom: formatDay(m.from.day),
      };
      if (m.from.estimate) holiday.estimate = true;
      items.push({ day: m.day, order: entries.length + items.length, holiday });
    }
    items.sort((a, b) => a.day - b.day || a.order - b.order);

    return {
      holidays: items.map((i) => i.holiday),
      offDays: new Set(items.map((i) => i.day)),
    };
  }
}

/** The Azerbaijan calendar, with the National Administrator's overrides on top of the known ones. */
export function azCalendar(overrides: CalendarOverride[] = []): WorkingCalendar {
  return new WorkingCalendar({ ...azCalendarData, overrides: [...azCalendarData.overrides, ...overrides] });
}
