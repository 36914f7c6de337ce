// The authoritative server (hidden primary): UDP and TCP on DOMEN_DNS_PORT, answering from the in-memory
// signed zones of a ZoneStore only. Referrals with glue (AA=0) and the DS or its denial when DO is set,
// authoritative apex answers, NXDOMAIN and NODATA with NSEC/NSEC3 proofs (RFC 4035 §3.1.3, RFC 5155 §7.2),
// EDNS0 (RFC 6891), truncation and TCP fallback (RFC 7766), AXFR over TCP (RFC 5936) to an address ACL,
// and IXFR (RFC 1995) from the zone's journal, or with the whole zone when the journal does not reach back.
import dgram from 'node:dgram';
import net from 'node:net';
import { T, isSubdomain, nameWire, parent, readName, serialGreater, type RR } from './wire.ts';
import type { Zone } from './zone-model.ts';
import { differenceSince } from './journal.ts';
import { TsigSigner, appendTsig, readTsig, verifyRequest, type TsigKey, type TsigRecord } from './tsig.ts';
import { AnswerCache, keyOf } from './answer-cache.ts';

export class ZoneStore {
  private zones = new Map<string, Zone>();
  /** The zones and the serials they had at the last generation() call: incremental publication changes a zone in place. */
  private watched: Zone[] = [];
  private serials: number[] = [];
  private gen = 0;

  set(zone: Zone): void { this.zones.set(zone.origin, zone); this.touch(); }
  /** Marks the served data as changed (answer caches are emptied). */
  touch(): void { this.gen++; this.watched = [...this.zones.values()]; this.serials = this.watched.map((z) => z.serial); }
  /**
   * A number that changes whenever a served zone does: a zone replaced (set), touched, or given a new serial
   * in place (every difference applyChange or refreshSignatures makes comes with one, synchronously).
   */
  generation(): number {
    const zs = this.watched;
    for (let i = 0; i < zs.length; i++) if (zs[i]!.serial !== this.serials[i]) { this.touch(); break; }
    return this.gen;
  }
  get(origin: string): Zone | undefined { return this.zones.get(origin); }
  list(): Zone[] { return [...this.zones.values()]; }

  /** The deepest zone that encloses name. */
  find(name: string): Zone | undefined {
    let n = name;
    for (;;) {
      const z = this.zones.get(n);
      if (z) return z;
      if (n === '') return undefined;
      n = parent(n);
    }
  }
}

export interface DnsServerOptions {
  host?: string;
  port?: number;
  /** Entries of the UDP answer cache (answer-cache.ts); 0 turns it off. Default DOMEN_DNS_ANSWER_CACHE or 65,536. */
  answerCache?: number;
  /** Source addresses allowed to AXFR/IXFR; loopback is always allowed. */
  transferAcl?: string[];
  /** When set, AXFR/IXFR also need a valid TSIG by one of these keys (RFC 8945). */
  tsigKeys?: TsigKey[];
  log?: (event: string, detail: Record<string, unknown>) => void;
}

export interface DnsServer { port: number; host: string; close(): Promise<void> }

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, NOTAUTH: 9 } as const;
const OUR_UDP_SIZE = 1232;

export interface Query {
  id: number; flags: number; opcode: number; qname: string; qtype: number; qclass: number; questionEnd: number;
  edns: { udpSize: number; version: number; do: boolean } | null;
  tsig: TsigRecord | null;
  /** The client's serial in an IXFR request (its SOA in the authority section). */
  ixfrSerial: number | null;
  /**
   * QNAME as the client spelled it (uncompressed, as every question is): answers echo it byte for byte, since
   * resolvers that randomize the case of their queries (draft-vixie-dnsext-dns0x20) check the echo.
   */
  qnameRaw: Buffer | null;
}

