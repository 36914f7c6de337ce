// A raw port-43 client for the tests: connects (optionally from a given loopback address), sends, reads until close.
import net from 'node:net';

/** Sends raw bytes, reads until the server closes (bounded). */
export function rawQuery(port: number, data: string | Buffer | null, opts: { localAddress?: string; endAfter?: boolean; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ host: '127.0.0.1', port, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) });
    const timer = setTimeout(() => { s.destroy(); reject(new Error('no answer in time')); }, opts.timeoutMs ?? 10_000);
    s.on('connect', () => {
      if (data !== null) s.write(data);
      if (opts.endAfter) s.end();
    });
    s.on('data', (c) => chunks.push(c));
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
    s.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('utf8')); });
  });
}
