// Payment within the 30 days after suspension at expiry (R6.2), through the RGP restore of RFC 3915 §4.2.5.
// The name is restored on the request (R6.2 asks only for payment): it resolves again at once, the sponsor pays
// the restore fee and one year's renewal, and the registration runs a year from its old expiry. RFC 3915's
// pendingRestore then marks the 7 days in which the sponsor may file the restore report; the report is recorded,
// and without one the mark simply lapses (the registry does not require it, so nothing is undone).
import { sql } from 'kysely';
import { assertSponsor, type Actor } from '../actor.ts';
import { addDays, addYears } from '../clock.ts';
import { RegistryError } from '../errors.ts';
import { runOperation, type OperationContext } from '../operation.ts';
import type { DomainRow } from '../../db/schema.ts';
import type { Registry } from '../registry.ts';
import { asciiName, domainView, loadDomain, type DomainView } from '../domains/view.ts';
import { chargeFor } from './charges.ts';
import { actOnEach, claimDomain } from './claims.ts';
import { liftSuspensionOn } from './suspensions.ts';

export interface RestoreReport {
  preData: string; postData: string; deleteTime: string; restoreTime: string; restoreReason: string; statements: string[]; other?: string;
}

const REPORT_WINDOW_DAYS = 7; // RFC 3915 §3.1: the report is due within 7 days of the request

export async function restoreDomain(reg: Registry, actor: Actor, name: string): Promise<DomainView> {
  const ascii = await asciiName(reg, name);
  return runOperation(reg, actor, 'domain.restore', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    assertSponsor(actor, row.registrar_id, `domain ${row.unicode_name}`);
    if (!row.statuses.includes('redemptionPeriod')) {
      throw new RegistryError('statusProhibits', `domain ${row.unicode_name} is not in the redemption period; a restore applies only in the ${reg.profile.lifecycle.redemptionDays} days after suspension at expiry (R6.2)`, 'RFC 3915 §4.2.5');
    }
    await chargeFor(ctx, row, 'restore', 1);
    await chargeFor(ctx, row, 'renew', 1);
    const lifted = await liftSuspensionOn(ctx, row, 'expiry', 'paid: the registration was restored (R6.2, RFC 3915)');
    if (!lifted) throw new RegistryError('failed', `domain ${row.unicode_name} is in the redemption period without a suspension at expiry`, 'R6.2');
    const before = await domainView(ctx.tx, lifted);
    const renewed = await ctx.tx.updateTable('domains').set({
      expires_at: addYears(row.expires_at, 1), statuses: [...new Set([...lifted.statuses, 'pendingRestore'])].sort(),
      updated_at: ctx.now, updated_by: ctx.actorId,
    })
      .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const after = await domainView(ctx.tx, renewed);
    await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic: 'domain.renewed',
      payload: { periodYears: 1, registrarId: row.registrar_id, zone: row.zone, restore: true } });
    return after;
  });
}

/** The pendingRestore mark ends (by a report, or lapsed): one history version. */
async function endPendingRestore(ctx: OperationContext, row: DomainRow, topic: string, payload: Record<string, unknown>): Promise<DomainView> {
  const before = await domainView(ctx.tx, row);
  const updated = await ctx.tx.updateTable('domains').set({ statuses: row.statuses.filter((s) => s !== 'pendingRestore'), updated_at: ctx.now, updated_by: ctx.actorId })
    .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  const after = await domainView(ctx.tx, updated);
  await ctx.record({ objectType: 'domain', objectId: row.name, before, after, topic, payload });
  return after;
}

/** RFC 3915 §4.2.5 op="report": recorded while the domain is pendingRestore (7 days after the request). */
export async function recordRestoreReport(reg: Registry, actor: Actor, name: string, report: RestoreReport): Promise<DomainView> {
  const ascii = await asciiName(reg, name);
  return runOperation(reg, actor, 'domain.restoreReport', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    assertSponsor(actor, row.registrar_id, `domain ${row.unicode_name}`);
    if (!row.statuses.includes('pendingRestore')) {
      throw new RegistryError('statusProhibits', `domain ${row.unicode_name} is not pendingRestore: a restore report follows a restore request within ${REPORT_WINDOW_DAYS} days`, 'RFC 3915 §4.2.5');
    }
    return endPendingRestore(ctx, row, 'domain.restoreReported', { registrarId: row.registrar_id, report });
  });
}

/** Timer: the pendingRestore mark lapses 7 days after the request when no report came (RFC 3915 §3.1). */
export async function lapseRestoreReports(reg: Registry, actor: Actor, limit = 1000): Promise<number> {
  const threshold = addDays(reg.clock.now(), -REPORT_WINDOW_DAYS);
  const due = await reg.db.selectFrom('domains').select('id').where('deleted_at', 'is', null)
    .where(sql<boolean>`'pendingRestore' = any(statuses)`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('domain_suspensions').select('id').whereRef('domain_id', '=', 'domains.id')
      .where('ground', '=', 'expiry').where('lift_reason', 'like', 'paid:%').where('lifted_at', '>', threshold))))
    .limit(limit).execute();
  return actOnEach(reg, actor, 'domain.restoreReportLapsed', due, async (ctx, d) => {
    const row = await claimDomain(ctx, d.id);
    if (!row || !row.statuses.includes('pendingRestore')) return false;
    const restoredAt = await ctx.tx.selectFrom('domain_suspensions').select('lifted_at').where('domain_id', '=', row.id)
      .where('ground', '=', 'expiry').where('lift_reason', 'like', 'paid:%').orderBy('lifted_at', 'desc').executeTakeFirst();
    if (restoredAt?.lifted_at && restoredAt.lifted_at > addDays(ctx.now, -REPORT_WINDOW_DAYS)) return false;
    await endPendingRestore(ctx, row, 'domain.updated', { registrarId: row.registrar_id, zone: row.zone, reason: 'no restore report within 7 days (RFC 3915 §3.1)' });
    return true;
  });
}
