// DNS wire format for what the registry publishes: names, RDATA builders for the types a TLD zone holds,
// canonical name order (RFC 4034 §6.1), type bitmaps (RFC 4034 §4.1.2), base32hex (RFC 4648 §7) and the
// presentation format of RFC 1035 §5 for zone files. RDATA is kept as bytes in canonical form (lower-case,
// uncompressed names), so signing, serving and exporting all start from the same bytes.
import { isIPv4, isIPv6 } from 'node:net';

export const T = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, DS: 43, RRSIG: 46, NSEC: 47, DNSKEY: 48,
  NSEC3: 50, NSEC3PARAM: 51, CDS: 59, CDNSKEY: 60, TSIG: 250, IXFR: 251, AXFR: 252, ANY: 255,
} as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(T).map(([k, v]) => [v, k]));
export function typeName(t: number): string { return TYPE_NAMES.get(t) ?? `TYPE${t}`; }
export function typeNumber(name: string): number {
  const up = name.toUpperCase();
  if (up in T) return T[up as keyof typeof T];
  const m = /^TYPE(\d+)$/.exec(up);
  if (m) return Number(m[1]);
  throw new Error(`unknown RR type ${name}`);
}

/** A name in our form: lower case, no trailing dot; '' is the root. */
export function normName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export function labels(name: string): string[] {
  return name === '' ? [] : name.split('.');
}

export function nameWire(name: string): Buffer {
  const parts = labels(normName(name));
  const out = Buffer.alloc(parts.reduce((n, l) => n + l.length + 1, 1));
  let o = 0;
  for (const l of parts) {
    if (l.length === 0 || l.length > 63) throw new Error(`bad label in '${name}'`);
    out[o++] = l.length;
    o += out.write(l, o, 'latin1');
  }
  out[o] = 0;
  if (out.length > 255) throw new Error(`name too long: ${name}`);
  return out;
}

/** Reads a (possibly compressed) name at offset; returns it in our form and the offset after it. */
export function readName(buf: Buffer, offset: number): [string, number] {
  const parts: string[] = [];
  let o = offset;
  let end = -1;
  let jumps = 0;
  for (;;) {
    if (o >= buf.length) throw new Error('name runs past the message');
    const len = buf[o]!;
    if (len === 0) { o += 1; break; }
    if ((len & 0xc0) === 0xc0) {
      if (++jumps > 64) throw new Error('compression loop');
      if (end < 0) end = o + 2;
      o = ((len & 0x3f) << 8) | buf[o + 1]!;
      continue;
    }
    if (len > 63) throw new Error('bad label length');
    // Our names are dotted strings: a label with a dot in it has no such form (and no LDH name has one).
    for (let i = o + 1; i <= o + len; i++) if (buf[i] === 0x2e) throw new Error('a dot inside a label');
    parts.push(buf.toString('latin1', o + 1, o + 1 + len).toLowerCase());
    o += 1 + len;
  }
  return [parts.join('.'), end < 0 ? o : end];
}

