// Subject access (R8.8, the Law "On Personal Data"): everything the registry holds about one registrant, as JSON.
// Selected by contact handle (the live contact with that handle, else the most recently deleted one: a handle
// can be reused by another person after deletion, whose data must not leak into this export) or by the e-mail
// of a user account (that user plus every contact linked to the account).
import { sql, type Kysely } from 'kysely';
import type { ContactRow, Database } from '../db/schema.ts';
import { RegistryError } from '../core/errors.ts';

export interface SubjectExport {
  exportedAt: string;
  subject: { contact?: string; user?: string };
  user: Record<string, unknown> | null;
  contacts: Record<string, unknown>[];
  domains: Record<string, unknown>[];
  applications: Record<string, unknown>[];
  /** Documents attached to those applications: what they are, their digest and who attached them, not the files. */
  applicationDocuments: Record<string, unknown>[];
  ownerChanges: Record<string, unknown>[];
  history: Record<string, unknown>[];
  audit: Record<string, unknown>[];
  inbox: Record<string, unknown>[];
  notifications: Record<string, unknown>[];
  /** The registrant account's own data (registrant_accounts), without its secrets. */
  account: Record<string, unknown> | null;
  /** Sign-in attempts with the user's or the contacts' e-mail (address, time, outcome). */
  loginAttempts: Record<string, unknown>[];
  /** The user's web sessions: when, from where, with what browser (the session id and CSRF token left out). */
  sessions: Record<string, unknown>[];
}

/** Secrets are not personal data of the subject and would let the reader take the objects over. */
const SECRET_COLUMNS = new Set(['password_hash', 'auth_info', 'authInfo', 'id_hash', 'csrf_token', 'totp_secret', 'totp_pending_secret', 'confirm_token_hash', 'token_hash']);

function withoutSecrets<T extends object>(row: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !SECRET_COLUMNS.has(k)));
}

function scrubSnapshot(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrubSnapshot);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).filter(([k]) => !SECRET_COLUMNS.has(k)).map(([k, x]) => [k, scrubSnapshot(x)]));
  return v;
}

async function tableExists(db: Kysely<Database>, name: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(db);
  return r.rows[0]?.t != null;
}

/** The time window in which a contact row (one incarnation of a handle) existed. */
function lifetime(c: ContactRow): { from: Date; to: Date } {
  // A live contact: up to the far future (PostgreSQL's timestamps end in 294276 AD).
  return { from: c.created_at, to: c.deleted_at ?? new Date('9999-12-31T23:59:59Z') };
}

