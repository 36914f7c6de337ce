// The state of one EPP session (RFC 5730 §2.9.1): who logged in, what services they announced, and the
// limits that keep one client from costing more than its own session.

export class Session {
  registrarId: string | null = null;
  objURIs = new Set<string>();
  extURIs = new Set<string>();
  failedLogins = 0;
  readonly connectedAt = Date.now();

  constructor(readonly remoteAddress: string, readonly certFingerprint: string | null) {}

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

  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
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
