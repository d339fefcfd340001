// Trade between communities over HTTP (ledger/exchange.h): the admins of two currencies
// link them (a clearing account in each, a rate), and a member of one pays a member of the
// other in one atomic pair of transfers.
//
// Linking needs the consent of both communities: either someone who administers both
// currencies links them at once (an admin of both organisations, or the platform's
// operator, as federations such as the Community Exchange System set up intertrading for
// their members), or an admin of one proposes and an admin of the other accepts
// (ledger/link_proposals.h).
#include <boost/json.hpp>

#include "common/json_fields.h"
#include "http/api/ledger_access.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"

namespace solidum::http::api {

using identity::Action;

namespace {

// A link: its two currencies, the rate (one unit of a in units of b), and the clearing
// accounts' balances (the two communities' positions towards each other).
Result<boost::json::object> LinkJson(Context& ctx, const ledger::Link& l) {
  auto balance = [&](std::int64_t account) -> Result<std::int64_t> {
    SOLIDUM_ASSIGN_OR_RETURN(auto state, ctx.services.ledger.ReadAccount(account));
    return state ? state->balance : 0;
  };
  SOLIDUM_ASSIGN_OR_RETURN(auto balance_a, balance(l.account_a));
  SOLIDUM_ASSIGN_OR_RETURN(auto balance_b, balance(l.account_b));
  return boost::json::object{{"id", l.id},
                             {"a", CurrencyJson(l.a)},
                             {"b", CurrencyJson(l.b)},
                             {"rate", ledger::FormatRate(l.rate)},
                             {"clearing_account_a", boost::json::object{{"id", l.account_a}, {"balance", balance_a}}},
                             {"clearing_account_b", boost::json::object{{"id", l.account_b}, {"balance", balance_b}}},
                             {"created_at", l.created_at}};
}

// A link's terms as sent (to POST /currency-links and /currency-link-proposals).
ledger::LinkInput ReadLinkInput(json_fields::ObjectReader& r, const Context& ctx) {
  ledger::LinkInput in;
  in.currency_a = r.Integer("currency_a", 1, INT64_MAX, true).value;
  in.currency_b = r.Integer("currency_b", 1, INT64_MAX, true).value;
  in.rate = r.Text("rate", {.required = true, .max_chars = 30}).value;
  in.clearing_credit_limit_a = r.Integer("clearing_credit_limit_a", 0, INT64_MAX).value;
  in.clearing_credit_limit_b = r.Integer("clearing_credit_limit_b", 0, INT64_MAX).value;
  in.created_by = ctx.principal.user_id;
  return in;
}

// POST /currency-links {currency_a, currency_b, rate, clearing_credit_limit_a, clearing_credit_limit_b}
Response CreateLink(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body, "");
  ledger::LinkInput in = ReadLinkInput(r, ctx);
  SOLIDUM_HTTP_CHECK(r.Finish());
  for (std::int64_t id : {in.currency_a, in.currency_b}) {
    SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(id));
    SOLIDUM_HTTP_TRY(bool admin, AdministersCurrency(ctx, currency));
    if (!admin) {
      return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Only someone who administers both currencies may link them (" +
                                                                             currency.def.code + " is not yours)."),
                     ctx.request.path);
    }
  }
  SOLIDUM_HTTP_TRY(auto link, ctx.services.ledger.CreateLink(in));
  SOLIDUM_HTTP_TRY(auto json, LinkJson(ctx, link));
  return Json(201, json);
}

// GET /currencies/{cid}/links: for the currency's members and admins.
Response ListLinks(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(id));
  SOLIDUM_HTTP_CHECK(MayReadCurrency(ctx, currency));
  SOLIDUM_HTTP_TRY(auto links, ctx.services.ledger.LinksOf(id));
  boost::json::array items;
  for (const auto& l : links) {
    SOLIDUM_HTTP_TRY(auto json, LinkJson(ctx, l));
    items.push_back(std::move(json));
  }
  return Json(200, boost::json::object{{"items", std::move(items)}});
}

