-- Registrant accounts (/account, R3.6-R3.9): the person data of R3.7/R3.8 kept with the user, e-mail confirmation,
-- TOTP, e-signature certificates, accepted Registration Agreements (R3.10, A12.3), orders and their payments.

-- One row per registrant user. `person` is the contact data (src/core/contacts.ts ContactData) the account files
-- with every registrar it chooses; the contacts made from it carry contacts.account_id.
CREATE TABLE registrant_accounts (
  user_id             bigint PRIMARY KEY REFERENCES users(id),
  kind                text NOT NULL CHECK (kind IN ('natural','legal')),
  person              jsonb NOT NULL,
  email_confirmed_at  timestamptz,
  confirm_token_hash  text,                      -- SHA-256 of the one-time link's token
  confirm_expires_at  timestamptz,
  totp_secret         text,                      -- base32 (RFC 4226 §4 shared secret), once enrolment is confirmed
  totp_pending_secret text,                      -- offered at enrolment, until the first code proves it
  totp_last_step      bigint,                    -- the last time step used: a code works once (RFC 6238 §5.2)
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE UNIQUE INDEX registrant_accounts_confirm ON registrant_accounts (confirm_token_hash) WHERE confirm_token_hash IS NOT NULL;

-- Between the password and the TOTP code: a random token (its SHA-256 here) in a short-lived cookie.
CREATE TABLE account_login_challenges (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id),
  expires_at  timestamptz NOT NULL,
  attempts    integer NOT NULL DEFAULT 0
);

-- E-signature certificates (R3.9) an account signs in with, by SHA-256 fingerprint of the DER.
CREATE TABLE account_certificates (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id),
  fingerprint text NOT NULL,
  subject     text NOT NULL,
  issuer      text NOT NULL,
  not_after   timestamptz NOT NULL,
  created_at  timestamptz NOT NULL,
  removed_at  timestamptz
);
CREATE UNIQUE INDEX account_certificates_live ON account_certificates (fingerprint) WHERE removed_at IS NULL;

-- What a registrant asked for and pays for: a registration (R3.10) or a renewal (R6.1), through a registrar.
CREATE TABLE account_orders (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id                bigint NOT NULL REFERENCES users(id),
  kind                   text NOT NULL CHECK (kind IN ('register','renew')),
  registrar_id           text NOT NULL REFERENCES registrars(id),
  name                   text NOT NULL,          -- A-label
  unicode_name           text NOT NULL,
  period_years           integer NOT NULL,
  hosts                  text[] NOT NULL DEFAULT '{}',
  amount                 bigint NOT NULL,        -- qəpik
  agreement_version      text,                   -- R3.10, A12.3: the agreement accepted before applying
  agreement_accepted_at  timestamptz,
  -- 'filing': claimed by one callback while the registrar's operations run (a repeated callback does not file twice).
  status                 text NOT NULL CHECK (status IN ('awaiting_payment','paid','filing','filed','failed')),
  application_id         bigint REFERENCES applications(id),
  result                 text,                   -- 'created', 'pending' (in review), 'renewed' or the refusal
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL
);
CREATE INDEX account_orders_user ON account_orders (user_id, id);

-- A payment with an external provider: created here, paid there, confirmed by the provider's signed callback.
CREATE TABLE account_payments (
  id           text PRIMARY KEY,                 -- random, also the provider's merchant reference
  order_id     bigint NOT NULL REFERENCES account_orders(id),
  provider     text NOT NULL,
  amount       bigint NOT NULL,
  currency     text NOT NULL,
  status       text NOT NULL CHECK (status IN ('created','paid','failed')),
  provider_ref text,
  created_at   timestamptz NOT NULL,
  settled_at   timestamptz
);
CREATE INDEX account_payments_order ON account_payments (order_id);
