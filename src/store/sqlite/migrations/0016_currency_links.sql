-- Trade between communities (issue 6): two currencies linked by a pair of clearing
-- accounts and an exchange rate. A member of one pays a member of the other in one linked
-- pair of transfers: the payer pays the other community's clearing account in the payer's
-- currency, and the payer's community's clearing account in the other currency pays the
-- payee, both or neither. Each currency's balances still sum to zero.
CREATE TABLE currency_links (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  currency_a INTEGER NOT NULL REFERENCES currencies(id),
  currency_b INTEGER NOT NULL REFERENCES currencies(id),
  account_a INTEGER NOT NULL REFERENCES ledger_accounts(id),  -- in currency_a: what b's community holds or owes there
  account_b INTEGER NOT NULL REFERENCES ledger_accounts(id),  -- in currency_b: what a's community holds or owes there
  rate_num INTEGER NOT NULL CHECK (rate_num > 0),             -- one unit of a is worth rate_num / rate_den units of b
  rate_den INTEGER NOT NULL CHECK (rate_den > 0),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  CHECK (currency_a <> currency_b)
);
CREATE UNIQUE INDEX currency_links_pair ON currency_links(currency_a, currency_b);
CREATE INDEX currency_links_by_b ON currency_links(currency_b);
