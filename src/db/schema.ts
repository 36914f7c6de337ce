// Row types of the SQL schema in ./migrations, for Kysely. Keep in step with the migrations.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** jsonb: written as a JSON string (both drivers), read back parsed. */
export type Json<T> = ColumnType<T, string, string>;
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface SettingsTable { key: string; value: Json<unknown>; updated_at: Generated<Date> }
export interface ZonesTable { name: string; parent: string | null; profile: string; restricted: Generated<boolean>; active: Generated<boolean>; created_at: Generated<Date> }
export interface PolicyListEntriesTable { list: string; word: string; match: Generated<string>; note: string | null; created_at: Generated<Date> }
export interface CalendarDaysTable { date: string; kind: 'holiday' | 'working' | 'rest'; name: string | null; created_at: Generated<Date> }

export interface RegistrarsTable {
  id: string; name: string; legal_form: string | null; email: string; phone: string | null; address: string | null; url: string | null;
  status: Generated<'active' | 'suspended' | 'terminated'>; password_hash: string; ip_allowlist: Generated<string[]>;
  lang: Generated<NoticeLang | null>;
  successor_id: Generated<string | null>; terminated_at: Generated<Date | null>;
  created_at: Timestamp; updated_at: Timestamp;
}
export interface RegistrarCertificatesTable { registrar_id: string; fingerprint: string; certificate: string; created_at: Timestamp }
export type UserRole = 'na_admin' | 'na_staff' | 'ministry' | 'registrar_admin' | 'registrar_staff' | 'registrant';
export interface UsersTable {
  id: Id; email: string; name: string; role: UserRole; registrar_id: string | null; password_hash: string; active: Generated<boolean>;
  lang: Generated<NoticeLang>;
  created_at: Timestamp; updated_at: Timestamp;
}

export interface Representative { name: string; position?: string | null; idSeries?: string | null; idNumber?: string | null; idAuthority?: string | null; idIssuedOn?: string | null }
export interface ContactsTable {
  id: Id; handle: string; roid: string; registrar_id: string; account_id: number | null; kind: 'natural' | 'legal';
  given_name: string | null; family_name: string | null; patronymic: string | null; org_name: string | null;
  citizenship: string | null; reg_country: string | null;
  street: string[]; city: string; sp: string | null; pc: string | null; cc: string;
  voice: string | null; fax: string | null; email: string;
  id_series: string | null; id_number: string | null; id_authority: string | null; id_issued_on: string | null; tin: string | null;
  representative: Json<Representative | null> | null; disclose: Json<Record<string, boolean>>;
  verification: Generated<'unverified' | 'verified' | 'inaccurate'>;
  accuracy_due_at: Generated<Date | null>; accuracy_note: Generated<string | null>;
  verification_checked_at: Generated<Date | null>; verification_result: Generated<string | null>;
  auth_info: string; statuses: string[];
  created_at: Timestamp; created_by: string; updated_at: NullableTimestamp; updated_by: string | null; deleted_at: NullableTimestamp;
  /** 0006: personal data erased after the retention period (src/audit/privacy.ts). */
  purged_at: NullableTimestamp;
}
export interface DomainsTable {
  id: Id; roid: string; name: string; unicode_name: string; zone: string; bundle_key: string; registrar_id: string; registrant_id: number;
  auth_info: string; statuses: string[]; grandfathered: Generated<boolean>; application_id: number | null;
  created_at: Timestamp; created_by: string; expires_at: Timestamp; updated_at: NullableTimestamp; updated_by: string | null;
  transferred_at: NullableTimestamp; suspended_at: NullableTimestamp; deleted_at: NullableTimestamp;
}
export interface HostsTable {
  id: Id; roid: string; name: string; registrar_id: string; superordinate_domain_id: number | null; addresses: string[]; statuses: string[];
  created_at: Timestamp; created_by: string; updated_at: NullableTimestamp; updated_by: string | null; deleted_at: NullableTimestamp;
}
export interface DomainContactsTable { domain_id: number; contact_id: number; type: 'admin' | 'tech' | 'billing' }
export interface DomainHostsTable { domain_id: number; host_id: number }
export interface DomainDsTable { domain_id: number; key_tag: number; algorithm: number; digest_type: number; digest: string }

