// Communities of practice over HTTP. The moderators' side (/organisations/{id}/communities
// /...) is for the organisation's editors and admins: groups, members, blocking, hiding.
// The members' side (/communities/...) lists groups, reads them (a closed group's
// conversations for its members and moderators), joins and leaves, writes threads and
// replies. Posts are Markdown, sent as written and as safe HTML (library::RenderMarkdown);
// a hidden post reaches readers without its text.
#include <boost/json.hpp>

#include <algorithm>
#include <limits>

#include "common/json_fields.h"
#include "communities/communities.h"
#include "http/api/paging.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "identity/identity.h"
#include "library/markdown.h"

namespace solidum::http::api {

using identity::Action;

namespace {

namespace cm = communities;

boost::json::value OptText(const std::optional<std::string>& s) { return s ? boost::json::value(*s) : nullptr; }

// Lists carry the description as written; one group's page also gets it as safe HTML.
boost::json::object CommunityJson(const cm::Community& g) {
  return {{"id", g.id},
          {"organisation", {{"id", g.organisation_id}, {"name", g.organisation_name}}},
          {"name", g.name},
          {"description", g.description},
          {"languages", boost::json::value_from(g.languages)},
          {"open", g.open},
          {"archived", g.archived},
          {"members", g.members},
          {"threads", g.threads},
          {"version", g.version},
          {"created_at", g.created_at},
          {"last_post_at", g.last_post_at}};
}

boost::json::object MemberJson(const cm::Member& m, bool staff) {
  boost::json::object j{{"user_id", m.user_id}, {"handle", m.handle}, {"moderator", m.moderator}, {"joined_at", m.joined_at},
                        {"posts", m.posts},     {"blocked", m.blocked_at.has_value()}};
  if (m.blocked_at) j["block_reason"] = OptText(m.block_reason);
  if (staff) {
    j["email"] = m.email;
    j["blocked_at"] = OptText(m.blocked_at);
  }
  return j;
}

boost::json::object ThreadJson(const cm::Thread& t) {
  return {{"id", t.id},       {"community_id", t.community_id}, {"title", t.title},           {"language", t.language},
          {"author", t.author_handle}, {"posts", t.posts},      {"created_at", t.created_at}, {"last_post_at", t.last_post_at}};
}

boost::json::object PostJson(const cm::Post& p, const std::optional<std::int64_t>& viewer) {
  boost::json::object j{{"id", p.id},
                        {"thread_id", p.thread_id},
                        {"parent_id", p.parent_id ? boost::json::value(*p.parent_id) : nullptr},
                        {"depth", p.depth},
                        {"author", p.author_handle},
                        {"mine", viewer && *viewer == p.author_id},
                        {"language", p.language},
                        {"body", p.body},
                        {"body_html", p.body.empty() ? std::string() : library::RenderMarkdown(p.body)},
                        {"mentions", boost::json::value_from(p.mentions)},
                        {"created_at", p.created_at},
                        {"edited_at", OptText(p.edited_at)},
                        {"hidden", p.hidden_at.has_value()}};
  if (p.hidden_at) j["hidden_reason"] = OptText(p.hidden_reason);
  return j;
}

Response ThreadViewJson(const cm::ThreadView& v, const std::optional<std::int64_t>& viewer, int status = 200) {
  auto j = ThreadJson(v.thread);
  boost::json::array posts;
  for (const auto& p : v.posts) posts.push_back(PostJson(p, viewer));
  j["items"] = std::move(posts);
  return Json(status, j);
}

Result<Paging> ReadPaging(Context& ctx) {
  Paging paging{50};
  for (const auto& [key, value] : ctx.request.query) {
    SOLIDUM_ASSIGN_OR_RETURN(bool taken, TakePagingParam(key, value, paging));
    if (!taken) return Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known.");
  }
  paging.limit = std::min(paging.limit, cm::kPageMax);
  return paging;
}

// The caller as a reader of group `id`: a moderator when an editor or admin of its
// organisation (or of the platform).
Result<cm::Viewer> ViewerOf(Context& ctx, std::int64_t id) {
  cm::Viewer v{ctx.principal.user_id, ctx.principal.is_platform_admin};
  if (!v.user || v.moderator) return v;
  SOLIDUM_ASSIGN_OR_RETURN(auto organisation, ctx.services.communities.OrganisationOf(id));
  SOLIDUM_ASSIGN_OR_RETURN(auto role, ctx.services.identity.RoleIn(*v.user, organisation));
  v.moderator = role >= identity::Role::kEditor;
  return v;
}

Result<std::string> ReasonOf(Context& ctx) {
  SOLIDUM_ASSIGN_OR_RETURN(auto body, ParseJsonBody(ctx.request));
  return cm::ReadReason(body);
}

// --- Moderators ------------------------------------------------------------------------

Response CreateCommunity(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto fields, cm::ReadCommunity(body, true));
  SOLIDUM_HTTP_TRY(auto g, ctx.services.communities.Create(org, fields, *ctx.principal.user_id));
  return WithETag(Json(201, CommunityJson(g)), g.version);
}

Response OrganisationCommunities(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.communities.OfOrganisation(org));
  boost::json::array items;
  for (const auto& g : list) items.push_back(CommunityJson(g));
  return Json(200, {{"items", std::move(items)}});
}