// POST /currency-links/{lid}/transfers {id, debit_account, credit_account, amount | receive_amount, memo}:
// `amount` in the payer's currency (the payee receives it converted, rounded down), or
// `receive_amount` in the payee's (the payer pays it converted, rounded up).
Response PayAcross(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto lid, ctx.IdParam("lid"));
  SOLIDUM_HTTP_TRY(auto link, ctx.services.ledger.GetLink(lid));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body, "");
  ledger::CrossPayment p;
  p.id = r.Text("id", {.required = true, .max_chars = ledger::kTransferIdBytesMax, .trim = false}).value;
  p.payer = r.Integer("debit_account", 1, INT64_MAX, true).value;
  p.payee = r.Integer("credit_account", 1, INT64_MAX, true).value;
  const auto sent = r.Integer("amount", 1, INT64_MAX);
  const auto received = r.Integer("receive_amount", 1, INT64_MAX);
  if (sent.present == received.present) {
    r.Fail("amount", "required", "Give either amount (what leaves your account) or receive_amount (what must arrive).");
  }
  p.receive = received.present;
  p.amount = p.receive ? received.value : sent.value;
  p.memo = r.Text("memo", {.max_chars = ledger::kMemoBytesMax}).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto denied, FirstNotPermitted(ctx, {p.payer}));
  if (denied) {
    return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Only the account's holder or the currency's admins may pay from it."),
                   ctx.request.path);
  }
  // Which way: the payer's currency is one side of the link, the payee's the other.
  SOLIDUM_HTTP_TRY(auto payer, ctx.services.ledger.ReadAccount(p.payer));
  SOLIDUM_HTTP_TRY(auto payee, ctx.services.ledger.ReadAccount(p.payee));
  auto currency_of = [](const std::optional<ledger::Account>& a) { return a ? std::optional<std::int64_t>(a->currency) : std::nullopt; };
  SOLIDUM_HTTP_TRY(auto legs, ledger::CrossLegsBetween(p, {link.a.id, link.a.def.decimals, link.account_a}, {link.b.id, link.b.def.decimals, link.account_b},
                                                       link.rate, currency_of(payer), currency_of(payee), link.a.def.code, link.b.def.code));
  SOLIDUM_HTTP_TRY(auto outcomes, ctx.services.ledger.Transfer(std::move(legs)));
  if (const auto failed = ledger::FailedLink(outcomes)) {
    const std::string code(ledger::RefusalCode(outcomes[*failed].refusal));
    const std::string leg = *failed == 0 ? "the payer's side" : "the payee's side";
    return Problem(Error::Make(ErrorKind::kConflict, code, "The payment was refused on " + leg + ": " + code + ". Nothing moved."), ctx.request.path);
  }
  const bool replayed = outcomes[0].replayed && outcomes[1].replayed;
  Response answer;
  answer.status = replayed ? 200 : 201;
  json_write::Writer w(answer.body);
  w.BeginObject().Key("result").String("ok").Key("replayed").Bool(replayed).Key("rate").String(ledger::FormatRate(link.rate));
  w.Key("sent");
  WriteTransfer(w, outcomes[0].transfer);
  w.Key("received");
  WriteTransfer(w, outcomes[1].transfer);
  w.EndObject();
  return answer;
}

boost::json::object ProposalJson(const ledger::LinkProposal& p) {
  boost::json::object o{{"id", p.id},
                        {"a", CurrencyJson(p.a)},
                        {"b", CurrencyJson(p.b)},
                        {"rate", ledger::FormatRate(p.rate)},
                        {"clearing_credit_limit_a", p.clearing_credit_limit_a},
                        {"clearing_credit_limit_b", p.clearing_credit_limit_b},
                        {"note", p.note},
                        {"status", ledger::ProposalStatusName(p.status)},
                        {"proposed_at", p.proposed_at}};
  if (!p.decided_at.empty()) o["decided_at"] = p.decided_at;
  if (p.link_id) o["link_id"] = *p.link_id;
  return o;
}

// Which sides of a proposal the caller administers.
struct Sides {
  bool a = false, b = false;
};
Result<Sides> SidesOf(Context& ctx, const ledger::LinkProposal& p) {
  SOLIDUM_ASSIGN_OR_RETURN(bool a, AdministersCurrency(ctx, p.a));
  SOLIDUM_ASSIGN_OR_RETURN(bool b, AdministersCurrency(ctx, p.b));
  return Sides{a, b};
}

// The proposal named by {pid} when the caller administers either side; anyone else gets
// 404 (two communities' negotiation is theirs).
Result<std::pair<ledger::LinkProposal, Sides>> VisibleProposal(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto id, ctx.IdParam("pid"));
  auto p = ctx.services.link_proposals.Get(id);
  if (!p.ok()) return p.error();
  SOLIDUM_ASSIGN_OR_RETURN(auto sides, SidesOf(ctx, *p));
  if (!sides.a && !sides.b) return Error::NotFound("No link proposal " + std::to_string(id) + ".");
  return std::make_pair(std::move(*p), sides);
}

Error NotYourSide(std::string_view what, const ledger::Currency& side) {
  return Error::Make(ErrorKind::kForbidden, "not_permitted", "Only the admins of " + side.def.code + " may " + std::string(what) + " this proposal.");
}

