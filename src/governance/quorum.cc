#include "governance/quorum.h"

#include <boost/json.hpp>

namespace solidum::governance {

std::int64_t QuorumRequired(std::int64_t entitled, std::int64_t percent) { return (entitled * percent + 99) / 100; }

Quorum ComputeQuorum(const QuorumRule& rule, std::vector<ClassAttendance> classes) {
  Quorum q;
  bool every_class = true;
  for (auto& c : classes) {
    c.met = c.present + c.represented >= QuorumRequired(c.entitled, rule.percent);
    if (c.entitled > 0) every_class = every_class && c.met;
    q.entitled += c.entitled;
    q.present += c.present;
    q.represented += c.represented;
  }
  q.required = QuorumRequired(q.entitled, rule.percent);
  q.met = rule.per_class ? every_class : q.present + q.represented >= q.required;
  q.classes = std::move(classes);
  q.rule = std::to_string(rule.percent) + " % of members present or represented" + (rule.per_class ? ", in every class" : "");
  return q;
}

boost::json::object QuorumJson(const Quorum& q) {
  boost::json::array classes;
  for (const auto& c : q.classes) {
    classes.push_back({{"class", c.class_code ? boost::json::value(*c.class_code) : boost::json::value(nullptr)},
                       {"entitled", c.entitled},
                       {"present", c.present},
                       {"represented", c.represented},
                       {"met", c.met}});
  }
  return {{"entitled", q.entitled}, {"present", q.present}, {"represented", q.represented}, {"required", q.required},
          {"met", q.met},           {"rule", q.rule},       {"classes", std::move(classes)}};
}

}  // namespace solidum::governance
