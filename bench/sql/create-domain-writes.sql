-- pgbench script: only the writing transaction of a domain create, the floor under createDomain():
-- the bundle lock, the ROID, the domain row, its contacts and name servers, history, audit and outbox.
-- No reads (sponsor, contacts, hosts, availability, snapshot) and no policy-version query.
-- Variables as in create-domain-full.sql. Names are 'pgw-<n>.az' with a random n.
\set n random(1, 1000000000000)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext(CAST(:lockpfx AS text) || CAST(:n AS text) || '.az'));
SELECT nextval('roid_seq')::int8 AS roid \gset
INSERT INTO "domains" ("roid", "name", "unicode_name", "zone", "bundle_key", "registrar_id", "registrant_id", "auth_info", "statuses", "grandfathered", "application_id", "created_at", "created_by", "expires_at")
  VALUES ('D' || CAST(:roid AS text) || '-AZ', 'pgw-' || CAST(:n AS text) || '.az', 'pgw-' || CAST(:n AS text) || '.az', 'az', 'pgw-' || CAST(:n AS text) || '.az',
          :reg, :own_id, :auth, '{}', false, NULL, now(), :reg, now() + interval '1 year') RETURNING id \gset d_
INSERT INTO "domain_contacts" ("domain_id", "contact_id", "type") VALUES (:d_id, :adm_id, 'admin'), (:d_id, :adm_id, 'tech');
INSERT INTO "domain_hosts" ("domain_id", "host_id") VALUES (:d_id, :h1), (:d_id, :h2);
INSERT INTO object_history (object_type, object_id, version, operation, actor, at, snapshot)
  SELECT 'domain', 'pgw-' || CAST(:n AS text) || '.az', coalesce(max(version), 0) + 1, 'domain.create', :reg, now(), CAST(:snap AS jsonb)
  FROM object_history WHERE object_type = 'domain' AND object_id = 'pgw-' || CAST(:n AS text) || '.az';
INSERT INTO "audit_log" ("at", "actor_type", "actor_id", "operation", "object_type", "object_id", "before", "after", "client_trid", "source")
  VALUES (now(), 'registrar', :reg, 'domain.create', 'domain', 'pgw-' || CAST(:n AS text) || '.az', NULL, CAST(:snap AS jsonb), NULL, 'bench');
INSERT INTO "outbox" ("at", "topic", "object_type", "object_id", "payload")
  VALUES (now(), 'domain.created', 'domain', 'pgw-' || CAST(:n AS text) || '.az', CAST(:payload AS jsonb));
COMMIT;
