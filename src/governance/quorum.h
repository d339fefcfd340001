// Quorum and proxies of a general assembly, as the statutes set them. Pure.
//
// Who counts: a member entitled on the assembly's day is present (signed in and not
// gone), represented (not present, and their proxy's holder is present), or absent. A
// member who comes in person takes their vote back: their proxy no longer counts.
// Quorum: present + represented reach quorum_percent of the entitled members, overall or
// in every class that has members (per_class: a college absent in force blocks the
// assembly, as statutes that protect minority colleges require). Exact: integer
// comparison, no rounding (30 % of 7 members needs 3, since 2 * 100 < 30 * 7).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace solidum::governance {

struct QuorumRule {
  std::int64_t percent = 0;  // 0..100
  bool per_class = false;
};

struct ClassAttendance {
  std::optional<std::string> class_code;  // nullopt: members without a class
  std::int64_t entitled = 0, present = 0, represented = 0;
  bool met = false;
};

struct Quorum {
  std::int64_t entitled = 0, present = 0, represented = 0;
  std::int64_t required = 0;  // present + represented needed overall (overall rule)
  bool met = false;
  std::vector<ClassAttendance> classes;
  std::string rule;  // in words (English), e.g. "25 % of members present or represented, in every class"
};

// The fewest members out of `entitled` that reach `percent` %: ceil(entitled * percent / 100).
std::int64_t QuorumRequired(std::int64_t entitled, std::int64_t percent);

// `classes` carries the counts per class; answers them with `met` set, and the totals.
Quorum ComputeQuorum(const QuorumRule& rule, std::vector<ClassAttendance> classes);

// As the API shows it and the assembly records it at opening.
boost::json::object QuorumJson(const Quorum& q);

// Proxy rules of the statutes: the most proxies one member may hold (0: none allowed), and
// whether the holder must be of the grantor's class.
struct ProxyRule {
  std::int64_t limit = 1;
  bool same_class = false;
};

}  // namespace solidum::governance
