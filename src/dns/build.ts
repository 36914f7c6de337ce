// Full build of the published zones from the registry database: one query over the zone's published
// delegations (name servers and DS aggregated per domain in SQL), read through a cursor in batches, the next
// batch already asked for while this one becomes RRsets, so PostgreSQL and Node work at the same time and
// memory holds the zone being built and two batches, never the registry.
//
// What is published (docs/dns.md): a live domain with at least one name server and none of serverHold,
// clientHold, pendingCreate (R2.1.5, R6.2, R7.4) becomes a delegation (NS, DS from secDNS data); glue
// A/AAAA only for name servers under the zone being built (in-bailiwick) and below a published delegation.
// Applications under review are not domains, so they are never published.
import { createHash, hash as oneShotHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../core/clock.ts';
import { dsAtParent, dsFor, zoneKeys, type ZoneKey } from './keys.ts';
import { signZone, signZoneParallel } from './sign.ts';
import { loadRestorable } from './snapshot.ts';
import { T, compareNames, isSubdomain, rdataA, rdataAAAA, rdataDs, rdataName, rdataSoa, serialGreater, soaSerial } from './wire.ts';
import { SIGNING_TYPES, Zone, addShare, rrShare, type DnsConfig } from './zone-model.ts';
import { isIPv4 } from 'node:net';

export const UNPUBLISHED_STATUSES = ['serverHold', 'clientHold', 'pendingCreate'];
/** Rows per FETCH: large enough that the round trip is small beside the work on them, small for memory. */
const BATCH = 5000;

/** The zones we serve: the active zones of the registry, parents before children. */
export async function publishedZones(db: Kysely<Database>): Promise<{ name: string; parent: string | null }[]> {
  const rows = await db.selectFrom('zones').select(['name', 'parent']).where('active', '=', true).execute();
  return rows.sort((a, b) => a.name.split('.').length - b.name.split('.').length || compareNames(a.name, b.name));
}

/** The zone a name belongs to: the longest of the zones that encloses it. */
export function zoneOf(name: string, zones: string[]): string | null {
  let best: string | null = null;
  for (const z of zones) if (isSubdomain(name, z) && (best === null || z.length > best.length)) best = z;
  return best;
}

function addAddresses(zone: Zone, name: string, addresses: string[], ttl: number): void {
  for (const a of addresses) zone.add(name, isIPv4(a) ? T.A : T.AAAA, ttl, isIPv4(a) ? rdataA(a) : rdataAAAA(a));
}

interface DelegationRow { name: string; hosts: string; ds: string | null }

/**
 * Every published delegation of zone `origin`, in id order: `each` gets the domain name, its name server
 * names (space-separated) and its DS (key tag, algorithm, digest type, digest; four space-separated
 * fields a record) or null; then `glue` gets each host with addresses that a published delegation uses.
 * One repeatable-read transaction (one snapshot for the delegations and the glue; or the caller's) and one
 * cursor: batches of `batch` rows, the next FETCH sent before the rows in hand are handed over, so the
 * server reads and aggregates the next batch while this process builds RRsets from the last. The plan
 * follows the zone's size, not the registry's: for a large zone a merge join of domains and domain_hosts
 * in id order, grouped as it goes; for a small one index look-ups from domains (zone, id); DS by an index
 * look-up per domain. On PGlite the same statements run in-process, one after the other.
 */
async function readDelegations(db: Kysely<Database>, origin: string, batch: number, each: (name: string, hosts: string, ds: string | null) => void,
  glue: (host: string, addresses: string[]) => void): Promise<void> {
  const inTransaction = (f: (trx: Transaction<Database>) => Promise<void>) =>
    db.isTransaction ? f(db as Transaction<Database>) : db.transaction().setIsolationLevel('repeatable read').execute(f);
  await inTransaction(async (trx) => {
    // Short per-row look-ups: compiling them (JIT) costs more than it saves.
    await sql`set local jit = off`.execute(trx);
    await sql`declare dns_build no scroll cursor for
      select d.name, string_agg(h.name, ' ') as hosts,
        (select string_agg(x.key_tag || ' ' || x.algorithm || ' ' || x.digest_type || ' ' || x.digest, ' ')
         from domain_ds x where x.domain_id = d.id) as ds
      from domains d join domain_hosts dh on dh.domain_id = d.id join hosts h on h.id = dh.host_id
      where d.zone = ${origin} and d.deleted_at is null and not (d.statuses && ${UNPUBLISHED_STATUSES}::text[])
      group by d.id
      order by d.id`.execute(trx);
    const fetch = () => {
      const p = sql<DelegationRow>`fetch ${sql.raw(String(batch))} from dns_build`.execute(trx);
      // Awaited below, unless `each` throws first: then its failure must not be an unhandled rejection.
      p.catch(() => {});
      return p;
    };
    let next = fetch();
    for (;;) {
      const { rows } = await next;
      const more = rows.length === batch;
      if (more) next = fetch();
      for (const r of rows) each(r.name, r.hosts, r.ds);
      if (!more) break;
    }
    await sql`close dns_build`.execute(trx);
    // Hosts with addresses used by a published delegation of this zone (what glue may be made of).
    const hosts = await sql<{ name: string; addresses: string[] }>`
      select h.name, h.addresses from hosts h
      where cardinality(h.addresses) > 0 and exists (
        select 1 from domain_hosts dh join domains d on d.id = dh.domain_id
        where dh.host_id = h.id and d.zone = ${origin} and d.deleted_at is null and not (d.statuses && ${UNPUBLISHED_STATUSES}::text[]))`.execute(trx);
    for (const h of hosts.rows) glue(h.name, h.addresses);
  });
}

/** The unsigned content of one zone, SOA serial 0 (set by the caller), with its content sum; `batch`: rows per FETCH. */
export async function buildUnsigned(db: Kysely<Database>, origin: string, allZones: string[], childKsks: Map<string, ZoneKey[]>, config: DnsConfig, batch = BATCH): Promise<Zone> {
  const zone = new Zone(origin);
  zone.denial = config.denial;
  const { ttl } = config;
  zone.add(origin, T.SOA, ttl, rdataSoa({ mname: config.primary, rname: config.rname, serial: 0, ...config.soa }));
  for (const s of config.servers) zone.add(origin, T.NS, ttl, rdataName(s.name));
  // Child zones that we serve ourselves (com.az under az): NS of our servers, DS of their KSKs.
  for (const child of allZones.filter((z) => z !== origin && zoneOf(z, allZones.filter((x) => x !== z)) === origin)) {
    for (const s of config.servers) zone.add(child, T.NS, ttl, rdataName(s.name));
    for (const k of childKsks.get(child) ?? []) if (dsAtParent(k)) zone.add(child, T.DS, ttl, dsFor(child, k.dnskey));
  }

  // The names the zone has before the delegations are read: their RRsets (and A/AAAA added below) are summed
  // at the end; the delegations' NS and DS are summed as they are read, while the next batch is on its way
  // (each name once: live domain names are unique, index domains_live_name).
  const before = new Set(zone.nodes.keys());
  const sum = new ContentSum();
  // Glue candidates (in-zone hosts with addresses that a published delegation uses), checked once every
  // delegation is known.
  const glue = new Map<string, Set<string>>();
  // One RDATA buffer per name server name, and one list per NS set as the query spells it: most delegations
  // share a few hosting providers' sets of servers.
  const nsRdatas = new Map<string, Buffer>();
  const nsRdata = (host: string) => { let b = nsRdatas.get(host); if (!b) { b = rdataName(host); nsRdatas.set(host, b); } return b; };
  const nsSets = new Map<string, { rdatas: Buffer[]; texts: (string | null)[] }>();
  const inZone = (host: string) => host !== origin && zoneOf(host, allZones) === origin;
  await readDelegations(db, origin, batch, (name, hosts, ds) => {
    if (before.has(name)) {
      // A name the zone already has (a child zone we serve): merged, RR by RR; summed at the end.
      for (const h of hosts.split(' ')) zone.add(name, T.NS, ttl, nsRdata(h));
      if (ds !== null) addDs(zone, name, ds, ttl);
      return;
    }
    let set = nsSets.get(hosts);
    if (!set) {
      // One RDATA per name (an RRset is a set; the buffers are shared, so equal names are the same object).
      const rdatas: Buffer[] = [];
      for (const h of hosts.split(' ')) { const rd = nsRdata(h); if (!rdatas.includes(rd)) rdatas.push(rd); }
      set = { rdatas, texts: rdatas.map(asciiRdata) };
      nsSets.set(hosts, set);
    }
    // A copy per delegation: an RRset's list is its own (changes add to it in place).
    zone.setRRset(name, T.NS, ttl, set.rdatas.slice());
    sum.addRRset(name, T.NS, ttl, set.rdatas, set.texts);
    if (ds !== null) sum.addRRset(name, T.DS, ttl, addDs(zone, name, ds, ttl));
  }, (host, addresses) => {
    if (!inZone(host)) return;
    const g = glue.get(host) ?? new Set<string>();
    for (const a of addresses) g.add(a);
    glue.set(host, g);
  });
  const addressed = new Set<string>();
  // Glue only below a published delegation: an address of a host whose domain is not delegated would
  // otherwise become authoritative data of the parent.
  for (const [host, addrs] of glue) if (zone.cutAbove(host) !== null) { addAddresses(zone, host, [...addrs], ttl); addressed.add(host); }
  // Apex servers under this zone: glue below a delegation, authoritative data otherwise.
  for (const s of config.servers) if (inZone(s.name) && s.addresses.length) { addAddresses(zone, s.name, s.addresses, ttl); addressed.add(s.name); }
  for (const name of before) for (const [type, set] of zone.nodes.get(name)!) sum.addRRset(name, type, set.ttl, set.rdatas);
  // Addresses only at the other names: the NS and DS of a delegation there are summed already.
  for (const name of addressed) {
    if (before.has(name)) continue;
    for (const type of [T.A, T.AAAA]) { const set = zone.get(name, type); if (set) sum.addRRset(name, type, set.ttl, set.rdatas); }
  }
  zone.contentSum = sum.value();
  return zone;
}

/** Adds a delegation's DS from the aggregated form (see readDelegations); returns the DS RRset's RDATA. */
function addDs(zone: Zone, name: string, ds: string, ttl: number): Buffer[] {
  const f = ds.split(' ');
  for (let i = 0; i + 3 < f.length; i += 4) zone.add(name, T.DS, ttl, rdataDs(Number(f[i]), Number(f[i + 1]), Number(f[i + 2]), Buffer.from(f[i + 3]!, 'hex')));
  return zone.get(name, T.DS)!.rdatas;
}

/** The RDATA as a string whose UTF-8 form is the same octets (all below 0x80, as a name's wire form), or null. */
function asciiRdata(rd: Buffer): string | null {
  for (const o of rd) if (o >= 0x80) return null;
  return rd.toString('latin1');
}

/**
 * A running sum of rrShare (zone-model.ts) over RRs, the same value without a hash object, a Buffer and a
 * bigint per RR: each RR's input is hashed in one call, as a string when its RDATA is given as one
 * (asciiRdata) and otherwise laid out in one reused buffer, with the digest returned as a latin1 string
 * (a Buffer made for each digest costs more than the hash); the 128-bit shares are added as four 32-bit
 * limbs in doubles (exact below 2^53), carried every 2^20 RRs.
 */
class ContentSum {
  private readonly limbs = [0, 0, 0, 0]; // most significant first, like the digest's octets
  private pending = 0;
  private scratch = Buffer.alloc(1024);
  private extra = 0n;

  /** `texts`: asciiRdata of each RDATA, where the caller has it (shared NS RDATA). */
  addRRset(name: string, type: number, ttl: number, rdatas: readonly Buffer[], texts?: readonly (string | null)[]): void {
    if (type === T.SOA) { for (const rd of rdatas) this.extra = addShare(this.extra, rrShare(name, type, ttl, rd), 1); return; }
    const head = `${name}|${type}|${ttl}|`;
    for (let i = 0; i < rdatas.length; i++) {
      const text = texts?.[i];
      if (text != null) { this.addDigest(oneShotHash('sha256', head + text, 'binary')); continue; }
      const rd = rdatas[i]!;
      const headLength = Buffer.byteLength(head);
      if (headLength + rd.length > this.scratch.length) this.scratch = Buffer.alloc(2 * (headLength + rd.length));
      const n = this.scratch.write(head, 0);
      rd.copy(this.scratch, n);
      this.addDigest(oneShotHash('sha256', this.scratch.subarray(0, n + rd.length), 'binary'));
    }
  }

  /** A digest as latin1 text: its first 16 octets, big-endian, are the share. */
  private addDigest(h: string): void {
    const limbs = this.limbs;
    for (let l = 0; l < 4; l++) {
      const o = 4 * l;
      limbs[l]! += ((h.charCodeAt(o) << 24) | (h.charCodeAt(o + 1) << 16) | (h.charCodeAt(o + 2) << 8) | h.charCodeAt(o + 3)) >>> 0;
    }
    if (++this.pending === 1 << 20) this.carry();
  }

  private carry(): void {
    const limbs = this.limbs;
    for (let i = 3; i > 0; i--) { const c = Math.floor(limbs[i]! / 2 ** 32); limbs[i]! -= c * 2 ** 32; limbs[i - 1]! += c; }
    limbs[0] = limbs[0]! % 2 ** 32;
    this.pending = 0;
  }

  value(): bigint {
    this.carry();
    const [a, b, c, d] = this.limbs.map(BigInt) as [bigint, bigint, bigint, bigint];
    return addShare(this.extra, (a << 96n) | (b << 64n) | (c << 32n) | d, 1);
  }
}

/** The content sum of an unsigned zone (every RR not added by signing). */
export function unsignedSum(zone: Zone): bigint {
  const sum = new ContentSum();
  for (const [name, node] of zone.nodes) for (const [type, set] of node) if (!SIGNING_TYPES.has(type)) sum.addRRset(name, type, set.ttl, set.rdatas);
  return sum.value();
}

/**
 * A digest of the unsigned content (without the SOA serial) and of the keys: the same data keeps its serial.
 * The content part is the zone's order-independent content sum, so the incremental publisher keeps it
 * current without reading the whole zone.
 */
export function contentDigest(zone: Zone, keys: ZoneKey[], config: DnsConfig): string {
  const head = createHash('sha256').update(JSON.stringify({ denial: config.denial, cds: config.cds, keys: keys.map((k) => [k.keyTag, k.role, k.state]) })).digest('hex');
  return `${head}:${zone.contentSum.toString(16)}`;
}

function withSerial(soa: Buffer, serial: number): Buffer {
  const out = Buffer.from(soa);
  out.writeUInt32BE(serial >>> 0, out.length - 20);
  return out;
}

/**
 * The next serial after prev (RFC 1982): the current Unix time when that is greater, otherwise prev + 1,
 * so serials never go backwards even if the clock does.
 */
export function nextSerial(prev: number | null, now: Date): number {
  const candidate = Math.floor(now.getTime() / 1000) >>> 0;
  if (prev === null) return candidate;
  return serialGreater(candidate, prev) ? candidate : (prev + 1) >>> 0;
}

/** Keeps the serial when the content is unchanged, otherwise advances it; recorded in dns_zone_state. */
export async function assignSerial(db: Kysely<Database>, zone: Zone, digest: string, now: Date, force = false): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('dns_zone_state').selectAll().where('zone', '=', zone.origin).forUpdate().executeTakeFirst();
    if (row && row.digest === digest && !force) {
      await tx.updateTable('dns_zone_state').set({ built_at: now }).where('zone', '=', zone.origin).execute();
      return row.serial;
    }
    const serial = nextSerial(row ? row.serial : null, now);
    if (row) await tx.updateTable('dns_zone_state').set({ serial, digest, built_at: now, updated_at: now }).where('zone', '=', zone.origin).execute();
    else await tx.insertInto('dns_zone_state').values({ zone: zone.origin, serial, digest, built_at: now, updated_at: now }).execute();
    return serial;
  });
}

