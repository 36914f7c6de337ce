// Domain update (RFC 5731 §3.2.5): add/remove name servers, contacts, statuses and DS data, change authInfo.
// The registrant changes only through the change-of-owner procedure (R10.1).
import { assertSponsor, isRegistryOperator, type Actor } from '../actor.ts';
import { RegistryError } from '../errors.ts';
import { runOperation, type OperationContext } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { validateAuthInfo } from '../validate.ts';
import { resolveContactLinks, resolveHosts, validateDs, validateHostCount } from './checks.ts';
import { assertSettable, assertStatusAllows } from './statuses.ts';
import { asciiName, domainView, loadDomain, type ContactType, type DomainView, type DsData } from './view.ts';

export interface DomainChangeSet {
  hosts?: string[];
  contacts?: { type: ContactType; handle: string }[];
  statuses?: string[];
  ds?: DsData[];
}

export interface DomainUpdateInput {
  name: string;
  add?: DomainChangeSet;
  remove?: DomainChangeSet & { allDs?: boolean };
  change?: { registrant?: string; authInfo?: string };
  /** Why the registry changed the domain (operators: kept in the sponsor's poll message, RFC 8590). */
  reason?: string;
}

/** A DS record's identity (RFC 5910 §5.2.5: the same key tag, algorithm, digest type and digest, in any case). */
export const dsKey = (d: DsData) => `${d.keyTag}/${d.algorithm}/${d.digestType}/${d.digest.toUpperCase()}`;

