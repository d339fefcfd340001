// Offers and wants on both stores: validated field by field, searched by words with case
// and accents folded, filtered by kind and category, changed and closed.
#include "listings/listings.h"

#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "../../tests/support/test_store.h"

namespace solidum::listings {
namespace {

class ListingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "listings"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('SEL du quartier', 'x', 'x') RETURNING id", {});
    ASSERT_TRUE(org.ok()) << org.error().message;
    ledger_ = std::make_unique<ledger::Ledger>(*store_, clock_);
    ASSERT_TRUE(ledger_->Start().ok());
    auto c = ledger_->CreateCurrency((*org)->Int(0), ledger::CurrencyInput{"GRAINS", "Grains", "grain", 0, 100, std::nullopt});
    ASSERT_TRUE(c.ok()) << c.error().message;
    currency_ = c->id;
    for (const char* name : {"Léa", "Omar"}) {
      auto a = ledger_->OpenAccount(currency_, ledger::AccountInput{std::nullopt, name, std::nullopt, std::nullopt, false});
      ASSERT_TRUE(a.ok()) << a.error().message;
      accounts_.push_back(a->state.id);
    }
    listings_ = std::make_unique<Listings>(*store_, clock_);
  }
  std::vector<std::string> Titles(const Query& q) {
    auto found = listings_->Find(currency_, q);
    EXPECT_TRUE(found.ok()) << found.error().message;
    std::vector<std::string> out;
    if (found.ok()) {
      for (const auto& l : found->first) out.push_back(l.def.title);
    }
    return out;
  }

  solidum::testing::TempDir dir_;
  ManualClock clock_{1'800'000'000'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<Listings> listings_;
  std::int64_t currency_ = 0;
  std::vector<std::int64_t> accounts_;
};

ListingInput Offer(std::string title, std::string category, std::optional<std::int64_t> price, std::string description = "") {
  return ListingInput{Kind::kOffer, std::move(title), std::move(description), std::move(category), price};
}

TEST_F(ListingsTest, AreValidatedFieldByFieldAndStoredWithTheirAccount) {
  auto bad = listings_->Create(currency_, accounts_[0], ListingInput{Kind::kWant, "  ", std::string("a\0b", 3), "cooking", -5});
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field + " " + f.code);
  EXPECT_EQ(fields, (std::vector<std::string>{"/title invalid", "/description invalid", "/category unknown_term", "/price out_of_range"}));
  EXPECT_EQ(listings_->Create(currency_, 999999, Offer("Soupe", "food", 2)).error().kind, ErrorKind::kNotFound);

  auto made = listings_->Create(currency_, accounts_[0], Offer("  Cours de guitare ", "lessons", 3, "Débutants bienvenus.\nLe samedi."));
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->def.title, "Cours de guitare");
  EXPECT_EQ(made->account_name, "Léa");
  EXPECT_EQ(made->def.price, 3);
  EXPECT_TRUE(made->open);
  auto got = listings_->Get(made->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->def.description, "Débutants bienvenus.\nLe samedi.");
}

TEST_F(ListingsTest, AreFoundByWordsKindAndCategoryAndLeaveWhenClosed) {
  ASSERT_TRUE(listings_->Create(currency_, accounts_[0], Offer("Cours de guitare", "lessons", 3)).ok());
  ASSERT_TRUE(listings_->Create(currency_, accounts_[1], Offer("Réparation de vélos", "transport", std::nullopt, "Freins, chaînes, crevaisons")).ok());
  auto want = listings_->Create(currency_, accounts_[1], ListingInput{Kind::kWant, "Cherche cours d'espagnol", "", "lessons", std::nullopt});
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(Titles({}), (std::vector<std::string>{"Cherche cours d'espagnol", "Réparation de vélos", "Cours de guitare"}));
  Query q;
  q.text = "VELO";  // case and accents folded
  EXPECT_EQ(Titles(q), std::vector<std::string>{"Réparation de vélos"});
  q.text = "chaine reparation";  // every word, anywhere in title or description
  EXPECT_EQ(Titles(q), std::vector<std::string>{"Réparation de vélos"});
  q.text = "cours";
  EXPECT_EQ(Titles(q).size(), 2u);
  q.kind = Kind::kOffer;
  EXPECT_EQ(Titles(q), std::vector<std::string>{"Cours de guitare"});
  Query lessons;
  lessons.category = "lessons";
  EXPECT_EQ(Titles(lessons).size(), 2u);
  Query odd;
  odd.text = "100%_";  // LIKE's own characters are plain letters here
  EXPECT_TRUE(Titles(odd).empty());

  ListingChange close;
  close.open = false;
  ASSERT_TRUE(listings_->Change(want->id, close).ok());
  EXPECT_EQ(Titles(lessons), std::vector<std::string>{"Cours de guitare"});
  lessons.include_closed = true;
  EXPECT_EQ(Titles(lessons).size(), 2u);
  ListingChange bad;
  bad.category = "astrology";
  bad.set_price = true;
  bad.price = 0;
  auto refused = listings_->Change(want->id, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.size(), 2u);
  EXPECT_EQ(listings_->Get(want->id)->def.category, "lessons");  // nothing changed
}

}  // namespace
}  // namespace solidum::listings
