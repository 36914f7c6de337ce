// Domain renew (RFC 5731 §3.2.3): curExpDate must match; the period is priced per year and the
// registration never runs more than 10 years ahead (R3.16). Grandfathered names renew too (R4.13).
import { assertSponsor, type Actor } from '../actor.ts';
import { addYears } from '../clock.ts';
import { RegistryError } from '../errors.ts';
import { runOperation } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { chargeOperation } from '../../billing/ledger.ts';
import { validatePeriod } from './checks.ts';
import { assertStatusAllows } from './statuses.ts';
import { asciiName, domainView, loadDomain, type DomainView } from './view.ts';

export interface DomainRenewInput { name: string; currentExpiryDate: string; periodYears?: number }

export async function renewDomain(reg: Registry, actor: Actor, input: DomainRenewInput): Promise<DomainView> {
  const years = validatePeriod(reg, input.periodYears ?? 1);
  const ascii = await asciiName(reg, input.name);
  return runOperation(reg, actor, 'domain.renew', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    assertSponsor(actor, row.registrar_id, `domain ${row.unicode_name}`);
    if (row.statuses.includes('redemptionPeriod')) {
      throw new RegistryError('notEligibleForRenewal', `domain ${row.unicode_name} was suspended at expiry and is in the redemption period: it comes back by a restore (RFC 3915), not a renewal (R6.2)`, 'R6.2');
    }
    assertStatusAllows(actor, row.statuses, 'renew', `domain ${row.unicode_name}`);
    const current = row.expires_at.toISOString().slice(0, 10);
    if (input.currentExpiryDate !== current) {
      throw new RegistryError('policy', `curExpDate ${input.currentExpiryDate} does not match the expiry date ${current}`, 'RFC 5731 §3.2.3');
    }
    const expiresAt = addYears(row.expires_at, years);
    const limit = addYears(ctx.now, reg.profile.periodYears.max);
    if (expiresAt > limit) {
      throw new RegistryError('policy', `a renewal may not take the registration beyond ${reg.profile.periodYears.max} years from today (to ${limit.toISOString().slice(0, 10)})`, 'R3.16');
    }
    const before = await domainView(ctx.tx, row);
    const updated = await ctx.tx.updateTable('domains').set({ expires_at: expiresAt, updated_at: ctx.now, updated_by: ctx.actorId })
      .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const after = await domainView(ctx.tx, updated);
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.renewed',
      payload: { periodYears: years, registrarId: row.registrar_id, zone: row.zone } });
    // A4.3: maintenance fees per year (R3.16), charged to the sponsor; 2104 without the balance.
    await chargeOperation(ctx, { registrarId: row.registrar_id, zone: row.zone, operation: 'renew', years, objectType: 'domain', objectId: row.roid, domainName: row.name, domainRoid: row.roid });
    return after;
  });
}
