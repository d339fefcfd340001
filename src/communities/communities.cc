#include "communities/communities.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>

#include "library/resource.h"
#include "mail/outbox.h"

namespace solidum::communities {

using store::Conn;
using store::Value;

namespace {

constexpr std::string_view kCommunityColumns =
    "c.id, c.organisation_id, o.name, c.name, c.description, c.languages, c.open, c.archived, c.version, c.created_at, c.updated_at, "
    "c.last_post_at, "
    "(SELECT COUNT(*) FROM community_members m WHERE m.community_id = c.id AND m.left_at IS NULL), "
    "(SELECT COUNT(*) FROM community_threads t WHERE t.community_id = c.id) ";
constexpr std::string_view kCommunityFrom = " FROM communities c JOIN organisations o ON o.id = c.organisation_id ";

constexpr std::string_view kMemberColumns =
    "m.community_id, m.user_id, m.handle, u.email, m.blocked_at, m.block_reason, m.joined_at, "
    "(SELECT COUNT(*) FROM community_posts p WHERE p.community_id = m.community_id AND p.author_id = m.user_id), "
    "(SELECT COUNT(*) FROM organisation_roles r WHERE r.organisation_id = c.organisation_id AND r.user_id = m.user_id "
    "AND r.role IN ('admin', 'editor')), m.left_at ";
constexpr std::string_view kMemberFrom =
    " FROM community_members m JOIN users u ON u.id = m.user_id JOIN communities c ON c.id = m.community_id ";

constexpr std::string_view kThreadColumns =
    "t.id, t.community_id, t.title, t.language, t.author_id, am.handle, "
    "(SELECT COUNT(*) FROM community_posts p WHERE p.thread_id = t.id AND p.hidden_at IS NULL), t.created_at, t.last_post_at ";
constexpr std::string_view kThreadFrom =
    " FROM community_threads t LEFT JOIN community_members am ON am.community_id = t.community_id AND am.user_id = t.author_id ";

constexpr std::string_view kPostColumns =
    "p.id, p.thread_id, p.parent_id, p.depth, p.author_id, am.handle, p.language, p.body, p.created_at, p.edited_at, p.hidden_at, "
    "p.hidden_reason ";
constexpr std::string_view kPostFrom =
    " FROM community_posts p LEFT JOIN community_members am ON am.community_id = p.community_id AND am.user_id = p.author_id ";

std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (auto p : parts) s += p;
  return s;
}

Community CommunityOf(const store::Row& row) {
  Community g;
  g.id = row.Int(0);
  g.organisation_id = row.Int(1);
  g.organisation_name = row.Text(2);
  g.name = row.Text(3);
  g.description = row.Text(4);
  g.languages = library::StringsOf(row.Text(5));
  g.open = row.Int(6) != 0;
  g.archived = row.Int(7) != 0;
  g.version = row.Int(8);
  g.created_at = row.Text(9);
  g.updated_at = row.Text(10);
  g.last_post_at = row.Text(11);
  g.members = row.Int(12);
  g.threads = row.Int(13);
  return g;
}

Member MemberOf(const store::Row& row) {
  Member m;
  m.community_id = row.Int(0);
  m.user_id = row.Int(1);
  m.handle = row.Text(2);
  m.email = row.Text(3);
  m.blocked_at = row.OptText(4);
  m.block_reason = row.OptText(5);
  m.joined_at = row.Text(6);
  m.posts = row.Int(7);
  m.moderator = row.Int(8) > 0;
  m.left = !row.IsNull(9);
  return m;
}

Thread ThreadOf(const store::Row& row) {
  return Thread{row.Int(0), row.Int(1), row.Text(2), row.Text(3), row.Int(4), row.OptText(5).value_or(""), row.Int(6), row.Text(7), row.Text(8)};
}

Post PostOf(const store::Row& row) {
  Post p;
  p.id = row.Int(0);
  p.thread_id = row.Int(1);
  p.parent_id = row.OptInt(2);
  p.depth = row.Int(3);
  p.author_id = row.Int(4);
  p.author_handle = row.OptText(5).value_or("");
  p.language = row.Text(6);
  p.body = row.Text(7);
  p.created_at = row.Text(8);
  p.edited_at = row.OptText(9);
  p.hidden_at = row.OptText(10);
  p.hidden_reason = row.OptText(11);
  return p;
}

Error Make(ErrorKind kind, std::string code, std::string message) { return Error::Make(kind, std::move(code), std::move(message)); }
Error VersionMismatch() { return Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The group changed since you read it."); }
Error HandleTaken() {
  return Error{ErrorKind::kConflict, "handle_taken", "Someone in this group already goes by this name.",
               {FieldError{"/handle", "handle_taken", "Someone in this group already goes by this name (or one that reads the same)."}}};
}

Result<std::optional<Community>> LoadCommunity(Conn& conn, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(Sql({"SELECT ", kCommunityColumns, kCommunityFrom, "WHERE c.id = ?"}), {id}));
  if (!row) return std::optional<Community>();
  return std::optional<Community>(CommunityOf(*row));
}

Result<Community> AnyCommunity(Conn& conn, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto g, LoadCommunity(conn, id));
  if (!g) return Error::NotFound("No group " + std::to_string(id) + ".");
  return std::move(*g);
}

