// The emails governance sends to members, in the member's language (en, fr, es, pt; any
// other falls back to English): the notice of an assembly, the record of its decisions,
// the invitation to vote in a ballot and its results. Pure: facts in, subject and text out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace solidum::governance::notices {

struct Text {
  std::string subject, body;
};

struct AssemblyFacts {
  std::string organisation, title, kind;  // kind: ordinary, extraordinary
  std::string starts_at, timezone;        // wall time there ("2026-12-15T18:00") and its zone
  std::string place, online_url, link;    // link: the assembly's page
  std::vector<std::string> agenda;        // item titles, in order
};

struct Decision {
  std::string item;
  std::optional<bool> adopted;  // a vote (show of hands or ballot)
  std::int64_t yes = 0, no = 0, abstain = 0;
  std::vector<std::string> elected;
  std::string note;  // what the chair recorded
};

struct Attendance {
  bool quorum_met = false;
  std::int64_t present = 0, represented = 0, entitled = 0;
};

struct BallotFacts {
  std::string organisation, title, kind;  // kind: motion, election
  std::string opens_at, closes_at;        // UTC, RFC 3339
  std::string link;
};

struct Outcome {
  std::optional<bool> adopted;  // motions
  std::int64_t yes = 0, no = 0, abstain = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> elected;  // elections: per college ("" for all), names in order
};

Text AssemblyNotice(std::string_view language, const AssemblyFacts& a, const std::string& member);
Text AssemblyRecord(std::string_view language, const AssemblyFacts& a, const Attendance& at, const std::vector<Decision>& decisions,
                    const std::string& member);
Text BallotInvitation(std::string_view language, const BallotFacts& b, const std::string& member);
Text BallotResults(std::string_view language, const BallotFacts& b, const Outcome& o, const std::string& member);

}  // namespace solidum::governance::notices