Response ChangeCommunity(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto changes, cm::ReadCommunity(body, false));
  SOLIDUM_HTTP_TRY(auto g, ctx.services.communities.Change(org, id, version, changes));
  return WithETag(Json(200, CommunityJson(g)), g.version);
}

Response CommunityMembers(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.communities.Members(org, id));
  boost::json::array items;
  for (const auto& m : list) items.push_back(MemberJson(m, true));
  return Json(200, {{"items", std::move(items)}});
}

Response AddMember(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto email = r.Text("email", {.required = true, .max_chars = 254});
  auto handle = r.Text("handle", {.required = true, .max_chars = 4 * cm::kHandleCharsMax});
  if (handle.has_value() && !cm::IsHandle(handle.value)) {
    r.Fail("handle", "invalid_handle", "2 to 30 letters, digits, _ . or -, starting with a letter or a digit.");
  }
  SOLIDUM_HTTP_CHECK(r.Finish());
  SOLIDUM_HTTP_TRY(auto normalised, identity::NormalizeEmail(email.value));
  SOLIDUM_HTTP_TRY(auto m, ctx.services.communities.Add(org, id, normalised, handle.value, *ctx.principal.user_id));
  return Json(201, MemberJson(m, true));
}

Response BlockMember(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto user, ctx.IdParam("uid"));
  SOLIDUM_HTTP_TRY(auto reason, ReasonOf(ctx));
  SOLIDUM_HTTP_TRY(auto m, ctx.services.communities.Block(org, id, user, *ctx.principal.user_id, reason));
  return Json(200, MemberJson(m, true));
}

Response UnblockMember(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto user, ctx.IdParam("uid"));
  SOLIDUM_HTTP_TRY(auto m, ctx.services.communities.Unblock(org, id, user));
  return Json(200, MemberJson(m, true));
}

Response HidePost(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto post, ctx.IdParam("pid"));
  SOLIDUM_HTTP_TRY(auto reason, ReasonOf(ctx));
  SOLIDUM_HTTP_TRY(auto p, ctx.services.communities.Hide(org, id, post, *ctx.principal.user_id, reason));
  return Json(200, PostJson(p, ctx.principal.user_id));
}

Response UnhidePost(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto post, ctx.IdParam("pid"));
  SOLIDUM_HTTP_TRY(auto p, ctx.services.communities.Unhide(org, id, post));
  return Json(200, PostJson(p, ctx.principal.user_id));
}

// --- Members and readers ---------------------------------------------------------------

