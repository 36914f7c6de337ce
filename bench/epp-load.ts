// The load generator of `npm run bench -- epp`, in its own process so that the clients' TLS and XML work
// does not run on the server's event loop: N TLS sessions, each logged in as its own registrar, each sending
// one command at a time (as registrars' clients do) for a bounded time. Reads a JSON job on stdin, writes a
// JSON result (latencies in ms, result codes) on stdout.
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { encodeFrame, FrameDecoder } from '../src/epp/framing.ts';

export interface LoadJob {
  port: number;
  op: 'check' | 'info' | 'create';
  seconds: number;
  /** One per session: registrar id, its client certificate and key, its registrant and admin/tech contact. */
  sessions: { clID: string; certPem: string; keyPem: string; registrant: string; admin: string }[];
  caPem: string;
  password: string;
  hosts: string[];
  /** Creates name 'epp-<createBase + k>.az'; info reads 'epp-<1..infoMax>.az' of the session's own registrar. */
  createBase: number;
  /** Per session: the numbers of the names it created earlier (info reads only its own). */
  owned: number[][];
}

export interface LoadResult { latencies: number[]; codes: Record<string, number>; created: number[][]; elapsed: number }

const D = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"';
const wrap = (inner: string, tr: string) => `<?xml version="1.0" encoding="UTF-8"?><epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command>${inner}<clTRID>${tr}</clTRID></command></epp>`;

class Session {
  readonly #decoder = new FrameDecoder(16 << 20);
  #waiting: ((xml: string) => void) | null = null;
  readonly #frames: string[] = [];
  constructor(readonly socket: tls.TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.#decoder.push(chunk)) {
        const s = f.toString('utf8');
        if (this.#waiting) { const w = this.#waiting; this.#waiting = null; w(s); } else this.#frames.push(s);
      }
    });
    socket.on('error', () => {});
  }

  static connect(port: number, s: LoadJob['sessions'][number], caPem: string): Promise<Session> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: caPem, cert: s.certPem, key: s.keyPem, servername: 'localhost' }, () => resolve(new Session(socket)));
      socket.once('error', reject);
    });
  }

  next(): Promise<string> {
    const f = this.#frames.shift();
    if (f !== undefined) return Promise.resolve(f);
    return new Promise((resolve) => { this.#waiting = resolve; });
  }

  async send(xml: string): Promise<string> {
    this.socket.write(encodeFrame(xml));
    return this.next();
  }
}

const codeOf = (xml: string) => /<result code="(\d{4})"/.exec(xml)?.[1] ?? '????';

async function run(job: LoadJob): Promise<LoadResult> {
  const sessions = await Promise.all(job.sessions.map(async (s) => {
    const c = await Session.connect(job.port, s, job.caPem);
    await c.next();
    const login = await c.send(wrap(`<login><clID>${s.clID}</clID><pw>${job.password}</pw><options><version>1.0</version><lang>en</lang></options>`
      + '<svcs><objURI>urn:ietf:params:xml:ns:domain-1.0</objURI><objURI>urn:ietf:params:xml:ns:contact-1.0</objURI><objURI>urn:ietf:params:xml:ns:host-1.0</objURI></svcs></login>', 'login'));
    if (codeOf(login) !== '1000') throw new Error(`login of ${s.clID}: ${login}`);
    return c;
  }));
  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  const created: number[][] = job.sessions.map(() => []);
  let k = job.createBase;
  let tr = 0;
  const start = performance.now();
  const end = start + job.seconds * 1000;
  let last = start;
  await Promise.all(sessions.map(async (c, i) => {
    const s = job.sessions[i]!;
    const own = job.owned[i] ?? [];
    while (performance.now() < end) {
      let inner: string;
      let n = 0;
      if (job.op === 'check') inner = `<check><domain:check ${D}><domain:name>chk-${Math.floor(Math.random() * 1e12)}.az</domain:name></domain:check></check>`;
      else if (job.op === 'info') {
        n = own[Math.floor(Math.random() * own.length)]!;
        inner = `<info><domain:info ${D}><domain:name>epp-${n}.az</domain:name></domain:info></info>`;
      } else {
        n = ++k;
        inner = `<create><domain:create ${D}><domain:name>epp-${n}.az</domain:name><domain:period unit="y">1</domain:period>`
          + `<domain:ns>${job.hosts.map((h) => `<domain:hostObj>${h}</domain:hostObj>`).join('')}</domain:ns>`
          + `<domain:registrant>${s.registrant}</domain:registrant><domain:contact type="admin">${s.admin}</domain:contact><domain:contact type="tech">${s.admin}</domain:contact>`
          + '<domain:authInfo><domain:pw>Bench-Auth-1234</domain:pw></domain:authInfo></domain:create></create>';
      }
      const t0 = performance.now();
      const r = await c.send(wrap(inner, `b-${i}-${++tr}`));
      const t1 = performance.now();
      const code = codeOf(r);
      codes[code] = (codes[code] ?? 0) + 1;
      latencies.push(t1 - t0);
      last = Math.max(last, t1);
      if (job.op === 'create' && code === '1000') created[i]!.push(n);
    }
  }));
  for (const c of sessions) c.socket.destroy();
  return { latencies, codes, created, elapsed: (last - start) / 1000 };
}

let input = '';
process.stdin.setEncoding('utf8').on('data', (d: string) => { input += d; }).on('end', () => {
  run(JSON.parse(input) as LoadJob).then(
    (r) => { process.stdout.write(JSON.stringify(r)); },
    (e: unknown) => { console.error((e as Error).stack ?? String(e)); process.exit(1); },
  );
});