Result<Community> OwnCommunity(Conn& conn, std::int64_t organisation, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto g, LoadCommunity(conn, id));
  if (!g || g->organisation_id != organisation) return Error::NotFound("No group " + std::to_string(id) + " here.");
  return std::move(*g);
}

// The user's row in the group, whether they left or not.
Result<std::optional<Member>> RowOf(Conn& conn, std::int64_t id, std::int64_t user, bool active_only) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(Sql({"SELECT ", kMemberColumns, kMemberFrom, "WHERE m.community_id = ? AND m.user_id = ?",
                                                        active_only ? " AND m.left_at IS NULL" : ""}),
                                                   {id, user}));
  if (!row) return std::optional<Member>();
  return std::optional<Member>(MemberOf(*row));
}

// Makes `user` a member under `handle`: a new row, or a former member's row taken up again.
Result<void> PutMember(Conn& conn, std::int64_t id, std::int64_t user, const std::optional<Member>& row, const std::string& handle,
                       std::optional<std::int64_t> added_by, const std::string& now) {
  if (row) {
    SOLIDUM_TRY(conn.Exec("UPDATE community_members SET handle = ?, handle_key = ?, joined_at = ?, left_at = NULL, added_by = ? "
                          "WHERE community_id = ? AND user_id = ?",
                          {handle, HandleKey(handle), now, store::Opt(added_by), id, user}));
  } else {
    SOLIDUM_TRY(conn.Exec("INSERT INTO community_members (community_id, user_id, handle, handle_key, joined_at, added_by) VALUES (?, ?, ?, ?, ?, ?)",
                          {id, user, handle, HandleKey(handle), now, store::Opt(added_by)}));
  }
  return Ok();
}

// A person's digest and email language; the defaults until they join a first group.
Result<Settings> SettingsRow(Conn& conn, std::int64_t user) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT digest, language FROM community_readers WHERE user_id = ?", {user}));
  Settings s;
  if (row) {
    s.digest = ParseDigest(row->Text(0)).value_or(Digest::kWeekly);
    s.language = row->Text(1);
  }
  return s;
}

Result<void> CheckHandleFree(Conn& conn, std::int64_t id, std::int64_t user, const std::string& handle) {
  SOLIDUM_ASSIGN_OR_RETURN(auto other, conn.QueryOne("SELECT user_id FROM community_members WHERE community_id = ? AND handle_key = ? AND user_id <> ?",
                                                     {id, HandleKey(handle), user}));
  if (other) return HandleTaken();
  return Ok();
}

bool IsEmailLanguage(std::string_view l) { return l == "en" || l == "fr" || l == "es" || l == "pt"; }

Result<void> EnsureReader(Conn& conn, std::int64_t user, const std::string& language, const std::string& now) {
  SOLIDUM_TRY(conn.Exec("INSERT INTO community_readers (user_id, digest, language, updated_at) VALUES (?, 'weekly', ?, ?) "
                        "ON CONFLICT (user_id) DO NOTHING",
                        {user, IsEmailLanguage(language) ? language : std::string("en"), now}));
  return Ok();
}

Result<void> CanRead(Conn& conn, const Community& g, const Viewer& viewer) {
  if (g.open || viewer.moderator) return Ok();
  if (viewer.user) {
    SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, g.id, *viewer.user, true));
    if (me) return Ok();
  }
  return Make(ErrorKind::kForbidden, "members_only", "This group's conversations are for its members.");
}

Result<Member> CanPost(Conn& conn, const Community& g, std::int64_t user) {
  if (g.archived) return Make(ErrorKind::kConflict, "archived", "This group is archived: it can be read, not written in.");
  SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, g.id, user, true));
  if (!me) return Make(ErrorKind::kForbidden, "not_a_member", "Join the group to write in it.");
  if (me->blocked_at) return Make(ErrorKind::kForbidden, "blocked", "A moderator has blocked you from writing in this group.");
  return std::move(*me);
}

Result<std::optional<Post>> LoadPost(Conn& conn, std::int64_t community, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(Sql({"SELECT ", kPostColumns, kPostFrom, "WHERE p.id = ? AND p.community_id = ?"}), {id, community}));
  if (!row) return std::optional<Post>();
  Post p = PostOf(*row);
  SOLIDUM_ASSIGN_OR_RETURN(auto ms, conn.Query("SELECT user_id FROM community_mentions WHERE post_id = ? ORDER BY user_id", {id}));
  for (const auto& m : ms) p.mentions.push_back(m.Int(0));
  return std::optional<Post>(std::move(p));
}

Result<Post> PostIn(Conn& conn, std::int64_t community, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto p, LoadPost(conn, community, id));
  if (!p) return Error::NotFound("No post " + std::to_string(id) + " in this group.");
  return std::move(*p);
}

