// The DNS side of the registry: build every published zone from the database, sign it, serve it from
// memory, and publish each batch of committed changes incrementally (docs/dns.md):
// - at start, a full build of every zone with new serials (our signatures are new, so the serials must be);
// - every DOMEN_DNS_POLL_MS (default 250), the new domain.*/host.* events of the outbox become, per zone,
//   one IXFR difference (incremental.ts) with a new serial, written to the journal (journal.ts) and
//   announced by NOTIFY;
// - every DOMEN_DNS_REBUILD_SECONDS (default 600; 0 turns it off) a full build as a safety net: it keeps
//   the served zone when the content digest is unchanged (the incremental state equals a rebuild), and
//   replaces it with a new serial otherwise; also when signatures come within the refresh window.
import type { Registry } from '../core/registry.ts';
import { buildAll, contentDigest, lastBuild, nextSerial, publishedZones, zoneOf } from './build.ts';
import { writeSnapshot } from './snapshot.ts';
import { inDnskeySet, zoneKeys, type ZoneKey } from './keys.ts';
import { ZoneStore, startDns, type DnsServer } from './server.ts';
import { expiring, refreshSignatures, sliceSize } from './refresh.ts';
import { parseTargets, sendNotify } from './notify.ts';
import { applyChange, readChange, type Touched } from './incremental.ts';
import { journalKeep, remember, writeJournal } from './journal.ts';
import { advanceRollovers, rolloverTimings } from './rollover.ts';
import { T } from './wire.ts';
import { dnsConfigFromEnv, type DnsConfig, type JournalEntry, type Zone } from './zone-model.ts';

export { ZoneStore, startDns } from './server.ts';
export { dnsConfigFromEnv } from './zone-model.ts';

/**
 * Builds and signs zones into the store (each replaced at once, so queries never see a half-built zone). A
 * zone whose serial did not change is kept as it is: ECDSA signatures differ on every signing, and what we
 * serve must stay equal to what the secondaries hold for that serial. `resign` forces new serials.
 */
export async function loadZones(reg: Registry, store: ZoneStore, config: DnsConfig, only?: string[], resign = false, restore?: { keep: number }): Promise<string[]> {
  const { zones } = await buildAll(reg.db, config, reg.clock, only, resign, restore, (origin) => store.get(origin));
  const changed: string[] = [];
  for (const z of zones.values()) {
    if (store.get(z.origin)?.serial === z.serial) continue;
    store.set(z);
    // A zone served as journaled (restored at start) is what the secondaries hold: nothing to announce or record.
    if (restore && lastBuild.get(z.origin)?.restored) continue;
    changed.push(z.origin);
    // The signatures of the new serial, for the next restart (snapshot.ts).
    await writeSnapshot(reg.db, z, reg.clock.now());
  }
  return changed;
}

/** NOTIFY the configured secondaries of the zones whose serial changed (in the background, with retries). */
function notifyChanged(store: ZoneStore, zones: string[], config: DnsConfig): void {
  const targets = parseTargets(config.notify.join(','), config.tsigKeys);
  if (targets.length === 0) return;
  for (const origin of zones) {
    const z = store.get(origin);
    if (!z) continue;
    sendNotify(origin, z.soaRdata(), targets).then((acked) => {
      if (acked.length < targets.length) process.stderr.write(`dns: NOTIFY ${origin} serial ${z.serial}: ${targets.length - acked.length} of ${targets.length} secondaries did not answer\n`);
    }, () => {});
  }
}

export interface PublishStats { batches: number; differences: number; fullRebuilds: number; lastBatchMs: number }

export interface DnsService {
  server: DnsServer; store: ZoneStore; stats: PublishStats;
  rebuild(only?: string[], resign?: boolean): Promise<void>;
  /** Reads the outbox now and publishes what it finds (the poller does this every DOMEN_DNS_POLL_MS). */
  publish(): Promise<void>;
  /** Re-signs the next slice of the RRsets whose signatures are near expiry, as one difference per zone (done every DOMEN_DNS_REFRESH_SECONDS). */
  refresh(): Promise<void>;
  /** Takes the rollover steps that are due and re-signs the zones when the key set changed (done every 30 s). */
  checkKeys(): Promise<void>;
  close(): Promise<void>;
}

interface OutboxRow { id: number; topic: string; object_id: string; payload: unknown }

