// A small EPP client for the tests: TLS with a registrar's client certificate, RFC 5734 framing, and
// every frame the server sends (greeting included) parsed and validated against the EPP schemas
// (all.xsd plus our identity extension); an invalid response fails the test that received it.
import tls from 'node:tls';
import { encodeFrame, FrameDecoder } from '../../src/epp/framing.ts';
import type { XNode } from '../../src/epp/dom.ts';
import { eppSchema } from '../../src/epp/schema.ts';
import { escapeText } from '../../src/epp/responses.ts';
import { parseEpp } from '../../src/epp/xml.ts';
import { EXTENSION_URIS, NS, OBJECT_URIS } from '../../src/epp/namespaces.ts';

export interface ClientCredentials { certPem: string; keyPem: string; caPem: string }

export class EppResponse {
  constructor(readonly xml: string, readonly root: XNode) {}

  get result(): XNode | undefined { return this.root.first('epp:result'); }
  get code(): number { return Number(this.result?.attrs.code ?? 0); }
  get msg(): string { return this.result?.child('epp:msg')?.text ?? ''; }
  get clTRID(): string | undefined { return this.root.first('epp:trID')?.textOf('epp:clTRID'); }
  get svTRID(): string | undefined { return this.root.first('epp:trID')?.textOf('epp:svTRID'); }
  /** The <reason> texts of the result's <extValue>s. */
  get reasons(): string[] { return this.root.find('epp:reason').map((r) => r.text); }
  find(qname: string): XNode[] { return this.root.find(qname); }
  first(qname: string): XNode | undefined { return this.root.first(qname); }
  text(qname: string): string | undefined { return this.root.first(qname)?.text; }
  texts(qname: string): string[] { return this.root.find(qname).map((n) => n.text); }
}

/** Parses and validates one frame from the server; throws with the frame's text if it is not valid EPP. */
export function validateServerFrame(frame: Buffer): EppResponse {
  try {
    return new EppResponse(frame.toString('utf8'), parseEpp(frame, eppSchema()).root);
  } catch (e) {
    throw new Error(`the server sent an invalid EPP document: ${(e as Error).message}\n${frame.toString('utf8')}`);
  }
}

let trid = 0;
export const nextClTRID = (): string => `test-${process.pid}-${++trid}`;

export interface ConnectOptions {
  host?: string;
  servername?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  timeoutMs?: number;
}

export class EppClient {
  readonly #decoder = new FrameDecoder(64 << 20);
  readonly #frames: EppResponse[] = [];
  #waiter: (() => void) | null = null;
  #error: Error | null = null;
  #ended = false;
  readonly closed: Promise<void>;
  greeting!: EppResponse;

  private constructor(readonly socket: tls.TLSSocket) {
    this.closed = new Promise((resolve) => socket.once('close', () => { this.#ended = true; this.#wake(); resolve(); }));
    socket.on('error', (e) => { this.#error ??= e; this.#wake(); });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const f of this.#decoder.push(chunk)) this.#frames.push(validateServerFrame(f));
      } catch (e) {
        this.#error = e as Error;
      }
      this.#wake();
    });
  }

  /** Connects and waits for the greeting (RFC 5730 §2.4). Rejects if TLS or the greeting fails. */
  static async connect(port: number, creds: Partial<ClientCredentials> & { caPem: string }, opts: ConnectOptions = {}): Promise<EppClient> {
    const socket = tls.connect({
      host: opts.host ?? '127.0.0.1', port, servername: opts.servername ?? 'localhost',
      cert: creds.certPem, key: creds.keyPem, ca: [creds.caPem], minVersion: opts.minVersion, maxVersion: opts.maxVersion,
    });
    const client = new EppClient(socket);
    const greeting = await client.read(opts.timeoutMs ?? 5000);
    if (!greeting) {
      socket.destroy();
      throw client.#error ?? new Error('connection closed before the greeting');
    }
    client.greeting = greeting;
    return client;
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }

  get ended(): boolean { return this.#ended; }

  /** The next frame from the server, or null once the connection is closed. */
  async read(timeoutMs = 10_000): Promise<EppResponse | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.#frames.shift();
      if (f) return f;
      if (this.#error && !(this.#error as NodeJS.ErrnoException).code) throw this.#error;
      if (this.#ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame from the server within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiter = () => { clearTimeout(t); resolve(); };
      });
    }
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends one EPP document and returns the response; rejects if the connection closes without one. */
  async send(xml: string, timeoutMs?: number): Promise<EppResponse> {
    this.writeRaw(encodeFrame(xml));
    const r = await this.read(timeoutMs);
    if (!r) throw new Error('connection closed without a response');
    return r;
  }

  /** Wraps an object command in <epp><command>, adds a clTRID, sends it. */
  command(inner: string, opts: { clTRID?: string | null; extension?: string } = {}): Promise<EppResponse> {
    const clTRID = opts.clTRID === undefined ? nextClTRID() : opts.clTRID;
    return this.send(eppCommand(inner, { clTRID, extension: opts.extension }));
  }

  login(clID: string, pw: string, opts: { newPW?: string; objURIs?: readonly string[]; extURIs?: readonly string[]; lang?: string } = {}): Promise<EppResponse> {
    const ext = opts.extURIs ?? EXTENSION_URIS;
    return this.command(`<login><clID>${escapeText(clID)}</clID><pw>${escapeText(pw)}</pw>${opts.newPW ? `<newPW>${escapeText(opts.newPW)}</newPW>` : ''}`
      + `<options><version>1.0</version><lang>${opts.lang ?? 'en'}</lang></options><svcs>`
      + (opts.objURIs ?? OBJECT_URIS).map((u) => `<objURI>${u}</objURI>`).join('')
      + (ext.length ? `<svcExtension>${ext.map((u) => `<extURI>${u}</extURI>`).join('')}</svcExtension>` : '')
      + '</svcs></login>');
  }

  logout(): Promise<EppResponse> {
    return this.command('<logout/>');
  }

  hello(): Promise<EppResponse> {
    return this.send(`<?xml version="1.0" encoding="UTF-8"?><epp xmlns="${NS.epp}"><hello/></epp>`);
  }

  async close(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }
}

export function eppCommand(inner: string, opts: { clTRID?: string | null; extension?: string | undefined } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?><epp xmlns="${NS.epp}"><command>${inner}`
    + (opts.extension ? `<extension>${opts.extension}</extension>` : '')
    + (opts.clTRID ? `<clTRID>${escapeText(opts.clTRID)}</clTRID>` : '')
    + '</command></epp>';
}
