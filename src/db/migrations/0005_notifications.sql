-- Notifications (R3.11, R3.12, R6.1, R7.5, R8.7): a queue written inside the business operation's transaction,
-- so a notice exists exactly when its operation committed, and nothing is lost while SMTP is down.

-- The language a person or a registrar reads notices in; the profile default when not stated.
ALTER TABLE users ADD COLUMN lang text NOT NULL DEFAULT 'az' CHECK (lang IN ('az','en','ru'));
ALTER TABLE registrars ADD COLUMN lang text CHECK (lang IN ('az','en','ru'));

-- One row per (notice, channel, recipient). dedupe_key names the notice ('renewal-request:NAME:EXPIRY'):
-- a timer that runs twice, or on two nodes, cannot queue the same notice for the same recipient twice.
CREATE TABLE notifications (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedupe_key      text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email','inbox','poll')),
  recipient       text NOT NULL,                   -- e-mail address, 'user:ID' or the registrar id
  user_id         bigint REFERENCES users(id),
  registrar_id    text REFERENCES registrars(id),
  template        text NOT NULL,
  lang            text NOT NULL CHECK (lang IN ('az','en','ru')),
  params          jsonb NOT NULL,
  subject         text NOT NULL,                   -- as rendered when queued (for lists; e-mail re-renders)
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  operation       text NOT NULL,                   -- the operation that queued it
  actor           text NOT NULL
);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (dedupe_key, channel, recipient);
CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX notifications_dead ON notifications (id) WHERE status = 'dead';

-- The account inbox of a registrant or a staff member (R3.11 "user account", R6.1, R7.5).
CREATE TABLE inbox_messages (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id         bigint NOT NULL REFERENCES users(id),
  at              timestamptz NOT NULL,
  subject         text NOT NULL,
  body            text NOT NULL,
  read_at         timestamptz,
  notification_id bigint REFERENCES notifications(id)
);
CREATE INDEX inbox_user ON inbox_messages (user_id, id);
