// The DNS side of the registry: build every published zone from the database, sign it, and serve it from
// memory (docs/dns.md). Until the incremental publisher (outbox -> IXFR journal) lands, the zones are
// rebuilt whole: when the outbox has a new domain.* or host.* event (checked every DOMEN_DNS_POLL_MS,
// default 1000), every DOMEN_DNS_REBUILD_SECONDS (default 600; 0 turns it off), and whenever the earliest
// signature comes within the refresh window. A rebuild of unchanged data keeps the serial; a changed zone
// is announced to the secondaries by NOTIFY.
import type { Registry } from '../core/registry.ts';
import { buildAll, zoneOf } from './build.ts';
import { ZoneStore, startDns, type DnsServer } from './server.ts';
import { earliestExpiration } from './sign.ts';
import { parseTargets, sendNotify } from './notify.ts';
import { dnsConfigFromEnv, type DnsConfig } from './zone-model.ts';

export { ZoneStore, startDns } from './server.ts';
export { dnsConfigFromEnv } from './zone-model.ts';

/** Builds and signs all zones into the store (replacing each zone at once, so queries never see a half-built zone). */
/**
 * Builds and signs zones into the store (each replaced at once, so queries never see a half-built zone). A
 * zone whose serial did not change is kept as it is: ECDSA signatures differ on every signing, and what we
 * serve must stay equal to what the secondaries hold for that serial. `resign` forces new serials.
 */
export async function loadZones(reg: Registry, store: ZoneStore, config: DnsConfig, only?: string[], resign = false): Promise<string[]> {
  const { zones } = await buildAll(reg.db, config, reg.clock, only, resign);
  const changed: string[] = [];
  for (const z of zones.values()) {
    if (store.get(z.origin)?.serial === z.serial) continue;
    changed.push(z.origin);
    store.set(z);
  }
  return changed;
}

/** NOTIFY the configured secondaries of the zones whose serial changed (in the background, with retries). */
function notifyChanged(store: ZoneStore, zones: string[], config: DnsConfig): void {
  const targets = parseTargets(config.notify.join(','));
  if (targets.length === 0) return;
  for (const origin of zones) {
    const z = store.get(origin);
    if (!z) continue;
    sendNotify(origin, z.soaRdata(), targets).then((acked) => {
      if (acked.length < targets.length) process.stderr.write(`dns: NOTIFY ${origin} serial ${z.serial}: ${targets.length - acked.length} of ${targets.length} secondaries did not answer\n`);
    }, () => {});
  }
}

export interface DnsService { server: DnsServer; store: ZoneStore; rebuild(only?: string[], resign?: boolean): Promise<void>; close(): Promise<void> }

/** The id of the newest outbox event that can change a zone (0 when none). */
async function lastDnsEvent(reg: Registry): Promise<number> {
  const row = await reg.db.selectFrom('outbox').select('id')
    .where((eb) => eb.or([eb('topic', 'like', 'domain.%'), eb('topic', 'like', 'host.%')]))
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? 0;
}

/**
 * The zones that events after `after` (up to `upTo`) can have changed, or null for all of them: a domain
 * event touches the zone of the domain; a new host only the zone it is under (glue); a renamed or deleted
 * host may be a name server anywhere.
 */
async function touchedZones(reg: Registry, zones: string[], after: number, upTo: number): Promise<string[] | null> {
  const LIMIT = 5000;
  const rows = await reg.db.selectFrom('outbox').select(['topic', 'object_id', 'payload']).where('id', '>', after).where('id', '<=', upTo)
    .where((eb) => eb.or([eb('topic', 'like', 'domain.%'), eb('topic', 'like', 'host.%')])).orderBy('id').limit(LIMIT).execute();
  if (rows.length >= LIMIT) return null;
  const out = new Set<string>();
  for (const r of rows) {
    let name: string | null = null;
    if (r.topic.startsWith('domain.')) name = r.object_id;
    else if (r.topic === 'host.created') name = String((r.payload as { name?: unknown }).name ?? '');
    else return null;
    const z = zoneOf(name.toLowerCase(), zones);
    if (z) out.add(z);
  }
  return [...out];
}

export async function startDnsService(reg: Registry, opts: { host: string; port: number; config?: DnsConfig; rebuildSeconds?: number; pollMs?: number }): Promise<DnsService> {
  const config = opts.config ?? dnsConfigFromEnv(reg.profile.tld);
  const store = new ZoneStore();
  let seen = await lastDnsEvent(reg);
  await loadZones(reg, store, config);
  const server = await startDns(store, { host: opts.host, port: opts.port, transferAcl: config.transferAcl, tsigKeys: config.tsigKeys });
  let running: Promise<void> | null = null;
  // One rebuild at a time; a caller that finds one running waits for it, then runs its own.
  const rebuild = async (only?: string[], resign = false): Promise<void> => {
    while (running) await running.catch(() => {});
    const current = loadZones(reg, store, config, only, resign).then((changed) => notifyChanged(store, changed, config));
    running = current.finally(() => { running = null; });
    return running;
  };
  const every = opts.rebuildSeconds ?? Number(process.env.DOMEN_DNS_REBUILD_SECONDS ?? 600);
  let last = Date.now();
  let closed = false;
  const tick = async () => {
    if (running) return;
    const latest = await lastDnsEvent(reg);
    const now = reg.clock.now().getTime() / 1000;
    const expiring = store.list().some((z) => earliestExpiration(z) - now < config.signatureRefresh);
    const periodic = every > 0 && Date.now() - last >= every * 1000;
    if (latest === seen && !expiring && !periodic) return;
    // Only the zones the new events touch, unless signatures or the periodic rebuild call for all.
    const only = expiring || periodic ? null : await touchedZones(reg, store.list().map((z) => z.origin), seen, latest);
    if (only === null) last = Date.now();
    if (only === null || only.length > 0) await rebuild(only ?? undefined, expiring);
    seen = latest;
  };
  const timer = setInterval(() => {
    if (closed) return;
    tick().catch((e: Error) => { if (!closed) process.stderr.write(`dns: rebuild failed: ${e.message}\n`); });
  }, opts.pollMs ?? Number(process.env.DOMEN_DNS_POLL_MS ?? 1000));
  timer.unref();
  return {
    server, store, rebuild,
    async close() { closed = true; clearInterval(timer); await running?.catch(() => {}); await server.close(); },
  };
}
