-- PostgreSQL version of 0027_library_search.sql: the change number as on SQLite, and the
-- full text as a tsvector (title weighted A, summary B, body D) over text lower-cased,
-- unaccented and cut at every non-alphanumeric character, under a GIN index; filled by the
-- application at each write (src/library/search_store.cc), published resources only.
ALTER TABLE library_resources ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX library_resources_change_seq ON library_resources (change_seq);
CREATE TABLE library_state (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  change_seq BIGINT NOT NULL
);
INSERT INTO library_state (id, change_seq) VALUES (1, 1);
UPDATE library_resources SET change_seq = 1;

ALTER TABLE library_resources ADD COLUMN search tsvector;
CREATE INDEX library_resources_search ON library_resources USING GIN (search);
UPDATE library_resources SET search =
  setweight(to_tsvector('simple', regexp_replace(unaccent(lower(title)), '[^[:alnum:]]+', ' ', 'g')), 'A') ||
  setweight(to_tsvector('simple', regexp_replace(unaccent(lower(summary)), '[^[:alnum:]]+', ' ', 'g')), 'B') ||
  setweight(to_tsvector('simple', regexp_replace(unaccent(lower(body)), '[^[:alnum:]]+', ' ', 'g')), 'D')
WHERE stage = 'published';
