// Retention (R8.8, the Law "On Personal Data"): the personal data of a deleted registration is erased once the
// retention period has passed since the contact was deleted. The contact row stays as a tombstone (handle, ROID,
// kind, country, dates) and the history keeps every version and audit entry (operation, actor, dates, structure)
// with the person fields blanked. The audit chain stays verifiable: entries commit to a digest of their payload,
// and the purge's own (chained) audit entry records the digest of each redacted payload (src/audit/chain.ts).
import { sql } from 'kysely';
import type { ContactRow } from '../db/schema.ts';
import { runOperation } from '../core/operation.ts';
import type { Registry } from '../core/registry.ts';
import type { Actor } from '../core/actor.ts';
import { RegistryError } from '../core/errors.ts';
import { payloadHash, sealAudit } from '../audit/chain.ts';

/** Five years, unless the operator sets DOMEN_RETENTION_DAYS or the 'privacy.retention_days' setting (docs/privacy.md). */
export const DEFAULT_RETENTION_DAYS = 5 * 365;
export const RETENTION_SETTING = 'privacy.retention_days';

export const retentionActor: Actor = { type: 'system', name: 'retention', source: 'timer' };

/** The retention period in days: the setting, else DOMEN_RETENTION_DAYS, else the default. */
export async function retentionDays(reg: Registry, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const row = await reg.db.selectFrom('settings').select('value').where('key', '=', RETENTION_SETTING).executeTakeFirst();
  const raw = row ? row.value : env.DOMEN_RETENTION_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
  return checkDays(Number(raw), row ? `the setting ${RETENTION_SETTING}` : 'DOMEN_RETENTION_DAYS');
}

function checkDays(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1 || n > 36_500) throw new RegistryError('range', `${what} must be a whole number of days from 1 to 36500`, 'R8.8');
  return n;
}

/** Person fields of a contact snapshot (ContactView, src/core/contacts.ts); the rest is registry structure. */
const PERSON_FIELDS = ['givenName', 'familyName', 'patronymic', 'citizenship', 'street', 'city', 'sp', 'pc', 'voice', 'fax', 'email',
  'idSeries', 'idNumber', 'idAuthority', 'idIssuedOn', 'tin', 'representative', 'authInfo'];

/** A contact snapshot without its person fields. A legal entity's name is not a person's data and stays. */
export function redactContactSnapshot(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k of PERSON_FIELDS) if (k in o) o[k] = k === 'street' ? [] : null;
  if (o.kind !== 'legal' && 'orgName' in o) o.orgName = null;
  return o;
}

export interface PurgeResult {
  cutoff: Date;
  contacts: string[];
  historyVersions: number;
  auditEntries: number;
}

/**
 * Erases the personal data of contacts deleted before now - days that nothing live refers to any more (no live
 * domain as registrant or contact, no pending application or change of owner). One operation per contact, so a
 * failure leaves the others done. Safe to run repeatedly and on several nodes: a purged contact is skipped.
 * The lifecycle worker calls this daily with no days (the configured period).
 */
export async function purgePersonalData(reg: Registry, opts: { olderThanDays?: number; actor?: Actor; limit?: number } = {}): Promise<PurgeResult> {
  const days = opts.olderThanDays === undefined ? await retentionDays(reg) : checkDays(opts.olderThanDays, '--older-than');
  const now = reg.clock.now();
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  // Redactions are recorded by seq: entries not yet sealed get theirs first.
  await sealAudit(reg.db);
  const candidates = await candidatesBefore(reg, cutoff, opts.limit ?? 10_000);

  const result: PurgeResult = { cutoff, contacts: [], historyVersions: 0, auditEntries: 0 };
  for (const cand of candidates) {
    const done = await runOperation(reg, opts.actor ?? retentionActor, 'privacy.purge', async (ctx) => {
      const c = await ctx.tx.selectFrom('contacts').selectAll().where('id', '=', cand.id).forUpdate().executeTakeFirst();
      if (!c || c.purged_at || !c.deleted_at) return null;
      const from = c.created_at;
      const to = c.deleted_at;
      await ctx.tx.updateTable('contacts').set({
        given_name: null, family_name: null, patronymic: null, org_name: c.kind === 'legal' ? c.org_name : null, citizenship: null,
        street: [], city: '', sp: null, pc: null, voice: null, fax: null, email: '', id_series: null, id_number: null, id_authority: null,
        id_issued_on: null, tin: null, representative: null, auth_info: '', accuracy_note: null, purged_at: ctx.now,
      }).where('id', '=', c.id).execute();
      const versions = await redactHistory(ctx.tx, c, from, to);
      const redacted = await redactAudit(ctx.tx, 'contact', c.handle, from, to, ctx.now, redactContactSnapshot);
      const linked = await purgeLinked(ctx.tx, c, ctx.now);
      redacted.push(...linked.audit);
      await ctx.record({
        objectType: 'contact', objectId: c.handle, before: null, history: false, topic: 'contact.purged',
        after: { roid: c.roid, deletedAt: c.deleted_at, retentionDays: days, historyVersions: versions, redactedAudit: redacted, ...linked.counts },
        payload: { roid: c.roid },
      });
      return { handle: c.handle, versions, audit: redacted.length };
    });
    if (done) {
      result.contacts.push(done.handle);
      result.historyVersions += done.versions;
      result.auditEntries += done.audit;
    }
  }
  return result;
}