export function parseQuery(buf: Buffer): Query {
  if (buf.length < 12) throw new Error('short message');
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  const ns = buf.readUInt16BE(8);
  const ar = buf.readUInt16BE(10);
  if (qd !== 1) throw new Error('one question expected');
  const [qname, o] = readName(buf, 12);
  const qtype = buf.readUInt16BE(o);
  const qclass = buf.readUInt16BE(o + 2);
  let p = o + 4;
  let edns: Query['edns'] = null;
  let tsig: TsigRecord | null = null;
  let ixfrSerial: number | null = null;
  // Skip answer and authority (IXFR carries the client's SOA there), then look for OPT in additional.
  for (let i = 0; i < an + ns + ar; i++) {
    const start = p;
    const [, after] = readName(buf, p);
    const type = buf.readUInt16BE(after);
    const cls = buf.readUInt16BE(after + 2);
    const ttl = buf.readUInt32BE(after + 4);
    const rdlen = buf.readUInt16BE(after + 8);
    if (i >= an + ns && type === T.OPT) edns = { udpSize: Math.max(512, cls), version: (ttl >>> 16) & 0xff, do: (ttl & 0x8000) !== 0 };
    if (i >= an && i < an + ns && type === T.SOA) {
      // The names in the SOA may be compressed against the message.
      const [, afterMname] = readName(buf, after + 10);
      const [, afterRname] = readName(buf, afterMname);
      ixfrSerial = buf.readUInt32BE(afterRname);
    }
    // TSIG must be the last record (RFC 8945 §5.1).
    if (type === T.TSIG) {
      if (i !== an + ns + ar - 1) throw new Error('TSIG is not the last record');
      tsig = readTsig(buf, start);
    }
    p = after + 10 + rdlen;
    if (p > buf.length) throw new Error('record runs past the message');
  }
  // A pointer in the question (nothing before it to point to) is read but not echoed.
  let plain = true;
  for (let i = 12; i < o - 1; i += buf[i]! + 1) if (buf[i]! > 63) { plain = false; break; }
  const qnameRaw = plain ? buf.subarray(12, o) : null;
  return { id, flags, opcode: (flags >> 11) & 0xf, qname, qtype, qclass, questionEnd: o + 4, edns, tsig, ixfrSerial, qnameRaw };
}

export interface Answer { rcode: number; aa: boolean; answer: RR[]; authority: RR[]; additional: RR[] }

function rrsetRRs(zone: Zone, name: string, type: number, dnssec: boolean): RR[] {
  const set = zone.get(name, type);
  if (!set) return [];
  const out: RR[] = set.rdatas.map((rdata) => ({ name, type, ttl: set.ttl, rdata }));
  if (dnssec) for (const rdata of set.sigs) out.push({ name, type: T.RRSIG, ttl: set.ttl, rdata });
  return out;
}

function soaNegative(zone: Zone, dnssec: boolean): RR[] {
  // RFC 2308 §3: the SOA in a negative answer has the TTL of the negative cache time.
  return rrsetRRs(zone, zone.origin, T.SOA, dnssec).map((rr) => ({ ...rr, ttl: zone.negativeTtl() }));
}

function denialRecords(zone: Zone, owners: (string | null)[]): RR[] {
  const type = zone.nsec3 ? T.NSEC3 : T.NSEC;
  const seen = new Set<string>();
  const out: RR[] = [];
  for (const o of owners) {
    if (o === null || seen.has(o)) continue;
    seen.add(o);
    out.push(...rrsetRRs(zone, o, type, true));
  }
  return out;
}

/** NSEC3 closest provable encloser proof for name (RFC 5155 §7.2.1): matching CE, covering next closer. */
function nsec3ClosestProof(zone: Zone, name: string): (string | null)[] {
  let next = name;
  let ce = parent(name);
  while (ce !== zone.origin && zone.nsec3Matching(ce) === null) { next = ce; ce = parent(ce); }
  return [zone.nsec3Matching(ce), zone.nsec3Covering(next)];
}

/** The proof that a delegation has no DS (RFC 4035 §3.1.4.1, RFC 5155 §7.2.7 with opt-out). */
function noDsProof(zone: Zone, cut: string): (string | null)[] {
  if (!zone.nsec3) return [cut];
  const m = zone.nsec3Matching(cut);
  return m ? [m] : nsec3ClosestProof(zone, cut);
}

