// '.az' (Cabinet of Ministers Resolution No. 63, 2019). Clause numbers are the Resolution's.
import { AZ_FOLD } from '../fold.ts';
import type { TldProfile } from '../profile.ts';
import { AZ_STARTER_LISTS } from '../seed-lists.ts';
import type { ZoneDef } from '../types.ts';
import { azCalendarData } from '../calendar-data/az.ts';

/** R2.2, R4.11: general-use second-level zones; gov.az (R3.2) and mil.az are restricted. */
const GENERAL_ZONES = ['biz', 'co', 'com', 'info', 'int', 'edu', 'gov', 'mil', 'name', 'net', 'org', 'pp'];
const RESTRICTED = new Set(['gov', 'mil']);

export const AZ_ZONES: ZoneDef[] = [
  { name: 'az', parent: null, restricted: false },
  ...GENERAL_ZONES.map((z) => ({ name: `${z}.az`, parent: 'az', restricted: RESTRICTED.has(z) })),
];

const MINISTRY = 'the Ministry of Digital Development and Transport';

export const azProfile: TldProfile = {
  tld: 'az',
  label: { minLength: 3, maxLength: 63, idn: true, letters: 'çəğıöşü' }, // R4.1.1, R4.1.2
  fold: AZ_FOLD,
  zones: AZ_ZONES,
  restrictedZones: {
    'gov.az': {
      clause: 'R3.2',
      ground: 'R5.1.3',
      documents: ['Letter from the state body (institution) confirming eligibility under the gov.az rules of the Cabinet of Ministers (R3.2)'],
    },
    'mil.az': {
      clause: 'R4.11',
      ground: 'R5.1.3',
      documents: ['Confirmation of eligibility from the Ministry of Defence (restricted zone mil.az, R4.11)'],
    },
  },
  restrictedDefault: {
    clause: 'R4.11',
    ground: 'R5.1.3',
    documents: ['Proof of eligibility for this restricted zone, as set by the National Administrator (R4.11)'],
  },
  periodYears: { min: 1, max: 10 },  // R3.16
  transferAutoApproveDays: 5,
  reviewWorkingDays: 3,           // R3.12
  // R6.1 asks for at least a month: 40 days leaves room for a worker that was down a few days.
  lifecycle: { renewalNoticeDays: 40, redemptionDays: 30, accuracyWorkingDays: 3, deadlineAlertWorkingDays: 1 },
  roidSuffix: 'AZ',
  review: true,
  withoutReview: 'refused',
  clauses: {
    name: 'R2.2', zone: 'R4.11', allocated: 'R4.11',
    length: 'R4.1.1', chars: 'R4.1.2', hyphens: 'R4.1.3', grandfathered: 'R4.13',
  },
  grounds: { syntax: 'R5.1.3', allocated: 'R5.1.4' },
  lists: {
    stop: { verdict: 'refused', clause: 'R4.3', ground: 'R5.1.5', what: 'a Stop-list word (R4.3, R4.4)' },
    reserved: {
      verdict: 'review', clause: 'R4.9', ground: 'R5.1.4', what: 'a reserved name',
      documents: [`Consent of ${MINISTRY} to register the reserved name (R4.9)`],
    },
    geographic: {
      verdict: 'review', clause: 'R4.2', ground: 'R5.1.8', what: 'a geographic name of Azerbaijan',
      documents: [`Approval of ${MINISTRY} (R4.2)`],
    },
    person: {
      verdict: 'review', clause: 'R4.2', ground: 'R5.1.8', what: 'the name or pseudonym of a prominent person',
      documents: [
        'Written consent of the person, or of the heirs or legal representatives (R4.2)',
        `Approval of ${MINISTRY} (R4.2)`,
      ],
    },
    organisation: {
      verdict: 'review', clause: 'R4.8', ground: 'R5.1.7',
      what: 'the name or abbreviation of a state body, company, association or international organisation',
      documents: ['Written application or consent of the body or organisation named, signed by an authorised representative (R4.8)'],
    },
  },
  starter: { zones: AZ_ZONES, lists: AZ_STARTER_LISTS },
  calendar: azCalendarData,
};
