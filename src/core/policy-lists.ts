// Editing the live policy lists (Stop-list R4.3/R4.4, reserved R4.9, consent lists R4.2/R4.8,
// grandfathered R4.13). Each edit is an operation with audit and outbox, and bumps the policy version
// so every node reloads.
import type { ListEntry, ListName, MatchMode } from '../policy/types.ts';
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import { PolicyService } from './policy-service.ts';
import type { Registry } from './registry.ts';

export const LIST_NAMES: ListName[] = ['stop', 'reserved', 'geographic', 'person', 'organisation', 'grandfathered'];
const CLAUSE: Record<ListName, string> = { stop: 'R4.3', reserved: 'R4.9', geographic: 'R4.2', person: 'R4.2', organisation: 'R4.8', grandfathered: 'R4.13' };

export function parseListName(v: string): ListName {
  if (!(LIST_NAMES as string[]).includes(v)) throw new RegistryError('syntax', `unknown list '${v}' (lists: ${LIST_NAMES.join(', ')})`, 'R4.3');
  return v as ListName;
}

function normalizeWord(list: ListName, word: string): string {
  const w = word.normalize('NFC').trim().toLocaleLowerCase('az');
  if (!w) throw new RegistryError('required', 'the word is empty', CLAUSE[list]);
  if (w.length > 253) throw new RegistryError('range', 'the word is longer than 253 characters', CLAUSE[list]);
  if (list !== 'grandfathered' && w.includes('.')) throw new RegistryError('syntax', 'a list word is a label, without dots', CLAUSE[list]);
  return w;
}

export async function addListEntry(reg: Registry, actor: Actor, list: ListName, word: string, match: MatchMode = 'exact', note: string | null = null): Promise<ListEntry> {
  assertOperator(actor, 'edit the policy lists', CLAUSE[list]);
  if (match !== 'exact' && match !== 'substring' && match !== 'word') throw new RegistryError('syntax', `match is exact, word or substring, not '${String(match)}'`, CLAUSE[list]);
  const w = normalizeWord(list, word);
  const entry = await runOperation(reg, actor, 'policy.list.add', async (ctx) => {
    await ctx.tx.insertInto('policy_list_entries').values({ list, word: w, match, note }).execute();
    await PolicyService.bump(ctx.tx);
    const entry: ListEntry = { list, word: w, match, note };
    await ctx.record({ objectType: 'policy', objectId: `${list}:${w}`, before: null, after: entry, topic: 'policy.list.added', history: false });
    return entry;
  });
  PolicyService.invalidate();
  return entry;
}

export async function removeListEntry(reg: Registry, actor: Actor, list: ListName, word: string): Promise<void> {
  assertOperator(actor, 'edit the policy lists', CLAUSE[list]);
  const w = normalizeWord(list, word);
  await runOperation(reg, actor, 'policy.list.remove', async (ctx) => {
    const gone = await ctx.tx.deleteFrom('policy_list_entries').where('list', '=', list).where('word', '=', w).returningAll().executeTakeFirst();
    if (!gone) throw new RegistryError('notFound', `'${w}' is not on the ${list} list`, CLAUSE[list]);
    await PolicyService.bump(ctx.tx);
    await ctx.record({ objectType: 'policy', objectId: `${list}:${w}`, before: { list, word: gone.word, match: gone.match, note: gone.note }, after: null, topic: 'policy.list.removed', history: false });
  });
  PolicyService.invalidate();
}

export async function showList(reg: Registry, list: ListName): Promise<ListEntry[]> {
  const rows = await reg.db.selectFrom('policy_list_entries').select(['list', 'word', 'match', 'note']).where('list', '=', list).orderBy('word').execute();
  return rows.map((r) => ({ list: r.list as ListName, word: r.word, match: r.match as MatchMode, note: r.note }));
}
