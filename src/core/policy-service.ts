// The live policy data (zones, lists, calendar days) from the database, cached per process and reloaded
// when any node bumps 'policy.version'.
//
// The version itself is read at most once per VERSION_TTL_MS (default 1 s, DOMEN_POLICY_VERSION_TTL_MS) for
// checks outside a transaction, and concurrent checks share one read: a domain:check no longer costs a
// query for it. So an edit takes effect on the node that made it at once (the edit invalidates the cached
// read in this process), and on the other nodes within that time. Reads inside a transaction (an approval,
// db = the transaction) always read the version afresh.
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { checkName } from '../policy/check-name.ts';
import { WorkingCalendar, type CalendarData, type CalendarOverride } from '../policy/calendar.ts';
import type { CheckOptions, ListEntry, ListName, MatchMode, NameCheck, PolicyData } from '../policy/types.ts';
import type { Registry } from './registry.ts';

interface Loaded { version: number; data: PolicyData; calendar: WorkingCalendar }

const envTtl = Number(process.env.DOMEN_POLICY_VERSION_TTL_MS);
/** How long one read of 'policy.version' serves the checks made outside transactions (ms). */
export const VERSION_TTL_MS = Number.isFinite(envTtl) && envTtl >= 0 ? envTtl : 1000;

/** Bumped by every policy edit in this process: a cached version read from before it is not used. */
let localEpoch = 0;

async function readVersion(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'policy.version').executeTakeFirst();
  return typeof row?.value === 'number' ? row.value : 0;
}

export class PolicyService {
  #loaded: Loaded | null = null;
  #versionRead: { at: number; epoch: number; value: Promise<number> } | null = null;
  constructor(private readonly registry: Registry) {}

  private version(db: Kysely<Database>): Promise<number> {
    if (db !== this.registry.db || VERSION_TTL_MS === 0) return readVersion(db);
    const now = performance.now();
    const c = this.#versionRead;
    if (c && c.epoch === localEpoch && now - c.at < VERSION_TTL_MS) return c.value;
    const value = readVersion(db);
    const read = { at: now, epoch: localEpoch, value };
    this.#versionRead = read;
    value.catch(() => { if (this.#versionRead === read) this.#versionRead = null; });
    return value;
  }

  /** After a policy edit commits: the next check in this process reads the version again. */
  static invalidate(): void {
    localEpoch++;
  }

  async load(db: Kysely<Database> = this.registry.db): Promise<Loaded> {
    const version = await this.version(db);
    if (this.#loaded && this.#loaded.version === version) return this.#loaded;
    const zones = await db.selectFrom('zones').select(['name', 'parent', 'restricted']).where('active', '=', true)
      .where('profile', '=', this.registry.profile.tld).execute();
    const lists = await db.selectFrom('policy_list_entries').select(['list', 'word', 'match', 'note']).execute();
    const days = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).orderBy('date').execute();
    const data: PolicyData = {
      zones: zones.map((z) => ({ name: z.name, parent: z.parent, restricted: z.restricted })),
      lists: lists.map((l) => ({ list: l.list as ListName, word: l.word, match: l.match as MatchMode, note: l.note })),
    };
    this.#loaded = { version, data, calendar: buildCalendar(this.registry.profile.calendar, days) };
    return this.#loaded;
  }

  async checkName(input: string, options: CheckOptions = {}, db?: Kysely<Database>): Promise<NameCheck> {
    const { data } = await this.load(db);
    return checkName(this.registry.profile, data, input, options);
  }

  async calendar(db?: Kysely<Database>): Promise<WorkingCalendar> {
    return (await this.load(db)).calendar;
  }

  /** Called inside the transaction that edits policy data. */
  static async bump(db: Kysely<Database>): Promise<void> {
    localEpoch++;
    await sql`insert into settings (key, value) values ('policy.version', '1'::jsonb)
      on conflict (key) do update set value = to_jsonb(coalesce((settings.value)::text::int, 0) + 1), updated_at = now()`.execute(db);
  }
}

export function listEntry(list: ListName, word: string, match: MatchMode = 'exact', note: string | null = null): ListEntry {
  return { list, word, match, note };
}

/** Movable bayram dates and the Cabinet's swapped days live in calendar_days; fixed holidays in the profile data. */
function buildCalendar(base: CalendarData, days: { date: string; kind: string; name: string | null }[]): WorkingCalendar {
  const data: CalendarData = structuredClone(base);
  const overrides: CalendarOverride[] = [];
  for (const d of days) {
    if (d.kind === 'holiday') {
      const year = Number(d.date.slice(0, 4));
      const list = (data.byYear[year] ??= []);
      if (!list.some((h) => h.date === d.date)) list.push({ date: d.date, days: 1, name: d.name ?? 'holiday' });
    } else {
      overrides.push({ date: d.date, working: d.kind === 'working', note: d.name });
    }
  }
  data.overrides = [...data.overrides, ...overrides];
  return new WorkingCalendar(data);
}
