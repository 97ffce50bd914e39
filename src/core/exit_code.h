// Process exit codes, as DESIGN.md defines them.
#pragma once

#include "core/result.h"

namespace mtr::core {

enum class ExitCode : int {
  kOk = 0,             // nothing at or above --fail-on
  kFindings = 1,       // findings at or above --fail-on
  kBadInput = 2,       // bad input or usage; the message says what and where
  kInternalError = 3,  // our own bug
};

inline ExitCode exit_code_for(const Error& e) {
  return e.code == ErrorCode::kInternal ? ExitCode::kInternalError : ExitCode::kBadInput;
}

}  // namespace mtr::core
