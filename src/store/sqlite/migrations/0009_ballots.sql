-- Governance (issue 5): secret ballots. A ballot puts a motion or an election to an
-- organisation's members. Who voted (ballot_voters) and what was voted (ballot_papers) are
-- kept apart with nothing that links them: no time, no order, no member on a paper; a
-- paper is found by the hash of the receipt code only its voter holds. ballot_log is a
-- hash chain of the ballot's events (opened, closed with a hash of every paper in receipt
-- order, published) that anyone can verify; it has no entry per paper, whose order would
-- follow the order of voting.

CREATE TABLE ballots (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL CHECK (kind IN ('motion', 'election')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published')),
  opens_at TEXT NOT NULL,           -- UTC, YYYY-MM-DDTHH:MM:SS.mmmZ
  closes_at TEXT NOT NULL,
  eligible_on TEXT NOT NULL,        -- the register's day that decides who may vote
  threshold TEXT,                   -- motions: simple, two_thirds, three_quarters
  majority_base TEXT,               -- motions: votes_cast, members
  abstentions TEXT,                 -- motions: excluded, against
  weighted INTEGER NOT NULL DEFAULT 0,  -- motions: colleges weighted by college_weight_percent
  method TEXT,                      -- elections: scottish, meek, wigm, irv, plurality, block, approval
  seed INTEGER NOT NULL DEFAULT 1,  -- elections: the draw for ties, fixed before the vote
  entitled INTEGER NOT NULL DEFAULT 0,  -- members entitled to vote, counted at opening
  result TEXT,                      -- JSON, from closing
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (closes_at > opens_at)
);
CREATE INDEX ballots_by_organisation ON ballots(organisation_id, opens_at);

-- Elections: one contest per college (member class), or one for all members (class_id NULL).
CREATE TABLE ballot_contests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ballot_id INTEGER NOT NULL REFERENCES ballots(id),
  position INTEGER NOT NULL,
  class_id INTEGER REFERENCES member_classes(id),
  seats INTEGER NOT NULL CHECK (seats >= 1),
  balance TEXT NOT NULL DEFAULT '[]'   -- JSON [{"group": "f", "seats_min": 2}]
);
CREATE INDEX ballot_contests_by_ballot ON ballot_contests(ballot_id, position);

CREATE TABLE ballot_candidates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contest_id INTEGER NOT NULL REFERENCES ballot_contests(id),
  position INTEGER NOT NULL,        -- order on the ballot paper
  name TEXT NOT NULL,
  affiliation TEXT NOT NULL DEFAULT '',
  group_code TEXT NOT NULL DEFAULT '',
  member_id INTEGER REFERENCES members(id)
);
CREATE INDEX ballot_candidates_by_contest ON ballot_candidates(contest_id, position);

CREATE TABLE ballot_voters (
  ballot_id INTEGER NOT NULL REFERENCES ballots(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  channel TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
  PRIMARY KEY (ballot_id, member_id)
) WITHOUT ROWID;

CREATE TABLE ballot_papers (
  ballot_id INTEGER NOT NULL REFERENCES ballots(id),
  receipt_hash TEXT NOT NULL,       -- hex BLAKE2b-128 of the receipt code
  college_id INTEGER,               -- the voter's class (weighted motions) or contest (elections)
  content TEXT NOT NULL,            -- motions: "yes", "no", "abstain"; elections: JSON [candidate ids]
  commitment TEXT NOT NULL,         -- hex BLAKE2b-256 of the content keyed by the receipt code
  channel TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
  PRIMARY KEY (ballot_id, receipt_hash)
) WITHOUT ROWID;

CREATE TABLE ballot_log (
  ballot_id INTEGER NOT NULL REFERENCES ballots(id),
  seq INTEGER NOT NULL,
  entry TEXT NOT NULL,              -- canonical JSON of the event
  hash TEXT NOT NULL,               -- hex BLAKE2b-256 of (previous hash, entry)
  PRIMARY KEY (ballot_id, seq)
) WITHOUT ROWID;
