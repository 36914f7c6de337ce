// Passwords are stored as argon2id hashes (RFC 9106 parameters for constrained memory).
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try { return await verify(hashed, password); } catch { return false; }
}

/** A random authInfo / password: letters, digits and a symbol, as RFC 5731 §2.6 and common registry rules ask. */
export function randomSecret(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  for (;;) {
    const bytes = randomBytes(length);
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[bytes[i]! % alphabet.length];
    const secret = `${s.slice(0, -2)}-${s.slice(-1)}`;
    if (/[a-z]/.test(secret) && /[A-Z]/.test(secret) && /[0-9]/.test(secret)) return secret;
  }
}
