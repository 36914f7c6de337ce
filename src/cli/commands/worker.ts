// `domen worker once [--at ISO-TIME]`: every due timer as of now, or as of the instant given (for operators
// replaying a missed run, and for tests); `domen worker run`: the loop, in the foreground.
import type { Command } from 'commander';
import { ManualClock } from '../../core/clock.ts';
import { RegistryError } from '../../core/errors.ts';
import { Registry } from '../../core/registry.ts';
import { startWorkerLoop } from '../../worker/loop.ts';
import { runTimers } from '../../worker/timers.ts';
import type { CliContext } from '../context.ts';
import { CliExit } from '../context.ts';
import { json } from '../output.ts';

function instant(text: string): Date {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) || Number.isNaN(d.getTime())) {
    throw new RegistryError('syntax', `--at wants an ISO 8601 time such as 2026-12-01T09:00:00Z, not '${text}'`, 'ISO 8601');
  }
  return d;
}

export function workerCommands(program: Command, ctx: CliContext): void {
  const worker = program.command('worker').description('the lifecycle timers (R6.1, R6.2, R7.6, R8.7, R3.12, transfers)');

  worker.command('once').option('--at <time>', 'run as of this ISO 8601 instant instead of now').option('--json', 'print JSON')
    .description('run every due timer once and exit')
    .action(async (o: { at?: string; json?: boolean }) => {
      const base = await ctx.registry();
      const reg = o.at ? new Registry(base.database, { clock: new ManualClock(instant(o.at)), tld: base.profile.tld }) : base;
      const results = await runTimers(reg);
      if (o.json) ctx.io.out(json({ at: reg.clock.now(), results }));
      else for (const r of results) ctx.io.out(`${r.name.padEnd(26)} ${r.clause.padEnd(16)} ${r.error ? `FAILED: ${r.error}` : r.done}\n`);
      if (results.some((r) => r.error)) throw new CliExit(1);
    });

  worker.command('run').option('--interval <seconds>', 'seconds between runs', '60')
    .description('run the timers in the foreground until interrupted')
    .action(async (o: { interval: string }) => {
      const seconds = Number(o.interval);
      if (!Number.isFinite(seconds) || seconds < 1) throw new RegistryError('syntax', '--interval is a number of seconds, at least 1', 'CLI');
      const loop = startWorkerLoop(await ctx.registry(), seconds * 1000, (line) => ctx.io.out(`${line}\n`));
      await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
      await loop.stop();
    });
}
