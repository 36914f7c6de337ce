// DNSSEC signing of a built zone (RFC 4033-4035): DNSKEY (and CDS/CDNSKEY, RFC 7344) at the apex, the
// denial-of-existence chain (NSEC, RFC 4034 §4; or NSEC3 with iterations 0 and no salt, RFC 5155 and
// RFC 9276, opt-out selectable), and an RRSIG over every authoritative RRset: the DNSKEY RRset (and
// CDS/CDNSKEY) by the KSK, everything else by the ZSK. Delegation NS RRsets and glue are not signed.
import { signData, verifyData, dsFor, inDnskeySet, type ZoneKey } from './keys.ts';
import { ChunkSigner, SIG, type SignChunk } from './sign-pool.ts';
import { T, base32hex, compareNames, nameWire, parent, rdataNsec3Param, typeBitmap, type Nsec3Param } from './wire.ts';
import { nsec3Hash, type RRset, type Zone } from './zone-model.ts';

export interface SignOptions {
  now: Date; validity: number; cds: boolean; inceptionSkew?: number;
  /** The RRSIGs the zone was served with at this serial (snapshot.ts): used instead of signing anew. */
  stored?: Map<string, Buffer[]>;
}

// The signed data (RFC 4034 §3.1.8.1) is laid out directly in one buffer: the RRSIG RDATA without the
// signature, then the RRs in canonical form and order (§6.2, §6.3), the owner's wire form encoded once per
// name. No Buffer per RR: a full build signs a million RRsets.

/** The label count of the last name writeOwner wrote, for the RRSIG (RFC 4034 §3.1.3: '*' labels not counted). */
let ownerLabels = 0;

/** The owner's wire form (lower case, RFC 4034 §6.2) in `out` at 0; returns its length. Sets `ownerLabels`. */
function writeOwner(name: string, out: Buffer): number {
  if (name === '') { out[0] = 0; ownerLabels = 0; return 1; }
  if (name.length > 253) throw new Error(`name too long: ${name}`);
  const n = out.write(name, 1, 'latin1');
  let count = 0; let len = 0;
  for (let i = n; i >= 0; i--) {
    const c = i === 0 ? 0x2e : out[i]!;
    if (c === 0x2e) {
      if (len === 0 || len > 63) throw new Error(`bad label in '${name}'`);
      if (!(len === 1 && out[i + 1] === 0x2a)) count++;
      out[i] = len; len = 0;
    } else {
      if (c >= 0x41 && c <= 0x5a) out[i] = c + 0x20;
      len++;
    }
  }
  out[n + 1] = 0;
  ownerLabels = count;
  return n + 2;
}

/** The RDATA of an RRset in canonical order (§6.3); the set's own list is not reordered. */
function sortedRdatas(rdatas: Buffer[]): Buffer[] {
  if (rdatas.length < 2) return rdatas;
  if (rdatas.length === 2) return Buffer.compare(rdatas[0]!, rdatas[1]!) <= 0 ? rdatas : [rdatas[1]!, rdatas[0]!];
  return [...rdatas].sort(Buffer.compare);
}

/** Octets of the canonical RRs of an RRset whose owner takes ownerLen octets. */
function canonicalSize(ownerLen: number, rdatas: Buffer[]): number {
  let n = 0;
  for (const rd of rdatas) n += ownerLen + 10 + rd.length;
  return n;
}

/** Writes the canonical RRs at o (owner[0..ownerLen] before each); returns the offset after them. */
function writeCanonical(buf: Buffer, o: number, owner: Buffer, ownerLen: number, type: number, ttl: number, rdatas: Buffer[]): number {
  for (const rd of rdatas) {
    copyInto(buf, o, owner, ownerLen); o += ownerLen;
    buf.writeUInt16BE(type, o); buf.writeUInt16BE(1, o + 2); buf.writeUInt32BE(ttl >>> 0, o + 4); buf.writeUInt16BE(rd.length, o + 8);
    o += 10;
    copyInto(buf, o, rd, rd.length); o += rd.length;
  }
  return o;
}

/** src[0..n] to dst at o: a loop, as most are a few dozen octets, where Buffer#copy's checks cost more. */
function copyInto(dst: Uint8Array, o: number, src: Uint8Array, n: number): void {
  if (n > 64) { dst.set(src.subarray(0, n), o); return; }
  for (let j = 0; j < n; j++) dst[o + j] = src[j]!;
}

interface HeadFields { algorithm: number; inception: number; expiration: number; keyTag: number; signer: Buffer }