Result<Thread> ThreadIn(Conn& conn, std::int64_t community, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(Sql({"SELECT ", kThreadColumns, kThreadFrom, "WHERE t.id = ? AND t.community_id = ?"}),
                                                   {id, community}));
  if (!row) return Error::NotFound("No thread " + std::to_string(id) + " in this group.");
  return ThreadOf(*row);
}

// What a reader who is not a moderator sees of a hidden post: that it was hidden (and,
// for its author, why).
void Redact(Post& p, const Viewer& viewer) {
  if (!p.hidden_at || viewer.moderator) return;
  p.body.clear();
  p.mentions.clear();
  if (!viewer.user || *viewer.user != p.author_id) p.hidden_reason.reset();
}

Result<ThreadView> LoadThreadView(Conn& conn, std::int64_t community, std::int64_t thread, const Viewer& viewer) {
  SOLIDUM_ASSIGN_OR_RETURN(auto t, ThreadIn(conn, community, thread));
  ThreadView v{std::move(t), {}};
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(Sql({"SELECT ", kPostColumns, kPostFrom, "WHERE p.thread_id = ? ORDER BY p.id LIMIT ?"}),
                                                 {thread, static_cast<std::int64_t>(kThreadPostsMax)}));
  SOLIDUM_ASSIGN_OR_RETURN(auto ms, conn.Query("SELECT m.post_id, m.user_id FROM community_mentions m JOIN community_posts p ON p.id = m.post_id "
                                               "WHERE p.thread_id = ? ORDER BY m.post_id, m.user_id",
                                               {thread}));
  std::map<std::int64_t, std::vector<std::int64_t>> mentions;
  for (const auto& m : ms) mentions[m.Int(0)].push_back(m.Int(1));
  for (const auto& row : rows) {
    Post p = PostOf(row);
    if (auto it = mentions.find(p.id); it != mentions.end()) p.mentions = it->second;
    Redact(p, viewer);
    v.posts.push_back(std::move(p));
  }
  return v;
}

// --- Emails --------------------------------------------------------------------------

enum Lang { kEn, kFr, kEs, kPt };
Lang LangOf(std::string_view l) { return l == "fr" ? kFr : l == "es" ? kEs : l == "pt" ? kPt : kEn; }
using Phrases = std::array<const char*, 4>;

const Phrases kMentionSubject = {"@{author} mentioned you in {group}", "@{author} vous a mentionné dans {group}",
                                 "@{author} le mencionó en {group}", "@{author} mencionou-o em {group}"};
const Phrases kMentionBody = {
    "@{author} mentioned you in \"{thread}\" ({group}):\n\n{excerpt}\n\nRead and answer: {link}\n",
    "@{author} vous a mentionné dans « {thread} » ({group}) :\n\n{excerpt}\n\nLire et répondre : {link}\n",
    "@{author} le mencionó en «{thread}» ({group}):\n\n{excerpt}\n\nLeer y responder: {link}\n",
    "@{author} mencionou-o em «{thread}» ({group}):\n\n{excerpt}\n\nLer e responder: {link}\n"};
const Phrases kDigestSubject = {"Your communities: {n} new posts", "Vos communautés : {n} nouveaux messages",
                                "Sus comunidades: {n} mensajes nuevos", "As suas comunidades: {n} novas mensagens"};
const Phrases kDigestIntro = {"Hello {handle},\n\nWhat was written in your groups {period}:\n",
                              "Bonjour {handle},\n\nCe qui s'est écrit dans vos groupes {period} :\n",
                              "Hola {handle}:\n\nLo que se escribió en sus grupos {period}:\n",
                              "Olá {handle},\n\nO que se escreveu nos seus grupos {period}:\n"};
const Phrases kDaily = {"yesterday ({date})", "hier ({date})", "ayer ({date})", "ontem ({date})"};
const Phrases kWeekly = {"in the week of {date}", "la semaine du {date}", "la semana del {date}", "na semana de {date}"};
const Phrases kMore = {"... and {n} more posts.", "... et {n} autres messages.", "... y {n} mensajes más.", "... e mais {n} mensagens."};
const Phrases kDigestFooter = {"You get this digest {how}. To change it or stop it: {link}\n",
                               "Vous recevez ce résumé {how}. Pour le changer ou l'arrêter : {link}\n",
                               "Recibe este resumen {how}. Para cambiarlo o detenerlo: {link}\n",
                               "Recebe este resumo {how}. Para o alterar ou parar: {link}\n"};
const Phrases kHowDaily = {"every day", "chaque jour", "cada día", "todos os dias"};
const Phrases kHowWeekly = {"every week", "chaque semaine", "cada semana", "todas as semanas"};
constexpr std::size_t kDigestPostsMax = 100;


}  // namespace

void Communities::set_public_url(std::string url) {
  std::lock_guard lock(url_mutex_);
  public_url_ = std::move(url);
}

