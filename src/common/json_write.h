// Serializes JSON for people as well as programs. Boost.JSON 1.81 writes every double in
// exponent form (45.5 becomes 4.55E1); this writes the shortest form that reads back to
// the same double ("45.5", "0.1", "1e-07"), and is otherwise byte-for-byte standard JSON.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace solidum::json_write {

// Non-finite doubles (which valid input never produces) are written as null.
std::string Serialize(const boost::json::value& value);
void SerializeTo(std::string& out, const boost::json::value& value);

}  // namespace solidum::json_write