/** RRSIG RDATA without the signature (§3.1.8.1) at o; returns the offset after it. */
function writeHead(buf: Buffer, o: number, type: number, labelCount: number, ttl: number, h: HeadFields): number {
  buf.writeUInt16BE(type, o); buf[o + 2] = h.algorithm; buf[o + 3] = labelCount; buf.writeUInt32BE(ttl >>> 0, o + 4);
  buf.writeUInt32BE(h.expiration >>> 0, o + 8); buf.writeUInt32BE(h.inception >>> 0, o + 12); buf.writeUInt16BE(h.keyTag, o + 16);
  copyInto(buf, o + 18, h.signer, h.signer.length);
  return o + 18 + h.signer.length;
}

const ownerScratch = Buffer.alloc(256);

/** The RRs of an RRset in canonical form and order (RFC 4034 §6.2, §6.3). */
export function canonicalRRset(owner: string, type: number, ttl: number, rdatas: Buffer[]): Buffer {
  const ownerLen = writeOwner(owner, ownerScratch);
  const sorted = sortedRdatas(rdatas);
  const out = Buffer.allocUnsafe(canonicalSize(ownerLen, sorted));
  writeCanonical(out, 0, ownerScratch, ownerLen, type, ttl, sorted);
  return out;
}

export function signRRset(zone: Zone, owner: string, type: number, set: RRset, key: ZoneKey, inception: number, expiration: number): Buffer {
  const ownerLen = writeOwner(owner, ownerScratch);
  const sorted = sortedRdatas(set.rdatas);
  const h: HeadFields = { algorithm: key.algorithm, inception, expiration, keyTag: key.keyTag, signer: nameWire(zone.origin) };
  const headLen = 18 + h.signer.length;
  const data = Buffer.allocUnsafe(headLen + canonicalSize(ownerLen, sorted));
  writeCanonical(data, writeHead(data, 0, type, ownerLabels, set.ttl, h), ownerScratch, ownerLen, type, set.ttl, sorted);
  return Buffer.concat([data.subarray(0, headLen), signData(key.privateKey, data)]);
}

/** Checks one RRSIG RDATA over an RRset against a DNSKEY RDATA. */
export function verifyRrsig(owner: string, type: number, set: RRset, rrsig: Buffer, dnskey: Buffer): boolean {
  const signerEnd = 18 + nameWire(readSigner(rrsig)).length;
  const head = rrsig.subarray(0, signerEnd);
  const ttl = rrsig.readUInt32BE(4);
  return verifyData(dnskey.subarray(4), Buffer.concat([head, canonicalRRset(owner, type, ttl, set.rdatas)]), rrsig.subarray(signerEnd));
}

function readSigner(rrsig: Buffer): string {
  const parts: string[] = [];
  let o = 18;
  while (rrsig[o] !== 0) { parts.push(rrsig.toString('latin1', o + 1, o + 1 + rrsig[o]!)); o += rrsig[o]! + 1; }
  return parts.join('.');
}

/** Authoritative names with their nodes (the apex, its data, the delegation points; not glue). */
interface Owners { names: string[]; nodes: Map<number, RRset>[]; flags: number[] }
/** Owners.flags: a delegation point; one with a DS RRset. */
const CUT = 1;
const HAS_DS = 2;

/**
 * One walk over the zone: the names that own authoritative data or are delegation points, and the empty
 * non-terminals above them. Only names two or more labels below the origin can have one (names one label
 * below, nearly all of a TLD, need no walk up).
 */
function authoritative(zone: Zone): Owners & { ents: Set<string> } {
  const names: string[] = [];
  const nodes: Map<number, RRset>[] = [];
  const flags: number[] = [];
  const ents = new Set<string>();
  const origin = zone.origin;
  const suffix = origin === '' ? 0 : origin.length + 1;
  for (const [name, node] of zone.nodes) {
    const cut = zone.cutAbove(name);
    if (cut !== null && cut !== name) continue;
    names.push(name); nodes.push(node); flags.push(cut === null ? 0 : node.has(T.DS) ? CUT | HAS_DS : CUT);
    const head = name.length - suffix;
    if (head <= 0 || name.lastIndexOf('.', head - 1) < 0) continue;
    for (let p = parent(name); p !== origin && p !== ''; p = parent(p)) if (!zone.nodes.has(p)) ents.add(p);
  }
  return { names, nodes, flags, ents };
}

