// Secret ballots: set up, open, close and publish by the organisation's admins; paper
// ballots by its editors (tellers); votes by members; results, anonymised papers, the log
// and receipts for everyone, once published.
#include <boost/json.hpp>

#include "common/limits.h"
#include "governance/ballots.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "registry/organisation.h"

namespace solidum::http::api {

using identity::Action;

namespace {

boost::json::value OptJson(const std::optional<std::string>& v) { return v ? boost::json::value(*v) : nullptr; }
boost::json::value OptJson(const std::optional<std::int64_t>& v) { return v ? boost::json::value(*v) : nullptr; }

boost::json::object BallotJson(const governance::Ballot& b) {
  boost::json::object o{{"id", b.id},           {"organisation_id", b.organisation_id}, {"kind", b.kind},
                        {"title", b.title},     {"description", b.description},         {"state", b.state},
                        {"opens_at", b.opens_at}, {"closes_at", b.closes_at},           {"eligible_on", b.eligible_on}};
  if (b.kind == "motion") {
    o["threshold"] = tally::ThresholdName(b.rule.threshold);
    o["majority_base"] = tally::MajorityBaseName(b.rule.base);
    o["abstentions"] = tally::AbstentionsName(b.rule.abstentions);
    o["weighted"] = b.rule.weighted;
  } else {
    o["method"] = b.method;
    o["seed"] = b.seed;
    boost::json::array contests;
    for (const auto& k : b.contests) {
      boost::json::array balance, candidates;
      for (const auto& r : k.balance) balance.push_back({{"group", r.group}, {"seats_min", r.seats_min}});
      for (const auto& c : k.candidates) {
        candidates.push_back({{"id", c.id}, {"name", c.name}, {"affiliation", c.affiliation}, {"group", c.group}, {"member_id", OptJson(c.member_id)}});
      }
      contests.push_back({{"id", k.id}, {"class", OptJson(k.class_code)}, {"seats", k.seats}, {"balance", std::move(balance)},
                          {"candidates", std::move(candidates)}});
    }
    o["contests"] = std::move(contests);
  }
  o["entitled"] = b.entitled;
  o["voted"] = b.voted;
  o["result"] = b.result ? boost::json::parse(*b.result) : boost::json::value(nullptr);
  o["version"] = b.version;
  o["created_at"] = b.created_at;
  o["updated_at"] = b.updated_at;
  return o;
}

governance::Ballots& BallotsOf(Context& ctx) { return ctx.services.ballots; }

Response List(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto list = BallotsOf(ctx).List(*org);
  if (!list.ok()) return Problem(list.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& b : *list) items.push_back(BallotJson(b));
  return Json(200, {{"items", std::move(items)}});
}

Response Create(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto in = governance::ParseBallot(*body);
  if (!in.ok()) return Problem(in.error(), ctx.request.path);
  auto b = BallotsOf(ctx).Create(*org, *in, ctx.principal.user_id);
  if (!b.ok()) return Problem(b.error(), ctx.request.path);
  return WithETag(Json(201, BallotJson(*b)), b->version);
}

Response Get(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto b = BallotsOf(ctx).Get(*org, *id);
  if (!b.ok()) return Problem(b.error(), ctx.request.path);
  return WithETag(Json(200, BallotJson(*b)), b->version);
}

Response Delete(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  auto r = BallotsOf(ctx).DeleteDraft(*org, *id, *version);
  if (!r.ok()) return Problem(r.error(), ctx.request.path);
  return NoContent();
}

enum class Step { kOpen, kClose, kPublish };

Response Move(Context& ctx, Step step) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto version = IfMatchVersion(ctx.request);
  if (!version.ok()) return Problem(version.error(), ctx.request.path);
  auto& ballots = BallotsOf(ctx);
  auto b = step == Step::kOpen    ? ballots.Open(*org, *id, *version)
           : step == Step::kClose ? ballots.Close(*org, *id, *version)
                                  : ballots.Publish(*org, *id, *version);
  if (!b.ok()) return Problem(b.error(), ctx.request.path);
  return WithETag(Json(200, BallotJson(*b)), b->version);
}

Response PaperBallots(Context& ctx) {
  auto org = ctx.IdParam("id");
  if (!org.ok()) return Problem(org.error(), ctx.request.path);
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  if (!body->is_object()) return Problem(Error::Invalid("", "not_an_object", "A JSON object is expected."), ctx.request.path);
  std::vector<std::int64_t> voters;
  std::vector<governance::Vote> papers;
  std::vector<std::optional<std::int64_t>> contests;
  const auto& o = body->as_object();
  for (const auto& [key, value] : o) {
    if (key != "voters" && key != "papers") {
      return Problem(Error::Invalid("/" + std::string(key), "unknown_field", "This field is not known."), ctx.request.path);
    }
  }
  const auto* v = o.if_contains("voters");
  const auto* p = o.if_contains("papers");
  if (!v || !v->is_array()) return Problem(Error::Invalid("/voters", "required", "The member ids of those who voted on paper."), ctx.request.path);
  if (!p || !p->is_array()) return Problem(Error::Invalid("/papers", "required", "The papers, as many as voters."), ctx.request.path);
  if (v->as_array().size() > governance::kPaperBatchMax || p->as_array().size() > governance::kPaperBatchMax) {
    return Problem(Error::Invalid("/papers", "too_many", "At most " + std::to_string(governance::kPaperBatchMax) + " at once."), ctx.request.path);
  }
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    const auto& x = v->as_array()[i];
    if (!x.is_int64() || x.as_int64() < 1) return Problem(Error::Invalid("/voters/" + std::to_string(i), "invalid_id", "A member id."), ctx.request.path);
    voters.push_back(x.as_int64());
  }
  for (std::size_t i = 0; i < p->as_array().size(); ++i) {
    const std::string at = "/papers/" + std::to_string(i);
    if (!p->as_array()[i].is_object()) return Problem(Error::Invalid(at, "not_an_object", "A paper is an object."), ctx.request.path);
    boost::json::object paper = p->as_array()[i].as_object();
    std::optional<std::int64_t> contest;
    if (const auto* c = paper.if_contains("contest")) {
      if (!c->is_int64() || c->as_int64() < 1) return Problem(Error::Invalid(at + "/contest", "invalid_id", "A contest id."), ctx.request.path);
      contest = c->as_int64();
      paper.erase("contest");
    }
    auto vote = governance::ParseVote(paper, at);
    if (!vote.ok()) return Problem(vote.error(), ctx.request.path);
    papers.push_back(std::move(*vote));
    contests.push_back(contest);
  }
  auto receipts = BallotsOf(ctx).EnterPaper(*org, *id, voters, papers, contests);
  if (!receipts.ok()) return Problem(receipts.error(), ctx.request.path);
  boost::json::array ids;
  for (const auto& r : *receipts) ids.push_back({{"receipt", r.code}, {"receipt_id", r.receipt_id}});
  return Json(201, {{"entered", receipts->size()}, {"receipts", std::move(ids)}});
}