/** RFC 4034 §6.1: labels compared right to left as lower-case octet strings; an absent label sorts first. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  // Our names are lower case latin1 strings (one char per octet), so comparing strings compares octets.
  let ea = a.length; let eb = b.length;
  for (;;) {
    const da = a.lastIndexOf('.', ea - 1);
    const db = b.lastIndexOf('.', eb - 1);
    const x = ea <= 0 ? null : a.slice(da + 1, ea);
    const y = eb <= 0 ? null : b.slice(db + 1, eb);
    if (x === null || y === null) return x === null ? (y === null ? 0 : -1) : 1;
    if (x !== y) return x < y ? -1 : 1;
    ea = da; eb = db;
  }
}

export function isSubdomain(name: string, of: string): boolean {
  return of === '' || name === of || name.endsWith(`.${of}`);
}

export function parent(name: string): string {
  const i = name.indexOf('.');
  return i < 0 ? '' : name.slice(i + 1);
}

// ---- RDATA builders ----

export function rdataA(addr: string): Buffer {
  if (!isIPv4(addr)) throw new Error(`not an IPv4 address: ${addr}`);
  return Buffer.from(addr.split('.').map(Number));
}

export function rdataAAAA(addr: string): Buffer {
  if (!isIPv6(addr)) throw new Error(`not an IPv6 address: ${addr}`);
  const [head, tail] = addr.includes('::') ? addr.split('::') as [string, string] : [addr, null];
  const h = head ? head.split(':') : [];
  const t = tail === null ? [] : tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export function rdataName(name: string): Buffer { return nameWire(name); }

export interface Soa { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
export function rdataSoa(s: Soa): Buffer {
  const nums = Buffer.alloc(20);
  [s.serial, s.refresh, s.retry, s.expire, s.minimum].forEach((v, i) => nums.writeUInt32BE(v >>> 0, i * 4));
  return Buffer.concat([nameWire(s.mname), nameWire(s.rname), nums]);
}
/** The serial of an SOA RDATA in canonical (uncompressed) form: 20 octets before its end. */
export function soaSerial(rdata: Buffer): number {
  return rdata.readUInt32BE(rdata.length - 20);
}
export function soaMinimum(rdata: Buffer): number { return rdata.readUInt32BE(rdata.length - 4); }

export function rdataDs(keyTag: number, algorithm: number, digestType: number, digest: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(keyTag, 0); h[2] = algorithm; h[3] = digestType;
  return Buffer.concat([h, digest]);
}

export function rdataDnskey(flags: number, algorithm: number, publicKey: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(flags, 0); h[2] = 3; h[3] = algorithm;
  return Buffer.concat([h, publicKey]);
}

/** RFC 4034 §4.1.2: window blocks of a sorted type list. */
export function typeBitmap(types: number[]): Buffer {
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let i = 0;
  while (i < sorted.length) {
    const win = sorted[i]! >> 8;
    const bits = Buffer.alloc(32);
    let max = 0;
    while (i < sorted.length && sorted[i]! >> 8 === win) {
      const low = sorted[i]! & 0xff;
      bits[low >> 3]! |= 0x80 >> (low & 7);
      max = Math.max(max, (low >> 3) + 1);
      i++;
    }
    parts.push(Buffer.from([win, max]), bits.subarray(0, max));
  }
  return Buffer.concat(parts);
}

export function bitmapTypes(buf: Buffer): number[] {
  const out: number[] = [];
  let o = 0;
  while (o + 2 <= buf.length) {
    const win = buf[o]!; const len = buf[o + 1]!;
    for (let b = 0; b < len; b++) for (let bit = 0; bit < 8; bit++) if (buf[o + 2 + b]! & (0x80 >> bit)) out.push(win * 256 + b * 8 + bit);
    o += 2 + len;
  }
  return out;
}

export function rdataNsec(next: string, types: number[]): Buffer {
  return Buffer.concat([nameWire(next), typeBitmap(types)]);
}

export interface Nsec3Param { algorithm: 1; flags: number; iterations: number; salt: Buffer }
export function rdataNsec3Param(p: Nsec3Param): Buffer {
  const h = Buffer.alloc(5);
  h[0] = p.algorithm; h[1] = 0; h.writeUInt16BE(p.iterations, 2); h[4] = p.salt.length;
  return Buffer.concat([h, p.salt]);
}
export function rdataNsec3(p: Nsec3Param, nextHash: Buffer, types: number[]): Buffer {
  const h = Buffer.alloc(5);
  h[0] = p.algorithm; h[1] = p.flags; h.writeUInt16BE(p.iterations, 2); h[4] = p.salt.length;
  return Buffer.concat([h, p.salt, Buffer.from([nextHash.length]), nextHash, typeBitmap(types)]);
}

