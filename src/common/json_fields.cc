#include "common/json_fields.h"

#include <boost/json/object.hpp>

#include <algorithm>
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

Field<std::vector<std::string>> ObjectReader::TextList(std::string_view key, const TextRule& item,
                                                       std::size_t max_items) {
  Field<std::vector<std::string>> f;
  const auto* v = TakeValue(key, false, f.present, f.is_null);
  if (!v) return f;
  const auto* arr = v->if_array();
  if (!arr) {
    Fail(key, "wrong_type", "An array of strings is expected.");
    return f;
  }
  if (arr->size() > max_items) {
    Fail(key, "too_many", "At most " + std::to_string(max_items) + " items.");
    return f;
  }
  std::vector<std::string> out;
  std::size_t errors_before = errors_.size();
  for (std::size_t i = 0; i < arr->size(); ++i) {
    std::string item_key = Pointer(key) + "/" + std::to_string(i);
    const auto* s = (*arr)[i].if_string();
    std::string_view sv = s ? std::string_view(s->data(), s->size()) : std::string_view();
    if (item.trim) sv = text::Trim(sv);
    if (!s) errors_.push_back({item_key, "wrong_type", "A string is expected."});
    else if (sv.empty()) errors_.push_back({item_key, "required", "Empty items are not allowed."});
    else if (text::HasControlChars(sv) || (!item.multiline && sv.find_first_of("\r\n\t") != std::string_view::npos)) {
      errors_.push_back({item_key, "control_characters", "The text has control characters."});
    } else if (text::CodePointCount(sv) > item.max_chars) {
      errors_.push_back({item_key, "too_long", "At most " + std::to_string(item.max_chars) + " characters."});
    } else if (std::find(out.begin(), out.end(), sv) != out.end()) {
      errors_.push_back({item_key, "duplicate", "This item is already in the list."});
    } else {
      out.emplace_back(sv);
    }
  }
  if (errors_.size() != errors_before) return f;
  f.present = true;
  f.value = std::move(out);
  return f;
}

Field<std::vector<std::int64_t>> ObjectReader::IntegerList(std::string_view key, std::int64_t min, std::int64_t max,
                                                           std::size_t max_items) {
  Field<std::vector<std::int64_t>> f;
  const auto* v = TakeValue(key, false, f.present, f.is_null);
  if (!v) return f;
  const auto* arr = v->if_array();
  if (!arr) {
    Fail(key, "wrong_type", "An array of numbers is expected.");
    return f;
  }
  if (arr->size() > max_items) {
    Fail(key, "too_many", "At most " + std::to_string(max_items) + " items.");
    return f;
  }
  std::vector<std::int64_t> out;
  std::size_t errors_before = errors_.size();
  for (std::size_t i = 0; i < arr->size(); ++i) {
    std::string item_key = Pointer(key) + "/" + std::to_string(i);
    const auto& e = (*arr)[i];
    if (!e.is_int64() || e.get_int64() < min || e.get_int64() > max) {
      errors_.push_back({item_key, "out_of_range", fmt::format("A whole number from {} to {}.", min, max)});
    } else if (std::find(out.begin(), out.end(), e.get_int64()) != out.end()) {
      errors_.push_back({item_key, "duplicate", "This item is already in the list."});
    } else {
      out.push_back(e.get_int64());
    }
  }
  if (errors_.size() != errors_before) return f;
  f.present = true;
  f.value = std::move(out);
  return f;
}

const boost::json::value* ObjectReader::Raw(std::string_view key) { return Take(key); }

bool ObjectReader::Merge(ObjectReader& child) {
  auto r = child.Finish();
  if (r.ok()) return true;
  auto e = std::move(r).error();
  for (auto& f : e.fields) errors_.push_back(std::move(f));
  return false;
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
