// Relationships between organisations, and networks' memberships.
//
// A network is an organisation with a network_scope (local, regional, national,
// international). Networks nest: a network can be a member of another, never of one of its
// own members (no cycles). A membership (kind member_of) has a role, a start and an end
// date (the first day it no longer holds); a member who leaves and comes back has two.
// Other kinds (supplier_of, partner_of, ...) are declared by the subject organisation;
// memberships are recorded by the network, the authority on who its members are.
//
// Thread-safe; every call is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "common/clock.h"
#include "common/json_fields.h"
#include "common/result.h"
#include "store/store.h"

namespace solidum::registry {

struct OrganisationRef {
  std::int64_t id = 0;
  std::string name;
};

struct Relationship {
  std::int64_t id = 0;
  OrganisationRef subject;
  std::string kind;  // relationship_types: member_of, supplier_of, ...
  OrganisationRef object;
  std::optional<std::string> role;  // membership_roles, memberships only
  std::optional<std::string> start_date, end_date;  // YYYY-MM-DD
  std::string note;
  std::int64_t version = 1;
  std::string created_at, updated_at;
  bool current = false;  // holds today
};

// What a client sends (create: subject and object come from the path and body).
struct RelationshipChanges {
  template <typename T>
  using F = json_fields::Field<T>;
  F<std::int64_t> other_id;  // the organisation (network members) or the object (relationships)
  F<std::string> kind, role, start_date, end_date, note;
};

enum class RelationshipSide {
  kMembership,  // POST /networks/{id}/members: organisation_id, role, dates, note
  kDeclared,    // POST /organisations/{id}/relationships: kind, object_id, dates, note
};

// Validates shapes (dates, lengths, which fields each side takes); `create` requires the
// other organisation (and the kind, for declared ones).
Result<RelationshipChanges> ParseRelationship(const boost::json::value& body, RelationshipSide side, bool create);

// A member of a network as its staff follow it up.
struct NetworkMember {
  Relationship membership;
  std::optional<std::string> country, locality, legal_form, network_scope;
  std::string updated_at;  // of the member's record
  // Fields of the member's record that are empty and that a network needs (place,
  // coordinates, legal form, activity, contact, headcounts, description), and whether its
  // headcounts are more than two years old.
  std::vector<std::string> missing;
  bool counts_stale = false;
};

enum class MemberStatus { kCurrent, kPast, kAll };
enum class MemberSort { kName, kLeastRecentlyUpdated };

struct MemberPage {
  std::vector<NetworkMember> items;
  std::int64_t total = 0;
};

inline constexpr std::size_t kRelationshipNoteCharsMax = 1000;

// A relationship read from an open-data file, between organisations named as imports name
// them: by (source, source_id).
struct RelationshipRow {
  std::size_t line = 0;  // of the subject's row or feature
  std::string subject_source, subject_source_id;
  std::string kind;
  std::string object_source, object_source_id;
  std::optional<std::string> role, start_date, end_date;
  std::string note;
};

struct RelationshipImportSummary {
  std::size_t created = 0, updated = 0, unchanged = 0;
  std::vector<std::pair<std::size_t, std::string>> left_out;  // (line, reason)
};

// A relationship as exports write it, with its object's (source, source_id); for an object
// with no source, object_source is empty and object_source_id is its id.
struct ExportRelationship {
  std::int64_t subject = 0;
  std::string kind;
  std::optional<std::string> object_source;
  std::string object_source_id;
  std::optional<std::string> role, start_date, end_date;
  std::string note;
};

class Networks {
 public:
  Networks(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Records `subject` as a member of `network`. Errors: kNotFound (no such network);
  // kConflict "not_a_network", "already_member" (an open membership exists), "cycle" (the
  // network is itself a member of the subject, directly or not); invalid "/organisation_id".
  Result<Relationship> AddMember(std::int64_t network, const RelationshipChanges& input, std::optional<std::int64_t> by);
  // Declares a relationship of `subject`. Same errors, plus "/kind" "use_network_members"
  // for member_of.
  Result<Relationship> Relate(std::int64_t subject, const RelationshipChanges& input, std::optional<std::int64_t> by);

  // Changes role, dates or note of relationship `id`, which must belong to `owner` (its
  // network for memberships, its subject otherwise). kNotFound when it does not;
  // kPreconditionFailed "version_mismatch" when stale.
  Result<Relationship> Update(std::int64_t owner, RelationshipSide side, std::int64_t id, std::int64_t expected_version,
                              const RelationshipChanges& changes);
  // Removes a relationship entered by mistake (soft; an ended membership stays as history
  // by setting end_date instead).
  Result<void> Delete(std::int64_t owner, RelationshipSide side, std::int64_t id, std::int64_t expected_version);

  // Records many memberships in one transaction, for trusted bulk loads (demo data): the
  // store's constraints hold (vocabularies, dates, one open membership) but cycles are not
  // looked for. All or none.
  struct NewMembership {
    std::int64_t member, network;
    std::string role, start_date;
    std::optional<std::string> end_date;
  };
  Result<void> RecordMemberships(const std::vector<NewMembership>& memberships);

  // Makes each of `organisations` a current member of `network` where it is not one yet
  // (role full, from today), in one transaction; answers how many it added. For imports by
  // a network. Errors: kNotFound, kConflict "not_a_network".
  Result<std::size_t> EnsureMembers(std::int64_t network, const std::vector<std::int64_t>& organisations,
                                    std::optional<std::int64_t> by);

  // Records relationships read from a file (after their organisations were imported), in
  // one transaction: one already there with the same subject, kind, object and start date
  // is unchanged, or updated when its role, end date or note differ; one that names an
  // organisation not in the register, an unknown kind or role, bad dates, a second open
  // relationship or a cycle of memberships is left out with its line and reason. For trusted
  // imports by the operator (the CLI): it records memberships in any network.
  Result<RelationshipImportSummary> Import(const std::vector<RelationshipRow>& rows);
  // Every relationship (not removed), ordered by subject, for exports.
  Result<std::vector<ExportRelationship>> ForExport();

  // An organisation's relationships, both ways, current and past. kNotFound for unknown ids.
  Result<std::vector<Relationship>> ListFor(std::int64_t organisation);
  // A network's direct members. kNotFound for unknown ids.
  Result<MemberPage> Members(std::int64_t network, MemberStatus status, MemberSort sort, int limit, std::int64_t offset);

 private:
  Result<Relationship> Insert(std::int64_t subject, const std::string& kind, std::int64_t object,
                              const RelationshipChanges& input, std::optional<std::int64_t> by);
  std::string Today() const;

  store::Store& store_;
  const Clock& clock_;
};

// Stamps `organisation` and everything that is a member of it, directly or not, with
// change number `change_seq`, so that search catalogues reload their networks.
Result<void> StampWithMembers(store::Conn& conn, std::int64_t organisation, std::int64_t change_seq);

}  // namespace solidum::registry
