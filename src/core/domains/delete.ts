// Domain delete (RFC 5731 §3.2.2): the registration is cancelled and the name released at once
// (owner's request, R7.3). Subordinate hosts must go first; a pending transfer or change of owner ends.
import { assertSponsor, type Actor } from '../actor.ts';
import { RegistryError } from '../errors.ts';
import { runOperation } from '../operation.ts';
import { cancelPendingOwnerChanges } from '../owner-change.ts';
import type { Registry } from '../registry.ts';
import { assertStatusAllows } from './statuses.ts';
import { asciiName, domainView, loadDomain } from './view.ts';

export async function deleteDomain(reg: Registry, actor: Actor, name: string): Promise<void> {
  const ascii = await asciiName(reg, name);
  await runOperation(reg, actor, 'domain.delete', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    assertSponsor(actor, row.registrar_id, `domain ${row.unicode_name}`);
    assertStatusAllows(actor, row.statuses, 'delete', `domain ${row.unicode_name}`);
    const before = await domainView(ctx.tx, row);
    if (before.subordinateHosts.length) {
      throw new RegistryError('associationProhibits', `domain ${row.unicode_name} has subordinate hosts (${before.subordinateHosts.join(', ')}); delete or rename them first`, 'RFC 5731 §3.2.2');
    }
    await ctx.tx.updateTable('domains').set({ deleted_at: ctx.now, updated_at: ctx.now, updated_by: ctx.actorId }).where('id', '=', row.id).execute();
    await ctx.tx.deleteFrom('domain_hosts').where('domain_id', '=', row.id).execute();
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after: null, topic: 'domain.deleted',
      payload: { zone: row.zone, registrarId: row.registrar_id } });
    await cancelPendingOwnerChanges(ctx, row.id, row.name);
  });
}
