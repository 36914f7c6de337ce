// OpenPGP for deposits (RFC 8909 §6 leaves it to the agreement; ICANN practice, which we follow): the .ryde
// file is an OpenPGP message, compressed and encrypted to the escrow agent's public key; the .sig file is a
// detached signature over the .ryde bytes by the registry's signing key. Both stream, so a deposit of any
// size passes through in constant memory. Debian's gpg reads both (see test/escrow/gpg.test.ts).
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { ReadableStream as WebReadable } from 'node:stream/web';
import * as openpgp from 'openpgp';

export interface EscrowKeys { agent: openpgp.Key; signing: openpgp.PrivateKey }

async function readAnyKey(file: string): Promise<openpgp.Key> {
  const data = readFileSync(file);
  const text = data.toString('utf8');
  return text.includes('-----BEGIN PGP') ? openpgp.readKey({ armoredKey: text }) : openpgp.readKey({ binaryKey: new Uint8Array(data) });
}

export async function readPrivateKeyFile(file: string, passphrase?: string): Promise<openpgp.PrivateKey> {
  const data = readFileSync(file);
  const text = data.toString('utf8');
  const key = text.includes('-----BEGIN PGP')
    ? await openpgp.readPrivateKey({ armoredKey: text })
    : await openpgp.readPrivateKey({ binaryKey: new Uint8Array(data) });
  if (key.isDecrypted()) return key;
  if (!passphrase) throw new Error(`the private key in ${file} is protected: give its passphrase (DOMEN_ESCROW_SIGNING_PASSPHRASE / DOMEN_ESCROW_AGENT_PASSPHRASE)`);
  return openpgp.decryptKey({ privateKey: key, passphrase });
}

export async function readPublicKeyFile(file: string): Promise<openpgp.Key> {
  const k = await readAnyKey(file);
  return k.isPrivate() ? k.toPublic() : k;
}

export interface KeyPaths { agentKey?: string | undefined; signingKey?: string | undefined }

/** The agent's public key and our signing key, from the options or DOMEN_ESCROW_AGENT_KEY / DOMEN_ESCROW_SIGNING_KEY. */
export async function loadEscrowKeys(p: KeyPaths, env: NodeJS.ProcessEnv = process.env): Promise<EscrowKeys> {
  const agentPath = p.agentKey ?? env.DOMEN_ESCROW_AGENT_KEY;
  const signPath = p.signingKey ?? env.DOMEN_ESCROW_SIGNING_KEY;
  if (!agentPath) throw new Error("no escrow agent key: give --agent-key FILE or set DOMEN_ESCROW_AGENT_KEY to the agent's OpenPGP public key");
  if (!signPath) throw new Error('no signing key: give --signing-key FILE or set DOMEN_ESCROW_SIGNING_KEY to the registry\'s OpenPGP private key');
  return { agent: await readPublicKeyFile(agentPath), signing: await readPrivateKeyFile(signPath, env.DOMEN_ESCROW_SIGNING_PASSPHRASE) };
}

/**
 * Starts encrypting a stream into `file`: returns the Writable to write plaintext to and a promise that
 * settles when the .ryde file is complete.
 */
export async function encryptingWriter(file: string, agent: openpgp.Key): Promise<{ input: Writable; done: Promise<void> }> {
  const input = new PassThrough({ highWaterMark: 1 << 20 });
  const message = await openpgp.createMessage({ binary: Readable.toWeb(input) as unknown as ReadableStream<Uint8Array> });
  const encrypted = await openpgp.encrypt({
    message, encryptionKeys: agent, format: 'binary',
    config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
  }) as unknown as ReadableStream<Uint8Array>;
  const out = createWriteStream(file);
  const done = Readable.fromWeb(encrypted as unknown as WebReadable<Uint8Array>).pipe(out);
  return {
    input,
    done: new Promise<void>((resolve, reject) => { done.on('finish', () => resolve()); done.on('error', reject); input.on('error', reject); }),
  };
}

/** Writes FILE.sig: a detached binary signature over the bytes of FILE. */
export async function signFile(file: string, sigFile: string, signing: openpgp.PrivateKey): Promise<void> {
  const message = await openpgp.createMessage({ binary: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array> });
  const sig = await openpgp.sign({ message, signingKeys: signing, detached: true, format: 'binary' }) as unknown;
  await writeFile(sigFile, await collect(sig));
}

async function collect(x: unknown): Promise<Uint8Array> {
  if (x instanceof Uint8Array) return x;
  const chunks: Uint8Array[] = [];
  for await (const c of Readable.fromWeb(x as WebReadable<Uint8Array>)) chunks.push(c as Uint8Array);
  return Buffer.concat(chunks);
}

/** Checks FILE against its detached signature; returns the signing key's fingerprint or throws. */
export async function verifyFileSignature(file: string, sigFile: string, signer: openpgp.Key): Promise<string> {
  const signature = await openpgp.readSignature({ binarySignature: new Uint8Array(readFileSync(sigFile)) });
  const message = await openpgp.createMessage({ binary: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array> });
  const result = await openpgp.verify({ message, signature, verificationKeys: signer, format: 'binary' });
  // Draining the data lets the streamed hash finish before the verdict.
  await collect(result.data);
  const s = result.signatures[0];
  if (!s) throw new Error(`${sigFile}: no signature`);
  try {
    await s.verified;
  } catch (e) {
    throw new Error(`${sigFile}: the signature does not verify: ${(e as Error).message}`);
  }
  return signer.getFingerprint();
}

/** The plaintext of a .ryde file as a Node stream (decrypted with the agent's private key). */
export async function decryptingReader(file: string, key: openpgp.PrivateKey): Promise<Readable> {
  const message = await openpgp.readMessage({ binaryMessage: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array> });
  // openpgp.js would otherwise hold the whole plaintext until the integrity check at the end of the message.
  // Streaming is safe here: verify checks the detached signature over the .ryde first, a failed integrity check
  // still ends the stream with an error, and a restore is one transaction that such an error rolls back.
  const { data } = await openpgp.decrypt({ message, decryptionKeys: key, format: 'binary', config: { allowUnauthenticatedStream: true } });
  return Readable.fromWeb(data as unknown as WebReadable<Uint8Array>);
}
