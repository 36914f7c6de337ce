-- pgbench script: every statement that core createDomain() sends to PostgreSQL for a domain with a
-- registrant, admin + tech contacts and two name servers, as in a query log of the real operation (BEGIN,
-- 5 statements, COMMIT). The policy-version read is not here: PolicyService caches it for up to a second
-- (src/core/policy-service.ts), so a create sends it at most about once a second.
-- Variables (-D): reg (registrar id), own, adm (contact handles), own_id, adm_id (their ids), ns1, ns2 (host
-- names), h1, h2 (host ids), lockpfx ('bundle:pgb-': it holds a colon), auth, snap (a domain snapshot, JSON),
-- payload (JSON). bench/core.ts replaces reg, own, adm, own_id and adm_id with expressions of :client_id, so
-- that each client uses its own registrar and contacts like the core workers.
-- Names are 'pgb-<n>.az' with a random n. Run with -M extended (node-postgres sends parameters the same way).
\set n random(1, 1000000000000)
BEGIN;
-- resolveForCreate(): the sponsor's status, the contacts, the name servers, and the bundle lock.
SELECT (SELECT status FROM registrars WHERE id = :reg) AS status,
  coalesce((SELECT json_agg(json_build_object('id', id, 'handle', handle, 'registrar_id', registrar_id)) FROM contacts
    WHERE handle = any(CAST(ARRAY[:own, :adm] AS text[])) AND deleted_at IS NULL), '[]'::json) AS contacts,
  coalesce((SELECT json_agg(json_build_object('id', id, 'name', name)) FROM hosts
    WHERE name = any(CAST(ARRAY[:ns1, :ns2] AS text[])) AND deleted_at IS NULL), '[]'::json) AS hosts,
  pg_advisory_xact_lock(hashtext(CAST(:lockpfx AS text) || CAST(:n AS text) || '.az')) AS locked;
-- insertDomain() with its guard: the bundle's live domains and the pending applications for the name (read after
-- the lock above), then the domain row, its contacts and name servers (and DS data: none here) if the name is free,
-- with the handles and host names the snapshot needs, all in one statement.
WITH live AS (
  SELECT name, unicode_name, registrant_id FROM domains WHERE bundle_key = 'pgb-' || CAST(:n AS text) || '.az' AND deleted_at IS NULL
), queued AS (
  SELECT id FROM applications WHERE name = 'pgb-' || CAST(:n AS text) || '.az' AND status = 'pending' ORDER BY id LIMIT 1
), d AS (
  INSERT INTO domains (roid, name, unicode_name, zone, bundle_key, registrar_id, registrant_id, auth_info, statuses, grandfathered,
    application_id, created_at, created_by, expires_at)
  SELECT 'D' || nextval('roid_seq')::int8 || CAST('-AZ' AS text), CAST('pgb-' || CAST(:n AS text) || '.az' AS text), CAST('pgb-' || CAST(:n AS text) || '.az' AS text),
    CAST('az' AS text), CAST('pgb-' || CAST(:n AS text) || '.az' AS text), CAST(:reg AS text), CAST(:own_id AS int8), CAST(:auth AS text), '{}'::text[],
    false, NULL::int8, now(), CAST(:reg AS text), now() + interval '1 year'
  WHERE NOT EXISTS (SELECT 1 FROM live WHERE live.name = 'pgb-' || CAST(:n AS text) || '.az' OR live.registrant_id <> CAST(:own_id AS int8))
    AND NOT EXISTS (SELECT 1 FROM queued)
  RETURNING *
), dc AS (
  INSERT INTO domain_contacts (domain_id, contact_id, type)
  SELECT d.id, x.contact_id, x.type FROM d, unnest(CAST(ARRAY[:adm_id, :adm_id] AS int8[]), CAST(ARRAY['admin', 'tech'] AS text[])) AS x(contact_id, type)
), dh AS (
  INSERT INTO domain_hosts (domain_id, host_id) SELECT d.id, x.host_id FROM d, unnest(CAST(ARRAY[:h1, :h2] AS int8[])) AS x(host_id)
), dd AS (
  INSERT INTO domain_ds (domain_id, key_tag, algorithm, digest_type, digest)
  SELECT d.id, x.key_tag, x.algorithm, x.digest_type, x.digest
  FROM d, unnest(CAST('{}' AS int4[]), CAST('{}' AS int4[]), CAST('{}' AS int4[]), CAST('{}' AS text[])) AS x(key_tag, algorithm, digest_type, digest)
)
SELECT (SELECT coalesce(json_agg(live), '[]'::json) FROM live) AS g_taken, (SELECT id FROM queued) AS g_queued, d.*,
  (SELECT c.handle FROM contacts c WHERE c.id = d.registrant_id) AS v_registrant,
  coalesce((SELECT json_agg(json_build_object('type', x.type, 'handle', c.handle) ORDER BY x.type, c.handle)
    FROM unnest(CAST(ARRAY[:adm_id, :adm_id] AS int8[]), CAST(ARRAY['admin', 'tech'] AS text[])) AS x(contact_id, type) JOIN contacts c ON c.id = x.contact_id), '[]'::json) AS v_contacts,
  coalesce((SELECT json_agg(h.name ORDER BY h.name) FROM hosts h WHERE h.id = any(CAST(ARRAY[:h1, :h2] AS int8[]))), '[]'::json) AS v_hosts
