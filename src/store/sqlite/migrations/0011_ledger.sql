-- The ledger (issue 6): currencies of exchange communities and time banks, their accounts,
-- and transfers. Transfers are append-only: a correction is a reversal, a pending
-- transfer is settled by a later row (post, void, or the system's expiry) naming it in
-- pending_id, never by changing its own row. Account balances are kept beside them for a
-- fast start; `solidum` checks they equal what the transfers sum to.

CREATE TABLE currencies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),  -- the community that runs it
  code TEXT NOT NULL UNIQUE,             -- short, for people and URLs ("BRX", "HOURS-LYON")
  name TEXT NOT NULL,
  unit TEXT NOT NULL,                    -- what one is called ("hour", "Brixton pound")
  decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 6),  -- 0 for hours
  default_credit_limit INTEGER NOT NULL CHECK (default_credit_limit >= 0),
  default_upper_limit INTEGER CHECK (default_upper_limit IS NULL OR default_upper_limit >= 0),
  created_at TEXT NOT NULL
);

CREATE TABLE ledger_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  currency_id INTEGER NOT NULL REFERENCES currencies(id),
  member_id INTEGER REFERENCES members(id),  -- NULL: a system account (clearing, a fund)
  name TEXT NOT NULL,
  credit_limit INTEGER NOT NULL CHECK (credit_limit >= 0),
  upper_limit INTEGER CHECK (upper_limit IS NULL OR upper_limit >= 0),
  status TEXT NOT NULL CHECK (status IN ('open', 'frozen', 'closed')),
  balance INTEGER NOT NULL DEFAULT 0,
  debits_pending INTEGER NOT NULL DEFAULT 0,
  credits_pending INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ledger_accounts_one_per_member ON ledger_accounts(currency_id, member_id) WHERE member_id IS NOT NULL;

CREATE TABLE transfers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of application
  id TEXT NOT NULL UNIQUE,               -- the client's; "~..." ids are the system's (expiries)
  debit_account_id INTEGER NOT NULL REFERENCES ledger_accounts(id),
  credit_account_id INTEGER NOT NULL REFERENCES ledger_accounts(id),
  amount INTEGER NOT NULL CHECK (amount >= 0),  -- moved (pending: reserved; void: released)
  flags INTEGER NOT NULL,                -- 1 linked, 2 pending, 4 post, 8 void, 16 expiry
  pending_id TEXT,                       -- post, void, expiry: the pending transfer settled
  timeout_seconds INTEGER NOT NULL DEFAULT 0,
  memo TEXT NOT NULL DEFAULT '',
  requested_debit_account_id INTEGER NOT NULL,  -- as sent (0 for post/void may mean "the pending's")
  requested_credit_account_id INTEGER NOT NULL,
  requested_amount INTEGER NOT NULL,
  at_us INTEGER NOT NULL,                -- microseconds since 1970, UTC
  expires_at_us INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX transfers_settling ON transfers(pending_id) WHERE pending_id IS NOT NULL;
-- No per-account index here: inserting 8,000 transfers at random places in two such
-- indexes dirtied thousands of pages per commit and took the durable rate from 189,000 to
-- 39,000 transfers/s within 400,000 transfers (bench/RESULTS.md). Statements will read
-- an index kept apart and filled in bulk, sorted by account (next step of issue 6).

-- One row: bumped by every round of the ledger's writer. A writer whose last round is not
-- the last one (another server wrote since) reloads its balances before it applies
-- anything: two servers on one store never work from stale balances.
CREATE TABLE ledger_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO ledger_state (id, version) VALUES (1, 0);
