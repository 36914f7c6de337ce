// Sign-in by an e-signature certificate (R3.9) as TLS client authentication (RFC 8446 §4.4.2): an HTTPS listener
// asks for a client certificate and OpenSSL checks its chain against the configured trust anchors (the e-signature
// CAs); the pages only read what the TLS layer verified. Unverified certificates are reported, never trusted.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';
import type { PresentedCertificate } from '../../core/accounts.ts';

export type Presented = { ok: true; cert: PresentedCertificate } | { ok: false; reason: 'none' | 'untrusted'; detail?: string };

export function presentedCertificate(req: FastifyRequest): Presented {
  const sock = req.raw.socket as TLSSocket;
  if (!sock.encrypted || typeof sock.getPeerCertificate !== 'function') return { ok: false, reason: 'none' };
  const peer = sock.getPeerCertificate();
  if (!peer || !peer.raw) return { ok: false, reason: 'none' };
  if (!sock.authorized) return { ok: false, reason: 'untrusted', detail: String(sock.authorizationError ?? 'not trusted') };
  const x = new X509Certificate(peer.raw);
  return {
    ok: true,
    cert: {
      fingerprint: createHash('sha256').update(peer.raw).digest('hex'),
      subject: x.subject.replace(/\n/g, ', '), issuer: x.issuer.replace(/\n/g, ', '), notAfter: new Date(x.validTo),
    },
  };
}

export interface AccountTlsFiles { key: string; cert: string; clientCa: string }

/**
 * HTTPS server options for the account's certificate sign-in: the certificate is asked for but not required (the
 * same listener serves password sign-in), and verified against `ca`, the e-signature trust anchors.
 */
export function accountTlsOptions(pem: { key: string | Buffer; cert: string | Buffer; clientCa: string | Buffer }): { key: string | Buffer; cert: string | Buffer; ca: string | Buffer; requestCert: true; rejectUnauthorized: false } {
  return { key: pem.key, cert: pem.cert, ca: pem.clientCa, requestCert: true, rejectUnauthorized: false };
}

/** DOMEN_ACCOUNT_TLS_KEY, _CERT and DOMEN_ACCOUNT_CLIENT_CA (PEM files): the HTTPS listener for certificate sign-in. */
export function accountTlsFromEnv(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof accountTlsOptions> | null {
  const { DOMEN_ACCOUNT_TLS_KEY: key, DOMEN_ACCOUNT_TLS_CERT: cert, DOMEN_ACCOUNT_CLIENT_CA: ca } = env;
  if (!key || !cert || !ca) return null;
  return accountTlsOptions({ key: readFileSync(key), cert: readFileSync(cert), clientCa: readFileSync(ca) });
}
