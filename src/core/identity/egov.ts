// R3.20: the registrar (here: the registry, for every registrar) may check a registrant's identity data
// through the e-government system. The system is reached through an adapter with one small contract, so the
// national service (or another country's) plugs in without touching the core:
//
//   POST {DOMEN_EGOV_URL}   Content-Type: application/json   Authorization: Bearer {DOMEN_EGOV_TOKEN} (if set)
//   { "kind": "natural", "citizenship": "AZ", "idSeries": "AZE", "idNumber": "12345678",
//     "givenName": "Aysel", "familyName": "Quliyeva", "patronymic": "Rəşid qızı" }
//   { "kind": "legal", "tin": "1700456781", "orgName": "Qafqaz Trade MMC", "regCountry": "AZ" }
//   -> 200 { "result": "match" | "mismatch" | "unknown" }
//
// 'unknown' (not in the register, e.g. a foreign citizen) and errors leave the contact unverified.
export type VerificationResult = 'match' | 'mismatch' | 'unknown';

export type IdentityQuery =
  | { kind: 'natural'; citizenship: string | null; idSeries: string | null; idNumber: string | null; givenName: string | null; familyName: string | null; patronymic: string | null }
  | { kind: 'legal'; tin: string | null; orgName: string | null; regCountry: string | null };

export interface IdentityVerifier {
  readonly name: string;
  verify(q: IdentityQuery): Promise<VerificationResult>;
}

const RESULTS = new Set<string>(['match', 'mismatch', 'unknown']);

/** The HTTP adapter of the contract above, with a bounded wait. */
export function httpVerifier(url: string, opts: { token?: string; timeoutMs?: number } = {}): IdentityVerifier {
  const target = new URL(url);
  return {
    name: `egov:${target.host}`,
    async verify(q) {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
        body: JSON.stringify(q),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`the e-government service answered HTTP ${res.status}`);
      const body = (await res.json()) as { result?: unknown };
      if (typeof body.result !== 'string' || !RESULTS.has(body.result)) throw new Error('the e-government service gave no result (match, mismatch or unknown)');
      return body.result as VerificationResult;
    },
  };
}

/** The verifier configured by DOMEN_EGOV_URL (and DOMEN_EGOV_TOKEN), or null when none is. */
export function verifierFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityVerifier | null {
  const url = env.DOMEN_EGOV_URL?.trim();
  if (!url) return null;
  return httpVerifier(url, { token: env.DOMEN_EGOV_TOKEN?.trim() || undefined });
}