function referral(zone: Zone, cut: string, dnssec: boolean): Answer {
  const authority = rrsetRRs(zone, cut, T.NS, false);
  if (dnssec) {
    const ds = rrsetRRs(zone, cut, T.DS, true);
    authority.push(...(ds.length ? ds : denialRecords(zone, noDsProof(zone, cut))));
  }
  const additional: RR[] = [];
  for (const ns of zone.get(cut, T.NS)!.rdatas) {
    const target = readName(ns, 0)[0];
    if (!isSubdomain(target, zone.origin)) continue;
    additional.push(...rrsetRRs(zone, target, T.A, false), ...rrsetRRs(zone, target, T.AAAA, false));
  }
  return { rcode: RCODE.NOERROR, aa: false, answer: [], authority, additional };
}

/** The answer of a zone to one question; the zone is the deepest one enclosing qname. */
export function resolve(store: ZoneStore, qname: string, qtype: number, dnssec: boolean): Answer {
  let zone = store.find(qname);
  if (!zone) return { rcode: RCODE.REFUSED, aa: false, answer: [], authority: [], additional: [] };
  // DS lives in the parent (RFC 4035 §3.1.4.1): ask the parent zone when we serve it too.
  if (qtype === T.DS && qname === zone.origin && zone.origin !== '') {
    const up = store.find(parent(zone.origin));
    if (up) zone = up;
  }
  const cut = zone.cutAbove(qname);
  if (cut !== null && !(qtype === T.DS && cut === qname)) return referral(zone, cut, dnssec);

  const node = zone.nodes.get(qname);
  if (node && node.size > 0) {
    const types = qtype === T.ANY ? [...node.keys()].filter((t) => t !== T.RRSIG) : [qtype];
    const answer = types.flatMap((t) => rrsetRRs(zone, qname, t, dnssec));
    if (answer.length) return { rcode: RCODE.NOERROR, aa: true, answer, authority: [], additional: [] };
    const authority = soaNegative(zone, dnssec);
    if (dnssec) {
      if (!zone.nsec3) authority.push(...denialRecords(zone, [qname]));
      else authority.push(...denialRecords(zone, zone.cuts.has(qname) ? noDsProof(zone, qname) : [zone.nsec3Matching(qname)]));
    }
    return { rcode: RCODE.NOERROR, aa: true, answer: [], authority, additional: [] };
  }
  if (zone.ents.has(qname)) {
    const authority = soaNegative(zone, dnssec);
    if (dnssec) authority.push(...denialRecords(zone, zone.nsec3 ? [zone.nsec3Matching(qname)] : [zone.nsecCovering(qname)]));
    return { rcode: RCODE.NOERROR, aa: true, answer: [], authority, additional: [] };
  }
  // The name does not exist.
  const authority = soaNegative(zone, dnssec);
  if (dnssec) {
    const ce = zone.closestEncloser(qname);
    const wildcard = ce === '' ? '*' : `*.${ce}`;
    if (zone.nsec3) {
      let nextCloser = qname;
      while (parent(nextCloser) !== ce) nextCloser = parent(nextCloser);
      authority.push(...denialRecords(zone, [zone.nsec3Matching(ce), zone.nsec3Covering(nextCloser), zone.nsec3Covering(wildcard)]));
    } else {
      authority.push(...denialRecords(zone, [zone.nsecCovering(qname), zone.nsecCovering(wildcard)]));
    }
  }
  return { rcode: RCODE.NXDOMAIN, aa: true, answer: [], authority, additional: [] };
}

/**
 * Writes a DNS message into one growing buffer; owner names are compressed (RFC 1035 §4.1.4), RDATA is
 * written as stored. One buffer rather than a part per label: this runs for every answer.
 */
class MessageWriter {
  private buf: Buffer;
  private size = 0;
  private names = new Map<string, number>();

  constructor(header: Buffer, capacity = 1024) { this.buf = Buffer.allocUnsafe(Math.max(capacity, 512)); this.bytes(header); }
  get length(): number { return this.size; }