std::string Communities::Link(const std::string& path) const {
  std::lock_guard lock(url_mutex_);
  return public_url_ + path;
}

// --- Groups ----------------------------------------------------------------------------

Result<Community> Communities::Create(std::int64_t organisation, const CommunityChanges& changes, std::int64_t user) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  Community g;
  Apply(changes, g);
  return store::InTransaction<Community>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Community> {
    SOLIDUM_ASSIGN_OR_RETURN(auto org, conn.QueryOne("SELECT id FROM organisations WHERE id = ?", {organisation}));
    if (!org) return Error::NotFound("No organisation " + std::to_string(organisation) + ".");
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO communities (organisation_id, name, description, languages, open, archived, version, "
                                                     "created_at, created_by, updated_at, last_post_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
                                                     "RETURNING id",
                                                     {organisation, g.name, g.description, boost::json::serialize(boost::json::value_from(g.languages)),
                                                      std::int64_t{g.open}, std::int64_t{g.archived}, now, user, now, now}));
    return AnyCommunity(conn, row->Int(0));
  });
}

Result<Community> Communities::Change(std::int64_t organisation, std::int64_t id, std::int64_t version, const CommunityChanges& changes) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Community>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Community> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, OwnCommunity(conn, organisation, id));
    if (g.version != version) return VersionMismatch();
    Apply(changes, g);
    SOLIDUM_TRY(conn.Exec("UPDATE communities SET name = ?, description = ?, languages = ?, open = ?, archived = ?, version = version + 1, "
                          "updated_at = ? WHERE id = ?",
                          {g.name, g.description, boost::json::serialize(boost::json::value_from(g.languages)), std::int64_t{g.open},
                           std::int64_t{g.archived}, now, id}));
    return AnyCommunity(conn, id);
  });
}

Result<std::vector<Community>> Communities::OfOrganisation(std::int64_t organisation) {
  return store::InTransaction<std::vector<Community>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Community>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(Sql({"SELECT ", kCommunityColumns, kCommunityFrom, "WHERE c.organisation_id = ? ORDER BY c.name, c.id"}),
                                                   {organisation}));
    std::vector<Community> out;
    for (const auto& r : rows) out.push_back(CommunityOf(r));
    return out;
  });
}

Result<std::vector<Community>> Communities::List(int limit, int offset) {
  return store::InTransaction<std::vector<Community>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Community>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(Sql({"SELECT ", kCommunityColumns, kCommunityFrom,
                                                        "WHERE c.archived = 0 ORDER BY c.last_post_at DESC, c.id DESC LIMIT ? OFFSET ?"}),
                                                   {std::int64_t{std::clamp(limit, 1, kPageMax)}, std::int64_t{std::max(offset, 0)}}));
    std::vector<Community> out;
    for (const auto& r : rows) out.push_back(CommunityOf(r));
    return out;
  });
}

Result<CommunityView> Communities::Get(std::int64_t id, const Viewer& viewer) {
  return store::InTransaction<CommunityView>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<CommunityView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, AnyCommunity(conn, id));
    CommunityView v{std::move(g), std::nullopt};
    if (viewer.user) {
      SOLIDUM_ASSIGN_OR_RETURN(v.me, RowOf(conn, id, *viewer.user, true));
    }
    return v;
  });
}

Result<std::int64_t> Communities::OrganisationOf(std::int64_t id) {
  return store::InTransaction<std::int64_t>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::int64_t> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT organisation_id FROM communities WHERE id = ?", {id}));
    if (!row) return Error::NotFound("No group " + std::to_string(id) + ".");
    return row->Int(0);
  });
}

// --- Members ---------------------------------------------------------------------------

Result<Member> Communities::Join(std::int64_t id, std::int64_t user, const std::string& handle, const std::string& language) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Member>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, AnyCommunity(conn, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto row, RowOf(conn, id, user, false));
    if (row && row->blocked_at) return Make(ErrorKind::kForbidden, "blocked", "A moderator has blocked you in this group.");
    if (row && !row->left) return Make(ErrorKind::kConflict, "already_member", "You are already a member of this group.");
    if (!g.open) return Make(ErrorKind::kForbidden, "closed_group", "This group is closed: its moderators add its members.");
    if (g.archived) return Make(ErrorKind::kConflict, "archived", "This group is archived.");
    SOLIDUM_TRY(CheckHandleFree(conn, id, user, handle));
    SOLIDUM_TRY(PutMember(conn, id, user, row, handle, std::nullopt, now));
    SOLIDUM_TRY(EnsureReader(conn, user, language, now));
    SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, id, user, true));
    return std::move(*me);
  });
}

