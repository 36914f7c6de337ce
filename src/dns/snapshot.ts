// Stable serials across restarts (issue 5). ECDSA signatures differ at every signing, so a zone re-signed at
// start is not byte-equal to what the secondaries hold for the same serial: an IXFR that removes "our" RRSIGs
// would not apply there. So the service keeps, per zone, the RRSIGs as served at one serial (a snapshot,
// table dns_zone_snapshot) and the journal (dns_journal) after it; at start, a zone whose freshly built
// unsigned content has the digest of the last journaled state gets those RRSIGs back (snapshot + the RRSIG
// changes of each difference since) and keeps its serial and its in-memory journal. Anything that does not
// add up (no snapshot, a gap in the journal, an RRset without a stored signature) falls back to a new serial.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fromStored, type StoredRR } from './journal.ts';
import { T } from './wire.ts';
import type { JournalEntry, Zone } from './zone-model.ts';

/** RRSIG RDATAs by owner and covered type. */
export type StoredSigs = Map<string, Buffer[]>;

export const sigKey = (owner: string, type: number): string => `${owner}\n${type}`;

/** The largest part of a snapshot: far below the limits of one bytea value in the driver and in PostgreSQL. */
export const PART_BYTES = 4 << 20;

/**
 * The zone's RRSIGs as parts of at most `partBytes` (a larger RRset set gets a part of its own); each part is a
 * run of whole records: owner length, owner (latin1), type, count, then each RRSIG as length + RDATA.
 */
export function encodeSigs(zone: Zone, partBytes = PART_BYTES): Buffer[] {
  const parts: Buffer[] = [];
  let buf = Buffer.allocUnsafe(partBytes);
  let o = 0;
  for (const [name, node] of zone.nodes) {
    for (const [type, set] of node) {
      if (set.sigs.length === 0) continue;
      const need = 1 + name.length + 3 + set.sigs.reduce((n, s) => n + s.length + 2, 0);
      if (o + need > buf.length) {
        if (o > 0) parts.push(Buffer.from(buf.subarray(0, o)));
        buf = Buffer.allocUnsafe(Math.max(partBytes, need));
        o = 0;
      }
      buf[o++] = name.length;
      o += buf.write(name, o, 'latin1');
      buf.writeUInt16BE(type, o); buf[o + 2] = set.sigs.length; o += 3;
      for (const s of set.sigs) { buf.writeUInt16BE(s.length, o); s.copy(buf, o + 2); o += 2 + s.length; }
    }
  }
  if (o > 0) parts.push(Buffer.from(buf.subarray(0, o)));
  return parts;
}

export function decodeSigs(parts: readonly Buffer[]): StoredSigs {
  const out: StoredSigs = new Map();
  for (const buf of parts) {
    let o = 0;
    while (o < buf.length) {
      const len = buf[o]!;
      const name = buf.toString('latin1', o + 1, o + 1 + len);
      o += 1 + len;
      const type = buf.readUInt16BE(o); const count = buf[o + 2]!; o += 3;
      const sigs: Buffer[] = [];
      for (let i = 0; i < count; i++) { const l = buf.readUInt16BE(o); sigs.push(buf.subarray(o + 2, o + 2 + l)); o += 2 + l; }
      out.set(sigKey(name, type), sigs);
    }
  }
  return out;
}

/** Records the zone's signatures at its serial (replacing the previous snapshot of the zone), in one transaction. */
export async function writeSnapshot(db: Kysely<Database>, zone: Zone, at: Date, partBytes = PART_BYTES): Promise<void> {
  const parts = encodeSigs(zone, partBytes);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('dns_zone_snapshot').values({ zone: zone.origin, serial: zone.serial, at })
      .onConflict((oc) => oc.column('zone').doUpdateSet({ serial: zone.serial, at })).execute();
    await tx.deleteFrom('dns_zone_snapshot_part').where('zone', '=', zone.origin).execute();
    for (const [part, data] of parts.entries()) await tx.insertInto('dns_zone_snapshot_part').values({ zone: zone.origin, part, data }).execute();
  });
}

/** The parts in order; one query each, so no single value the driver decodes grows with the zone. */
async function readParts(db: Kysely<Database>, origin: string): Promise<Buffer[]> {
  const ids = await db.selectFrom('dns_zone_snapshot_part').select('part').where('zone', '=', origin).orderBy('part').execute();
  const out: Buffer[] = [];
  for (const { part } of ids) {
    const r = await db.selectFrom('dns_zone_snapshot_part').select('data').where('zone', '=', origin).where('part', '=', part).executeTakeFirstOrThrow();
    out.push(Buffer.from(r.data));
  }
  return out;
}

function entryOf(row: { serial_from: number; serial_to: number; removed: unknown; added: unknown }): JournalEntry {
  const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as StoredRR[];
  const removed = parse(row.removed).map(fromStored);
  const added = parse(row.added).map(fromStored);
  return { from: Number(row.serial_from), to: Number(row.serial_to), fromSoa: removed[0]!.rdata, toSoa: added[0]!.rdata, removed: removed.slice(1), added: added.slice(1) };
}

export interface Restorable { serial: number; sigs: StoredSigs; journal: JournalEntry[] }

/**
 * What a restart needs to serve `origin` as last journaled: its serial, the RRSIGs as served at that serial,
 * and the journal that leads there (for IXFR). Null when the content digest differs or the record is incomplete.
 */
export async function loadRestorable(db: Kysely<Database>, origin: string, digest: string, keep: number): Promise<Restorable | null> {
  const state = await db.selectFrom('dns_zone_state').select(['serial', 'digest']).where('zone', '=', origin).executeTakeFirst();
  if (!state || state.digest !== digest) return null;
  const snap = await db.selectFrom('dns_zone_snapshot').select(['serial']).where('zone', '=', origin).executeTakeFirst();
  if (!snap) return null;
  const serial = Number(state.serial);
  const rows = (await db.selectFrom('dns_journal').select(['serial_from', 'serial_to', 'removed', 'added']).where('zone', '=', origin).orderBy('id').execute()).map(entryOf);
  // The unbroken run of differences that ends at the current serial.
  let start = rows.length;
  while (start > 0 && rows[start - 1]!.to === (start === rows.length ? serial : rows[start]!.from)) start--;
  const run = rows.slice(start);
  const fromSnap = run.findIndex((e) => e.from === Number(snap.serial));
  if (Number(snap.serial) !== serial && fromSnap < 0) return null;
  const sigs = decodeSigs(await readParts(db, origin));
  // Replay the RRSIG changes of each difference after the snapshot.
  for (const e of Number(snap.serial) === serial ? [] : run.slice(fromSnap)) {
    for (const rr of e.removed) {
      if (rr.type !== T.RRSIG) continue;
      const k = sigKey(rr.name, rr.rdata.readUInt16BE(0));
      const left = (sigs.get(k) ?? []).filter((s) => !s.equals(rr.rdata));
      if (left.length) sigs.set(k, left); else sigs.delete(k);
    }
    for (const rr of e.added) {
      if (rr.type !== T.RRSIG) continue;
      const k = sigKey(rr.name, rr.rdata.readUInt16BE(0));
      sigs.set(k, [...(sigs.get(k) ?? []), rr.rdata]);
    }
  }
  return { serial, sigs, journal: run.slice(Math.max(0, run.length - keep)) };
}
