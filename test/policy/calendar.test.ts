// Working-day calendar for Azerbaijan (src/policy/calendar.ts). Run also with TZ=America/New_York:
// nothing here may depend on the host's time zone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCalendar, azCalendar, azCalendarData, type CalendarData } from '../../src/policy/calendar.ts';

const cal = azCalendar();
/** The statutory calendar without the Cabinet's known swaps, to test the rules alone. */
const rulesOnly = new WorkingCalendar({ ...azCalendarData, overrides: [] });

function offDays(c: WorkingCalendar, from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    const d = new Date(ms).toISOString().slice(0, 10);
    if (!c.isWorkingDay(d)) out.push(d);
  }
  return out;
}

function movedIn(c: WorkingCalendar, year: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of c.holidays(year)) if (h.moved) out[h.date] = `${h.movedFrom} ${h.name}`;
  return out;
}

describe('WorkingCalendar (az)', () => {
  it('an ordinary week: Monday to Friday work, Saturday and Sunday rest (6-12 Oct 2025)', () => {
    assert.deepEqual(
      ['2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12'].map((d) =>
        cal.isWorkingDay(d),
      ),
      [true, true, true, true, true, false, false],
    );
    assert.deepEqual(cal.workingDaysBetween('2025-10-06', '2025-10-12'), [
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
      '2025-10-09',
      '2025-10-10',
    ]);
    assert.equal(cal.addWorkingDays('2025-10-10', 1), '2025-10-13'); // Friday -> Monday
  });

  it('Novruz 2025 (Thu 20 - Mon 24 Mar): Sat 22 and Sun 23 move to Tue 25 and Wed 26', () => {
    assert.deepEqual(offDays(cal, '2025-03-19', '2025-03-28'), [
      '2025-03-20',
      '2025-03-21',
      '2025-03-22',
      '2025-03-23',
      '2025-03-24',
      '2025-03-25',
      '2025-03-26',
    ]);
    assert.equal(cal.isWorkingDay('2025-03-19'), true);
    assert.equal(cal.isWorkingDay('2025-03-27'), true);
    const moved = movedIn(cal, 2025);
    assert.equal(moved['2025-03-25'], '2025-03-22 Novruz');
    assert.equal(moved['2025-03-26'], '2025-03-23 Novruz');
    // Then Ramazan bayramı Sun 30 - Mon 31 Mar: the Sunday moves to Tue 1 Apr.
    const ramazan = ['2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01'];
    assert.deepEqual(offDays(cal, '2025-03-29', '2025-04-03'), ramazan);
    assert.equal(moved['2025-04-01'], '2025-03-30 Ramazan bayramı');
  });

  it('2026: Ramazan bayramı (Fri 20 - Sat 21 Mar) on Novruz gives 20-30 March off, work again on 31 March', () => {
    const off = offDays(cal, '2026-03-19', '2026-04-01');
    assert.deepEqual(off, [
      '2026-03-20',
      '2026-03-21',
      '2026-03-22',
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
    ]);
    assert.deepEqual(movedIn(cal, 2026), {
      '2026-03-09': "2026-03-08 Women's Day",
      '2026-03-25': '2026-03-21 Novruz',
      '2026-03-26': '2026-03-22 Novruz',
      // Labour Code Art. 105.6: the bayram day on Novruz (a weekday) gives a rest day as well...
      '2026-03-27': '2026-03-20 Ramazan bayramı',
      // ...and the bayram day on Saturday moves past the Novruz week and the moved Novruz days.
      '2026-03-30': '2026-03-21 Ramazan bayramı',
      '2026-05-11': '2026-05-09 Victory over Fascism Day',
      // Gurban bayramı Thu 28 May on Independence Day: Fri 29 May off.
      '2026-05-29': '2026-05-28 Gurban bayramı',
      '2026-11-10': '2026-11-08 Victory Day',
    });
    // Both holidays of 20 March are listed.
    assert.deepEqual(
      cal
        .holidays(2026)
        .filter((h) => h.date === '2026-03-20')
        .map((h) => h.name),
      ['Novruz', 'Ramazan bayramı'],
    );
  });

  it('a holiday on a Sunday moves to the Monday (28 May 2023 -> 29 May)', () => {
    assert.equal(cal.isWorkingDay('2023-05-26'), true);
    assert.equal(cal.isWorkingDay('2023-05-29'), false);
    assert.equal(cal.isWorkingDay('2023-05-30'), true);
    assert.equal(movedIn(cal, 2023)['2023-05-29'], '2023-05-28 Independence Day');
  });

  it('Victory Day Sat 8 Nov and Flag Day Sun 9 Nov 2025 move to Mon 10 and Tue 11 Nov', () => {
    const off = ['2025-11-08', '2025-11-09', '2025-11-10', '2025-11-11'];
    assert.deepEqual(offDays(cal, '2025-11-07', '2025-11-12'), off);
    const moved = movedIn(cal, 2025);
    assert.equal(moved['2025-11-10'], '2025-11-08 Victory Day');
    assert.equal(moved['2025-11-11'], '2025-11-09 State Flag Day');
  });

  it('Victory Day (8 Nov) is a holiday only since 2021', () => {
    assert.equal(rulesOnly.isWorkingDay('2019-11-08'), true);
    assert.equal(rulesOnly.isWorkingDay('2021-11-08'), false);
  });

  it('20 January on a weekend does not move (Sat 20 Jan 2024)', () => {
    assert.ok(cal.holidays(2024).some((h) => h.date === '2024-01-20' && h.name === 'National Mourning Day'));
    assert.equal(cal.isWorkingDay('2024-01-22'), true);
    assert.ok(!cal.holidays(2024).some((h) => h.movedFrom === '2024-01-20'));
  });

  it('31 Dec 2022 (Sat) and 1 Jan 2023 (Sun) move into January 2023, past 2 Jan', () => {
    assert.deepEqual(offDays(cal, '2022-12-30', '2023-01-06'), [
      '2022-12-31',
      '2023-01-01',
      '2023-01-02',
      '2023-01-03',
      '2023-01-04',
    ]);
    assert.deepEqual(movedIn(cal, 2023)['2023-01-03'], '2022-12-31 Solidarity Day of World Azerbaijanis');
    assert.deepEqual(movedIn(cal, 2023)['2023-01-04'], '2023-01-01 New Year');
    // holidays(2022) keeps to 2022.
    assert.ok(cal.holidays(2022).every((h) => h.date.startsWith('2022-')));
  });

  it('Gurban bayramı 2024: Sat 15 Jun (Salvation Day) and Sun 16 Jun move to Tue 18 and Wed 19', () => {
    assert.deepEqual(offDays(cal, '2024-06-14', '2024-06-21'), [
      '2024-06-15',
      '2024-06-16',
      '2024-06-17',
      '2024-06-18',
      '2024-06-19',
    ]);
  });

  it('R3.12: an application received on the Friday evening before Novruz 2024 is due after the holidays', () => {
    // Fri 15 Mar 2024, 19:00 Baku = 15:00 UTC. Working days after: Mon 18, Tue 19, then 20-26 off, Wed 27.
    const receivedAt = new Date('2024-03-15T15:00:00Z');
    assert.equal(cal.localDate(receivedAt), '2024-03-15');
    assert.equal(cal.addWorkingDays('2024-03-15', 3), '2024-03-27');
    assert.equal(cal.deadline(receivedAt, 3).toISOString(), '2024-03-27T20:00:00.000Z');
    // Received Thu 19 Mar 2026: 20-30 March are off, so 31 Mar, 1 Apr, 2 Apr.
    assert.equal(cal.deadline(new Date('2026-03-19T06:00:00Z'), 3).toISOString(), '2026-04-02T20:00:00.000Z');
  });

  it('R3.12: received at 23:30 Baku on a Thursday (19:30 UTC) counts from that Thursday', () => {
    // Thu 12 Jun 2025; Mon 16 Jun is the moved National Salvation Day (Sun 15 Jun).
    const late = new Date('2025-06-12T19:30:00Z');
    assert.equal(cal.localDate(late), '2025-06-12');
    assert.equal(cal.deadline(late, 3).toISOString(), '2025-06-18T20:00:00.000Z'); // Fri 13, Tue 17, Wed 18
    // One hour later it is already Friday 00:30 in Baku.
    const afterMidnight = new Date('2025-06-12T20:30:00Z');
    assert.equal(cal.localDate(afterMidnight), '2025-06-13');
    assert.equal(cal.deadline(afterMidnight, 3).toISOString(), '2025-06-19T20:00:00.000Z');
    // The boundary itself: 20:00:00 UTC is 00:00 Baku of the next day.
    assert.equal(cal.localDate(new Date('2025-06-12T19:59:59.999Z')), '2025-06-12');
    assert.equal(cal.localDate(new Date('2025-06-12T20:00:00.000Z')), '2025-06-13');
  });

  it('deadline is 24:00 Baku of the last day, i.e. 20:00 UTC (R7.5: 1 working day; R9.2: 20)', () => {
    const decision = new Date('2025-10-08T11:00:00Z'); // Wed 15:00 Baku
    const due = cal.deadline(decision, 1);
    assert.equal(due.toISOString(), '2025-10-09T20:00:00.000Z');
    assert.equal(cal.localDate(due), '2025-10-10'); // the first instant after the deadline day in Baku
    assert.equal(cal.localDate(new Date(due.getTime() - 1)), '2025-10-09');
    // R9.2 from Fri 14 Mar 2025: 17-19 Mar, then Novruz and Ramazan bayramı, ... the 20th is 22 Apr.
    assert.equal(cal.addWorkingDays('2025-03-14', 20), '2025-04-22');
    assert.equal(cal.workingDaysBetween('2025-03-15', '2025-04-22').length, 20);
  });

  it('overrides: a Saturday declared working, a Monday declared a rest day; they win over everything', () => {
    const swapped = azCalendar([
      { date: '2026-04-04', working: true, note: 'swap: Saturday worked' },
      { date: '2026-04-06', working: false, note: 'swap: Monday off' },
      { date: '2026-01-02', working: true, note: 'New Year day 2 worked' },
    ]);
    assert.equal(cal.isWorkingDay('2026-04-04'), false);
    assert.equal(swapped.isWorkingDay('2026-04-04'), true);
    assert.equal(cal.isWorkingDay('2026-04-06'), true);
    assert.equal(swapped.isWorkingDay('2026-04-06'), false);
    assert.equal(swapped.isWorkingDay('2026-01-02'), true); // even a statutory holiday
    assert.equal(cal.addWorkingDays('2026-04-03', 1), '2026-04-06');
    assert.equal(swapped.addWorkingDays('2026-04-03', 1), '2026-04-04');
    assert.equal(swapped.addWorkingDays('2026-04-03', 2), '2026-04-07');
    const hol = swapped.holidays(2026);
    assert.ok(hol.some((h) => h.date === '2026-04-06' && h.override === true && h.name === 'swap: Monday off'));
    assert.ok(!hol.some((h) => h.date === '2026-01-02'));
    // A later override for the same date wins.
    const twice = azCalendar([
      { date: '2026-04-06', working: false },
      { date: '2026-04-06', working: true },
    ]);
    assert.equal(twice.isWorkingDay('2026-04-06'), true);
  });

  it("the Cabinet's known swaps are in the data (New Year 2024: Fri 5 Jan off, Sun 7 Jan worked)", () => {
    assert.equal(cal.isWorkingDay('2024-01-05'), false);
    assert.equal(cal.isWorkingDay('2024-01-07'), true);
    assert.equal(rulesOnly.isWorkingDay('2024-01-05'), true);
    assert.equal(rulesOnly.isWorkingDay('2024-01-07'), false);
  });

  it('workingDaysBetween counts inclusively and in order', () => {
    // March 2026: 22 weekdays minus 9, 20, 23, 24, 25, 26, 27, 30 March.
    const march = cal.workingDaysBetween('2026-03-01', '2026-03-31');
    assert.equal(march.length, 14);
    assert.equal(march[0], '2026-03-02');
    assert.equal(march.at(-1), '2026-03-31');
    assert.deepEqual(cal.workingDaysBetween('2026-03-31', '2026-03-31'), ['2026-03-31']);
    assert.deepEqual(cal.workingDaysBetween('2026-03-28', '2026-03-28'), []);
    assert.deepEqual(cal.workingDaysBetween('2026-04-02', '2026-04-01'), []);
    // A whole ordinary year without overrides: 2025 has 261 weekdays.
    const holidayWeekdays = new Set(
      rulesOnly
        .holidays(2025)
        .map((h) => h.date)
        .filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())),
    );
    assert.equal(rulesOnly.workingDaysBetween('2025-01-01', '2025-12-31').length, 261 - holidayWeekdays.size);
  });

  it('does not depend on the host time zone', () => {
    const saved = process.env.TZ;
    const results: string[] = [];
    try {
      for (const tz of ['UTC', 'America/New_York', 'Pacific/Kiritimati', 'Asia/Baku']) {
        process.env.TZ = tz;
        const c = azCalendar();
        results.push(
          JSON.stringify([
            c.localDate(new Date('2025-06-12T19:30:00Z')),
            c.deadline(new Date('2024-03-15T15:00:00Z'), 3).toISOString(),
            c.workingDaysBetween('2026-03-18', '2026-04-01'),
            c.holidays(2023).slice(0, 4),
          ]),
        );
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    assert.equal(new Set(results).size, 1);
  });

  it('every listed holiday is a rest day, and the list is sorted (2019-2032)', () => {
    for (let year = 2019; year <= 2032; year++) {
      const list = cal.holidays(year);
      assert.ok(list.every((h) => !cal.isWorkingDay(h.date)), `${year}`);
      assert.deepEqual(
        list.map((h) => h.date),
        list.map((h) => h.date).sort(),
      );
    }
  });

  it('bayram data: 2019-2032, announced dates through 2026, estimates after', () => {
    const years = Object.keys(azCalendarData.byYear).map(Number);
    assert.deepEqual(years, Array.from({ length: 14 }, (_, i) => 2019 + i));
    const first = (year: number, name: string) => azCalendarData.byYear[year]?.find((b) => b.name === name)?.date;
    assert.equal(first(2024, 'Ramazan bayramı'), '2024-04-10');
    assert.equal(first(2025, 'Ramazan bayramı'), '2025-03-30');
    assert.equal(first(2026, 'Ramazan bayramı'), '2026-03-20');
    assert.equal(first(2024, 'Gurban bayramı'), '2024-06-16');
    assert.equal(first(2025, 'Gurban bayramı'), '2025-06-06');
    assert.equal(first(2026, 'Gurban bayramı'), '2026-05-27');
    for (const year of years) {
      const list = azCalendarData.byYear[year] ?? [];
      assert.equal(list.length, 2);
      assert.ok(list.every((b) => b.days === 2 && b.date.startsWith(`${year}-`)));
      assert.ok(list.every((b) => (b.estimate === true) === year > 2026), `${year}`);
    }
    assert.ok(cal.holidays(2027).some((h) => h.name === 'Ramazan bayramı' && h.estimate === true));
    assert.ok(Object.isFrozen(azCalendarData.fixed));
  });

  it('refuses bad input and years without data', () => {
    assert.throws(() => cal.isWorkingDay('2025-02-30'), RangeError);
    assert.throws(() => cal.isWorkingDay('2025-2-3'), RangeError);
    assert.throws(() => cal.addWorkingDays('2025-03-03', 0), RangeError);
    assert.throws(() => cal.addWorkingDays('2025-03-03', 1.5), RangeError);
    assert.throws(() => cal.localDate(new Date(Number.NaN)), RangeError);
    assert.throws(() => cal.holidays(2033), /no holiday data for the year 2033/);
    assert.throws(() => cal.isWorkingDay('2018-12-29'), RangeError); // even a Saturday
    assert.throws(() => cal.addWorkingDays('2032-12-30', 3), RangeError); // runs into 2033
    assert.equal(cal.coversYear(2032), true);
    assert.equal(cal.coversYear(2033), false);
    assert.throws(() => azCalendar([{ date: '2026-13-01', working: false }]), RangeError);
  });

  it('takes any profile as data (a second ccTLD: another offset, no lunar holidays)', () => {
    const data: CalendarData = {
      timeZoneOffsetMinutes: -5 * 60,
      fixed: [{ month: 12, day: 25, name: 'Christmas', movable: true }],
      byYear: { 2027: [], 2028: [] },
      overrides: [],
    };
    const c = new WorkingCalendar(data);
    // Sat 25 Dec 2027 moves to Mon 27 Dec.
    assert.deepEqual(c.holidays(2027), [
      { date: '2027-12-25', name: 'Christmas' },
      { date: '2027-12-27', name: 'Christmas', moved: true, movedFrom: '2027-12-25' },
    ]);
    assert.equal(c.localDate(new Date('2028-01-01T03:00:00Z')), '2027-12-31');
    assert.equal(c.deadline(new Date('2027-12-23T12:00:00Z'), 1).toISOString(), '2027-12-25T05:00:00.000Z');
  });
});
