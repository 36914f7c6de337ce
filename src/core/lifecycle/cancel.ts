// Early cancellation of a registration by the National Administrator (R7.3): on one of the grounds of R7.3.1-
// R7.3.5, the name is released at once (the R6.2 cancellation is the worker's). The owner is told (R7.5) and,
// except when the owner asked for it (A5.1.1), the unused whole months are refunded to the sponsor (A5.2).
import { assertOperator, type Actor } from '../actor.ts';
import { RegistryError } from '../errors.ts';
import { runOperation } from '../operation.ts';
import type { Registry } from '../registry.ts';
import { refund, type RefundResult } from '../../billing/refunds.ts';
import { asciiName, loadDomain } from '../domains/view.ts';
import { releaseDomain } from './expiry.ts';

export const CANCEL_GROUNDS = {
  'R7.3.1': "the owner's request",
  'R7.3.2': 'a court ruling in force',
  'R7.3.3': 'the liquidation of the owning legal entity',
  'R7.3.4': 'a breach of the Registration Agreement',
  'R7.3.5': 'the name is on the Stop-list',
} as const;
export type CancelGround = keyof typeof CANCEL_GROUNDS;

export interface CancelResult { name: string; ground: CancelGround; refunds: RefundResult[] }

export async function cancelDomain(reg: Registry, actor: Actor, name: string, ground: string, note: string): Promise<CancelResult> {
  assertOperator(actor, 'cancel a registration', 'R7.3');
  if (!Object.hasOwn(CANCEL_GROUNDS, ground)) {
    throw new RegistryError('policy', `a cancellation needs a ground of R7.3: ${Object.entries(CANCEL_GROUNDS).map(([k, v]) => `${k} (${v})`).join(', ')}`, 'R7.3');
  }
  if (!note.trim()) throw new RegistryError('required', 'name the decision or document behind the cancellation', 'R7.3');
  const g = ground as CancelGround;
  const ascii = await asciiName(reg, name);
  return runOperation(reg, actor, 'domain.cancel', async (ctx) => {
    const row = await loadDomain(ctx.tx, ascii, { lock: true });
    await releaseDomain(ctx, row, `${CANCEL_GROUNDS[g]} (${g}): ${note.trim()}`, g);
    const refunds = g === 'R7.3.1' ? [] : await refund(ctx, { kind: 'unusedMonths', domainRoid: row.roid, ground: g });
    return { name: row.name, ground: g, refunds };
  });
}
