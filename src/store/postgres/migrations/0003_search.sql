-- PostgreSQL version of 0003_search.sql. Full text with PostgreSQL's own machinery: a
-- tsvector per organisation (names weighted A, activities and place C, descriptions D),
-- over text lower-cased, unaccented and cut at every non-alphanumeric character as the
-- SQLite side's unicode61 tokenizer cuts it, under a GIN index. The application fills it at
-- each write (src/registry/search_postgres.cc), in the same transaction; unaccent() is
-- not immutable, so it cannot be a generated column.
--
-- The SQLite migration also built an R*Tree and per-value tables that 0004 dropped: the
-- in-memory catalogue filters places and values on both stores.

CREATE EXTENSION IF NOT EXISTS unaccent;

ALTER TABLE organisations ADD COLUMN search tsvector;
CREATE INDEX organisations_search ON organisations USING GIN (search);

CREATE INDEX organisations_legal_form ON organisations(legal_form) WHERE deleted_at IS NULL;
CREATE INDEX organisations_country ON organisations(country) WHERE deleted_at IS NULL;
CREATE INDEX organisations_name ON organisations(name, id) WHERE deleted_at IS NULL;
