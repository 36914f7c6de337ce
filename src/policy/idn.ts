// IDNA2008 label handling for a profile's repertoire (RFC 5890-5892), plus the R4.1 label rules.
import punycode from 'punycode/punycode.js';
import { describeChar, hintText, scriptOf, suggest } from './chars.ts';
import { canonical, isAscii, lowerChar } from './text.ts';

export const ACE_PREFIX = 'xn--';
/** RFC 1035 §2.3.4: a label is at most 63 octets. */
export const MAX_LABEL_OCTETS = 63;

/** The label part of a TLD profile (R4.1.1, R4.1.2). */
export interface LabelRules {
  minLength: number;   // counted in code points of the U-label
  maxLength: number;
  idn: boolean;        // IDN labels offered at all
  letters: string;     // non-ASCII letters allowed in IDN labels, e.g. 'çəğıöşü'
}

export type ProblemKind =
  | 'chars' | 'alabel' | 'idn-disabled'
  | 'hyphen-edge' | 'hyphen-34' | 'hyphen-double'
  | 'length-min' | 'length-max' | 'alabel-length';

export interface LabelProblem {
  kind: ProblemKind;
  /** true: also a DNS/IDNA requirement, kept for grandfathered names (R4.13); false: R4.1 only. */
  dns: boolean;
  message: string;
}

export interface LabelAnalysis {
  input: string;
  ulabel: string | null;  // canonical U-label (LDH label if ASCII); null if characters or encoding are invalid
  alabel: string | null;  // 'xn--...' for an IDN, the label itself if ASCII
  text: string | null;    // best-effort canonical text (also for invalid labels), for list matching
  idn: boolean;
  problems: LabelProblem[];
}

export function isAllowedChar(ch: string, rules: LabelRules): boolean {
  return /^[a-z0-9-]$/.test(ch) || (rules.idn && [...ch].length === 1 && rules.letters.includes(ch));
}

export function repertoireText(rules: LabelRules): string {
  const extra = rules.idn && rules.letters ? ` and, in IDN labels, ${[...rules.letters].join(' ')}` : '';
  return `allowed: a-z, 0-9, '-'${extra}`;
}

/** U-label → A-label (RFC 5891 §4.4); ASCII labels are returned unchanged. */
export function toALabel(ulabel: string): string {
  return isAscii(ulabel) ? ulabel : ACE_PREFIX + punycode.encode(ulabel);
}

export function hasAcePrefix(label: string): boolean {
  return label.slice(0, 4).toLowerCase() === ACE_PREFIX;
}

/** Checks a single label (no dots). Collects every problem rather than stopping at the first. */
export function analyzeLabel(input: string, rules: LabelRules): LabelAnalysis {
  const a = hasAcePrefix(input) ? fromALabel(input, rules) : fromText(input, rules);
  const s = a.ulabel ?? a.text;
  if (s !== null && !a.problems.some((p) => p.kind === 'alabel' || p.kind === 'idn-disabled')) {
    a.problems.push(...hyphenProblems(s), ...lengthProblems(s, a, rules));
  }
  return a;
}

/** Input typed as text: NFC, locale-free lowercase (İ→i), then the repertoire (R4.1.2). */
function fromText(input: string, rules: LabelRules): LabelAnalysis {
  const text = canonical(input);
  const problems = charProblems(input.normalize('NFC'), rules, true);
  const ok = problems.length === 0;
  const idn = !isAscii(text);
  return { input, ulabel: ok ? text : null, alabel: ok ? toALabel(text) : null, text, idn, problems };
}

/** Input in ACE form: must be the exact encoding of a valid U-label (RFC 5891 §5.4). */
function fromALabel(input: string, rules: LabelRules): LabelAnalysis {
  const bad = (message: string, text: string | null = null, kind: ProblemKind = 'alabel'): LabelAnalysis =>
    ({ input, ulabel: null, alabel: null, text, idn: true, problems: [{ kind, dns: true, message }] });
  if (!rules.idn) return bad(`'${input}' is an IDN A-label; only ASCII names are offered`, null, 'idn-disabled');
  if (!isAscii(input)) return bad(`'${input}' starts with 'xn--' but is not ASCII; an A-label is letters, digits and hyphens only`);
  const alabel = input.toLowerCase(); // A-labels compare case-insensitively (RFC 5891 §5.3)
  let u: string;
  try {
    u = punycode.decode(alabel.slice(ACE_PREFIX.length));
  } catch (e) {
    return bad(`'${input}' is not a valid A-label: its Punycode does not decode (RFC 3492: ${(e as Error).message})`);
  }
  if (isAscii(u)) {
    return bad(`'${input}' is not a valid A-label: it decodes to the ASCII string '${u}' (RFC 5890 §2.3.2.1)` +
      (u ? `; register '${u}' directly` : ''), u);
  }
  const problems: LabelProblem[] = [];
  if (u !== u.normalize('NFC')) {
    problems.push({ kind: 'alabel', dns: true, message: `'${input}' decodes to a string that is not in NFC, so it is not a U-label (RFC 5891 §5.4)` });
  }
  for (const p of charProblems(u, rules, false)) {
    problems.push({ ...p, message: `'${input}' decodes to '${u}': ${p.message}` });
  }
  const again = ACE_PREFIX + punycode.encode(u);
  if (again !== alabel) {
    problems.push({ kind: 'alabel', dns: true, message: `'${input}' does not re-encode to the same A-label ('${u}' encodes as '${again}'; RFC 5891 §5.4)` });
  }
  const ok = problems.length === 0;
  return { input, ulabel: ok ? u : null, alabel: ok ? alabel : null, text: canonical(u), idn: true, problems };
}

