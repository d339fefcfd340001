-- Group loans with joint liability (issue 7): a solidarity group's loan shared among its
-- members (their parts of the principal), and the collection sheets of the group's
-- meetings, member by member, with who paid for whom. Each meeting's total is one
-- repayment of the loan (loan_repayments, request id "group-meeting-<number>").
CREATE TABLE loan_group_parts (
  loan_id INTEGER NOT NULL REFERENCES loans(id),
  position INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members(id),
  amount INTEGER NOT NULL,              -- their part of the principal, minor units
  PRIMARY KEY (loan_id, position),
  UNIQUE (loan_id, member_id)
);
CREATE TABLE loan_group_meetings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  loan_id INTEGER NOT NULL REFERENCES loans(id),
  number INTEGER NOT NULL,              -- 1, 2, ... for the loan
  held_on TEXT NOT NULL,
  entered_by INTEGER REFERENCES users(id),
  entered_at TEXT NOT NULL,
  UNIQUE (loan_id, number)
);
CREATE TABLE loan_group_lines (
  meeting_id INTEGER NOT NULL REFERENCES loan_group_meetings(id),
  position INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members(id),  -- whose part it pays
  amount INTEGER NOT NULL,
  paid_by INTEGER REFERENCES members(id),             -- another member; null: the member
  PRIMARY KEY (meeting_id, position)
);
