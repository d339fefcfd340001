-- A tranche's disbursement is recorded before it is posted (an outbox): disbursing_on
-- holds the day asked for until the ledger has the transfer, then disbursed_on is set.
-- After a crash, Loans::Start() finishes what the ledger took and forgets what it did not
-- (that request was never answered, so it may be sent again).
ALTER TABLE loan_tranches ADD COLUMN disbursing_on TEXT;