Response PublicGet(Context& ctx) {
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto b = BallotsOf(ctx).GetPublic(*id);
  if (!b.ok()) return Problem(b.error(), ctx.request.path);
  return Json(200, BallotJson(*b));
}

Response CastVote(Context& ctx) {
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto body = ParseJsonBody(ctx.request);
  if (!body.ok()) return Problem(body.error(), ctx.request.path);
  auto vote = governance::ParseVote(*body);
  if (!vote.ok()) return Problem(vote.error(), ctx.request.path);
  auto answer = [](const Result<governance::Receipt>& r, const std::string& path) {
    if (!r.ok()) return Problem(r.error(), path);
    return Json(201, {{"receipt", r->code}, {"receipt_id", r->receipt_id}});
  };
  if (ctx.services.store.backend() != store::Backend::kPostgres) {
    return answer(BallotsOf(ctx).Cast(*id, *ctx.principal.user_id, *vote), ctx.request.path);
  }
  // PostgreSQL: answered once the vote is durable, without holding a thread meanwhile.
  Response later;
  later.later = [&ballots = BallotsOf(ctx), ballot = *id, user = *ctx.principal.user_id, vote = std::move(*vote), path = ctx.request.path,
                 answer](Resume resume) mutable {
    ballots.CastAsync(ballot, user, std::move(vote), [resume = std::move(resume), path, answer](Result<governance::Receipt> r) {
      resume([r = std::move(r), path, answer] { return answer(r, path); });
    });
  };
  return later;
}

boost::json::object PaperJson(const governance::Paper& p) {
  boost::json::value content = p.content.front() == '[' ? boost::json::parse(p.content) : boost::json::value(p.content);
  // Not the channel (online or paper): where few vote on paper, it would point at their papers.
  return {{"receipt_id", p.receipt_id}, {"college", OptJson(p.college_id)}, {"content", std::move(content)}, {"commitment", p.commitment}};
}

Response Receipt(Context& ctx) {
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  const auto code = ctx.Param("code");
  if (code.empty() || code.size() > 64) return Problem(Error::NotFound("No paper has this receipt."), ctx.request.path);
  auto p = BallotsOf(ctx).FindReceipt(*id, code);
  if (!p.ok()) return Problem(p.error(), ctx.request.path);
  return Json(200, PaperJson(*p));
}

