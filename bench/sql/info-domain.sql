-- pgbench script: what domain:info of a registered name sends to PostgreSQL (core getDomain(): the row, then
-- domainView()'s five reads: registrant, contacts, name servers, subordinate hosts, DS data).
-- The name is that of a random registered domain (id random in :idmin..:idmax; the subquery on the primary
-- key picks it and is the only statement the server does not send). :version as in check-domain.sql.
-- Run with -M extended.
\set k random(:idmin, :idmax)
\if :version
SELECT "value" FROM "settings" WHERE "key" = 'policy.version';
\endif
SELECT * FROM "domains" WHERE "name" = (SELECT "name" FROM "domains" WHERE "id" >= :k ORDER BY "id" LIMIT 1) AND "deleted_at" IS NULL \gset d_
SELECT "handle" FROM "contacts" WHERE "id" = :d_registrant_id;
SELECT "domain_contacts"."type", "contacts"."handle" FROM "domain_contacts" INNER JOIN "contacts" ON "contacts"."id" = "domain_contacts"."contact_id" WHERE "domain_contacts"."domain_id" = :d_id ORDER BY "domain_contacts"."type", "contacts"."handle";
SELECT "hosts"."name" FROM "domain_hosts" INNER JOIN "hosts" ON "hosts"."id" = "domain_hosts"."host_id" WHERE "domain_hosts"."domain_id" = :d_id ORDER BY "hosts"."name";
SELECT "name" FROM "hosts" WHERE "superordinate_domain_id" = :d_id AND "deleted_at" IS NULL ORDER BY "name";
SELECT "key_tag", "algorithm", "digest_type", "digest" FROM "domain_ds" WHERE "domain_id" = :d_id ORDER BY "key_tag", "algorithm", "digest_type";