/** What changed between two views, for people: 'added serverHold; removed ns1.example.net'. */
function describeChange(before: DomainView, after: DomainView): string {
  const diff = (label: string, a: string[], b: string[]) => {
    const added = b.filter((x) => !a.includes(x));
    const removed = a.filter((x) => !b.includes(x));
    return [added.length ? `added ${label} ${added.join(', ')}` : '', removed.length ? `removed ${label} ${removed.join(', ')}` : ''];
  };
  const parts = [
    ...diff('status', before.statuses, after.statuses),
    ...diff('name server', before.hosts, after.hosts),
    ...diff('contact', before.contacts.map((c) => `${c.type} ${c.handle}`), after.contacts.map((c) => `${c.type} ${c.handle}`)),
    ...diff('DS', before.ds.map(dsKey), after.ds.map(dsKey)),
    before.registrant !== after.registrant ? `registrant ${before.registrant} -> ${after.registrant}` : '',
    before.authInfo !== after.authInfo ? 'authInfo changed' : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'no visible change';
}

/**
 * A poll message for the sponsor when the registry (not the registrar) changed its domain: the change data
 * of RFC 8590 (operation, date, who, reason) and the domain after the change.
 */
export async function notifySponsorOfChange(ctx: OperationContext, registrarId: string, operation: 'update' | 'delete' | 'transfer' | 'renew' | 'restore' | 'autoPurge',
  before: DomainView, after: DomainView, reason?: string): Promise<void> {
  const message = `The registry changed ${after.unicodeName} (${operation}): ${describeChange(before, after)}${reason ? `; reason: ${reason}` : ''}`;
  await ctx.poll(registrarId, 'domain.change', message, {
    name: after.name, operation, date: ctx.now.toISOString(), who: ctx.actorId, reason: reason ?? null, domain: after,
  });
}

export async function updateDomain(reg: Registry, actor: Actor, input: DomainUpdateInput): Promise<DomainView> {
  const add = input.add ?? {};
  const rem = input.remove ?? {};
  for (const s of [...(add.statuses ?? []), ...(rem.statuses ?? [])]) assertSettable(actor, s);
  if (input.change?.authInfo !== undefined) validateAuthInfo(input.change.authInfo);
  if (input.change?.registrant !== undefined && !isRegistryOperator(actor)) {
    throw new RegistryError('policy', 'the registrant changes only by the change-of-owner procedure, with a new Registration Agreement accepted by the new owner', 'R10.1');
  }
  const addDs = validateDs(add.ds ?? []);
  const ascii = await asciiName(reg, input.name);

  return runOperation(reg, actor, 'domain.update', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    assertSponsor(actor, row.registrar_id, `domain ${row.unicode_name}`);
    assertStatusAllows(actor, row.statuses, 'update', `domain ${row.unicode_name}`, { removing: rem.statuses });
    const before = await domainView(ctx.tx, row);

    // Statuses (RFC 5731 §3.2.5: adding one already present, or removing one absent, is an error).
    const statuses = new Set(row.statuses);
    for (const s of rem.statuses ?? []) {
      if (!statuses.delete(s)) throw new RegistryError('policy', `status ${s} is not set on ${row.unicode_name}`, 'RFC 5731 §3.2.5');
    }
    // serverHold set by a suspension (R7.4) ends only when its ground is lifted (R7.6), not by a status change.
    if (rem.statuses?.includes('serverHold')) {
      const active = await ctx.tx.selectFrom('domain_suspensions').select('ground').where('domain_id', '=', row.id).where('lifted_at', 'is', null).execute();
      if (active.length) {
        throw new RegistryError('statusProhibits', `${row.unicode_name} is suspended (${active.map((a) => a.ground).join(', ')}): lift the suspension instead (domain unsuspend)`, 'R7.6');
      }
    }
    for (const s of add.statuses ?? []) {
      if (statuses.has(s)) throw new RegistryError('policy', `status ${s} is already set on ${row.unicode_name}`, 'RFC 5731 §3.2.5');
      statuses.add(s);
    }

    // Name servers.
    const current = new Set(before.hosts);
    for (const h of rem.hosts ?? []) {
      if (!current.delete(h.toLowerCase().replace(/\.$/, ''))) throw new RegistryError('policy', `${h} is not a name server of ${row.unicode_name}`, 'RFC 5731 §3.2.5');
    }
    const addHostIds = await resolveHosts(ctx, add.hosts ?? []);
    for (const h of add.hosts ?? []) {
      const n = h.toLowerCase().replace(/\.$/, '');
      if (current.has(n)) throw new RegistryError('policy', `${n} is already a name server of ${row.unicode_name}`, 'RFC 5731 §3.2.5');
      current.add(n);
    }
    validateHostCount([...current]);
    const remHostIds = await resolveHosts(ctx, rem.hosts ?? []);
    if (remHostIds.length) await ctx.tx.deleteFrom('domain_hosts').where('domain_id', '=', row.id).where('host_id', 'in', remHostIds).execute();
    if (addHostIds.length) await ctx.tx.insertInto('domain_hosts').values(addHostIds.map((h) => ({ domain_id: row.id, host_id: h }))).execute();

    // Contacts.
    const have = new Set(before.contacts.map((c) => `${c.type}/${c.handle}`));
    for (const c of rem.contacts ?? []) {
      if (!have.has(`${c.type}/${c.handle}`)) throw new RegistryError('policy', `${c.handle} is not the ${c.type} contact of ${row.unicode_name}`, 'RFC 5731 §3.2.5');
    }
    for (const c of add.contacts ?? []) {
      if (have.has(`${c.type}/${c.handle}`)) throw new RegistryError('policy', `${c.handle} is already the ${c.type} contact of ${row.unicode_name}`, 'RFC 5731 §3.2.5');
    }
    const newRegistrant = input.change?.registrant;
    const resolvedAdd = await resolveContactLinks(ctx, row.registrar_id, newRegistrant ? [newRegistrant] : [], add.contacts ?? []);
    for (const c of rem.contacts ?? []) {
      const id = await ctx.tx.selectFrom('contacts').select('id').where('handle', '=', c.handle).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
      await ctx.tx.deleteFrom('domain_contacts').where('domain_id', '=', row.id).where('type', '=', c.type).where('contact_id', '=', id.id).execute();
    }
    if (resolvedAdd.contacts.length) {
      await ctx.tx.insertInto('domain_contacts').values(resolvedAdd.contacts.map((c) => ({ domain_id: row.id, contact_id: c.contactId, type: c.type }))).execute();
    }

    // DS data (RFC 5910 §5.2.5).
    const dsNow = new Map(before.ds.map((d) => [dsKey(d), d]));
    if (rem.allDs) dsNow.clear();
    for (const d of rem.ds ?? []) {
      if (!dsNow.delete(dsKey(d))) throw new RegistryError('policy', `DS ${d.keyTag} is not set on ${row.unicode_name}`, 'RFC 5910 §5.2.5');
    }
    for (const d of addDs) {
      if (dsNow.has(dsKey(d))) throw new RegistryError('policy', `DS ${d.keyTag} is already set on ${row.unicode_name}`, 'RFC 5910 §5.2.5');
      dsNow.set(dsKey(d), d);
    }
    validateDs([...dsNow.values()]);
    await ctx.tx.deleteFrom('domain_ds').where('domain_id', '=', row.id).execute();
    if (dsNow.size) {
      await ctx.tx.insertInto('domain_ds').values([...dsNow.values()].map((d) => ({
        domain_id: row.id, key_tag: d.keyTag, algorithm: d.algorithm, digest_type: d.digestType, digest: d.digest.toUpperCase(),
      }))).execute();
    }

    const updated = await ctx.tx.updateTable('domains').set({
      statuses: [...statuses].sort(), auth_info: input.change?.authInfo ?? row.auth_info,
      registrant_id: newRegistrant ? resolvedAdd.ids.get(newRegistrant)! : row.registrant_id, updated_at: ctx.now, updated_by: ctx.actorId,
    }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const after = await domainView(ctx.tx, updated);
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.updated', payload: { zone: row.zone } });
    // RFC 8590: the sponsor learns of a change the registry made to its domain (suspension, NA decisions).
    if (isRegistryOperator(actor)) await notifySponsorOfChange(ctx, row.registrar_id, 'update', before, after, input.reason);
    return after;
  });
}
