-- pgbench script: what domain:check of one free name sends to PostgreSQL (core domainAvailability() after
-- the policy check): the live domains of the name's IDN bundle and the pending applications for it.
-- The policy-version read of PolicyService.load() is included (:version = 1) or not (0): domen caches the
-- version for up to a second (src/core/policy-service.ts), so it sends it at most about once a second.
-- Names are 'chk-<n>.az' with a random n (none registered). Run with -M extended.
\set n random(1, 1000000000000)
\if :version
SELECT "value" FROM "settings" WHERE "key" = 'policy.version';
\endif
SELECT "name", "bundle_key" FROM "domains" WHERE "bundle_key" IN ('chk-' || CAST(:n AS text) || '.az') AND "deleted_at" IS NULL;
SELECT "name" FROM "applications" WHERE "name" IN ('chk-' || CAST(:n AS text) || '.az') AND "status" = 'pending';
