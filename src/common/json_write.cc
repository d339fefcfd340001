#include "common/json_write.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>

#include "common/assert.h"

namespace solidum::json_write {

void WriteString(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t run = 0;  // start of the current run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: fmt::format_to(std::back_inserter(out), "\\u{:04x}", u);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void Writer::BeforeValue() {
  if (stack_.empty()) return;
  Level& top = stack_.back();
  if (top.is_object) {
    SOLIDUM_ASSERT(after_key_);  // a member needs its Key() first
    after_key_ = false;
    return;
  }
  if (top.has_member) out_.push_back(',');
  top.has_member = true;
}

Writer& Writer::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  stack_.push_back({true, false});
  return *this;
}
Writer& Writer::EndObject() {
  SOLIDUM_ASSERT(!stack_.empty() && stack_.back().is_object && !after_key_);
  stack_.pop_back();
  out_.push_back('}');
  return *this;
}
Writer& Writer::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  stack_.push_back({false, false});
  return *this;
}
Writer& Writer::EndArray() {
  SOLIDUM_ASSERT(!stack_.empty() && !stack_.back().is_object);
  stack_.pop_back();
  out_.push_back(']');
  return *this;
}
Writer& Writer::Key(std::string_view key) {
  SOLIDUM_ASSERT(!stack_.empty() && stack_.back().is_object && !after_key_);
  if (stack_.back().has_member) out_.push_back(',');
  stack_.back().has_member = true;
  WriteString(out_, key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}
Writer& Writer::String(std::string_view s) {
  BeforeValue();
  WriteString(out_, s);
  return *this;
}
Writer& Writer::Int(std::int64_t n) {
  BeforeValue();
  fmt::format_to(std::back_inserter(out_), "{}", n);
  return *this;
}
Writer& Writer::Double(double d) {
  BeforeValue();
  if (!std::isfinite(d)) out_ += "null";
  else fmt::format_to(std::back_inserter(out_), "{}", d);
  return *this;
}
Writer& Writer::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
  return *this;
}
Writer& Writer::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

Writer& Writer::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

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
