// Key rollovers (RFC 7583), state in dns_keys, driven by `domen dnssec rollover zsk|ksk ZONE` and by the
// service's schedule (key lifetimes). Each step happens when its time has come; every step changes the
// key set, so the zones are re-signed with new serials (the service rebuilds them).
//
// ZSK pre-publication (RFC 7583 §3.2): new ZSK 'published' (in the DNSKEY RRset, not signing)
//   --Ipub = Dprp + TTLkey--> new 'active' (signs everything), old 'retired' (still in DNSKEY)
//   --Iret = Dprp + TTLsig--> old 'removed'. (We re-sign the whole zone at once, so Dsgn = 0.)
// KSK double-DS (RFC 7583 §3.3.2): new KSK 'created' (its DS added at the parent: for the zones we serve
//   ourselves the parent zone does it; for the TLD the operator sends `domen dnssec ds` to IANA; CDS/CDNSKEY
//   list both) --IpubP = DprpP + TTLds--> new 'active' in the DNSKEY RRset and the old one out of it
//   ('retired': its DS stays) --Iret = Dprp + TTLkey--> old 'removed' (its DS leaves the parent).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ALG_ECDSAP256SHA256, generateKey, zoneKeys } from './keys.ts';
import { encryptPrivateKey } from './key-crypto.ts';
import type { DnsConfig } from './zone-model.ts';

export interface RolloverTimings {
  /** Dprp: time for a change to reach every secondary (seconds). */
  propagation: number;
  /** DprpP + TTLds: time until the parent publishes a new DS and the old DS expires from caches. */
  parentDelay: number;
  /** TTL of the DNSKEY RRset and of the signatures (the zone TTL). */
  ttl: number;
  /** Scheduled rollovers: key lifetimes in seconds (0: only by command). */
  zskLifetime: number;
  kskLifetime: number;
}