Result<Member> Communities::Add(std::int64_t organisation, std::int64_t id, const std::string& email, const std::string& handle, std::int64_t by) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Member>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_TRY(OwnCommunity(conn, organisation, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto u, conn.QueryOne("SELECT id FROM users WHERE email = ? AND disabled_at IS NULL", {email}));
    if (!u) return Error::Invalid("/email", "unknown_user", "Nobody has an account with this email: they sign up first.");
    const std::int64_t user = u->Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(auto row, RowOf(conn, id, user, false));
    if (row && row->blocked_at) return Make(ErrorKind::kConflict, "blocked", "They are blocked in this group: unblock them instead.");
    if (row && !row->left) return Make(ErrorKind::kConflict, "already_member", "They are already a member of this group.");
    SOLIDUM_TRY(CheckHandleFree(conn, id, user, handle));
    SOLIDUM_TRY(PutMember(conn, id, user, row, handle, by, now));
    SOLIDUM_TRY(EnsureReader(conn, user, "en", now));
    SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, id, user, true));
    return std::move(*me);
  });
}

Result<Member> Communities::ChangeHandle(std::int64_t id, std::int64_t user, const std::string& handle) {
  return store::InTransaction<Member>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, id, user, true));
    if (!me) return Error::NotFound("You are not a member of this group.");
    SOLIDUM_TRY(CheckHandleFree(conn, id, user, handle));
    SOLIDUM_TRY(conn.Exec("UPDATE community_members SET handle = ?, handle_key = ? WHERE community_id = ? AND user_id = ?",
                          {handle, HandleKey(handle), id, user}));
    SOLIDUM_ASSIGN_OR_RETURN(auto after, RowOf(conn, id, user, true));
    return std::move(*after);
  });
}

Result<void> Communities::Leave(std::int64_t id, std::int64_t user) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<void>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, id, user, true));
    if (!me) return Error::NotFound("You are not a member of this group.");
    if (me->blocked_at) return Make(ErrorKind::kForbidden, "blocked", "A moderator has blocked you in this group: ask them to lift it.");
    SOLIDUM_TRY(conn.Exec("UPDATE community_members SET left_at = ? WHERE community_id = ? AND user_id = ?", {now, id, user}));
    return Ok();
  });
}

Result<std::vector<Member>> Communities::Members(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<std::vector<Member>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Member>> {
    SOLIDUM_TRY(OwnCommunity(conn, organisation, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(Sql({"SELECT ", kMemberColumns, kMemberFrom,
                                                        "WHERE m.community_id = ? AND m.left_at IS NULL ORDER BY m.handle_key"}),
                                                   {id}));
    std::vector<Member> out;
    for (const auto& r : rows) out.push_back(MemberOf(r));
    return out;
  });
}

Result<Member> Communities::Block(std::int64_t organisation, std::int64_t id, std::int64_t user, std::int64_t by, const std::string& reason) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Member>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_TRY(OwnCommunity(conn, organisation, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, id, user, true));
    if (!me) return Error::NotFound("No member " + std::to_string(user) + " in this group.");
    if (me->moderator) return Make(ErrorKind::kConflict, "moderator", "A moderator cannot be blocked: take their role in the organisation first.");
    if (!me->blocked_at) {
      SOLIDUM_TRY(conn.Exec("UPDATE community_members SET blocked_at = ?, blocked_by = ?, block_reason = ? WHERE community_id = ? AND user_id = ?",
                            {now, by, reason, id, user}));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto after, RowOf(conn, id, user, true));
    return std::move(*after);
  });
}

Result<Member> Communities::Unblock(std::int64_t organisation, std::int64_t id, std::int64_t user) {
  return store::InTransaction<Member>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_TRY(OwnCommunity(conn, organisation, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto me, RowOf(conn, id, user, true));
    if (!me) return Error::NotFound("No member " + std::to_string(user) + " in this group.");
    SOLIDUM_TRY(conn.Exec("UPDATE community_members SET blocked_at = NULL, blocked_by = NULL, block_reason = NULL WHERE community_id = ? AND user_id = ?",
                          {id, user}));
    SOLIDUM_ASSIGN_OR_RETURN(auto after, RowOf(conn, id, user, true));
    return std::move(*after);
  });
}

// --- Threads and posts -----------------------------------------------------------------

namespace {

// Resolves the post's mentions among the group's members, records the new ones and emails
// each person newly mentioned (not the author, not a blocked member).
Result<void> Mention(Conn& conn, const Community& g, const Thread& t, std::int64_t post, const Member& author, const std::string& body,
                     const std::string& link, const std::string& now) {
  std::vector<mail::Outgoing> letters;
  for (const auto& handle : Mentions(body)) {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT m.user_id, u.email, m.handle FROM community_members m JOIN users u ON u.id = m.user_id "
                                                     "WHERE m.community_id = ? AND m.handle_key = ? AND m.left_at IS NULL AND m.blocked_at IS NULL",
                                                     {g.id, HandleKey(handle)}));
    if (!row || row->Int(0) == author.user_id) continue;
    SOLIDUM_ASSIGN_OR_RETURN(auto added, conn.Exec("INSERT INTO community_mentions (post_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                                   {post, row->Int(0)}));
    if (added == 0) continue;
    SOLIDUM_ASSIGN_OR_RETURN(auto settings, SettingsRow(conn, row->Int(0)));
    const std::string& language = settings.language;
    const Lang l = LangOf(language);
    const std::map<std::string, std::string> values{
        {"author", author.handle}, {"group", g.name}, {"thread", t.title}, {"excerpt", Excerpt(body, 1000)}, {"link", link}};
    letters.push_back(mail::Outgoing{mail::Message{row->Text(1), row->Text(2), mail::FillTemplate(kMentionSubject[l], values),
                                                   mail::FillTemplate(kMentionBody[l], values)},
                                     language, "community_mention", "community:" + std::to_string(g.id), std::nullopt});
  }
  if (!letters.empty()) SOLIDUM_TRY(mail::Enqueue(conn, letters, now));
  return Ok();
}

std::string ThreadPath(std::int64_t community, std::int64_t thread) {
  return "/communities/" + std::to_string(community) + "/threads/" + std::to_string(thread);
}

}  // namespace