  private room(n: number): void {
    if (this.size + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.size + n));
    this.buf.copy(next, 0, 0, this.size);
    this.buf = next;
  }

  private bytes(b: Buffer): void { this.room(b.length); b.copy(this.buf, this.size); this.size += b.length; }

  name(name: string): void {
    let n = name;
    this.room(n.length + 2);
    while (n !== '') {
      const at = this.names.get(n);
      if (at !== undefined) { this.buf[this.size++] = 0xc0 | (at >> 8); this.buf[this.size++] = at & 0xff; return; }
      if (this.size < 0x3fff) this.names.set(n, this.size);
      const dot = n.indexOf('.');
      const label = dot < 0 ? n : n.slice(0, dot);
      this.buf[this.size++] = label.length;
      this.size += this.buf.write(label, this.size, 'latin1');
      n = dot < 0 ? '' : n.slice(dot + 1);
    }
    this.buf[this.size++] = 0;
  }

  question(name: string, type: number, cls: number): void {
    this.name(name);
    this.room(4);
    this.buf.writeUInt16BE(type, this.size); this.buf.writeUInt16BE(cls, this.size + 2);
    this.size += 4;
  }

  rr(rr: RR): void {
    this.name(rr.name);
    this.room(10 + rr.rdata.length);
    const b = this.buf; const o = this.size;
    b.writeUInt16BE(rr.type, o); b.writeUInt16BE(1, o + 2); b.writeUInt32BE(rr.ttl >>> 0, o + 4); b.writeUInt16BE(rr.rdata.length, o + 8);
    rr.rdata.copy(b, o + 10);
    this.size = o + 10 + rr.rdata.length;
  }

  opt(udpSize: number, dnssec: boolean, extRcode = 0): void {
    this.room(11);
    const b = this.buf; const o = this.size;
    b[o] = 0; b.writeUInt16BE(T.OPT, o + 1); b.writeUInt16BE(udpSize, o + 3);
    b[o + 5] = extRcode; b[o + 6] = 0; b.writeUInt16BE(dnssec ? 0x8000 : 0, o + 7); b.writeUInt16BE(0, o + 9);
    this.size += 11;
  }

  done(): Buffer { return this.buf.subarray(0, this.size); }
}

function header(q: Query, rcode: number, aa: boolean, tc: boolean, counts: [number, number, number, number]): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(q.id, 0);
  // QR, opcode echoed, AA, TC, RD echoed; RA never (we do not recurse).
  h.writeUInt16BE(0x8000 | (q.opcode << 11) | (aa ? 0x0400 : 0) | (tc ? 0x0200 : 0) | (q.flags & 0x0100) | (rcode & 0xf), 2);
  counts.forEach((c, i) => h.writeUInt16BE(c, 4 + i * 2));
  return h;
}

export function encodeResponse(q: Query, a: Answer, maxSize: number): Buffer {
  const withOpt = q.edns !== null;
  const dnssec = q.edns?.do ?? false;
  const build = (ans: RR[], auth: RR[], add: RR[], tc: boolean) => {
    const w = new MessageWriter(header(q, a.rcode, a.aa, tc, [1, ans.length, auth.length, add.length + (withOpt ? 1 : 0)]));
    w.question(q.qname, q.qtype, q.qclass);
    for (const rr of ans) w.rr(rr);
    for (const rr of auth) w.rr(rr);
    for (const rr of add) w.rr(rr);
    if (withOpt) w.opt(OUR_UDP_SIZE, dnssec);
    return w.done();
  };
  const echo = (m: Buffer): Buffer => {
    // The question is the first name (offset 12, never compressed) and has the same length in any case.
    const raw = q.qnameRaw;
    if (raw && sameIgnoringCase(raw, m, 12)) raw.copy(m, 12);
    return m;
  };
  const msg = build(a.answer, a.authority, a.additional, false);
  if (msg.length <= maxSize) return echo(msg);
  // Our additional section holds only glue, which a referral needs (RFC 9471): when the whole answer does
  // not fit, send TC with empty sections and let the client retry over TCP (RFC 2181 §9, RFC 7766).
  return echo(build([], [], [], true));
}

/** Whether `m` holds `raw` at `at`, ASCII letters compared without case. */
function sameIgnoringCase(raw: Buffer, m: Buffer, at: number): boolean {
  if (at + raw.length > m.length) return false;
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i]!, b = m[at + i]!;
    if (a !== b && (a | 0x20) !== (b | 0x20)) return false;
  }
  return true;
}

