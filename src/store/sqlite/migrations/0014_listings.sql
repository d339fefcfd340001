-- Offers and wants of exchange communities and time banks (issue 6, src/listings).
CREATE TABLE listings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  currency_id INTEGER NOT NULL REFERENCES currencies(id),
  account_id INTEGER NOT NULL REFERENCES ledger_accounts(id),  -- who offers or wants: the payee of "pay from a listing"
  kind TEXT NOT NULL CHECK (kind IN ('offer', 'want')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  price INTEGER CHECK (price IS NULL OR price > 0),  -- minor units; NULL: to be agreed
  open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
  search_text TEXT NOT NULL,             -- title and description, lower case, for search
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX listings_by_currency ON listings(currency_id, open, id);
