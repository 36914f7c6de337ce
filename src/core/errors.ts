// Typed registry errors. Each kind maps to one EPP result code (RFC 5730 §3) and one HTTP status,
// and each error carries the clause or RFC section it enforces.

export const ERROR_KINDS = {
  syntax:                { epp: 2005, http: 400, text: 'Parameter value syntax error' },
  required:              { epp: 2003, http: 400, text: 'Required parameter missing' },
  range:                 { epp: 2004, http: 422, text: 'Parameter value range error' },
  policy:                { epp: 2306, http: 422, text: 'Parameter value policy error' },
  unimplemented:         { epp: 2102, http: 501, text: 'Unimplemented option' },
  billing:               { epp: 2104, http: 402, text: 'Billing failure' },
  notEligibleForRenewal: { epp: 2105, http: 409, text: 'Object is not eligible for renewal' },
  notEligibleForTransfer:{ epp: 2106, http: 409, text: 'Object is not eligible for transfer' },
  authentication:        { epp: 2200, http: 401, text: 'Authentication error' },
  authorization:         { epp: 2201, http: 403, text: 'Authorization error' },
  invalidAuthInfo:       { epp: 2202, http: 403, text: 'Invalid authorization information' },
  pendingTransfer:       { epp: 2300, http: 409, text: 'Object pending transfer' },
  notPendingTransfer:    { epp: 2301, http: 409, text: 'Object not pending transfer' },
  exists:                { epp: 2302, http: 409, text: 'Object exists' },
  notFound:              { epp: 2303, http: 404, text: 'Object does not exist' },
  statusProhibits:       { epp: 2304, http: 409, text: 'Object status prohibits operation' },
  associationProhibits:  { epp: 2305, http: 409, text: 'Object association prohibits operation' },
  dataPolicy:            { epp: 2308, http: 422, text: 'Data management policy violation' },
  failed:                { epp: 2400, http: 500, text: 'Command failed' },
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

export interface ErrorReason { clause: string; message: string; ground?: string | undefined; documents?: string[] | undefined }

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** The rule enforced: a clause of Resolution No. 63 ('R4.1.3') or an RFC section ('RFC 5731 §3.2.1'). */
    readonly clause: string,
    readonly reasons: ErrorReason[] = [],
  ) {
    super(message);
  }
  get eppCode(): number { return ERROR_KINDS[this.kind].epp; }
  get httpStatus(): number { return ERROR_KINDS[this.kind].http; }
  toJSON() {
    return { error: this.kind, code: this.eppCode, message: this.message, clause: this.clause, reasons: this.reasons };
  }
}

export function isRegistryError(e: unknown): e is RegistryError {
  return e instanceof RegistryError;
}

export const fail = (kind: ErrorKind, message: string, clause: string, reasons?: ErrorReason[]): never => {
  throw new RegistryError(kind, message, clause, reasons);
};
