-- Escrow deposits (RFC 8909): one row per deposit made. A differential deposit holds the changes after the
-- previous deposit's outbox position (outbox_upto), read in the same snapshot as the deposit itself.
CREATE TABLE escrow_deposits (
  id          text PRIMARY KEY,                   -- rde:deposit/@id
  type        text NOT NULL CHECK (type IN ('FULL','DIFF')),
  prev_id     text REFERENCES escrow_deposits(id),
  watermark   timestamptz NOT NULL,
  outbox_upto bigint NOT NULL,                    -- the last outbox event the deposit includes
  resend      integer NOT NULL DEFAULT 0,
  files       jsonb NOT NULL,                     -- file names, sizes, SHA-256 of the plaintext
  counts      jsonb NOT NULL,                     -- the header counts, per object URI
  created_at  timestamptz NOT NULL
);
CREATE INDEX escrow_deposits_watermark ON escrow_deposits (watermark);
