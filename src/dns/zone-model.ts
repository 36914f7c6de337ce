// The in-memory zone: what one zone ('az', 'com.az', ...) publishes, as RRsets of canonical RDATA, with the
// delegation points (cuts) marked and, once signed, the RRSIGs beside each RRset and the NSEC/NSEC3 chain
// indexed for the server's denial proofs. The server answers from this only, never from registry tables.
import { createHash, hash as oneShotHash } from 'node:crypto';
import { T, base32hex, compareNames, isSubdomain, nameWire, parent, soaMinimum, type Nsec3Param, type RR } from './wire.ts';
import { parseTsigKeys, type TsigKey } from './tsig.ts';

export type Denial = 'nsec' | 'nsec3' | 'nsec3-optout';

export interface RRset { ttl: number; rdatas: Buffer[]; sigs: Buffer[] }

/** One IXFR difference (RFC 1995): from one serial to the next; the SOAs apart, RRSIGs included. */
export interface JournalEntry { from: number; to: number; fromSoa: Buffer; toSoa: Buffer; removed: RR[]; added: RR[] }

export class Zone {
  readonly nodes = new Map<string, Map<number, RRset>>();
  /** Delegation points: names below the apex with an NS RRset. */
  readonly cuts = new Set<string>();
  denial: Denial = 'nsec3';
  nsec3: Nsec3Param | null = null;
  /** NSEC3 owner hashes (base32hex, lower case), sorted; set when signed with NSEC3. */
  nsec3Hashes: string[] = [];
  /** Owner names with an NSEC record, in canonical order; set when signed with NSEC. */
  nsecNames: string[] = [];
  signed = false;
  serial = 0;
  /**
   * Names more than one label below the origin (glue, in-bailiwick apex servers), by the name one label below
   * the origin that they are under: the incremental publisher finds what is below a delegation without a scan.
   */
  readonly deep = new Map<string, Set<string>>();
  /** The IXFR differences that lead to the current serial, oldest first (kept in memory; see journal.ts). */
  journal: JournalEntry[] = [];
  /** Order-independent sum of the unsigned RRs (see contentDigest in build.ts), kept up to date by each change. */
  contentSum = 0n;

  constructor(readonly origin: string) {}

  /** The name one label below the origin that name is under, or null for the origin and its children. */
  private topOf(name: string): string | null {
    // No label arrays: this runs for every RR added (millions in a full build).
    const head = name.length - (this.origin === '' ? 0 : this.origin.length + 1);
    if (head <= 0) return null;
    const dot = name.lastIndexOf('.', head - 1);
    return dot < 0 ? null : name.slice(dot + 1);
  }

  private indexNode(name: string, present: boolean): void {
    const top = this.topOf(name);
    if (top === null) return;
    let set = this.deep.get(top);
    if (present) { if (!set) { set = new Set(); this.deep.set(top, set); } set.add(name); }
    else if (set) { set.delete(name); if (set.size === 0) this.deep.delete(top); }
  }

  /** Names with a node strictly below name (name not the origin). */
  descendants(name: string): string[] {
    const top = this.topOf(name) ?? name;
    return [...(this.deep.get(top) ?? [])].filter((n) => n !== name && isSubdomain(n, name));
  }

  /** Replaces (or with no RDATA removes) an RRset; its signatures are dropped. */
  setRRset(name: string, type: number, ttl: number, rdatas: Buffer[]): void {
    if (rdatas.length === 0) { this.remove(name, type); return; }
    let node = this.nodes.get(name);
    if (!node) { node = new Map(); this.nodes.set(name, node); this.indexNode(name, true); }
    node.set(type, { ttl, rdatas, sigs: [] });
    if (type === T.NS && name !== this.origin) this.cuts.add(name);
  }

  /** Adds one RR; duplicates are dropped (an RRset is a set, RFC 2181 §5). The TTL of the first RR wins. */
  add(name: string, type: number, ttl: number, rdata: Buffer): void {
    if (!isSubdomain(name, this.origin)) throw new Error(`${name} is outside zone ${this.origin}`);
    let node = this.nodes.get(name);
    if (!node) { node = new Map(); this.nodes.set(name, node); this.indexNode(name, true); }
    let set = node.get(type);
    if (!set) { set = { ttl, rdatas: [], sigs: [] }; node.set(type, set); }
    if (!set.rdatas.some((r) => r.equals(rdata))) set.rdatas.push(rdata);
    if (type === T.NS && name !== this.origin) this.cuts.add(name);
  }

