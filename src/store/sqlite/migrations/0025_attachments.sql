-- Files attached to a record (attachments/attachments.h): a loan application's business
-- plan first; the library's resources and events later. The bytes sit in a table of
-- their own, so listing a record's files never reads them. Checked before they are kept
-- (their content is of the type they declare); removal is a mark, never a delete.
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_kind TEXT NOT NULL,             -- loan_application, ...
  owner_id INTEGER NOT NULL,
  file_name TEXT NOT NULL,              -- made safe to send back
  media_type TEXT NOT NULL,             -- checked against the bytes
  size_bytes INTEGER NOT NULL,
  hash TEXT NOT NULL,                   -- BLAKE2b-256 of the bytes, hex
  uploaded_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  removed_at TEXT,
  removed_by INTEGER REFERENCES users(id)
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id);
CREATE TABLE attachment_contents (
  attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id),
  content BLOB NOT NULL
);
