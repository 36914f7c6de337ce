// DNSSEC private keys encrypted at rest (issue 5): each PKCS#8 PEM in dns_keys.private_key is stored as
// `domen-enc:v1:<salt>:<iv>:<tag>:<ciphertext>` (base64), AES-256-GCM under a key-encryption key derived with
// scrypt (N=2^14, r=8, p=1) from a passphrase. The passphrase comes from, in order:
// - DOMEN_KEY_PASSPHRASE;
// - DOMEN_KEY_FILE, a file holding it (first line);
// - otherwise (the demo, a fresh machine) the file `dnssec-kek` in the data directory (DOMEN_DATA_DIR,
//   default ./data), created with a random passphrase and mode 0600 on first use.
// Keys stored unencrypted (before this existed) are encrypted the first time they are loaded.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PREFIX = 'domen-enc:v1:';

export interface KeyPassphrase { passphrase: string; source: string }

let cached: KeyPassphrase | null = null;

/** The passphrase and where it came from (for error messages). */
export function keyPassphrase(env: NodeJS.ProcessEnv = process.env): KeyPassphrase {
  if (cached) return cached;
  if (env.DOMEN_KEY_PASSPHRASE) cached = { passphrase: env.DOMEN_KEY_PASSPHRASE, source: 'DOMEN_KEY_PASSPHRASE' };
  else if (env.DOMEN_KEY_FILE) {
    let text: string;
    try { text = readFileSync(env.DOMEN_KEY_FILE, 'utf8'); } catch (e) {
      throw new Error(`DOMEN_KEY_FILE ${env.DOMEN_KEY_FILE} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): it holds the passphrase of the DNSSEC private keys`);
    }
    const passphrase = text.split('\n')[0]!.trim();
    if (!passphrase) throw new Error(`DOMEN_KEY_FILE ${env.DOMEN_KEY_FILE} is empty: it must hold the passphrase of the DNSSEC private keys`);
    cached = { passphrase, source: `the key file ${env.DOMEN_KEY_FILE}` };
  } else {
    const file = path.resolve(env.DOMEN_DATA_DIR || './data', 'dnssec-kek');
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
      process.stderr.write(`dns: no DOMEN_KEY_PASSPHRASE or DOMEN_KEY_FILE set: DNSSEC private keys are encrypted with a new passphrase in ${file} (mode 0600); back it up with the database\n`);
    }
    cached = { passphrase: readFileSync(file, 'utf8').split('\n')[0]!.trim(), source: `the key file ${file}` };
  }
  return cached;
}

/** Forgets the passphrase read from the environment (tests change it). */
export function resetKeyPassphrase(): void { cached = null; kekCache.clear(); }

const kekCache = new Map<string, Buffer>();
function kek(passphrase: string, salt: Buffer): Buffer {
  const k = `${salt.toString('base64')}:${passphrase}`;
  let key = kekCache.get(k);
  if (!key) { key = scryptSync(passphrase, salt, 32, { N: 1 << 14, r: 8, p: 1 }); kekCache.set(k, key); }
  return key;
}

// One salt per process: the KEK is derived once, not for every key.
let processSalt: Buffer | null = null;

export function isEncrypted(stored: string): boolean { return stored.startsWith(PREFIX); }

export function encryptPrivateKey(pem: string, p: KeyPassphrase = keyPassphrase()): string {
  processSalt ??= randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek(p.passphrase, processSalt), iv);
  const ct = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return PREFIX + [processSalt, iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64')).join(':');
}

/** The PEM of a stored private key; a clear error when the passphrase is not the one it was encrypted with. */
export function decryptPrivateKey(stored: string, what: string, p: KeyPassphrase = keyPassphrase()): string {
  if (!isEncrypted(stored)) return stored;
  const parts = stored.slice(PREFIX.length).split(':').map((s) => Buffer.from(s, 'base64'));
  if (parts.length !== 4) throw new Error(`${what}: the stored private key is damaged`);
  const [salt, iv, tag, ct] = parts as [Buffer, Buffer, Buffer, Buffer];
  try {
    const d = createDecipheriv('aes-256-gcm', kek(p.passphrase, salt), iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
  } catch {
    throw new Error(`${what}: the DNSSEC private key cannot be decrypted with the passphrase from ${p.source}: it is not the passphrase the keys were encrypted with (set DOMEN_KEY_PASSPHRASE or DOMEN_KEY_FILE to the right one)`);
  }
}
