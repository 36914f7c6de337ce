// Shared types of the name policy engine (pure: no storage, no I/O).

export type Verdict = 'ok' | 'review' | 'refused';
export type ListName = 'stop' | 'reserved' | 'geographic' | 'person' | 'organisation' | 'grandfathered';
/** exact: the whole label; substring: anywhere in it; word: as whole hyphen-separated parts of it. */
export type MatchMode = 'exact' | 'substring' | 'word';

/** One entry of a policy list. For 'grandfathered' the word is a full name (A-label or U-label form). */
export interface ListEntry {
  list: ListName;
  word: string;
  match: MatchMode;
  note?: string | null;
}

/** What a reason is about; lets callers (EPP, web) map reasons without parsing messages. */
export type ReasonCode =
  | 'name'          // not a name under the TLD, empty label, bare TLD
  | 'zone'          // wrong level / not a general-use zone
  | 'allocated'     // the name is itself a zone
  | 'length'
  | 'chars'
  | 'hyphens'
  | 'alabel'        // invalid xn-- label
  | 'restricted-zone'
  | 'list';         // matched a policy list

export interface Reason {
  clause: string;            // 'R4.1.1', 'R4.3', 'R4.2', ...
  ground?: string;           // R5.1.x refusal ground, e.g. 'R5.1.3', 'R5.1.5'
  message: string;           // plain English, specific
  documents?: string[];      // for review: what the applicant must attach
  verdict: Exclude<Verdict, 'ok'>;
  code: ReasonCode;
  match?: { list: ListName; word: string; mode: MatchMode };
}

/** 'az' (parent null), 'com.az' (parent 'az'), ... */
export interface ZoneDef {
  name: string;
  parent: string | null;
  restricted: boolean;
}

/** Live data; in production it comes from the database. Treat as immutable once passed to checkName. */
export interface PolicyData {
  zones: ZoneDef[];
  lists: ListEntry[];
}

export interface NameCheck {
  input: string;
  ascii: string | null;      // full A-label form, e.g. 'xn--ki-eta41h.az'
  unicode: string | null;    // full U-label form, e.g. 'şəki.az'
  zone: string | null;       // 'az' | 'com.az' | ...
  label: string | null;      // the registered label, U-label form
  verdict: Verdict;
  reasons: Reason[];         // empty iff verdict 'ok'
  bundleKey: string | null;  // folded label + '.' + zone, e.g. 'seki.az'
  idn: boolean;
}

/** R4.13: a grandfathered name skips the R4.1 rules (but must still be valid DNS/IDNA). */
export interface CheckOptions {
  grandfathered?: boolean;
}
