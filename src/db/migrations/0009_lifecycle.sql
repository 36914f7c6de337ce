-- The '.az' clock (R6.1, R6.2, R7.4-R7.6, R8.7, R3.12, R9.8): suspensions with their grounds, and the notices the
-- timers have already sent, so that a timer run twice, or on two nodes at once, acts once.

-- A suspension of a domain's maintenance (R7.4). While any is active the domain carries serverHold and is not
-- published (R2.1.5); each ground is lifted on its own (R7.6), so one lifted cause does not end another.
CREATE TABLE domain_suspensions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id   bigint NOT NULL REFERENCES domains(id),
  ground      text NOT NULL CHECK (ground IN ('expiry','owner_request','agreement','court','incapacity','accuracy','restriction')),
  clause      text NOT NULL,
  note        text,
  started_at  timestamptz NOT NULL,
  started_by  text NOT NULL,
  lifted_at   timestamptz,
  lifted_by   text,
  lift_reason text
);
CREATE UNIQUE INDEX domain_suspensions_one_active ON domain_suspensions (domain_id, ground) WHERE lifted_at IS NULL;
CREATE INDEX domain_suspensions_active ON domain_suspensions (ground, started_at) WHERE lifted_at IS NULL;

-- Notices a timer sent (R6.1 renewal request, R3.12 deadline alerts): one row per occasion.
CREATE TABLE lifecycle_notices (
  kind       text NOT NULL,
  object_id  text NOT NULL,
  occasion   text NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (kind, object_id, occasion)
);

-- R8.7: when the National Administrator finds a contact's data inaccurate, the owner has until this instant
-- (3 working days after the notice) to correct it.
ALTER TABLE contacts ADD COLUMN accuracy_due_at timestamptz;
ALTER TABLE contacts ADD COLUMN accuracy_note text;
CREATE INDEX contacts_accuracy_due ON contacts (accuracy_due_at) WHERE verification = 'inaccurate';

-- R9.8: a terminated registrar's domains moved in bulk to this registrar, which consented.
ALTER TABLE registrars ADD COLUMN successor_id text REFERENCES registrars(id);
ALTER TABLE registrars ADD COLUMN terminated_at timestamptz;

-- R3.20: identity data checked through the e-government system (an adapter): when, and with what outcome.
ALTER TABLE contacts ADD COLUMN verification_checked_at timestamptz;
ALTER TABLE contacts ADD COLUMN verification_result text;   -- 'match', 'mismatch', 'unknown', or an error
CREATE INDEX contacts_to_verify ON contacts (id) WHERE verification = 'unverified' AND verification_checked_at IS NULL AND deleted_at IS NULL;
