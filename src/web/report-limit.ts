// Anyone may report abuse without an account (AZ-CERT intake), so one address may file at most a few reports at once
// and then one every few minutes: a flood neither buries the National Administrator's queue nor makes the registry
// mail registrars and owners on a stranger's behalf. DOMEN_ABUSE_BURST (default 10) and DOMEN_ABUSE_RATE (reports
// per second, default one per 6 minutes); one bucket per address, shared by the form and the API, per process.
import type { Registry } from '../core/registry.ts';
import { RateLimiter, rateLimitFromEnv, type RateDecision } from '../rdap/rate-limit.ts';

const limiters = new WeakMap<Registry, RateLimiter>();

export function publicReportAllowed(reg: Registry, ip: string): RateDecision {
  let l = limiters.get(reg);
  if (!l) {
    l = new RateLimiter(rateLimitFromEnv('DOMEN_ABUSE', { ratePerSecond: 1 / 360, burst: 10, maxKeys: 50_000 }));
    limiters.set(reg, l);
  }
  return l.take(ip);
}
