// The IXFR journal (RFC 1995): every difference the incremental publisher makes is kept with the zone in
// memory (to answer IXFR without touching the database, like every other answer) and written to
// dns_journal (old/new serial, removed and added RRs as [name, type, ttl, base64 RDATA], the SOAs first).
// Both are trimmed to the newest DOMEN_DNS_JOURNAL_KEEP differences per zone (default 1000); a secondary
// further behind, or at a serial we never had, gets the whole zone (AXFR form, RFC 1995 §4).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { T, serialGreater, type RR } from './wire.ts';
import type { JournalEntry, Zone } from './zone-model.ts';

export type StoredRR = [string, number, number, string];

const toStored = (rr: RR): StoredRR => [rr.name, rr.type, rr.ttl, rr.rdata.toString('base64')];
export const fromStored = (s: StoredRR): RR => ({ name: s[0], type: s[1], ttl: s[2], rdata: Buffer.from(s[3], 'base64') });

export function journalKeep(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.DOMEN_DNS_JOURNAL_KEEP ?? 1000);
  if (!Number.isInteger(n) || n < 0) throw new Error('DOMEN_DNS_JOURNAL_KEEP is a number of differences per zone');
  return n;
}

/** Keeps the difference with the zone (trimmed to `keep`). */
export function remember(zone: Zone, entry: JournalEntry, keep: number): void {
  zone.journal.push(entry);
  if (zone.journal.length > keep) zone.journal.splice(0, zone.journal.length - keep);
}

/** Writes one difference (inside the caller's transaction) and trims the zone's rows to `keep`. */
export async function writeJournal(db: Kysely<Database>, origin: string, entry: JournalEntry, at: Date, keep: number): Promise<void> {
  const soa = (rdata: Buffer, ttl: number): StoredRR => [origin, T.SOA, ttl, rdata.toString('base64')];
  const soaTtl = entry.removed.find((r) => r.type === T.RRSIG && r.name === origin && r.rdata.readUInt16BE(0) === T.SOA)?.ttl ?? 0;
  await db.insertInto('dns_journal').values({
    zone: origin, serial_from: entry.from, serial_to: entry.to, at,
    removed: JSON.stringify([soa(entry.fromSoa, soaTtl), ...entry.removed.map(toStored)]),
    added: JSON.stringify([soa(entry.toSoa, soaTtl), ...entry.added.map(toStored)]),
  }).execute();
  const cutoff = await db.selectFrom('dns_journal').select('id').where('zone', '=', origin).orderBy('id', 'desc').offset(keep).limit(1).executeTakeFirst();
  if (cutoff) await db.deleteFrom('dns_journal').where('zone', '=', origin).where('id', '<=', cutoff.id).execute();
}

/**
 * The condensed difference from `serial` to the zone's current serial (RFC 1995 §5 allows condensing a
 * sequence into one), or null when the journal does not reach back to it (the caller sends the zone).
 * An RR added and later removed, or removed and added back, cancels out.
 */
export function differenceSince(zone: Zone, serial: number): { fromSoa: Buffer; removed: RR[]; added: RR[] } | null {
  const j = zone.journal;
  const start = j.findIndex((e) => e.from === serial);
  if (start < 0 || j[j.length - 1]!.to !== zone.serial) return null;
  for (let i = start + 1; i < j.length; i++) if (j[i]!.from !== j[i - 1]!.to) return null;
  const key = (rr: RR) => `${rr.name}|${rr.type}|${rr.ttl}|${rr.rdata.toString('base64')}`;
  const removed = new Map<string, RR>();
  const added = new Map<string, RR>();
  for (const e of j.slice(start)) {
    for (const rr of e.removed) { const k = key(rr); if (added.has(k)) added.delete(k); else removed.set(k, rr); }
    for (const rr of e.added) { const k = key(rr); if (removed.has(k)) removed.delete(k); else added.set(k, rr); }
  }
  return { fromSoa: j[start]!.fromSoa, removed: [...removed.values()], added: [...added.values()] };
}

/** Whether a client at `serial` is behind the zone (RFC 1982). */
export function behind(zone: Zone, serial: number): boolean { return serialGreater(zone.serial, serial); }