FROM (SELECT 1) AS one LEFT JOIN d ON true;
-- OperationContext.record(): the history version, the audit entry (unsealed: seq, prev_hash and hash are given
-- after commit by the sealer, src/audit/chain.ts, one short transaction per batch of creates, not per create) and
-- the outbox event in one statement.
WITH history AS (
  INSERT INTO object_history (object_type, object_id, version, operation, actor, at, snapshot)
  SELECT 'domain', 'pgb-' || CAST(:n AS text) || '.az', coalesce(max(version), 0) + 1, 'domain.create', :reg, now(), CAST(:snap AS jsonb)
  FROM object_history WHERE object_type = 'domain' AND object_id = 'pgb-' || CAST(:n AS text) || '.az'
), audit AS (
  INSERT INTO audit_log (at, actor_type, actor_id, operation, object_type, object_id, before, after, client_trid, source, payload_hash)
  VALUES (now(), 'registrar', :reg, 'domain.create', 'domain', 'pgb-' || CAST(:n AS text) || '.az', NULL::jsonb, CAST(:snap AS jsonb),
    NULL, 'bench', md5(:snap) || md5(:snap))
), event AS (
  INSERT INTO outbox (at, topic, object_type, object_id, payload) VALUES (now(), 'domain.created', 'domain', 'pgb-' || CAST(:n AS text) || '.az', CAST(:payload AS jsonb))
) SELECT 1;
-- chargeOperation() (src/billing/ledger.ts): the price in force (with whether any price exists) and, as it is not 0,
-- the registrar's prepaid account created at first use and locked (an upsert whose DO UPDATE locks the row), one
-- statement; then the ledger posting (transaction, entries, balance), one statement.
WITH price AS (
  SELECT id, amount FROM prices WHERE zone = 'az' AND operation = 'create' AND effective_from <= now()
  ORDER BY effective_from DESC LIMIT 1
), r AS (
  SELECT id, name FROM registrars WHERE id = :reg AND exists (SELECT 1 FROM price WHERE amount > 0)
), acc AS (
  INSERT INTO billing_accounts (code, kind, registrar_id, name)
    SELECT 'registrar:' || r.id, 'registrar', r.id, 'Prepaid balance of ' || r.name FROM r
  ON CONFLICT ON CONSTRAINT billing_accounts_registrar DO UPDATE SET balance = billing_accounts.balance
  RETURNING id, registrar_id, balance, credit_limit
)
SELECT price.id AS price_id, price.amount, exists (SELECT 1 FROM prices) AS any_price, acc.id, acc.registrar_id, acc.balance, acc.credit_limit
FROM (SELECT 1) one LEFT JOIN price ON true LEFT JOIN acc ON true \gset acct_
WITH t AS (
  INSERT INTO ledger_transactions (at, kind, registrar_id, amount, operation, zone, years, unit_price, price_id, object_type, object_id,
    domain_name, domain_roid, refund_of, reason, reference, actor, source_operation)
  VALUES (now(), 'charge', :reg, 3000, 'create', 'az', 1, 3000, NULL, 'domain', 'pgb-' || CAST(:n AS text), 'pgb-' || CAST(:n AS text) || '.az', NULL, NULL, NULL, NULL,
    :reg, 'domain.create')
  RETURNING id
), entries AS (
  INSERT INTO ledger_entries (transaction_id, account_id, amount)
  SELECT t.id, CAST(:acct_id AS bigint), CAST(3000 AS bigint) FROM t
  UNION ALL SELECT t.id, (SELECT id FROM billing_accounts WHERE code = 'registry:' || 'revenue'), CAST(-3000 AS bigint) FROM t
), balance AS (
  UPDATE billing_accounts SET balance = balance + CAST(-3000 AS bigint) WHERE id = CAST(:acct_id AS bigint)
)
SELECT id FROM t;
COMMIT;
