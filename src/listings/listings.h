// Offers and wants of an exchange community or time bank (issue 6): what members can do
// for each other and what they need, with a category, a description and an indicative
// price in the community's unit, searchable; "pay from a listing" is a transfer to the
// listing's account (the web app fills it in).
//
// A listing belongs to an account (its member's, in one currency). Who may post and
// change is decided by the HTTP layer (the account's holder, the currency's admins); this
// library validates and stores. Thread-safe (each call takes its own connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "store/store.h"

namespace solidum::listings {

enum class Kind : std::uint8_t { kOffer, kWant };
std::string_view KindName(Kind k);                     // "offer", "want"
std::optional<Kind> ParseKind(std::string_view name);

// The categories, as codes (the web app translates them). Chosen from the time banks'
// and LETS directories' usual headings.
inline constexpr std::string_view kCategories[] = {"home", "garden", "care", "transport", "lessons", "crafts", "food",
                                                   "tech", "health", "admin", "arts", "events", "other"};
bool IsCategory(std::string_view code);

inline constexpr std::size_t kTitleCharsMax = 120;
inline constexpr std::size_t kDescriptionCharsMax = 4000;
inline constexpr int kPageMax = 100;
inline constexpr std::int64_t kPriceMax = 1'000'000'000'000'000;  // 10^15 minor units

struct ListingInput {
  Kind kind = Kind::kOffer;
  std::string title;
  std::string description;
  std::string category;
  std::optional<std::int64_t> price;  // minor units; nullopt: to be agreed
};

struct Listing {
  std::int64_t id = 0;
  std::int64_t currency_id = 0;
  std::int64_t account_id = 0;
  std::string account_name;
  ListingInput def;
  bool open = true;
  std::string created_at, updated_at;
};

// A change; what is absent stays.
struct ListingChange {
  std::optional<std::string> title, description, category;
  bool set_price = false;
  std::optional<std::int64_t> price;
  std::optional<bool> open;
};

struct Query {
  std::optional<Kind> kind;
  std::optional<std::string> category;
  std::string text;                // words looked for in the title and description (ASCII case folded)
  bool include_closed = false;
  std::int64_t offset = 0;
  int limit = 20;                  // 1 to kPageMax
};

class Listings {
 public:
  Listings(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Errors: validation naming the field ("/title", "/category", "/price", ...); kNotFound
  // when the account is not in the currency.
  Result<Listing> Create(std::int64_t currency, std::int64_t account, const ListingInput& input);
  Result<Listing> Get(std::int64_t id);
  Result<Listing> Change(std::int64_t id, const ListingChange& change);
  // Newest first; and how many match.
  Result<std::pair<std::vector<Listing>, std::int64_t>> Find(std::int64_t currency, const Query& query);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace solidum::listings
