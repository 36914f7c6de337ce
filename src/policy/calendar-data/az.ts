// Working-day calendar data for Azerbaijan ('.az' profile). Pure data: the rules live in ../calendar.ts.
//
// Sources: Labour Code of the Republic of Azerbaijan, Art. 105 (holidays; Art. 105.5: a holiday on a
// weekly rest day moves to the next working day; Art. 105.6: when Ramazan or Gurban bayramı coincides
// with another non-working holiday, the next working day is a rest day) and the Cabinet of Ministers'
// yearly decisions fixing the bayram dates and swapping working and rest days (nk.gov.az).
// The deadlines that use this calendar: R3.12 (3 working days), R7.5 (1), R8.5-R8.7 (3), R9.2 (20).

import type { CalendarData, CalendarOverride } from '../calendar.ts';

type Bayram = CalendarData['byYear'][number][number];

const RAMAZAN = 'Ramazan bayramı';
const GURBAN = 'Gurban bayramı';

function bayram(name: string, date: string, estimate = false): Bayram {
  // Two days each; Art. 105.6 gives an extra rest day when a bayram day coincides with another holiday.
  return { date, days: 2, name, compensateOverlap: true, ...(estimate ? { estimate: true } : {}) };
}

/**
 * First day of each bayram, per year (each lasts 2 days).
 * 2019-2026: the dates the Cabinet of Ministers announced (on the Caucasus Muslims Board's calculation).
 * 2027-2032: ESTIMATES from the Islamic (Hijri) calendar, Eid al-Fitr (1 Shawwal) and Eid al-Adha
 * (10 Dhu al-Hijjah) as commonly published (Umm al-Qura tables); the Cabinet fixes the real dates late
 * in the preceding year and they may differ by a day. Update this table when the decision is published.
 */
const BAYRAMS: Record<number, [ramazan: string, gurban: string, estimate: boolean]> = {
  2019: ['2019-06-05', '2019-08-12', false],
  2020: ['2020-05-24', '2020-07-31', false],
  2021: ['2021-05-13', '2021-07-20', false],
  2022: ['2022-05-02', '2022-07-09', false],
  2023: ['2023-04-21', '2023-06-28', false],
  2024: ['2024-04-10', '2024-06-16', false],
  2025: ['2025-03-30', '2025-06-06', false],
  2026: ['2026-03-20', '2026-05-27', false],
  // Estimates (see above).
  2027: ['2027-03-09', '2027-05-16', true],
  2028: ['2028-02-26', '2028-05-05', true],
  2029: ['2029-02-14', '2029-04-24', true],
  2030: ['2030-02-04', '2030-04-13', true],
  2031: ['2031-01-24', '2031-04-02', true],
  2032: ['2032-01-14', '2032-03-22', true],
};

function swap(rest: string, working: string, decision: string): CalendarOverride[] {
  return [
    { date: rest, working: false, note: `rest day, swapped with ${working} (${decision})` },
    { date: working, working: true, note: `working day, swapped with ${rest} (${decision})` },
  ];
}

/**
 * Days the Cabinet of Ministers swapped (a weekend day declared working, a weekday declared a rest day)
 * and election days declared non-working, as published up to early 2025. Later decisions are entered
 * by the National Administrator as overrides (see azCalendar(overrides)).
 */
const KNOWN_OVERRIDES: CalendarOverride[] = [
  { date: '2019-12-27', working: false, note: 'municipal elections' },
  ...swap('2020-01-03', '2019-12-28', 'Cabinet decision for New Year 2020'),
  ...swap('2020-01-06', '2019-12-29', 'Cabinet decision for New Year 2020'),
  ...swap('2020-03-27', '2020-03-29', 'Cabinet decision, Novruz 2020'),
  ...swap('2020-05-27', '2020-05-30', 'Cabinet decision, Ramazan bayramı 2020'),
  ...swap('2021-05-11', '2021-05-08', 'Cabinet decision, Ramazan bayramı 2021'),
  ...swap('2021-05-12', '2021-05-16', 'Cabinet decision, Ramazan bayramı 2021'),
  ...swap('2021-07-19', '2021-07-17', 'Cabinet decision, Gurban bayramı 2021'),
  ...swap('2022-03-07', '2022-03-05', "Cabinet decision, Women's Day 2022"),
  ...swap('2022-11-07', '2022-11-05', 'Cabinet decision, Victory Day 2022'),
  ...swap('2023-06-27', '2023-06-24', 'Cabinet decision, Gurban bayramı 2023'),
  ...swap('2023-06-30', '2023-06-25', 'Cabinet decision, Gurban bayramı 2023'),
  ...swap('2023-11-10', '2023-11-04', 'Cabinet decision, Victory Day 2023'),
  ...swap('2024-01-04', '2023-12-30', 'Cabinet decision for New Year 2024'),
  ...swap('2024-01-05', '2024-01-07', 'Cabinet decision for New Year 2024'),
  { date: '2024-02-07', working: false, note: 'presidential election' },
  ...swap('2024-04-12', '2024-04-06', 'Cabinet decision, Ramazan bayramı 2024'),
  ...swap('2024-11-12', '2024-11-16', 'Cabinet decision, COP29'),
  ...swap('2024-11-13', '2024-11-23', 'Cabinet decision, COP29'),
  ...swap('2024-12-30', '2024-12-28', 'Cabinet decision for New Year 2025'),
  ...swap('2025-01-03', '2024-12-29', 'Cabinet decision for New Year 2025'),
  { date: '2025-01-29', working: false, note: 'municipal elections' },
];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Azerbaijan: civil dates in Asia/Baku, UTC+04:00 with no daylight saving since 2016. */
export const azCalendarData: CalendarData = deepFreeze({
  timeZoneOffsetMinutes: 4 * 60,
  fixed: [
    { month: 1, day: 1, name: 'New Year', movable: true },
    { month: 1, day: 2, name: 'New Year', movable: true },
    // 20 January is a day of mourning: it never moves when it falls on a weekend.
    { month: 1, day: 20, name: 'National Mourning Day', movable: false },
    { month: 3, day: 8, name: "Women's Day", movable: true },
    { month: 3, day: 20, name: 'Novruz', movable: true },
    { month: 3, day: 21, name: 'Novruz', movable: true },
    { month: 3, day: 22, name: 'Novruz', movable: true },
    { month: 3, day: 23, name: 'Novruz', movable: true },
    { month: 3, day: 24, name: 'Novruz', movable: true },
    { month: 5, day: 9, name: 'Victory over Fascism Day', movable: true },
    { month: 5, day: 28, name: 'Independence Day', movable: true },
    { month: 6, day: 15, name: 'National Salvation Day', movable: true },
    { month: 6, day: 26, name: 'Armed Forces Day', movable: true },
    // Victory Day (2020 Patriotic War) is a holiday since 2021.
    { month: 11, day: 8, name: 'Victory Day', movable: true, since: 2021 },
    { month: 11, day: 9, name: 'State Flag Day', movable: true },
    { month: 12, day: 31, name: 'Solidarity Day of World Azerbaijanis', movable: true },
  ],
  byYear: Object.fromEntries(
    Object.entries(BAYRAMS).map(([year, [ramazan, gurban, estimate]]) => [
      Number(year),
      [bayram(RAMAZAN, ramazan, estimate), bayram(GURBAN, gurban, estimate)],
    ]),
  ),
  overrides: KNOWN_OVERRIDES,
});
