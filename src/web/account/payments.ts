// The payment-provider interface of the registrant account (R3.10: "payments in electronic form"): create a payment
// at the provider, send the payer there, and take the provider's signed callback as the only proof of payment
// (the payer's browser coming back proves nothing). One implementation speaks a small HMAC-signed JSON protocol;
// src/web/account/test-provider.ts is a real HTTP server speaking it, for tests and demonstrations.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { RegistryError } from '../../core/errors.ts';
import type { Settlement } from '../../core/accounts-orders.ts';

export interface PaymentRequest {
  /** Our payment id, the merchant reference. */
  reference: string;
  /** In the currency's minor unit (qəpik). */
  amount: number;
  currency: string;
  description: string;
  /** Where the provider sends the payer back (GET). */
  returnUrl: string;
  /** Where the provider posts its signed result (server to server). */
  callbackUrl: string;
}

export interface PaymentProvider {
  readonly name: string;
  /** Origins the payer's browser is sent to: pages whose forms lead there allow them in CSP form-action. */
  readonly payOrigins: readonly string[];
  create(p: PaymentRequest): Promise<{ redirectUrl: string; providerRef: string }>;
  /** Reads a callback; throws 'authentication' when its signature is missing, wrong or stale. */
  verifyCallback(rawBody: string, signatureHeader: string | undefined): Settlement;
  /** Pays a settled payment back (R5.2). Idempotent per payment: a repeat gives the same refund id. */
  refund(r: RefundRequest): Promise<{ refundRef: string }>;
}

export interface RefundRequest {
  /** Our payment id (the merchant reference) and the provider's id of that payment. */
  reference: string;
  providerRef: string;
  amount: number;
  currency: string;
  reason: string;
}

/** How old a signed message may be (replayed callbacks are refused; a repeated fresh one is idempotent anyway). */
export const SIGNATURE_TOLERANCE_S = 300;
export const SIGNATURE_HEADER = 'x-payment-signature';

/** 't=UNIX,v1=HEX' where HEX = HMAC-SHA256(secret, 't.' + body). */
export function signPayload(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

export function verifySignature(secret: string, body: string, header: string | undefined, nowSeconds: number): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_S) return false;
  const want = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const got = Buffer.from(m[2]!);
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface HmacProviderOptions { name?: string; apiUrl: string; secret: string; now?: () => number; /** Default: the origin of apiUrl. */ payOrigins?: string[] }

/** A provider speaking the HMAC JSON protocol: POST {apiUrl}/payments, callbacks signed with the same secret. */
export function hmacProvider(o: HmacProviderOptions): PaymentProvider {
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  const payOrigins = o.payOrigins ?? [new URL(o.apiUrl).origin];
  const post = async (path: string, value: unknown): Promise<Record<string, unknown>> => {
    const body = JSON.stringify(value);
    const res = await fetch(`${o.apiUrl.replace(/\/$/, '')}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(o.secret, body, now()) }, body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new RegistryError('failed', `the payment provider answered ${res.status}`, 'R3.10');
    return await res.json() as Record<string, unknown>;
  };
  return {
    name: o.name ?? 'hmac',
    payOrigins,
    async create(p) {
      const j = await post('/payments', p);
      if (typeof j.id !== 'string' || typeof j.redirectUrl !== 'string' || !/^https?:\/\//.test(j.redirectUrl) || !payOrigins.includes(new URL(j.redirectUrl).origin)) {
        throw new RegistryError('failed', 'the payment provider gave no payment page', 'R3.10');
      }
      return { redirectUrl: j.redirectUrl, providerRef: j.id };
    },
    verifyCallback(rawBody, header) {
      if (!verifySignature(o.secret, rawBody, header, now())) throw new RegistryError('authentication', 'the payment callback is not signed by the provider', 'R3.10');
      let j: Record<string, unknown>;
      try { j = JSON.parse(rawBody) as Record<string, unknown>; } catch { throw new RegistryError('syntax', 'the payment callback is not JSON', 'R3.10'); }
      const { reference, status, amount, currency, id } = j;
      if (typeof reference !== 'string' || (status !== 'paid' && status !== 'failed') || typeof amount !== 'number' || !Number.isInteger(amount)
        || typeof currency !== 'string' || typeof id !== 'string') {
        throw new RegistryError('syntax', 'the payment callback lacks reference, status, amount, currency or id', 'R3.10');
      }
      return { paymentId: reference, status, amount, currency, providerRef: id };
    },
    async refund(r) {
      const j = await post('/refunds', r);
      if (typeof j.id !== 'string' || j.id === '') throw new RegistryError('failed', 'the payment provider gave no refund id', 'R5.2');
      return { refundRef: j.id };
    },
  };
}

/** DOMEN_PAYMENT_URL and DOMEN_PAYMENT_SECRET name the provider; without them the account cannot take payments. */
export function paymentProviderFromEnv(env: NodeJS.ProcessEnv = process.env): PaymentProvider | null {
  return env.DOMEN_PAYMENT_URL && env.DOMEN_PAYMENT_SECRET ? hmacProvider({ apiUrl: env.DOMEN_PAYMENT_URL, secret: env.DOMEN_PAYMENT_SECRET }) : null;
}
