-- Tamper-evident audit (issue 8): every audit entry gets a place in one hash chain.
--   payload_hash = SHA-256 of the canonical JSON of {before, after}
--   hash         = SHA-256 of the canonical JSON of the entry's fields, its payload_hash and prev_hash
-- so each entry covers the one before it. The hashes are computed in src/audit/chain.ts, not here: the
-- canonical form is ours, and an independent verifier re-implements it from docs/audit.md.
-- Entries written before this migration are chained by the first writer after it (audit_head.legacy_chained).
ALTER TABLE audit_log ADD COLUMN seq bigint;
ALTER TABLE audit_log ADD COLUMN prev_hash text;
ALTER TABLE audit_log ADD COLUMN payload_hash text;
ALTER TABLE audit_log ADD COLUMN hash text;
-- Set when personal data in before/after was erased (R8.8); payload_hash keeps the original commitment.
ALTER TABLE audit_log ADD COLUMN redacted_at timestamptz;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);
CREATE INDEX audit_log_unchained ON audit_log (id) WHERE seq IS NULL;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);

-- The chain head: one row, read and advanced under the chain's advisory lock at the end of each operation.
CREATE TABLE audit_head (
  one            boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq            bigint NOT NULL,
  hash           text NOT NULL,
  legacy_chained boolean NOT NULL,
  updated_at     timestamptz
);
INSERT INTO audit_head (seq, hash, legacy_chained)
  SELECT 0, repeat('0', 64), NOT EXISTS (SELECT 1 FROM audit_log);

-- Head hashes taken by `domen audit anchor`; the copy that counts is the one published outside the database.
CREATE TABLE audit_anchors (
  seq        bigint PRIMARY KEY,
  hash       text NOT NULL,
  created_at timestamptz NOT NULL,
  note       text
);

-- Personal data erased after the retention period (R8.8); the contact row stays as a tombstone.
ALTER TABLE contacts ADD COLUMN purged_at timestamptz;
CREATE INDEX contacts_deleted_unpurged ON contacts (deleted_at) WHERE deleted_at IS NOT NULL AND purged_at IS NULL;
