// `domen audit verify`: walks the whole chain and names every entry that was edited, deleted or inserted.
// What it cannot see by itself: an insider who rewrites an entry AND recomputes every later hash and the head.
// Against that, anchors (head seq + hash published outside the database, `domen audit anchor`) are checked.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { GENESIS, REDACTION_OPERATION, entryHash, payloadHash, sealAudit } from './chain.ts';

export type ProblemKind = 'edited' | 'deleted' | 'inserted' | 'relinked' | 'head' | 'redaction' | 'anchor';

export interface Problem { kind: ProblemKind; seq: number | null; id: number | null; message: string }

export interface Anchor { seq: number; hash: string }

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** Entries that were not yet sealed (written by operations, not yet given their places): sealed before the walk. */
  sealed: number;
  /** The last entry's seq and hash, as found. */
  head: Anchor;
  redacted: number;
  anchorsChecked: number;
  problems: Problem[];
}

/** Parses `SEQ:HASH` as printed by `domen audit anchor`. */
export function parseAnchor(text: string): Anchor {
  const m = /^(\d+):([0-9a-f]{64})$/i.exec(text.trim());
  if (!m) throw new Error(`an anchor is SEQ:HASH (a number, a colon and 64 hex digits), not '${text}'`);
  return { seq: Number(m[1]), hash: m[2]!.toLowerCase() };
}

interface Redaction { payloadHash: string; bySeq: number }

/** The redactions an audit entry of REDACTION_OPERATION lists (see src/audit/privacy.ts). */
function redactionsOf(after: unknown): { seq: number; payloadHash: string }[] {
  const list = (after as { redactedAudit?: unknown } | null)?.redactedAudit;
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is { seq: number; payloadHash: string } =>
    typeof x === 'object' && x !== null && typeof (x as { seq?: unknown }).seq === 'number' && typeof (x as { payloadHash?: unknown }).payloadHash === 'string');
}

export async function verifyChain(db: Kysely<Database>, opts: { anchors?: Anchor[]; batch?: number } = {}): Promise<VerifyResult> {
  // Entries written since the last seal (and those from before the chain) get their places first: a legitimate
  // write, done before reading.
  let sealed = 0;
  let sealError: string | null = null;
  try { sealed = await sealAudit(db); } catch (e) {
    // Inside a transaction the failed statement has aborted it; outside, the walk still names what is wrong.
    if (db.isTransaction) throw e;
    sealError = (e as Error).message;
  }
  // The walk reads one snapshot, so entries sealed meanwhile by a running server are neither half seen nor
  // taken for entries appended behind the head.
  const walk = async (tx: Kysely<Database>) => {
    const r = await walkChain(tx, sealed, opts);
    if (sealError === null) return r;
    return { ...r, ok: false, problems: [...r.problems, { kind: 'head' as const, seq: null, id: null, message: `the entries not yet in the chain could not be sealed: ${sealError}` }] };
  };
  return db.isTransaction ? walk(db) : db.transaction().setIsolationLevel('repeatable read').execute((tx: Transaction<Database>) => walk(tx));
}