export interface BuiltZones { zones: Map<string, Zone>; keys: Map<string, ZoneKey[]> }

/**
 * Builds and signs every published zone (or those in `only`) from the database. With `resign`, the serial
 * advances even for unchanged content, so that secondaries take the fresh signatures.
 */
export async function buildAll(db: Kysely<Database>, config: DnsConfig, clock: Clock, only?: string[], resign = false, restore?: { keep: number }, served?: (origin: string) => Zone | undefined): Promise<BuiltZones> {
  const zoneRows = await publishedZones(db);
  const names = zoneRows.map((z) => z.name);
  const keys = new Map<string, ZoneKey[]>();
  for (const z of names) keys.set(z, await zoneKeys(db, z, clock.now()));
  const zones = new Map<string, Zone>();
  for (const origin of only ?? names) {
    if (!names.includes(origin)) throw new Error(`${origin} is not a zone of this registry (zones: ${names.join(', ')})`);
    zones.set(origin, await buildZone(db, origin, names, keys, config, clock.now(), resign, restore, served?.(origin)));
  }
  return { zones, keys };
}

/** How long the last full build of each zone took: reading the database (unsigned content) and signing (for the bench). */
export const lastBuild = new Map<string, { readMs: number; signMs: number; restored: boolean }>();

/**
 * Builds and signs one zone. With `restore` (the service at start), a zone whose content equals the last
 * journaled state gets back its serial, the signatures it was served with and its journal (snapshot.ts);
 * otherwise, or when that record is incomplete, it is signed anew with the next serial (`resign` forces one).
 * A zone `served` at the serial that unchanged content keeps is returned as it is, without signing.
 */
