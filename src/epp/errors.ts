// EPP result codes (RFC 5730 §3) and the error a flow raises; registry errors from the core map onto
// them through their eppCode (src/core/errors.ts).
import { isRegistryError, type RegistryError } from '../core/errors.ts';
import type { Xml } from './responses.ts';

export const RESULT_TEXT: Record<number, string> = {
  1000: 'Command completed successfully',
  1001: 'Command completed successfully; action pending',
  1300: 'Command completed successfully; no messages',
  1301: 'Command completed successfully; ack to dequeue',
  1500: 'Command completed successfully; ending session',
  2000: 'Unknown command',
  2001: 'Command syntax error',
  2002: 'Command use error',
  2003: 'Required parameter missing',
  2004: 'Parameter value range error',
  2005: 'Parameter value syntax error',
  2100: 'Unimplemented protocol version',
  2101: 'Unimplemented command',
  2102: 'Unimplemented option',
  2103: 'Unimplemented extension',
  2104: 'Billing failure',
  2105: 'Object is not eligible for renewal',
  2106: 'Object is not eligible for transfer',
  2200: 'Authentication error',
  2201: 'Authorization error',
  2202: 'Invalid authorization information',
  2300: 'Object pending transfer',
  2301: 'Object not pending transfer',
  2302: 'Object exists',
  2303: 'Object does not exist',
  2304: 'Object status prohibits operation',
  2305: 'Object association prohibits operation',
  2306: 'Parameter value policy error',
  2307: 'Unimplemented object service',
  2308: 'Data management policy violation',
  2400: 'Command failed',
  2500: 'Command failed; server closing connection',
  2501: 'Authentication error; server closing connection',
  2502: 'Session limit exceeded; server closing connection',
};

/** One <extValue>: the offending value (an XML fragment, or <undef/>) and why (RFC 5730 §2.6). */
export interface ExtValue { value?: Xml; reason: string }

export class EppError extends Error {
  override readonly name = 'EppError';
  constructor(
    readonly code: number,
    message: string,
    readonly values: ExtValue[] = [],
    /** Close the connection after the response (RFC 5730 §2.9.1.1, RFC 5734 §2). */
    readonly close = false,
    /** Extension data of the error response (e.g. loginSec:loginSecData, RFC 9167 §4.1). */
    readonly extension?: Xml,
  ) {
    super(message);
  }
}

export const eppError = (code: number, message: string, values: ExtValue[] = [], close = false): never => {
  throw new EppError(code, message, values, close);
};

/** A RegistryError as an EPP error: its code, its message, and each reason with the clause it enforces. */
export function fromRegistryError(e: RegistryError): EppError {
  const values: ExtValue[] = e.reasons.length
    ? e.reasons.map((r) => ({ reason: `${r.clause}${r.ground ? ` (refusal ground ${r.ground})` : ''}: ${r.message}` }))
    : [{ reason: `${e.clause}: ${e.message}` }];
  return new EppError(e.eppCode, e.message, values);
}

export function toEppError(e: unknown): EppError | null {
  if (e instanceof EppError) return e;
  if (isRegistryError(e)) return fromRegistryError(e);
  return null;
}