/**
 * One problem per distinct disallowed code point. With mapCase, uppercase maps to lowercase first
 * (text input); a decoded U-label gets no mapping (an uppercase letter there is simply invalid).
 */
function charProblems(s: string, rules: LabelRules, mapCase: boolean): LabelProblem[] {
  const allowed = (c: string): boolean => isAllowedChar(c, rules);
  const seen = new Map<string, { count: number; prev: string }>();
  let prev = '';
  for (const ch of s) {
    const mapped = mapCase ? lowerChar(ch) : ch;
    if (![...mapped].every(allowed)) {
      const entry = seen.get(ch);
      if (entry) entry.count++;
      else seen.set(ch, { count: 1, prev });
    }
    prev = mapped;
  }
  const problems: LabelProblem[] = [];
  for (const [ch, { count, prev: before }] of seen) {
    const notes: string[] = [];
    if (ch === '\u0307' && before === 'i') {
      notes.push(`'i' followed by U+0307 is what a locale-unaware lowercasing makes of 'İ': write plain 'i'`);
    } else {
      const hint = suggest(mapCase ? lowerChar(ch) : ch, allowed);
      if (hint) notes.push(hintText(hint));
    }
    const script = /^\p{L}$/u.test(ch) ? scriptOf(ch) : null;
    if (script && script !== 'Latin') notes.push(`labels are Latin script only, mixing ${script} with Latin is refused`);
    if (!rules.idn && !isAscii(ch)) notes.push('only ASCII labels are offered (no IDNs)');
    const msg = `${describeChar(ch)}${count > 1 ? ` (${count} times)` : ''} is not allowed` +
      notes.map((n) => '; ' + n).join('') + ` (${repertoireText(rules)})`;
    problems.push({ kind: 'chars', dns: true, message: msg });
  }
  return problems;
}

/** R4.1.3; RFC 5891 §4.2.3.1 for the leading/trailing hyphen and '--' in positions 3-4. */
function hyphenProblems(s: string): LabelProblem[] {
  const out: LabelProblem[] = [];
  if (s.startsWith('-')) out.push({ kind: 'hyphen-edge', dns: true, message: `'${s}' starts with a hyphen` });
  if (s.endsWith('-') && s.length > 1) out.push({ kind: 'hyphen-edge', dns: true, message: `'${s}' ends with a hyphen` });
  const at = [...s].slice(2, 4).join('');
  if (at === '--') {
    out.push({ kind: 'hyphen-34', dns: true, message: `'${s}' has '--' in positions 3-4, reserved for encoded labels such as 'xn--' (RFC 5891 §4.2.3.1)` });
  } else if (s.includes('--')) {
    out.push({ kind: 'hyphen-double', dns: false, message: `'${s}' contains two hyphens in a row` });
  }
  return out;
}

/** R4.1.1 on the U-label; RFC 1035 63-octet limit on the A-label. */
function lengthProblems(s: string, a: LabelAnalysis, rules: LabelRules): LabelProblem[] {
  const out: LabelProblem[] = [];
  const n = [...s].length;
  const range = `${rules.minLength} to ${rules.maxLength} characters`;
  const octets = a.alabel !== null ? a.alabel.length : isAscii(s) ? s.length : null;
  const ascii = isAscii(s);
  if (n < rules.minLength) {
    out.push({ kind: 'length-min', dns: false, message: `'${s}' has ${n} character${n === 1 ? '' : 's'}; a label must have ${range}` });
  }
  if (n > rules.maxLength) {
    out.push({ kind: 'length-max', dns: ascii && n > MAX_LABEL_OCTETS, message: `'${s}' has ${n} characters; a label must have ${range}` +
      (ascii && n > MAX_LABEL_OCTETS ? ` (and the DNS limit is ${MAX_LABEL_OCTETS} octets)` : '') });
  }
  if (octets !== null && octets > MAX_LABEL_OCTETS && (!ascii || n <= rules.maxLength)) {
    out.push({ kind: 'alabel-length', dns: true, message: `the A-label '${a.alabel ?? s}' is ${octets} octets, over the DNS limit of ${MAX_LABEL_OCTETS} (RFC 1035 §2.3.4)` +
      (!ascii ? `, though the U-label has ${n} characters` : '') });
  }
  return out;
}
