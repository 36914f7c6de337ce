-- The portals' sign-in: server-side sessions and the record of sign-in attempts that throttling and lockout count.

-- A session is known by the SHA-256 of its cookie value (a leaked table does not give live sessions). The CSRF
-- token (synchronizer pattern) lives with the session. Idle and absolute expiry are checked on every request.
CREATE TABLE web_sessions (
  id_hash       text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users(id),
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,            -- absolute expiry
  ip            text,
  user_agent    text
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expiry ON web_sessions (last_seen_at);

-- Every sign-in attempt, by the e-mail as typed (lower-cased, whether or not an account has it: a lockout does not
-- tell which addresses exist) and by client address.
CREATE TABLE login_attempts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email      text NOT NULL,
  ip         text NOT NULL,
  at         timestamptz NOT NULL,
  success    boolean NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
CREATE INDEX login_attempts_at ON login_attempts (at);
