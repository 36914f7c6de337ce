// Incremental publication (issue 5): a batch of committed registry changes becomes one IXFR difference
// (RFC 1995) of the zone already served, instead of a rebuild. Two steps:
//  1. readChange (async): from the database, the wanted delegation (NS, DS) of each changed domain and the
//     wanted addresses of each host name whose glue may have changed — with the same rules as the full
//     build (build.ts), so that a full rebuild gives the same zone;
//  2. applyChange (synchronous, so a query never sees half a change): sets those RRsets, re-signs only the
//     RRsets that changed or whose status (authoritative / glue) changed, updates the NSEC3 (or NSEC) records
//     whose owner, type bitmap or next pointer changed, gives the SOA the new serial and returns the
//     difference: every RR (RRSIGs included) removed and added.
import { isIPv4 } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ZoneKey } from './keys.ts';
import { signRRset } from './sign.ts';
import { T, base32hex, bitmapTypes, compareNames, fromBase32hex, isSubdomain, parent, rdataA, rdataAAAA, rdataDs, rdataName, rdataNsec, rdataNsec3, readName, type RR } from './wire.ts';
import { UNPUBLISHED_STATUSES, zoneOf } from './build.ts';
import { SIGNING_TYPES, addShare, nsec3Hash, rrShare, type DnsConfig, type JournalEntry, type RRset, type Zone } from './zone-model.ts';

/** What the registry wants at some names of one zone. */
export interface ZoneChange {
  /** A changed domain: its delegation NS and DS (both empty when it is not published). */
  delegations: Map<string, { ns: Buffer[]; ds: Buffer[] }>;
  /**
   * A host name under the zone whose addresses may have changed: `glue` is published only below a
   * delegation (and only when a published domain of the zone uses the host), `apex` (our own servers from
   * configuration) always.
   */
  hosts: Map<string, { glue: string[]; apex: string[] }>;
}

/** Splits names by zone: the domains and host names that events touched. */
export interface Touched { domains: Set<string>; hosts: Set<string> }

/**
 * Reads what the registry wants for the touched names of zone `origin`. Host names to re-check are the
 * touched hosts, the in-zone name servers of the touched domains before (from the served zone) and after,
 * and every name below a touched domain (its status may change from glue to nothing or back).
 */
export async function readChange(db: Kysely<Database>, zone: Zone, allZones: string[], touched: Touched, config: DnsConfig): Promise<ZoneChange> {
  const origin = zone.origin;
  const inZone = (host: string) => host !== origin && zoneOf(host, allZones) === origin;
  const delegations = new Map<string, { ns: Buffer[]; ds: Buffer[] }>();
  const hostNames = new Set([...touched.hosts].filter(inZone));
  const domains = [...touched.domains].filter((d) => d !== origin && zoneOf(d, allZones) === origin);
  if (domains.length > 0) {
    const rows = await db.selectFrom('domains').select(['id', 'name', 'statuses']).where('zone', '=', origin)
      .where('deleted_at', 'is', null).where('name', 'in', domains).execute();
    const live = rows.filter((d) => !d.statuses.some((s) => UNPUBLISHED_STATUSES.includes(s)));
    const ids = live.map((d) => d.id);
    const [ns, ds] = ids.length === 0 ? [[], []] : await Promise.all([
      db.selectFrom('domain_hosts').innerJoin('hosts', 'hosts.id', 'domain_hosts.host_id')
        .select(['domain_hosts.domain_id', 'hosts.name']).where('domain_hosts.domain_id', 'in', ids).execute(),
      db.selectFrom('domain_ds').select(['domain_id', 'key_tag', 'algorithm', 'digest_type', 'digest']).where('domain_id', 'in', ids).execute(),
    ]);
    for (const d of domains) delegations.set(d, { ns: [], ds: [] });
    for (const d of live) {
      const hosts = ns.filter((h) => h.domain_id === d.id);
      if (hosts.length === 0) continue;
      delegations.set(d.name, {
        ns: hosts.map((h) => rdataName(h.name)),
        ds: ds.filter((r) => r.domain_id === d.id).map((r) => rdataDs(r.key_tag, r.algorithm, r.digest_type, Buffer.from(r.digest, 'hex'))),
      });
      for (const h of hosts) if (inZone(h.name)) hostNames.add(h.name);
    }
    for (const d of domains) {
      for (const rd of zone.get(d, T.NS)?.rdatas ?? []) { const h = readName(rd, 0)[0]; if (inZone(h)) hostNames.add(h); }
      for (const n of zone.descendants(d)) hostNames.add(n);
      for (const s of config.servers) if (isSubdomain(s.name, d) && inZone(s.name)) hostNames.add(s.name);
    }
    // Hosts below the touched domains (subordinate, RFC 5732), whoever uses them (e.g. ns1.beta.az used by gamma.az).
    if (rows.length) {
      const below = await db.selectFrom('hosts').select('name').where('deleted_at', 'is', null).where('superordinate_domain_id', 'in', rows.map((d) => d.id)).execute();
      for (const h of below) if (inZone(h.name)) hostNames.add(h.name);
    }
  }
  const hosts = new Map<string, { glue: string[]; apex: string[] }>();
  for (const h of hostNames) hosts.set(h, { glue: [], apex: config.servers.find((s) => s.name === h)?.addresses ?? [] });
  if (hostNames.size > 0) {
    // A host's addresses are glue when a published domain of this zone uses it (build.ts does the same).
    const used = await db.selectFrom('hosts').innerJoin('domain_hosts', 'domain_hosts.host_id', 'hosts.id').innerJoin('domains', 'domains.id', 'domain_hosts.domain_id')
      .select(['hosts.name', 'hosts.addresses', 'domains.statuses']).where('hosts.name', 'in', [...hostNames]).where('hosts.deleted_at', 'is', null)
      .where('domains.zone', '=', origin).where('domains.deleted_at', 'is', null).execute();
    for (const u of used) {
      if (u.statuses.some((s) => UNPUBLISHED_STATUSES.includes(s))) continue;
      const h = hosts.get(u.name)!;
      h.glue = [...new Set([...h.glue, ...u.addresses])];
    }
  }
  return { delegations, hosts };
}