type Tx = Parameters<Parameters<typeof runOperation>[3]>[0]['tx'];

async function redactHistory(tx: Tx, c: ContactRow, from: Date, to: Date, objectType = 'contact', objectId = c.handle, redact: (v: unknown) => unknown = redactContactSnapshot): Promise<number> {
  const rows = await tx.selectFrom('object_history').select(['id', 'snapshot']).where('object_type', '=', objectType).where('object_id', '=', objectId)
    .where('at', '>=', from).where('at', '<=', to).execute();
  for (const r of rows) {
    if (r.snapshot === null) continue;
    await tx.updateTable('object_history').set({ snapshot: JSON.stringify(redact(r.snapshot)) }).where('id', '=', r.id).execute();
  }
  return rows.length;
}

/** Person fields at any depth (an application's request, a notification's parameters), secrets included. */
const DEEP_FIELDS = new Set([...PERSON_FIELDS, 'orgName', 'name', 'fullName', 'email', 'recipient', 'given_name', 'family_name', 'id_number', 'id_series', 'authInfo', 'auth_info', 'password']);
export function redactDeep(v: unknown, keep: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(v)) return v.map((x) => redactDeep(x, keep));
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, DEEP_FIELDS.has(k) && !keep.has(k) ? (Array.isArray(x) ? [] : null) : redactDeep(x, keep)]));
}
/** An application's request and view: the domain's name stays (it is the registry's, not the person's). */
const redactApplication = (v: unknown): unknown => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  const doc = o.document && typeof o.document === 'object' ? o.document as Record<string, unknown> : null;
  return {
    ...(redactDeep(o, new Set(['name'])) as Record<string, unknown>), ...('request' in o ? { request: redactDeep(o.request) } : {}),
    // An attached document's file name and note may name the person; its kind, size and SHA-256 stay.
    ...(doc ? { document: { ...doc, filename: null, note: null } } : {}),
  };
};
/** A user snapshot (UserView): the e-mail and name are the person's. */
const redactUser = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>), email: null, name: null } : v);

async function tableExists(tx: Tx, name: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(tx);
  return r.rows[0]?.t != null;
}

export interface LinkedPurge { applications: number; applicationDocuments: number; users: number; notifications: number; inboxMessages: number; loginAttempts: number; webSessions: number }

/**
 * What else names the contact's person: the applications it was registrant of (their request JSON), the
 * registrant user account when every contact of that account is gone (its row, sessions, inbox, account data),
 * the notifications sent to the contact's or the account's e-mail, and the sign-in attempts with them. An
 * e-mail still used by a live contact or account stays where it is (it is that person's data, still needed).
 */
