#include "common/json_fields.h"

#include <boost/json/object.hpp>

#include <cmath>

#include <fmt/format.h>

#include "common/text.h"

namespace solidum::json_fields {

std::string EscapePointerToken(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

ObjectReader::ObjectReader(const boost::json::value& value, std::string path) : path_(std::move(path)) {
  object_ = value.if_object();
  if (!object_) errors_.push_back({path_.empty() ? "" : path_, "not_an_object", "A JSON object is expected."});
}

std::string ObjectReader::Pointer(std::string_view key) const { return path_ + "/" + EscapePointerToken(key); }

const boost::json::value* ObjectReader::Take(std::string_view key) {
  seen_.emplace(key);
  if (!object_) return nullptr;
  return object_->if_contains(key);
}

const boost::json::value* ObjectReader::TakeValue(std::string_view key, bool required, bool& present, bool& is_null) {
  // `present` becomes true for a value only once the caller has accepted it.
  const auto* v = Take(key);
  if (v && !v->is_null()) return v;
  present = is_null = v != nullptr;
  if (required) Fail(key, "required", "This field is required.");
  return nullptr;
}

void ObjectReader::Fail(std::string_view key, std::string code, std::string message) {
  errors_.push_back({Pointer(key), std::move(code), std::move(message)});
}

Field<std::string> ObjectReader::Text(std::string_view key, const TextRule& rule) {
  Field<std::string> f;
  const auto* v = TakeValue(key, rule.required, f.present, f.is_null);
  if (!v) {
    if (f.is_null && !rule.required && !rule.nullable) Fail(key, "not_nullable", "This field cannot be null.");
    return f;
  }
  const auto* s = v->if_string();
  if (!s) {
    Fail(key, "wrong_type", "A string is expected.");
    return f;
  }
  std::string_view sv(s->data(), s->size());
  // Boost.JSON already rejects invalid UTF-8 while parsing; check again for callers
  // that build values by hand.
  if (!text::IsValidUtf8(sv)) {
    Fail(key, "invalid_utf8", "The text is not valid UTF-8.");
    return f;
  }
  if (rule.trim) sv = text::Trim(sv);
  if (text::HasControlChars(sv) || (!rule.multiline && sv.find_first_of("\r\n\t") != std::string_view::npos)) {
    Fail(key, "control_characters", rule.multiline ? "The text has control characters."
                                                   : "The text must be one line without control characters.");
    return f;
  }
  if (sv.empty() && rule.required) {
    Fail(key, "required", "This field is required.");
    return f;
  }
  if (text::CodePointCount(sv) > rule.max_chars) {
    Fail(key, "too_long", "At most " + std::to_string(rule.max_chars) + " characters.");
    return f;
  }
  f.present = true;
  f.value = std::string(sv);
  return f;
}

Field<double> ObjectReader::Number(std::string_view key, double min, double max, bool required) {
  Field<double> f;
  const auto* v = TakeValue(key, required, f.present, f.is_null);
  if (!v) return f;
  double d;
  if (v->is_double()) d = v->get_double();
  else if (v->is_int64()) d = static_cast<double>(v->get_int64());
  else if (v->is_uint64()) d = static_cast<double>(v->get_uint64());
  else {
    Fail(key, "wrong_type", "A number is expected.");
    return f;
  }
  if (!std::isfinite(d) || d < min || d > max) {
    Fail(key, "out_of_range", fmt::format("The number must be between {} and {}.", min, max));
    return f;
  }
  f.present = true;
  f.value = d;
  return f;
}

Field<std::int64_t> ObjectReader::Integer(std::string_view key, std::int64_t min, std::int64_t max, bool required) {
  Field<std::int64_t> f;
  const auto* v = TakeValue(key, required, f.present, f.is_null);
  if (!v) return f;
  std::int64_t n;
  if (v->is_int64()) n = v->get_int64();
  else if (v->is_uint64()) {
    Fail(key, "out_of_range", "The number is too large.");
    return f;
  } else if (v->is_double()) {
    double d = v->get_double();
    if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) > 9.007199254740992e15) {
      Fail(key, "wrong_type", "A whole number is expected.");
      return f;
    }
    n = static_cast<std::int64_t>(d);
  } else {
    Fail(key, "wrong_type", "A whole number is expected.");
    return f;
  }
  if (n < min || n > max) {
    Fail(key, "out_of_range", fmt::format("The number must be between {} and {}.", min, max));
    return f;
  }
  f.present = true;
  f.value = n;
  return f;
}

Field<bool> ObjectReader::Bool(std::string_view key, bool required) {
  Field<bool> f;
  const auto* v = TakeValue(key, required, f.present, f.is_null);
  if (!v) return f;
  if (!v->is_bool()) {
    Fail(key, "wrong_type", "true or false is expected.");
    return f;
  }
  f.present = true;
  f.value = v->get_bool();
  return f;
}

Result<void> ObjectReader::Finish() {
  if (object_) {
    for (const auto& kv : *object_) {
      std::string_view k(kv.key().data(), kv.key().size());
      if (!seen_.contains(k)) errors_.push_back({Pointer(k), "unknown_field", "This field is not known."});
    }
  }
  if (errors_.empty()) return Ok();
  Error e{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.", std::move(errors_)};
  errors_.clear();
  return e;
}

}  // namespace solidum::json_fields
