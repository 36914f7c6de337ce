// DNSSEC signing of a built zone (RFC 4033-4035): DNSKEY (and CDS/CDNSKEY, RFC 7344) at the apex, the
// denial-of-existence chain (NSEC, RFC 4034 §4; or NSEC3 with iterations 0 and no salt, RFC 5155 and
// RFC 9276, opt-out selectable), and an RRSIG over every authoritative RRset: the DNSKEY RRset (and
// CDS/CDNSKEY) by the KSK, everything else by the ZSK. Delegation NS RRsets and glue are not signed.
import { signData, verifyData, dsFor, inDnskeySet, type ZoneKey } from './keys.ts';
import { signMany } from './sign-pool.ts';
import { T, base32hex, compareNames, fromBase32hex, labels, nameWire, parent, rdataNsec, rdataNsec3, rdataNsec3Param, type Nsec3Param } from './wire.ts';
import { nsec3Hash, type RRset, type Zone } from './zone-model.ts';

export interface SignOptions {
  now: Date; validity: number; cds: boolean; inceptionSkew?: number;
  /** The RRSIGs the zone was served with at this serial (snapshot.ts): used instead of signing anew. */
  stored?: Map<string, Buffer[]>;
}

/** RRSIG RDATA without the signature (RFC 4034 §3.1.8.1): the first part of the signed data. */
function rrsigHead(type: number, algorithm: number, labelCount: number, ttl: number, inception: number, expiration: number, keyTagValue: number, signer: string): Buffer {
  const h = Buffer.alloc(18);
  h.writeUInt16BE(type, 0); h[2] = algorithm; h[3] = labelCount; h.writeUInt32BE(ttl >>> 0, 4);
  h.writeUInt32BE(expiration >>> 0, 8); h.writeUInt32BE(inception >>> 0, 12); h.writeUInt16BE(keyTagValue, 16);
  return Buffer.concat([h, nameWire(signer)]);
}

/** The RRs of an RRset in canonical form and order (RFC 4034 §6.2, §6.3). */
export function canonicalRRset(owner: string, type: number, ttl: number, rdatas: Buffer[]): Buffer {
  const ownerWire = nameWire(owner);
  const parts: Buffer[] = [];
  for (const rd of [...rdatas].sort(Buffer.compare)) {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(type, 0); fixed.writeUInt16BE(1, 2); fixed.writeUInt32BE(ttl >>> 0, 4); fixed.writeUInt16BE(rd.length, 8);
    parts.push(ownerWire, fixed, rd);
  }
  return Buffer.concat(parts);
}

