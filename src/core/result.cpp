#include "core/result.h"

#include <fmt/format.h>

namespace mtr::core {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid input";
    case ErrorCode::kUsage:
      return "usage";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kIo:
      return "i/o";
    case ErrorCode::kDigestMismatch:
      return "digest mismatch";
    case ErrorCode::kLimitExceeded:
      return "limit exceeded";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Location::to_string() const {
  std::string out = file;
  if (!file.empty() && line > 0) {
    out += fmt::format(":{}", line);
    if (column > 0) out += fmt::format(":{}", column);
  }
  if (!object.empty()) {
    if (!out.empty()) out += " ";
    out += file.empty() ? object : "(" + object + ")";
  }
  return out;
}

std::string Error::to_string() const {
  if (location.empty()) return message;
  return location.to_string() + ": " + message;
}

Error& Error::with_context(std::string_view context) {
  message = fmt::format("{}: {}", context, message);
  return *this;
}

Error& Error::at(Location where) {
  location = std::move(where);
  return *this;
}

Error make_error(ErrorCode code, std::string message, Location where) {
  return Error{code, std::move(message), std::move(where)};
}

}  // namespace mtr::core
