// Refunds of registrant orders (R3.10, R5.2): a paid order refused before filing, or whose application was
// refused, is paid back through the provider it was paid with. Run after a callback that ends in a refusal and on
// a timer (which also catches refusals decided later by the National Administrator, and orders that the worker's
// order-resumption timer found refused). The provider's refund is idempotent per payment, so a refund made but not yet recorded (the
// process stopped in between) is asked for again and recorded once.
import { recordRefund, refundsDue } from '../../core/accounts-orders.ts';
import type { Registry } from '../../core/registry.ts';
import type { PaymentProvider } from './payments.ts';

export interface RefundRun { refunded: number; failed: number }

export async function payRefunds(reg: Registry, provider: PaymentProvider, log: (line: string) => void = () => {}): Promise<RefundRun> {
  const run: RefundRun = { refunded: 0, failed: 0 };
  for (const due of await refundsDue(reg)) {
    try {
      if (!due.providerRef) throw new Error('the payment has no provider reference');
      const { refundRef } = await provider.refund({ reference: due.paymentId, providerRef: due.providerRef, amount: due.amount, currency: due.currency, reason: due.reason });
      if (await recordRefund(reg, due, refundRef)) run.refunded++;
    } catch (e) {
      // Left as due: the next run asks again.
      run.failed++;
      log(`refund of payment ${due.paymentId} (order ${due.orderId}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return run;
}

/** One run at a time, every `intervalMs`, and on demand (`kick`). */
export function startRefunds(reg: Registry, provider: PaymentProvider, intervalMs = 60_000, log?: (line: string) => void): { kick(): Promise<void>; stop(): void } {
  let running: Promise<void> | null = null;
  const kick = (): Promise<void> => {
    running ??= payRefunds(reg, provider, log).then(() => undefined, (e: unknown) => log?.(`refunds: ${String(e)}`)).finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => { void kick(); }, intervalMs);
  timer.unref();
  return { kick, stop: () => clearInterval(timer) };
}
