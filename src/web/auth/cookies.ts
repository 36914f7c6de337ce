// Cookies and form bodies, parsed by hand: @fastify/cookie and @fastify/formbody are not installed.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The request's cookies (RFC 6265 §4.2.1): 'a=1; b=2'. Malformed pairs are skipped; the first of a name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header || header.length > 8192) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || out.has(name)) continue;
    try { out.set(name, decodeURIComponent(value)); } catch { /* not percent-encoded properly: ignore the pair */ }
  }
  return out;
}

/** Secure when the client reached us by https: TLS here, or X-Forwarded-Proto from a trusted proxy (fastify trustProxy). */
export function isHttps(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

export interface CookieOptions { maxAgeSeconds?: number; path?: string; httpOnly?: boolean }

export function setCookie(req: FastifyRequest, reply: FastifyReply, name: string, value: string, opts: CookieOptions = {}): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${opts.path ?? '/'}`, 'SameSite=Lax'];
  if (opts.httpOnly !== false) parts.push('HttpOnly');
  if (isHttps(req)) parts.push('Secure');
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev.map(String) : prev ? [String(prev)] : [];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}

export function clearCookie(req: FastifyRequest, reply: FastifyReply, name: string): void {
  setCookie(req, reply, name, '', { maxAgeSeconds: 0 });
}

/** An application/x-www-form-urlencoded body as a plain record; a repeated field keeps its values joined by '\n'. */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(body)) out[k] = k in out ? `${out[k]}\n${v}` : v;
  return out;
}