Response Papers(Context& ctx) {
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto list = BallotsOf(ctx).Papers(*id);
  if (!list.ok()) return Problem(list.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& p : *list) items.push_back(PaperJson(p));
  return Json(200, {{"items", std::move(items)}});
}

Response Log(Context& ctx) {
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto log = BallotsOf(ctx).Log(*id);
  if (!log.ok()) return Problem(log.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& e : *log) items.push_back({{"seq", e.seq}, {"entry", e.entry}, {"hash", e.hash}});
  const auto broken = governance::VerifyLog(*log);
  return Json(200, {{"items", std::move(items)},
                    {"algorithm", "hash = hex(BLAKE2b-256(previous hash + \"\\n\" + entry)), the first previous hash 64 zeros"},
                    {"verified", !broken.has_value()}});
}

Response Blt(Context& ctx) {
  auto id = ctx.IdParam("bid");
  if (!id.ok()) return Problem(id.error(), ctx.request.path);
  auto contest = ctx.IdParam("cid");
  if (!contest.ok()) return Problem(contest.error(), ctx.request.path);
  auto blt = BallotsOf(ctx).ContestBlt(*id, *contest);
  if (!blt.ok()) return Problem(blt.error(), ctx.request.path);
  Response r;
  r.content_type = "text/plain; charset=utf-8";
  r.SetHeader("Content-Disposition", "attachment; filename=\"ballot-" + std::to_string(*id) + "-" + std::to_string(*contest) + ".blt\"");
  r.body = std::move(*blt);
  return r;
}

Response MyBallots(Context& ctx) {
  auto list = BallotsOf(ctx).OfUser(*ctx.principal.user_id);
  if (!list.ok()) return Problem(list.error(), ctx.request.path);
  boost::json::array items;
  for (const auto& m : *list) {
    auto o = BallotJson(m.ballot);
    o["organisation_name"] = m.organisation_name;
    o["you_voted"] = m.voted;
    o["your_contest"] = OptJson(m.contest_id);
    items.push_back(std::move(o));
  }
  return Json(200, {{"items", std::move(items)}});
}

}  // namespace

void RegisterBallots(Router& router) {
  const std::string org = "/api/v1/organisations/{id}/ballots";
  router.Add({"GET", org, Action::kMembersRead, "id", List, "The organisation's ballots (motions and elections), drafts included"});
  router.Add({"POST", org, Action::kGovernanceAdmin, "id", Create, "Set up a motion or an election (a draft)"});
  router.Add({"GET", org + "/{bid}", Action::kMembersRead, "id", Get, "One ballot, with its count once closed"});
  router.Add({"DELETE", org + "/{bid}", Action::kGovernanceAdmin, "id", Delete, "Delete a draft (If-Match required)"});
  router.Add({"POST", org + "/{bid}/open", Action::kGovernanceAdmin, "id", [](Context& c) { return Move(c, Step::kOpen); },
              "Open the ballot: its definition is fixed in the log (If-Match required)"});
  router.Add({"POST", org + "/{bid}/close", Action::kGovernanceAdmin, "id", [](Context& c) { return Move(c, Step::kClose); },
              "Close and count (If-Match required)"});
  router.Add({"POST", org + "/{bid}/publish", Action::kGovernanceAdmin, "id", [](Context& c) { return Move(c, Step::kPublish); },
              "Publish the results, the anonymised papers and the log (If-Match required)"});
  router.Add({"POST", org + "/{bid}/paper-ballots", Action::kMembersManage, "id", PaperBallots,
              "Tellers enter paper ballots: the members who voted on paper and as many papers, never linked"});
  const std::string pub = "/api/v1/ballots/{bid}";
  router.Add({"GET", pub, Action::kAnyone, "", PublicGet, "A ballot as voters and the public see it (results once published)"});
  Route vote{"POST", pub + "/votes", Action::kSignedIn, "", CastVote, "Vote: a motion's choice or an election's ranking; answers a receipt code"};
  vote.token_lookup_async = true;  // on PostgreSQL, CastVote waits on nothing (Ballots::CastAsync)
  router.Add(std::move(vote));
  router.Add({"GET", pub + "/receipts/{code}", Action::kAnyone, "", Receipt, "Find your paper by your receipt code"});
  router.Add({"GET", pub + "/papers", Action::kAnyone, "", Papers, "Every anonymised paper of a published ballot, to recount"});
  router.Add({"GET", pub + "/log", Action::kAnyone, "", Log, "The ballot's hash-chained log, verified"});
  router.Add({"GET", pub + "/contests/{cid}/blt", Action::kAnyone, "", Blt, "A published contest's papers as a BLT file"});
  router.Add({"GET", "/api/v1/me/ballots", Action::kSignedIn, "", MyBallots, "The ballots the signed-in user may vote in, and whether they have"});
}

}  // namespace solidum::http::api
