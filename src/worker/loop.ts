// The worker inside `domen serve`: every DOMEN_WORKER_INTERVAL seconds (default 60) it runs the timers.
// Several nodes may run it at once (src/worker/timers.ts).
import type { Registry } from '../core/registry.ts';
import { runTimers, type TimerResult } from './timers.ts';

export interface WorkerLoop { stop(): Promise<void>; lastRun(): { at: Date; results: TimerResult[] } | null }

export function startWorkerLoop(reg: Registry, intervalMs: number, log: (line: string) => void = () => {}, opts: { skip?: readonly string[] } = {}): WorkerLoop {
  let stopped = false;
  let running: Promise<void> | null = null;
  let last: { at: Date; results: TimerResult[] } | null = null;
  const tick = () => {
    if (stopped || running) return;
    running = runTimers(reg, undefined, opts).then((results) => {
      last = { at: reg.clock.now(), results };
      for (const r of results) {
        if (r.error) log(`worker: ${r.name} failed: ${r.error}`);
        else if (r.done) log(`worker: ${r.name} (${r.clause}): ${r.done}`);
      }
    }).catch((err: unknown) => log(`worker: ${(err as Error).message}`)).finally(() => { running = null; });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  setTimeout(tick, 1000).unref();
  return {
    async stop() { stopped = true; clearInterval(timer); await running; },
    lastRun: () => last,
  };
}
