// checkName: the verdict of the name policy on one domain name (pure; data passed in).
import { fold, matchKey } from './fold.ts';
import { analyzeLabel, type ProblemKind } from './idn.ts';
import { isGrandfathered, matchLists, type ListHit } from './lists.ts';
import type { ListRule, TldProfile } from './profile.ts';
import { canonical } from './text.ts';
import type { CheckOptions, NameCheck, PolicyData, Reason, ReasonCode, Verdict, ZoneDef } from './types.ts';

const RANK: Readonly<Record<Verdict, number>> = { ok: 0, review: 1, refused: 2 };

/** The worse of two verdicts: refused > review > ok. */
export function worst(a: Verdict, b: Verdict): Verdict {
  return RANK[b] > RANK[a] ? b : a;
}

/** Zones of this TLD from the live data, by canonical name; the TLD itself is always one. */
export function zonesOf(profile: TldProfile, data: PolicyData): Map<string, ZoneDef> {
  const m = new Map<string, ZoneDef>();
  for (const z of data.zones) {
    const name = canonical(z.name.trim()).replace(/\.$/, '');
    if (name === profile.tld || name.endsWith('.' + profile.tld)) m.set(name, { ...z, name });
  }
  if (!m.has(profile.tld)) m.set(profile.tld, { name: profile.tld, parent: null, restricted: false });
  return m;
}

const CLAUSE_OF: Readonly<Record<ProblemKind, 'chars' | 'hyphens' | 'length'>> = {
  'chars': 'chars', 'idn-disabled': 'chars', 'alabel': 'hyphens',
  'hyphen-edge': 'hyphens', 'hyphen-34': 'hyphens', 'hyphen-double': 'hyphens',
  'length-min': 'length', 'length-max': 'length', 'alabel-length': 'length',
};
const CODE_OF: Readonly<Record<ProblemKind, ReasonCode>> = {
  'chars': 'chars', 'idn-disabled': 'chars', 'alabel': 'alabel',
  'hyphen-edge': 'hyphens', 'hyphen-34': 'hyphens', 'hyphen-double': 'hyphens',
  'length-min': 'length', 'length-max': 'length', 'alabel-length': 'length',
};

/**
 * Checks one name against a profile and the live lists. Collects every reason; the verdict is
 * the worst of them. Structural failures (wrong TLD, wrong level) stop before the label checks.
 */
export function checkName(profile: TldProfile, data: PolicyData, input: string, options: CheckOptions = {}): NameCheck {
  const res: NameCheck = {
    input, ascii: null, unicode: null, zone: null, label: null, verdict: 'ok', reasons: [], bundleKey: null, idn: false,
  };
  const { clauses, grounds, tld } = profile;
  const add = (r: Reason): void => {
    if (r.verdict === 'review' && !profile.review) {
      if (profile.withoutReview === 'ok') return;
      r = { ...r, verdict: profile.withoutReview, documents: undefined };
    }
    res.reasons.push(r);
    res.verdict = worst(res.verdict, r.verdict);
  };
  const refuse = (code: ReasonCode, clause: string, message: string, ground = grounds.syntax): void =>
    add({ clause, ground, message, verdict: 'refused', code });

  // Parse: trim, one trailing dot, labels.
  let name = input.trim();
  if (name.endsWith('.')) name = name.slice(0, -1);
  const parts = name.split('.');
  const lower = parts.map(canonical);
  if (name === '') {
    refuse('name', clauses.name, 'the name is empty');
    return res;
  }
  if (parts.some((p) => p === '')) {
    refuse('name', clauses.name, `'${input.trim()}' has an empty label`);
    return res;
  }
  if (lower[lower.length - 1] !== tld) {
    refuse('name', clauses.name, `'${name}' is not a name under .${tld}`);
    return res;
  }
  if (parts.length === 1) {
    refuse('name', clauses.name, `'${name}' is the top-level domain itself; a name is registered under it, e.g. example.${tld}`);
    return res;
  }

  // Zone (R2.2, R4.11): the nearest enclosing zone must be the label's direct parent.
  const zones = zonesOf(profile, data);
  let k = 1;
  while (!zones.has(lower.slice(k).join('.'))) k++;
  const zone = lower.slice(k).join('.');
  if (k > 1) {
    const general = [...zones.keys()].filter((z) => z !== tld).sort();
    const between = lower.slice(1).join('.');
    refuse('zone', clauses.zone, zone === tld
      ? `'${between}' is not a general-use zone: names are registered as second level under .${tld}` +
        (general.length ? ` or third level under ${general.join(', ')}` : '')
      : `'${name}' is below the third level: under ${zone} only direct names are registered; '${between}' would be a subdomain managed by its holder (R7.2)`);
    return res;
  }
  res.zone = zone;
  const zoneDef = zones.get(zone);

  // Label: IDNA + R4.1, waived (except the DNS/IDNA part) for grandfathered names (R4.13).
  const a = analyzeLabel(parts[0] ?? '', profile.label);
  res.idn = a.idn;
  if (a.ulabel !== null && a.alabel !== null) {
    res.label = a.ulabel;
    res.unicode = `${a.ulabel}.${zone}`;
    res.ascii = `${a.alabel}.${zone}`;
    res.bundleKey = `${fold(a.ulabel, profile.fold)}.${zone}`;
  }
  const grandfathered = options.grandfathered === true || isGrandfathered(data.lists, [res.ascii, res.unicode], profile.fold);
  for (const p of a.problems) {
    if (grandfathered && !p.dns) continue;
    refuse(CODE_OF[p.kind], grandfathered ? clauses.grandfathered : clauses[CLAUSE_OF[p.kind]],
      grandfathered ? `grandfathered name (${clauses.grandfathered}), but not a valid DNS/IDNA label: ${p.message}` : p.message);
  }

  // R4.11: a zone is an allocated name.
  if (res.ascii !== null && zones.has(res.ascii)) {
    refuse('allocated', clauses.allocated, `'${res.ascii}' is a general-use zone (R2.2), allocated by the registry; it cannot be registered as a name`, grounds.allocated);
  }

  // R3.2, R4.11: restricted zones.
  if (zoneDef?.restricted) {
    const rule = profile.restrictedZones[zone] ?? profile.restrictedDefault;
    add({
      clause: rule.clause, ground: rule.ground, verdict: 'review', code: 'restricted-zone', documents: rule.documents,
      message: `${zone} is a restricted zone: registration needs proof of eligibility`,
    });
  }

  // Lists: R4.3/R4.4 Stop-list, R4.9 reserved, R4.2 geographic and persons, R4.8 organisations.
  const text = a.ulabel ?? a.text;
  if (text) {
    const key = matchKey(text, profile.fold);
    for (const hit of matchLists(data.lists, text, profile.fold)) {
      const list = hit.entry.list;
      const rule = list === 'grandfathered' ? undefined : profile.lists[list];
      if (rule) add(listReason(rule, hit, text, key));
    }
  }
  return res;
}

function listReason(rule: ListRule, hit: ListHit, label: string, key: string): Reason {
  const { entry } = hit;
  const how = key !== label ? ` (compared as '${key}': lowercase, ASCII-folded, hyphens removed)` : '';
  const message = entry.match !== 'exact' && key !== hit.key
    ? `'${label}' contains ${rule.what}: '${entry.word}'${how}`
    : `'${label}' is ${rule.what}: '${entry.word}'${how}`;
  return {
    clause: rule.clause, ground: rule.ground, verdict: rule.verdict, code: 'list', message,
    documents: rule.verdict === 'review' ? rule.documents : undefined,
    match: { list: entry.list, word: entry.word, mode: entry.match },
  };
}