function sameRdatas(a: Buffer[], b: Buffer[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => y.equals(x)));
}

function copyNode(node: Map<number, RRset> | undefined): Map<number, RRset> {
  const out = new Map<number, RRset>();
  for (const [t, s] of node ?? []) out.set(t, { ttl: s.ttl, rdatas: [...s.rdatas], sigs: [...s.sigs] });
  return out;
}

function dedupe(rdatas: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const r of rdatas) if (!out.some((x) => x.equals(r))) out.push(r);
  return out;
}

function insertSorted<T>(arr: T[], v: T, cmp: (a: T, b: T) => number): void {
  let lo = 0; let hi = arr.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(arr[mid]!, v) < 0) lo = mid + 1; else hi = mid; }
  if (arr[lo] !== undefined && cmp(arr[lo]!, v) === 0) return;
  arr.splice(lo, 0, v);
}

function indexOfSorted<T>(arr: T[], v: T, cmp: (a: T, b: T) => number): number {
  let lo = 0; let hi = arr.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(arr[mid]!, v) < 0) lo = mid + 1; else hi = mid; }
  return lo < arr.length && cmp(arr[lo]!, v) === 0 ? lo : -lo - 1;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface ApplyOptions { serial: number; now: Date; validity: number; ttl: number; inceptionSkew?: number }

/**
 * Applies a change to the signed zone in place and returns the difference, or null when nothing changed
 * (the serial then stays). Synchronous on purpose: the server never sees a half-applied change.
 */
