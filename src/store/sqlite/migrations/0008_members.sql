-- Governance (issue 5): each organisation's member register. Members are people (with or
-- without a user account) or member organisations, in member classes (colleges) that the
-- organisation defines; history of every change in member_events.

CREATE TABLE member_classes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  code TEXT NOT NULL,                 -- short and stable: worker, user, supporter, investor...
  name TEXT NOT NULL,
  college_weight_percent INTEGER,     -- the share of votes the statutes give this college; NULL: unweighted
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (organisation_id, code),
  CHECK (college_weight_percent IS NULL OR (college_weight_percent >= 0 AND college_weight_percent <= 100))
);

CREATE TABLE members (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  number TEXT,                        -- the register's member number, unique in the organisation
  kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
  name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr', 'es', 'pt')),
  user_id INTEGER REFERENCES users(id),
  member_organisation_id INTEGER REFERENCES organisations(id),
  class_id INTEGER REFERENCES member_classes(id),
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),  -- rights suspended by the board
  joined_on TEXT NOT NULL,            -- YYYY-MM-DD
  left_on TEXT,                       -- YYYY-MM-DD, the first day no longer a member (may be ahead)
  note TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '', -- name, email and number folded (text::Fold), for search on both stores
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (left_on IS NULL OR left_on > joined_on),
  CHECK (kind = 'organisation' OR member_organisation_id IS NULL)
);
CREATE UNIQUE INDEX members_number ON members(organisation_id, number) WHERE number IS NOT NULL;
-- A person or an organisation holds one open membership at a time; who left may come back.
CREATE UNIQUE INDEX members_user ON members(organisation_id, user_id) WHERE user_id IS NOT NULL AND left_on IS NULL;
CREATE UNIQUE INDEX members_member_org ON members(organisation_id, member_organisation_id)
  WHERE member_organisation_id IS NOT NULL AND left_on IS NULL;
CREATE INDEX members_by_organisation ON members(organisation_id, name);
CREATE INDEX members_by_user ON members(user_id) WHERE user_id IS NOT NULL;

CREATE TABLE member_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  member_id INTEGER NOT NULL REFERENCES members(id),
  at TEXT NOT NULL,
  by_user INTEGER REFERENCES users(id),
  kind TEXT NOT NULL,                 -- joined, changed, imported
  changes TEXT NOT NULL DEFAULT '{}'  -- JSON: {field: [before, after]}
);
CREATE INDEX member_events_by_member ON member_events(member_id, id);