Response ListCommunities(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto paging, ReadPaging(ctx));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.communities.List(paging.limit, static_cast<int>(std::min<std::int64_t>(paging.offset, 1'000'000))));
  boost::json::array items;
  for (const auto& g : list) items.push_back(CommunityJson(g));
  const bool full = static_cast<int>(list.size()) == paging.limit;  // there may be more
  const auto next = NextCursor(paging, list.size(), full ? std::numeric_limits<std::int64_t>::max() : paging.offset + std::int64_t(list.size()));
  return Json(200, {{"items", std::move(items)}, {"next_cursor", next}});
}

Response GetCommunity(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto viewer, ViewerOf(ctx, id));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.communities.Get(id, viewer));
  auto j = CommunityJson(v.community);
  j["description_html"] = library::RenderMarkdown(v.community.description);
  j["me"] = v.me ? boost::json::value(MemberJson(*v.me, false)) : nullptr;
  j["moderator"] = viewer.moderator;
  return WithETag(Json(200, j), v.community.version);
}

Response Threads(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto paging, ReadPaging(ctx));
  SOLIDUM_HTTP_TRY(auto viewer, ViewerOf(ctx, id));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.communities.Threads(id, viewer, paging.limit, static_cast<int>(std::min<std::int64_t>(paging.offset, 1'000'000))));
  boost::json::array items;
  for (const auto& t : list.items) items.push_back(ThreadJson(t));
  const auto next = NextCursor(paging, list.items.size(), list.total);
  return Json(200, {{"items", std::move(items)}, {"total", list.total}, {"next_cursor", next}});
}

Response StartThread(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, cm::ReadThread(body));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.communities.StartThread(id, *ctx.principal.user_id, in));
  return ThreadViewJson(v, ctx.principal.user_id, 201);
}

Response GetThread(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto thread, ctx.IdParam("tid"));
  SOLIDUM_HTTP_TRY(auto viewer, ViewerOf(ctx, id));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.communities.GetThread(id, thread, viewer));
  return ThreadViewJson(v, ctx.principal.user_id);
}

Response Reply(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto thread, ctx.IdParam("tid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, cm::ReadReply(body));
  SOLIDUM_HTTP_TRY(auto p, ctx.services.communities.Reply(id, thread, *ctx.principal.user_id, in));
  return Json(201, PostJson(p, ctx.principal.user_id));
}

Response EditPost(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto post, ctx.IdParam("pid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, cm::ReadEdit(body));
  SOLIDUM_HTTP_TRY(auto p, ctx.services.communities.Edit(id, post, *ctx.principal.user_id, in));
  return Json(200, PostJson(p, ctx.principal.user_id));
}

Response Join(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, cm::ReadJoin(body, true));
  SOLIDUM_HTTP_TRY(auto m, ctx.services.communities.Join(id, *ctx.principal.user_id, in.handle.value, in.language.has_value() ? in.language.value : "en"));
  return Json(201, MemberJson(m, false));
}

Response ChangeMembership(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, cm::ReadJoin(body, true));
  SOLIDUM_HTTP_TRY(auto m, ctx.services.communities.ChangeHandle(id, *ctx.principal.user_id, in.handle.value));
  return Json(200, MemberJson(m, false));
}

Response Leave(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("cid"));
  SOLIDUM_HTTP_CHECK(ctx.services.communities.Leave(id, *ctx.principal.user_id));
  return NoContent();
}

boost::json::object SettingsJson(const cm::Settings& s) { return {{"digest", cm::DigestName(s.digest)}, {"language", s.language}}; }

Response MySettings(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto s, ctx.services.communities.SettingsOf(*ctx.principal.user_id));
  return Json(200, SettingsJson(s));
}

Response ChangeMySettings(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, cm::ReadSettings(body));
  SOLIDUM_HTTP_TRY(auto s, ctx.services.communities.ChangeSettings(*ctx.principal.user_id, in));
  return Json(200, SettingsJson(s));
}