// POST /currency-link-proposals {currency_a (yours), currency_b, rate, clearing_credit_limit_a,
// clearing_credit_limit_b, note}
Response ProposeLink(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body, "");
  ledger::LinkInput in = ReadLinkInput(r, ctx);
  const std::string note = r.Text("note", {.max_chars = ledger::kProposalNoteCharsMax}).value;
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto mine, ctx.services.ledger.GetCurrency(in.currency_a));
  SOLIDUM_HTTP_TRY(bool admin, AdministersCurrency(ctx, mine));
  if (!admin) {
    return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "Propose a link from a currency you administer (" + mine.def.code + " is not yours)."),
                   ctx.request.path);
  }
  SOLIDUM_HTTP_TRY(auto p, ctx.services.link_proposals.Propose(in, note));
  return Json(201, ProposalJson(p));
}

// GET /currencies/{cid}/link-proposals: for the currency's admins.
Response ListProposals(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto currency, ctx.services.ledger.GetCurrency(id));
  SOLIDUM_HTTP_TRY(bool admin, AdministersCurrency(ctx, currency));
  if (!admin) return Problem(Error::Make(ErrorKind::kForbidden, "not_permitted", "For the currency's admins."), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto list, ctx.services.link_proposals.Of(id));
  boost::json::array items;
  for (const auto& p : list) items.push_back(ProposalJson(p));
  return Json(200, {{"items", std::move(items)}});
}

Response GetProposal(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto found, VisibleProposal(ctx));
  return Json(200, ProposalJson(found.first));
}

// POST /currency-link-proposals/{pid}/accept: b's admins; answers the link made.
Response AcceptProposal(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto found, VisibleProposal(ctx));
  const auto& [p, sides] = found;
  if (!sides.b) return Problem(NotYourSide("accept", p.b), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto link, ctx.services.link_proposals.Accept(p.id, *ctx.principal.user_id));
  SOLIDUM_HTTP_TRY(auto json, LinkJson(ctx, link));
  return Json(201, json);
}

// POST .../decline (b's admins) and .../withdraw (a's).
Response CloseProposal(Context& ctx, ledger::ProposalStatus as) {
  SOLIDUM_HTTP_TRY(auto found, VisibleProposal(ctx));
  const auto& [p, sides] = found;
  const bool declining = as == ledger::ProposalStatus::kDeclined;
  if (declining && !sides.b) return Problem(NotYourSide("decline", p.b), ctx.request.path);
  if (!declining && !sides.a) return Problem(NotYourSide("withdraw", p.a), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto closed, ctx.services.link_proposals.Close(p.id, as, *ctx.principal.user_id));
  return Json(200, ProposalJson(closed));
}
Response DeclineProposal(Context& ctx) { return CloseProposal(ctx, ledger::ProposalStatus::kDeclined); }
Response WithdrawProposal(Context& ctx) { return CloseProposal(ctx, ledger::ProposalStatus::kWithdrawn); }

}  // namespace

void RegisterTrade(Router& router) {
  router.Add({"POST", "/api/v1/currency-links", Action::kSignedIn, "", CreateLink,
              "Link two currencies for trade between their communities: a clearing account in each and an exchange rate (admins of both)"});
  router.Add({"GET", "/api/v1/currencies/{cid}/links", Action::kSignedIn, "", ListLinks,
              "A currency's links to other communities' currencies, with the rate and the clearing accounts' balances"});
  router.Add({"POST", "/api/v1/currency-link-proposals", Action::kSignedIn, "", ProposeLink,
              "Propose a link from a currency you administer to another community's (its admins accept or decline)"});
  router.Add({"GET", "/api/v1/currencies/{cid}/link-proposals", Action::kSignedIn, "", ListProposals,
              "The link proposals a currency is in, either side, newest first (its admins)"});
  router.Add({"GET", "/api/v1/currency-link-proposals/{pid}", Action::kSignedIn, "", GetProposal, "A link proposal (the admins of either currency)"});
  router.Add({"POST", "/api/v1/currency-link-proposals/{pid}/accept", Action::kSignedIn, "", AcceptProposal,
              "Accept a proposal made to your currency: the link is made and the proposal closed at once"});
  router.Add({"POST", "/api/v1/currency-link-proposals/{pid}/decline", Action::kSignedIn, "", DeclineProposal,
              "Decline a proposal made to your currency"});
  router.Add({"POST", "/api/v1/currency-link-proposals/{pid}/withdraw", Action::kSignedIn, "", WithdrawProposal,
              "Withdraw your currency's open proposal"});
  router.Add({"POST", "/api/v1/currency-links/{lid}/transfers", Action::kSignedIn, "", PayAcross,
              "Pay a member of the linked community: two linked transfers through the clearing accounts, both or neither"});
}

}  // namespace solidum::http::api