Result<ThreadPage> Communities::Threads(std::int64_t id, const Viewer& viewer, int limit, int offset) {
  return store::InTransaction<ThreadPage>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<ThreadPage> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, AnyCommunity(conn, id));
    SOLIDUM_TRY(CanRead(conn, g, viewer));
    ThreadPage page;
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(Sql({"SELECT ", kThreadColumns, kThreadFrom,
                                                        "WHERE t.community_id = ? ORDER BY t.last_post_at DESC, t.id DESC LIMIT ? OFFSET ?"}),
                                                   {id, std::int64_t{std::clamp(limit, 1, kPageMax)}, std::int64_t{std::max(offset, 0)}}));
    for (const auto& r : rows) page.items.push_back(ThreadOf(r));
    page.total = g.threads;
    return page;
  });
}

Result<ThreadView> Communities::StartThread(std::int64_t id, std::int64_t user, const PostInput& input) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<ThreadView>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<ThreadView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, AnyCommunity(conn, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto me, CanPost(conn, g, user));
    SOLIDUM_ASSIGN_OR_RETURN(auto t, conn.QueryOne("INSERT INTO community_threads (community_id, title, language, author_id, created_at, last_post_at) "
                                                   "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                                   {id, input.title.value, input.language.value, user, now, now}));
    const std::int64_t thread = t->Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(auto p, conn.QueryOne("INSERT INTO community_posts (thread_id, community_id, parent_id, depth, author_id, language, body, "
                                                   "created_at) VALUES (?, ?, NULL, 0, ?, ?, ?, ?) RETURNING id",
                                                   {thread, id, user, input.language.value, input.body.value, now}));
    SOLIDUM_TRY(conn.Exec("UPDATE communities SET last_post_at = ? WHERE id = ?", {now, id}));
    SOLIDUM_ASSIGN_OR_RETURN(auto th, ThreadIn(conn, id, thread));
    SOLIDUM_TRY(Mention(conn, g, th, p->Int(0), me, input.body.value, Link(ThreadPath(id, thread)), now));
    return LoadThreadView(conn, id, thread, Viewer{user, false});
  });
}

Result<ThreadView> Communities::GetThread(std::int64_t id, std::int64_t thread, const Viewer& viewer) {
  return store::InTransaction<ThreadView>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<ThreadView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, AnyCommunity(conn, id));
    SOLIDUM_TRY(CanRead(conn, g, viewer));
    return LoadThreadView(conn, id, thread, viewer);
  });
}

Result<Post> Communities::Reply(std::int64_t id, std::int64_t thread, std::int64_t user, const PostInput& input) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Post>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Post> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, AnyCommunity(conn, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto t, ThreadIn(conn, id, thread));
    SOLIDUM_ASSIGN_OR_RETURN(auto me, CanPost(conn, g, user));
    std::optional<std::int64_t> parent;
    std::int64_t depth = 1;
    if (input.parent.has_value()) {
      SOLIDUM_ASSIGN_OR_RETURN(auto p, LoadPost(conn, id, input.parent.value));
      if (!p || p->thread_id != thread) return Error::Invalid("/parent", "unknown_post", "Not a post of this thread.");
      parent = p->id;
      depth = std::min<std::int64_t>(p->depth + 1, kDepthMax);
    } else {
      SOLIDUM_ASSIGN_OR_RETURN(auto first, conn.QueryOne("SELECT MIN(id) FROM community_posts WHERE thread_id = ?", {thread}));
      parent = first->OptInt(0);
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO community_posts (thread_id, community_id, parent_id, depth, author_id, language, body, "
                                                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {thread, id, store::Opt(parent), depth, user, input.language.value, input.body.value, now}));
    SOLIDUM_TRY(conn.Exec("UPDATE community_threads SET last_post_at = ? WHERE id = ?", {now, thread}));
    SOLIDUM_TRY(conn.Exec("UPDATE communities SET last_post_at = ? WHERE id = ?", {now, id}));
    const std::int64_t post = row->Int(0);
    SOLIDUM_TRY(Mention(conn, g, t, post, me, input.body.value, Link(ThreadPath(id, thread) + "#post-" + std::to_string(post)), now));
    return PostIn(conn, id, post);
  });
}

