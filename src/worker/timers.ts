// The registry's timers, run in order by `domen worker once` and by the worker loop of `domen serve`.
// Each timer finds what is due as of the registry clock and acts on each object in its own operation; rows are
// claimed with SKIP LOCKED and re-checked under the lock, so any number of workers on any number of nodes act
// exactly once (see test/lifecycle/worker-concurrency.test.ts).
import type { Actor } from '../core/actor.ts';
import { autoApproveTransfers } from '../core/transfers.ts';
import { liftCorrected, suspendInaccurate } from '../core/lifecycle/accuracy.ts';
import { alertDeadlines } from '../core/lifecycle/deadlines.ts';
import { releaseUnpaid, sendRenewalRequests, suspendExpired } from '../core/lifecycle/expiry.ts';
import { lapseRestoreReports } from '../core/lifecycle/restore.ts';
import type { Registry } from '../core/registry.ts';
import { verifyContacts } from '../core/identity/verify-contacts.ts';
import { firstNotice } from '../core/lifecycle/claims.ts';
import { resumeStuckOrders } from '../core/accounts-orders.ts';
import { runOperation } from '../core/operation.ts';
import { sealAudit } from '../audit/chain.ts';
import { purgePersonalData } from '../privacy/purge.ts';

/** R8.8 retention: once a day (the first pass of each UTC day, on whichever node), personal data past the period go. */
async function dailyRetention(reg: Registry, actor: Actor): Promise<number> {
  const today = reg.clock.now().toISOString().slice(0, 10);
  const first = await runOperation(reg, actor, 'privacy.retentionDay', (ctx) => firstNotice(ctx, 'retention-purge', 'registry', today));
  if (!first) return 0;
  return (await purgePersonalData(reg)).contacts.length;
}
import { deliverPending } from '../notify/deliver.ts';
import { mailConfigFromEnv } from '../notify/mail.ts';

/** E-mail queued by this pass (and any earlier one) goes out last, when an SMTP server is configured. */
async function deliverNotices(reg: Registry): Promise<number> {
  if (!mailConfigFromEnv().smtpUrl) return 0;
  let sent = 0;
  for (let pass = 0; pass < 100; pass++) {
    const r = await deliverPending(reg, { limit: 100 });
    sent += r.sent;
    if (r.claimed < 100 || r.errors.length) break;
  }
  return sent;
}

export const workerActor: Actor = { type: 'system', name: 'worker', source: 'worker' };

export interface Timer {
  name: string;
  clause: string;
  run(reg: Registry, actor: Actor): Promise<number>;
}

export const TIMERS: readonly Timer[] = [
  { name: 'transfer-auto-approval', clause: 'RFC 5731 §3.2.4', run: async (reg, actor) => (await autoApproveTransfers(reg, actor)).length },
  { name: 'identity-verification', clause: 'R3.20', run: (reg, actor) => verifyContacts(reg, actor) },
  // Restorations first (R7.6: within 24 hours of the cause going), then new suspensions.
  { name: 'accuracy-restoration', clause: 'R7.6', run: liftCorrected },
  { name: 'expiry-suspension', clause: 'R6.2', run: suspendExpired },
  { name: 'release-after-redemption', clause: 'R6.2', run: releaseUnpaid },
  { name: 'accuracy-suspension', clause: 'R8.7', run: suspendInaccurate },
  { name: 'renewal-request', clause: 'R6.1', run: sendRenewalRequests },
  { name: 'review-deadline-alert', clause: 'R3.12', run: alertDeadlines },
  { name: 'restore-report-lapse', clause: 'RFC 3915 §3.1', run: lapseRestoreReports },
  { name: 'personal-data-retention', clause: 'R8.8', run: dailyRetention },
  // Off unless DOMEN_ESCROW_DIR is set (src/escrow/schedule.ts); loaded only then.
  { name: 'escrow-deposit', clause: 'RFC 8909 §5', run: async (reg, actor) => {
    if (!process.env.DOMEN_ESCROW_DIR) return 0;
    const r = await (await import('../escrow/schedule.ts')).runScheduledEscrow(reg, actor);
    return (r.deposit ? 1 : 0) + r.uploaded.length;
  } },
  // Registrant orders left in 'filing' by a process that stopped between claiming and recording them.
  { name: 'order-resumption', clause: 'R3.10', run: async (reg) => (await resumeStuckOrders(reg)).length },
  { name: 'notification-delivery', clause: 'R3.11, R7.5', run: (reg) => deliverNotices(reg) },
  // The backstop of the sealer that runs after each commit (src/audit/chain.ts): entries left by a process that
  // stopped in between, and a failure of the sealer, show here.
  { name: 'audit-seal', clause: 'docs/audit.md', run: (reg) => sealAudit(reg.db) },
];

export interface TimerResult { name: string; clause: string; done: number; error?: string }

/**
 * Runs every timer once as of reg.clock (but those named in `skip`); a failing timer is reported and does not
 * stop the others.
 */
export async function runTimers(reg: Registry, actor: Actor = workerActor, opts: { skip?: readonly string[] } = {}): Promise<TimerResult[]> {
  const results: TimerResult[] = [];
  for (const t of TIMERS) {
    if (opts.skip?.includes(t.name)) continue;
    try {
      results.push({ name: t.name, clause: t.clause, done: await t.run(reg, actor) });
    } catch (err) {
      results.push({ name: t.name, clause: t.clause, done: 0, error: (err as Error).message });
    }
  }
  return results;
}
