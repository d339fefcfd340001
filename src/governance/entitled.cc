#include "governance/entitled.h"

namespace solidum::governance {

namespace {
// Members of `m`'s organisation (parameter 1) on a day (parameters 2 and 3) whose rights are not suspended.
constexpr std::string_view kEntitled = "m.organisation_id = ? AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?) AND m.status = 'active'";
}  // namespace

Result<std::vector<EntitledMember>> EntitledMembers(store::Conn& conn, std::int64_t organisation, const std::string& day) {
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows, conn.Query("SELECT m.id, m.name, m.email, m.language, m.class_id, c.code FROM members m "
                            "LEFT JOIN member_classes c ON c.id = m.class_id WHERE " + std::string(kEntitled) + " ORDER BY m.number, m.id",
                            {organisation, day, day}));
  std::vector<EntitledMember> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.OptText(2), r.Text(3), r.OptInt(4), r.OptText(5)});
  return out;
}

Result<bool> IsEntitled(store::Conn& conn, std::int64_t organisation, const std::string& day, std::int64_t member) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT 1 FROM members m WHERE " + std::string(kEntitled) + " AND m.id = ?",
                                                   {organisation, day, day, member}));
  return row.has_value();
}

Result<std::string> OrganisationName(store::Conn& conn, std::int64_t organisation) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT name FROM organisations WHERE id = ?", {organisation}));
  if (!row) return Error::NotFound("No organisation " + std::to_string(organisation) + ".");
  return row->Text(0);
}

}  // namespace solidum::governance
