// TSIG (RFC 8945) with HMAC-SHA256 for zone transfers: the request must carry a valid MAC by a configured
// key within the time fudge; every message of the answer is signed, the first over the request's MAC and
// the rest chained over the previous MAC (§5.3.1).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { T, nameWire, readName } from './wire.ts';

export const HMAC_SHA256 = 'hmac-sha256';
const CLASS_ANY = 255;
export const TSIG_ERR = { BADSIG: 16, BADKEY: 17, BADTIME: 18 } as const;

export interface TsigKey { name: string; algorithm: typeof HMAC_SHA256; secret: Buffer }

/** `DOMEN_DNS_TSIG`: comma-separated `[hmac-sha256:]name:base64secret` (the format of kdig -y). */
export function parseTsigKeys(spec: string): TsigKey[] {
  return spec.split(/[\s,]+/).filter(Boolean).map((entry) => {
    const parts = entry.split(':');
    const [alg, name, secret] = parts.length === 3 ? parts as [string, string, string] : [HMAC_SHA256, parts[0]!, parts[1]!];
    if (alg.toLowerCase() !== HMAC_SHA256 || !name || !secret) throw new Error(`DOMEN_DNS_TSIG: '${entry}' is not hmac-sha256:name:base64secret`);
    return { name: name.toLowerCase().replace(/\.$/, ''), algorithm: HMAC_SHA256, secret: Buffer.from(secret, 'base64') };
  });
}

export interface TsigRecord {
  /** Offset of the TSIG RR in the message. */
  start: number;
  keyName: string; algorithm: string; timeSigned: number; fudge: number; mac: Buffer; originalId: number; error: number; other: Buffer;
}

/** Reads the TSIG RR that starts at offset start (its owner name). */
export function readTsig(buf: Buffer, start: number): TsigRecord {
  const [keyName, afterOwner] = readName(buf, start);
  const rd = afterOwner + 10;
  const [algorithm, o] = readName(buf, rd);
  const timeSigned = buf.readUInt16BE(o) * 2 ** 32 + buf.readUInt32BE(o + 2);
  const fudge = buf.readUInt16BE(o + 6);
  const macSize = buf.readUInt16BE(o + 8);
  const mac = buf.subarray(o + 10, o + 10 + macSize);
  let p = o + 10 + macSize;
  const originalId = buf.readUInt16BE(p);
  const error = buf.readUInt16BE(p + 2);
  const otherLen = buf.readUInt16BE(p + 4);
  const other = buf.subarray(p + 6, p + 6 + otherLen);
  p += 6 + otherLen;
  return { start, keyName, algorithm, timeSigned, fudge, mac, originalId, error, other };
}

function time48(t: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(Math.floor(t / 2 ** 32), 0); b.writeUInt32BE(t % 2 ** 32, 2);
  return b;
}

function variables(keyName: string, algorithm: string, timeSigned: number, fudge: number, error: number, other: Buffer): Buffer {
  const cls = Buffer.alloc(6); cls.writeUInt16BE(CLASS_ANY, 0); // class ANY, TTL 0
  const tail = Buffer.alloc(6); tail.writeUInt16BE(fudge, 0); tail.writeUInt16BE(error, 2); tail.writeUInt16BE(other.length, 4);
  return Buffer.concat([nameWire(keyName), cls, nameWire(algorithm), time48(timeSigned), tail, other]);
}

function timers(timeSigned: number, fudge: number): Buffer {
  const f = Buffer.alloc(2); f.writeUInt16BE(fudge, 0);
  return Buffer.concat([time48(timeSigned), f]);
}

/** The message as it was before the TSIG RR was added: without it, ARCOUNT one less, the original ID. */
function unsigned(buf: Buffer, tsig: TsigRecord): Buffer {
  const m = Buffer.from(buf.subarray(0, tsig.start));
  m.writeUInt16BE(tsig.originalId, 0);
  m.writeUInt16BE(m.readUInt16BE(10) - 1, 10);
  return m;
}

export type TsigCheck = { ok: true; key: TsigKey; mac: Buffer } | { ok: false; error: number; keyName: string };