  get(name: string, type: number): RRset | undefined { return this.nodes.get(name)?.get(type); }

  remove(name: string, type?: number): void {
    const node = this.nodes.get(name);
    if (!node) return;
    if (type === undefined) node.clear(); else node.delete(type);
    if (node.size === 0) { this.nodes.delete(name); this.indexNode(name, false); }
    if (type === undefined || type === T.NS) this.cuts.delete(name);
  }

  soaRdata(): Buffer {
    const s = this.get(this.origin, T.SOA);
    if (!s) throw new Error(`zone ${this.origin} has no SOA`);
    return s.rdatas[0]!;
  }

  soaTtl(): number { return this.get(this.origin, T.SOA)!.ttl; }

  /** RFC 9077: the TTL of negative answers and of NSEC/NSEC3 records. */
  negativeTtl(): number { return Math.min(this.soaTtl(), soaMinimum(this.soaRdata())); }

  /** The highest delegation point at or above name (below the apex), or null. */
  cutAbove(name: string): string | null {
    if (this.cuts.size === 0 || name === this.origin) return null;
    // Suffixes of name from the one just below the origin downwards (no label arrays: this is on every query).
    const stop = name.length - this.origin.length - (this.origin === '' ? 0 : 1);
    if (stop <= 0) return null;
    let i = name.lastIndexOf('.', stop - 1);
    for (;;) {
      const candidate = i < 0 ? name : name.slice(i + 1);
      if (this.cuts.has(candidate)) return candidate;
      if (i < 0) return null;
      i = name.lastIndexOf('.', i - 1);
    }
  }

  /** Is this name authoritative data of the zone (not glue, not below a cut)? Cuts themselves count. */
  isAuthoritative(name: string): boolean {
    const cut = this.cutAbove(name);
    return cut === null || cut === name;
  }

  /** Whether the name exists in the zone: it owns RRs, or it is an empty non-terminal of authoritative data. */
  exists(name: string): boolean {
    if (this.nodes.has(name)) return true;
    return this.ents.has(name);
  }

  /** Empty non-terminals (computed when signed). */
  ents = new Set<string>();

  /** RRs of the zone in canonical order (RFC 4034 §6.1, §6.3), SOA first: the order of zone files and AXFR. */
  *records(opts: { withSigs?: boolean } = {}): Generator<RR> {
    const withSigs = opts.withSigs ?? true;
    const soa = this.get(this.origin, T.SOA);
    if (soa) yield { name: this.origin, type: T.SOA, ttl: soa.ttl, rdata: soa.rdatas[0]! };
    const names = [...this.nodes.keys()].sort(compareNames);
    for (const name of names) {
      const node = this.nodes.get(name)!;
      for (const type of [...node.keys()].sort((a, b) => a - b)) {
        const set = node.get(type)!;
        if (!(name === this.origin && type === T.SOA)) for (const rdata of set.rdatas) yield { name, type, ttl: set.ttl, rdata };
        if (withSigs) for (const rdata of set.sigs) yield { name, type: T.RRSIG, ttl: set.ttl, rdata };
      }
    }
  }

  nsec3Owner(hash: string): string { return `${hash}.${this.origin}`; }

  /** Recent NSEC3 hashes by name: a referral or denial asks for the same few names (the cut, the apex) more than once. */
  private hashCache = new Map<string, string>();

  hashName(name: string): string {
    if (!this.nsec3) throw new Error('not an NSEC3 zone');
    let h = this.hashCache.get(name);
    if (h === undefined) {
      h = base32hex(nsec3Hash(name, this.nsec3));
      if (this.hashCache.size >= 4096) this.hashCache.clear();
      this.hashCache.set(name, h);
    }
    return h;
  }

