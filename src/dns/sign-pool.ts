// ECDSA signing on every core for full builds: a zone of a million delegations needs from ~100,000 (NSEC3
// opt-out) to over a million (NSEC) signatures, and one thread signs ~20,000 a second. The jobs of one call
// are split between this thread and worker threads (one per further core, DOMEN_DNS_SIGN_THREADS to
// override); each worker gets its share packed in one buffer and sends the signatures back in one buffer.
// Small calls (an incremental difference) stay on this thread.
import { sign, type KeyObject } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** ECDSA P-256 signatures in the IEEE P1363 form of RFC 6605 §4: r | s, 64 octets. */
const SIG = 64;
const MIN_PARALLEL = 2000;

const WORKER = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
parentPort.on('message', ({ id, keys, data, offsets, keyOf }) => {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out = Buffer.alloc(${SIG} * keyOf.length);
  try {
    for (let i = 0; i < keyOf.length; i++) {
      sign('sha256', buf.subarray(offsets[i], offsets[i + 1]), { key: keys[keyOf[i]], dsaEncoding: 'ieee-p1363' }).copy(out, ${SIG} * i);
    }
    parentPort.postMessage({ id, out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

interface Pending { resolve: (b: Buffer) => void; reject: (e: Error) => void }
let workers: { worker: Worker; pending: Map<number, Pending> }[] | null = null;
let nextId = 1;

function threads(): number {
  const configured = Number(process.env.DOMEN_DNS_SIGN_THREADS);
  const n = Number.isInteger(configured) && configured > 0 ? configured : os.availableParallelism();
  return Math.max(1, n);
}

function pool(): NonNullable<typeof workers> {
  if (workers) return workers;
  workers = [];
  for (let i = 1; i < threads(); i++) {
    const worker = new Worker(WORKER, { eval: true });
    const pending = new Map<number, Pending>();
    worker.on('message', (m: { id: number; out?: Uint8Array; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error || !m.out) p.reject(new Error(`signing worker: ${m.error}`));
      else p.resolve(Buffer.from(m.out.buffer, m.out.byteOffset, m.out.byteLength));
    });
    worker.on('error', (e) => { for (const p of pending.values()) p.reject(e); pending.clear(); });
    // Idle workers do not keep the process alive.
    worker.unref();
    workers.push({ worker, pending });
  }
  return workers;
}

export interface SignJob { key: KeyObject; data: Buffer }

function signHere(jobs: SignJob[]): Buffer[] {
  return jobs.map((j) => sign('sha256', j.data, { key: j.key, dsaEncoding: 'ieee-p1363' }));
}

function onWorker(w: NonNullable<typeof workers>[number], jobs: SignJob[]): Promise<Buffer[]> {
  const keys: KeyObject[] = [];
  const keyOf = new Uint8Array(jobs.length);
  const offsets = new Uint32Array(jobs.length + 1);
  let size = 0;
  jobs.forEach((j, i) => {
    let k = keys.indexOf(j.key);
    if (k < 0) { k = keys.length; keys.push(j.key); }
    keyOf[i] = k;
    offsets[i] = size;
    size += j.data.length;
  });
  offsets[jobs.length] = size;
  const data = new Uint8Array(size);
  for (let i = 0; i < jobs.length; i++) data.set(jobs[i]!.data, offsets[i]!);
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    w.pending.set(id, { resolve, reject });
    w.worker.ref();
    w.worker.postMessage({ id, keys, data, offsets, keyOf }, [data.buffer, offsets.buffer, keyOf.buffer]);
  }).then((out) => {
    if (w.pending.size === 0) w.worker.unref();
    return jobs.map((_, i) => out.subarray(SIG * i, SIG * (i + 1)));
  });
}

/** Signs every job (SHA-256, ECDSA P-256); the signatures in the order of the jobs. */
export async function signMany(jobs: SignJob[]): Promise<Buffer[]> {
  const ws = jobs.length >= MIN_PARALLEL ? pool() : [];
  if (ws.length === 0) return signHere(jobs);
  // Equal shares; this thread signs the last one while the workers sign theirs.
  const share = Math.ceil(jobs.length / (ws.length + 1));
  const remote = ws.map((w, i) => onWorker(w, jobs.slice(i * share, (i + 1) * share)));
  const local = signHere(jobs.slice(ws.length * share));
  return [...(await Promise.all(remote)).flat(), ...local];
}
