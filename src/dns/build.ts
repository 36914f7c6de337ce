// Full build of the published zones from the registry database, streamed in pages of domains (keyset on
// id, three queries per page: domains, their name servers, their DS) so that memory holds the zone being
// built and one page, never the registry.
//
// What is published (docs/dns.md): a live domain with at least one name server and none of serverHold,
// clientHold, pendingCreate (R2.1.5, R6.2, R7.4) becomes a delegation (NS, DS from secDNS data); glue
// A/AAAA only for name servers under the zone being built (in-bailiwick) and below a published delegation.
// Applications under review are not domains, so they are never published.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../core/clock.ts';
import { dsAtParent, dsFor, zoneKeys, type ZoneKey } from './keys.ts';
import { signZone, signZoneParallel } from './sign.ts';
import { loadRestorable } from './snapshot.ts';
import { T, compareNames, isSubdomain, rdataA, rdataAAAA, rdataDs, rdataName, rdataSoa, serialGreater, soaSerial } from './wire.ts';
import { SIGNING_TYPES, Zone, addShare, rrShare, type DnsConfig } from './zone-model.ts';
import { isIPv4 } from 'node:net';

export const UNPUBLISHED_STATUSES = ['serverHold', 'clientHold', 'pendingCreate'];
const PAGE = 5000;

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

/** The unsigned content of one zone, SOA serial 0 (set by the caller). */
export async function buildUnsigned(db: Kysely<Database>, origin: string, allZones: string[], childKsks: Map<string, ZoneKey[]>, config: DnsConfig): Promise<Zone> {
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

  // Glue candidates, checked once every delegation is known.
  const glue = new Map<string, Set<string>>();
  // One RDATA buffer per name server name: most delegations share a few hosting providers' servers.
  const nsRdatas = new Map<string, Buffer>();
  const nsRdata = (host: string) => { let b = nsRdatas.get(host); if (!b) { b = rdataName(host); nsRdatas.set(host, b); } return b; };
  const inZone = (host: string) => host !== origin && zoneOf(host, allZones) === origin;
  let last = 0;
  for (;;) {
    const page = await db.selectFrom('domains').select(['id', 'name', 'statuses']).where('zone', '=', origin).where('deleted_at', 'is', null)
      .where('id', '>', last).orderBy('id').limit(PAGE).execute();
    if (page.length === 0) break;
    const first = last;
    last = page[page.length - 1]!.id;
    const live = page.filter((d) => !d.statuses.some((s) => UNPUBLISHED_STATUSES.includes(s)));
    if (live.length > 0) {
      // The page's name servers and DS by the same keyset range on (zone, id) as the page itself, joined in
      // SQL: no list of thousands of ids to send and plan; rows of unpublished domains are skipped below.
      const pageDomains = () => db.selectFrom('domains').where('domains.zone', '=', origin).where('domains.deleted_at', 'is', null)
        .where('domains.id', '>', first).where('domains.id', '<=', last);
      const [ns, ds] = await Promise.all([
        pageDomains().innerJoin('domain_hosts', 'domain_hosts.domain_id', 'domains.id').innerJoin('hosts', 'hosts.id', 'domain_hosts.host_id')
          .select(['domain_hosts.domain_id', 'hosts.name', 'hosts.addresses']).execute(),
        pageDomains().innerJoin('domain_ds', 'domain_ds.domain_id', 'domains.id')
          .select(['domain_ds.domain_id', 'domain_ds.key_tag', 'domain_ds.algorithm', 'domain_ds.digest_type', 'domain_ds.digest']).execute(),
      ]);
      const byDomain = new Map<number, typeof ns>();
      for (const h of ns) { const l = byDomain.get(h.domain_id) ?? []; l.push(h); byDomain.set(h.domain_id, l); }
      const published = new Set<number>();
      for (const d of live) {
        const hosts = byDomain.get(d.id);
        if (!hosts?.length) continue;
        published.add(d.id);
        for (const h of hosts) {
          zone.add(d.name, T.NS, ttl, nsRdata(h.name));
          if (inZone(h.name) && h.addresses.length) {
            const g = glue.get(h.name) ?? new Set<string>();
            for (const a of h.addresses) g.add(a);
            glue.set(h.name, g);
          }
        }
      }
      const nameOf = new Map(live.map((d) => [d.id, d.name]));
      for (const r of ds) {
        if (!published.has(r.domain_id)) continue;
        const name = nameOf.get(r.domain_id)!;
        zone.add(name, T.DS, ttl, rdataDs(r.key_tag, r.algorithm, r.digest_type, Buffer.from(r.digest, 'hex')));
      }
    }
    if (page.length < PAGE) break;
  }
  // Glue only below a published delegation: an address of a host whose domain is not delegated would
  // otherwise become authoritative data of the parent.
  for (const [host, addrs] of glue) if (zone.cutAbove(host) !== null) addAddresses(zone, host, [...addrs], ttl);
  // Apex servers under this zone: glue below a delegation, authoritative data otherwise.
  for (const s of config.servers) if (inZone(s.name) && s.addresses.length) addAddresses(zone, s.name, s.addresses, ttl);
  return zone;
}

/** The content sum of an unsigned zone (every RR not added by signing). */
export function unsignedSum(zone: Zone): bigint {
  let sum = 0n;
  for (const [name, node] of zone.nodes) for (const [type, set] of node) {
    if (SIGNING_TYPES.has(type)) continue;
    for (const rd of set.rdatas) sum = addShare(sum, rrShare(name, type, set.ttl, rd), 1);
  }
  return sum;
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
  zone.contentSum = unsignedSum(zone);
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