const B32HEX = '0123456789abcdefghijklmnopqrstuv';
export function base32hex(buf: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte; bits += 8;
    while (bits >= 5) { out += B32HEX[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32HEX[(value << (5 - bits)) & 31];
  return out;
}
export function fromBase32hex(s: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of s.toLowerCase()) {
    const v = B32HEX.indexOf(c);
    if (v < 0) throw new Error(`not base32hex: ${s}`);
    value = (value << 5) | v; bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

// ---- presentation format (RFC 1035 §5, RFC 4034 §§2.2, 3.2, 4.2, 5.3, RFC 5155 §§3.3, 4.3) ----

function nameText(n: string): string { return n === '' ? '.' : `${n}.`; }

function rrsigTime(t: number): string {
  return new Date(t * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function rdataText(type: number, rd: Buffer): string {
  switch (type) {
    case T.A: return [...rd].join('.');
    case T.AAAA: {
      const g: string[] = [];
      for (let i = 0; i < 16; i += 2) g.push(rd.readUInt16BE(i).toString(16));
      return g.join(':');
    }
    case T.NS: case T.CNAME: case T.PTR: return nameText(readName(rd, 0)[0]);
    case T.SOA: {
      const [m, o1] = readName(rd, 0);
      const [r, o2] = readName(rd, o1);
      const n = [0, 1, 2, 3, 4].map((i) => rd.readUInt32BE(o2 + i * 4));
      return `${nameText(m)} ${nameText(r)} ${n.join(' ')}`;
    }
    case T.DS: case T.CDS:
      return `${rd.readUInt16BE(0)} ${rd[2]} ${rd[3]} ${rd.subarray(4).toString('hex').toUpperCase()}`;
    case T.DNSKEY: case T.CDNSKEY:
      return `${rd.readUInt16BE(0)} ${rd[2]} ${rd[3]} ${rd.subarray(4).toString('base64')}`;
    case T.RRSIG: {
      const [signer, o] = readName(rd, 18);
      return `${typeName(rd.readUInt16BE(0))} ${rd[2]} ${rd[3]} ${rd.readUInt32BE(4)} ${rrsigTime(rd.readUInt32BE(8))} ${rrsigTime(rd.readUInt32BE(12))} ${rd.readUInt16BE(16)} ${nameText(signer)} ${rd.subarray(o).toString('base64')}`;
    }
    case T.NSEC: {
      const [next, o] = readName(rd, 0);
      return `${nameText(next)} ${bitmapTypes(rd.subarray(o)).map(typeName).join(' ')}`;
    }
    case T.NSEC3PARAM: {
      const sl = rd[4]!;
      return `${rd[0]} ${rd[1]} ${rd.readUInt16BE(2)} ${sl ? rd.subarray(5, 5 + sl).toString('hex').toUpperCase() : '-'}`;
    }
    case T.NSEC3: {
      const sl = rd[4]!;
      const hl = rd[5 + sl]!;
      const next = rd.subarray(6 + sl, 6 + sl + hl);
      const types = bitmapTypes(rd.subarray(6 + sl + hl)).map(typeName).join(' ');
      return `${rd[0]} ${rd[1]} ${rd.readUInt16BE(2)} ${sl ? rd.subarray(5, 5 + sl).toString('hex').toUpperCase() : '-'} ${base32hex(next).toUpperCase()}${types ? ` ${types}` : ''}`;
    }
    default: return `\\# ${rd.length}${rd.length ? ` ${rd.toString('hex').toUpperCase()}` : ''}`;
  }
}

export interface RR { name: string; type: number; ttl: number; rdata: Buffer }

export function rrText(rr: RR): string {
  return `${nameText(rr.name)}\t${rr.ttl}\tIN\t${typeName(rr.type)}\t${rdataText(rr.type, rr.rdata)}`;
}

/** The RR in wire form (uncompressed owner), class IN. */
export function rrWire(rr: RR, cls = 1): Buffer {
  const owner = nameWire(rr.name);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(rr.type, 0); fixed.writeUInt16BE(cls, 2); fixed.writeUInt32BE(rr.ttl >>> 0, 4); fixed.writeUInt16BE(rr.rdata.length, 8);
  return Buffer.concat([owner, fixed, rr.rdata]);
}

/** RFC 1982 serial number arithmetic: is a greater than b? */
export function serialGreater(a: number, b: number): boolean {
  return a !== b && ((a < b && b - a > 2 ** 31) || (a > b && a - b < 2 ** 31));
}
