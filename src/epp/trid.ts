// Server transaction identifiers (RFC 5730 §2.5): unique across nodes and restarts, and ordered by time,
// so that they sort like the audit log: <prefix>-<ms since epoch, base 36>-<node>-<counter, base 36>.
import { randomBytes } from 'node:crypto';

export class TridGenerator {
  readonly #node = randomBytes(3).toString('hex');
  #lastMs = 0;
  #counter = 0;

  constructor(readonly prefix = 'DMN') {}

  next(): string {
    const ms = Date.now();
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#counter = 0;
    }
    const c = this.#counter++;
    return `${this.prefix}-${ms.toString(36).padStart(9, '0')}-${this.#node}-${c.toString(36).padStart(4, '0')}`;
  }
}

/**
 * The svTRID that the panData of a decision (RFC 5731 §3.3, paTRID) names for an application stored before
 * the core kept the create's svTRID with it (ApplicationRequest.serverTrid); newer ones name the real one.
 */
export function applicationTrid(prefix: string, applicationId: number): string {
  return `${prefix}-application-${applicationId}`;
}
