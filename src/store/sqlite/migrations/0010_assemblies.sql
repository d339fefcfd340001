-- Governance (issue 5): general assemblies, and the outbox of the emails Solidum sends.
--
-- mail_outbox is written in the same transaction as the event it announces (a notice
-- with the convening, an invitation with a ballot's opening), so that no email is lost
-- and none is sent for an event that did not happen. The courier sends the due ones and
-- keeps trying (attempts, next_attempt_at) until the server accepts or refuses for good.
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  recipient_name TEXT NOT NULL DEFAULT '',
  member_id INTEGER REFERENCES members(id),
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  kind TEXT NOT NULL,               -- assembly_notice, assembly_record, ballot_invitation, ballot_results
  ref TEXT NOT NULL,                -- what it is about: 'assembly:12', 'ballot:7'
  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
CREATE INDEX mail_outbox_by_ref ON mail_outbox(ref, state);

-- An assembly: convened with notice, held (attendance, proxies, quorum), its decisions
-- recorded. Who may attend: the members on the assembly's day whose rights are not suspended.
CREATE TABLE assemblies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL CHECK (kind IN ('ordinary', 'extraordinary')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  starts_at TEXT NOT NULL,          -- wall time where it is held: YYYY-MM-DDTHH:MM
  timezone TEXT NOT NULL,           -- IANA name of that place's zone, shown with the time
  place TEXT NOT NULL DEFAULT '',
  online_url TEXT NOT NULL DEFAULT '',
  notice_days INTEGER NOT NULL CHECK (notice_days >= 0),      -- the statutes' notice period
  quorum_percent INTEGER NOT NULL CHECK (quorum_percent BETWEEN 0 AND 100),
  quorum_scope TEXT NOT NULL CHECK (quorum_scope IN ('overall', 'per_class')),
  proxy_limit INTEGER NOT NULL CHECK (proxy_limit >= 0),      -- proxies one member may hold
  proxy_same_class INTEGER NOT NULL DEFAULT 0,                -- a proxy goes to a member of the same class
  state TEXT NOT NULL CHECK (state IN ('draft', 'convened', 'in_session', 'closed')),
  convened_at TEXT,
  notice_given_days INTEGER,        -- days between convening and the assembly
  opened_at TEXT,
  closed_at TEXT,
  quorum_at_opening TEXT,           -- JSON: the quorum as it stood when the session opened
  minutes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assemblies_by_organisation ON assemblies(organisation_id, starts_at);

CREATE TABLE assembly_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  assembly_id INTEGER NOT NULL REFERENCES assemblies(id),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  ballot_id INTEGER REFERENCES ballots(id),   -- decided by this secret ballot
  decision TEXT,                    -- JSON, once decided
  decided_at TEXT
);
CREATE INDEX assembly_items_by_assembly ON assembly_items(assembly_id, position);

CREATE TABLE assembly_proxies (
  assembly_id INTEGER NOT NULL REFERENCES assemblies(id),
  grantor_member_id INTEGER NOT NULL REFERENCES members(id),
  holder_member_id INTEGER NOT NULL REFERENCES members(id),
  given_at TEXT NOT NULL,
  PRIMARY KEY (assembly_id, grantor_member_id)
);
CREATE INDEX assembly_proxies_by_holder ON assembly_proxies(assembly_id, holder_member_id);

CREATE TABLE assembly_attendance (
  assembly_id INTEGER NOT NULL REFERENCES assemblies(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  channel TEXT NOT NULL CHECK (channel IN ('in_person', 'online')),
  arrived_at TEXT NOT NULL,
  left_at TEXT,
  PRIMARY KEY (assembly_id, member_id)
);
