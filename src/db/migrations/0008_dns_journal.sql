-- DNS (issue 5): key rollovers (RFC 7583) and the IXFR journal.
-- A KSK in a double-DS rollover first exists only as a DS at the parent (state 'created'), before it enters
-- the DNSKEY RRset; a retired KSK is out of the DNSKEY RRset while its DS stays at the parent.
ALTER TABLE dns_keys DROP CONSTRAINT IF EXISTS dns_keys_state_check;
ALTER TABLE dns_keys ADD CONSTRAINT dns_keys_state_check CHECK (state IN ('created','published','active','retired','removed'));
-- dns_journal rows hold [owner, type, ttl, base64 RDATA] arrays (src/dns/journal.ts); IXFR looks them up by serial.
CREATE INDEX IF NOT EXISTS dns_journal_zone_from ON dns_journal (zone, serial_from);

-- DNS health of delegations (src/dns/health.ts): the last check of each delegated domain — lame name servers
-- (no authoritative answer for the domain) and DS records that match none of the child's DNSKEYs.
CREATE TABLE dns_health (
  domain_id  bigint PRIMARY KEY REFERENCES domains(id) ON DELETE CASCADE,
  checked_at timestamptz NOT NULL,
  status     text NOT NULL CHECK (status IN ('ok', 'problem')),
  problems   jsonb NOT NULL
);
