-- Linking two communities' currencies when no one administers both (issue 6): an admin
-- of currency_a proposes the link (rate, each side's clearing limit), an admin of
-- currency_b accepts it (the link is made in the same transaction) or declines it; the
-- proposer may withdraw it while it is open. At most one open proposal per pair.
CREATE TABLE currency_link_proposals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  currency_a INTEGER NOT NULL REFERENCES currencies(id),
  currency_b INTEGER NOT NULL REFERENCES currencies(id),
  rate_num INTEGER NOT NULL CHECK (rate_num > 0),
  rate_den INTEGER NOT NULL CHECK (rate_den > 0),
  clearing_credit_limit_a INTEGER NOT NULL CHECK (clearing_credit_limit_a >= 0),
  clearing_credit_limit_b INTEGER NOT NULL CHECK (clearing_credit_limit_b >= 0),
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn')),
  proposed_by INTEGER REFERENCES users(id),
  proposed_at TEXT NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_at TEXT,
  link_id INTEGER REFERENCES currency_links(id),
  pair_low INTEGER NOT NULL,   -- min(currency_a, currency_b): one open proposal per pair, either way round
  pair_high INTEGER NOT NULL,  -- max(currency_a, currency_b)
  CHECK (currency_a <> currency_b)
);
CREATE UNIQUE INDEX currency_link_proposals_open ON currency_link_proposals(pair_low, pair_high) WHERE status = 'open';
CREATE INDEX currency_link_proposals_by_a ON currency_link_proposals(currency_a);
CREATE INDEX currency_link_proposals_by_b ON currency_link_proposals(currency_b);
