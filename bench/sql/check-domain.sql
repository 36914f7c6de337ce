-- pgbench script: what domain:check of one free name sends to PostgreSQL (core domainAvailability() after
-- the policy check): one statement for the live domains of the names' IDN bundles and the pending
-- applications for the names.
-- The policy-version read of PolicyService.load() is included (:version = 1) or not (0): domen caches the
-- version for up to a second (src/core/policy-service.ts), so it sends it at most about once a second.
-- Names are 'chk-<n>.az' with a random n (none registered). Run with -M extended.
\set n random(1, 1000000000000)
\if :version
SELECT "value" FROM "settings" WHERE "key" = 'policy.version';
\endif
SELECT 'live' AS kind, name, bundle_key FROM domains WHERE bundle_key = any(CAST(ARRAY['chk-' || CAST(:n AS text) || '.az'] AS text[])) AND deleted_at IS NULL
UNION ALL
SELECT 'app' AS kind, name, NULL FROM applications WHERE name = any(CAST(ARRAY['chk-' || CAST(:n AS text) || '.az'] AS text[])) AND status = 'pending';
