// Matching labels against the policy lists (R4.2, R4.3/R4.4, R4.8, R4.9) and the R4.13 list.
import { matchKey, type FoldTable } from './fold.ts';
import { canonical } from './text.ts';
import type { ListEntry, ListName } from './types.ts';

export interface ListHit {
  entry: ListEntry;
  key: string;     // the entry's match key (folded, no hyphens)
}

interface Compiled {
  exact: Map<string, ListEntry[]>;
  substring: ListHit[];
  /** 'word' entries with the match keys of their hyphen-separated parts. */
  words: { hit: ListHit; parts: string[] }[];
  grandfathered: Set<string>;
}

const ORDER: readonly ListName[] = ['stop', 'reserved', 'geographic', 'person', 'organisation'];

// Compiled per lists array; rebuilt when the array grows or another fold table is used.
const cache = new WeakMap<readonly ListEntry[], { table: FoldTable; length: number; compiled: Compiled }>();

function compile(lists: readonly ListEntry[], table: FoldTable): Compiled {
  const hit = cache.get(lists);
  if (hit && hit.table === table && hit.length === lists.length) return hit.compiled;
  const compiled: Compiled = { exact: new Map(), substring: [], words: [], grandfathered: new Set() };
  for (const entry of lists) {
    if (entry.list === 'grandfathered') {
      compiled.grandfathered.add(canonical(entry.word.trim()).replace(/\.$/, ''));
      continue;
    }
    const key = matchKey(entry.word, table);
    if (!key) continue;
    if (entry.match === 'substring') compiled.substring.push({ entry, key });
    else if (entry.match === 'word') compiled.words.push({ hit: { entry, key }, parts: wordParts(entry.word, table) });
    else compiled.exact.set(key, [...(compiled.exact.get(key) ?? []), entry]);
  }
  cache.set(lists, { table, length: lists.length, compiled });
  return compiled;
}

/** The match keys of the hyphen-separated parts of a word or label ('Şəki-Turizm' → ['seki', 'turizm']). */
function wordParts(s: string, table: FoldTable): string[] {
  return s.split('-').map((p) => matchKey(p, table)).filter(Boolean);
}

/** Is `parts` a run of consecutive elements of `label`? */
function containsRun(label: string[], parts: string[]): boolean {
  if (!parts.length) return false;
  for (let i = 0; i + parts.length <= label.length; i++) {
    if (parts.every((p, j) => label[i + j] === p)) return true;
  }
  return false;
}

/**
 * Entries that match a label, compared on matchKey (NFC, lowercase, folded, hyphens removed):
 * 'exact' entries match the whole key, 'substring' entries anywhere in it, 'word' entries the whole key or whole
 * hyphen-separated parts of the label. One hit per list and key; ordered stop, reserved, geographic, person,
 * organisation.
 */
export function matchLists(lists: readonly ListEntry[], label: string, table: FoldTable): ListHit[] {
  const c = compile(lists, table);
  const key = matchKey(label, table);
  if (!key) return [];
  const parts = c.words.length ? wordParts(label, table) : [];
  const hits = [
    ...(c.exact.get(key) ?? []).map((entry) => ({ entry, key })),
    ...c.words.filter((w) => w.hit.key === key || containsRun(parts, w.parts)).map((w) => w.hit),
    ...c.substring.filter((h) => key.includes(h.key)),
  ];
  const seen = new Set<string>();
  return hits
    .filter((h) => !seen.has(`${h.entry.list}\u0000${h.key}`) && !!seen.add(`${h.entry.list}\u0000${h.key}`))
    .sort((a, b) => ORDER.indexOf(a.entry.list) - ORDER.indexOf(b.entry.list));
}

/** R4.13: is any of these full names (A-label or U-label form) on the grandfathered list? */
export function isGrandfathered(lists: readonly ListEntry[], names: readonly (string | null)[], table: FoldTable): boolean {
  const set = compile(lists, table).grandfathered;
  return names.some((n) => n !== null && set.has(canonical(n)));
}
