// A fresh migrated register (SQLite, or PostgreSQL in the *.postgres tests) for one test: store, identity and organisations, on a
// clock that only the test moves.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "../../tests/support/test_store.h"
#include "registry/organisations.h"

namespace solidum::registry {

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "t"));
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    identity_ = std::make_unique<identity::Identity>(*store_, clock_);
    orgs_ = std::make_unique<Organisations>(*store_, *identity_, clock_);
  }
  solidum::testing::TempDir dir_;
  ManualClock clock_{1'795'440'910'000'000};  // 2026-11-23T13:35:10Z
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<identity::Identity> identity_;
  std::unique_ptr<Organisations> orgs_;
};

}  // namespace solidum::registry
