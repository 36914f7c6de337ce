-- DNS (issue 5): the RRSIGs of each zone as served at one serial (src/dns/snapshot.ts). With the journal rows
-- after it they give back the exact signed zone, so a restart whose build equals the journaled state keeps
-- its serial and serves the very signatures the secondaries hold: they need no transfer at all.
CREATE TABLE dns_zone_snapshot (
  zone        text PRIMARY KEY,
  serial      bigint NOT NULL CHECK (serial BETWEEN 0 AND 4294967295),
  signatures  bytea NOT NULL,
  at          timestamptz NOT NULL
);
