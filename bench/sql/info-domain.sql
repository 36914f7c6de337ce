-- pgbench script: what domain:info of a registered name sends to PostgreSQL (core getDomain() ->
-- loadDomainView(): the row with its registrant, contacts, name servers, subordinate hosts and DS data, one
-- statement). The name is that of a random registered domain (id random in :idmin..:idmax; the subquery on
-- the primary key picks it and is the only part the server does not send). :version as in check-domain.sql.
-- Run with -M extended.
\set k random(:idmin, :idmax)
\if :version
SELECT "value" FROM "settings" WHERE "key" = 'policy.version';
\endif
SELECT d.*,
  (SELECT c.handle FROM contacts c WHERE c.id = d.registrant_id) AS v_registrant,
  coalesce((SELECT json_agg(json_build_object('type', dc.type, 'handle', c.handle) ORDER BY dc.type, c.handle)
    FROM domain_contacts dc JOIN contacts c ON c.id = dc.contact_id WHERE dc.domain_id = d.id), '[]'::json) AS v_contacts,
  coalesce((SELECT json_agg(h.name ORDER BY h.name) FROM domain_hosts dh JOIN hosts h ON h.id = dh.host_id WHERE dh.domain_id = d.id), '[]'::json) AS v_hosts,
  coalesce((SELECT json_agg(h.name ORDER BY h.name) FROM hosts h WHERE h.superordinate_domain_id = d.id AND h.deleted_at IS NULL), '[]'::json) AS v_subordinate,
  coalesce((SELECT json_agg(json_build_object('keyTag', x.key_tag, 'algorithm', x.algorithm, 'digestType', x.digest_type, 'digest', x.digest)
    ORDER BY x.key_tag, x.algorithm, x.digest_type) FROM domain_ds x WHERE x.domain_id = d.id), '[]'::json) AS v_ds
FROM domains d WHERE d.name = (SELECT "name" FROM "domains" WHERE "id" >= :k ORDER BY "id" LIMIT 1) AND d.deleted_at IS NULL;
