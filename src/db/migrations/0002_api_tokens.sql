-- Bearer tokens for authenticated RDAP (RFC 7480 §3, RFC 6750): a registrar's token shows full data of
-- the objects it sponsors; a National Administrator user's token shows all. Only the SHA-256 is kept.
CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash   text NOT NULL,                    -- SHA-256 of the token, lower-case hex
  registrar_id text REFERENCES registrars(id),
  user_id      bigint REFERENCES users(id),
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  CHECK ((registrar_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

-- RDAP and WHOIS searches (RFC 9082 §4.1 partial match 'name*'; nameservers?ip=) without a table scan.
CREATE INDEX domains_name_prefix ON domains (name text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX domains_unicode_prefix ON domains (unicode_name text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX hosts_name_prefix ON hosts (name text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX hosts_addresses ON hosts USING gin (addresses) WHERE deleted_at IS NULL;
