-- Search over the library (library/search.h), as the register's: every write takes the
-- next library change number and stamps it on the row, so a server's catalogue in memory
-- catches up with one indexed query; full text from FTS5 over folded text (case and
-- accents, every language), holding published resources only. The statement that fills
-- it for one row is in src/library/search_store.cc.
ALTER TABLE library_resources ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX library_resources_change_seq ON library_resources (change_seq);
CREATE TABLE library_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  change_seq INTEGER NOT NULL
);
INSERT INTO library_state (id, change_seq) VALUES (1, 1);
UPDATE library_resources SET change_seq = 1;

CREATE VIRTUAL TABLE library_fts USING fts5(
  title, summary, body,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO library_fts (rowid, title, summary, body)
SELECT id, solidum_fold(title), solidum_fold(summary), solidum_fold(body) FROM library_resources WHERE stage = 'published';