/**
 * The indexes of names in canonical order (RFC 4034 §6.1). Each name is sorted as its labels from the right
 * joined by \x01, then \0 and its index: both sort below every octet of a hostname label, so that one
 * string comparison orders two names as compareNames does (an absent label first) without cutting labels
 * out on each of the ~20 comparisons per name.
 */
function canonicalOrder(names: string[]): number[] {
  const idx = names.map((_, i) => i);
  if (names.some((n) => n.includes('\0') || n.includes('\x01'))) return idx.sort((a, b) => compareNames(names[a]!, names[b]!));
  const keys = names.map((n, i) => `${n.split('.').reverse().join('\x01')}\0${i}`);
  keys.sort();
  return keys.map((k) => Number(k.slice(k.lastIndexOf('\0') + 1)));
}

/** Type bitmaps (RFC 4034 §4.1.2) by type list: most names have one of a few lists. */
function bitmapCache(): (types: number[]) => Buffer {
  const cache = new Map<string, Buffer>();
  return (types) => {
    const key = types.join(',');
    let b = cache.get(key);
    if (!b) { b = typeBitmap(types); cache.set(key, b); }
    return b;
  };
}

/** Adds an RRset of one RR for the chain; through zone.add only if the name has one already. */
function addChainRR(zone: Zone, name: string, node: Map<number, RRset>, type: number, ttl: number, rdata: Buffer): void {
  if (node.has(type)) zone.add(name, type, ttl, rdata);
  else node.set(type, { ttl, rdatas: [rdata], sigs: [] });
}

/** Adds the key material at the apex and the denial-of-existence chain; returns the keys that sign and the RRsets' owners. */
function prepare(zone: Zone, keys: ZoneKey[], opts: SignOptions): { activeKsk: ZoneKey; activeZsk: ZoneKey; owners: Owners } {
  const origin = zone.origin;
  const ttl = zone.get(origin, T.NS)!.ttl;
  const ksks = keys.filter((k) => k.role === 'ksk');
  const activeKsk = ksks.find((k) => k.state === 'active');
  const activeZsk = keys.find((k) => k.role === 'zsk' && k.state === 'active');
  if (!activeKsk || !activeZsk) throw new Error(`zone ${origin} has no active KSK and ZSK`);

  // Apex key material: the keys in the DNSKEY RRset by their rollover state. CDS/CDNSKEY (RFC 7344) for
  // the active KSK: a CDS must match a key of the DNSKEY RRset (RFC 7344 §4.1), so the new KSK of a
  // double-DS rollover is announced by `domen dnssec ds` (and our own parent zone), not by CDS; and while
  // the old KSK's DS must stay (its 'retired' phase) no CDS is published, so that a parent scanning CDS
  // does not drop that DS too early.
  for (const k of keys) if (inDnskeySet(k)) zone.add(origin, T.DNSKEY, ttl, k.dnskey);
  if (opts.cds && !keys.some((k) => k.role === 'ksk' && k.state === 'retired')) {
    zone.add(origin, T.CDS, ttl, dsFor(origin, activeKsk.dnskey));
    zone.add(origin, T.CDNSKEY, ttl, activeKsk.dnskey);
  }

  // Denial of existence.
  const negTtl = zone.negativeTtl();
  const { names, nodes, flags, ents } = authoritative(zone);
  zone.ents = ents;
  const bitmap = bitmapCache();
  if (zone.denial === 'nsec') {
    const order = canonicalOrder(names);
    const owner = Buffer.alloc(256);
    // A delegation's NSEC lists NS, DS when it has one, NSEC and RRSIG (RFC 4035 §2.3).
    const cutBitmaps = [bitmap([T.NS, T.NSEC, T.RRSIG]), bitmap([T.NS, T.DS, T.NSEC, T.RRSIG])];
    order.forEach((at, i) => {
      const next = names[order[(i + 1) % order.length]!]!;
      const node = nodes[at]!;
      const f = flags[at]!;
      let bm: Buffer;
      if (f & CUT) bm = cutBitmaps[f & HAS_DS ? 1 : 0]!;
      else { const own = [...node.keys()]; own.push(T.NSEC, T.RRSIG); bm = bitmap(own); }
      const n = writeOwner(next, owner);
      const rd = Buffer.allocUnsafe(n + bm.length);
      copyInto(rd, 0, owner, n); copyInto(rd, n, bm, bm.length);
      addChainRR(zone, names[at]!, node, T.NSEC, negTtl, rd);
    });
    zone.nsecNames = order.map((at) => names[at]!);
    zone.nsec3 = null;
    zone.nsec3Hashes = [];
  } else {
    const optOut = zone.denial === 'nsec3-optout';
    const param: Nsec3Param = { algorithm: 1, flags: optOut ? 1 : 0, iterations: 0, salt: Buffer.alloc(0) };
    zone.nsec3 = param;
    zone.add(origin, T.NSEC3PARAM, 0, rdataNsec3Param(param));
    const entries: { hash: Buffer; b32: string; types: number[] }[] = [];
    const add = (name: string, node: Map<number, RRset> | undefined, f: number) => {
      const isCut = (f & CUT) !== 0;
      const hasDs = (f & HAS_DS) !== 0;
      if (isCut && optOut && !hasDs) return;
      let types: number[];
      if (!node) types = [];
      else if (isCut) types = hasDs ? [T.NS, T.DS, T.RRSIG] : [T.NS];
      else types = [...node.keys(), T.RRSIG];
      const hash = nsec3Hash(name, param);
      entries.push({ hash, b32: base32hex(hash), types });
    };
    names.forEach((name, i) => add(name, nodes[i], flags[i]!));
    for (const name of ents) add(name, undefined, 0);
    entries.sort((a, b) => (a.b32 < b.b32 ? -1 : a.b32 > b.b32 ? 1 : 0));
    // RFC 5155 §3.2: hash algorithm, flags, iterations, salt, then the next hashed owner and the bitmap.
    const fixed = rdataNsec3Param(param);
    fixed[1] = param.flags;
    entries.forEach((e, i) => {
      const next = entries[(i + 1) % entries.length]!.hash;
      const bm = bitmap(e.types);
      const rd = Buffer.allocUnsafe(fixed.length + 1 + next.length + bm.length);
      fixed.copy(rd, 0); rd[fixed.length] = next.length; next.copy(rd, fixed.length + 1); bm.copy(rd, fixed.length + 1 + next.length);
      const owner = zone.nsec3Owner(e.b32);
      zone.add(owner, T.NSEC3, negTtl, rd);
      names.push(owner); nodes.push(zone.nodes.get(owner)!); flags.push(0);
    });
    zone.nsec3Hashes = entries.map((e) => e.b32);
    zone.nsecNames = [];
  }

  return { activeKsk, activeZsk, owners: { names, nodes, flags } };
}