export async function exportSubject(db: Kysely<Database>, by: { contact?: string; user?: string }, now: Date): Promise<SubjectExport> {
  if (Boolean(by.contact) === Boolean(by.user)) throw new RegistryError('syntax', 'name either a contact handle or a user e-mail', 'R8.8');
  let user: Record<string, unknown> | null = null;
  let userId: number | null = null;
  let contacts: ContactRow[];
  if (by.user) {
    const u = await db.selectFrom('users').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', by.user!.toLowerCase())).executeTakeFirst();
    if (!u) throw new RegistryError('notFound', `there is no user with the e-mail ${by.user}`, 'R8.8');
    user = withoutSecrets(u);
    userId = u.id;
    contacts = await db.selectFrom('contacts').selectAll().where('account_id', '=', u.id).orderBy('id').execute();
  } else {
    const rows = await db.selectFrom('contacts').selectAll().where('handle', '=', by.contact!).orderBy('deleted_at', (ob) => ob.desc().nullsFirst()).orderBy('id', 'desc').limit(1).execute();
    if (rows.length === 0) throw new RegistryError('notFound', `there is no contact ${by.contact}`, 'R8.8');
    contacts = rows;
    const acct = rows[0]!.account_id;
    if (acct !== null) {
      const u = await db.selectFrom('users').selectAll().where('id', '=', acct).executeTakeFirst();
      if (u) { user = withoutSecrets(u); userId = u.id; }
    }
  }

  const ids = contacts.map((c) => c.id);
  const out: SubjectExport = {
    exportedAt: now.toISOString(), subject: by, user, contacts: contacts.map(withoutSecrets),
    domains: [], applications: [], applicationDocuments: [], ownerChanges: [], history: [], audit: [], inbox: [], notifications: [], account: null, loginAttempts: [], sessions: [],
  };
  if (ids.length) {
    const asRegistrant = await db.selectFrom('domains').innerJoin('contacts', 'contacts.id', 'domains.registrant_id')
      .select(['domains.name', 'domains.unicode_name', 'domains.roid', 'domains.registrar_id', 'domains.statuses', 'domains.created_at', 'domains.expires_at', 'domains.deleted_at', 'contacts.handle'])
      .where('domains.registrant_id', 'in', ids).orderBy('domains.id').execute();
    const asContact = await db.selectFrom('domain_contacts').innerJoin('domains', 'domains.id', 'domain_contacts.domain_id').innerJoin('contacts', 'contacts.id', 'domain_contacts.contact_id')
      .select(['domains.name', 'domains.unicode_name', 'domains.roid', 'domains.registrar_id', 'domains.statuses', 'domains.created_at', 'domains.expires_at', 'domains.deleted_at', 'contacts.handle', 'domain_contacts.type'])
      .where('domain_contacts.contact_id', 'in', ids).orderBy('domains.id').execute();
    out.domains = [
      ...asRegistrant.map((d) => ({ role: 'registrant', ...d })),
      ...asContact.map(({ type, ...d }) => ({ role: type, ...d })),
    ];
    out.applications = (await db.selectFrom('applications').selectAll().where('registrant_id', 'in', ids).orderBy('id').execute())
      .map((a) => ({ ...withoutSecrets(a), request: scrubSnapshot(a.request) }));
    const appIds = out.applications.map((a) => Number(a.id));
    if (appIds.length) {
      out.applicationDocuments = await db.selectFrom('application_documents')
        .select(['id', 'application_id', 'kind', 'filename', 'media_type', 'size', 'sha256', 'note', 'attached_by', 'attached_at'])
        .where('application_id', 'in', appIds).orderBy('id').execute();
    }
    out.ownerChanges = await db.selectFrom('owner_changes').selectAll()
      .where((eb) => eb.or([eb('from_registrant_id', 'in', ids), eb('to_registrant_id', 'in', ids)])).orderBy('id').execute();
  }

  // History and audit of each contact incarnation, only within its lifetime (a reused handle is another person).
  for (const c of contacts) {
    const { from, to } = lifetime(c);
    const hist = await db.selectFrom('object_history').selectAll().where('object_type', '=', 'contact').where('object_id', '=', c.handle)
      .where('at', '>=', from).where('at', '<=', to).orderBy('id').execute();
    out.history.push(...hist.map((h) => ({ ...h, snapshot: scrubSnapshot(h.snapshot) })));
    // Entries about the contact, and domain entries naming it as registrant or contact while it existed.
    const audit = await db.selectFrom('audit_log').selectAll()
      .where('at', '>=', from).where('at', '<=', to)
      .where((eb) => eb.or([
        eb.and([eb('object_type', '=', 'contact'), eb('object_id', '=', c.handle)]),
        eb(sql`before->>'registrant'`, '=', c.handle), eb(sql`after->>'registrant'`, '=', c.handle),
        eb(sql`before->'contacts'`, '@>', sql`${JSON.stringify([{ handle: c.handle }])}::jsonb`),
        eb(sql`after->'contacts'`, '@>', sql`${JSON.stringify([{ handle: c.handle }])}::jsonb`),
      ])).orderBy('seq').execute();
    out.audit.push(...audit.map(auditView));
  }
  if (userId !== null) {
    const byUser = await db.selectFrom('audit_log').selectAll()
      .where((eb) => eb.or([
        eb.and([eb('object_type', '=', 'user'), eb('object_id', '=', String(userId))]),
        eb('actor_id', 'in', [`registrant:${userId}`, `staff:${userId}`]),
        eb('actor_id', 'like', `%/${userId}`),
      ])).orderBy('seq').execute();
    const seen = new Set(out.audit.map((a) => a.id));
    out.audit.push(...byUser.filter((a) => !seen.has(a.id) && (!a.actor_id.includes('/') || a.actor_id.endsWith(`/${userId}`))).map(auditView));
    if (await tableExists(db, 'inbox_messages')) {
      out.inbox = (await sql<Record<string, unknown>>`select * from inbox_messages where user_id = ${userId} order by id`.execute(db)).rows;
    }
  }
  const emails = [...new Set([...contacts.map((c) => c.email), ...(user ? [String(user.email)] : [])].filter(Boolean).map((e) => e.toLowerCase()))];
  if (userId !== null) {
    if (await tableExists(db, 'web_sessions')) {
      out.sessions = (await sql<Record<string, unknown>>`select * from web_sessions where user_id = ${userId} order by created_at`.execute(db)).rows.map(withoutSecrets);
    }
    if (await tableExists(db, 'registrant_accounts')) {
      const a = (await sql<Record<string, unknown>>`select * from registrant_accounts where user_id = ${userId}`.execute(db)).rows[0];
      out.account = a ? withoutSecrets(a) : null;
    }
  }
  if (emails.length && await tableExists(db, 'login_attempts')) {
    out.loginAttempts = (await sql<Record<string, unknown>>`select email, ip, at, success from login_attempts where email = any(${emails}::text[]) order by at, id`.execute(db)).rows;
  }
  if (await tableExists(db, 'notifications')) {
    const r = await sql<Record<string, unknown>>`select * from notifications
      where (${userId}::bigint is not null and user_id = ${userId}::bigint) or lower(recipient) = any(${emails}::text[]) order by id`.execute(db);
    out.notifications = r.rows;
  }
  out.audit.sort((a, b) => Number(a.seq ?? 0) - Number(b.seq ?? 0));
  return out;
}

function auditView(a: { id: number; seq: number | null; at: Date; actor_type: string; actor_id: string; operation: string; object_type: string; object_id: string; before: unknown; after: unknown; client_trid: string | null; source: string | null; redacted_at: Date | null }): Record<string, unknown> {
  return {
    id: a.id, seq: a.seq, at: a.at, actor: a.actor_id, actorType: a.actor_type, operation: a.operation, objectType: a.object_type, objectId: a.object_id,
    before: scrubSnapshot(a.before), after: scrubSnapshot(a.after), clientTrid: a.client_trid, source: a.source, redactedAt: a.redacted_at,
  };
}
