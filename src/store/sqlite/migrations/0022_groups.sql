-- Savings groups (VSLA) and tontines (ROSCAs) (issue 7): groups of an organisation's
-- members that keep their records here, meeting by meeting, often entered afterwards from
-- the paper register. The facts are kept as entered, append-only (a meeting or round once
-- recorded is never changed); the pure engines (finance/savings_group.h, tontine.h)
-- replay them into funds and positions, so a figure is never stored twice. A savings
-- group's money also goes on a ledger book of its own (members' cash, the loan fund in the
-- box, the social fund), one linked chain a meeting: recorded first (posted_at null, an
-- outbox), then posted.
CREATE TABLE savings_groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  unit TEXT NOT NULL,                   -- the group's money, shown with its amounts
  decimals INTEGER NOT NULL,
  currency_id INTEGER NOT NULL UNIQUE REFERENCES currencies(id),
  members_account INTEGER NOT NULL REFERENCES ledger_accounts(id),      -- cash brought and taken by the members
  loan_fund_account INTEGER NOT NULL REFERENCES ledger_accounts(id),    -- the box: never below zero
  social_fund_account INTEGER NOT NULL REFERENCES ledger_accounts(id),  -- never below zero
  created_at TEXT NOT NULL,
  UNIQUE (organisation_id, name)
);
CREATE TABLE savings_group_cycles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL REFERENCES savings_groups(id),
  number INTEGER NOT NULL,              -- 1, 2, ... in the group
  started_on TEXT NOT NULL,
  share_value INTEGER NOT NULL,         -- minor units
  shares_max_per_meeting INTEGER NOT NULL,
  social_contribution INTEGER NOT NULL, -- per member present, minor units
  interest_bp INTEGER NOT NULL,         -- per interest period, on a loan's balance
  interest_every_meetings INTEGER NOT NULL,
  opening_social_fund INTEGER NOT NULL, -- carried over from the cycle before
  shared_out_on TEXT,                   -- the cycle's end
  share_out_posted_at TEXT,             -- null until the share-out is on the ledger
  created_at TEXT NOT NULL,
  UNIQUE (group_id, number)
);
CREATE TABLE savings_group_members (
  cycle_id INTEGER NOT NULL REFERENCES savings_group_cycles(id),
  position INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members(id),
  PRIMARY KEY (cycle_id, position),
  UNIQUE (cycle_id, member_id)
);
CREATE INDEX savings_group_members_by_member ON savings_group_members(member_id);
CREATE TABLE savings_group_meetings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cycle_id INTEGER NOT NULL REFERENCES savings_group_cycles(id),
  number INTEGER NOT NULL,              -- 1, 2, ... in the cycle
  held_on TEXT NOT NULL,
  entered_by INTEGER REFERENCES users(id),
  entered_at TEXT NOT NULL,
  posted_at TEXT,                       -- null until on the ledger (an outbox)
  UNIQUE (cycle_id, number)
);
CREATE TABLE savings_group_lines (
  meeting_id INTEGER NOT NULL REFERENCES savings_group_meetings(id),
  kind TEXT NOT NULL,                   -- present, shares, social, fines, repayments, grants, loans
  position INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members(id),
  amount INTEGER NOT NULL,              -- shares: how many; present and social: 0
  PRIMARY KEY (meeting_id, kind, position)
);
CREATE TABLE tontines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  decimals INTEGER NOT NULL,
  contribution INTEGER NOT NULL,        -- per member per round, minor units
  pot_order TEXT NOT NULL,              -- fixed, lottery, bidding
  seed TEXT NOT NULL,                   -- the published seed of the draw ('' for fixed)
  period TEXT NOT NULL,                 -- weekly, monthly
  started_on TEXT NOT NULL,             -- the first round's date
  created_at TEXT NOT NULL,
  UNIQUE (organisation_id, name)
);
CREATE TABLE tontine_members (
  tontine_id INTEGER NOT NULL REFERENCES tontines(id),
  position INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members(id),
  PRIMARY KEY (tontine_id, position),
  UNIQUE (tontine_id, member_id)
);
CREATE INDEX tontine_members_by_member ON tontine_members(member_id);
CREATE TABLE tontine_rounds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tontine_id INTEGER NOT NULL REFERENCES tontines(id),
  number INTEGER NOT NULL,
  held_on TEXT NOT NULL,
  entered_by INTEGER REFERENCES users(id),
  entered_at TEXT NOT NULL,
  UNIQUE (tontine_id, number)
);
CREATE TABLE tontine_round_lines (
  round_id INTEGER NOT NULL REFERENCES tontine_rounds(id),
  kind TEXT NOT NULL,                   -- bid, missed
  position INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members(id),
  amount INTEGER,                       -- a bid's amount
  coverer_id INTEGER REFERENCES members(id),  -- missed: who covered; null: the group's fund
  PRIMARY KEY (round_id, kind, position)
);