const byKsk = (type: number) => type === T.DNSKEY || type === T.CDS || type === T.CDNSKEY;

/** Every RRset that gets an RRSIG: authoritative data, and at a cut only DS and NSEC (RFC 4035 §2.2). */
function* signedRRsets(zone: Zone, owners: Owners): Generator<{ name: string; type: number; set: RRset }> {
  for (let i = 0; i < owners.names.length; i++) {
    const name = owners.names[i]!;
    const isCut = (owners.flags[i]! & CUT) !== 0;
    for (const [type, set] of owners.nodes[i]!) {
      if (isCut && type !== T.DS && type !== T.NSEC) continue;
      yield { name, type, set };
    }
  }
}

/** The stored signatures (snapshot.ts) in place of new ones: exactly one unexpired set for every RRset that needs one. */
function useStored(zone: Zone, owners: Owners, stored: Map<string, Buffer[]>, now: number): boolean {
  let used = 0;
  for (const { name, type, set } of signedRRsets(zone, owners)) {
    const sigs = stored.get(`${name}\n${type}`);
    if (!sigs?.length || sigs.some((sg) => sg.readUInt32BE(8) <= now)) return false;
    set.sigs = sigs;
    used++;
  }
  if (used !== stored.size) return false;
  zone.signed = true;
  return true;
}

function validity(opts: SignOptions): { now: number; inception: number; expiration: number } {
  const now = Math.floor(opts.now.getTime() / 1000);
  return { now, inception: now - (opts.inceptionSkew ?? 3600), expiration: now + opts.validity };
}

/**
 * Adds the key material and the denial chain and signs every authoritative RRset. With `opts.stored`, takes
 * the stored signatures instead and returns false unless they are exactly one unexpired set for every RRset
 * that needs one.
 */
export function signZone(zone: Zone, keys: ZoneKey[], opts: SignOptions): boolean {
  const { activeKsk, activeZsk, owners } = prepare(zone, keys, opts);
  const { now, inception, expiration } = validity(opts);
  if (opts.stored) return useStored(zone, owners, opts.stored, now);
  for (const { name, type, set } of signedRRsets(zone, owners)) set.sigs = [signRRset(zone, name, type, set, byKsk(type) ? activeKsk : activeZsk, inception, expiration)];
  zone.signed = true;
  return true;
}

