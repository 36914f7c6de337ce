// `domen audit log`: the audit entries, filtered by object, actor and time, oldest first.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface AuditFilter {
  /** 'domain:example.az', 'contact:C1' ... */
  objectType?: string;
  objectId?: string;
  actorId?: string;
  since?: Date;
  until?: Date;
  limit?: number;
}

export interface AuditEntry {
  seq: number | null; id: number; at: Date; actorType: string; actorId: string; operation: string;
  objectType: string; objectId: string; before: unknown; after: unknown; clientTrid: string | null; source: string | null;
  hash: string | null; redacted: boolean;
}

/** Parses `TYPE:ID` of --object. */
export function parseObject(text: string): { objectType: string; objectId: string } {
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) throw new Error(`--object is TYPE:ID, e.g. domain:example.az or contact:C1, not '${text}'`);
  return { objectType: text.slice(0, i), objectId: text.slice(i + 1) };
}

export async function listAudit(db: Kysely<Database>, f: AuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.objectType) q = q.where('object_type', '=', f.objectType);
  if (f.objectId) q = q.where('object_id', '=', f.objectId);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.since) q = q.where('at', '>=', f.since);
  if (f.until) q = q.where('at', '<', f.until);
  // Newest `limit` entries, shown oldest first.
  const rows = await q.orderBy('seq', 'desc').orderBy('id', 'desc').limit(f.limit ?? 1000).execute();
  return rows.reverse().map((r) => ({
    seq: r.seq, id: r.id, at: r.at, actorType: r.actor_type, actorId: r.actor_id, operation: r.operation,
    objectType: r.object_type, objectId: r.object_id, before: r.before, after: r.after, clientTrid: r.client_trid, source: r.source,
    hash: r.hash, redacted: r.redacted_at !== null,
  }));
}