  /** The NSEC3 owner whose hash equals that of name, or null. */
  nsec3Matching(name: string): string | null {
    // A binary search in the sorted hashes: no owner name to build and look up for the usual miss.
    const h = this.hashName(name);
    const hashes = this.nsec3Hashes;
    let lo = 0; let hi = hashes.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (hashes[mid]! < h) lo = mid + 1; else hi = mid; }
    return hashes[lo] === h ? this.nsec3Owner(h) : null;
  }

  /** The NSEC3 owner whose interval covers the hash of name (RFC 5155 §7.2.1). */
  nsec3Covering(name: string): string | null {
    const hashes = this.nsec3Hashes;
    if (hashes.length === 0) return null;
    const h = this.hashName(name);
    // The last hash below h; before the first one, the last (the chain wraps around).
    let lo = 0; let hi = hashes.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (hashes[mid]! < h) lo = mid + 1; else hi = mid; }
    const i = lo === 0 ? hashes.length - 1 : lo - 1;
    return this.nsec3Owner(hashes[i]!);
  }

  /** The NSEC owner whose interval covers name (the last owner not after it in canonical order). */
  nsecCovering(name: string): string | null {
    const names = this.nsecNames;
    if (names.length === 0) return null;
    let lo = 0; let hi = names.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (compareNames(names[mid]!, name) <= 0) lo = mid + 1; else hi = mid; }
    return names[lo === 0 ? names.length - 1 : lo - 1]!;
  }

  /** The closest encloser of a name that does not exist (RFC 5155 §7.2.1). */
  closestEncloser(name: string): string {
    let n = name;
    while (n !== this.origin) {
      n = parent(n);
      if (this.exists(n)) return n;
    }
    return this.origin;
  }
}

/** Types that signing adds: not part of the unsigned content. */
export const SIGNING_TYPES: ReadonlySet<number> = new Set([T.RRSIG, T.DNSKEY, T.CDS, T.CDNSKEY, T.NSEC, T.NSEC3, T.NSEC3PARAM]);

const SUM_MOD = 1n << 128n;
/**
 * The share of one unsigned RR in the zone's content sum: a multiset hash (the sum of 128-bit digests of
 * the RRs), so that adding or removing an RR updates it without reading the whole zone. The SOA serial
 * is left out, so the same data keeps the same sum whatever its serial.
 */
export function rrShare(name: string, type: number, ttl: number, rdata: Buffer): bigint {
  const data = type === T.SOA ? Buffer.concat([rdata.subarray(0, rdata.length - 20), rdata.subarray(rdata.length - 16)]) : rdata;
  const h = createHash('sha256').update(`${name}|${type}|${ttl}|`).update(data).digest();
  return BigInt('0x' + h.subarray(0, 16).toString('hex'));
}

export function addShare(sum: bigint, share: bigint, sign: 1 | -1): bigint {
  return ((sum + (sign === 1 ? share : SUM_MOD - share)) % SUM_MOD);
}

/** RFC 5155 §5: IH(salt, x, 0) = H(x || salt), then k more rounds. */
export function nsec3Hash(name: string, p: Nsec3Param): Buffer {
  if (p.iterations === 0 && p.salt.length === 0) return oneShotHash('sha1', nameWire(name), 'buffer'); // RFC 9276 parameters
  let h = createHash('sha1').update(nameWire(name)).update(p.salt).digest();
  for (let i = 0; i < p.iterations; i++) h = createHash('sha1').update(h).update(p.salt).digest();
  return h;
}

/** Name servers that answer for the zone's apex, from configuration; addresses only for in-bailiwick ones. */
export interface ApexServer { name: string; addresses: string[] }

export interface DnsConfig {
  /** SOA MNAME. */
  primary: string;
  /** SOA RNAME, as a domain name (hostmaster.nic.az). */
  rname: string;
  servers: ApexServer[];
  soa: { refresh: number; retry: number; expire: number; minimum: number };
  /** TTL of apex RRsets, delegations, DS and glue. */
  ttl: number;
  denial: Denial;
  /** RRSIG validity and the time before expiry when signatures are renewed. */
  signatureValidity: number;
  signatureRefresh: number;
  /** The least number of RRsets a signature-refresh difference re-signs (refresh.ts). */
  refreshBatch: number;
  /** Publish CDS/CDNSKEY (RFC 7344) for the zone's KSK. */
  cds: boolean;
  /** Source addresses allowed to AXFR; empty: loopback only. */
  transferAcl: string[];
  /** Secondaries sent NOTIFY when a zone's serial changes: `host@port` (port 53 when left out), `/keyname` to sign it with TSIG. */
  notify: string[];
  /** TSIG keys that AXFR/IXFR require when any is set (DOMEN_DNS_TSIG). */
  tsigKeys: TsigKey[];
}

