// Sends the queued e-mail. Several processes or nodes may run deliverPending at once: each claims due rows with
// FOR UPDATE SKIP LOCKED and pushes their next attempt past a lease before sending, so every message is sent
// by one of them. A failure is retried with exponential backoff; after maxAttempts the row is dead (the
// dead-letter list for operators: `domen notify list --status dead`, `domen notify retry`).
import type { Registry } from '../core/registry.ts';
import { mailConfigFromEnv, mailMessage, smtpTransport, type MailTransport } from './mail.ts';
import { render, type StoredParams } from './render.ts';
import { isLang, isTemplateKey } from './templates/keys.ts';

/** How long a claimed row stays away from other senders; a sender that died mid-pass is retried after it. */
export const LEASE_MS = 10 * 60_000;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_CAP_MS = 6 * 3600_000;

/** The wait after the n-th failed attempt: 1 min, 2, 4, 8 ... capped at 6 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

export interface DeliverOptions {
  /** The time of this pass (default: the registry's clock). */
  now?: Date;
  /** At most this many messages per pass (default 50). */
  limit?: number;
  /** Default: SMTP to DOMEN_SMTP_URL. */
  transport?: MailTransport;
  /** Default: DOMEN_NOTIFY_MAX_ATTEMPTS or 10. */
  maxAttempts?: number;
  /** Default: DOMEN_MAIL_FROM or noreply@nic.az. */
  from?: string;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** Failed this time, to be tried again after the backoff. */
  retrying: number;
  /** Moved to the dead-letter list this time. */
  dead: number;
  errors: { id: number; error: string }[];
}

/** SMTP replies 5xx are permanent (RFC 5321 §4.2.1): no retry helps until someone fixes the address. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** No SMTP conversation at all (refused, timed out, TLS): the rest of the pass would fail the same way. */
function isConnectionFailure(err: unknown): boolean {
  const e = err as { code?: unknown; responseCode?: unknown } | null;
  return typeof e?.responseCode !== 'number' && ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EGREETING'].includes(String(e?.code));
}

function describe(err: unknown): string {
  const e = err as { message?: unknown; response?: unknown } | null;
  return String(e?.response ?? e?.message ?? err).slice(0, 500);
}

/** One delivery pass: claims due e-mail rows, sends them, marks each sent, retrying or dead. */
export async function deliverPending(reg: Registry, opts: DeliverOptions = {}): Promise<DeliveryReport> {
  const config = mailConfigFromEnv();
  const now = opts.now ?? reg.clock.now();
  const limit = opts.limit ?? 50;
  const maxAttempts = opts.maxAttempts ?? config.maxAttempts;
  const from = opts.from ?? config.from;
  let transport = opts.transport;
  let own = false;
  if (!transport) {
    if (!config.smtpUrl) throw new Error('DOMEN_SMTP_URL is not set: e-mail stays queued until an SMTP server is configured (e.g. smtp://127.0.0.1:25)');
    transport = smtpTransport(config.smtpUrl);
    own = true;
  }

  // Claim: the lease keeps these rows from every other sender until this pass settles them.
  const claimed = await reg.db.updateTable('notifications')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: new Date(now.getTime() + LEASE_MS) }))
    .where('id', 'in', (eb) => eb.selectFrom('notifications').select('id')
      .where('status', '=', 'pending').where('channel', '=', 'email').where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at').orderBy('id').limit(limit).forUpdate().skipLocked())
    .returning(['id', 'template', 'lang', 'params', 'recipient', 'attempts'])
    .execute();
  claimed.sort((a, b) => a.id - b.id);

  const report: DeliveryReport = { claimed: claimed.length, sent: 0, retrying: 0, dead: 0, errors: [] };
  let down: string | null = null;
  try {
    for (const n of claimed) {
      let error: string | null = down;
      let permanent = false;
      if (!down) {
        try {
          if (!isTemplateKey(n.template) || !isLang(n.lang)) throw new Error(`unknown template ${n.template} or language ${n.lang}`);
          const text = render(n.template, n.lang, n.params as StoredParams, reg.profile.tld);
          await transport.sendMail(mailMessage({ id: n.id, template: n.template, lang: n.lang, recipient: n.recipient }, text, from));
        } catch (err) {
          error = describe(err);
          permanent = isPermanent(err) || !isTemplateKey(n.template);
          if (isConnectionFailure(err)) down = error;
        }
      }
      const row = reg.db.updateTable('notifications').where('id', '=', n.id).where('status', '=', 'pending').where('attempts', '=', n.attempts);
      if (error === null) {
        await row.set({ status: 'sent', sent_at: now, last_error: null }).execute();
        report.sent++;
        continue;
      }
      report.errors.push({ id: n.id, error });
      if (permanent || n.attempts >= maxAttempts) {
        await row.set({ status: 'dead', last_error: error }).execute();
        report.dead++;
      } else {
        await row.set({ next_attempt_at: new Date(now.getTime() + backoffMs(n.attempts)), last_error: error }).execute();
        report.retrying++;
      }
    }
  } finally {
    if (own) transport.close?.();
  }
  return report;
}