/**
 * Reads the outbox after a cursor. Ids are handed out before commit, so a transaction can commit an id
 * below one already read: ids missing from a read are re-checked for GAP_MS before being given up (a
 * rolled-back transaction leaves a gap for good).
 */
class OutboxReader {
  private gaps = new Map<number, number>();
  constructor(private reg: Registry, public cursor: number) {}
  static readonly LIMIT = 5000;
  static readonly GAP_MS = 30_000;

  async read(): Promise<{ rows: OutboxRow[]; overflow: boolean }> {
    const db = this.reg.db;
    const rows: OutboxRow[] = await db.selectFrom('outbox').select(['id', 'topic', 'object_id', 'payload']).where('id', '>', this.cursor)
      .orderBy('id').limit(OutboxReader.LIMIT).execute();
    const late: OutboxRow[] = this.gaps.size === 0 ? [] : await db.selectFrom('outbox').select(['id', 'topic', 'object_id', 'payload'])
      .where('id', 'in', [...this.gaps.keys()]).execute();
    for (const r of late) this.gaps.delete(r.id);
    const nowMs = Date.now();
    for (const [id, since] of this.gaps) if (nowMs - since > OutboxReader.GAP_MS) this.gaps.delete(id);
    let expect = this.cursor + 1;
    for (const r of rows) {
      for (let id = expect; id < r.id && this.gaps.size < 10_000; id++) this.gaps.set(id, nowMs);
      expect = r.id + 1;
    }
    if (rows.length) this.cursor = rows[rows.length - 1]!.id;
    return { rows: [...late, ...rows], overflow: rows.length >= OutboxReader.LIMIT };
  }
}

async function lastOutboxId(reg: Registry): Promise<number> {
  const row = await reg.db.selectFrom('outbox').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? 0;
}

/** The names each zone must re-check for a batch of events: changed domains, and hosts with the domains using them. */
async function touchedByEvents(reg: Registry, zones: string[], rows: OutboxRow[]): Promise<Map<string, Touched>> {
  const out = new Map<string, Touched>();
  const at = (zone: string) => { let t = out.get(zone); if (!t) { t = { domains: new Set(), hosts: new Set() }; out.set(zone, t); } return t; };
  const addDomain = (name: string) => { const z = zoneOf(name, zones); if (z) at(z).domains.add(name); };
  const hostNames = new Set<string>();
  const hostRoids = new Set<string>();
  for (const r of rows) {
    const payload = (r.payload ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof payload[k] === 'string' ? (payload[k] as string).toLowerCase() : null);
    if (r.topic.startsWith('domain.')) addDomain(str('name') ?? r.object_id.toLowerCase());
    else if (r.topic.startsWith('host.')) {
      for (const n of [str('name'), str('oldName')]) if (n) hostNames.add(n);
      hostRoids.add(r.object_id);
    }
  }
  if (hostNames.size || hostRoids.size) {
    const hosts = await reg.db.selectFrom('hosts').select(['id', 'name']).where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('name', 'in', [...hostNames, '']), eb('roid', 'in', [...hostRoids, ''])])).execute();
    for (const h of hosts) hostNames.add(h.name);
    for (const h of hostNames) { const z = zoneOf(h, zones); if (z) at(z).hosts.add(h); }
    // A renamed host changes the NS RDATA of every domain that uses it.
    if (hosts.length) {
      const users = await reg.db.selectFrom('domain_hosts').innerJoin('domains', 'domains.id', 'domain_hosts.domain_id').select('domains.name')
        .where('domain_hosts.host_id', 'in', hosts.map((h) => h.id)).where('domains.deleted_at', 'is', null).execute();
      for (const u of users) addDomain(u.name);
    }
  }
  return out;
}

class StaleZone extends Error {}