function parseServers(spec: string): ApexServer[] {
  return spec.split(/[\s,]+/).filter(Boolean).map((entry) => {
    const [name, addrs] = entry.split('=') as [string, string | undefined];
    return { name: name.toLowerCase().replace(/\.$/, ''), addresses: addrs ? addrs.split('|').filter(Boolean) : [] };
  });
}

/**
 * From the environment:
 * - DOMEN_DNS_NS: the apex name servers, comma-separated, each `name` or `name=addr|addr` (addresses are
 *   published, as glue or as authoritative data, only for names under the zone); default
 *   `ns1.nic.TLD=127.0.0.1,ns2.nic.TLD=127.0.0.2`;
 * - DOMEN_DNS_PRIMARY (SOA MNAME, default the first server), DOMEN_DNS_RNAME (default hostmaster.nic.TLD);
 * - DOMEN_DNS_SOA: `refresh retry expire minimum` (default 1800 900 1209600 3600), DOMEN_DNS_TTL (3600);
 * - DOMEN_DNS_DENIAL: nsec3 (default), nsec3-optout or nsec;
 * - DOMEN_DNS_SIG_VALIDITY_DAYS (14), DOMEN_DNS_SIG_REFRESH_DAYS (7), DOMEN_DNS_CDS (1/0, default 1);
 * - DOMEN_DNS_REFRESH_BATCH: the least RRsets per signature-refresh difference (500);
 * - DOMEN_DNS_XFR_ALLOW: addresses allowed to AXFR (default loopback only);
 * - DOMEN_DNS_NOTIFY: secondaries to NOTIFY, comma-separated `host@port`, or `host@port/keyname` to sign the
 *   NOTIFY with that DOMEN_DNS_TSIG key (RFC 8945);
 * - DOMEN_DNS_TSIG: `hmac-sha256:name:base64secret`, comma-separated; when set, transfers need TSIG.
 */
export function dnsConfigFromEnv(tld: string, env: NodeJS.ProcessEnv = process.env): DnsConfig {
  const servers = parseServers(env.DOMEN_DNS_NS || `ns1.nic.${tld}=127.0.0.1,ns2.nic.${tld}=127.0.0.2`);
  if (servers.length === 0) throw new Error('DOMEN_DNS_NS names no server');
  const soa = (env.DOMEN_DNS_SOA || '1800 900 1209600 3600').split(/\s+/).map(Number);
  if (soa.length !== 4 || soa.some((n) => !Number.isInteger(n) || n < 0)) throw new Error('DOMEN_DNS_SOA is `refresh retry expire minimum` in seconds');
  const denial = (env.DOMEN_DNS_DENIAL || 'nsec3') as Denial;
  if (!['nsec', 'nsec3', 'nsec3-optout'].includes(denial)) throw new Error('DOMEN_DNS_DENIAL is nsec, nsec3 or nsec3-optout');
  const days = (v: string | undefined, d: number) => Math.round(Number(v || d) * 86400);
  return {
    primary: (env.DOMEN_DNS_PRIMARY || servers[0]!.name).toLowerCase().replace(/\.$/, ''),
    rname: (env.DOMEN_DNS_RNAME || `hostmaster.nic.${tld}`).toLowerCase().replace(/\.$/, ''),
    servers,
    soa: { refresh: soa[0]!, retry: soa[1]!, expire: soa[2]!, minimum: soa[3]! },
    ttl: Number(env.DOMEN_DNS_TTL || 3600),
    denial,
    signatureValidity: days(env.DOMEN_DNS_SIG_VALIDITY_DAYS, 14),
    signatureRefresh: days(env.DOMEN_DNS_SIG_REFRESH_DAYS, 7),
    refreshBatch: Math.max(1, Number(env.DOMEN_DNS_REFRESH_BATCH || 500)),
    cds: (env.DOMEN_DNS_CDS ?? '1') !== '0',
    transferAcl: (env.DOMEN_DNS_XFR_ALLOW || '').split(/[\s,]+/).filter(Boolean),
    notify: (env.DOMEN_DNS_NOTIFY || '').split(/[\s,]+/).filter(Boolean),
    tsigKeys: parseTsigKeys(env.DOMEN_DNS_TSIG || ''),
  };
}