export interface ApplicationRequest {
  authInfo: string; hosts: string[]; contacts: { type: 'admin' | 'tech' | 'billing'; handle: string }[];
  ds: { keyTag: number; algorithm: number; digestType: number; digest: string }[]; clientTrid?: string | null; serverTrid?: string | null;
}
export interface ApplicationsTable {
  id: Id; name: string; unicode_name: string; zone: string; bundle_key: string; registrar_id: string; registrant_id: number; period_years: number;
  request: Json<ApplicationRequest>; reasons: Json<unknown>;
  status: Generated<'pending' | 'approved' | 'refused' | 'withdrawn'>;
  received_at: Timestamp; due_at: Timestamp; decided_at: NullableTimestamp; decided_by: string | null;
  refusal_ground: string | null; decision_note: string | null; domain_id: number | null;
}
export type TransferStatus = 'pending' | 'clientApproved' | 'clientRejected' | 'clientCancelled' | 'serverApproved' | 'serverCancelled';
export interface TransfersTable {
  id: Id; domain_id: number; gaining_registrar_id: string; losing_registrar_id: string; status: TransferStatus; period_years: number | null;
  requested_at: Timestamp; action_due_at: Timestamp; acted_at: NullableTimestamp; expires_before: Timestamp; expires_after: NullableTimestamp;
}
export interface OwnerChangesTable {
  id: Id; domain_id: number; from_registrant_id: number; to_registrant_id: number; requested_by: string; requested_at: Timestamp;
  request_document: string; status: Generated<'pending' | 'completed' | 'cancelled'>; agreement_version: string | null;
  accepted_at: NullableTimestamp; accepted_by: string | null;
}
export interface ObjectHistoryTable { id: Id; object_type: string; object_id: string; version: number; operation: string; actor: string; at: Timestamp; snapshot: Json<unknown> | null }
export interface AuditLogTable {
  id: Id; at: Timestamp; actor_type: string; actor_id: string; operation: string; object_type: string; object_id: string;
  before: Json<unknown> | null; after: Json<unknown> | null; client_trid: string | null; source: string | null;
  // 0006_audit_chain: the hash chain (src/audit/chain.ts).
  seq: number | null; prev_hash: string | null; payload_hash: string | null; hash: string | null; redacted_at: NullableTimestamp;
}
export interface AuditHeadTable { one: Generated<boolean>; seq: number; hash: string; legacy_chained: boolean; updated_at: NullableTimestamp }
export interface AuditAnchorsTable { seq: number; hash: string; created_at: Timestamp; note: string | null }
export interface OutboxTable { id: Id; at: Timestamp; topic: string; object_type: string; object_id: string; payload: Json<unknown> }
export interface OutboxCursorsTable { consumer: string; last_id: Generated<number>; updated_at: Generated<Date> }
export interface PollMessagesTable { id: Id; registrar_id: string; at: Timestamp; message: string; kind: string; payload: Json<unknown>; acked_at: NullableTimestamp }
export interface SchemaMigrationsTable { version: string; applied_at: Generated<Date> }
export interface ApiTokensTable { id: Id; token_hash: string; registrar_id: string | null; user_id: number | null; created_at: Timestamp; revoked_at: NullableTimestamp }
export interface DnsKeysTable {
  id: Id; zone: string; role: 'ksk' | 'zsk'; algorithm: number; key_tag: number; flags: number; public_key: string; private_key: string;
  state: Generated<'created' | 'published' | 'active' | 'retired' | 'removed'>; created_at: Timestamp;
  published_at: NullableTimestamp; active_at: NullableTimestamp; retired_at: NullableTimestamp; removed_at: NullableTimestamp;
}
export interface DnsZoneStateTable { zone: string; serial: number; digest: string; built_at: Timestamp; updated_at: Timestamp }
export interface DnsHealthTable { domain_id: number; checked_at: Timestamp; status: 'ok' | 'problem'; problems: Json<string[]> }
export interface DnsJournalTable { id: Id; zone: string; serial_from: number; serial_to: number; removed: Json<unknown>; added: Json<unknown>; at: Timestamp }
export interface DnsZoneSnapshotTable { zone: string; serial: number; at: Timestamp }
/** Its RRSIGs in parts (0021), each a run of whole records (src/dns/snapshot.ts). */
export interface DnsZoneSnapshotPartTable { zone: string; part: number; data: Buffer }

/** Notifications (0005): the queue and the account inbox (src/notify). */
export type NoticeLang = 'az' | 'en' | 'ru';
export interface NotificationsTable {
  id: Id; dedupe_key: string; channel: 'email' | 'inbox' | 'poll'; recipient: string; user_id: number | null; registrar_id: string | null;
  template: string; lang: NoticeLang; params: Json<Record<string, string | number>>; subject: string;
  status: Generated<'pending' | 'sent' | 'dead'>; attempts: Generated<number>; next_attempt_at: Timestamp; last_error: string | null;
  created_at: Timestamp; sent_at: NullableTimestamp; operation: string; actor: string;
}
export interface InboxMessagesTable { id: Id; user_id: number; at: Timestamp; subject: string; body: string; read_at: NullableTimestamp; notification_id: number | null }

