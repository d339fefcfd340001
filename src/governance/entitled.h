// What ballots and assemblies share: who is entitled on a day (members whose membership
// holds then and whose rights are not suspended), with what notices need to reach them,
// and the errors both give.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace solidum::governance {

struct EntitledMember {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  std::string language;
  std::optional<std::int64_t> class_id;
  std::optional<std::string> class_code;
};

// In member-number then id order.
Result<std::vector<EntitledMember>> EntitledMembers(store::Conn& conn, std::int64_t organisation, const std::string& day);

// Whether one member is entitled on `day` (the same rule, one row).
Result<bool> IsEntitled(store::Conn& conn, std::int64_t organisation, const std::string& day, std::int64_t member);

// The organisation's name, for notices.
Result<std::string> OrganisationName(store::Conn& conn, std::int64_t organisation);

inline Error Conflict(std::string code, std::string message) {
  return Error::Make(ErrorKind::kConflict, std::move(code), std::move(message));
}
inline Error VersionMismatch(const std::string& what) {
  return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The " + what + " changed since you read it.");
}

}  // namespace solidum::governance
