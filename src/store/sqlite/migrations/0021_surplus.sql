-- Year-end surplus allocations (issue 7): computed by finance::AllocateSurplus from the
-- statutes' rules, reviewed as a draft, approved (or not) by a vote of the members in
-- assembly, then posted to the organisation's share-capital ledger book: the year's
-- surplus account pays the reserve, the development fund, and each member's refunds and
-- interest into an account of what the co-operative owes them.
CREATE TABLE surplus_allocations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  financial_year TEXT NOT NULL,                  -- the financial year it allocates, as the statutes name it
  surplus INTEGER NOT NULL,
  rules TEXT NOT NULL,                  -- JSON, as given
  basis TEXT NOT NULL,                  -- hours, wages, purchases
  reserve INTEGER NOT NULL,
  fund INTEGER NOT NULL,
  interest INTEGER NOT NULL,
  refunds INTEGER NOT NULL,
  retained INTEGER NOT NULL,
  status TEXT NOT NULL,                 -- draft, approved, rejected, posting, posted
  decision TEXT,                        -- JSON: the assembly's vote
  surplus_account INTEGER REFERENCES ledger_accounts(id),
  reserve_account INTEGER REFERENCES ledger_accounts(id),
  fund_account INTEGER REFERENCES ledger_accounts(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (organisation_id, financial_year)
);
CREATE TABLE surplus_lines (
  allocation_id INTEGER NOT NULL REFERENCES surplus_allocations(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  capital INTEGER NOT NULL,
  patronage INTEGER NOT NULL,
  interest INTEGER NOT NULL,
  refund INTEGER NOT NULL,
  PRIMARY KEY (allocation_id, member_id)
);
CREATE TABLE member_payables (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  account_id INTEGER NOT NULL UNIQUE REFERENCES ledger_accounts(id),
  PRIMARY KEY (organisation_id, member_id)
);
