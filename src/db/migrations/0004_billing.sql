-- Billing: prices per zone and operation with effective dates, registrars' prepaid balances as a
-- double-entry ledger in integer qəpik (1 AZN = 100 qəpik), invoices numbered per year without gaps.
-- Fees are set by the National Administrator with the Ministry's approval (R3.1), paid in AZN (A4.6).

-- A price applies from effective_from; the latest one not after the operation time wins.
CREATE TABLE prices (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone           text NOT NULL REFERENCES zones(name),
  operation      text NOT NULL CHECK (operation IN ('create','renew','restore','transfer')),
  amount         bigint NOT NULL CHECK (amount >= 0),   -- qəpik per year (restore: per restore)
  effective_from timestamptz NOT NULL,
  created_at     timestamptz NOT NULL,
  created_by     text NOT NULL,
  CONSTRAINT prices_one_per_instant UNIQUE (zone, operation, effective_from)
);

-- Ledger accounts. A registrar's prepaid account keeps its available balance (the negated sum of its
-- entries: the registry owes it services) in `balance`, updated under FOR UPDATE by every posting, and
-- the database refuses a balance below the credit limit. The registry's own accounts keep no running
-- balance (it would be one hot row for every registrar's operation): theirs is the sum of their entries.
CREATE TABLE billing_accounts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('registrar','revenue','bank','refunds')),
  registrar_id text REFERENCES registrars(id),
  name         text NOT NULL,
  balance      bigint NOT NULL DEFAULT 0,
  credit_limit bigint NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT billing_accounts_code UNIQUE (code),
  CONSTRAINT billing_accounts_registrar UNIQUE (registrar_id),
  CHECK ((kind = 'registrar') = (registrar_id IS NOT NULL)),
  CONSTRAINT billing_accounts_within_credit CHECK (kind <> 'registrar' OR balance >= -credit_limit)
);
INSERT INTO billing_accounts (code, kind, name) VALUES
  ('registry:bank', 'bank', 'Payments received (bank and cash clearing)'),
  ('registry:revenue', 'revenue', 'Registration and maintenance fees'),
  ('registry:refunds', 'refunds', 'Refunded fees (R5.2, A5.2, transfers)');

-- One business event (a payment, a charge, a refund, a payout) as seen by the registrar, with the
-- object it concerns, so that a refund finds the charge it returns.
CREATE TABLE ledger_transactions (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at               timestamptz NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('payment','charge','refund','payout')),
  registrar_id     text NOT NULL REFERENCES registrars(id),
  amount           bigint NOT NULL CHECK (amount > 0),  -- qəpik
  operation        text CHECK (operation IN ('create','renew','restore','transfer')),
  zone             text,
  years            int,
  unit_price       bigint,
  price_id         bigint REFERENCES prices(id),
  object_type      text,   -- 'domain' (by ROID), 'application', 'transfer'
  object_id        text,
  domain_name      text,
  domain_roid      text,   -- the registration whose time was paid for (A5.2)
  refund_of        bigint REFERENCES ledger_transactions(id),
  reason           text,   -- refunds: the rule (R5.2, A5.2, RFC 5731 §3.2.4); payments: free text
  reference        text,   -- payments: the bank or cash reference
  actor            text NOT NULL,
  source_operation text NOT NULL,  -- the registry operation it belongs to, e.g. 'domain.renew'
  CHECK ((kind = 'refund') = (refund_of IS NOT NULL)),
  CHECK (kind NOT IN ('charge','refund') OR (operation IS NOT NULL AND object_type IS NOT NULL AND object_id IS NOT NULL))
);
CREATE INDEX ledger_transactions_registrar_at ON ledger_transactions (registrar_id, at, id);
CREATE INDEX ledger_transactions_object ON ledger_transactions (object_type, object_id) WHERE kind = 'charge';
CREATE INDEX ledger_transactions_roid ON ledger_transactions (domain_roid) WHERE kind = 'charge';
CREATE INDEX ledger_transactions_refund_of ON ledger_transactions (refund_of) WHERE refund_of IS NOT NULL;

-- Debits positive, credits negative; the entries of a transaction sum to zero (checked at commit).
CREATE TABLE ledger_entries (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id bigint NOT NULL REFERENCES ledger_transactions(id),
  account_id     bigint NOT NULL REFERENCES billing_accounts(id),
  amount         bigint NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, transaction_id);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

CREATE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE transaction_id = NEW.transaction_id) <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance', NEW.transaction_id USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_balanced();

-- The ledger and the invoices are append-only: a mistake is corrected by a new transaction.
CREATE FUNCTION billing_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '55000';
END $$;
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION billing_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION billing_append_only();

-- Invoice numbers YYYY-NNNNNN without gaps: the counter row is taken under a row lock in the issuing
-- transaction, so a rolled-back issue gives its number back.
CREATE TABLE invoice_counters (
  year int PRIMARY KEY,
  last int NOT NULL
);

CREATE TABLE invoices (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number       text NOT NULL,
  year         int NOT NULL,
  seq          int NOT NULL,
  registrar_id text NOT NULL REFERENCES registrars(id),
  period_from  timestamptz NOT NULL,   -- [period_from, period_to): one calendar month in the registry's time zone
  period_to    timestamptz NOT NULL,
  month        text NOT NULL,          -- 'YYYY-MM'
  issued_at    timestamptz NOT NULL,
  issued_by    text NOT NULL,
  currency     text NOT NULL,
  total        bigint NOT NULL,        -- charges less refunds, qəpik
  content      jsonb NOT NULL,         -- issuer, registrar, lines and summary as issued
  CONSTRAINT invoices_number UNIQUE (number),
  CONSTRAINT invoices_year_seq UNIQUE (year, seq),
  CONSTRAINT invoices_one_per_month UNIQUE (registrar_id, month)
);
CREATE TRIGGER invoices_append_only BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION billing_append_only();
