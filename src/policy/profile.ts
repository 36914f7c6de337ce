// A TLD profile is data: label rules, zones, clauses, list rules, periods, starter lists.
import type { FoldTable } from './fold.ts';
import type { LabelRules } from './idn.ts';
import type { ListName, PolicyData, Verdict, ZoneDef } from './types.ts';
import type { CalendarData } from './calendar.ts';
import { azProfile } from './profiles/az.ts';
import { tgProfile } from './profiles/tg.ts';

/** Lists that produce a reason when a label matches ('grandfathered' only waives R4.1). */
export type RuleList = Exclude<ListName, 'grandfathered'>;

/** What a match on one list means under this profile. */
export interface ListRule {
  verdict: Exclude<Verdict, 'ok'>;
  clause: string;
  ground?: string;
  documents?: string[];
  what: string;               // 'a reserved name', 'a geographic name of Azerbaijan', ...
}

/** Eligibility rule of a restricted zone (gov.az, mil.az). */
export interface ZoneRule {
  clause: string;
  ground?: string;
  documents: string[];
}

/** Clause strings cited by the syntax and zone checks. */
export interface ProfileClauses {
  name: string;          // not under the TLD, bare TLD, empty label
  zone: string;          // wrong level, not a general-use zone
  allocated: string;     // the name is itself a zone
  length: string;
  chars: string;
  hyphens: string;       // also invalid xn-- labels
  grandfathered: string; // DNS/IDNA failures of a grandfathered name (R4.1 waived)
}

/** The time rules the worker's timers apply (R6.1, R6.2, R8.7, R3.12). */
export interface LifecycleRules {
  /** R6.1: the renewal request goes out this many days before expiry (at least a month). */
  renewalNoticeDays: number;
  /** R6.2: days between suspension at expiry and cancellation, during which the owner may still pay (RGP restore). */
  redemptionDays: number;
  /** R8.7: working days the owner has to correct data found inaccurate before suspension. */
  accuracyWorkingDays: number;
  /** R3.12: staff are alerted when a pending application's deadline is this many working days away or less. */
  deadlineAlertWorkingDays: number;
}

export interface TldProfile {
  tld: string;
  label: LabelRules;
  fold: FoldTable;                     // ASCII folding for bundles and list matching
  zones: ZoneDef[];                    // default zones; live ones come in PolicyData
  restrictedZones: Readonly<Record<string, ZoneRule>>;
  restrictedDefault: ZoneRule;         // a restricted zone without its own rule
  periodYears: { min: number; max: number };
  transferAutoApproveDays: number;
  reviewWorkingDays: number;           // R3.12: applications decided within this many working days
  lifecycle: LifecycleRules;
  roidSuffix: string;                  // RFC 5730 §2.8 repository ID suffix, e.g. 'AZ'
  review: boolean;                     // false: a 'review' outcome becomes withoutReview
  withoutReview: 'ok' | 'refused';
  clauses: ProfileClauses;
  grounds: { syntax?: string; allocated?: string };
  lists: Readonly<Partial<Record<RuleList, ListRule>>>;
  starter: PolicyData;                 // seed data for a fresh registry (and tests)
  calendar: CalendarData;              // working days for the deadlines (R3.12, R7.5, R8.7, R9.2)
}

const PROFILES: Readonly<Record<string, TldProfile>> = { az: azProfile, tg: tgProfile };

/** The profile of a TLD ('az', '.AZ'); throws for an unknown TLD. */
export function getProfile(tld: string): TldProfile {
  const key = tld.trim().replace(/^\./, '').toLowerCase();
  const p = PROFILES[key];
  if (!p) throw new Error(`no policy profile for TLD '${tld}' (known: ${Object.keys(PROFILES).join(', ')})`);
  return p;
}

export function profileTlds(): string[] {
  return Object.keys(PROFILES);
}