export async function buildZone(db: Kysely<Database>, origin: string, names: string[], keys: Map<string, ZoneKey[]>, config: DnsConfig, now: Date, resign = false, restore?: { keep: number }, served?: Zone): Promise<Zone> {
  const t0 = performance.now();
  const zone = await buildUnsigned(db, origin, names, keys, config);
  const zoneKeySet = keys.get(origin) ?? [];
  const digest = contentDigest(zone, zoneKeySet, config);
  const soa = zone.get(origin, T.SOA)!;
  const t1 = performance.now();
  const saved = restore ? await loadRestorable(db, origin, digest, restore.keep) : null;
  if (saved) {
    soa.rdatas[0] = withSerial(soa.rdatas[0]!, saved.serial);
    zone.serial = saved.serial;
    if (signZone(zone, zoneKeySet, { now, validity: config.signatureValidity, cds: config.cds, stored: saved.sigs })) {
      zone.journal = saved.journal;
      lastBuild.set(origin, { readMs: t1 - t0, signMs: performance.now() - t1, restored: true });
      return zone;
    }
  }
  const serial = await assignSerial(db, zone, digest, now, resign || saved !== null);
  if (served && served.serial === serial && !resign) return served;
  soa.rdatas[0] = withSerial(soa.rdatas[0]!, serial);
  zone.serial = soaSerial(soa.rdatas[0]!);
  const t2 = performance.now();
  await signZoneParallel(zone, zoneKeySet, { now, validity: config.signatureValidity, cds: config.cds });
  lastBuild.set(origin, { readMs: t1 - t0, signMs: performance.now() - t2, restored: false });
  return zone;
}
