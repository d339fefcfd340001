-- PostgreSQL version of 0004_catalogue.sql: the register change sequence that every
-- server's in-memory catalogue catches up with (see the SQLite file for the design).

ALTER TABLE organisations ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX organisations_change_seq ON organisations(change_seq);

CREATE TABLE register_state (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  change_seq BIGINT NOT NULL
);
INSERT INTO register_state (id, change_seq) VALUES (1, 1);
UPDATE organisations SET change_seq = 1;