export function rolloverTimings(config: DnsConfig, env: NodeJS.ProcessEnv = process.env): RolloverTimings {
  const num = (name: string, d: number) => {
    const v = Number(env[name] ?? d);
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number of seconds (or days) >= 0`);
    return v;
  };
  return {
    propagation: num('DOMEN_DNS_PROPAGATION_SECONDS', 3600),
    // The root zone's DS TTL is one day; for our own child zones the parent is us (TTL config.ttl).
    parentDelay: num('DOMEN_DNS_PARENT_DELAY_SECONDS', 86400 + 3600),
    ttl: Math.max(config.ttl, config.soa.minimum),
    zskLifetime: num('DOMEN_DNS_ZSK_LIFETIME_DAYS', 90) * 86400,
    kskLifetime: num('DOMEN_DNS_KSK_LIFETIME_DAYS', 0) * 86400,
  };
}

type KeyRow = { id: number; role: 'ksk' | 'zsk'; state: string; key_tag: number; created_at: Date; published_at: Date | null; active_at: Date | null; retired_at: Date | null };

async function rows(db: Kysely<Database>, zone: string): Promise<KeyRow[]> {
  return db.selectFrom('dns_keys').select(['id', 'role', 'state', 'key_tag', 'created_at', 'published_at', 'active_at', 'retired_at'])
    .where('zone', '=', zone).where('state', '<>', 'removed').orderBy('id').execute();
}

export class RolloverError extends Error {}

/** Starts a rollover: a new ZSK is pre-published, a new KSK's DS goes to the parent. */
export async function startRollover(db: Kysely<Database>, zone: string, role: 'ksk' | 'zsk', now: Date): Promise<{ keyTag: number }> {
  await zoneKeys(db, zone, now); // the zone has its first keys
  return db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('dns_keys').select(['state']).where('zone', '=', zone).where('role', '=', role)
      .where('state', 'in', ['created', 'published', 'retired']).forUpdate().execute();
    if (current.length) throw new RolloverError(`a ${role.toUpperCase()} rollover of ${zone} is already under way (see domen dnssec status)`);
    const k = generateKey(zone, role);
    await tx.insertInto('dns_keys').values({
      zone, role, algorithm: ALG_ECDSAP256SHA256, key_tag: k.keyTag, flags: k.flags, public_key: k.publicKey.toString('base64'),
      private_key: encryptPrivateKey(k.privatePem), state: role === 'zsk' ? 'published' : 'created', created_at: now,
      published_at: role === 'zsk' ? now : null,
    }).execute();
    return { keyTag: k.keyTag };
  });
}

type KeyState = 'created' | 'published' | 'active' | 'retired' | 'removed';
export interface Step { zone: string; role: 'ksk' | 'zsk'; keyTag: number; from: KeyState | 'new'; to: KeyState; at: Date }

/** The next step of each key in a rollover and when it is due. */
export async function pendingSteps(db: Kysely<Database>, zone: string, t: RolloverTimings): Promise<Step[]> {
  const out: Step[] = [];
  const ms = (s: number) => s * 1000;
  for (const k of await rows(db, zone)) {
    if (k.role === 'zsk' && k.state === 'published') out.push({ zone, role: k.role, keyTag: k.key_tag, from: 'published', to: 'active', at: new Date(k.published_at!.getTime() + ms(t.propagation + t.ttl)) });
    if (k.role === 'ksk' && k.state === 'created') out.push({ zone, role: k.role, keyTag: k.key_tag, from: 'created', to: 'active', at: new Date(k.created_at.getTime() + ms(t.parentDelay)) });
    if (k.state === 'retired') out.push({ zone, role: k.role, keyTag: k.key_tag, from: 'retired', to: 'removed', at: new Date(k.retired_at!.getTime() + ms(t.propagation + t.ttl)) });
  }
  return out;
}

/**
 * Takes every step that is due (and starts the rollovers that the key lifetimes call for); returns the
 * steps taken. The caller re-signs the zones (and the parent zone, whose DS set changes with a KSK).
 */
export async function advanceRollovers(db: Kysely<Database>, zone: string, t: RolloverTimings, now: Date): Promise<Step[]> {
  const taken: Step[] = [];
  for (const step of await pendingSteps(db, zone, t)) {
    if (step.at > now) continue;
    await db.transaction().execute(async (tx) => {
      const k = await tx.selectFrom('dns_keys').select(['id', 'state']).where('zone', '=', zone).where('key_tag', '=', step.keyTag)
        .where('role', '=', step.role).where('state', '=', step.from as KeyState).forUpdate().executeTakeFirst();
      if (!k) return; // another node took it
      if (step.to === 'active') {
        // The new key takes over; the old active key of the same role retires.
        await tx.updateTable('dns_keys').set({ state: 'retired', retired_at: now }).where('zone', '=', zone).where('role', '=', step.role).where('state', '=', 'active').execute();
        await tx.updateTable('dns_keys').set({ state: 'active', active_at: now, ...(step.role === 'ksk' ? { published_at: now } : {}) }).where('id', '=', k.id).execute();
      } else {
        await tx.updateTable('dns_keys').set({ state: 'removed', removed_at: now }).where('id', '=', k.id).execute();
      }
      taken.push(step);
    });
  }
  // Scheduled rollovers: an active key older than its lifetime, with no rollover under way.
  const keys = await rows(db, zone);
  for (const role of ['zsk', 'ksk'] as const) {
    const life = role === 'zsk' ? t.zskLifetime : t.kskLifetime;
    if (life <= 0 || keys.some((k) => k.role === role && k.state !== 'active')) continue;
    const active = keys.find((k) => k.role === role && k.state === 'active');
    if (active?.active_at && now.getTime() - active.active_at.getTime() >= life * 1000) {
      const { keyTag } = await startRollover(db, zone, role, now);
      taken.push({ zone, role, keyTag, from: 'new', to: role === 'zsk' ? 'published' : 'created', at: now });
    }
  }
  return taken;
}
