// Registry statistics for the National Administrator's dashboard, the public statistics page and GET
// /api/statistics: live domains per zone at each month's end, creates, renewals and deletions per month, the
// registrars' shares, and the shares of IDN and DNSSEC-signed delegations. Months are calendar months in UTC.
// Read-only: counted from the domain rows (deleted rows stay, with deleted_at) and the audit log (renewals).
import { sql } from 'kysely';
import type { Registry } from './registry.ts';
import { RegistryError } from './errors.ts';

export interface ZoneSeries { zone: string; counts: number[] }
export interface MonthActivity { month: string; creates: number; renewals: number; deletions: number }
export interface RegistrarShare { registrarId: string; name: string; domains: number }

export interface Statistics {
  asOf: Date;
  /** 'YYYY-MM', oldest first; the last is the current month (counted up to asOf). */
  months: string[];
  /** Live domains per zone at the end of each month of `months` (the current one: now). */
  domainsByZone: ZoneSeries[];
  activity: MonthActivity[];
  registrars: RegistrarShare[];
  total: number;
  idn: number;
  dnssec: number;
}

const monthKey = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;

/** The `n` months up to and including the month of `at`, oldest first. */
export function lastMonths(at: Date, n: number): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - i, 1));
    out.push(monthKey(d.getUTCFullYear(), d.getUTCMonth()));
  }
  return out;
}

const monthStart = (key: string) => new Date(`${key}-01T00:00:00Z`);
const nextMonthStart = (key: string) => { const d = monthStart(key); return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)); };

export async function registryStatistics(reg: Registry, opts: { months?: number } = {}): Promise<Statistics> {
  const n = opts.months ?? 12;
  if (!Number.isInteger(n) || n < 1 || n > 120) throw new RegistryError('range', 'months is 1 to 120', 'R3.17');
  const db = reg.db;
  const asOf = reg.clock.now();
  const months = lastMonths(asOf, n);
  const from = monthStart(months[0]!);

  // Each month's end (the current month: now) as an instant; a domain counts if created before and not yet deleted.
  // (The current month's end is just after now, so what was created at this very instant counts.)
  const ends = months.map((m, i) => (i === months.length - 1 ? new Date(asOf.getTime() + 1) : nextMonthStart(m)));
  // ISO instants we made ourselves: safe to inline, and the same on both drivers (no array parameter).
  const endsArray = sql.raw(`array[${ends.map((e) => `'${e.toISOString()}'`).join(',')}]`);
  const zoneRows = await sql<{ i: number; zone: string; n: number }>`
    select e.i::int as i, d.zone, count(d.id)::int as n
    from (select u.k - 1 as i, u.v::timestamptz as t from unnest(${endsArray}::text[]) with ordinality as u(v, k)) e
    join domains d on d.created_at < e.t and (d.deleted_at is null or d.deleted_at >= e.t)
    group by 1, 2`.execute(db);
  const zones = [...new Set([...(await db.selectFrom('zones').select('name').where('active', '=', true).orderBy('name').execute()).map((z) => z.name),
    ...zoneRows.rows.map((r) => r.zone)])];
  const byZone = new Map(zones.map((z) => [z, new Array<number>(months.length).fill(0)]));
  for (const r of zoneRows.rows) byZone.get(r.zone)![r.i] = r.n;

  const perMonth = async (q: Promise<{ rows: { m: string; n: number }[] }>) => new Map((await q).rows.map((r) => [r.m, r.n]));
  const [creates, deletions, renewals] = await Promise.all([
    perMonth(sql<{ m: string; n: number }>`select to_char(created_at at time zone 'UTC', 'YYYY-MM') as m, count(*)::int as n
      from domains where created_at >= ${from} and created_at <= ${asOf} group by 1`.execute(db)),
    perMonth(sql<{ m: string; n: number }>`select to_char(deleted_at at time zone 'UTC', 'YYYY-MM') as m, count(*)::int as n
      from domains where deleted_at >= ${from} and deleted_at <= ${asOf} group by 1`.execute(db)),
    perMonth(sql<{ m: string; n: number }>`select to_char(at at time zone 'UTC', 'YYYY-MM') as m, count(*)::int as n
      from audit_log where object_type = 'domain' and operation = 'domain.renew' and at >= ${from} and at <= ${asOf} group by 1`.execute(db)),
  ]);

  const shares = await sql<{ registrar_id: string; name: string; n: number }>`
    select d.registrar_id, r.name, count(*)::int as n from domains d join registrars r on r.id = d.registrar_id
    where d.deleted_at is null group by 1, 2 order by 3 desc, 1`.execute(db);
  const totals = await sql<{ total: number; idn: number; dnssec: number }>`
    select count(*)::int as total,
      count(*) filter (where d.name like 'xn--%' or d.name like '%.xn--%')::int as idn,
      count(*) filter (where exists (select 1 from domain_ds ds where ds.domain_id = d.id))::int as dnssec
    from domains d where d.deleted_at is null`.execute(db);
  const t = totals.rows[0] ?? { total: 0, idn: 0, dnssec: 0 };

  return {
    asOf, months,
    domainsByZone: zones.map((zone) => ({ zone, counts: byZone.get(zone)! })),
    activity: months.map((month) => ({ month, creates: creates.get(month) ?? 0, renewals: renewals.get(month) ?? 0, deletions: deletions.get(month) ?? 0 })),
    registrars: shares.rows.map((r) => ({ registrarId: r.registrar_id, name: r.name, domains: r.n })),
    total: t.total, idn: t.idn, dnssec: t.dnssec,
  };
}
