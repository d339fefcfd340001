// Test helpers for the ledger's tests.
#pragma once

#include <string>

#include "ledger/book.h"

namespace solidum::ledger::testing {

inline TransferRequest Pay(std::string id, std::int64_t from, std::int64_t to, std::int64_t amount, std::uint32_t flags = 0) {
  TransferRequest t;
  t.id = std::move(id);
  t.debit_account = from;
  t.credit_account = to;
  t.amount = amount;
  t.flags = flags;
  return t;
}

}  // namespace solidum::ledger::testing