Result<Post> Communities::Edit(std::int64_t id, std::int64_t post, std::int64_t user, const PostInput& input) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Post>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Post> {
    SOLIDUM_ASSIGN_OR_RETURN(auto g, AnyCommunity(conn, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto p, PostIn(conn, id, post));
    if (p.author_id != user) return Make(ErrorKind::kForbidden, "not_author", "Only its author edits a post.");
    if (p.hidden_at) return Make(ErrorKind::kConflict, "hidden", "A moderator hid this post: it cannot be edited.");
    SOLIDUM_ASSIGN_OR_RETURN(auto me, CanPost(conn, g, user));
    if (input.body.has_value()) p.body = input.body.value;
    if (input.language.has_value()) p.language = input.language.value;
    SOLIDUM_TRY(conn.Exec("UPDATE community_posts SET body = ?, language = ?, edited_at = ? WHERE id = ?", {p.body, p.language, now, post}));
    SOLIDUM_ASSIGN_OR_RETURN(auto t, ThreadIn(conn, id, p.thread_id));
    SOLIDUM_TRY(Mention(conn, g, t, post, me, p.body, Link(ThreadPath(id, p.thread_id) + "#post-" + std::to_string(post)), now));
    return PostIn(conn, id, post);
  });
}

Result<Post> Communities::Hide(std::int64_t organisation, std::int64_t id, std::int64_t post, std::int64_t by, const std::string& reason) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Post>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Post> {
    SOLIDUM_TRY(OwnCommunity(conn, organisation, id));
    SOLIDUM_ASSIGN_OR_RETURN(auto p, PostIn(conn, id, post));
    if (!p.hidden_at) {
      SOLIDUM_TRY(conn.Exec("UPDATE community_posts SET hidden_at = ?, hidden_by = ?, hidden_reason = ? WHERE id = ?", {now, by, reason, post}));
    }
    return PostIn(conn, id, post);
  });
}

Result<Post> Communities::Unhide(std::int64_t organisation, std::int64_t id, std::int64_t post) {
  return store::InTransaction<Post>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Post> {
    SOLIDUM_TRY(OwnCommunity(conn, organisation, id));
    SOLIDUM_TRY(PostIn(conn, id, post));
    SOLIDUM_TRY(conn.Exec("UPDATE community_posts SET hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL WHERE id = ?", {post}));
    return PostIn(conn, id, post);
  });
}

// --- A member's choices and groups -----------------------------------------------------

Result<Settings> Communities::SettingsOf(std::int64_t user) {
  return store::InTransaction<Settings>(store_, store::TxKind::kRead, [&](Conn& conn) { return SettingsRow(conn, user); });
}

Result<Settings> Communities::ChangeSettings(std::int64_t user, const SettingsInput& input) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Settings>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Settings> {
    SOLIDUM_ASSIGN_OR_RETURN(auto s, SettingsRow(conn, user));
    Apply(input, s);
    SOLIDUM_TRY(conn.Exec("INSERT INTO community_readers (user_id, digest, language, updated_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (user_id) DO UPDATE SET digest = excluded.digest, language = excluded.language, updated_at = excluded.updated_at",
                          {user, std::string(DigestName(s.digest)), s.language, now}));
    return s;
  });
}

Result<std::vector<CommunityView>> Communities::OfUser(std::int64_t user) {
  return store::InTransaction<std::vector<CommunityView>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<CommunityView>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(Sql({"SELECT ", kCommunityColumns, kCommunityFrom,
                                                        "JOIN community_members mm ON mm.community_id = c.id AND mm.user_id = ? AND mm.left_at IS NULL "
                                                        "ORDER BY c.last_post_at DESC, c.id DESC"}),
                                                   {user}));
    std::vector<CommunityView> out;
    for (const auto& r : rows) {
      CommunityView v{CommunityOf(r), std::nullopt};
      SOLIDUM_ASSIGN_OR_RETURN(v.me, RowOf(conn, v.community.id, user, true));
      out.push_back(std::move(v));
    }
    return out;
  });
}

// --- Digests ---------------------------------------------------------------------------