export type SuspensionGround = 'expiry' | 'owner_request' | 'agreement' | 'court' | 'incapacity' | 'accuracy' | 'restriction';
export interface DomainSuspensionsTable {
  id: Id; domain_id: number; ground: SuspensionGround; clause: string; note: string | null;
  started_at: Timestamp; started_by: string; lifted_at: NullableTimestamp; lifted_by: string | null; lift_reason: string | null;
}
export interface LifecycleNoticesTable { kind: string; object_id: string; occasion: string; at: Timestamp }

// Billing (0004_billing.sql): amounts are integer qəpik.
export type BillingOperation = 'create' | 'renew' | 'restore' | 'transfer';
export interface PricesTable {
  id: Id; zone: string; operation: BillingOperation; amount: number; effective_from: Timestamp; created_at: Timestamp; created_by: string;
}
export interface BillingAccountsTable {
  id: Id; code: string; kind: 'registrar' | 'revenue' | 'bank' | 'refunds'; registrar_id: string | null; name: string;
  balance: Generated<number>; credit_limit: Generated<number>; created_at: Generated<Date>;
}
export interface LedgerTransactionsTable {
  id: Id; at: Timestamp; kind: 'payment' | 'charge' | 'refund' | 'payout'; registrar_id: string; amount: number;
  operation: BillingOperation | null; zone: string | null; years: number | null; unit_price: number | null; price_id: number | null;
  object_type: string | null; object_id: string | null; domain_name: string | null; domain_roid: string | null;
  refund_of: number | null; reason: string | null; reference: string | null; actor: string; source_operation: string;
}
export interface LedgerEntriesTable { id: Id; transaction_id: number; account_id: number; amount: number }
export interface InvoiceCountersTable { year: number; last: number }
export interface InvoicesTable {
  id: Id; number: string; year: number; seq: number; registrar_id: string; period_from: Timestamp; period_to: Timestamp; month: string;
  issued_at: Timestamp; issued_by: string; currency: string; total: number; content: Json<unknown>;
}

