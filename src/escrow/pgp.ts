// OpenPGP for deposits (RFC 8909 §6 leaves it to the agreement; ICANN practice, which we follow): the .ryde
// file is an OpenPGP message, compressed and encrypted to the escrow agent's public key; the .sig file is a
// detached signature over the .ryde bytes by the registry's signing key. Both stream, so a deposit of any
// size passes through in constant memory. Debian's gpg reads both (see test/escrow/gpg.test.ts).
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflate } from 'node:zlib';
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
 *
 * The OpenPGP message is the usual Compressed(Literal) inside the encrypted packet, but we compress with
 * node:zlib ourselves instead of letting openpgp.js do it: openpgp.js pipes through the runtime's
 * CompressionStream, and Node 20's counts its write queue in chunks (16,384 of openpgp's 64 KiB pieces),
 * so a producer faster than zlib piles up to a gigabyte of plaintext in memory. Here every step pulls:
 * the literal packet's bytes are read only as zlib takes them, zlib only as the cipher pulls.
 */
export async function encryptingWriter(file: string, agent: openpgp.Key): Promise<{ input: Writable; done: Promise<void> }> {
  const input = new PassThrough({ highWaterMark: 1 << 20 });
  const literal = await openpgp.createMessage({ binary: pullStream(input) });
  const deflate = createDeflate({ chunkSize: 1 << 16 });
  const literalBytes = Readable.fromWeb(literal.packets.write() as unknown as WebReadable<Uint8Array>);
  const compressing = pipeline(literalBytes, deflate);
  // RFC 9580 §5.6: one octet of algorithm, then the compressed stream (the packet writes both; we set its fields).
  const packet = new openpgp.CompressedDataPacket();
  Object.assign(packet, { algorithm: openpgp.enums.compression.zlib, compressed: pullStream(deflate) });
  const list = new openpgp.PacketList();
  list.push(packet);
  const message = new openpgp.Message(list);
  (message as unknown as { fromStream: string }).fromStream = 'web';
  const encrypted = await openpgp.encrypt({
    message, encryptionKeys: agent, format: 'binary',
    // Already compressed above: openpgp.js must not wrap it again.
    config: { preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed },
  }) as unknown as ReadableStream<Uint8Array>;
  const done = pipeline(Readable.fromWeb(encrypted as unknown as WebReadable<Uint8Array>), createWriteStream(file));
  return { input, done: Promise.all([compressing, done]).then(() => undefined) };
}

/**
 * A web ReadableStream that reads the Node stream only when its reader asks (highWaterMark 0). Readable.toWeb
 * in Node 20 counts its queue in chunks, not bytes, and would read ahead without bound.
 */
function pullStream(source: Readable): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await it.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    async cancel(reason) { source.destroy(reason instanceof Error ? reason : undefined); await it.return?.(); },
  }, { highWaterMark: 0 });
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
