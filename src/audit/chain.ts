// The audit hash chain (issue 8, docs/audit.md). Each entry commits to its fields, to a digest of its before/after
// payload, and to the hash of the entry before it, so editing, deleting or inserting any entry breaks the chain
// from that point on. The payload enters only as its digest (payload_hash), so personal data in before/after can
// be erased after the retention period (R8.8) while the chain still verifies: a redaction is itself an audit
// entry that records the digest of the redacted payload (see verifyChain).
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

/** An audit entry as collected during an operation, before it has a place in the chain. */
export interface AuditDraft {
  at: Date;
  actorType: string;
  actorId: string;
  operation: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  clientTrid: string | null;
  source: string | null;
}

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

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

interface Head { seq: number; hash: string; legacy_chained: boolean }

async function lockHead(tx: Tx): Promise<Head> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
  // Under the lock, in READ COMMITTED, this reads the head the previous writer committed; FOR UPDATE makes a
  // stricter isolation level fail (and be retried) rather than fork the chain.
  return tx.selectFrom('audit_head').select(['seq', 'hash', 'legacy_chained']).forUpdate().executeTakeFirstOrThrow();
}

/**
 * Gives the entries written before the chain existed (migration 0006) their places, in id order. Runs once,
 * under the chain lock, by the first writer after the migration (or by `domen audit verify`).
 */
async function chainLegacy(tx: Tx, head: Head): Promise<Head> {
  let { seq, hash } = head;
  for (;;) {
    const rows = await tx.selectFrom('audit_log').selectAll().where('seq', 'is', null).orderBy('id').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const ph = payloadHash(r.before, r.after);
      const h = entryHash({
        seq: seq + 1, prevHash: hash, at: r.at, actorType: r.actor_type, actorId: r.actor_id, operation: r.operation,
        objectType: r.object_type, objectId: r.object_id, clientTrid: r.client_trid, source: r.source, payloadHash: ph,
      });
      await tx.updateTable('audit_log').set({ seq: seq + 1, prev_hash: hash, payload_hash: ph, hash: h }).where('id', '=', r.id).execute();
      seq += 1;
      hash = h;
    }
  }
  return { seq, hash, legacy_chained: true };
}

async function saveHead(tx: Tx, head: Head, at: Date): Promise<void> {
  await tx.updateTable('audit_head').set({ seq: head.seq, hash: head.hash, legacy_chained: true, updated_at: at }).execute();
}

/**
 * Appends an operation's entries to the chain. Called by runOperation as the last statement before commit, so the
 * chain lock is held only for these few inserts while operations run in parallel up to here.
 */
export async function appendAudit(tx: Tx, drafts: readonly AuditDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  let head = await lockHead(tx);
  if (!head.legacy_chained) head = await chainLegacy(tx, head);
  let { seq, hash } = head;
  const rows = drafts.map((d) => {
    const ph = payloadHash(d.before, d.after);
    seq += 1;
    const h = entryHash({
      seq, prevHash: hash, at: d.at, actorType: d.actorType, actorId: d.actorId, operation: d.operation,
      objectType: d.objectType, objectId: d.objectId, clientTrid: d.clientTrid, source: d.source, payloadHash: ph,
    });
    const row = {
      at: d.at, actor_type: d.actorType, actor_id: d.actorId, operation: d.operation, object_type: d.objectType, object_id: d.objectId,
      before: json(d.before), after: json(d.after), client_trid: d.clientTrid, source: d.source,
      seq, prev_hash: hash, payload_hash: ph, hash: h,
    };
    hash = h;
    return row;
  });
  await tx.insertInto('audit_log').values(rows).execute();
  await saveHead(tx, { seq, hash, legacy_chained: true }, drafts[drafts.length - 1]!.at);
}

/** Chains any entries from before migration 0006 now, in a transaction of its own. Returns how many. */
export async function chainLegacyEntries(db: Kysely<Database>): Promise<number> {
  const flag = await db.selectFrom('audit_head').select('legacy_chained').executeTakeFirst();
  if (!flag || flag.legacy_chained) return 0;
  const run = async (tx: Tx) => {
    const head = await lockHead(tx);
    if (head.legacy_chained) return 0;
    const done = await chainLegacy(tx, head);
    await saveHead(tx, done, new Date());
    return done.seq - head.seq;
  };
  // Also callable inside a transaction (a restore, a test that rolls back).
  return db.isTransaction ? run(db as Tx) : db.transaction().execute(run);
}
