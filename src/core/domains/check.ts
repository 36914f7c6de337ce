// Availability of names for EPP domain:check and the portals' look-up (R4.12).
import { sql } from 'kysely';
import type { NameCheck } from '../../policy/types.ts';
import type { Registry } from '../registry.ts';

export type Unavailable = 'registered' | 'variant' | 'application';

/**
 * For names that pass the policy,
 * whether they are taken (R4.12): registered, an IDN variant of a registered name, or under review.
 */
export async function domainAvailability(reg: Registry, checks: NameCheck[]): Promise<Map<string, Unavailable | null>> {
  const names = checks.map((c) => c.ascii!).filter(Boolean);
  const bundles = [...new Set(checks.map((c) => c.bundleKey!).filter(Boolean))];
  const out = new Map<string, Unavailable | null>(names.map((n) => [n, null]));
  if (names.length === 0) return out;
  // One round trip: the live domains of the names' bundles and the pending applications for the names.
  const rows = await sql<{ kind: 'live' | 'app'; name: string; bundle_key: string | null }>`
    select 'live' as kind, name, bundle_key from domains where bundle_key = any(${bundles}::text[]) and deleted_at is null
    union all
    select 'app' as kind, name, null from applications where name = any(${names}::text[]) and status = 'pending'`.execute(reg.db);
  const liveNames = new Set<string>();
  const liveBundles = new Set<string | null>();
  const queuedNames = new Set<string>();
  for (const r of rows.rows) {
    if (r.kind === 'live') { liveNames.add(r.name); liveBundles.add(r.bundle_key); } else queuedNames.add(r.name);
  }
  for (const c of checks) {
    if (!c.ascii) continue;
    out.set(c.ascii, liveNames.has(c.ascii) ? 'registered' : liveBundles.has(c.bundleKey!) ? 'variant' : queuedNames.has(c.ascii) ? 'application' : null);
  }
  return out;
}
