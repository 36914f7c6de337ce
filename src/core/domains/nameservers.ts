// Setting a domain's name servers to exactly a list, as one operation: the external hosts not yet known are created
// as host objects of the domain's sponsor (RFC 5732 §3.2.1: they carry no addresses) and the delegation changes in
// the same transaction, so a refusal (a status, a count outside 2..13, an in-zone host that does not exist) leaves
// neither a half-changed delegation nor stray hosts behind. EPP keeps host:create and domain:update separate; the
// portals and the JSON API, whose users have no separate host step, use this.
import { assertSponsor, isRegistryOperator, type Actor } from '../actor.ts';
import { RegistryError } from '../errors.ts';
import { runOperation } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { isInZone, hostView } from '../hosts.ts';
import { normalizeHostName } from '../validate.ts';
import { assertActiveRegistrar, validateHostCount } from './checks.ts';
import { assertStatusAllows } from './statuses.ts';
import { notifySponsorOfChange } from './update.ts';
import { asciiName, domainView, loadDomain, type DomainView } from './view.ts';

export interface NameServersResult { domain: DomainView; createdHosts: string[]; changed: boolean }

export async function setDomainNameServers(reg: Registry, actor: Actor, input: { name: string; hosts: string[]; reason?: string }): Promise<NameServersResult> {
  const wanted = [...new Set(input.hosts.map((h) => h.trim()).filter(Boolean).map(normalizeHostName))];
  validateHostCount(wanted);
  const ascii = await asciiName(reg, input.name);
  return runOperation(reg, actor, 'domain.nameservers', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    assertSponsor(actor, row.registrar_id, `domain ${row.unicode_name}`);
    assertStatusAllows(actor, row.statuses, 'update', `domain ${row.unicode_name}`);
    const before = await domainView(ctx.tx, row);
    const existing = wanted.length
      ? await ctx.tx.selectFrom('hosts').select(['id', 'name']).where('name', 'in', wanted).where('deleted_at', 'is', null).execute() : [];
    const ids = new Map(existing.map((h) => [h.name, h.id]));
    const createdHosts: string[] = [];
    for (const name of wanted) {
      if (ids.has(name)) continue;
      // An in-zone name server needs its glue, so it is created (with addresses) before it is used.
      if (isInZone(reg, name)) throw new RegistryError('notFound', `host ${name} does not exist; create it with its addresses first`, 'RFC 5732 §3.2.1');
      if (createdHosts.length === 0) await assertActiveRegistrar(ctx, row.registrar_id);
      const roid = await ctx.nextRoid('H');
      const h = await ctx.tx.insertInto('hosts').values({
        roid, name, registrar_id: row.registrar_id, superordinate_domain_id: null, addresses: [], statuses: [], created_at: ctx.now, created_by: ctx.actorId,
      }).returningAll().executeTakeFirstOrThrow();
      ids.set(name, h.id);
      createdHosts.push(name);
      await ctx.record({ objectType: 'host', objectId: roid, before: null, after: await hostView(ctx.tx, h), topic: 'host.created', payload: { name } });
    }
    const add = wanted.filter((h) => !before.hosts.includes(h));
    const remove = before.hosts.filter((h) => !wanted.includes(h));
    if (!add.length && !remove.length) return { domain: before, createdHosts, changed: false };
    const removeIds = remove.length
      ? (await ctx.tx.selectFrom('hosts').select('id').where('name', 'in', remove).where('deleted_at', 'is', null).execute()).map((h) => h.id) : [];
    if (removeIds.length) await ctx.tx.deleteFrom('domain_hosts').where('domain_id', '=', row.id).where('host_id', 'in', removeIds).execute();
    if (add.length) await ctx.tx.insertInto('domain_hosts').values(add.map((h) => ({ domain_id: row.id, host_id: ids.get(h)! }))).execute();
    const updated = await ctx.tx.updateTable('domains').set({ updated_at: ctx.now, updated_by: ctx.actorId })
      .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const after = await domainView(ctx.tx, updated);
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.updated', payload: { zone: row.zone } });
    // RFC 8590, as for any update the registry makes to a registrar's domain.
    if (isRegistryOperator(actor)) await notifySponsorOfChange(ctx, row.registrar_id, 'update', before, after, input.reason);
    return { domain: after, createdHosts, changed: true };
  });
}
