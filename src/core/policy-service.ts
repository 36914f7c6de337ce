// The live policy data (zones, lists, calendar days) from the database, cached per process and reloaded
// when any node bumps 'policy.version', so a list edit takes effect everywhere on the next check.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { checkName } from '../policy/check-name.ts';
import { WorkingCalendar, type CalendarData, type CalendarOverride } from '../policy/calendar.ts';
import type { CheckOptions, ListEntry, ListName, MatchMode, NameCheck, PolicyData } from '../policy/types.ts';
import type { Registry } from './registry.ts';

interface Loaded { version: number; data: PolicyData; calendar: WorkingCalendar }

export class PolicyService {
  #loaded: Loaded | null = null;
  constructor(private readonly registry: Registry) {}

  private async version(db: Kysely<Database>): Promise<number> {
    const row = await db.selectFrom('settings').select('value').where('key', '=', 'policy.version').executeTakeFirst();
    return typeof row?.value === 'number' ? row.value : 0;
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
