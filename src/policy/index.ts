// Public API of the name policy engine.
export type * from './types.ts';
export { checkName, worst, zonesOf } from './check-name.ts';
export { getProfile, profileTlds, type TldProfile, type ListRule, type ZoneRule, type ProfileClauses, type RuleList } from './profile.ts';
export { AZ_FOLD, fold, matchKey, type FoldTable } from './fold.ts';
export { analyzeLabel, toALabel, hasAcePrefix, isAllowedChar, MAX_LABEL_OCTETS, type LabelRules, type LabelAnalysis, type LabelProblem, type ProblemKind } from './idn.ts';
export { matchLists, isGrandfathered, type ListHit } from './lists.ts';
export { canonical } from './text.ts';
export { AZ_GEOGRAPHIC, AZ_ORGANISATIONS, AZ_PERSONS, AZ_RESERVED, AZ_STOP, AZ_STARTER_LISTS } from './seed-lists.ts';
export { AZ_ZONES, azProfile } from './profiles/az.ts';
export { tgProfile } from './profiles/tg.ts';
