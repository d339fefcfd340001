// An organisation's member register: member classes (colleges) defined by the
// organisation, and its members — people, with or without a user account, and member
// organisations — with their number, class, join and leave dates, status, and the history
// of every change.
//
// One member, one vote: nothing here weighs a member by anything but their class, and a
// class's weight (college_weight_percent) only matters where the statutes weight colleges.
// A member leaves by a date (left_on, the first day they are no longer a member; it may be
// ahead, for notice periods); "left" is never a stored state, so the register is right on
// any day. Status says whether a current member's rights are suspended.
//
// Thread-safe; every call is one transaction. Errors name the JSON field (or, for
// imports, the line and column).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "common/clock.h"
#include "common/json_fields.h"
#include "common/result.h"
#include "common/ttl_cache.h"
#include "store/store.h"

namespace solidum::governance {

inline constexpr std::size_t kMemberClassesMax = 50;          // per organisation
inline constexpr std::size_t kMemberImportRowsMax = 200'000;  // per file
inline constexpr std::size_t kMemberNoteCharsMax = 2000;

struct MemberClass {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string code, name;
  std::optional<std::int64_t> college_weight_percent;
  std::string note;
  std::int64_t version = 1;
  std::string created_at, updated_at;
  std::int64_t current_members = 0;
};

struct MemberClassInput {
  json_fields::Field<std::string> code, name, note;
  json_fields::Field<std::int64_t> college_weight_percent;
};
Result<MemberClassInput> ParseMemberClass(const boost::json::value& body, bool create);

struct Member {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::optional<std::string> number;
  std::string kind;  // person, organisation
  std::string name;
  std::optional<std::string> email, phone;
  std::string language;  // en, fr, es, pt: for notices and ballots
  std::optional<std::int64_t> user_id, member_organisation_id, class_id;
  std::optional<std::string> class_code;
  std::string status;  // active, suspended (as stored)
  std::string joined_on;
  std::optional<std::string> left_on;
  std::string note;
  std::int64_t version = 1;
  std::string created_at, updated_at;

  // Member on `date` (YYYY-MM-DD): joined by then and not yet left.
  bool IsMemberOn(const std::string& date) const { return joined_on <= date && (!left_on || *left_on > date); }
};

// What a client sends. `user_email` links the member to the user account with that email;
// `class` is a member class's code.
struct MemberInput {
  json_fields::Field<std::string> number, kind, name, email, phone, language, user_email, class_code, status,
      joined_on, left_on, note;
  json_fields::Field<std::int64_t> member_organisation_id;
};
Result<MemberInput> ParseMember(const boost::json::value& body, bool create);

enum class MemberFilter { kCurrent, kLeft, kAll };

struct MemberQuery {
  MemberFilter filter = MemberFilter::kCurrent;
  std::optional<std::string> status;      // active, suspended
  std::optional<std::string> class_code;
  std::string text;                       // in name, email or number, case and accents folded
  int limit = 50;
  std::int64_t offset = 0;
};

struct MemberPage {
  std::vector<Member> items;
  std::int64_t total = 0;
};

struct MemberEvent {
  std::int64_t id = 0;
  std::string at;
  std::optional<std::int64_t> by_user;
  std::string kind;     // joined, changed, imported
  std::string changes;  // JSON object: {field: [before, after]}
};

struct MemberImportSummary {
  std::size_t read = 0, created = 0, updated = 0, unchanged = 0;
  // Every bad cell, by line and column; when there is one, nothing was written.
  std::vector<FieldError> errors;
};

// A membership as its member sees it (GET /me/memberships).
struct Membership {
  Member member;
  std::string organisation_name;
};

class Members {
 public:
  Members(store::Store& store, const Clock& clock);

  // Classes with their current member counts, by code. kNotFound for no organisation.
  Result<std::vector<MemberClass>> Classes(std::int64_t organisation);
  // Errors: kConflict "class_exists" (same code), "too_many_classes"; the college weights
  // of an organisation may not add up to more than 100 ("/college_weight_percent").
  Result<MemberClass> CreateClass(std::int64_t organisation, const MemberClassInput& input);
  Result<MemberClass> UpdateClass(std::int64_t organisation, std::int64_t id, std::int64_t expected_version,
                                  const MemberClassInput& input);

  // Errors: invalid fields (unknown "/class", "/user_email" or "/member_organisation_id",
  // dates out of order); kConflict "number_taken", "already_member" (that person or
  // organisation holds an open membership).
  Result<Member> Create(std::int64_t organisation, const MemberInput& input, std::optional<std::int64_t> by);
  Result<Member> Get(std::int64_t organisation, std::int64_t id);
  // kPreconditionFailed "version_mismatch" when stale. Records what changed in the history.
  Result<Member> Update(std::int64_t organisation, std::int64_t id, std::int64_t expected_version,
                        const MemberInput& input, std::optional<std::int64_t> by);
  Result<MemberPage> List(std::int64_t organisation, const MemberQuery& query);
  Result<std::vector<MemberEvent>> History(std::int64_t organisation, std::int64_t id);
  // The user's memberships, current and past, in every organisation.
  Result<std::vector<Membership>> OfUser(std::int64_t user_id);
  // The ids of the member records linked to the user, current and past, ascending (the
  // holders of their ledger accounts). Read on every transfer request, so remembered for
  // limits::kAccessCacheMicros; this server's Create, Update and Import show at once.
  Result<std::vector<std::int64_t>> IdsOfUser(std::int64_t user_id);

  // A CSV register (the columns ExportCsv writes; headers in English, French, Spanish or
  // Portuguese; `,` or `;`). Rows are matched to members by number; a row without a number
  // is a new member. All or nothing: any bad cell and nothing is written.
  Result<MemberImportSummary> Import(std::int64_t organisation, std::string_view csv, std::optional<std::int64_t> by);
  // number, name, kind, class, status, joined_on, left_on, email, phone, language, note.
  Result<std::string> ExportCsv(std::int64_t organisation);

  std::string Today() const;

 private:
  store::Store& store_;
  const Clock& clock_;
  TtlCache<std::int64_t, std::vector<std::int64_t>> ids_of_user_;
};

}  // namespace solidum::governance
