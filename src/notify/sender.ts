// The e-mail sender that `domen serve` runs when DOMEN_SMTP_URL is set: a delivery pass every few seconds
// (DOMEN_NOTIFY_INTERVAL), at once again while passes come back full. Safe beside other nodes' senders.
import type { Registry } from '../core/registry.ts';
import { deliverPending, type DeliveryReport } from './deliver.ts';
import { smtpTransport, type MailTransport } from './mail.ts';

export interface SenderOptions {
  smtpUrl?: string;
  transport?: MailTransport;
  intervalMs: number;
  maxAttempts?: number;
  from?: string;
  batch?: number;
  log?: (line: string) => void;
}

export interface Sender { close(): Promise<void>; passes(): number }

export function startNotifySender(reg: Registry, opts: SenderOptions): Sender {
  const transport = opts.transport ?? smtpTransport(opts.smtpUrl ?? '');
  const batch = opts.batch ?? 50;
  let stopped = false;
  let passes = 0;
  let wake: (() => void) | null = null;
  let lastError = '';

  const loop = (async () => {
    while (!stopped) {
      let full = false;
      try {
        const r: DeliveryReport = await deliverPending(reg, { transport, limit: batch, maxAttempts: opts.maxAttempts, from: opts.from });
        passes++;
        full = r.claimed === batch;
        if (r.errors.length && r.errors[0]!.error !== lastError) opts.log?.(`notify: ${r.errors.length} message(s) not sent: ${r.errors[0]!.error}`);
        lastError = r.errors[0]?.error ?? '';
        if (r.dead) opts.log?.(`notify: ${r.dead} message(s) moved to the dead-letter list (domen notify list --status dead)`);
      } catch (err) {
        if (stopped) break;
        opts.log?.(`notify: delivery pass failed: ${(err as Error).message}`);
      }
      if (full || stopped) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, opts.intervalMs);
        wake = () => { clearTimeout(t); resolve(); };
      });
      wake = null;
    }
  })();

  return {
    passes: () => passes,
    async close() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
      transport.close?.();
    },
  };
}