export function signRRset(zone: Zone, owner: string, type: number, set: RRset, key: ZoneKey, inception: number, expiration: number): Buffer {
  const head = rrsigHead(type, key.algorithm, labels(owner).filter((l) => l !== '*').length, set.ttl, inception, expiration, key.keyTag, zone.origin);
  const signature = signData(key.privateKey, Buffer.concat([head, canonicalRRset(owner, type, set.ttl, set.rdatas)]));
  return Buffer.concat([head, signature]);
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

/** Names that own authoritative data or are delegation points, plus the empty non-terminals above them. */
function chainNames(zone: Zone): { names: string[]; ents: Set<string> } {
  const names = new Set<string>();
  const ents = new Set<string>();
  for (const name of zone.nodes.keys()) {
    if (!zone.isAuthoritative(name)) continue;
    names.add(name);
  }
  for (const name of names) {
    let p = name;
    while (p !== zone.origin) {
      p = parent(p);
      if (!names.has(p) && !zone.nodes.has(p)) ents.add(p);
    }
  }
  return { names: [...names], ents };
}

function typesAt(zone: Zone, name: string): number[] {
  return [...(zone.nodes.get(name)?.keys() ?? [])];
}

/** Adds the key material at the apex and the denial-of-existence chain; returns the keys that sign. */
function prepare(zone: Zone, keys: ZoneKey[], opts: SignOptions): { activeKsk: ZoneKey; activeZsk: ZoneKey } {
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
  const { names, ents } = chainNames(zone);
  zone.ents = ents;
  if (zone.denial === 'nsec') {
    const sorted = names.sort(compareNames);
    sorted.forEach((name, i) => {
      const next = sorted[(i + 1) % sorted.length]!;
      const isCut = zone.cuts.has(name);
      const own = typesAt(zone, name).filter((t) => !isCut || t === T.NS || t === T.DS);
      zone.add(name, T.NSEC, negTtl, rdataNsec(next, [...own, T.NSEC, T.RRSIG]));
    });
    zone.nsecNames = sorted;
    zone.nsec3 = null;
    zone.nsec3Hashes = [];
  } else {
    const optOut = zone.denial === 'nsec3-optout';
    const param: Nsec3Param = { algorithm: 1, flags: optOut ? 1 : 0, iterations: 0, salt: Buffer.alloc(0) };
    zone.nsec3 = param;
    zone.add(origin, T.NSEC3PARAM, 0, rdataNsec3Param(param));
    const entries: { hash: string; types: number[] }[] = [];
    for (const name of [...names, ...ents]) {
      const isCut = zone.cuts.has(name);
      const hasDs = isCut && zone.get(name, T.DS) !== undefined;
      if (isCut && optOut && !hasDs) continue;
      let types: number[];
      if (ents.has(name)) types = [];
      else if (isCut) types = hasDs ? [T.NS, T.DS, T.RRSIG] : [T.NS];
      else types = [...typesAt(zone, name), T.RRSIG];
      entries.push({ hash: base32hex(nsec3Hash(name, param)), types });
    }
    entries.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    entries.forEach((e, i) => {
      const next = entries[(i + 1) % entries.length]!.hash;
      zone.add(zone.nsec3Owner(e.hash), T.NSEC3, negTtl, rdataNsec3(param, fromBase32hex(next), e.types));
    });
    zone.nsec3Hashes = entries.map((e) => e.hash);
    zone.nsecNames = [];
  }

  return { activeKsk, activeZsk };
}

/** Every RRset that gets an RRSIG: authoritative data, and at a cut only DS and NSEC (RFC 4035 §2.2). */
function* signedRRsets(zone: Zone): Generator<{ name: string; type: number; set: RRset; byKsk: boolean }> {
  for (const [name, node] of zone.nodes) {
    if (!zone.isAuthoritative(name)) continue;
    const isCut = zone.cuts.has(name);
    for (const [type, set] of node) {
      if (isCut && type !== T.DS && type !== T.NSEC) continue;
      yield { name, type, set, byKsk: type === T.DNSKEY || type === T.CDS || type === T.CDNSKEY };
    }
  }
}

/** The stored signatures (snapshot.ts) in place of new ones: exactly one unexpired set for every RRset that needs one. */
function useStored(zone: Zone, stored: Map<string, Buffer[]>, now: number): boolean {
  let used = 0;
  for (const { name, type, set } of signedRRsets(zone)) {
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
  const { activeKsk, activeZsk } = prepare(zone, keys, opts);
  const { now, inception, expiration } = validity(opts);
  if (opts.stored) return useStored(zone, opts.stored, now);
  for (const { name, type, set, byKsk } of signedRRsets(zone)) set.sigs = [signRRset(zone, name, type, set, byKsk ? activeKsk : activeZsk, inception, expiration)];
  zone.signed = true;
  return true;
}

/** signZone for full builds: the signatures made on every core (sign-pool.ts), 50,000 at a time. */
export async function signZoneParallel(zone: Zone, keys: ZoneKey[], opts: SignOptions): Promise<boolean> {
  const { activeKsk, activeZsk } = prepare(zone, keys, opts);
  const { now, inception, expiration } = validity(opts);
  if (opts.stored) return useStored(zone, opts.stored, now);
  let batch: { set: RRset; head: Buffer; data: Buffer; key: ZoneKey }[] = [];
  const flush = async () => {
    const sigs = await signMany(batch.map((b) => ({ key: b.key.privateKey, data: b.data })));
    batch.forEach((b, i) => { b.set.sigs = [Buffer.concat([b.head, sigs[i]!])]; });
    batch = [];
  };
  for (const { name, type, set, byKsk } of signedRRsets(zone)) {
    const key = byKsk ? activeKsk : activeZsk;
    const head = rrsigHead(type, key.algorithm, labels(name).filter((l) => l !== '*').length, set.ttl, inception, expiration, key.keyTag, zone.origin);
    batch.push({ set, head, data: Buffer.concat([head, canonicalRRset(name, type, set.ttl, set.rdatas)]), key });
    if (batch.length >= 50_000) await flush();
  }
  await flush();
  zone.signed = true;
  return true;
}

/** The earliest RRSIG expiration in the zone (seconds since the epoch), for the refresh timer. */
export function earliestExpiration(zone: Zone): number {
  let min = Infinity;
  for (const node of zone.nodes.values()) for (const set of node.values()) for (const s of set.sigs) min = Math.min(min, s.readUInt32BE(8));
  return min;
}
