#include "common/json_write.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>

namespace solidum::json_write {

namespace {

void WriteString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) out += fmt::format("\\u{:04x}", u);
        else out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

void SerializeTo(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: fmt::format_to(std::back_inserter(out), "{}", v.get_int64()); break;
    case boost::json::kind::uint64: fmt::format_to(std::back_inserter(out), "{}", v.get_uint64()); break;
    case boost::json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d)) out += "null";
      else fmt::format_to(std::back_inserter(out), "{}", d);
      break;
    }
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      WriteString(out, std::string_view(s.data(), s.size()));
      break;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        SerializeTo(out, e);
      }
      out.push_back(']');
      break;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        WriteString(out, std::string_view(kv.key().data(), kv.key().size()));
        out.push_back(':');
        SerializeTo(out, kv.value());
      }
      out.push_back('}');
      break;
    }
  }
}

std::string Serialize(const boost::json::value& v) {
  std::string out;
  out.reserve(256);
  SerializeTo(out, v);
  return out;
}

}  // namespace solidum::json_write
