// Offers and wants over HTTP. A currency's members and admins read its listings; a
// member posts for their own account (an admin for any account of the currency); the
// listing's holder or an admin changes or closes it.
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "common/text.h"
#include "http/api/ledger_access.h"
#include "http/api/paging.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "listings/listings.h"

namespace solidum::http::api {

using identity::Action;

namespace {

boost::json::object ListingJson(const listings::Listing& l) {
  return {{"id", l.id},
          {"currency_id", l.currency_id},
          {"account", boost::json::object{{"id", l.account_id}, {"name", l.account_name}}},
          {"kind", listings::KindName(l.def.kind)},
          {"title", l.def.title},
          {"description", l.def.description},
          {"category", l.def.category},
          {"price", l.def.price ? boost::json::value(*l.def.price) : boost::json::value(nullptr)},
          {"open", l.open},
          {"created_at", l.created_at},
          {"updated_at", l.updated_at}};
}

std::string CategoryList() {
  std::string out;
  for (auto c : listings::kCategories) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

Response CreateListing(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto cid, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(cid));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  listings::ListingInput in;
  auto kind = r.Text("kind", {.required = true, .max_chars = 10});
  if (kind.has_value()) {
    auto k = listings::ParseKind(kind.value);
    if (k) in.kind = *k;
    else r.Fail("kind", "unknown_term", "One of: offer, want.");
  }
  in.title = r.Text("title", {.required = true, .max_chars = listings::kTitleCharsMax}).value;
  in.description = r.Text("description", {.max_chars = listings::kDescriptionCharsMax, .multiline = true}).value;
  in.category = r.Text("category", {.required = true, .max_chars = 20}).value;
  if (!in.category.empty() && !listings::IsCategory(in.category)) r.Fail("category", "unknown_term", "One of: " + CategoryList() + ".");
  auto price = r.Integer("price", 1, listings::kPriceMax);
  if (price.has_value()) in.price = price.value;
  auto account = r.Integer("account_id", 1, INT64_MAX);
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(bool admin, AdministersCurrency(ctx, currency));
  SOLIDUM_HTTP_TRY(auto own, OwnAccountIn(ctx, currency.id));
  std::int64_t holder = 0;
  if (account.has_value() && (admin || (own && *own == account.value))) {
    holder = account.value;
  } else if (account.has_value()) {
    return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Only the currency's admins post for another account."), ctx.request.path);
  } else if (own) {
    holder = *own;
  } else {
    return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Post from your account in this currency (you hold none)."), ctx.request.path);
  }
  auto made = ctx.services.listings.Create(currency.id, holder, in);
  if (!made.ok() && made.error().kind == ErrorKind::kNotFound) {
    return Problem(Error::Invalid("/account_id", "unknown_account", made.error().message), ctx.request.path);
  }
  SOLIDUM_HTTP_CHECK(made);
  return Json(201, ListingJson(*made));
}

Response ListListings(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto cid, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(cid));
  listings::Query q;
  Paging paging{20};
  std::vector<FieldError> errors;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "q") {
      if (value.size() > 200) errors.push_back({"?q", "too_long", "At most 200 characters."});
      q.text = value;
    } else if (key == "kind") {
      q.kind = listings::ParseKind(value);
      if (!q.kind) errors.push_back({"?kind", "unknown_term", "One of: offer, want."});
    } else if (key == "category") {
      if (!listings::IsCategory(value)) errors.push_back({"?category", "unknown_term", "One of: " + CategoryList() + "."});
      q.category = value;
    } else if (key == "closed") {
      if (value != "true" && value != "false") errors.push_back({"?closed", "invalid", "true or false."});
      q.include_closed = value == "true";
    } else {
      auto taken = TakePagingParam(key, value, paging);
      if (!taken.ok()) errors.insert(errors.end(), taken.error().fields.begin(), taken.error().fields.end());
      else if (!*taken) errors.push_back({"?" + key, "unknown_parameter", "This parameter is not known."});
    }
  }
  if (!errors.empty()) {
    return Problem(Error::Invalid(std::move(errors)), ctx.request.path);
  }
  q.limit = std::min(paging.limit, listings::kPageMax);
  q.offset = paging.offset;
  SOLIDUM_HTTP_CHECK(MayReadCurrency(ctx, currency));
  SOLIDUM_HTTP_TRY(auto page, ctx.services.listings.Find(currency.id, q));
  boost::json::array items;
  for (const auto& l : page.first) items.push_back(ListingJson(l));
  const std::size_t shown = items.size();
  return Json(200, boost::json::object{{"items", std::move(items)}, {"total", page.second}, {"next_cursor", NextCursor(paging, shown, page.second)}});
}

Response ChangeListing(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto listing, ctx.services.listings.Get(id));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(listing.currency_id));
  SOLIDUM_HTTP_TRY(bool admin, AdministersCurrency(ctx, currency));
  SOLIDUM_HTTP_TRY(auto own, OwnAccountIn(ctx, currency.id));
  if (!admin && !(own && *own == listing.account_id)) {
    // Members of the currency may read it, but not change it; others do not see it at all.
    if (!MayReadCurrency(ctx, currency).ok()) return Problem(Error::NotFound("No listing " + std::to_string(id) + "."), ctx.request.path);
    return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Only the listing's holder or the currency's admins change it."), ctx.request.path);
  }
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  listings::ListingChange change;
  auto title = r.Text("title", {.nullable = false, .max_chars = listings::kTitleCharsMax});
  if (title.present) change.title = title.value;
  auto description = r.Text("description", {.max_chars = listings::kDescriptionCharsMax, .multiline = true});
  if (description.present) change.description = description.value;
  auto category = r.Text("category", {.nullable = false, .max_chars = 20});
  if (category.present) change.category = category.value;
  auto price = r.Integer("price", 1, listings::kPriceMax);
  change.set_price = price.present;
  if (price.has_value()) change.price = price.value;
  auto open = r.Bool("open");
  if (open.has_value()) change.open = open.value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto changed, ctx.services.listings.Change(id, change));
  return Json(200, ListingJson(changed));
}

Response GetListing(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto listing, ctx.services.listings.Get(id));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(listing.currency_id));
  if (!MayReadCurrency(ctx, currency).ok()) return Problem(Error::NotFound("No listing " + std::to_string(id) + "."), ctx.request.path);
  return Json(200, ListingJson(listing));
}

}  // namespace

void RegisterListings(Router& router) {
  router.Add({"POST", "/api/v1/currencies/{cid}/listings", Action::kSignedIn, "", CreateListing,
              "Post an offer or a want (from your account in the currency; admins for any account)"});
  router.Add({"GET", "/api/v1/currencies/{cid}/listings", Action::kSignedIn, "", ListListings,
              "A currency's offers and wants: search by words, kind and category, paged"});
  router.Add({"GET", "/api/v1/listings/{lid}", Action::kSignedIn, "", GetListing, "One offer or want"});
  router.Add({"PATCH", "/api/v1/listings/{lid}", Action::kSignedIn, "", ChangeListing, "Change or close an offer or want (its holder, the currency's admins)"});
}

}  // namespace solidum::http::api
