-- pgbench script: every statement that core createDomain() sends to PostgreSQL for a domain with a
-- registrant, admin + tech contacts and two name servers (taken from a query log of the real operation).
-- Variables (-D): reg (registrar id), own, adm (contact handles), own_id, adm_id (their ids), ns1, ns2 (host
-- names), h1, h2 (host ids), lockpfx ('bundle:pgb-': it holds a colon), auth, snap (a domain snapshot, JSON),
-- payload (JSON). bench/core.ts replaces reg, own, adm, own_id and adm_id with expressions of :client_id, so
-- that each client uses its own registrar and contacts like the core workers.
-- Names are 'pgb-<n>.az' with a random n. Run with -M extended (node-postgres sends parameters the same way).
\set n random(1, 1000000000000)
-- PolicyService.load(): the policy version, read before the transaction.
SELECT "value" FROM "settings" WHERE "key" = 'policy.version';
BEGIN;
SELECT "status" FROM "registrars" WHERE "id" = :reg;
SELECT "id", "handle", "registrar_id" FROM "contacts" WHERE "handle" IN (:own, :adm) AND "deleted_at" IS NULL;
SELECT "id", "name" FROM "hosts" WHERE "name" IN (:ns1, :ns2) AND "deleted_at" IS NULL;
-- assertAvailable(): the bundle lock, then the bundle and the review queue.
SELECT pg_advisory_xact_lock(hashtext(CAST(:lockpfx AS text) || CAST(:n AS text) || '.az'));
SELECT "name", "unicode_name", "registrant_id" FROM "domains" WHERE "bundle_key" = 'pgb-' || CAST(:n AS text) || '.az' AND "deleted_at" IS NULL;
SELECT "id" FROM "applications" WHERE "name" = 'pgb-' || CAST(:n AS text) || '.az' AND "status" = 'pending';
-- insertDomain()
SELECT nextval('roid_seq')::int8 AS roid \gset
INSERT INTO "domains" ("roid", "name", "unicode_name", "zone", "bundle_key", "registrar_id", "registrant_id", "auth_info", "statuses", "grandfathered", "application_id", "created_at", "created_by", "expires_at")
  VALUES ('D' || CAST(:roid AS text) || '-AZ', 'pgb-' || CAST(:n AS text) || '.az', 'pgb-' || CAST(:n AS text) || '.az', 'az', 'pgb-' || CAST(:n AS text) || '.az',
          :reg, :own_id, :auth, '{}', false, NULL, now(), :reg, now() + interval '1 year') RETURNING * \gset d_
INSERT INTO "domain_contacts" ("domain_id", "contact_id", "type") VALUES (:d_id, :adm_id, 'admin'), (:d_id, :adm_id, 'tech');
INSERT INTO "domain_hosts" ("domain_id", "host_id") VALUES (:d_id, :h1), (:d_id, :h2);
-- domainView(): the snapshot written to history and audit.
SELECT "handle" FROM "contacts" WHERE "id" = :own_id;
SELECT "domain_contacts"."type", "contacts"."handle" FROM "domain_contacts" INNER JOIN "contacts" ON "contacts"."id" = "domain_contacts"."contact_id" WHERE "domain_contacts"."domain_id" = :d_id ORDER BY "domain_contacts"."type", "contacts"."handle";
SELECT "hosts"."name" FROM "domain_hosts" INNER JOIN "hosts" ON "hosts"."id" = "domain_hosts"."host_id" WHERE "domain_hosts"."domain_id" = :d_id ORDER BY "hosts"."name";
SELECT "name" FROM "hosts" WHERE "superordinate_domain_id" = :d_id AND "deleted_at" IS NULL ORDER BY "name";
SELECT "key_tag", "algorithm", "digest_type", "digest" FROM "domain_ds" WHERE "domain_id" = :d_id ORDER BY "key_tag", "algorithm", "digest_type";
-- OperationContext.record(): history version, audit entry, outbox event.
INSERT INTO object_history (object_type, object_id, version, operation, actor, at, snapshot)
  SELECT 'domain', 'pgb-' || CAST(:n AS text) || '.az', coalesce(max(version), 0) + 1, 'domain.create', :reg, now(), CAST(:snap AS jsonb)
  FROM object_history WHERE object_type = 'domain' AND object_id = 'pgb-' || CAST(:n AS text) || '.az';
INSERT INTO "audit_log" ("at", "actor_type", "actor_id", "operation", "object_type", "object_id", "before", "after", "client_trid", "source")
  VALUES (now(), 'registrar', :reg, 'domain.create', 'domain', 'pgb-' || CAST(:n AS text) || '.az', NULL, CAST(:snap AS jsonb), NULL, 'bench');
INSERT INTO "outbox" ("at", "topic", "object_type", "object_id", "payload")
  VALUES (now(), 'domain.created', 'domain', 'pgb-' || CAST(:n AS text) || '.az', CAST(:payload AS jsonb));
COMMIT;
