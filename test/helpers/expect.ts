// Assertions on what a registrar or the National Administrator sees when an operation fails: the
// RegistryError's kind, its EPP result code (RFC 5730 §3) and the clause it enforces.
import assert from 'node:assert/strict';
import { RegistryError, type ErrorKind } from '../../src/core/errors.ts';

export interface ExpectedError {
  kind?: ErrorKind;
  eppCode?: number;
  clause?: string | RegExp;
  /** R5.1.x ground carried by one of the reasons. */
  ground?: string;
  message?: RegExp;
}

/**
 * A validator for assert.rejects: `await assert.rejects(p, registryError({ kind: 'exists', eppCode: 2302, clause: 'R4.12' }))`.
 * It fails with a message that shows what was thrown instead.
 */
export function registryError(expected: ExpectedError): (e: unknown) => true {
  return (e: unknown) => {
    if (!(e instanceof RegistryError)) {
      assert.fail(`expected a RegistryError ${JSON.stringify(expected)}, got ${e instanceof Error ? e.stack : String(e)}`);
    }
    const seen = `${e.kind}/${e.eppCode}/${e.clause}: ${e.message}`;
    if (expected.kind !== undefined) assert.equal(e.kind, expected.kind, seen);
    if (expected.eppCode !== undefined) assert.equal(e.eppCode, expected.eppCode, seen);
    if (typeof expected.clause === 'string') assert.equal(e.clause, expected.clause, seen);
    else if (expected.clause) assert.match(e.clause, expected.clause, seen);
    if (expected.ground !== undefined) assert.ok(e.reasons.some((r) => r.ground === expected.ground), `no reason with ground ${expected.ground}: ${seen}`);
    if (expected.message) assert.match(e.message, expected.message, seen);
    return true;
  };
}

/** A name that no other test in the same file uses: `${prefix}${n}.${zone}` (digits keep it off the policy lists). */
export function nameMaker(prefix: string, zone = 'az'): () => string {
  let n = 0;
  return () => `${prefix}${++n}.${zone}`;
}
