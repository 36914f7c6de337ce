// Availability of names for EPP domain:check and the portals' look-up (R4.12).
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
  const live = await reg.db.selectFrom('domains').select(['name', 'bundle_key']).where('bundle_key', 'in', bundles)
    .where('deleted_at', 'is', null).execute();
  const queued = await reg.db.selectFrom('applications').select('name').where('name', 'in', names).where('status', '=', 'pending').execute();
  const liveNames = new Set(live.map((d) => d.name));
  const liveBundles = new Set(live.map((d) => d.bundle_key));
  const queuedNames = new Set(queued.map((a) => a.name));
  for (const c of checks) {
    if (!c.ascii) continue;
    out.set(c.ascii, liveNames.has(c.ascii) ? 'registered' : liveBundles.has(c.bundleKey!) ? 'variant' : queuedNames.has(c.ascii) ? 'application' : null);
  }
  return out;
}
