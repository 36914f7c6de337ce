-- DNS (issue 5): the signature snapshot of a zone in parts of at most a few MiB (src/dns/snapshot.ts). One bytea
-- per zone grows with the zone (about 130 MB at 1M NSEC-signed delegations) and meets the client's limits first:
-- node-postgres decodes bytea from hex text, and V8 strings stop at 2^29 characters (about 4M signatures);
-- PostgreSQL's own limit for a field is 1 GB.
CREATE TABLE dns_zone_snapshot_part (
  zone  text NOT NULL REFERENCES dns_zone_snapshot(zone) ON DELETE CASCADE,
  part  integer NOT NULL CHECK (part >= 0),
  data  bytea NOT NULL,
  PRIMARY KEY (zone, part)
);
INSERT INTO dns_zone_snapshot_part (zone, part, data) SELECT zone, 0, signatures FROM dns_zone_snapshot;
ALTER TABLE dns_zone_snapshot DROP COLUMN signatures;
