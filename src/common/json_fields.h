// Reads a JSON object from outside field by field, collecting every problem as a
// FieldError named by its JSON Pointer, so a client (or a form) sees all bad fields at once.
// Unknown fields are errors too (Finish()): a misspelt field must not be silently ignored.
//
//   ObjectReader r(body);
//   auto name = r.Text("name", {.required = true, .max_chars = 200});
//   auto lat  = r.Number("latitude", -90, 90);
//   SOLIDUM_TRY(r.Finish());
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace solidum::json_fields {

// A field as sent: absent, explicitly null, or a value. PATCH needs all three.
template <typename T>
struct Field {
  bool present = false;
  bool is_null = false;
  T value{};
  bool has_value() const { return present && !is_null; }
};

struct TextRule {
  bool required = false;     // absent, null or empty (after trimming) is an error
  bool nullable = true;      // null is allowed (and means "clear") when not required
  std::size_t max_chars = 200;
  bool multiline = false;    // newlines and tabs allowed
  bool trim = true;
};

class ObjectReader {
 public:
  // `value` must outlive the reader. `path` is the pointer of the object itself ("" for the root).
  explicit ObjectReader(const boost::json::value& value, std::string path = "");

  Field<std::string> Text(std::string_view key, const TextRule& rule);
  // Finite number within [min, max]; integers are accepted.
  Field<double> Number(std::string_view key, double min, double max, bool required = false);
  Field<std::int64_t> Integer(std::string_view key, std::int64_t min, std::int64_t max, bool required = false);
  Field<bool> Bool(std::string_view key, bool required = false);

  // An array of strings, each checked by `item` (required there means non-empty). Null
  // means "clear" (an empty list). At most `max_items`; duplicates are refused.
  Field<std::vector<std::string>> TextList(std::string_view key, const TextRule& item, std::size_t max_items);
  // An array of whole numbers within [min, max], no duplicates.
  Field<std::vector<std::int64_t>> IntegerList(std::string_view key, std::int64_t min, std::int64_t max,
                                               std::size_t max_items);
  // The raw value of a field (nested objects), or nullptr when absent. Marks it known.
  const boost::json::value* Raw(std::string_view key);
  // A reader for a nested object at `key`; its errors join this reader's via Merge().
  std::string PathOf(std::string_view key) const { return Pointer(key); }
  // Finishes `child` and takes its errors; true when it had none.
  bool Merge(ObjectReader& child);

  // Records an error for `key` found by the caller's own checks.
  void Fail(std::string_view key, std::string code, std::string message);
  // Records an error at a full JSON Pointer (array items, the object itself).
  void FailAt(std::string pointer, std::string code, std::string message) {
    errors_.push_back({std::move(pointer), std::move(code), std::move(message)});
  }
  const std::string& path() const { return path_; }

  // Reports unknown fields and answers every error collected, or Ok.
  Result<void> Finish();

  bool is_object() const { return object_ != nullptr; }

 private:
  const boost::json::value* Take(std::string_view key);
  // The field's value, or nullptr when it is absent or null (then sets present/is_null, and
  // notes "required" if it must be there). For a value, the caller sets `present` once valid.
  const boost::json::value* TakeValue(std::string_view key, bool required, bool& present, bool& is_null);
  std::string Pointer(std::string_view key) const;

  const boost::json::object* object_ = nullptr;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
  std::vector<FieldError> errors_;
};

// Escapes a key for use in a JSON Pointer (RFC 6901: ~ -> ~0, / -> ~1).
std::string EscapePointerToken(std::string_view key);

}  // namespace solidum::json_fields
