-- domen registry schema, version 1. One schema for PGlite and PostgreSQL.
-- Live-name uniqueness is enforced here (partial unique indexes), so first come, first served (R4.12)
-- holds across any number of EPP/HTTP nodes.

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Zones we register names in: the TLD and the general-use zones of R2.2/R4.11.
CREATE TABLE zones (
  name       text PRIMARY KEY,
  parent     text REFERENCES zones(name),
  profile    text NOT NULL,
  restricted boolean NOT NULL DEFAULT false,   -- gov.az, mil.az (R3.2)
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Stop-list, reserved, consent-required and grandfathered names (R4.2-R4.4, R4.8, R4.9, R4.13).
CREATE TABLE policy_list_entries (
  list       text NOT NULL CHECK (list IN ('stop','reserved','geographic','person','organisation','grandfathered')),
  word       text NOT NULL,
  match      text NOT NULL DEFAULT 'exact' CHECK (match IN ('exact','substring')),
  note       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (list, word)
);

-- Working-day calendar: bayram dates per year and the Cabinet's yearly swapped days.
CREATE TABLE calendar_days (
  date       date PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('holiday','working','rest')),
  name       text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE registrars (
  id            text PRIMARY KEY,                -- the EPP clID
  name          text NOT NULL,
  legal_form    text,
  email         text NOT NULL,
  phone         text,
  address       text,
  url           text,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended','terminated')),
  password_hash text NOT NULL,                   -- EPP login password (argon2id)
  ip_allowlist  text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE registrar_certificates (
  registrar_id  text NOT NULL REFERENCES registrars(id),
  fingerprint   text NOT NULL,                   -- SHA-256, colon hex
  certificate   text NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (registrar_id, fingerprint)
);

-- People who sign in: NA staff, Ministry reviewers, registrar staff, registrants.
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('na_admin','na_staff','ministry','registrar_admin','registrar_staff','registrant')),
  registrar_id  text REFERENCES registrars(id),
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  CHECK ((role LIKE 'registrar%') = (registrar_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Contacts (RFC 5733) with the person data of R3.7/R3.8 and Appendix 2.
CREATE TABLE contacts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  handle        text NOT NULL,                   -- contact:id
  roid          text NOT NULL,
  registrar_id  text NOT NULL REFERENCES registrars(id),
  account_id    bigint REFERENCES users(id),     -- the registrant's account, when it has one
  kind          text NOT NULL CHECK (kind IN ('natural','legal')),
  given_name    text,
  family_name   text,
  patronymic    text,
  org_name      text,                            -- full legal name (R3.8)
  citizenship   text,                            -- ISO 3166 alpha-2 (R3.7)
  reg_country   text,                            -- country of registration (R3.8)
  street        text[] NOT NULL DEFAULT '{}',
  city          text NOT NULL,
  sp            text,
  pc            text,
  cc            text NOT NULL,
  voice         text,
  fax           text,
  email         text NOT NULL,
  id_series     text,
  id_number     text,
  id_authority  text,
  id_issued_on  date,
  tin           text,
  representative jsonb,                          -- director/representative of a legal entity (R3.8)
  disclose      jsonb NOT NULL DEFAULT '{}',
  verification  text NOT NULL DEFAULT 'unverified' CHECK (verification IN ('unverified','verified','inaccurate')),
  auth_info     text NOT NULL,
  statuses      text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  updated_at    timestamptz,
  updated_by    text,
  deleted_at    timestamptz
);
CREATE UNIQUE INDEX contacts_live_handle ON contacts (handle) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_roid ON contacts (roid);
CREATE INDEX contacts_registrar ON contacts (registrar_id) WHERE deleted_at IS NULL;

CREATE TABLE domains (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  roid          text NOT NULL,
  name          text NOT NULL,                   -- A-label form, lower case, no trailing dot
  unicode_name  text NOT NULL,                   -- U-label form (NFC)
  zone          text NOT NULL REFERENCES zones(name),
  bundle_key    text NOT NULL,                   -- ASCII-folded label + zone: IDN variants are one bundle
  registrar_id  text NOT NULL REFERENCES registrars(id),
  registrant_id bigint NOT NULL REFERENCES contacts(id),
  auth_info     text NOT NULL,
  statuses      text[] NOT NULL DEFAULT '{}',
  grandfathered boolean NOT NULL DEFAULT false,  -- R4.13
  application_id bigint,
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  expires_at    timestamptz NOT NULL,
  updated_at    timestamptz,
  updated_by    text,
  transferred_at timestamptz,
  suspended_at  timestamptz,
  deleted_at    timestamptz
);
CREATE UNIQUE INDEX domains_live_name ON domains (name) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX domains_roid ON domains (roid);
CREATE INDEX domains_bundle ON domains (bundle_key) WHERE deleted_at IS NULL;
CREATE INDEX domains_registrar ON domains (registrar_id) WHERE deleted_at IS NULL;
CREATE INDEX domains_registrant ON domains (registrant_id) WHERE deleted_at IS NULL;
CREATE INDEX domains_expiry ON domains (expires_at) WHERE deleted_at IS NULL;

CREATE TABLE hosts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  roid          text NOT NULL,
  name          text NOT NULL,
  registrar_id  text NOT NULL REFERENCES registrars(id),
  superordinate_domain_id bigint REFERENCES domains(id),   -- set for in-zone hosts (RFC 5732 §1.1)
  addresses     text[] NOT NULL DEFAULT '{}',
  statuses      text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  updated_at    timestamptz,
  updated_by    text,
  deleted_at    timestamptz
);
CREATE UNIQUE INDEX hosts_live_name ON hosts (name) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX hosts_roid ON hosts (roid);
CREATE INDEX hosts_superordinate ON hosts (superordinate_domain_id) WHERE deleted_at IS NULL;

CREATE TABLE domain_contacts (
  domain_id  bigint NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  contact_id bigint NOT NULL REFERENCES contacts(id),
  type       text NOT NULL CHECK (type IN ('admin','tech','billing')),
  PRIMARY KEY (domain_id, type, contact_id)
);
CREATE INDEX domain_contacts_contact ON domain_contacts (contact_id);

CREATE TABLE domain_hosts (
  domain_id bigint NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  host_id   bigint NOT NULL REFERENCES hosts(id),
  PRIMARY KEY (domain_id, host_id)
);
CREATE INDEX domain_hosts_host ON domain_hosts (host_id);

-- secDNS-1.1 dsData (RFC 5910).
CREATE TABLE domain_ds (
  domain_id   bigint NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  key_tag     integer NOT NULL CHECK (key_tag BETWEEN 0 AND 65535),
  algorithm   integer NOT NULL CHECK (algorithm BETWEEN 0 AND 255),
  digest_type integer NOT NULL CHECK (digest_type BETWEEN 0 AND 255),
  digest      text NOT NULL,
  PRIMARY KEY (domain_id, key_tag, algorithm, digest_type, digest)
);

-- Applications that wait for review, in order of receipt (R3.12); competing ones per name (R4.12).
CREATE TABLE applications (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name           text NOT NULL,
  unicode_name   text NOT NULL,
  zone           text NOT NULL REFERENCES zones(name),
  bundle_key     text NOT NULL,                  -- IDN variants compete as one name
  registrar_id   text NOT NULL REFERENCES registrars(id),
  registrant_id  bigint NOT NULL REFERENCES contacts(id),
  period_years   integer NOT NULL,
  request        jsonb NOT NULL,                 -- name servers, contacts, authInfo, DS as asked
  reasons        jsonb NOT NULL,                 -- why it needs review (clauses, documents)
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','refused','withdrawn')),
  received_at    timestamptz NOT NULL,
  due_at         timestamptz NOT NULL,           -- 3 working days (R3.12)
  decided_at     timestamptz,
  decided_by     text,
  refusal_ground text,                           -- R5.1.x
  decision_note  text,
  domain_id      bigint REFERENCES domains(id)
);
CREATE INDEX applications_queue ON applications (received_at, id) WHERE status = 'pending';
CREATE INDEX applications_name ON applications (name, status);
CREATE INDEX applications_bundle ON applications (bundle_key) WHERE status = 'pending';

CREATE TABLE transfers (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id            bigint NOT NULL REFERENCES domains(id),
  gaining_registrar_id text NOT NULL REFERENCES registrars(id),
  losing_registrar_id  text NOT NULL REFERENCES registrars(id),
  status               text NOT NULL CHECK (status IN ('pending','clientApproved','clientRejected','clientCancelled','serverApproved','serverCancelled')),
  period_years         integer,
  requested_at         timestamptz NOT NULL,
  action_due_at        timestamptz NOT NULL,
  acted_at             timestamptz,
  expires_before       timestamptz NOT NULL,
  expires_after        timestamptz
);
CREATE UNIQUE INDEX transfers_one_pending ON transfers (domain_id) WHERE status = 'pending';
CREATE INDEX transfers_due ON transfers (action_due_at) WHERE status = 'pending';

-- Change of owner needs a new Registration Agreement accepted by the new owner (R10.1).
CREATE TABLE owner_changes (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id          bigint NOT NULL REFERENCES domains(id),
  from_registrant_id bigint NOT NULL REFERENCES contacts(id),
  to_registrant_id   bigint NOT NULL REFERENCES contacts(id),
  requested_by       text NOT NULL,
  requested_at       timestamptz NOT NULL,
  request_document   text NOT NULL,              -- the owner's written request (R10.1)
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','completed','cancelled')),
  agreement_version  text,
  accepted_at        timestamptz,
  accepted_by        text
);
CREATE UNIQUE INDEX owner_changes_one_pending ON owner_changes (domain_id) WHERE status = 'pending';

-- History: every version of every object, as written by the operation that made it.
CREATE TABLE object_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  object_type text NOT NULL,
  object_id   text NOT NULL,
  version     integer NOT NULL,
  operation   text NOT NULL,
  actor       text NOT NULL,
  at          timestamptz NOT NULL,
  snapshot    jsonb,                             -- null when the object was deleted
  UNIQUE (object_type, object_id, version)
);

