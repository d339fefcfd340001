// Communities of practice (issue 8): groups that former participants of an academy, the
// members of a network's working group or the people of one trade keep across languages.
// A group belongs to an organisation of the register, whose editors and admins moderate
// it. This file is pure: what a group, a member, a thread and a post hold, how a request's
// JSON is read (every bad field named at once), how mentions are found in a post, and
// which period a digest covers. The store's part is communities.h.
//
// Multilingual by design: a group lists the languages it works in, every thread and post
// carries its own language (any ISO 639-1 code: a Wolof post in a French group is fine),
// and each member gets emails in the language they chose.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_fields.h"
#include "common/result.h"

namespace solidum::communities {

inline constexpr std::size_t kNameCharsMax = 200;
inline constexpr std::size_t kDescriptionCharsMax = 20'000;  // Markdown
inline constexpr std::size_t kTitleCharsMax = 300;
inline constexpr std::size_t kBodyCharsMax = 50'000;         // Markdown
inline constexpr std::size_t kReasonCharsMax = 1'000;
inline constexpr std::size_t kLanguagesMax = 10;
inline constexpr std::size_t kHandleCharsMin = 2;
inline constexpr std::size_t kHandleCharsMax = 30;
inline constexpr std::size_t kMentionsMax = 20;   // per post: more is a mass mailing, not a mention
inline constexpr std::size_t kDepthMax = 8;       // replies to replies: deeper ones attach to the 8th level
inline constexpr std::size_t kExcerptChars = 280; // of a post, in a digest

enum class Digest : std::uint8_t { kNone, kDaily, kWeekly };
std::string_view DigestName(Digest d);  // "none", "daily", "weekly"
std::optional<Digest> ParseDigest(std::string_view name);

struct Community {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string organisation_name;
  std::string name, description;      // description: Markdown
  std::vector<std::string> languages; // ISO 639-1, the group's working languages
  bool open = true;                   // open: anyone reads and joins; closed: members only, added by a moderator
  bool archived = false;              // read-only: nobody posts
  std::int64_t version = 0;
  std::int64_t members = 0, threads = 0;  // derived: active members, threads
  std::string created_at, updated_at, last_post_at;
};

struct CommunityChanges {
  json_fields::Field<std::string> name, description;
  json_fields::Field<std::vector<std::string>> languages;
  json_fields::Field<bool> open, archived;
};
// POST (creating: name required) and PATCH bodies.
Result<CommunityChanges> ReadCommunity(const boost::json::value& body, bool creating);
void Apply(const CommunityChanges& c, Community& g);

struct Member {
  std::int64_t community_id = 0;
  std::int64_t user_id = 0;
  std::string handle;   // how the group sees and mentions them: @ana_sousa
  std::string email;    // for moderators and the mail only
  bool moderator = false;  // derived: an editor or admin of the group's organisation
  std::optional<std::string> blocked_at, block_reason;
  std::string joined_at;
  std::int64_t posts = 0;
  bool left = false;  // a former member: the row keeps their handle for their posts
};

// Letters, digits, "_", "." and "-", 2 to 30 characters, starting with a letter or digit;
// compared without case. Letters are any Unicode letters written in UTF-8 (a handle may
// be "joão" or "Алия"), so mentions work in every language.
bool IsHandle(std::string_view handle);
// The form handles are compared under, for uniqueness in a group and for mentions:
// text::Fold (case and Latin accents folded, "_", "." and "-" alike), so "@Joao" finds
// "joão" and nobody takes "ana.sousa" beside "ana_sousa".
std::string HandleKey(std::string_view handle);

struct JoinInput {
  json_fields::Field<std::string> handle;
  json_fields::Field<std::string> language;  // of their emails (en, fr, es, pt), when joining a first group
};
Result<JoinInput> ReadJoin(const boost::json::value& body, bool creating);

// A member's choices across all their groups.
struct Settings {
  Digest digest = Digest::kWeekly;
  std::string language = "en";  // of their emails: en, fr, es or pt
};
struct SettingsInput {
  json_fields::Field<std::string> digest, language;
};
Result<SettingsInput> ReadSettings(const boost::json::value& body);
void Apply(const SettingsInput& in, Settings& s);

struct Thread {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::string title, language;
  std::int64_t author_id = 0;
  std::string author_handle;
  std::int64_t posts = 0;  // visible ones
  std::string created_at, last_post_at;
};

struct Post {
  std::int64_t id = 0;
  std::int64_t thread_id = 0;
  std::optional<std::int64_t> parent_id;  // the post it answers
  std::int64_t depth = 0;                 // 0: the thread's first post
  std::int64_t author_id = 0;
  std::string author_handle;
  std::string language;
  std::string body;  // Markdown; empty in what a reader gets when hidden
  std::vector<std::int64_t> mentions;  // user ids, resolved when posted
  std::string created_at;
  std::optional<std::string> edited_at;
  std::optional<std::string> hidden_at, hidden_reason;
};

// A new thread (title, language, body) or a reply (language, body, parent).
struct PostInput {
  json_fields::Field<std::string> title, language, body;
  json_fields::Field<std::int64_t> parent;
};
Result<PostInput> ReadThread(const boost::json::value& body);
Result<PostInput> ReadReply(const boost::json::value& body);
Result<PostInput> ReadEdit(const boost::json::value& body);

// A moderator's reason for hiding a post or blocking a member (required: it is shown to
// the other moderators and to the person concerned).
Result<std::string> ReadReason(const boost::json::value& body);

// The handles mentioned in a Markdown post ("@ana_sousa"), first occurrence order,
// without duplicates (compared by HandleKey), at most kMentionsMax (extra ones are ignored).
// An @ inside a word (an email address) or inside code (`...` or an indented/fenced block)
// is not a mention.
std::vector<std::string> Mentions(std::string_view markdown);

// Plain text of a Markdown post for an email: markup removed, whitespace folded, cut at
// `max_chars` characters (not bytes) with "…".
std::string Excerpt(std::string_view markdown, std::size_t max_chars = kExcerptChars);

// The period a digest covers, in UTC: the last whole day, or the last whole ISO week
// (Monday to Monday), that ended at or before `now` (an RFC 3339 UTC timestamp).
struct Period {
  std::string key;    // "daily:2027-01-14", "weekly:2027-W02"
  std::string start;  // "2027-01-14T00:00:00.000Z" inclusive (FormatTimestamp's form)
  std::string end;    // exclusive
};
Period LastPeriod(Digest d, std::string_view now);

}  // namespace solidum::communities