export function verifyRequest(buf: Buffer, tsig: TsigRecord, keys: TsigKey[], now: number): TsigCheck {
  const key = keys.find((k) => k.name === tsig.keyName);
  if (!key || tsig.algorithm !== HMAC_SHA256) return { ok: false, error: TSIG_ERR.BADKEY, keyName: tsig.keyName };
  const expected = createHmac('sha256', key.secret)
    .update(unsigned(buf, tsig)).update(variables(tsig.keyName, tsig.algorithm, tsig.timeSigned, tsig.fudge, tsig.error, tsig.other)).digest();
  if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) return { ok: false, error: TSIG_ERR.BADSIG, keyName: tsig.keyName };
  if (Math.abs(now - tsig.timeSigned) > tsig.fudge) return { ok: false, error: TSIG_ERR.BADTIME, keyName: tsig.keyName };
  return { ok: true, key, mac: tsig.mac };
}

/** Signs the messages of one answer in order (RFC 8945 §5.3, §5.3.1). */
export class TsigSigner {
  private prior: Buffer;
  private first = true;

  constructor(private readonly key: TsigKey, requestMac: Buffer, private readonly now: () => number, private readonly fudge = 300) {
    this.prior = requestMac;
  }

  sign(msg: Buffer): Buffer {
    const t = this.now();
    const size = Buffer.alloc(2); size.writeUInt16BE(this.prior.length, 0);
    const h = createHmac('sha256', this.key.secret).update(size).update(this.prior).update(msg);
    h.update(this.first ? variables(this.key.name, HMAC_SHA256, t, this.fudge, 0, Buffer.alloc(0)) : timers(t, this.fudge));
    const mac = h.digest();
    this.first = false;
    this.prior = mac;
    return appendTsig(msg, this.key.name, t, this.fudge, mac, 0);
  }
}

/** Appends a TSIG RR (with the given MAC, possibly empty for unsigned errors) and counts it in ARCOUNT. */
export function appendTsig(msg: Buffer, keyName: string, timeSigned: number, fudge: number, mac: Buffer, error: number): Buffer {
  const alg = nameWire(HMAC_SHA256);
  const rdata = Buffer.concat([alg, time48(timeSigned), Buffer.from([fudge >> 8, fudge & 0xff, mac.length >> 8, mac.length & 0xff]), mac,
    Buffer.from([msg[0]!, msg[1]!, error >> 8, error & 0xff, 0, 0])]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(T.TSIG, 0); fixed.writeUInt16BE(CLASS_ANY, 2); fixed.writeUInt32BE(0, 4); fixed.writeUInt16BE(rdata.length, 8);
  const out = Buffer.concat([msg, nameWire(keyName), fixed, rdata]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return out;
}

/** Signs a request (a NOTIFY we send, RFC 8945 §4.3.3): the MAC over the message and the TSIG variables. */
export function signRequest(msg: Buffer, key: TsigKey, now: number, fudge = 300): { message: Buffer; mac: Buffer } {
  const mac = createHmac('sha256', key.secret).update(msg).update(variables(key.name, HMAC_SHA256, now, fudge, 0, Buffer.alloc(0))).digest();
  return { message: appendTsig(msg, key.name, now, fudge, mac, 0), mac };
}

/**
 * Checks the TSIG of an answer to a request we signed (§5.3.2): the MAC over the request's MAC, the answer
 * as it was before the TSIG was added and the TSIG variables. An error in the TSIG (BADKEY...) fails too.
 */
export function verifyResponse(buf: Buffer, tsig: TsigRecord | null, key: TsigKey, requestMac: Buffer, now: number): boolean {
  if (!tsig || tsig.keyName !== key.name || tsig.algorithm !== HMAC_SHA256 || tsig.error !== 0) return false;
  const size = Buffer.alloc(2); size.writeUInt16BE(requestMac.length, 0);
  const expected = createHmac('sha256', key.secret).update(size).update(requestMac).update(unsigned(buf, tsig))
    .update(variables(tsig.keyName, tsig.algorithm, tsig.timeSigned, tsig.fudge, tsig.error, tsig.other)).digest();
  if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) return false;
  return Math.abs(now - tsig.timeSigned) <= tsig.fudge;
}