function errorResponse(q: Query, rcode: number): Buffer {
  return encodeResponse(q, { rcode, aa: false, answer: [], authority: [], additional: [] }, 65535);
}

/** Formerr for a message we could not parse: the header echoed with no sections. */
function formerr(buf: Buffer): Buffer | null {
  if (buf.length < 12) return null;
  const h = Buffer.alloc(12);
  h.writeUInt16BE(buf.readUInt16BE(0), 0);
  h.writeUInt16BE(0x8000 | (buf.readUInt16BE(2) & 0x7900) | RCODE.FORMERR, 2);
  return h;
}

function isLoopback(addr: string): boolean {
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

export interface QueryPolicy { acl: string[]; tsigKeys: TsigKey[]; now?: () => number }

/** Answers one message; with a TSIG in the request, the answer is signed (or NOTAUTH with the TSIG error). */
export function handleQuery(store: ZoneStore, buf: Buffer, transport: 'udp' | 'tcp', from: string, policy: QueryPolicy): Buffer[] {
  let q: Query;
  try { q = parseQuery(buf); } catch { const f = formerr(buf); return f ? [f] : []; }
  if (q.flags & 0x8000) return [];
  const now = policy.now ?? (() => Math.floor(Date.now() / 1000));
  if (q.tsig) {
    const check = verifyRequest(buf, q.tsig, policy.tsigKeys, now());
    if (!check.ok) return [appendTsig(errorResponse(q, RCODE.NOTAUTH), check.keyName, now(), 300, Buffer.alloc(0), check.error)];
    const signer = new TsigSigner(check.key, check.mac, now);
    return answerQuery(store, q, transport, from, policy, true).map((m) => signer.sign(m));
  }
  return answerQuery(store, q, transport, from, policy, false);
}

/**
 * One UDP message: from the answer cache when the query is a plain one (answer-cache.ts), else by
 * handleQuery; a plain query's complete answer is kept for the next one. The same bytes either way.
 */
export function handleUdp(store: ZoneStore, cache: AnswerCache | null, buf: Buffer, from: string, policy: QueryPolicy): Buffer[] {
  const k = cache ? keyOf(buf) : null;
  if (!cache || !k) return handleQuery(store, buf, 'udp', from, policy);
  const hit = cache.get(k, buf);
  if (hit) return [hit];
  // keyOf accepted one question of class IN and at most an OPT of version 0; what parseQuery still refuses (a
  // label our names cannot hold) gets the full path's answer to it.
  let q: Query;
  try { q = parseQuery(buf); } catch { return handleQuery(store, buf, 'udp', from, policy); }
  const a = resolve(store, q.qname, q.qtype, q.edns?.do ?? false);
  const full = encodeResponse(q, a, 65535);
  cache.set(k, full);
  return [full.length <= k.maxUdp ? full : encodeResponse(q, a, k.maxUdp)];
}

function answerQuery(store: ZoneStore, q: Query, transport: 'udp' | 'tcp', from: string, policy: QueryPolicy, signed: boolean): Buffer[] {
  const acl = policy.acl;
  if (q.opcode !== 0) return [errorResponse(q, RCODE.NOTIMP)];
  if (q.edns && q.edns.version !== 0) {
    // BADVERS (RFC 6891 §6.1.3): extended rcode 1, rcode 0.
    const w = new MessageWriter(header(q, 0, false, false, [1, 0, 0, 1]));
    w.question(q.qname, q.qtype, q.qclass); w.opt(OUR_UDP_SIZE, false, 1);
    return [w.done()];
  }
  if (q.qclass !== 1 && q.qclass !== 255) return [errorResponse(q, RCODE.REFUSED)];
  if (q.qtype === T.AXFR || q.qtype === T.IXFR) {
    const zone = store.get(q.qname);
    const allowed = isLoopback(from) || acl.includes(from.replace(/^::ffff:/, ''));
    if (!zone || !allowed || (policy.tsigKeys.length > 0 && !signed)) return [errorResponse(q, zone ? RCODE.REFUSED : RCODE.NOTAUTH)];
    if (transport === 'udp') {
      // RFC 1995 §2: a UDP IXFR is answered with the current SOA only ("use TCP"); AXFR needs TCP.
      if (q.qtype === T.AXFR) return [errorResponse(q, RCODE.REFUSED)];
      return [encodeResponse(q, { rcode: 0, aa: true, answer: rrsetRRs(zone, zone.origin, T.SOA, false), authority: [], additional: [] }, 512)];
    }
    // RFC 1995 §2: a client that is up to date gets the current SOA alone.
    if (q.qtype === T.IXFR && q.ixfrSerial !== null && !serialGreater(zone.serial, q.ixfrSerial)) {
      return [encodeResponse(q, { rcode: 0, aa: true, answer: rrsetRRs(zone, zone.origin, T.SOA, false), authority: [], additional: [] }, 65535)];
    }
    // RFC 1995 §4: the difference from the client's serial when the journal reaches back to it, else the zone.
    const diff = q.qtype === T.IXFR && q.ixfrSerial !== null ? differenceSince(zone, q.ixfrSerial) : null;
    return diff ? transfer(q, zone, diff) : transfer(q, zone);
  }
  const dnssec = q.edns?.do ?? false;
  const a = resolve(store, q.qname, q.qtype, dnssec);
  const max = transport === 'tcp' ? 65535 : Math.min(q.edns ? q.edns.udpSize : 512, 4096);
  return [encodeResponse(q, a, max)];
}

/**
 * AXFR (RFC 5936): SOA, every RR in canonical order, SOA again, in messages of up to ~16 KB. With a
 * difference, the IXFR form of RFC 1995 §4 instead: new SOA, old SOA, removed RRs, new SOA, added RRs, new SOA.
 */
function transfer(q: Query, zone: Zone, diff?: { fromSoa: Buffer; removed: RR[]; added: RR[] }): Buffer[] {
  const soa: RR = { name: zone.origin, type: T.SOA, ttl: zone.soaTtl(), rdata: zone.soaRdata() };
  const out: Buffer[] = [];
  let batch: RR[] = [];
  let size = 0;
  const flush = () => {
    const w = new MessageWriter(header(q, 0, true, false, [1, batch.length, 0, 0]));
    w.question(q.qname, q.qtype, q.qclass);
    for (const rr of batch) w.rr(rr);
    out.push(w.done());
    batch = []; size = 0;
  };
  const push = (rr: RR) => {
    batch.push(rr);
    size += rr.rdata.length + nameWire(rr.name).length + 10;
    if (size > 16_000) flush();
  };
  if (diff) {
    push(soa);
    push({ ...soa, rdata: diff.fromSoa });
    for (const rr of diff.removed) push(rr);
    push(soa);
    for (const rr of diff.added) push(rr);
  } else {
    for (const rr of zone.records()) push(rr);
  }
  push(soa);
  flush();
  return out;
}

export async function startDns(store: ZoneStore, opts: DnsServerOptions = {}): Promise<DnsServer> {
  const host = opts.host ?? '127.0.0.1';
  const policy: QueryPolicy = { acl: opts.transferAcl ?? [], tsigKeys: opts.tsigKeys ?? [] };
  const log = opts.log ?? (() => {});
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        try {
          for (const r of handleQuery(store, msg, 'tcp', socket.remoteAddress ?? '', policy)) {
            const l = Buffer.alloc(2); l.writeUInt16BE(r.length, 0);
            socket.write(Buffer.concat([l, r]));
          }
        } catch (e) {
          log('error', { transport: 'tcp', message: (e as Error).message });
          socket.destroy();
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.port ?? 5353, host, () => { tcp.off('error', reject); resolve(); });
  });
  const port = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  const cacheSize = opts.answerCache ?? Number(process.env.DOMEN_DNS_ANSWER_CACHE ?? 65_536);
  const cache = cacheSize > 0 ? new AnswerCache(cacheSize, () => store.generation()) : null;
  udp.on('message', (msg, rinfo) => {
    try {
      for (const r of handleUdp(store, cache, msg, rinfo.address, policy)) udp.send(r, rinfo.port, rinfo.address);
    } catch (e) {
      log('error', { transport: 'udp', message: (e as Error).message });
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => { udp.off('error', reject); resolve(); });
    });
  } catch (e) {
    tcp.close();
    throw e;
  }
  return {
    host, port,
    async close() {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

