// Values of one dimension interned as small indexes, for the in-memory catalogues (the
// register's, the library's): rows hold the index, the dictionary holds the value once.
// Not thread-safe: its catalogue guards it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace solidum {

struct Dictionary {
  std::vector<std::string> values;  // by index
  std::unordered_map<std::string, std::uint32_t> index;

  // The value's index, added at the end when new.
  std::uint32_t Intern(const std::string& v) {
    auto [it, added] = index.try_emplace(v, static_cast<std::uint32_t>(values.size()));
    if (added) values.push_back(v);
    return it->second;
  }
  // The value's index, or nullopt when it was never interned.
  std::optional<std::uint32_t> Find(std::string_view v) const {
    auto it = index.find(std::string(v));
    if (it == index.end()) return std::nullopt;
    return it->second;
  }
};

}  // namespace solidum
