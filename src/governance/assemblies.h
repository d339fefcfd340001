// General assemblies: convened with notice, held with an attendance register, proxies and
// a quorum, and a record of what was decided.
//
// Life: draft (set up by the organisation's admins: date and place or link, agenda,
// the statutes' notice period, quorum and proxy rules) -> convened (the notice is emailed
// to every entitled member with an address, in their language; convening with less notice
// than the statutes ask is allowed but answered with a "short_notice" warning and recorded)
// -> in_session (opened by the chair; the quorum at that moment is recorded) -> closed (the
// record of decisions is emailed to the members).
//
// Entitled: members on the assembly's day whose rights are not suspended. Attendance is
// signed in from convening until closing (in person or online); proxies are recorded by the
// secretary (the signed forms) or given by a member themselves, within the statutes' limit
// per holder. Decisions are recorded per agenda item: a vote by show of hands counted by
// the motion engine under the rule the statutes set, a linked secret ballot's result, or a
// note. Thread-safe; each call is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "governance/quorum.h"
#include "governance/tally/motion.h"
#include "mail/outbox.h"
#include "store/store.h"

namespace solidum::governance {

inline constexpr std::size_t kAgendaItemsMax = 100;

struct AgendaItem {
  std::int64_t id = 0;
  std::int64_t position = 0;
  std::string title, description;
  std::optional<std::int64_t> ballot_id;
  std::optional<std::string> decision;  // JSON, once decided
  std::optional<std::string> decided_at;
};

struct Assembly {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string kind = "ordinary";  // ordinary, extraordinary
  std::string title, description;
  std::string starts_at;          // wall time where it is held, YYYY-MM-DDTHH:MM
  std::string timezone = "UTC";   // IANA zone name of that place
  std::string place, online_url;
  std::int64_t notice_days = 15;
  QuorumRule quorum;
  ProxyRule proxies;
  std::string state = "draft";    // draft, convened, in_session, closed
  std::optional<std::string> convened_at, opened_at, closed_at;
  std::optional<std::int64_t> notice_given_days;
  std::optional<std::string> quorum_at_opening;  // JSON
  std::string minutes;
  std::vector<AgendaItem> items;
  std::int64_t version = 1;
  std::string created_at, updated_at;

  std::string Day() const { return starts_at.substr(0, 10); }
};

// A new assembly (POST). Items: [{"title", "description", "ballot_id"}].
Result<Assembly> ParseAssembly(const boost::json::value& body);

// What the chair records for an agenda item.
struct DecisionInput {
  std::optional<std::int64_t> yes, no, abstain;  // a vote by show of hands
  tally::MotionRule rule;
  bool from_ballot = false;                      // the linked ballot's result
  std::string note;
};
Result<DecisionInput> ParseDecision(const boost::json::value& body);

struct Warning {
  std::string code, message;
};

struct Convened {
  std::vector<Warning> warnings;
  std::int64_t notices_queued = 0;
  std::int64_t without_email = 0;  // entitled members no email reaches: notify them otherwise
};

struct AttendanceRow {
  std::int64_t member_id = 0;
  std::string name;
  std::optional<std::string> number, class_code;
  std::string status;  // present, represented, absent
  std::optional<std::string> channel;  // in_person, online (present)
  std::optional<std::int64_t> holder_id;  // the proxy's holder (given, whether or not it counts)
  std::optional<std::string> holder_name;
  std::int64_t proxies_held = 0;
};

struct MemberAssembly {
  Assembly assembly;
  std::string organisation_name;
  std::int64_t member_id = 0;
  std::string status;  // present, represented, absent
  std::optional<std::string> holder_name;
};

// A decision the members took by a vote on an agenda item of one of the organisation's
// assemblies, for the modules whose decisions are theirs (a fund's committee approving a
// loan, the assembly approving the year's surplus allocation).
struct VotedItem {
  std::int64_t assembly_id = 0, item_id = 0;
  std::string assembly_title, starts_at, title;
  bool adopted = false;
  boost::json::object decision;  // as recorded: kind, adopted, yes, no, abstain, rule, ballot_id
};
// Errors: "/item_id" unknown_item (not an item of an assembly of `organisation`);
// kConflict "not_voted" (not decided yet, or recorded as a note).
Result<VotedItem> FindVotedItem(store::Conn& conn, std::int64_t organisation, std::int64_t assembly_id, std::int64_t item_id);
// The organisation's items decided by a vote, newest assembly first, at most `limit`.
Result<std::vector<VotedItem>> VotedItems(store::Conn& conn, std::int64_t organisation, int limit);

class Assemblies {
 public:
  // `public_url` ("https://solidum.example") makes the links in emails.
  Assemblies(store::Store& store, const Clock& clock, std::string public_url)
      : store_(store), clock_(clock), public_url_(std::move(public_url)) {}

