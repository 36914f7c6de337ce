// ECDSA signing on every core for full builds: a zone of a million delegations needs from ~100,000 (NSEC3
// opt-out) to over a million (NSEC) signatures, and one thread signs ~20,000 a second. sign.ts lays out the
// signed data of up to a few thousand RRsets in one buffer (a chunk); each chunk goes, as transferred
// ArrayBuffers, to a worker thread (one per further core, DOMEN_DNS_SIGN_THREADS to override) that has fewer
// than two in hand, and otherwise is signed on this thread, so that laying out the next chunks overlaps the
// workers' signing and no thread waits for another. A worker sends back, in one buffer, the RRSIG RDATA of
// each job (the head it was given, then the signature). A zone that fits in one chunk stays on this thread.
import { sign, type KeyObject } from 'node:crypto';
import os from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** ECDSA P-256 signatures in the IEEE P1363 form of RFC 6605 §4: r | s, 64 octets. */
export const SIG = 64;
/** Chunks a worker holds at once: one being signed, one waiting, so that it never waits for this thread. */
const IN_HAND = 2;
/** How long a full build may keep this thread's event loop busy before it lets other work run (ms). */
const YIELD_MS = 50;

/**
 * The signed data of `count` jobs: job i is `data[offsets[i]..offsets[i+1]]`, whose first `headLen` octets
 * are the RRSIG RDATA without the signature, signed with `keys[keyOf[i]]`.
 */
export interface SignChunk { data: Uint8Array; offsets: Uint32Array; keyOf: Uint8Array; count: number; headLen: number }

// The worker's loop is the same as signLocal below (a string: the worker is plain CommonJS).
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
let port = null;
parentPort.on('message', (m) => {
  if (m.port) { port = m.port; return; }
  const { id, keys, data, offsets, keyOf, count, headLen } = m;
  try {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const step = headLen + ${SIG};
    const out = Buffer.allocUnsafeSlow(step * count);
    for (let i = 0; i < count; i++) {
      const o = offsets[i];
      for (let j = 0; j < headLen; j++) out[step * i + j] = buf[o + j];
      out.set(sign('sha256', buf.subarray(o, offsets[i + 1]), { key: keys[keyOf[i]], dsaEncoding: 'ieee-p1363' }), step * i + headLen);
    }
    port.postMessage({ id, out }, [out.buffer]);
  } catch (e) {
    port.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

/** RRSIG RDATA of every job of a chunk, one after another, each `headLen + SIG` octets. */
export function signLocal(chunk: SignChunk, keys: KeyObject[]): Buffer {
  const buf = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  const step = chunk.headLen + SIG;
  const out = Buffer.allocUnsafeSlow(step * chunk.count);
  const { offsets, keyOf, headLen } = chunk;
  for (let i = 0; i < chunk.count; i++) {
    const o = offsets[i]!;
    // The head octet by octet and the signature by TypedArray#set: cheaper than Buffer#copy for so few.
    for (let j = 0; j < headLen; j++) out[step * i + j] = buf[o + j]!;
    out.set(sign('sha256', buf.subarray(o, offsets[i + 1]), { key: keys[keyOf[i]!]!, dsaEncoding: 'ieee-p1363' }), step * i + headLen);
  }
  return out;
}

interface Slot { worker: Worker; port: MessagePort; inHand: Map<number, (out: Buffer) => void>; failed: Error | null }
let workers: Slot[] | null = null;
let nextId = 1;

function threads(): number {
  const configured = Number(process.env.DOMEN_DNS_SIGN_THREADS);
  const n = Number.isInteger(configured) && configured > 0 ? configured : os.availableParallelism();
  return Math.max(1, n);
}

function pool(): Slot[] {
  if (workers) return workers;
  const slots: Slot[] = [];
  for (let i = 1; i < threads(); i++) {
    const worker = new Worker(WORKER, { eval: true });
    // Results come back on a port of their own, read synchronously (receiveMessageOnPort) between chunks:
    // no event loop turn is needed to see that a worker has room again.
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    worker.postMessage({ port: port2 }, [port2]);
    const slot: Slot = { worker, port: port1, inHand: new Map(), failed: null };
    const fail = (e: Error) => { slot.failed ??= e; if (workers === slots) workers = null; };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`signing worker exited (${code})`)));
    // Idle workers do not keep the process alive.
    worker.unref();
    slots.push(slot);
  }
  workers = slots;
  return slots;
}

function collect(slot: Slot): void {
  for (;;) {
    const m = receiveMessageOnPort(slot.port)?.message as { id: number; out?: Uint8Array; error?: string } | undefined;
    if (!m) return;
    const done = slot.inHand.get(m.id);
    slot.inHand.delete(m.id);
    if (m.error || !m.out) throw new Error(`signing worker: ${m.error}`);
    done?.(Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength));
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** Signs the chunks of one zone, as they are laid out, on the workers and this thread (SHA-256, ECDSA P-256). */
export class ChunkSigner {
  private slots: Slot[] = [];
  private lastTurn = performance.now();

  constructor(private readonly keys: KeyObject[]) {}

  /** `done` gets the chunk's RRSIG RDATA (see signLocal); `last`: no chunk follows (a single chunk stays here). */
  async submit(chunk: SignChunk, done: (out: Buffer) => void, last: boolean): Promise<void> {
    if (chunk.count === 0) return;
    if (!last && this.slots.length === 0) this.slots = pool();
    let best: Slot | null = null;
    for (const s of this.slots) {
      this.check(s);
      collect(s);
      if (s.inHand.size < IN_HAND && (!best || s.inHand.size < best.inHand.size)) best = s;
    }
    if (best) {
      const id = nextId++;
      best.inHand.set(id, done);
      const { data, offsets, keyOf, count, headLen } = chunk;
      best.worker.postMessage({ id, keys: this.keys, data, offsets, keyOf, count, headLen }, [data.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer, keyOf.buffer as ArrayBuffer]);
    } else {
      done(signLocal(chunk, this.keys));
    }
    if (performance.now() - this.lastTurn > YIELD_MS) { await turn(); this.lastTurn = performance.now(); }
  }

  /** Waits for the workers' last chunks. */
  async finish(): Promise<void> {
    for (;;) {
      let waiting = false;
      for (const s of this.slots) { this.check(s); collect(s); if (s.inHand.size > 0) waiting = true; }
      if (!waiting) return;
      await pause();
    }
  }

  private check(s: Slot): void {
    if (s.failed && s.inHand.size > 0) { s.inHand.clear(); throw s.failed; }
    if (s.failed) this.slots = this.slots.filter((x) => x !== s);
  }
}
