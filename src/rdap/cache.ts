// An in-process cache of rendered anonymous RDAP answers (body and ETag), so that hot objects never touch the
// database. Correctness across processes comes from the outbox: every committed change writes outbox rows in its
// transaction (src/core/operation.ts), and each process polls the outbox after its watermark and drops the answers
// that depend on what changed. An answer is never stored when an invalidation ran while it was being read (it
// may have been read before the commit), and every answer also expires after `ttlMs`, as a bound on staleness.
import { sql } from 'kysely';
import type { Registry } from '../core/registry.ts';

export interface CachedAnswer {
  etag: string;
  /** The body around the 'last update of RDAP database' placeholder (one part when it has none). */
  parts: [string] | [string, string];
  /** Keys of the objects it was made from: 'domain:NAME', 'bundle:KEY', 'contact:HANDLE', 'host:NAME', 'registrar:ID'. */
  deps: string[];
  expiresAt: number;
  /** The body with the stamp of `stampedAt` filled in, kept while the stamp is the same. */
  body?: Buffer;
  stampedAt?: string;
  /** Where the stamp (20 ASCII bytes) sits in `body`. */
  stampOffset?: number;
  /** The headers of its 200 and 304 as [name, value, ...], made once by the fast path of src/rdap/plugin.ts. */
  wire?: { ok: string[]; notModified: string[] };
}

export interface AnswerCacheOptions {
  /** Answers kept (default 20,000: about 130 MB of domain answers). */
  maxEntries?: number;
  /** How often the outbox is read, ms (default DOMEN_RDAP_CACHE_POLL_MS or 250). */
  pollMs?: number;
  /** Longest life of an answer, ms (default 60 s). */
  ttlMs?: number;
}

interface OutboxEvent { id: number; object_type: string; object_id: string; payload: { name?: string; oldName?: string } | null }

/** The dependency of answers that change with any domain (a host's or contact's 'associated' status). */
export const ANY_DOMAIN = 'domain:*';

/** Outbox object types that change nothing RDAP shows. Any other unknown type empties the cache. */
const IRRELEVANT = new Set(['user', 'api_token', 'calendar', 'escrow', 'billing_account', 'price', 'invoice', 'notification', 'dispute', 'abuse_report']);

export class AnswerCache {
  private entries = new Map<string, CachedAnswer>();
  /** dep key -> cache keys that depend on it. */
  private byDep = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Outbox ids below the watermark not seen yet: a transaction may commit an id lower than one already read. */
  private gaps = new Map<number, number>();
  /** Bumped by every invalidation: an answer read across one is not stored. */
  generation = 0;
  cursor = 0;
  /** When the outbox was last read successfully: how fresh the answers are ('last update of RDAP database'). */
  freshAt: Date;
  readonly maxEntries: number;
  readonly pollMs: number;
  readonly ttlMs: number;
  static readonly LIMIT = 5000;
  static readonly GAP_MS = 30_000;

  constructor(private reg: Registry, opts: AnswerCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 20_000;
    this.pollMs = opts.pollMs ?? (Number(process.env.DOMEN_RDAP_CACHE_POLL_MS) || 250);
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.freshAt = reg.clock.now();
  }

  /** Reads the outbox watermark and starts polling. */
  async start(): Promise<void> {
    const r = await sql<{ id: string | null }>`select max(id) as id from outbox`.execute(this.reg.db);
    this.cursor = Number(r.rows[0]?.id ?? 0);
    this.freshAt = this.reg.clock.now();
    this.timer = setInterval(() => { void this.sync().catch(() => { /* next time; freshAt shows the age */ }); }, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling?.catch(() => {});
  }

  get size(): number { return this.entries.size; }

  get(key: string, nowMs: number): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= nowMs) { this.remove(key); return undefined; }
    return e;
  }

  /** Stores an answer read while `generation` was current; dropped if anything was invalidated since. */
  put(key: string, answer: Omit<CachedAnswer, 'expiresAt'>, generation: number, nowMs: number): void {
    if (generation !== this.generation || !this.timer) return;
    if (this.entries.has(key)) this.remove(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    this.entries.set(key, { ...answer, expiresAt: nowMs + this.ttlMs });
    for (const d of answer.deps) {
      let s = this.byDep.get(d);
      if (!s) { s = new Set(); this.byDep.set(d, s); }
      s.add(key);
    }
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    for (const d of e.deps) {
      const s = this.byDep.get(d);
      if (s) { s.delete(key); if (s.size === 0) this.byDep.delete(d); }
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byDep.clear();
  }

  invalidate(deps: Iterable<string>): void {
    this.generation++;
    for (const d of deps) {
      const s = this.byDep.get(d);
      if (s) for (const key of [...s]) this.remove(key);
    }
  }

  /** Reads the outbox now and drops what the new events touch (the timer does this every pollMs). */
  sync(): Promise<void> {
    this.polling ??= this.readOutbox().finally(() => { this.polling = null; });
    return this.polling;
  }

  private async readOutbox(): Promise<void> {
    const startedAt = this.reg.clock.now();
    const db = this.reg.db;
    const rows = await db.selectFrom('outbox').select(['id', 'object_type', 'object_id', 'payload']).where('id', '>', this.cursor)
      .orderBy('id').limit(AnswerCache.LIMIT).execute() as unknown as OutboxEvent[];
    const late = this.gaps.size === 0 ? [] : await db.selectFrom('outbox').select(['id', 'object_type', 'object_id', 'payload'])
      .where('id', 'in', [...this.gaps.keys()]).execute() as unknown as OutboxEvent[];
    const nowMs = Date.now();
    for (const r of late) this.gaps.delete(Number(r.id));
    for (const [id, since] of this.gaps) if (nowMs - since > AnswerCache.GAP_MS) this.gaps.delete(id);
    let expect = this.cursor + 1;
    for (const r of rows) {
      const id = Number(r.id);
      for (let g = expect; g < id && this.gaps.size < 10_000; g++) this.gaps.set(g, nowMs);
      expect = id + 1;
    }
    if (rows.length) this.cursor = Number(rows[rows.length - 1]!.id);
    if (rows.length >= AnswerCache.LIMIT) this.clear();
    else if (rows.length || late.length) await this.apply([...late, ...rows]);
    this.freshAt = startedAt;
  }

  private async apply(events: OutboxEvent[]): Promise<void> {
    const deps = new Set<string>();
    const domains: string[] = [];
    for (const e of events) {
      switch (e.object_type) {
        case 'domain': deps.add(`domain:${e.object_id}`).add(ANY_DOMAIN); domains.push(e.object_id); break;
        case 'contact': deps.add(`contact:${e.object_id}`); break;
        case 'registrar': deps.add(`registrar:${e.object_id}`); break;
        case 'host':
          for (const n of [e.payload?.name, e.payload?.oldName]) if (n) deps.add(`host:${n}`);
          if (!e.payload?.name) { this.clear(); return; }
          break;
        default:
          // Policy lists and zones change how names resolve; transfers, owner changes and applications change
          // domains: rare, so everything goes.
          if (!IRRELEVANT.has(e.object_type)) { this.clear(); return; }
      }
    }
    if (domains.length) {
      // The other names of a changed domain's IDN bundle show it as a variant.
      const r = await this.reg.db.selectFrom('domains').select('bundle_key').distinct().where('name', 'in', domains).execute();
      for (const b of r) deps.add(`bundle:${b.bundle_key}`);
    }
    this.invalidate(deps);
  }
}