Response MyCommunities(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto list, ctx.services.communities.OfUser(*ctx.principal.user_id));
  boost::json::array items;
  for (const auto& v : list) {
    auto j = CommunityJson(v.community);
    j["me"] = v.me ? boost::json::value(MemberJson(*v.me, false)) : nullptr;
    items.push_back(std::move(j));
  }
  return Json(200, {{"items", std::move(items)}});
}

}  // namespace

void RegisterCommunities(Router& router) {
  const std::string own = "/api/v1/organisations/{id}/communities";
  const std::string one = own + "/{cid}";
  router.Add({"POST", own, Action::kOrganisationUpdate, "id", CreateCommunity, "Start a community of practice of this organisation"});
  router.Add({"GET", own, Action::kOrganisationUpdate, "id", OrganisationCommunities, "This organisation's communities, archived ones too"});
  router.Add({"PATCH", one, Action::kOrganisationUpdate, "id", ChangeCommunity, "Change a community: name, description, languages, open, archived (If-Match)"});
  router.Add({"GET", one + "/members", Action::kOrganisationUpdate, "id", CommunityMembers, "A community's members, with their emails"});
  router.Add({"POST", one + "/members", Action::kOrganisationUpdate, "id", AddMember, "Add someone with an account to a community (closed ones)"});
  router.Add({"POST", one + "/members/{uid}/block", Action::kOrganisationUpdate, "id", BlockMember,
              "Block a member from writing in the community, with a reason"});
  router.Add({"DELETE", one + "/members/{uid}/block", Action::kOrganisationUpdate, "id", UnblockMember, "Lift a member's block"});
  router.Add({"POST", one + "/posts/{pid}/hide", Action::kOrganisationUpdate, "id", HidePost,
              "Hide a post, with a reason: it keeps its place, its text is for moderators"});
  router.Add({"DELETE", one + "/posts/{pid}/hide", Action::kOrganisationUpdate, "id", UnhidePost, "Show a hidden post again"});

  const std::string pub = "/api/v1/communities/{cid}";
  router.Add({"GET", "/api/v1/communities", Action::kAnyone, "", ListCommunities, "Communities of practice, most recently active first"});
  router.Add({"GET", pub, Action::kAnyone, "", GetCommunity, "A community, with my membership when I have one"});
  router.Add({"GET", pub + "/threads", Action::kAnyone, "", Threads,
              "A community's threads, most recently active first (a closed community's: members and moderators)"});
  router.Add({"POST", pub + "/threads", Action::kSignedIn, "", StartThread, "Start a thread: a title, a language and a first post (members)"});
  router.Add({"GET", pub + "/threads/{tid}", Action::kAnyone, "", GetThread, "A thread and its posts in order, hidden ones without their text"});
  router.Add({"POST", pub + "/threads/{tid}/posts", Action::kSignedIn, "", Reply,
              "Answer in a thread (to a post with parent); @handles mentioned get an email"});
  router.Add({"PATCH", pub + "/posts/{pid}", Action::kSignedIn, "", EditPost, "Edit my post"});
  router.Add({"POST", pub + "/membership", Action::kSignedIn, "", Join, "Join an open community under a handle"});
  router.Add({"PATCH", pub + "/membership", Action::kSignedIn, "", ChangeMembership, "Change my handle in a community"});
  router.Add({"DELETE", pub + "/membership", Action::kSignedIn, "", Leave, "Leave a community"});
  router.Add({"GET", "/api/v1/me/communities", Action::kSignedIn, "", MyCommunities, "The communities I belong to"});
  router.Add({"GET", "/api/v1/me/communities/settings", Action::kSignedIn, "", MySettings, "My digest (none, daily, weekly) and email language"});
  router.Add({"PUT", "/api/v1/me/communities/settings", Action::kSignedIn, "", ChangeMySettings, "Change my digest and email language"});
}

}  // namespace solidum::http::api
