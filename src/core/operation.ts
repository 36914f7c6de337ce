// One operation = one database transaction that writes the object rows, a history version, an audit entry
// and an outbox event (and poll messages), or nothing at all.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { payloadHash, requestSeal } from '../audit/chain.ts';
import { actorId, type Actor } from './actor.ts';
import { RegistryError, isRegistryError } from './errors.ts';
import type { Registry } from './registry.ts';

export type Tx = Transaction<Database>;

export interface Change {
  objectType: 'domain' | 'contact' | 'host' | 'registrar' | 'user' | 'application' | 'transfer' | 'owner_change' | 'policy' | 'zone' | 'calendar' | 'api_token' | 'escrow'
    | 'billing_account' | 'price' | 'invoice' | 'notification'
    | 'accreditation' | 'dispute' | 'abuse_report';
  objectId: string;
  before: unknown;
  after: unknown;
  /** Outbox topic, e.g. 'domain.created'. */
  topic: string;
  payload?: Record<string, unknown>;
  /** Objects that have no versioned history (list entries) skip it. */
  history?: boolean;
}

export class OperationContext {
  readonly changes: Change[] = [];
  constructor(
    readonly tx: Tx,
    readonly actor: Actor,
    readonly now: Date,
    readonly registry: Registry,
    readonly operation: string,
  ) {}

  get actorId(): string { return actorId(this.actor); }

  /**
   * History version + audit entry + outbox event for one changed object. The audit entry is written unsealed:
   * the sealer chains it after commit (src/audit/chain.ts, docs/audit.md).
   */
  async record(c: Change): Promise<void> {
    this.changes.push(c);
    const actor = this.actorId;
    const after = c.after === undefined ? null : JSON.stringify(c.after);
    const payload = JSON.stringify({ ...(c.payload ?? {}), actor, operation: this.operation });
    const before = c.before === undefined || c.before === null ? null : JSON.stringify(c.before);
    const clientTrid = this.actor.type === 'registrar' ? (this.actor.clientTrid ?? null) : null;
    // History version, audit entry and outbox event in one statement (one round trip).
    const history = c.history === false ? sql`` : sql`history as (
        insert into object_history (object_type, object_id, version, operation, actor, at, snapshot)
        select ${c.objectType}, ${c.objectId}, coalesce(max(version), 0) + 1, ${this.operation}, ${actor}, ${this.now}, ${after}::jsonb
        from object_history where object_type = ${c.objectType} and object_id = ${c.objectId}
      ), `;
    await sql`with ${history}audit as (
        insert into audit_log (at, actor_type, actor_id, operation, object_type, object_id, before, after, client_trid, source, payload_hash)
        values (${this.now}, ${this.actor.type}, ${actor}, ${this.operation}, ${c.objectType}, ${c.objectId}, ${before}::jsonb, ${c.after === null ? null : after}::jsonb,
          ${clientTrid}, ${this.actor.source ?? null}, ${payloadHash(c.before, c.after)})
      ), event as (
        insert into outbox (at, topic, object_type, object_id, payload) values (${this.now}, ${c.topic}, ${c.objectType}, ${c.objectId}, ${payload}::jsonb)
      ) select 1`.execute(this.tx);
  }

  /** A message for a registrar's EPP poll queue (RFC 5730 §2.9.2.3). */
  async poll(registrarId: string, kind: string, message: string, payload: Record<string, unknown>): Promise<void> {
    await this.tx.insertInto('poll_messages').values({
      registrar_id: registrarId, at: this.now, kind, message, payload: JSON.stringify(payload),
    }).execute();
  }

  /** Serializes operations on one key (a name bundle, a list) across every node, until commit. */
  async lock(key: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(this.tx);
  }

  async nextRoid(prefix: 'D' | 'C' | 'H'): Promise<string> {
    const r = await sql<{ n: number }>`select nextval('roid_seq')::int8 as n`.execute(this.tx);
    return `${prefix}${r.rows[0]!.n}-${this.registry.profile.roidSuffix}`;
  }
}

const UNIQUE_MEANING: Record<string, [string, string]> = {
  domains_live_name: ['the domain name is not available: it is already registered', 'R4.12'],
  hosts_live_name: ['a host with this name already exists', 'RFC 5732 §3.2.1'],
  contacts_live_handle: ['a contact with this identifier already exists', 'RFC 5733 §3.2.1'],
  registrars_pkey: ['a registrar with this identifier already exists', 'R9.1'],
  users_email: ['a user with this e-mail address already exists', 'R3.6'],
  transfers_one_pending: ['a transfer of this domain is already pending', 'RFC 5731 §3.2.4'],
  owner_changes_one_pending: ['a change of owner of this domain is already pending', 'R10.1'],
  policy_list_entries_pkey: ['this word is already on the list', 'R4.3'],
};

function translateDbError(err: unknown): unknown {
  if (isRegistryError(err) || typeof err !== 'object' || err === null) return err;
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') {
    const meaning = (e.constraint && UNIQUE_MEANING[e.constraint]) || undefined;
    // PGlite does not always name the constraint; its message does.
    const byMessage = Object.entries(UNIQUE_MEANING).find(([k]) => e.message?.includes(`"${k}"`))?.[1];
    const [message, clause] = meaning ?? byMessage ?? ['the object already exists', 'RFC 5730 §3'];
    return new RegistryError('exists', message, clause, clause === 'R4.12' ? [{ clause, ground: 'R5.1.1', message }] : []);
  }
  return err;
}

const RETRYABLE = new Set(['40001', '40P01']);

/** Runs fn in one transaction as `operation`; retries serialization failures and deadlocks. */
export async function runOperation<T>(
  registry: Registry,
  actor: Actor,
  operation: string,
  fn: (ctx: OperationContext) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      let audited = false;
      const result = await registry.db.transaction().execute(async (tx) => {
        const ctx = new OperationContext(tx, actor, registry.clock.now(), registry, operation);
        const r = await fn(ctx);
        audited = ctx.changes.length > 0;
        return r;
      });
      // Committed: its audit entries get their places in the chain now, in the background (no lock was taken).
      if (audited) requestSeal(registry.db);
      return result;
    } catch (err) {
      const code = (err as { code?: string } | null)?.code;
      if (code && RETRYABLE.has(code) && attempt < 5) continue;
      throw translateDbError(err);
    }
  }
}
