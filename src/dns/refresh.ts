// Incremental signature refresh (issue 5): RRSIGs that come within DOMEN_DNS_SIG_REFRESH_DAYS of expiry are
// re-signed a slice at a time, each slice one small IXFR difference (old RRSIGs out, new ones in, the SOA
// with the next serial), instead of a full re-sign that every secondary would take by AXFR. The slices are
// sized so that every RRSIG in the window is renewed before half of the window has passed: a zone signed at
// once (a full build) is renewed over days, in differences of a few hundred RRsets, and the renewed
// signatures then expire spread out as well.
import { signRRset } from './sign.ts';
import type { ZoneKey } from './keys.ts';
import { T, type RR } from './wire.ts';
import type { JournalEntry, RRset, Zone } from './zone-model.ts';

export interface Expiring { count: number; earliest: number }

/** Signing is synchronous here (a query never sees half a slice): ~1 s of signing at most per slice. */
const MAX_SLICE = 20_000;

const expiry = (set: RRset): number => {
  let min = Infinity;
  for (const s of set.sigs) min = Math.min(min, s.readUInt32BE(8));
  return min;
};

/** How many signed RRsets expire within `window` seconds after `now` (seconds), and the earliest expiry. */
export function expiring(zone: Zone, now: number, window: number): Expiring {
  let count = 0;
  let earliest = Infinity;
  for (const node of zone.nodes.values()) {
    for (const set of node.values()) {
      if (set.sigs.length === 0) continue;
      const e = expiry(set);
      if (e - now < window) count++;
      if (e < earliest) earliest = e;
    }
  }
  return { count, earliest };
}

/**
 * The size of the next slice: at least `minBatch`, and enough that the `count` RRsets in the window are all
 * renewed by half the window before the earliest expiry, at one slice every `everySeconds`.
 */
export function sliceSize(e: Expiring, now: number, window: number, everySeconds: number, minBatch: number): number {
  if (e.count === 0) return 0;
  const slots = Math.floor((e.earliest - now - window / 2) / Math.max(1, everySeconds));
  // Behind schedule (slots <= 0): as many as one slice can sign without holding the server up for long.
  const most = Math.max(minBatch, MAX_SLICE);
  return Math.min(e.count, most, slots <= 0 ? e.count : Math.max(minBatch, Math.ceil(e.count / slots)));
}

export interface RefreshOptions { serial: number; now: Date; validity: number; window: number; limit: number; inceptionSkew?: number }

/**
 * Re-signs the `limit` RRsets whose signatures expire soonest within the window, and the SOA with the new
 * serial; returns the difference (RRSIGs and SOA only), or null when nothing is due. Synchronous, like
 * applyChange: a query never sees half of it.
 */
export function refreshSignatures(zone: Zone, keys: ZoneKey[], opts: RefreshOptions): JournalEntry | null {
  const ksk = keys.find((k) => k.role === 'ksk' && k.state === 'active');
  const zsk = keys.find((k) => k.role === 'zsk' && k.state === 'active');
  if (!ksk || !zsk) throw new Error(`zone ${zone.origin} has no active KSK and ZSK`);
  const now = Math.floor(opts.now.getTime() / 1000);
  const due: { name: string; type: number; set: RRset; at: number }[] = [];
  for (const [name, node] of zone.nodes) {
    for (const [type, set] of node) {
      if (set.sigs.length === 0 || (name === zone.origin && type === T.SOA)) continue;
      const at = expiry(set);
      if (at - now < opts.window) due.push({ name, type, set, at });
    }
  }
  if (due.length === 0) return null;
  due.sort((a, b) => a.at - b.at);
  const inception = now - (opts.inceptionSkew ?? 3600);
  const expiration = now + opts.validity;
  const removed: RR[] = [];
  const added: RR[] = [];
  const resign = (name: string, type: number, set: RRset) => {
    for (const rdata of set.sigs) removed.push({ name, type: T.RRSIG, ttl: set.ttl, rdata });
    const byKsk = type === T.DNSKEY || type === T.CDS || type === T.CDNSKEY;
    set.sigs = [signRRset(zone, name, type, set, byKsk ? ksk : zsk, inception, expiration)];
    for (const rdata of set.sigs) added.push({ name, type: T.RRSIG, ttl: set.ttl, rdata });
  };
  for (const d of due.slice(0, Math.max(1, opts.limit))) resign(d.name, d.type, d.set);
  // The SOA: new serial, new signature.
  const soa = zone.get(zone.origin, T.SOA)!;
  const fromSoa = soa.rdatas[0]!;
  const toSoa = Buffer.from(fromSoa);
  toSoa.writeUInt32BE(opts.serial >>> 0, toSoa.length - 20);
  soa.rdatas = [toSoa];
  resign(zone.origin, T.SOA, soa);
  const from = zone.serial;
  zone.serial = opts.serial >>> 0;
  return { from, to: zone.serial, fromSoa, toSoa, removed, added };
}
