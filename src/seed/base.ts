// The data a fresh registry starts with: its zones and the starter policy lists of its profile.
// Applied once (recorded in settings), so an operator's later edits are never undone.
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';
import { PolicyService } from '../core/policy-service.ts';
import { seedPrices } from '../billing/prices.ts';

export async function seedBase(reg: Registry): Promise<boolean> {
  const key = `seed.base.${reg.profile.tld}`;
  return reg.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
    const done = await tx.selectFrom('settings').select('key').where('key', '=', key).executeTakeFirst();
    // Registries seeded before billing get the starting prices too (their own settings key).
    if (done) return (await seedPrices(tx, reg.profile.tld, reg.clock.now()), false);
    const zones = reg.profile.starter.zones;
    // Parents before children.
    for (const z of [...zones].sort((a, b) => Number(a.parent !== null) - Number(b.parent !== null))) {
      await tx.insertInto('zones').values({ name: z.name, parent: z.parent, profile: reg.profile.tld, restricted: z.restricted })
        .onConflict((oc) => oc.column('name').doNothing()).execute();
    }
    const lists = reg.profile.starter.lists;
    for (let i = 0; i < lists.length; i += 200) {
      await tx.insertInto('policy_list_entries')
        .values(lists.slice(i, i + 200).map((e) => ({ list: e.list, word: e.word, match: e.match, note: e.note ?? null })))
        .onConflict((oc) => oc.columns(['list', 'word']).doNothing()).execute();
    }
    await seedPrices(tx, reg.profile.tld, reg.clock.now());
    await tx.insertInto('settings').values({ key, value: JSON.stringify({ at: reg.clock.now().toISOString() }) }).execute();
    await PolicyService.bump(tx);
    return true;
  });
}