async function purgeLinked(tx: Tx, c: ContactRow, now: Date): Promise<{ audit: { seq: number; payloadHash: string }[]; counts: LinkedPurge }> {
  const counts: LinkedPurge = { applications: 0, applicationDocuments: 0, users: 0, notifications: 0, inboxMessages: 0, loginAttempts: 0, webSessions: 0 };
  const audit: { seq: number; payloadHash: string }[] = [];
  const far = new Date('9999-12-31T00:00:00Z');

  const apps = await tx.selectFrom('applications').select(['id', 'request']).where('registrant_id', '=', c.id).execute();
  for (const a of apps) {
    await tx.updateTable('applications').set({ request: JSON.stringify(redactDeep(a.request)) }).where('id', '=', a.id).execute();
    audit.push(...await redactAudit(tx, 'application', String(a.id), c.created_at, far, now, redactApplication));
    counts.applications++;
  }
  // The files attached to those applications (consents, identity papers, decisions naming the person) go with the
  // person's data; their attachment stays in history and audit as a digest.
  if (apps.length) {
    counts.applicationDocuments = Number((await tx.deleteFrom('application_documents').where('application_id', 'in', apps.map((a) => a.id)).executeTakeFirst()).numDeletedRows);
  }

  const emails = new Set<string>();
  if (c.email) emails.add(c.email.toLowerCase());
  let userId: number | null = null;
  if (c.account_id !== null) {
    const others = await tx.selectFrom('contacts').select('id').where('account_id', '=', c.account_id).where('id', '<>', c.id).where('purged_at', 'is', null).limit(1).execute();
    const u = await tx.selectFrom('users').selectAll().where('id', '=', c.account_id).executeTakeFirst();
    if (u && u.role === 'registrant' && others.length === 0) {
      userId = u.id;
      emails.add(u.email.toLowerCase());
      // The row stays (history and audit refer to it), closed and without the person; the e-mail must stay unique.
      await tx.updateTable('users').set({ email: `purged-${u.id}@invalid`, name: '', password_hash: '!purged', active: false, updated_at: now }).where('id', '=', u.id).execute();
      await redactHistory(tx, c, u.created_at, far, 'user', String(u.id), redactUser);
      audit.push(...await redactAudit(tx, 'user', String(u.id), u.created_at, far, now, redactUser));
      counts.users = 1;
      counts.webSessions = Number((await tx.deleteFrom('web_sessions').where('user_id', '=', u.id).executeTakeFirst()).numDeletedRows);
      if (await tableExists(tx, 'inbox_messages')) {
        counts.inboxMessages = Number((await sql`update inbox_messages set subject = '', body = '' where user_id = ${u.id}`.execute(tx)).numAffectedRows ?? 0n);
      }
      if (await tableExists(tx, 'registrant_accounts')) {
        await sql`update registrant_accounts set person = '{}'::jsonb, totp_secret = null, totp_pending_secret = null, confirm_token_hash = null, updated_at = ${now} where user_id = ${u.id}`.execute(tx);
      }
    }
  }
  // An address still used by a live contact or an open account is that person's and stays.
  for (const e of [...emails]) {
    const inUse = await sql<{ n: number }>`select (select count(*) from contacts where lower(email) = ${e} and purged_at is null and id <> ${c.id})
      + (select count(*) from users where lower(email) = ${e}) as n`.execute(tx);
    if (Number(inUse.rows[0]!.n) > 0) emails.delete(e);
  }
  const list = [...emails];
  if (await tableExists(tx, 'notifications')) {
    counts.notifications = Number((await sql`update notifications set recipient = case when channel = 'email' then 'purged@invalid' else recipient end,
        params = '{}'::jsonb, subject = '', status = case when status = 'pending' then 'dead' else status end,
        last_error = case when status = 'pending' then 'recipient purged (R8.8)' else last_error end
      where (lower(recipient) = any(${list}::text[]) or (${userId}::bigint is not null and user_id = ${userId}::bigint)) and subject <> ''`.execute(tx)).numAffectedRows ?? 0n);
  }
  if (list.length) counts.loginAttempts = Number((await tx.deleteFrom('login_attempts').where('email', 'in', list).executeTakeFirst()).numDeletedRows);
  return { audit, counts };
}

/** Blanks the person fields in an object's audit entries; returns each entry's seq and its new payload digest. */
async function redactAudit(tx: Tx, objectType: string, objectId: string, from: Date, to: Date, now: Date, redact: (v: unknown) => unknown): Promise<{ seq: number; payloadHash: string }[]> {
  const rows = await tx.selectFrom('audit_log').select(['id', 'seq', 'before', 'after']).where('object_type', '=', objectType).where('object_id', '=', objectId)
    .where('at', '>=', from).where('at', '<=', to).where('seq', 'is not', null).orderBy('seq').execute();
  const out: { seq: number; payloadHash: string }[] = [];
  for (const r of rows) {
    const before = redact(r.before) ?? null;
    const after = redact(r.after) ?? null;
    await tx.updateTable('audit_log').set({
      before: before === null ? null : JSON.stringify(before), after: after === null ? null : JSON.stringify(after), redacted_at: now,
    }).where('id', '=', r.id).execute();
    out.push({ seq: r.seq!, payloadHash: payloadHash(before, after) });
  }
  return out;
}

/** Deleted, unpurged contacts deleted before cutoff that nothing live refers to, oldest first. */
async function candidatesBefore(reg: Registry, cutoff: Date, limit: number): Promise<{ id: number; handle: string }[]> {
  const r = await sql<{ id: number; handle: string }>`select id, handle from contacts c where deleted_at < ${cutoff} and purged_at is null
    and not exists (select 1 from domains d where d.registrant_id = c.id and d.deleted_at is null)
    and not exists (select 1 from domain_contacts dc join domains d on d.id = dc.domain_id where dc.contact_id = c.id and d.deleted_at is null)
    and not exists (select 1 from applications a where a.registrant_id = c.id and a.status = 'pending')
    and not exists (select 1 from owner_changes o where o.status = 'pending' and (o.from_registrant_id = c.id or o.to_registrant_id = c.id))
    order by deleted_at, id limit ${limit}`.execute(reg.db);
  return r.rows;
}

/** The handles a purge now would erase (for `domen privacy purge --dry-run`). */
export async function purgeCandidates(reg: Registry, opts: { olderThanDays?: number } = {}): Promise<{ cutoff: Date; handles: string[] }> {
  const days = opts.olderThanDays === undefined ? await retentionDays(reg) : checkDays(opts.olderThanDays, '--older-than');
  const cutoff = new Date(reg.clock.now().getTime() - days * 86_400_000);
  return { cutoff, handles: (await candidatesBefore(reg, cutoff, 100_000)).map((c) => c.handle) };
}
