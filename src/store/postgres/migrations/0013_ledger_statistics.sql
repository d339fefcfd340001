-- A currency's statistics (issue 6), kept by the ledger's writer at each balance
-- checkpoint from the transfers since the one before: never a scan of the transfers.
-- Trades and volume count transfers that move balances (plain and posted), by UTC day;
-- supply is the sum of the positive balances (in mutual credit, also the sum of the
-- debts) as of the day's last checkpoint. An account is active in a month when it paid or
-- received in it.
CREATE TABLE ledger_daily (
  currency_id BIGINT NOT NULL REFERENCES currencies(id),
  day TEXT NOT NULL,            -- YYYY-MM-DD, UTC
  trades BIGINT NOT NULL,
  volume BIGINT NOT NULL,      -- minor units
  supply BIGINT NOT NULL,
  PRIMARY KEY (currency_id, day)
);
CREATE TABLE ledger_active (
  currency_id BIGINT NOT NULL REFERENCES currencies(id),
  month TEXT NOT NULL,          -- YYYY-MM, UTC
  account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  PRIMARY KEY (currency_id, month, account_id)
);
