-- The National Administrator's console: registrar accreditation (R9.1-R9.4), disputes (R4.6, R4.7) and abuse and
-- incident reports (AZ-CERT). Each row is written by one core operation (with history, audit and outbox).

-- An application for accreditation. `checklist` holds the R9.3.1-R9.3.13 items, each with its state
-- ('pending' | 'met' | 'not_met') and the document or note that shows it; `due_at` is the end of the 20 working
-- days of the technical check (R9.2), counted on the registry's working calendar.
CREATE TABLE accreditation_applications (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  registrar_id text NOT NULL,                 -- the EPP client id it will have (RFC 5730 clIDType)
  name         text NOT NULL,
  legal_form   text,
  email        text NOT NULL,
  phone        text,
  address      text,
  url          text,
  checklist    jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accredited', 'refused')),
  received_at  timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,
  decided_at   timestamptz,
  decided_by   text,
  decision_note text
);
CREATE UNIQUE INDEX accreditation_one_pending ON accreditation_applications (registrar_id) WHERE status = 'pending';

-- A dispute over a name (R4.6, R4.7): while open the domain is locked by server statuses; `locks` are those the
-- dispute added (statuses already there stay when it ends). Decided by dismissal or transfer to the complainant.
CREATE TABLE disputes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id     bigint NOT NULL REFERENCES domains(id),
  domain_name   text NOT NULL,
  complainant   text NOT NULL,                -- contact handle of the complainant
  claim         text NOT NULL,
  reference     text,                         -- court or case reference, documents
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'transferred')),
  locks         text[] NOT NULL,
  opened_at     timestamptz NOT NULL,
  opened_by     text NOT NULL,
  decided_at    timestamptz,
  decided_by    text,
  decision_note text
);
CREATE UNIQUE INDEX disputes_one_open ON disputes (domain_id) WHERE status = 'open';
CREATE INDEX disputes_status ON disputes (status, opened_at);

-- Abuse and incident reports (AZ-CERT): intake from anyone, triage, notices to the registrar and the registrant,
-- referral to the competent body. The registry takes nothing down on a report alone: a suspension needs a ground
-- of R7.4 (or a cancellation one of R7.3), recorded in `action_ground`.
CREATE TABLE abuse_reports (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_name    text NOT NULL,
  domain_id      bigint REFERENCES domains(id),
  category       text NOT NULL CHECK (category IN ('phishing', 'malware', 'botnet', 'spam', 'fraud', 'illegal_content', 'other')),
  description    text NOT NULL,
  reporter_name  text,
  reporter_email text,
  source         text NOT NULL CHECK (source IN ('public', 'staff', 'api')),
  status         text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'triaged', 'notified', 'referred', 'closed')),
  severity       text CHECK (severity IN ('low', 'medium', 'high')),
  received_at    timestamptz NOT NULL,
  triaged_at     timestamptz,
  notified_at    timestamptz,
  referral       text,
  referred_at    timestamptz,
  action_ground  text,
  closed_at      timestamptz,
  resolution     text
);
CREATE INDEX abuse_reports_status ON abuse_reports (status, received_at);
