-- Events (events/events.h): forums, academies, workshops, field visits held by an
-- organisation of the register. Times are the wall time there plus the zone's IANA name;
-- the UTC instants beside them are derived (events/zones.h) for ordering, deadlines and
-- iCalendar. Registrations are decided in one write transaction that first bumps the
-- event's registration counter (a row lock on PostgreSQL), so two people never take the
-- last place; a person has at most one live registration per event (partial index).
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL,                   -- forum, academy, conference, workshop, field_visit, webinar, meeting, other
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  description TEXT NOT NULL,            -- Markdown
  languages TEXT NOT NULL,              -- JSON array of ISO 639-1 codes
  starts_at TEXT NOT NULL,              -- wall time there: 2027-07-06T09:00
  ends_at TEXT NOT NULL,
  timezone TEXT NOT NULL,               -- IANA zone name
  registration_closes TEXT,             -- wall time there; NULL: when it starts
  starts_utc TEXT NOT NULL,             -- derived: 2027-07-06T08:00:00Z
  ends_utc TEXT NOT NULL,
  closes_utc TEXT NOT NULL,
  venue TEXT NOT NULL,
  address TEXT NOT NULL,
  city TEXT NOT NULL,
  country TEXT NOT NULL,                -- ISO 3166-1 alpha-2 or ''
  online_url TEXT NOT NULL,             -- for confirmed participants and the organiser
  capacity INTEGER,                     -- NULL: no limit
  waiting_list INTEGER NOT NULL,
  stage TEXT NOT NULL,                  -- draft, published, cancelled
  version INTEGER NOT NULL,
  registrations_seq INTEGER NOT NULL DEFAULT 0,  -- bumped by every registration change (the lock)
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL
);
CREATE INDEX events_organisation ON events (organisation_id, starts_utc);
CREATE INDEX events_upcoming ON events (stage, ends_utc);
CREATE TABLE event_materials (
  event_id INTEGER NOT NULL REFERENCES events(id),
  position INTEGER NOT NULL,
  resource_id INTEGER NOT NULL REFERENCES library_resources(id),
  PRIMARY KEY (event_id, position)
);
CREATE TABLE event_sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL REFERENCES events(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  starts_utc TEXT NOT NULL,
  ends_utc TEXT NOT NULL,
  room TEXT NOT NULL,
  speakers TEXT NOT NULL,
  language TEXT NOT NULL
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, starts_utc);
CREATE TABLE event_registrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- also the order of the waiting list
  event_id INTEGER NOT NULL REFERENCES events(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  status TEXT NOT NULL,                  -- confirmed, waiting, cancelled
  name TEXT NOT NULL,
  organisation TEXT NOT NULL,
  country TEXT NOT NULL,
  language TEXT NOT NULL,                -- of the emails they get
  show_name INTEGER NOT NULL,
  show_organisation INTEGER NOT NULL,
  show_country INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  promoted_at TEXT,
  cancelled_at TEXT,
  cancelled_by INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX event_registrations_live ON event_registrations (event_id, user_id) WHERE status <> 'cancelled';
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, id);
CREATE INDEX event_registrations_user ON event_registrations (user_id, event_id);
