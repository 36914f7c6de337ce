// The UDP answer cache: most queries to a TLD server are the same few thousand referrals and denials, and
// building one (the zone's maps, the NSEC3 proof, the encoding) costs more than the socket does. A plain
// query (one question, no TSIG, EDNS version 0 or none) is keyed straight from its bytes, without parsing it
// into names: the lower-cased QNAME in wire form, QTYPE, and whether EDNS and DO are set (the response
// differs by OPT and by the DNSSEC records). The cached message is the complete, untruncated answer as
// encodeResponse wrote it; a hit copies it and patches the ID, the echoed RD bit and the question's letters
// (echoed as the client wrote them, for resolvers that randomize their case). A hit that does not fit the client's
// UDP size goes the slow way, which truncates (RFC 2181 §9). Any change of a served zone (a new zone object,
// or a new serial from an incremental publication, see ZoneStore.generation) empties the cache before the
// next answer, so no answer is older than the zone it would be built from.
import { T } from './wire.ts';

/** What keyOf found in a query: its cache key and the largest UDP answer it takes. */
export interface CacheKey { key: string; maxUdp: number; /** Where the QNAME ends in the query (it starts at 12). */ nameEnd: number }

const OPT_RR_FIXED = 11; // root owner (1), type, class, TTL, RDLENGTH

/**
 * The cache key of a plain QUERY for class IN, or null when the message needs the full parser (anything
 * else: responses, other opcodes or classes, compression in the question, more records than one OPT, TSIG,
 * EDNS versions other than 0, zone transfers, trailing bytes). Never throws.
 */
export function keyOf(buf: Buffer): CacheKey | null {
  const len = buf.length;
  if (len < 17) return null;
  // QR=0, opcode 0 (the high five bits of the flags); QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1.
  if ((buf[2]! & 0xf8) !== 0 || buf[4] !== 0 || buf[5] !== 1 || buf[6] !== 0 || buf[7] !== 0 || buf[8] !== 0 || buf[9] !== 0 || buf[10] !== 0) return null;
  const ar = buf[11]!;
  if (ar > 1) return null;
  let o = 12;
  for (;;) {
    if (o >= len) return null;
    const l = buf[o]!;
    if (l === 0) break;
    if (l > 63) return null; // a compression pointer or a reserved label type
    for (let i = o + 1; i <= o + l; i++) if (buf[i] === 0x2e) return null; // a dot inside a label: the full path refuses it
    o += l + 1;
  }
  const nameEnd = o + 1;
  if (nameEnd - 12 > 255 || nameEnd + 4 > len) return null;
  const qtype = (buf[nameEnd]! << 8) | buf[nameEnd + 1]!;
  const qclass = (buf[nameEnd + 2]! << 8) | buf[nameEnd + 3]!;
  if (qclass !== 1 || qtype === T.AXFR || qtype === T.IXFR || qtype === T.OPT || qtype === T.TSIG) return null;
  let p = nameEnd + 4;
  let edns = 0; // 0: no OPT, 1: OPT without DO, 2: OPT with DO
  let maxUdp = 512;
  if (ar === 1) {
    if (p + OPT_RR_FIXED > len || buf[p] !== 0 || ((buf[p + 1]! << 8) | buf[p + 2]!) !== T.OPT) return null;
    if (buf[p + 6] !== 0) return null; // EDNS version other than 0: BADVERS from the full path
    const size = (buf[p + 3]! << 8) | buf[p + 4]!;
    // Same limits as the full path: at least 512 (RFC 6891 §6.2.5), at most 4096 from us.
    maxUdp = Math.min(Math.max(512, size), 4096);
    edns = (buf[p + 7]! & 0x80) !== 0 ? 2 : 1; // DO: the top bit of the flags in the OPT TTL
    p += OPT_RR_FIXED + ((buf[p + 9]! << 8) | buf[p + 10]!);
  }
  if (p !== len) return null;
  // latin1 keeps one char per octet; only the name is lower-cased (QTYPE octets could be letters).
  const key = buf.toString('latin1', 12, nameEnd).toLowerCase() + String.fromCharCode(qtype, edns);
  return { key, maxUdp, nameEnd };
}

/** Bounded map of complete answers for one ZoneStore generation. */
export class AnswerCache {
  private answers = new Map<string, Buffer>();
  private generation = -1;
  hits = 0;
  misses = 0;

  /** @param generation the store's current generation (ZoneStore.generation): a change empties the cache. */
  constructor(private readonly capacity: number, private readonly generationOf: () => number) {}

  get size(): number { return this.answers.size; }

  private sync(): void {
    const g = this.generationOf();
    if (g !== this.generation) { this.answers.clear(); this.generation = g; }
  }

  /** The cached answer for the query `msg` (its ID and RD bit in place), or null. */
  get(k: CacheKey, msg: Buffer): Buffer | null {
    this.sync();
    const cached = this.answers.get(k.key);
    if (cached === undefined || cached.length > k.maxUdp) { this.misses++; return null; }
    this.hits++;
    const out = Buffer.allocUnsafe(cached.length);
    cached.copy(out, 0);
    out[0] = msg[0]!; out[1] = msg[1]!;
    // The question as the client spelled it (same length: the key holds the name lower-cased).
    msg.copy(out, 12, 12, k.nameEnd);
    out[2] = (cached[2]! & 0xfe) | (msg[2]! & 0x01);
    return out;
  }

  /** Keeps the complete answer to the query of key k; the oldest entry goes when the cache is full. */
  set(k: CacheKey, answer: Buffer): void {
    this.sync();
    if (this.capacity <= 0) return;
    if (this.answers.size >= this.capacity) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
    // A copy of its own: the answer may be a view of a larger buffer.
    this.answers.set(k.key, Buffer.from(answer));
  }
}
