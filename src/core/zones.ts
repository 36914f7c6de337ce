// The zones names are registered in (R2.2, R4.11): the TLD and its general-use second-level zones, which the
// National Administrator may add to; a zone may be restricted (R3.2: gov.az, mil.az review every application)
// or withdrawn from new registrations (inactive; names already in it stay). Each edit bumps the policy version so
// every node's name checks follow at once.
import { assertOperator, type Actor } from './actor.ts';
import { RegistryError } from './errors.ts';
import { runOperation } from './operation.ts';
import { PolicyService } from './policy-service.ts';
import type { Registry } from './registry.ts';

export interface ZoneView { name: string; parent: string | null; restricted: boolean; active: boolean; domains: number }

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export async function listZones(reg: Registry): Promise<ZoneView[]> {
  const rows = await reg.db.selectFrom('zones').leftJoin('domains', (j) => j.onRef('domains.zone', '=', 'zones.name').on('domains.deleted_at', 'is', null))
    .select(['zones.name', 'zones.parent', 'zones.restricted', 'zones.active', (eb) => eb.fn.count<string>('domains.id').as('n')])
    .groupBy(['zones.name', 'zones.parent', 'zones.restricted', 'zones.active']).orderBy('zones.name').execute();
  return rows.map((r) => ({ name: r.name, parent: r.parent, restricted: r.restricted, active: r.active, domains: Number(r.n) }));
}

/** Adds a second-level zone under the TLD (R4.11), e.g. 'sport' -> sport.az. */
export async function addZone(reg: Registry, actor: Actor, label: string, restricted: boolean): Promise<ZoneView> {
  assertOperator(actor, 'add a zone', 'R4.11');
  const tld = reg.profile.tld;
  const l = label.trim().toLowerCase().replace(new RegExp(`\\.${tld.replace('.', '\\.')}$`), '');
  if (!LABEL.test(l)) throw new RegistryError('syntax', `a zone is one label under .${tld} (letters, digits, hyphens; 1 to 63)`, 'R4.11');
  const name = `${l}.${tld}`;
  const z = await runOperation(reg, actor, 'zone.add', async (ctx) => {
    const exists = await ctx.tx.selectFrom('zones').select('name').where('name', '=', name).executeTakeFirst();
    if (exists) throw new RegistryError('exists', `the zone ${name} already exists`, 'R4.11');
    // A second-level zone must not swallow a name someone holds: l.tld registered as a domain.
    const held = await ctx.tx.selectFrom('domains').select('name').where('name', '=', name).where('deleted_at', 'is', null).executeTakeFirst();
    if (held) throw new RegistryError('exists', `${name} is a registered domain; it cannot become a zone`, 'R4.12');
    await ctx.tx.insertInto('zones').values({ name, parent: tld, profile: tld, restricted }).execute();
    await PolicyService.bump(ctx.tx);
    const v: ZoneView = { name, parent: tld, restricted, active: true, domains: 0 };
    await ctx.record({ objectType: 'zone', objectId: name, before: null, after: v, topic: 'zone.added' });
    return v;
  });
  PolicyService.invalidate();
  return z;
}

/** Restricts or opens a zone (R3.2), or takes it out of (or back into) use for new registrations. */
export async function setZone(reg: Registry, actor: Actor, name: string, change: { restricted?: boolean; active?: boolean }): Promise<ZoneView> {
  assertOperator(actor, 'change a zone', 'R4.11');
  const z = await runOperation(reg, actor, 'zone.set', async (ctx) => {
    const row = await ctx.tx.selectFrom('zones').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
    if (!row) throw new RegistryError('notFound', `no zone ${name}`, 'R4.11');
    if (row.parent === null && change.active === false) throw new RegistryError('policy', `the TLD .${name} cannot be withdrawn`, 'R2.2');
    const next = { restricted: change.restricted ?? row.restricted, active: change.active ?? row.active };
    await ctx.tx.updateTable('zones').set(next).where('name', '=', name).execute();
    await PolicyService.bump(ctx.tx);
    await ctx.record({ objectType: 'zone', objectId: name, before: { restricted: row.restricted, active: row.active }, after: next, topic: 'zone.changed' });
    return { name, parent: row.parent, ...next, domains: 0 };
  });
  PolicyService.invalidate();
  return z;
}