async function walkChain(db: Kysely<Database>, sealed: number, opts: { anchors?: Anchor[]; batch?: number }): Promise<VerifyResult> {
  const problems: Problem[] = [];
  const batch = opts.batch ?? 2000;
  const hashes = new Map<number, string>();
  const wanted = new Set((opts.anchors ?? []).map((a) => a.seq));
  const stored = await db.selectFrom('audit_anchors').select(['seq', 'hash']).execute();
  for (const a of stored) wanted.add(a.seq);
  const redactedRows: { seq: number; id: number; digest: string }[] = [];
  const redactions = new Map<number, Redaction>();

  let prevSeq = 0;
  let prevHash = GENESIS;
  let entries = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = r.seq!;
      entries++;
      if (seq !== prevSeq + 1) {
        const missing = seq - prevSeq - 1;
        problems.push({ kind: 'deleted', seq: prevSeq + 1, id: null,
          message: missing === 1 ? `entry ${prevSeq + 1} is missing: it was deleted` : `entries ${prevSeq + 1}..${seq - 1} are missing: they were deleted` });
      } else if (r.prev_hash !== prevHash) {
        problems.push({ kind: 'relinked', seq, id: r.id,
          message: `entry ${seq} does not follow entry ${prevSeq}: entry ${prevSeq} was rewritten with a recomputed hash, or entry ${seq} was put in its place` });
      }
      const digest = payloadHash(r.before, r.after);
      if (r.redacted_at) redactedRows.push({ seq, id: r.id, digest });
      else if (digest !== r.payload_hash) {
        problems.push({ kind: 'edited', seq, id: r.id, message: `entry ${seq} (id ${r.id}, ${r.operation} ${r.object_type} ${r.object_id}) was edited: its before/after do not match its hash` });
      }
      const h = entryHash({
        seq, prevHash: r.prev_hash ?? '', at: r.at, actorType: r.actor_type, actorId: r.actor_id, operation: r.operation,
        objectType: r.object_type, objectId: r.object_id, clientTrid: r.client_trid, source: r.source, payloadHash: r.payload_hash ?? '',
      });
      if (h !== r.hash) {
        problems.push({ kind: 'edited', seq, id: r.id, message: `entry ${seq} (id ${r.id}, ${r.operation} ${r.object_type} ${r.object_id}) was edited: its fields do not match its hash` });
      }
      if (r.operation === REDACTION_OPERATION) for (const x of redactionsOf(r.after)) redactions.set(x.seq, { payloadHash: x.payloadHash, bySeq: seq });
      if (wanted.has(seq)) hashes.set(seq, r.hash ?? '');
      prevSeq = seq;
      prevHash = r.hash ?? '';
    }
  }

  // Redacted payloads are checked against the digest their (later, chained) redaction entry recorded.
  for (const r of redactedRows) {
    const red = redactions.get(r.seq);
    if (!red || red.bySeq <= r.seq) problems.push({ kind: 'redaction', seq: r.seq, id: r.id, message: `entry ${r.seq} (id ${r.id}) is marked redacted but no ${REDACTION_OPERATION} entry records it: it was edited` });
    else if (red.payloadHash !== r.digest) problems.push({ kind: 'edited', seq: r.seq, id: r.id, message: `entry ${r.seq} (id ${r.id}) was edited after its redaction by entry ${red.bySeq}` });
  }

  // Entries still without a place were committed after the seal above: the next seal chains them.

  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
  if (head && head.seq > prevSeq) {
    problems.push({ kind: 'deleted', seq: prevSeq + 1, id: null, message: `the chain head is entry ${head.seq} but the last entry is ${prevSeq}: entries at the end were deleted` });
  } else if (head && head.seq < prevSeq) {
    problems.push({ kind: 'inserted', seq: head.seq + 1, id: null, message: `the chain head is entry ${head.seq} but entries up to ${prevSeq} exist: entries were appended outside the audit writer` });
  } else if (head && head.hash !== prevHash) {
    problems.push({ kind: 'relinked', seq: prevSeq, id: null, message: `entry ${prevSeq} does not match the chain head: it was rewritten with a recomputed hash` });
  }

  let anchorsChecked = 0;
  const all = [...(opts.anchors ?? []).map((a) => ({ ...a, from: 'given' })), ...stored.map((a) => ({ ...a, from: 'stored' }))];
  for (const a of all) {
    anchorsChecked++;
    const found = hashes.get(a.seq);
    if (found === undefined) problems.push({ kind: 'anchor', seq: a.seq, id: null, message: `anchor ${a.seq} (${a.from}): there is no entry ${a.seq}: the chain was truncated` });
    else if (found !== a.hash) problems.push({ kind: 'anchor', seq: a.seq, id: null, message: `anchor ${a.seq} (${a.from}): entry ${a.seq} has hash ${found}, the anchor says ${a.hash}: the chain up to ${a.seq} was rewritten` });
  }

  return { ok: problems.length === 0, entries, sealed, head: { seq: prevSeq, hash: prevHash }, redacted: redactedRows.length, anchorsChecked, problems };
}

/** Records the current head as an anchor and returns it; publish `SEQ:HASH` outside the registry. */
export async function takeAnchor(db: Kysely<Database>, at: Date, note: string | null = null): Promise<Anchor & { at: Date }> {
  await sealAudit(db);
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
  await db.insertInto('audit_anchors').values({ seq: head.seq, hash: head.hash, created_at: at, note })
    .onConflict((oc) => oc.column('seq').doNothing()).execute();
  return { seq: head.seq, hash: head.hash, at };
}
