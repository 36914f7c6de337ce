// RGP restore (RFC 3915 §4.2.5), inside a domain:update. A name whose registration was not renewed is
// suspended at expiry and released 30 days later (R6.2); within those 30 days the sponsor restores it.
// The core has no R6.2 lifecycle yet: a live domain is never in redemptionPeriod, and a deleted one is
// released at once (R7.3), so today a restore answers 2304 (or 2303 when the name is not registered).
// Errors: 2303 not registered; 2201 another registrar's domain; 2304 not in the redemption period.
import { getDomain } from '../../../core/domains/view.ts';
import type { XNode } from '../../dom.ts';
import { EppError } from '../../errors.ts';
import type { FlowContext, FlowResult } from '../../flow.ts';

export async function restore(ctx: FlowContext, name: string, rgp: XNode): Promise<FlowResult> {
  const op = rgp.need('rgp:restore').attrs.op;
  const d = await getDomain(ctx.reg, name);
  if (d.registrarId !== ctx.registrarId) throw new EppError(2201, `domain ${d.name} is sponsored by another registrar`);
  if (!d.statuses.includes('redemptionPeriod')) {
    throw new EppError(2304, `domain ${d.name} is not in the redemption period; a restore ${op} applies only in the 30 days after suspension (R6.2)`);
  }
  throw new EppError(2102, 'restore is not available yet');
}
