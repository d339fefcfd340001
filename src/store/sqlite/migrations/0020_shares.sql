-- Member shares (issue 7): a co-operative's share capital, kept on a ledger book of its own
-- (cash received, and a capital account per member that never goes above zero: what the
-- co-operative owes back); share classes per member class; subscriptions paid in
-- instalments; certificates issued once a subscription is paid; transfers and redemptions.
CREATE TABLE share_books (
  organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
  currency_id INTEGER NOT NULL UNIQUE REFERENCES currencies(id),
  cash_account INTEGER NOT NULL REFERENCES ledger_accounts(id),
  created_at TEXT NOT NULL
);
CREATE TABLE share_classes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  nominal INTEGER NOT NULL,             -- one share, minor units
  member_class_id INTEGER REFERENCES member_classes(id),  -- null: any member
  min_shares INTEGER NOT NULL,          -- a member of the class holds at least this many
  max_shares INTEGER NOT NULL,          -- and at most this many
  min_holding_years INTEGER NOT NULL,   -- before a redemption
  created_at TEXT NOT NULL,
  UNIQUE (organisation_id, code)
);
CREATE TABLE share_accounts (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  account_id INTEGER NOT NULL UNIQUE REFERENCES ledger_accounts(id),
  PRIMARY KEY (organisation_id, member_id)
);
CREATE TABLE share_subscriptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  class_id INTEGER NOT NULL REFERENCES share_classes(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  shares INTEGER NOT NULL,
  amount INTEGER NOT NULL,              -- shares x nominal
  paid INTEGER NOT NULL DEFAULT 0,
  subscribed_on TEXT NOT NULL,
  certificate_id INTEGER,               -- once paid in full
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX share_subscriptions_by_member ON share_subscriptions(organisation_id, member_id);
CREATE TABLE share_payments (
  subscription_id INTEGER NOT NULL REFERENCES share_subscriptions(id),
  request_id TEXT NOT NULL,             -- the caller's: sent twice, recorded once
  amount INTEGER NOT NULL,
  paid_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  posted_at TEXT,                       -- null until on the ledger (an outbox)
  PRIMARY KEY (subscription_id, request_id)
);
CREATE TABLE share_certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  number INTEGER NOT NULL,              -- 1, 2, ... in the organisation
  class_id INTEGER NOT NULL REFERENCES share_classes(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  shares INTEGER NOT NULL,
  issued_on TEXT NOT NULL,
  cancelled_on TEXT,                    -- transferred or redeemed
  origin TEXT NOT NULL,                 -- subscription, transfer, remainder
  UNIQUE (organisation_id, number)
);
CREATE INDEX share_certificates_by_member ON share_certificates(organisation_id, member_id, class_id);
CREATE TABLE share_movements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  request_id TEXT NOT NULL,
  kind TEXT NOT NULL,                   -- transfer, redemption
  class_id INTEGER NOT NULL REFERENCES share_classes(id),
  from_member INTEGER NOT NULL REFERENCES members(id),
  to_member INTEGER REFERENCES members(id),
  shares INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  on_date TEXT NOT NULL,
  created_at TEXT NOT NULL,
  posted_at TEXT,
  UNIQUE (organisation_id, request_id)
);
