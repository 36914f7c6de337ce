// The state of one EPP session (RFC 5730 §2.9.1): who logged in, what services they announced, and the
// limits that keep one client from costing more than its own session.

export class Session {
  registrarId: string | null = null;
  objURIs = new Set<string>();
  extURIs = new Set<string>();
  failedLogins = 0;
  /** The client software as the loginSec userAgent told it (RFC 9167 §3.2), for the logs. */
  userAgent: { app?: string; tech?: string; os?: string } | null = null;
  readonly connectedAt = Date.now();

  constructor(
    readonly remoteAddress: string,
    readonly certFingerprint: string | null,
    /** When the client certificate expires (a loginSec warning when near, RFC 9167 §3.1). */
    readonly certNotAfter: Date | null = null,
  ) {}

  get loggedIn(): boolean {
    return this.registrarId !== null;
  }
}

/** Token bucket: `rate` tokens a second, at most `burst` saved up. */
export class RateLimiter {
  #tokens: number;
  #at = Date.now();
  constructor(readonly rate: number, readonly burst: number) {
    this.#tokens = burst;
  }

  /** Whether the bucket would be full at `now` (nothing saved up is owed). */
  full(now = Date.now()): boolean {
    return this.#tokens + ((now - this.#at) / 1000) * this.rate >= this.burst;
  }

  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * One token bucket per registrar, shared by all its sessions on this node. In-process: with N nodes behind
 * a load balancer a registrar gets up to N times the rate; the per-node session maximum bounds that too.
 */
export class RegistrarRateLimits {
  readonly #buckets = new Map<string, RateLimiter>();
  constructor(readonly rate: number, readonly burst: number) {}

  take(registrarId: string, now = Date.now()): boolean {
    let b = this.#buckets.get(registrarId);
    if (!b) {
      // Bounded: a bucket that has refilled is the same as none, so forget the idle ones now and then.
      if (this.#buckets.size >= 10_000) this.#sweep(now);
      b = new RateLimiter(this.rate, this.burst);
      this.#buckets.set(registrarId, b);
    }
    return b.take(now);
  }

  #sweep(now: number): void {
    for (const [id, b] of this.#buckets) if (b.full(now)) this.#buckets.delete(id);
  }
}

/** Concurrent sessions per registrar on this node. */
export class SessionCounter {
  readonly #count = new Map<string, number>();

  /** Takes a place for the registrar; false when it already has `max`. */
  acquire(registrarId: string, max: number): boolean {
    const n = this.#count.get(registrarId) ?? 0;
    if (n >= max) return false;
    this.#count.set(registrarId, n + 1);
    return true;
  }

  release(registrarId: string): void {
    const n = (this.#count.get(registrarId) ?? 1) - 1;
    if (n <= 0) this.#count.delete(registrarId);
    else this.#count.set(registrarId, n);
  }

  count(registrarId: string): number {
    return this.#count.get(registrarId) ?? 0;
  }
}