export async function startDnsService(reg: Registry, opts: { host: string; port: number; config?: DnsConfig; rebuildSeconds?: number; pollMs?: number }): Promise<DnsService> {
  const config = opts.config ?? dnsConfigFromEnv(reg.profile.tld);
  parseTargets(config.notify.join(','), config.tsigKeys); // a bad DOMEN_DNS_NOTIFY stops the start, not the first NOTIFY
  const keep = journalKeep();
  const store = new ZoneStore();
  // Events from here on are applied on top of the build (re-applying one that the build saw changes nothing).
  const reader = new OutboxReader(reg, await lastOutboxId(reg));
  // At start: a zone whose content equals the last journaled state keeps its serial and signatures (no
  // transfer for the secondaries); any other gets a new serial.
  const renewed = await loadZones(reg, store, config, undefined, false, { keep });
  const server = await startDns(store, { host: opts.host, port: opts.port, transferAcl: config.transferAcl, tsigKeys: config.tsigKeys });
  // A zone that starts with a new serial (it changed while we were stopped) is announced at once, as BIND and Knot
  // primaries do on load, rather than left to the secondaries' SOA refresh.
  notifyChanged(store, renewed, config);
  const stats: PublishStats = { batches: 0, differences: 0, fullRebuilds: 0, lastBatchMs: 0 };
  let running: Promise<void> | null = null;
  const sinceSnapshot = new Map<string, number>();
  // One publication at a time; a caller that finds one running waits for it, then runs its own.
  const exclusive = async (fn: () => Promise<void>): Promise<void> => {
    while (running) await running.catch(() => {});
    running = fn().finally(() => { running = null; });
    return running;
  };
  const fullRebuild = async (only?: string[], resign = false) => {
    stats.fullRebuilds++;
    notifyChanged(store, await loadZones(reg, store, config, only, resign), config);
  };
  const rebuild = (only?: string[], resign = false) => exclusive(() => fullRebuild(only, resign));

  /**
   * Records one difference of a served zone: `make` changes the zone in place (synchronously) for the next
   * serial and returns the difference, or null when nothing changed. Under the zone's state row lock; a
   * stale zone (another writer) or a failed write is rebuilt in full. True when the serial changed.
   */
  const commit = async (zone: Zone, keys: ZoneKey[], now: Date, make: (serial: number) => JournalEntry | null): Promise<boolean> => {
    const origin = zone.origin;
    const out: { entry: JournalEntry | null; applied: boolean } = { entry: null, applied: false };
    try {
      await reg.db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('dns_zone_state').select(['serial']).where('zone', '=', origin).forUpdate().executeTakeFirst();
        if (!row || row.serial !== zone.serial) throw new StaleZone(`${origin}: serial ${row?.serial} in the database, ${zone.serial} served`);
        out.applied = true;
        const entry = out.entry = make(nextSerial(row.serial, now));
        if (!entry) return;
        remember(zone, entry, keep);
        await tx.updateTable('dns_zone_state').set({ serial: entry.to, digest: contentDigest(zone, keys, config), updated_at: now })
          .where('zone', '=', origin).execute();
        await writeJournal(tx, origin, entry, now, keep);
      });
    } catch (e) {
      // Another writer moved the serial, or the write failed after the zone changed: rebuild it whole.
      if (!(e instanceof StaleZone)) process.stderr.write(`dns: ${origin}: incremental publication failed (${(e as Error).message}); rebuilding the zone\n`);
      await fullRebuild([origin], out.applied);
      return true;
    }
    if (!out.entry) return false;
    stats.differences++;
    // A fresh snapshot before the journal trimming could reach the differences after the old one.
    const n = (sinceSnapshot.get(origin) ?? 0) + 1;
    sinceSnapshot.set(origin, n);
    if (n >= Math.max(1, Math.floor(keep / 2))) { sinceSnapshot.set(origin, 0); await writeSnapshot(reg.db, zone, now); }
    return true;
  };

  /** The zone's keys; null (after a full re-sign) when the DNSKEY RRset served is not the one they make (a rollover). */
  const currentKeys = async (zone: Zone, now: Date): Promise<ZoneKey[] | null> => {
    const keys: ZoneKey[] = await zoneKeys(reg.db, zone.origin, now);
    const served = zone.get(zone.origin, T.DNSKEY)?.rdatas ?? [];
    const published = keys.filter(inDnskeySet);
    if (served.length !== published.length || !published.every((k) => served.some((d) => d.equals(k.dnskey)))) { await fullRebuild([zone.origin], true); return null; }
    return keys;
  };

  /** One zone's difference for a batch of events. */
  const publishZone = async (origin: string, touched: Touched, allZones: string[]): Promise<boolean> => {
    const zone = store.get(origin);
    if (!zone) { await fullRebuild([origin]); return true; }
    const now = reg.clock.now();
    const keys = await currentKeys(zone, now);
    if (!keys) return true;
    const change = await readChange(reg.db, zone, allZones, touched, config);
    return commit(zone, keys, now, (serial) => applyChange(zone, change, keys, { serial, now, validity: config.signatureValidity, ttl: config.ttl }));
  };

  /** One slice of the signature refresh of each zone (refresh.ts), as differences; the zones that changed. */
  const refreshEvery = Number(process.env.DOMEN_DNS_REFRESH_SECONDS ?? 60);
  const refresh = () => exclusive(async () => {
    const changed: string[] = [];
    for (const zone of store.list()) {
      const now = reg.clock.now();
      const nowS = Math.floor(now.getTime() / 1000);
      const due = expiring(zone, nowS, config.signatureRefresh);
      const limit = sliceSize(due, nowS, config.signatureRefresh, refreshEvery, config.refreshBatch);
      if (limit === 0) continue;
      const keys = await currentKeys(zone, now);
      if (!keys) { changed.push(zone.origin); continue; }
      if (await commit(zone, keys, now, (serial) => refreshSignatures(zone, keys, { serial, now, validity: config.signatureValidity, window: config.signatureRefresh, limit }))) changed.push(zone.origin);
    }
    notifyChanged(store, changed, config);
  });

  const publish = () => exclusive(async () => {
    const started = Date.now();
    const { rows, overflow } = await reader.read();
    if (rows.length === 0) return;
    const zoneRows = await publishedZones(reg.db);
    const names = zoneRows.map((z) => z.name);
    // Too many at once (a bulk import): one full build is cheaper than many differences.
    if (overflow) { await fullRebuild(); return; }
    const touched = await touchedByEvents(reg, names, rows);
    const changed: string[] = [];
    for (const [origin, t] of touched) if (await publishZone(origin, t, names)) changed.push(origin);
    notifyChanged(store, changed, config);
    stats.batches++;
    stats.lastBatchMs = Date.now() - started;
  });

  // Key rollovers (rollover.ts): due steps are taken every DOMEN_DNS_KEY_CHECK_SECONDS (default 30), and a
  // changed key set (a step, or `domen dnssec rollover` from another process) re-signs the zones.
  const timings = rolloverTimings(config);
  const keyState = async () => (await reg.db.selectFrom('dns_keys').select(['zone', 'id', 'state']).where('state', '<>', 'removed').orderBy('id').execute())
    .map((k) => `${k.zone}:${k.id}:${k.state}`).join(',');
  let keysSeen = await keyState();
  const checkKeys = async () => {
    for (const z of store.list()) {
      for (const step of await advanceRollovers(reg.db, z.origin, timings, reg.clock.now())) {
        process.stderr.write(`dns: ${step.zone} ${step.role.toUpperCase()} ${step.keyTag}: ${step.from} -> ${step.to}\n`);
      }
    }
    const now = await keyState();
    if (now !== keysSeen) { keysSeen = now; await rebuild(); }
  };
  const keyEvery = Number(process.env.DOMEN_DNS_KEY_CHECK_SECONDS ?? 30) * 1000;
  let lastKeyCheck = Date.now();
  let lastRefresh = 0;

  const every = opts.rebuildSeconds ?? Number(process.env.DOMEN_DNS_REBUILD_SECONDS ?? 600);
  let last = Date.now();
  let closed = false;
  const tick = async () => {
    if (running) return;
    const periodic = every > 0 && Date.now() - last >= every * 1000;
    if (periodic) { last = Date.now(); await rebuild(); }
    if (Date.now() - lastRefresh >= refreshEvery * 1000) { lastRefresh = Date.now(); await refresh(); }
    if (Date.now() - lastKeyCheck >= keyEvery) { lastKeyCheck = Date.now(); await checkKeys(); }
    await publish();
  };
  const timer = setInterval(() => {
    if (closed) return;
    tick().catch((e: Error) => { if (!closed) process.stderr.write(`dns: publication failed: ${e.message}\n`); });
  }, opts.pollMs ?? Number(process.env.DOMEN_DNS_POLL_MS ?? 250));
  timer.unref();
  return {
    server, store, stats, rebuild, publish, checkKeys, refresh,
    async close() { closed = true; clearInterval(timer); await running?.catch(() => {}); await server.close(); },
  };
}

