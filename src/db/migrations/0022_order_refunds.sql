-- Registrant orders (R3.10): a paid order that the registry refused before filing, or whose application was
-- refused (R5.2), is refunded through the payment provider; the payment records the refund.
ALTER TABLE account_payments DROP CONSTRAINT account_payments_status_check;
ALTER TABLE account_payments ADD CONSTRAINT account_payments_status_check CHECK (status IN ('created','paid','failed','refunded'));
ALTER TABLE account_payments ADD COLUMN refund_ref text;
ALTER TABLE account_payments ADD COLUMN refunded_at timestamptz;
CREATE INDEX account_payments_paid ON account_payments (order_id) WHERE status = 'paid';