export function applyChange(zone: Zone, change: ZoneChange, keys: ZoneKey[], opts: ApplyOptions): JournalEntry | null {
  const origin = zone.origin;
  const zsk = keys.find((k) => k.role === 'zsk' && k.state === 'active');
  if (!zsk) throw new Error(`zone ${origin} has no active ZSK`);
  const now = Math.floor(opts.now.getTime() / 1000);
  const inception = now - (opts.inceptionSkew ?? 3600);
  const expiration = now + opts.validity;
  const before = new Map<string, Map<number, RRset>>();
  const snap = (name: string) => { if (!before.has(name)) before.set(name, copyNode(zone.nodes.get(name))); };
  const set = (name: string, type: number, rdatas: Buffer[]): boolean => {
    const cur = zone.get(name, type);
    const want = dedupe(rdatas);
    if (cur ? cur.ttl === opts.ttl && sameRdatas(cur.rdatas, want) : want.length === 0) return false;
    snap(name);
    zone.setRRset(name, type, opts.ttl, want);
    return true;
  };

  // 1. Delegations; a name that becomes or stops being a cut changes the status of all below it.
  const statusRoots: string[] = [];
  for (const [name, d] of change.delegations) {
    const wasCut = zone.cuts.has(name);
    set(name, T.NS, d.ns);
    set(name, T.DS, d.ns.length ? d.ds : []);
    if (wasCut !== zone.cuts.has(name)) statusRoots.push(name);
  }
  // 2. Addresses, once the cuts are known: glue only below a delegation.
  for (const [name, h] of change.hosts) {
    const addrs = [...h.apex, ...(zone.cutAbove(name) !== null ? h.glue : [])];
    set(name, T.A, addrs.filter((a) => isIPv4(a)).map(rdataA));
    set(name, T.AAAA, addrs.filter((a) => !isIPv4(a)).map(rdataAAAA));
  }
  for (const root of statusRoots) for (const n of zone.descendants(root)) snap(n);
  if (before.size === 0) return null;

  // 3. Signatures of the data RRsets at the touched names: set() dropped those of changed RRsets.
  const mustSign = (name: string, type: number) => zone.isAuthoritative(name) && (!zone.cuts.has(name) || type === T.DS || type === T.NSEC);
  const sign = (name: string, type: number, s: RRset) => { s.sigs = [signRRset(zone, name, type, s, zsk, inception, expiration)]; };
  for (const name of before.keys()) {
    for (const [type, s] of zone.nodes.get(name) ?? []) {
      if (type === T.NSEC || type === T.NSEC3) continue;
      if (!mustSign(name, type)) s.sigs = [];
      else if (s.sigs.length === 0) sign(name, type, s);
    }
  }

  // 4. Empty non-terminals and the denial chain, for the touched names and their ancestors.
  const candidates = new Set<string>();
  for (const name of [...before.keys()]) for (let n = name; n !== origin && isSubdomain(n, origin); n = parent(n)) candidates.add(n);
  const hasData = (n: string) => [...(zone.nodes.get(n)?.keys() ?? [])].some((t) => t !== T.NSEC && t !== T.NSEC3);
  const authoritativeData = (n: string) => hasData(n) && zone.isAuthoritative(n);
  for (const c of candidates) {
    const ent = !hasData(c) && zone.descendants(c).some(authoritativeData);
    if (ent) zone.ents.add(c); else zone.ents.delete(c);
  }
  const negTtl = zone.negativeTtl();
  if (zone.nsec3) {
    const param = zone.nsec3;
    const optOut = zone.denial === 'nsec3-optout';
    const wanted = new Map<string, number[] | null>();
    for (const c of candidates) {
      const h = base32hex(nsec3Hash(c, param));
      let types: number[] | null = null;
      if (zone.ents.has(c)) types = [];
      else if (authoritativeData(c)) {
        const isCut = zone.cuts.has(c);
        const hasDs = isCut && zone.get(c, T.DS) !== undefined;
        if (isCut) types = optOut && !hasDs ? null : hasDs ? [T.NS, T.DS, T.RRSIG] : [T.NS];
        else types = [...zone.nodes.get(c)!.keys(), T.RRSIG];
      }
      wanted.set(h, types);
    }
    const hashes = zone.nsec3Hashes;
    const dirty = new Set<string>();
    const removedAt: string[] = [];
    for (const [h, types] of wanted) {
      const present = indexOfSorted(hashes, h, cmpStr) >= 0;
      if (types && !present) { insertSorted(hashes, h, cmpStr); dirty.add(h); }
      else if (!types && present) { hashes.splice(indexOfSorted(hashes, h, cmpStr), 1); snap(zone.nsec3Owner(h)); zone.remove(zone.nsec3Owner(h)); removedAt.push(h); }
      else if (types) dirty.add(h);
    }
    // The predecessor of an inserted or removed hash gets a new "next hashed owner".
    const pred = (h: string) => { const i = indexOfSorted(hashes, h, cmpStr); const at = i >= 0 ? i : -i - 1; return hashes[(at - 1 + hashes.length) % hashes.length]!; };
    for (const h of [...dirty, ...removedAt]) if (hashes.length) dirty.add(pred(h));
    for (const h of dirty) {
      const owner = zone.nsec3Owner(h);
      const i = indexOfSorted(hashes, h, cmpStr);
      const next = fromBase32hex(hashes[(i + 1) % hashes.length]!);
      const cur = zone.get(owner, T.NSEC3);
      const types = wanted.get(h) ?? (cur ? bitmapTypes(cur.rdatas[0]!.subarray(6 + cur.rdatas[0]![4]! + cur.rdatas[0]![5 + cur.rdatas[0]![4]!]!)) : []);
      const rd = rdataNsec3(param, next, types);
      if (cur && cur.rdatas[0]!.equals(rd) && cur.ttl === negTtl) continue;
      snap(owner);
      zone.setRRset(owner, T.NSEC3, negTtl, [rd]);
      sign(owner, T.NSEC3, zone.get(owner, T.NSEC3)!);
    }
  } else {
    const names = zone.nsecNames;
    const dirty = new Set<string>();
    const removedAt: string[] = [];
    for (const c of candidates) {
      const want = authoritativeData(c);
      const present = indexOfSorted(names, c, compareNames) >= 0;
      if (want && !present) { insertSorted(names, c, compareNames); dirty.add(c); }
      else if (!want && present) {
        names.splice(indexOfSorted(names, c, compareNames), 1);
        if (zone.get(c, T.NSEC)) { snap(c); zone.remove(c, T.NSEC); }
        removedAt.push(c);
      } else if (want) dirty.add(c);
    }
    const pred = (n: string) => { const i = indexOfSorted(names, n, compareNames); const at = i >= 0 ? i : -i - 1; return names[(at - 1 + names.length) % names.length]!; };
    for (const n of [...dirty, ...removedAt]) if (names.length) dirty.add(pred(n));
    for (const n of dirty) {
      const i = indexOfSorted(names, n, compareNames);
      const isCut = zone.cuts.has(n);
      const own = [...zone.nodes.get(n)!.keys()].filter((t) => t !== T.NSEC && (!isCut || t === T.NS || t === T.DS));
      const rd = rdataNsec(names[(i + 1) % names.length]!, [...own, T.NSEC, T.RRSIG]);
      const cur = zone.get(n, T.NSEC);
      if (cur && cur.rdatas[0]!.equals(rd) && cur.ttl === negTtl) continue;
      snap(n);
      zone.setRRset(n, T.NSEC, negTtl, [rd]);
      sign(n, T.NSEC, zone.get(n, T.NSEC)!);
    }
  }

  // 5. The SOA with the new serial.
  snap(origin);
  const soa = zone.get(origin, T.SOA)!;
  const fromSoa = soa.rdatas[0]!;
  const toSoa = Buffer.from(fromSoa);
  toSoa.writeUInt32BE(opts.serial >>> 0, toSoa.length - 20);
  soa.rdatas = [toSoa];
  sign(origin, T.SOA, soa);
  const from = zone.serial;
  zone.serial = opts.serial >>> 0;

  // 6. The difference, RR by RR; the content sum follows the unsigned RRs.
  const removed: RR[] = [];
  const added: RR[] = [];
  const rrsOf = (name: string, node: Map<number, RRset>): RR[] => {
    const out: RR[] = [];
    for (const [type, s] of node) {
      if (type !== T.SOA) for (const rdata of s.rdatas) out.push({ name, type, ttl: s.ttl, rdata });
      for (const rdata of s.sigs) out.push({ name, type: T.RRSIG, ttl: s.ttl, rdata });
    }
    return out;
  };
  const key = (rr: RR) => `${rr.type}|${rr.ttl}|${rr.rdata.toString('base64')}`;
  for (const [name, old] of before) {
    const a = rrsOf(name, old);
    const b = rrsOf(name, zone.nodes.get(name) ?? new Map());
    const ka = new Set(a.map(key));
    const kb = new Set(b.map(key));
    for (const rr of a) if (!kb.has(key(rr))) { removed.push(rr); if (!SIGNING_TYPES.has(rr.type)) zone.contentSum = addShare(zone.contentSum, rrShare(rr.name, rr.type, rr.ttl, rr.rdata), -1); }
    for (const rr of b) if (!ka.has(key(rr))) { added.push(rr); if (!SIGNING_TYPES.has(rr.type)) zone.contentSum = addShare(zone.contentSum, rrShare(rr.name, rr.type, rr.ttl, rr.rdata), 1); }
  }
  return { from, to: zone.serial, fromSoa, toSoa, removed, added };
}
