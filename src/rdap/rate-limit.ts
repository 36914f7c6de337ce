// A per-address token bucket, in memory (one per process; each node limits on its own). Bounded: at most
// maxKeys addresses are tracked; full buckets are forgotten first, then the oldest.
export interface RateLimitOptions {
  /** Tokens added per second (the sustained rate). */
  ratePerSecond: number;
  /** Bucket size (the burst). */
  burst: number;
  maxKeys?: number;
}

export interface RateDecision { allowed: boolean; retryAfterSeconds: number }

interface Bucket { tokens: number; at: number }

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxKeys: number;

  constructor(opts: RateLimitOptions, private readonly now: () => number = () => performance.now()) {
    if (!(opts.ratePerSecond > 0) || !(opts.burst >= 1)) throw new Error('a rate limit needs ratePerSecond > 0 and burst >= 1');
    this.#rate = opts.ratePerSecond;
    this.#burst = opts.burst;
    this.#maxKeys = opts.maxKeys ?? 100_000;
  }

  take(key: string): RateDecision {
    const t = this.now();
    let b = this.#buckets.get(key);
    if (b) {
      b.tokens = Math.min(this.#burst, b.tokens + ((t - b.at) / 1000) * this.#rate);
      b.at = t;
    } else {
      if (this.#buckets.size >= this.#maxKeys) this.#evict(t);
      b = { tokens: this.#burst, at: t };
      this.#buckets.set(key, b);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.#rate)) };
  }

  get size(): number { return this.#buckets.size; }

  #evict(t: number): void {
    for (const [k, b] of this.#buckets) {
      if (b.tokens + ((t - b.at) / 1000) * this.#rate >= this.#burst) this.#buckets.delete(k);
    }
    // Still full: drop the oldest tenth (Map keeps insertion order).
    if (this.#buckets.size >= this.#maxKeys) {
      let n = Math.ceil(this.#maxKeys / 10);
      for (const k of this.#buckets.keys()) { if (n-- <= 0) break; this.#buckets.delete(k); }
    }
  }
}

/** From the environment: PREFIX_RATE (per second) and PREFIX_BURST, e.g. DOMEN_RDAP_RATE=20, DOMEN_RDAP_BURST=60. */
export function rateLimitFromEnv(prefix: string, defaults: RateLimitOptions): RateLimitOptions {
  const num = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);
  return { ratePerSecond: num(process.env[`${prefix}_RATE`], defaults.ratePerSecond), burst: num(process.env[`${prefix}_BURST`], defaults.burst), maxKeys: defaults.maxKeys };
}

/** RDAP's limit per address: DOMEN_RDAP_RATE / DOMEN_RDAP_BURST, default 20/s with bursts of 60. */
export const rdapRateFromEnv = (): RateLimitOptions => rateLimitFromEnv('DOMEN_RDAP', { ratePerSecond: 20, burst: 60 });

/**
 * The limit of one of `processes` HTTP processes (DOMEN_HTTP_PROCESSES): each counts only the requests it answers,
 * so each allows rate/N and burst/N, and an address never gets more than the configured limit over all of them.
 * A client on one keep-alive connection reaches one process, so it is held to rate/N (docs/publication.md).
 */
export function rdapRateLimitShare(l: RateLimitOptions, processes: number): RateLimitOptions {
  const n = Math.max(1, Math.floor(processes));
  return { ...l, ratePerSecond: l.ratePerSecond / n, burst: Math.max(1, Math.floor(l.burst / n)) };
}
