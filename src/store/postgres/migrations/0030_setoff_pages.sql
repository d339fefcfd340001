-- Set-off runs keep their obligations packed, 20,000 to a page (clearing/packed.h), not as
-- a row each: storing a run of 285,000 obligations wrote 285,000 rows and their key,
-- holding the write lock (which the ledger's writer waits behind) for over a second. They
-- are only ever read whole. Runs stored before this keep their rows in setoff_obligations,
-- which clearing::Runs still reads for them.
CREATE TABLE setoff_obligation_pages (
  run_id BIGINT NOT NULL REFERENCES setoff_runs(id),
  page BIGINT NOT NULL,          -- 0, 1, ... in file order
  data BYTEA NOT NULL,
  PRIMARY KEY (run_id, page)
);
