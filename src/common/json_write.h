// Serializes JSON for people as well as programs. Boost.JSON 1.81 writes every double in
// exponent form (45.5 becomes 4.55E1); this writes the shortest form that reads back to
// the same double ("45.5", "0.1", "1e-07"), and is otherwise byte-for-byte standard JSON.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace solidum::json_write {

// Non-finite doubles (which valid input never produces) are written as null.
std::string Serialize(const boost::json::value& value);
void SerializeTo(std::string& out, const boost::json::value& value);

// Appends `s` as a JSON string literal (quotes included). `s` must be valid UTF-8.
void WriteString(std::string& out, std::string_view s);

// Writes JSON straight into a string, for hot responses that need no DOM. Commas are
// placed for you; nesting mistakes (a value with no key inside an object) are bugs and
// asserted.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  Writer& BeginObject();
  Writer& EndObject();
  Writer& BeginArray();
  Writer& EndArray();
  Writer& Key(std::string_view key);
  Writer& String(std::string_view s);
  Writer& Int(std::int64_t n);
  Writer& Double(double d);
  Writer& Bool(bool b);
  Writer& Null();
  // A value already serialized (a stored document). Not checked: the caller vouches for it.
  Writer& Raw(std::string_view json);
  template <typename T>
  Writer& Optional(const std::optional<T>& v) {
    if (!v) return Null();
    if constexpr (std::is_same_v<T, double>) return Double(*v);
    else if constexpr (std::is_integral_v<T>) return Int(*v);
    else return String(*v);
  }

 private:
  void BeforeValue();
  std::string& out_;
  struct Level {
    bool is_object;
    bool has_member;
  };
  std::vector<Level> stack_;  // the open containers
  bool after_key_ = false;    // a key waits for its value
};

}  // namespace solidum::json_write
