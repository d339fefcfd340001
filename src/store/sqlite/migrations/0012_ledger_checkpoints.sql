-- The ledger's balances are checkpointed, not written every round, and each account's
-- transfers are chained for its statement (issue 6).
--
-- Checkpoints: balance, debits_pending and credits_pending of ledger_accounts hold each
-- account as of the transfer numbered ledger_state.balances_seq; a server that starts
-- adds the transfers after it. Writing every changed account in every round dirtied a
-- page per account per commit (bench/RESULTS.md).
--
-- Statements: each transfer names, for its debit and for its credit account, that
-- account's previous transfer (0 for none) and the account's balance right after it. A
-- statement walks an account's chain back from its latest transfer (ledger_accounts.
-- last_seq as of the checkpoint, then the transfers after it): point lookups by seq, and
-- no per-account index, whose random inserts would cost the writer a page each.
ALTER TABLE ledger_state ADD COLUMN balances_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_accounts ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN debit_prev_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN credit_prev_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN debit_balance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transfers ADD COLUMN credit_balance INTEGER NOT NULL DEFAULT 0;

-- Transfers written before: chained and balanced here (quadratic, but only the first
-- weeks' transfers predate this).
UPDATE transfers SET
  debit_prev_seq = COALESCE((SELECT MAX(p.seq) FROM transfers p WHERE p.seq < transfers.seq
                             AND transfers.debit_account_id IN (p.debit_account_id, p.credit_account_id)), 0),
  credit_prev_seq = COALESCE((SELECT MAX(p.seq) FROM transfers p WHERE p.seq < transfers.seq
                              AND transfers.credit_account_id IN (p.debit_account_id, p.credit_account_id)), 0),
  debit_balance = COALESCE((SELECT SUM(CASE WHEN p.credit_account_id = transfers.debit_account_id THEN p.amount ELSE -p.amount END)
                            FROM transfers p WHERE p.seq <= transfers.seq AND (p.flags & 30) IN (0, 4)
                            AND transfers.debit_account_id IN (p.debit_account_id, p.credit_account_id)), 0),
  credit_balance = COALESCE((SELECT SUM(CASE WHEN p.credit_account_id = transfers.credit_account_id THEN p.amount ELSE -p.amount END)
                             FROM transfers p WHERE p.seq <= transfers.seq AND (p.flags & 30) IN (0, 4)
                             AND transfers.credit_account_id IN (p.debit_account_id, p.credit_account_id)), 0);
UPDATE ledger_accounts SET last_seq = COALESCE((SELECT MAX(seq) FROM transfers t
                                                WHERE ledger_accounts.id IN (t.debit_account_id, t.credit_account_id)), 0);
UPDATE ledger_state SET balances_seq = (SELECT COALESCE(MAX(seq), 0) FROM transfers);
