-- Solidarity investment funds (issue 7): each keeps its books in a ledger currency of its
-- own (docs/architecture.md, "funds and loans on the ledger"): a pool of cash to lend
-- (never below zero), income and loss accounts, and a capital account per backer.
CREATE TABLE funds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  currency_id INTEGER NOT NULL UNIQUE REFERENCES currencies(id),
  name TEXT NOT NULL,
  pool_account INTEGER NOT NULL REFERENCES ledger_accounts(id),
  interest_account INTEGER NOT NULL REFERENCES ledger_accounts(id),
  fees_account INTEGER NOT NULL REFERENCES ledger_accounts(id),
  losses_account INTEGER NOT NULL REFERENCES ledger_accounts(id),
  deposits_account INTEGER NOT NULL REFERENCES ledger_accounts(id),
  created_at TEXT NOT NULL
);
CREATE INDEX funds_by_organisation ON funds(organisation_id);
CREATE TABLE fund_backers (
  fund_id INTEGER NOT NULL REFERENCES funds(id),
  backer_id INTEGER NOT NULL REFERENCES organisations(id),
  account_id INTEGER NOT NULL UNIQUE REFERENCES ledger_accounts(id),
  PRIMARY KEY (fund_id, backer_id)
);