  // Call before serving (not thread-safe).
  void set_public_url(std::string url) { public_url_ = std::move(url); }

  // Errors: a ballot of another organisation ("/items/0/ballot_id").
  Result<Assembly> Create(std::int64_t organisation, const Assembly& input, std::optional<std::int64_t> by);
  Result<Assembly> Get(std::int64_t organisation, std::int64_t id);
  Result<std::vector<Assembly>> List(std::int64_t organisation);
  // A draft changed as a whole (every field and the agenda, as Create takes them).
  Result<Assembly> UpdateDraft(std::int64_t organisation, std::int64_t id, std::int64_t expected_version, const Assembly& input);
  Result<void> DeleteDraft(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);

  // draft -> convened; queues the notices. kConflict "assembly_day_past" when its day is gone.
  Result<std::pair<Assembly, Convened>> Convene(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);
  // convened -> in_session; records the quorum as it stands.
  Result<Assembly> Open(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);
  // in_session -> closed; queues the record of decisions. `minutes`: the secretary's text.
  Result<Assembly> Close(std::int64_t organisation, std::int64_t id, std::int64_t expected_version, const std::string& minutes);

  // Attendance, while convened or in session. Errors: kForbidden "not_entitled" (not a
  // member that day, or suspended); kConflict "wrong_state".
  Result<void> SignIn(std::int64_t organisation, std::int64_t id, std::int64_t member, const std::string& channel);
  Result<void> SignOut(std::int64_t organisation, std::int64_t id, std::int64_t member);
  // Errors: "proxy_limit_reached", "same_member", "holder_gave_proxy", "grantor_holds_proxies",
  // "proxy_other_class", "proxies_not_allowed", "grantor_present".
  Result<void> GiveProxy(std::int64_t organisation, std::int64_t id, std::int64_t grantor, std::int64_t holder);
  Result<void> RevokeProxy(std::int64_t organisation, std::int64_t id, std::int64_t grantor);
  // A member gives their own proxy, to the member with that membership number.
  Result<void> GiveOwnProxy(std::int64_t user_id, std::int64_t id, const std::string& holder_number);

  Result<std::vector<AttendanceRow>> Attendance(std::int64_t organisation, std::int64_t id);
  Result<Quorum> QuorumOf(std::int64_t organisation, std::int64_t id);

  // In session only. Errors: "/yes" more votes than members present or represented;
  // "/from_ballot" when the item has no ballot or it is not counted yet.
  Result<Assembly> Decide(std::int64_t organisation, std::int64_t id, std::int64_t item, const DecisionInput& decision);

  // The emails about this assembly: queued, sent, failed (with the server's answer).
  Result<mail::Delivery> Delivery(std::int64_t organisation, std::int64_t id);

  // Assemblies (not drafts) of the organisations where the user is a member on their day.
  Result<std::vector<MemberAssembly>> OfUser(std::int64_t user_id);
  // One of them, for a member.
  Result<MemberAssembly> ForUser(std::int64_t user_id, std::int64_t id);

 private:
  std::string Now() const { return FormatTimestamp(clock_.NowMicros()); }
  store::Store& store_;
  const Clock& clock_;
  std::string public_url_;
};

}  // namespace solidum::governance