/** RRsets per chunk handed to a signing thread (about; a name's RRsets stay together), and the chunk's first buffer size (it grows for large RRsets). */
const CHUNK_JOBS = 1024;
const CHUNK_OCTETS = 128 * 1024;

/** The signed data of about CHUNK_JOBS RRsets, laid out for sign-pool.ts, and the RRsets that get the signatures. */
class Chunk {
  data = new Uint8Array(CHUNK_OCTETS);
  buf = Buffer.from(this.data.buffer);
  used = 0;
  readonly offsets: number[] = [];
  readonly keyOf: number[] = [];
  readonly sets: RRset[] = [];

  constructor(readonly headLen: number) {}

  get full(): boolean { return this.sets.length >= CHUNK_JOBS || this.used >= CHUNK_OCTETS * 0.75; }

  add(set: RRset, key: number, h: HeadFields, type: number, owner: Buffer, ownerLen: number, labelCount: number): void {
    const sorted = sortedRdatas(set.rdatas);
    const need = this.used + this.headLen + canonicalSize(ownerLen, sorted);
    if (need > this.data.length) {
      const data = new Uint8Array(Math.max(need, this.data.length * 2));
      data.set(this.data.subarray(0, this.used));
      this.data = data; this.buf = Buffer.from(data.buffer);
    }
    const i = this.sets.length;
    this.offsets[i] = this.used; this.keyOf[i] = key;
    this.used = writeCanonical(this.buf, writeHead(this.buf, this.used, type, labelCount, set.ttl, h), owner, ownerLen, type, set.ttl, sorted);
    this.sets.push(set);
  }

  packed(): SignChunk {
    const offsets = new Uint32Array(this.sets.length + 1);
    offsets.set(this.offsets); offsets[this.sets.length] = this.used;
    return { data: this.data.subarray(0, this.used), offsets, keyOf: Uint8Array.from(this.keyOf), count: this.sets.length, headLen: this.headLen };
  }

  /** Each RRset gets its RRSIG RDATA as a view of the chunk's result. */
  assign(out: Buffer): void {
    const step = this.headLen + SIG;
    this.sets.forEach((set, i) => { set.sigs = [out.subarray(step * i, step * (i + 1))]; });
  }
}

/** signZone for full builds: the signatures made on every core (sign-pool.ts), a chunk of RRsets at a time. */
export async function signZoneParallel(zone: Zone, keys: ZoneKey[], opts: SignOptions): Promise<boolean> {
  const { activeKsk, activeZsk, owners } = prepare(zone, keys, opts);
  const { now, inception, expiration } = validity(opts);
  if (opts.stored) return useStored(zone, owners, opts.stored, now);
  const signer = nameWire(zone.origin);
  const [ksk, zsk] = [activeKsk, activeZsk].map((k): HeadFields => ({ algorithm: k.algorithm, inception, expiration, keyTag: k.keyTag, signer })) as [HeadFields, HeadFields];
  const headLen = 18 + signer.length;
  const pool = new ChunkSigner([activeKsk.privateKey, activeZsk.privateKey]);
  const owner = Buffer.alloc(256);
  const nsecChain = zone.denial === 'nsec';
  let chunk = new Chunk(headLen);
  const submit = async (last: boolean) => {
    const c = chunk;
    chunk = new Chunk(headLen);
    await pool.submit(c.packed(), (out) => c.assign(out), last);
  };
  for (let i = 0; i < owners.names.length; i++) {
    const name = owners.names[i]!;
    const f = owners.flags[i]!;
    // At a cut only DS and NSEC: with NSEC3, most delegations have neither and their node is not read.
    const cut = (f & CUT) !== 0;
    if (cut && !nsecChain && (f & HAS_DS) === 0) continue;
    const node = owners.nodes[i]!;
    const ds = cut ? node.get(T.DS) : undefined;
    const nsec = cut ? node.get(T.NSEC) : undefined;
    const ownerLen = writeOwner(name, owner);
    const labelCount = ownerLabels;
    if (cut) {
      if (ds) chunk.add(ds, 1, zsk, T.DS, owner, ownerLen, labelCount);
      if (nsec) chunk.add(nsec, 1, zsk, T.NSEC, owner, ownerLen, labelCount);
    } else {
      for (const [type, set] of node) {
        const k = byKsk(type) ? 0 : 1;
        chunk.add(set, k, k === 0 ? ksk : zsk, type, owner, ownerLen, labelCount);
      }
    }
    if (chunk.full) await submit(false);
  }
  await submit(true);
  await pool.finish();
  zone.signed = true;
  return true;
}
