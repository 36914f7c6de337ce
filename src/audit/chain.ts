// The audit hash chain (issue 8, docs/audit.md). Each entry commits to its fields, to a digest of its before/after
// payload, and to the hash of the entry before it, so editing, deleting or inserting any entry breaks the chain
// from that point on. The payload enters only as its digest (payload_hash), so personal data in before/after can
// be erased after the retention period (R8.8) while the chain still verifies: a redaction is itself an audit
// entry that records the digest of the redacted payload (see verifyChain).
// Operations write their entries unsealed and without a lock; after commit a sealer gives them their places under
// the chain lock (sealAudit), so the chain no longer orders every write transaction up to its commit.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Tx = Transaction<Database>;

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);
/** pg_advisory_xact_lock key of the chain: any constant, 'domen audit chain'. */
export const CHAIN_LOCK = 7_200_806;
/** The operation whose audit entry lists the entries it redacted, with the digests of their redacted payloads. */
export const REDACTION_OPERATION = 'privacy.purge';

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, undefined members dropped, dates as
 * ISO strings (what JSON.stringify does). The same value read back from jsonb gives the same text.
 */
export function canonicalJson(value: unknown): string {
  return canon(JSON.parse(JSON.stringify(value ?? null)) as unknown);
}

function canon(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canon(o[k])}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The digest of an entry's before/after payload. */
export function payloadHash(before: unknown, after: unknown): string {
  return sha256Hex(canonicalJson({ before: before ?? null, after: after ?? null }));
}

export interface ChainedFields {
  seq: number;
  prevHash: string;
  at: Date;
  actorType: string;
  actorId: string;
  operation: string;
  objectType: string;
  objectId: string;
  clientTrid: string | null;
  source: string | null;
  payloadHash: string;
}

/** The hash of one entry: a versioned, canonical array of every field but the payload, which enters as its digest. */
export function entryHash(f: ChainedFields): string {
  return sha256Hex(canonicalJson(['domen-audit-v1', f.seq, f.prevHash, f.at.toISOString(), f.actorType, f.actorId, f.operation,
    f.objectType, f.objectId, f.clientTrid, f.source, f.payloadHash]));
}

interface Head { seq: number; hash: string }

async function lockHead(tx: Tx): Promise<Head> {
  // One statement takes the chain lock and reads the head FOR UPDATE: in READ COMMITTED the row lock waits for
  // the previous sealer's commit and then yields the head it committed. The unsealed entries are read by the
  // next statement, whose snapshot is taken after the lock: it sees everything the previous sealer sealed.
  const r = await sql<Head>`select seq, hash from audit_head
    where pg_advisory_xact_lock(${CHAIN_LOCK}) is not null for update`.execute(tx);
  if (!r.rows[0]) throw new Error('audit_head has no row');
  return r.rows[0];
}

interface UnsealedRow {
  id: number; at: Date; actor_type: string; actor_id: string; operation: string; object_type: string; object_id: string;
  client_trid: string | null; source: string | null; payload_hash: string | null; before: unknown; after: unknown;
}

/** Entries sealed per statement; a larger backlog (e.g. entries from before the chain, migration 0006) takes several. */
const SEAL_BATCH = 2000;

/**
 * One batch under the lock: the oldest unsealed entries visible now, in id order, get the next places. The chain
 * order is the seal order (an entry whose transaction committed late gets a later place than its id suggests).
 * Returns how many were sealed.
 */
async function sealBatch(tx: Tx, head: Head): Promise<number> {
  // The payload is read only for entries written without its digest (those from before the chain).
  const r = await sql<UnsealedRow>`select id, at, actor_type, actor_id, operation, object_type, object_id, client_trid, source, payload_hash,
      case when payload_hash is null then before end as before, case when payload_hash is null then after end as after
    from audit_log where seq is null order by id limit ${SEAL_BATCH}`.execute(tx);
  if (r.rows.length === 0) return 0;
  let { seq, hash } = head;
  const sealed = r.rows.map((row) => {
    const ph = row.payload_hash ?? payloadHash(row.before, row.after);
    const prev = hash;
    seq += 1;
    hash = entryHash({
      seq, prevHash: prev, at: row.at, actorType: row.actor_type, actorId: row.actor_id, operation: row.operation,
      objectType: row.object_type, objectId: row.object_id, clientTrid: row.client_trid, source: row.source, payloadHash: ph,
    });
    return { id: row.id, seq, prev, ph, hash };
  });
  // The entries and the head in one statement; the head moves only if every entry read was still there to seal.
  const done = await sql<{ seq: number }>`with sealed as (
      update audit_log a set seq = x.seq, prev_hash = x.prev, payload_hash = x.ph, hash = x.hash
      from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as x(id bigint, seq bigint, prev text, ph text, hash text)
      where a.id = x.id and a.seq is null returning 1
    )
    update audit_head set seq = ${seq}, hash = ${hash}, legacy_chained = true, updated_at = ${r.rows[r.rows.length - 1]!.at}
    where (select count(*) from sealed) = ${sealed.length} returning seq`.execute(tx);
  if (done.rows.length !== 1) throw new Error('audit sealer: unsealed entries changed under the chain lock');
  head.seq = seq;
  head.hash = hash;
  return sealed.length;
}

/**
 * Seals every audit entry written so far (docs/audit.md): takes the chain lock for one short transaction per
 * batch, so two processes sealing at once take turns. Inside a transaction (a restore, a test that rolls back)
 * it seals there. Returns how many entries were sealed.
 */
export async function sealAudit(db: Kysely<Database>): Promise<number> {
  if (db.isTransaction) {
    const tx = db as Tx;
    const head = await lockHead(tx);
    let total = 0;
    for (;;) {
      const n = await sealBatch(tx, head);
      total += n;
      if (n < SEAL_BATCH) return total;
    }
  }
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => sealBatch(tx, await lockHead(tx)));
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}

interface SealerState { running: Promise<void> | null; again: boolean }
const sealers = new WeakMap<Kysely<Database>, SealerState>();

/**
 * Asks for a seal after an operation committed: at most one sealer runs per database handle in this process;
 * a request while it runs makes it run once more, so a burst of commits is sealed by a few runs, milliseconds
 * after them. Failures are left to the next run and to the worker's backstop timer (src/worker/timers.ts),
 * which reports them.
 */
export function requestSeal(db: Kysely<Database>): void {
  let s = sealers.get(db);
  if (!s) sealers.set(db, s = { running: null, again: false });
  if (s.running) { s.again = true; return; }
  const state = s;
  state.running = (async () => {
    do {
      state.again = false;
      try { await sealAudit(db); } catch { /* see above */ }
    } while (state.again);
  })().finally(() => { state.running = null; });
}

/** Resolves when this process has no seal requested or running for db (tests, shutdown). */
export async function sealerIdle(db: Kysely<Database>): Promise<void> {
  for (let s = sealers.get(db); s?.running;) await s.running;
}