-- Audit: who did what, with before and after.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor_type  text NOT NULL,
  actor_id    text NOT NULL,
  operation   text NOT NULL,
  object_type text NOT NULL,
  object_id   text NOT NULL,
  before      jsonb,
  after       jsonb,
  client_trid text,
  source      text
);
CREATE INDEX audit_object ON audit_log (object_type, object_id);

-- Outbox: the publishers (DNS, notifications, escrow) read committed events from here.
CREATE TABLE outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL,
  topic       text NOT NULL,
  object_type text NOT NULL,
  object_id   text NOT NULL,
  payload     jsonb NOT NULL
);
CREATE TABLE outbox_cursors (
  consumer   text PRIMARY KEY,
  last_id    bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- EPP poll queue per registrar (RFC 5730 §2.9.2.3).
CREATE TABLE poll_messages (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  registrar_id text NOT NULL REFERENCES registrars(id),
  at           timestamptz NOT NULL,
  message      text NOT NULL,
  kind         text NOT NULL,
  payload      jsonb NOT NULL,
  acked_at     timestamptz
);
CREATE INDEX poll_queue ON poll_messages (registrar_id, id) WHERE acked_at IS NULL;

-- Registry-wide counters for ROIDs (RFC 5730 §2.8 repository object identifiers).
CREATE SEQUENCE roid_seq;