Result<std::int64_t> Communities::WriteDigests() {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  struct Reader {
    std::int64_t user;
    Digest digest;
    std::string language, email;
  };
  // Only the readers whose last period has no row yet: a write transaction each for those,
  // none for the rest (the thread asks every few minutes).
  const Period day = LastPeriod(Digest::kDaily, now), week = LastPeriod(Digest::kWeekly, now);
  SOLIDUM_ASSIGN_OR_RETURN(auto readers, store::InTransaction<std::vector<Reader>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Reader>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT r.user_id, r.digest, r.language, u.email FROM community_readers r JOIN users u ON u.id = r.user_id "
                                                   "WHERE r.digest <> 'none' AND u.disabled_at IS NULL AND EXISTS (SELECT 1 FROM community_members m "
                                                   "WHERE m.user_id = r.user_id AND m.left_at IS NULL) AND NOT EXISTS (SELECT 1 FROM community_digests d "
                                                   "WHERE d.user_id = r.user_id AND d.period = CASE r.digest WHEN 'daily' THEN ? ELSE ? END) "
                                                   "ORDER BY r.user_id",
                                                   {day.key, week.key}));
    std::vector<Reader> out;
    for (const auto& r : rows) out.push_back({r.Int(0), ParseDigest(r.Text(1)).value_or(Digest::kWeekly), r.Text(2), r.Text(3)});
    return out;
  }));
  std::int64_t queued = 0;
  const std::string settings_link = Link("/communities?settings=1");
  for (const auto& reader : readers) {
    const Period& period = reader.digest == Digest::kDaily ? day : week;
    SOLIDUM_ASSIGN_OR_RETURN(auto sent, store::InTransaction<bool>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
      SOLIDUM_ASSIGN_OR_RETURN(auto posts, conn.Query(
          "SELECT p.id, p.thread_id, t.title, c.id, c.name, am.handle, p.body FROM community_posts p "
          "JOIN community_threads t ON t.id = p.thread_id JOIN communities c ON c.id = p.community_id "
          "JOIN community_members m ON m.community_id = p.community_id AND m.user_id = ? AND m.left_at IS NULL "
          "LEFT JOIN community_members am ON am.community_id = p.community_id AND am.user_id = p.author_id "
          "WHERE p.created_at >= ? AND p.created_at < ? AND p.hidden_at IS NULL AND p.author_id <> ? "
          "ORDER BY c.name, c.id, p.thread_id, p.id",
          {reader.user, period.start, period.end, reader.user}));
      // Another server may have written this period meanwhile: then its row stands.
      SOLIDUM_ASSIGN_OR_RETURN(auto mine, conn.Exec("INSERT INTO community_digests (user_id, period, posts, created_at) VALUES (?, ?, ?, ?) "
                                                    "ON CONFLICT DO NOTHING",
                                                    {reader.user, period.key, static_cast<std::int64_t>(posts.size()), now}));
      if (mine == 0 || posts.empty()) return false;
      const Lang l = LangOf(reader.language);
      SOLIDUM_ASSIGN_OR_RETURN(auto handle, conn.QueryOne("SELECT handle FROM community_members WHERE user_id = ? AND left_at IS NULL ORDER BY joined_at LIMIT 1",
                                                          {reader.user}));
      const std::map<std::string, std::string> head{
          {"handle", handle ? handle->Text(0) : ""},
          {"period", mail::FillTemplate(reader.digest == Digest::kDaily ? kDaily[l] : kWeekly[l], {{"date", period.start.substr(0, 10)}})}};
      std::string body = mail::FillTemplate(kDigestIntro[l], head);
      std::int64_t group = 0, thread = 0;
      for (std::size_t i = 0; i < posts.size() && i < kDigestPostsMax; ++i) {
        const auto& p = posts[i];
        if (p.Int(3) != group) {
          group = p.Int(3);
          body += "\n== " + p.Text(4) + " ==\n";
        }
        if (p.Int(1) != thread) {
          thread = p.Int(1);
          body += "\n" + p.Text(2) + "\n" + Link(ThreadPath(group, thread)) + "\n";
        }
        body += "  @" + p.OptText(5).value_or("") + ": " + Excerpt(p.Text(6)) + "\n";
      }
      if (posts.size() > kDigestPostsMax) {
        body += "\n" + mail::FillTemplate(kMore[l], {{"n", std::to_string(posts.size() - kDigestPostsMax)}}) + "\n";
      }
      body += "\n" + mail::FillTemplate(kDigestFooter[l], {{"how", reader.digest == Digest::kDaily ? kHowDaily[l] : kHowWeekly[l]},
                                                              {"link", settings_link}});
      const std::vector<mail::Outgoing> letter{mail::Outgoing{
          mail::Message{reader.email, head.at("handle"), mail::FillTemplate(kDigestSubject[l], {{"n", std::to_string(posts.size())}}), body},
          reader.language, "community_digest", "communities:" + period.key, std::nullopt}};
      SOLIDUM_ASSIGN_OR_RETURN(auto n, mail::Enqueue(conn, letter, now));
      return n > 0;
    }));
    if (sent) ++queued;
  }
  return queued;
}

void Communities::Start(int poll_ms) {
  std::lock_guard lock(thread_mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, poll_ms] {
    std::unique_lock lock(thread_mutex_);
    while (!stopping_) {
      lock.unlock();
      if (auto r = WriteDigests(); !r.ok()) {
        spdlog::warn("communities: digests: {}", r.error().message);
      } else if (*r > 0) {
        spdlog::info("communities: {} digest(s) queued", *r);
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(poll_ms), [this] { return stopping_; });
    }
  });
}

void Communities::Stop() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace solidum::communities
