// core::Result<T>: the one error regime of Matryoshka.
// An Error carries a code, a message and where it happened (file, line, column, or an
// object such as a layer digest). Result<T> follows the std::expected interface so that
// moving to C++23 is a rename. MTR_TRY propagates errors without exceptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace mtr::core {

enum class ErrorCode {
  kInvalidInput,    // untrusted input is malformed (exit 2)
  kUsage,           // bad command line (exit 2)
  kNotFound,        // file, image, tag or blob absent (exit 2)
  kIo,              // read/write/network failure (exit 2)
  kDigestMismatch,  // content does not match its digest (exit 2)
  kLimitExceeded,   // a configured resource bound was hit (exit 2)
  kUnsupported,     // valid input we do not handle (exit 2)
  kInternal,        // our own bug (exit 3)
};

const char* to_string(ErrorCode code);

// Where an error happened. Every field is optional; `object` names things that are not
// text files (a layer digest, a registry URL, a JSON path).
struct Location {
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
  std::string object;

  std::string to_string() const;  // "file:line:col (object)"
  bool empty() const { return file.empty() && object.empty() && line == 0; }
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  Location location;

  // "file:line:col: message" or just "message".
  std::string to_string() const;
  // Adds context in front of the location-less parts: "reading layer 3: <message>".
  Error& with_context(std::string_view context);
  Error& at(Location where);
};

Error make_error(ErrorCode code, std::string message, Location where = {});

template <typename E>
class Unexpected {
 public:
  explicit Unexpected(E e) : error_(std::move(e)) {}
  E& error() & { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

inline Unexpected<Error> unexpected(Error e) { return Unexpected<Error>(std::move(e)); }
inline Unexpected<Error> fail(ErrorCode code, std::string message, Location where = {}) {
  return Unexpected<Error>(make_error(code, std::move(message), std::move(where)));
}

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  Result(T value)
      : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Unexpected<Error> e) : data_(std::in_place_index<1>, std::move(e).error()) {}  // NOLINT
  Result(Error e) : data_(std::in_place_index<1>, std::move(e)) {}                      // NOLINT

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  Error& error() & { return std::get<1>(data_); }
  const Error& error() const& { return std::get<1>(data_); }
  Error&& error() && { return std::get<1>(std::move(data_)); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> data_;
};

// Result<void>
struct Ok {};
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}                                                  // NOLINT
  Result(Unexpected<Error> e) : error_(std::move(e).error()) {}  // NOLINT
  Result(Error e) : error_(std::move(e)) {}                      // NOLINT
  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const {}
  Error& error() & { return *error_; }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace mtr::core

#define MTR_CONCAT_INNER_(a, b) a##b
#define MTR_CONCAT_(a, b) MTR_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Result); on error returns the error from the enclosing function,
// otherwise yields the value. Uses a statement expression (GCC and clang); each expansion
// gets its own temporary so that MTR_TRY nests.
#define MTR_TRY(expr) MTR_TRY_IMPL_(expr, MTR_CONCAT_(mtr_try_result_, __COUNTER__))
#define MTR_TRY_IMPL_(expr, tmp)                                      \
  ({                                                                  \
    auto tmp = (expr);                                                \
    if (!tmp) return ::mtr::core::unexpected(std::move(tmp).error()); \
    std::move(tmp).value();                                           \
  })

// For Result<void>.
#define MTR_TRY_STATUS(expr)                                                                  \
  do {                                                                                        \
    auto mtr_try_status_ = (expr);                                                            \
    if (!mtr_try_status_) return ::mtr::core::unexpected(std::move(mtr_try_status_).error()); \
  } while (false)
