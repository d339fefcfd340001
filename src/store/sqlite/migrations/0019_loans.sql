-- Loans from solidarity funds (issue 7; docs/architecture.md, "funds and loans on the
-- ledger"): a fund's loan products, applications from organisations of the register with
-- review notes and the committee's decision, and loans with their stored schedule,
-- tranches and repayments. Money moves on the fund's ledger book; these rows say why.
CREATE TABLE loan_products (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fund_id INTEGER NOT NULL REFERENCES funds(id),
  name TEXT NOT NULL,
  method TEXT NOT NULL,                 -- equal_instalments, equal_principal, flat, interest_free
  period TEXT NOT NULL,                 -- weekly, monthly, quarterly
  annual_rate_ppm INTEGER NOT NULL,
  principal_min INTEGER NOT NULL,
  principal_max INTEGER NOT NULL,
  instalments_max INTEGER NOT NULL,
  grace_max INTEGER NOT NULL,
  grace_interest_rule TEXT NOT NULL,    -- waived, deferred, capitalised
  created_at TEXT NOT NULL,
  UNIQUE (fund_id, name)
);
CREATE TABLE loan_applications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fund_id INTEGER NOT NULL REFERENCES funds(id),
  product_id INTEGER NOT NULL REFERENCES loan_products(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),  -- the applicant
  amount INTEGER NOT NULL,
  instalments INTEGER NOT NULL,
  grace_principal INTEGER NOT NULL,
  grace_interest INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  jobs_created INTEGER NOT NULL,
  jobs_kept INTEGER NOT NULL,
  business_plan_url TEXT,
  stage TEXT NOT NULL,                  -- submitted, in_review, approved, rejected, withdrawn, contracted
  decision TEXT,                        -- JSON: the committee's agenda item and its vote
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX loan_applications_by_fund ON loan_applications(fund_id, stage);
CREATE TABLE loan_application_notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  application_id INTEGER NOT NULL REFERENCES loan_applications(id),
  author_id INTEGER REFERENCES users(id),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX loan_application_notes_by_application ON loan_application_notes(application_id);
CREATE TABLE loans (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fund_id INTEGER NOT NULL REFERENCES funds(id),
  application_id INTEGER NOT NULL UNIQUE REFERENCES loan_applications(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),  -- the borrower
  account_id INTEGER NOT NULL UNIQUE REFERENCES ledger_accounts(id),  -- principal outstanding
  principal INTEGER NOT NULL,
  method TEXT NOT NULL,
  period TEXT NOT NULL,
  annual_rate_ppm INTEGER NOT NULL,
  instalments INTEGER NOT NULL,
  grace_principal INTEGER NOT NULL,
  grace_interest INTEGER NOT NULL,
  grace_interest_rule TEXT NOT NULL,
  start_on TEXT NOT NULL,               -- the first instalment falls a period later
  status TEXT NOT NULL,                 -- active, repaid, written_off
  written_off_on TEXT,
  written_off_posted_at TEXT,           -- null until the write-off is on the ledger
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1    -- bumped by each repayment, disbursement, write-off
);
CREATE INDEX loans_by_fund ON loans(fund_id, status);
CREATE TABLE loan_instalments (
  loan_id INTEGER NOT NULL REFERENCES loans(id),
  n INTEGER NOT NULL,
  due_on TEXT NOT NULL,
  principal INTEGER NOT NULL,
  interest INTEGER NOT NULL,
  fees INTEGER NOT NULL,
  PRIMARY KEY (loan_id, n)
);
CREATE TABLE loan_tranches (
  loan_id INTEGER NOT NULL REFERENCES loans(id),
  n INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  planned_on TEXT NOT NULL,
  disbursed_on TEXT,
  PRIMARY KEY (loan_id, n)
);
CREATE TABLE loan_repayments (
  loan_id INTEGER NOT NULL REFERENCES loans(id),
  request_id TEXT NOT NULL,                   -- the caller's id: sent twice, recorded once
  seq INTEGER NOT NULL,                 -- 1, 2, ... in the loan's order
  paid_on TEXT NOT NULL,
  amount INTEGER NOT NULL,
  fees INTEGER NOT NULL,
  interest INTEGER NOT NULL,
  principal INTEGER NOT NULL,
  overpaid INTEGER NOT NULL,            -- beyond the whole loan: to give back (deposits)
  recovered INTEGER NOT NULL,           -- after a write-off
  created_at TEXT NOT NULL,
  posted_at TEXT,                       -- null until its chain is on the ledger (an outbox)
  PRIMARY KEY (loan_id, request_id),
  UNIQUE (loan_id, seq)
);
CREATE TABLE loan_reschedulings (
  loan_id INTEGER NOT NULL REFERENCES loans(id),
  n INTEGER NOT NULL,                     -- 1, 2, ... in the loan's order
  on_date TEXT NOT NULL,
  previous TEXT NOT NULL,               -- JSON: the terms and schedule it replaced
  capitalised_interest INTEGER NOT NULL,  -- interest in arrears added to the principal
  capitalised_fees INTEGER NOT NULL,      -- fees in arrears added to the principal
  created_at TEXT NOT NULL,
  capitalised_posted_at TEXT,           -- null until the capitalisation is on the ledger
  PRIMARY KEY (loan_id, n)
);
