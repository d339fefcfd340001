-- Multilateral set-off runs of a network (issue 6, src/clearing/runs.h): the obligations a
-- network's admins uploaded, what each firm had set off, and what is left owing.
CREATE TABLE setoff_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),  -- the network that ran it
  title TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  obligations INTEGER NOT NULL,
  firms INTEGER NOT NULL,
  total INTEGER NOT NULL,        -- all debt before, minor units
  nid INTEGER NOT NULL,          -- net internal debt: the least any set-off could leave
  cleared INTEGER NOT NULL,
  remaining INTEGER NOT NULL,    -- total - cleared
  firms_with_setoff INTEGER NOT NULL,
  has_ids INTEGER NOT NULL CHECK (has_ids IN (0, 1)),  -- the file had an id column
  has_due INTEGER NOT NULL CHECK (has_due IN (0, 1)),  -- and a due column
  CHECK (cleared + remaining = total)
);
CREATE INDEX setoff_runs_by_organisation ON setoff_runs(organisation_id, id);

CREATE TABLE setoff_firms (
  run_id INTEGER NOT NULL REFERENCES setoff_runs(id),
  idx INTEGER NOT NULL,          -- in order of first appearance in the file
  name TEXT NOT NULL,
  search_name TEXT NOT NULL,     -- the name folded (text::Fold), for search
  owes INTEGER NOT NULL,
  owed INTEGER NOT NULL,
  set_off INTEGER NOT NULL,
  PRIMARY KEY (run_id, idx)
);
CREATE INDEX setoff_firms_by_set_off ON setoff_firms(run_id, set_off DESC, idx);

CREATE TABLE setoff_obligations (
  run_id INTEGER NOT NULL REFERENCES setoff_runs(id),
  line INTEGER NOT NULL,         -- in the uploaded file (the header is line 1)
  debtor INTEGER NOT NULL,       -- setoff_firms.idx
  creditor INTEGER NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  left_amount INTEGER NOT NULL CHECK (left_amount >= 0 AND left_amount <= amount),
  ext_id TEXT,                   -- the file's id column, when it had one
  due TEXT,                      -- the file's due column, when it had one
  PRIMARY KEY (run_id, line)
);
