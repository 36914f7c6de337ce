// '.tg': a second, deliberately different profile (ASCII only, 2LD only, no review queue).
// Illustrative data, not an official policy of the .tg registry.
import type { TldProfile } from '../profile.ts';
import type { ListEntry, ZoneDef } from '../types.ts';
import type { CalendarData } from '../calendar.ts';

// Illustrative: weekends and fixed public holidays of Togo (UTC+0); movable feasts would be yearly data.
const TG_CALENDAR: CalendarData = {
  timeZoneOffsetMinutes: 0,
  fixed: [
    { month: 1, day: 1, name: 'New Year', movable: false },
    { month: 4, day: 27, name: 'Independence Day', movable: false },
    { month: 5, day: 1, name: 'Labour Day', movable: false },
    { month: 8, day: 15, name: 'Assumption', movable: false },
    { month: 11, day: 1, name: "All Saints' Day", movable: false },
    { month: 12, day: 25, name: 'Christmas', movable: false },
  ],
  byYear: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [2019 + i, []])),
  overrides: [],
};

const TG_ZONES: ZoneDef[] = [{ name: 'tg', parent: null, restricted: false }];

const TG_LISTS: ListEntry[] = [
  ...['nic', 'whois', 'registry', 'registrar', 'dns', 'rdap', 'www', 'localhost', 'example', 'test', 'invalid']
    .map((word): ListEntry => ({ list: 'reserved', word, match: 'exact', note: null })),
  ...['fuck', 'shit', 'porn', 'nigger', 'pedophil']
    .map((word): ListEntry => ({ list: 'stop', word, match: 'substring', note: null })),
];

export const tgProfile: TldProfile = {
  tld: 'tg',
  label: { minLength: 2, maxLength: 63, idn: false, letters: '' },
  fold: {},
  zones: TG_ZONES,
  restrictedZones: {},
  restrictedDefault: { clause: 'tg:zone', documents: [] },
  periodYears: { min: 1, max: 10 },
  transferAutoApproveDays: 5,
  reviewWorkingDays: 3,
  // R6.1 asks for at least a month: 40 days leaves room for a worker that was down a few days.
  lifecycle: { renewalNoticeDays: 40, redemptionDays: 30, accuracyWorkingDays: 3, deadlineAlertWorkingDays: 1 },
  roidSuffix: 'TG',
  review: false,
  withoutReview: 'refused',
  clauses: {
    name: 'tg:name', zone: 'tg:zone', allocated: 'tg:zone',
    length: 'tg:length', chars: 'tg:label', hyphens: 'tg:label', grandfathered: 'tg:grandfathered',
  },
  grounds: {},
  lists: {
    stop: { verdict: 'refused', clause: 'tg:stop', what: 'a prohibited word' },
    reserved: { verdict: 'refused', clause: 'tg:reserved', what: 'a reserved name' },
  },
  starter: { zones: TG_ZONES, lists: TG_LISTS },
  calendar: TG_CALENDAR,
};
