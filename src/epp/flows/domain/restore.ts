// RGP restore (RFC 3915 §4.2.5), inside a domain:update. A name whose registration was not renewed is
// suspended at expiry and released 30 days later (R6.2); within those 30 days the sponsor restores it, which is
// the payment R6.2 asks for (src/core/lifecycle/restore.ts): the restore completes on the request, and the name
// stays pendingRestore for the 7 days in which a report may follow. A report is recorded.
// Errors: 2303 not registered; 2201 another registrar's domain; 2304 not in the redemption period (request) or
// not pendingRestore (report); 2104 not enough balance for the restore fee and a year's renewal.
import { recordRestoreReport, restoreDomain, type RestoreReport } from '../../../core/lifecycle/restore.ts';
import type { XNode } from '../../dom.ts';
import { EppError } from '../../errors.ts';
import type { FlowContext, FlowResult } from '../../flow.ts';
import { el, nsEl } from '../../responses.ts';

/** The report's free-form parts, kept as the registrar wrote them (text content). */
function reportOf(node: XNode): RestoreReport {
  const text = (n: XNode | undefined) => (n ? n.text : '');
  return {
    preData: text(node.child('rgp:preData')), postData: text(node.child('rgp:postData')),
    deleteTime: text(node.child('rgp:delTime')), restoreTime: text(node.child('rgp:resTime')),
    restoreReason: text(node.child('rgp:resReason')), statements: node.all('rgp:statement').map((s) => s.text),
    ...(node.child('rgp:other') ? { other: text(node.child('rgp:other')) } : {}),
  };
}

export async function restore(ctx: FlowContext, name: string, rgp: XNode): Promise<FlowResult> {
  const node = rgp.need('rgp:restore');
  const op = node.attrs.op;
  if (op === 'report') {
    const report = node.child('rgp:report');
    if (!report) throw new EppError(2003, 'a restore report needs the rgp:report element (RFC 3915 §4.2.5)');
    await recordRestoreReport(ctx.reg, ctx.actor, name, reportOf(report));
    // The report ends pendingRestore: the name is in no RGP state any more, and rgp:upData has no value for that.
    return {};
  }
  await restoreDomain(ctx.reg, ctx.actor, name);
  return { extension: nsEl('rgp', 'upData', null, el('rgp:rgpStatus', { s: 'pendingRestore' })) };
}
