-- pgbench script: only the writing transaction of a domain create, the floor under createDomain(): the
-- bundle lock, the domain row with its contacts and name servers, history and outbox, the charge (ledger
-- transaction, its two entries, the prepaid balance) and the audit entry (unsealed, as a create writes it). No reads
-- (sponsor, contacts, hosts, availability, snapshot, price, accounts) and no policy-version query.
-- Variables as in create-domain-full.sql. Names are 'pgw-<n>.az' with a random n.
\set n random(1, 1000000000000)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext(CAST(:lockpfx AS text) || CAST(:n AS text) || '.az'));
WITH d AS (
  INSERT INTO domains (roid, name, unicode_name, zone, bundle_key, registrar_id, registrant_id, auth_info, statuses, grandfathered,
    application_id, created_at, created_by, expires_at)
  VALUES ('D' || nextval('roid_seq')::int8 || '-AZ', 'pgw-' || CAST(:n AS text) || '.az', 'pgw-' || CAST(:n AS text) || '.az', 'az',
    'pgw-' || CAST(:n AS text) || '.az', :reg, :own_id, :auth, '{}', false, NULL, now(), :reg, now() + interval '1 year')
  RETURNING id
), dc AS (
  INSERT INTO domain_contacts (domain_id, contact_id, type)
  SELECT d.id, x.contact_id, x.type FROM d, unnest(CAST(ARRAY[:adm_id, :adm_id] AS int8[]), CAST(ARRAY['admin', 'tech'] AS text[])) AS x(contact_id, type)
)
INSERT INTO domain_hosts (domain_id, host_id) SELECT d.id, x.host_id FROM d, unnest(CAST(ARRAY[:h1, :h2] AS int8[])) AS x(host_id);
WITH history AS (
  INSERT INTO object_history (object_type, object_id, version, operation, actor, at, snapshot)
  VALUES ('domain', 'pgw-' || CAST(:n AS text) || '.az', 1, 'domain.create', :reg, now(), CAST(:snap AS jsonb))
)
INSERT INTO outbox (at, topic, object_type, object_id, payload) VALUES (now(), 'domain.created', 'domain', 'pgw-' || CAST(:n AS text) || '.az', CAST(:payload AS jsonb));
UPDATE billing_accounts SET balance = balance - 3000 WHERE registrar_id = :reg RETURNING id \gset acct_
WITH t AS (
  INSERT INTO ledger_transactions (at, kind, registrar_id, amount, operation, zone, years, unit_price, object_type, object_id, domain_name, actor, source_operation)
  VALUES (now(), 'charge', :reg, 3000, 'create', 'az', 1, 3000, 'domain', 'pgw-' || CAST(:n AS text), 'pgw-' || CAST(:n AS text) || '.az', :reg, 'domain.create')
  RETURNING id
)
INSERT INTO ledger_entries (transaction_id, account_id, amount)
  SELECT t.id, :acct_id, 3000 FROM t UNION ALL SELECT t.id, (SELECT id FROM billing_accounts WHERE code = 'registry:' || 'revenue'), -3000 FROM t;
-- The audit entry unsealed (src/audit/chain.ts): the sealer chains it after commit, a batch at a time.
INSERT INTO audit_log (at, actor_type, actor_id, operation, object_type, object_id, before, after, client_trid, source, payload_hash)
  VALUES (now(), 'registrar', :reg, 'domain.create', 'domain', 'pgw-' || CAST(:n AS text) || '.az', NULL, CAST(:snap AS jsonb), NULL, 'bench',
    encode(sha256(convert_to(:snap, 'UTF8')), 'hex'));
COMMIT;
