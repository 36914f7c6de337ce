// RFC 5734 §4: an EPP data unit is a 32-bit unsigned total length in network byte order (the 4 header
// bytes included) followed by the XML instance. TCP delivers it in arbitrary pieces: one read may carry
// part of a header, several data units, or both; the decoder reassembles them.

export const HEADER_BYTES = 4;
export const DEFAULT_MAX_FRAME_BYTES = 1 << 20;

export type FrameProblem =
  /** The length is below 5 or wildly above the limit (e.g. a client that forgot the framing): close at once. */
  | 'absurd'
  /** Above the limit but plausible: answer 2001 naming the limit, then close. */
  | 'oversized';

export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(readonly problem: FrameProblem, readonly length: number, message: string) {
    super(message);
  }
}

/** Lengths beyond this many times the limit are not a client's honest mistake about the size. */
const ABSURD_FACTOR = 64;

export class FrameDecoder {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #expected: number | null = null;
  #failed = false;

  constructor(readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes of a data unit received but not yet complete (0 between data units). */
  get pending(): number {
    return this.#buffered;
  }

  /** Feeds one read; returns the XML payloads completed by it, in order. Throws FrameError once, then nothing more is decoded. */
  push(chunk: Buffer): Buffer[] {
    if (this.#failed) return [];
    if (chunk.length) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.#expected === null) {
        if (this.#buffered < HEADER_BYTES) break;
        const length = this.#peekHeader();
        const problem = this.#judge(length);
        if (problem) {
          this.#failed = true;
          this.#chunks = [];
          this.#buffered = 0;
          throw new FrameError(problem, length, problem === 'absurd'
            ? `data unit length ${length} is not a plausible EPP frame`
            : `data unit of ${length} bytes exceeds the maximum of ${this.maxFrameBytes} bytes (RFC 5734 §4)`);
        }
        this.#expected = length;
      }
      if (this.#buffered < this.#expected) break;
      const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
      frames.push(all.subarray(HEADER_BYTES, this.#expected));
      const rest = all.subarray(this.#expected);
      this.#chunks = rest.length ? [rest] : [];
      this.#buffered = rest.length;
      this.#expected = null;
    }
    return frames;
  }

  #peekHeader(): number {
    const head = this.#chunks[0]!.length >= HEADER_BYTES ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    if (head !== this.#chunks[0]) this.#chunks = [head];
    return head.readUInt32BE(0);
  }

  #judge(length: number): FrameProblem | null {
    if (length <= HEADER_BYTES) return 'absurd';
    if (length > this.maxFrameBytes) return length > this.maxFrameBytes * ABSURD_FACTOR ? 'absurd' : 'oversized';
    return null;
  }
}

/** One data unit: header and payload in a single buffer, so a single write sends it. */
export function encodeFrame(xml: string | Buffer): Buffer {
  const body = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt32BE(HEADER_BYTES + body.length, 0);
  body.copy(out, HEADER_BYTES);
  return out;
}
