// Result<T>: the value of an operation that can fail in an expected way.
// Expected failures (bad input, not found, conflict...) are values, never exceptions.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/assert.h"

namespace solidum {

// What kind of failure, in order of how the client should react. Each kind maps to one
// HTTP status in http/problem.cc; the `code` string of an Error refines it and is stable.
enum class ErrorKind {
  kInvalidInput,          // 400: the request is understood but a field is wrong
  kMalformed,             // 400: the request cannot be parsed at all
  kUnauthenticated,       // 401
  kForbidden,             // 403
  kNotFound,              // 404
  kMethodNotAllowed,      // 405
  kConflict,              // 409
  kGone,                  // 410
  kPreconditionFailed,    // 412
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kPreconditionRequired,  // 428
  kRateLimited,           // 429
  kInternal,              // 500
  kUnavailable,           // 503
};

// One bad field, named by its JSON Pointer (RFC 6901), e.g. "/name" or "/address/country".
struct FieldError {
  std::string field;
  std::string code;     // stable, e.g. "required", "too_long", "unknown_field"
  std::string message;  // English, for people reading logs and API responses
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;     // stable machine-readable code, e.g. "validation_failed"
  std::string message;  // human-readable detail; never contains secrets
  std::vector<FieldError> fields;

  static Error Invalid(std::string field, std::string code, std::string message) {
    return Error{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.",
                 {FieldError{std::move(field), std::move(code), std::move(message)}}};
  }
  // Several fields at once (at least one), the first in the message's place.
  static Error Invalid(std::vector<FieldError> fields) {
    return Error{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.", std::move(fields)};
  }
  static Error Make(ErrorKind kind, std::string code, std::string message) {
    return Error{kind, std::move(code), std::move(message), {}};
  }
  static Error NotFound(std::string message) {
    return Make(ErrorKind::kNotFound, "not_found", std::move(message));
  }
  static Error Internal(std::string message) {
    return Make(ErrorKind::kInternal, "internal", std::move(message));
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { SOLIDUM_ASSERT(ok()); return std::get<0>(v_); }
  const T& value() const& { SOLIDUM_ASSERT(ok()); return std::get<0>(v_); }
  T&& value() && { SOLIDUM_ASSERT(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { SOLIDUM_ASSERT(!ok()); return std::get<1>(v_); }
  Error&& error() && { SOLIDUM_ASSERT(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { SOLIDUM_ASSERT(!ok_); return error_; }
  Error&& error() && { SOLIDUM_ASSERT(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace solidum

// Evaluates `expr` (a Result); on failure returns its Error from the enclosing function.
#define SOLIDUM_TRY(expr)                                   \
  do {                                                      \
    auto&& solidum_try_r_ = (expr);                         \
    if (!solidum_try_r_.ok()) return std::move(solidum_try_r_).error(); \
  } while (0)

#define SOLIDUM_CONCAT_INNER_(a, b) a##b
#define SOLIDUM_CONCAT_(a, b) SOLIDUM_CONCAT_INNER_(a, b)
// SOLIDUM_ASSIGN_OR_RETURN(auto x, Expr()): binds the value or returns the error.
#define SOLIDUM_ASSIGN_OR_RETURN(lhs, expr)                              \
  auto SOLIDUM_CONCAT_(solidum_r_, __LINE__) = (expr);                   \
  if (!SOLIDUM_CONCAT_(solidum_r_, __LINE__).ok())                       \
    return std::move(SOLIDUM_CONCAT_(solidum_r_, __LINE__)).error();     \
  lhs = std::move(SOLIDUM_CONCAT_(solidum_r_, __LINE__)).value()
