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
  // One statement takes the chain lock and reads the head FOR UPDATE: in READ COMMITTED the row lock waits for
  // the previous writer's commit and then yields the head it committed; a stricter isolation level fails (and
  // is retried) rather than fork the chain.
  const r = await sql<Head>`select seq, hash, legacy_chained from audit_head
    where pg_advisory_xact_lock(${CHAIN_LOCK}) is not null for update`.execute(tx);
  if (!r.rows[0]) throw new Error('audit_head has no row');
  return r.rows[0];
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
  if (await appendInOneStatement(tx, drafts)) return;
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
  // The entries and the new head in one statement: the chain lock is held for this round trip and the commit.
  await tx.with('entries', (db) => db.insertInto('audit_log').values(rows))
    .updateTable('audit_head').set({ seq, hash, legacy_chained: true, updated_at: drafts[drafts.length - 1]!.at }).execute();
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

/**
 * The usual append as one statement: the chain lock, the head FOR UPDATE, the entries with their hashes and the
 * new head. Every create, update... ends here and the chain serializes them all until commit, so the lock is
 * held for this one round trip and the commit, not for three. The hash is entryHash's, computed by PostgreSQL:
 * canonicalJson of the entry's array is '["domen-audit-v1",<seq>,"<prevHash>",' followed by the canonical JSON
 * of the remaining fields (without their '['), which does not depend on the head and is built here; seq is an
 * integer and prevHash hex, so they need no escaping. Returns false, writing nothing, while entries from before
 * the chain are still to be chained (appendAudit then takes the long way).
 */
async function appendInOneStatement(tx: Tx, drafts: readonly AuditDraft[]): Promise<boolean> {
  const entries = drafts.map((d) => {
    const ph = payloadHash(d.before, d.after);
    return {
      rest: canonicalJson([d.at.toISOString(), d.actorType, d.actorId, d.operation, d.objectType, d.objectId, d.clientTrid, d.source, ph]).slice(1),
      at: d.at.toISOString(), actorType: d.actorType, actorId: d.actorId, operation: d.operation, objectType: d.objectType, objectId: d.objectId,
      before: d.before ?? null, after: d.after ?? null, clientTrid: d.clientTrid, source: d.source, payloadHash: ph,
    };
  });
  const r = await sql<{ seq: number }>`with recursive head as (
      select seq, hash from audit_head where legacy_chained and pg_advisory_xact_lock(${CHAIN_LOCK}) is not null for update
    ), input as (
      select e, ord from jsonb_array_elements(${JSON.stringify(entries)}::jsonb) with ordinality as x(e, ord)
    ), chain (ord, seq, prev, hash) as (
      select i.ord, h.seq + 1, h.hash,
        encode(sha256(convert_to('["domen-audit-v1",' || (h.seq + 1)::text || ',"' || h.hash || '",' || (i.e->>'rest'), 'UTF8')), 'hex')
      from head h, input i where i.ord = 1
      union all
      select i.ord, c.seq + 1, c.hash,
        encode(sha256(convert_to('["domen-audit-v1",' || (c.seq + 1)::text || ',"' || c.hash || '",' || (i.e->>'rest'), 'UTF8')), 'hex')
      from chain c join input i on i.ord = c.ord + 1
    ), written as (
      insert into audit_log (at, actor_type, actor_id, operation, object_type, object_id, before, after, client_trid, source,
        seq, prev_hash, payload_hash, hash)
      select (i.e->>'at')::timestamptz, i.e->>'actorType', i.e->>'actorId', i.e->>'operation', i.e->>'objectType', i.e->>'objectId',
        nullif(i.e->'before', 'null'::jsonb), nullif(i.e->'after', 'null'::jsonb), i.e->>'clientTrid', i.e->>'source',
        c.seq, c.prev, i.e->>'payloadHash', c.hash
      from input i join chain c on c.ord = i.ord
    ), last as (
      select seq, hash from chain order by ord desc limit 1
    )
    update audit_head set seq = last.seq, hash = last.hash, updated_at = ${drafts[drafts.length - 1]!.at} from last
    returning audit_head.seq`.execute(tx);
  return r.rows.length === 1;
}
