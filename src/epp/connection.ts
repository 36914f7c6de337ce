// One client connection (RFC 5734 §2): greeting on connect, then data units read, answered in order one
// at a time. The limits here keep a slow, broken or hostile client to its own session: frame size and
// assembly time, idle time, command rate, unread responses.
import type { TLSSocket } from 'node:tls';
import { fingerprintSha256Der } from '../pki/index.ts';
import type { EppConfig } from './config.ts';
import type { Dispatcher } from './dispatch.ts';
import { encodeFrame, FrameDecoder, FrameError } from './framing.ts';
import { RateLimiter, Session, type SessionCounter } from './session.ts';

/** Data units waiting while one is processed before we stop reading from the socket (backpressure). */
const MAX_QUEUED = 8;
/** Unread response bytes before we wait for the client to read them. */
const MAX_UNREAD = 1 << 20;
/** After our last response on a closing session, how long the client has to read it. */
const LINGER_MS = 2000;

export class Connection {
  readonly session: Session;
  readonly #decoder: FrameDecoder;
  readonly #limiter: RateLimiter;
  readonly #queue: Buffer[] = [];
  #busy = false;
  #closing = false;
  #closed = false;
  #released = false;
  #idle: NodeJS.Timeout | null = null;
  #frame: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: TLSSocket,
    private readonly dispatcher: Dispatcher,
    private readonly config: EppConfig,
    private readonly sessions: SessionCounter,
  ) {
    const peer = socket.getPeerCertificate();
    const fingerprint = peer && peer.raw ? fingerprintSha256Der(peer.raw) : null;
    const notAfter = peer && peer.valid_to ? new Date(peer.valid_to) : null;
    this.session = new Session(socket.remoteAddress ?? '', fingerprint, notAfter && !Number.isNaN(notAfter.getTime()) ? notAfter : null);
    this.#decoder = new FrameDecoder(config.maxFrameBytes);
    this.#limiter = new RateLimiter(config.commandsPerSecond, config.commandBurst);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.#onClose());
    this.#write(dispatcher.greeting());
    this.#touch();
  }

  /** Ends the session now (server shutdown). */
  destroy(): void {
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#closing) return;
    let frames: Buffer[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      this.config.log('epp.frame.refused', { problem: e.problem, length: e.length, remote: this.session.remoteAddress });
      if (e.problem === 'absurd') this.socket.destroy();
      else this.#sendAndClose(this.dispatcher.error(2001, e.message, true).xml);
      return;
    }
    this.#watchFrame(frames.length > 0);
    if (frames.length) {
      this.#queue.push(...frames);
      this.#touch();
      if (this.#queue.length >= MAX_QUEUED) this.socket.pause();
      void this.#pump();
    }
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (this.#queue.length && !this.#closing) {
        const frame = this.#queue.shift()!;
        if (!this.#limiter.take()) {
          this.#sendAndClose(this.dispatcher.error(2502, `more than ${this.config.commandsPerSecond} commands a second`, true).xml);
          break;
        }
        const registrar = this.session.registrarId;
        if (registrar && !this.dispatcher.registrarRates.take(registrar)) {
          this.config.log('epp.registrar.rate', { registrar, remote: this.session.remoteAddress });
          this.#sendAndClose(this.dispatcher.error(2502, `${registrar} sends more than ${this.config.registrarCommandsPerSecond} commands a second over all its sessions`, true).xml);
          break;
        }
        const outcome = await this.dispatcher.handle(this.session, frame);
        if (this.#closed) break;
        if (outcome.close) {
          this.#sendAndClose(outcome.xml);
          break;
        }
        if (!this.#write(outcome.xml) && this.socket.writableLength > MAX_UNREAD) await this.#drained();
        this.#touch();
        if (this.#queue.length < MAX_QUEUED / 2 && this.socket.isPaused()) this.socket.resume();
      }
    } catch (e) {
      this.config.log('epp.connection.failed', { error: e instanceof Error ? e.stack : String(e) });
      this.socket.destroy();
    } finally {
      this.#busy = false;
      if (this.#closed) this.#release();
    }
  }

  #write(xml: string): boolean {
    if (this.#closed || this.socket.destroyed) return false;
    return this.socket.write(encodeFrame(xml));
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { this.socket.off('drain', done); this.socket.off('close', done); resolve(); };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  #sendAndClose(xml: string): void {
    this.#closing = true;
    this.#write(xml);
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  /** Idle timeout: restarted by every complete data unit and every response. */
  #touch(): void {
    // Twice per command: restarting the one timer is cheaper than a new one each time.
    if (this.#idle) {
      this.#idle.refresh();
      return;
    }
    this.#idle = setTimeout(() => {
      this.config.log('epp.session.idle', { registrar: this.session.registrarId, remote: this.session.remoteAddress });
      this.socket.destroy();
    }, this.config.idleTimeoutMs);
    this.#idle.unref();
  }

  /** A data unit begun must be complete within frameTimeoutMs, however slowly its bytes arrive. */
  #watchFrame(completed: boolean): void {
    if ((completed || this.#decoder.pending === 0) && this.#frame) {
      clearTimeout(this.#frame);
      this.#frame = null;
    }
    if (this.#decoder.pending === 0 || this.#frame) return;
    this.#frame = setTimeout(() => {
      this.config.log('epp.frame.timeout', { registrar: this.session.registrarId, remote: this.session.remoteAddress, pending: this.#decoder.pending });
      this.socket.destroy();
    }, this.config.frameTimeoutMs);
    this.#frame.unref();
  }

  #onClose(): void {
    this.#closed = true;
    this.#closing = true;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    if (this.#frame) clearTimeout(this.#frame);
    this.#queue.length = 0;
    if (!this.#busy) this.#release();
  }

  #release(): void {
    if (this.#released || !this.session.registrarId) return;
    this.#released = true;
    this.sessions.release(this.session.registrarId);
  }
}
