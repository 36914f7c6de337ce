-- DNS publication: DNSSEC keys, per-zone serial and content digest, and the IXFR journal (RFC 1995).
-- The authoritative server never reads registry tables while answering: it builds its in-memory zones from
-- the registry at start, and these tables only carry the DNS side's own state between restarts and nodes.

-- DNSSEC keys, one row per key and zone. Algorithm 13 (ECDSA P-256 with SHA-256) by default.
-- To do: private_key is stored unencrypted (PKCS#8 PEM); encrypt at rest (as for settings['pki.ca']).
CREATE TABLE dns_keys (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('ksk','zsk')),
  algorithm    integer NOT NULL,
  key_tag      integer NOT NULL CHECK (key_tag BETWEEN 0 AND 65535),
  flags        integer NOT NULL,
  public_key   text NOT NULL,                    -- DNSKEY public key field, base64 (RFC 6605 §4: Q = x | y)
  private_key  text NOT NULL,                    -- PKCS#8 PEM
  state        text NOT NULL DEFAULT 'active' CHECK (state IN ('published','active','retired','removed')),
  created_at   timestamptz NOT NULL,
  published_at timestamptz,
  active_at    timestamptz,
  retired_at   timestamptz,
  removed_at   timestamptz
);
CREATE INDEX dns_keys_zone ON dns_keys (zone, role) WHERE state <> 'removed';

-- One row per published zone: its current SOA serial (RFC 1982 arithmetic, never backwards) and a digest
-- of its unsigned content and keys, so that a rebuild of the same data keeps the serial.
CREATE TABLE dns_zone_state (
  zone         text PRIMARY KEY,
  serial       bigint NOT NULL CHECK (serial BETWEEN 0 AND 4294967295),
  digest       text NOT NULL,
  built_at     timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);

-- IXFR journal (RFC 1995): the difference between two serials of a zone, as RRs in presentation format.
-- Written by the incremental publisher (a follow-up: see docs/dns.md).
CREATE TABLE dns_journal (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone         text NOT NULL,
  serial_from  bigint NOT NULL,
  serial_to    bigint NOT NULL,
  removed      jsonb NOT NULL,
  added        jsonb NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX dns_journal_zone ON dns_journal (zone, id);

-- The zone builder reads each zone's live domains in pages by id (keyset pagination).
CREATE INDEX domains_zone_id ON domains (zone, id) WHERE deleted_at IS NULL;