export interface EscrowDepositsTable {
  id: string; type: 'FULL' | 'DIFF'; prev_id: string | null; watermark: Timestamp; outbox_upto: number; resend: Generated<number>;
  files: Json<unknown>; counts: Json<unknown>; created_at: Timestamp;
}
// The portals' sign-in (0010_portal.sql).
export interface WebSessionsTable {
  id_hash: string; user_id: number; csrf_token: string; created_at: Timestamp; last_seen_at: Timestamp; expires_at: Timestamp;
  ip: string | null; user_agent: string | null;
}
export interface LoginAttemptsTable { id: Generated<number>; email: string; ip: string; at: Timestamp; success: boolean }
/** 0011: registrant accounts (/account). */
export interface RegistrantAccountsTable {
  user_id: number; kind: 'natural' | 'legal'; person: Json<Record<string, unknown>>;
  email_confirmed_at: NullableTimestamp; confirm_token_hash: string | null; confirm_expires_at: NullableTimestamp;
  totp_secret: string | null; totp_pending_secret: string | null; totp_last_step: number | null;
  created_at: Timestamp; updated_at: Timestamp;
}
export interface AccountLoginChallengesTable { token_hash: string; user_id: number; expires_at: Timestamp; attempts: Generated<number> }
export interface AccountCertificatesTable { id: Id; user_id: number; fingerprint: string; subject: string; issuer: string; not_after: Timestamp; created_at: Timestamp; removed_at: NullableTimestamp }
export interface AccountOrdersTable {
  id: Id; user_id: number; kind: 'register' | 'renew'; registrar_id: string; name: string; unicode_name: string; period_years: number; hosts: string[];
  amount: number; agreement_version: string | null; agreement_accepted_at: NullableTimestamp;
  status: 'awaiting_payment' | 'paid' | 'filing' | 'filed' | 'failed'; application_id: number | null; result: string | null;
  created_at: Timestamp; updated_at: Timestamp;
}
export interface AccountPaymentsTable {
  id: string; order_id: number; provider: string; amount: number; currency: string; status: 'created' | 'paid' | 'failed' | 'refunded';
  provider_ref: string | null; created_at: Timestamp; settled_at: NullableTimestamp;
  /** 0022: the provider's id of the refund, and when it was made. */
  refund_ref: string | null; refunded_at: NullableTimestamp;
}
// 0012_admin: accreditation (R9.1-R9.4), disputes (R4.6), abuse reports (AZ-CERT).
export type ChecklistState = 'pending' | 'met' | 'not_met';
export interface ChecklistItem { item: string; state: ChecklistState; note: string | null }
export interface AccreditationApplicationsTable {
  id: Generated<number>; registrar_id: string; name: string; legal_form: string | null; email: string; phone: string | null;
  address: string | null; url: string | null; checklist: Json<ChecklistItem[]>; status: Generated<'pending' | 'accredited' | 'refused'>;
  received_at: Timestamp; due_at: Timestamp; decided_at: NullableTimestamp; decided_by: string | null; decision_note: string | null;
}
export interface DisputesTable {
  id: Generated<number>; domain_id: number; domain_name: string; complainant: string; claim: string; reference: string | null;
  status: Generated<'open' | 'dismissed' | 'transferred'>; locks: string[]; opened_at: Timestamp; opened_by: string;
  decided_at: NullableTimestamp; decided_by: string | null; decision_note: string | null;
}
export type AbuseCategory = 'phishing' | 'malware' | 'botnet' | 'spam' | 'fraud' | 'illegal_content' | 'other';
export type AbuseStatus = 'new' | 'triaged' | 'notified' | 'referred' | 'closed';
export interface AbuseReportsTable {
  id: Generated<number>; domain_name: string; domain_id: number | null; category: AbuseCategory; description: string;
  reporter_name: string | null; reporter_email: string | null; source: 'public' | 'staff' | 'api'; status: Generated<AbuseStatus>;
  severity: 'low' | 'medium' | 'high' | null; received_at: Timestamp; triaged_at: NullableTimestamp; notified_at: NullableTimestamp;
  referral: string | null; referred_at: NullableTimestamp; action_ground: string | null; closed_at: NullableTimestamp; resolution: string | null;
}
/** 0018: documents attached to applications (consents, decisions). */
export interface ApplicationDocumentsTable {
  id: Generated<number>; application_id: number; kind: 'consent' | 'decision' | 'other'; filename: string;
  media_type: 'application/pdf' | 'image/png' | 'image/jpeg'; size: number; sha256: string; content: Buffer; note: string | null;
  attached_by: string; attached_at: Timestamp;
}
export interface Database {
  escrow_deposits: EscrowDepositsTable;
  settings: SettingsTable;
  zones: ZonesTable;
  policy_list_entries: PolicyListEntriesTable;
  calendar_days: CalendarDaysTable;
  registrars: RegistrarsTable;
  registrar_certificates: RegistrarCertificatesTable;
  users: UsersTable;
  contacts: ContactsTable;
  domains: DomainsTable;
  hosts: HostsTable;
  domain_contacts: DomainContactsTable;
  domain_hosts: DomainHostsTable;
  domain_ds: DomainDsTable;
  applications: ApplicationsTable;
  transfers: TransfersTable;
  owner_changes: OwnerChangesTable;
  object_history: ObjectHistoryTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_anchors: AuditAnchorsTable;
  outbox: OutboxTable;
  outbox_cursors: OutboxCursorsTable;
  poll_messages: PollMessagesTable;
  domain_suspensions: DomainSuspensionsTable;
  lifecycle_notices: LifecycleNoticesTable;
  schema_migrations: SchemaMigrationsTable;
  api_tokens: ApiTokensTable;
  dns_keys: DnsKeysTable;
  dns_zone_state: DnsZoneStateTable;
  dns_journal: DnsJournalTable;
  dns_zone_snapshot: DnsZoneSnapshotTable;
  dns_zone_snapshot_part: DnsZoneSnapshotPartTable;
  dns_health: DnsHealthTable;
  prices: PricesTable;
  billing_accounts: BillingAccountsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  invoice_counters: InvoiceCountersTable;
  invoices: InvoicesTable;
  notifications: NotificationsTable;
  inbox_messages: InboxMessagesTable;
  web_sessions: WebSessionsTable;
  login_attempts: LoginAttemptsTable;
  registrant_accounts: RegistrantAccountsTable;
  account_login_challenges: AccountLoginChallengesTable;
  account_certificates: AccountCertificatesTable;
  account_orders: AccountOrdersTable;
  account_payments: AccountPaymentsTable;
  accreditation_applications: AccreditationApplicationsTable;
  disputes: DisputesTable;
  abuse_reports: AbuseReportsTable;
  application_documents: ApplicationDocumentsTable;
}

export type DomainRow = Selectable<DomainsTable>;
export type ContactRow = Selectable<ContactsTable>;
export type HostRow = Selectable<HostsTable>;
export type RegistrarRow = Selectable<RegistrarsTable>;
export type ApplicationRow = Selectable<ApplicationsTable>;
export type TransferRow = Selectable<TransfersTable>;
export type NewContact = Insertable<ContactsTable>;
