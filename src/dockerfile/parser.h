// BuildKit-compatible Dockerfile parser: parser directives, line continuations with either
// escape character, comments and empty lines inside continuations, heredocs, JSON (exec) and
// shell forms, flags, ONBUILD. Input is untrusted: bad input is an error naming path:line:col,
// never a crash; bounded by ParseLimits.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "dockerfile/ast.h"

namespace mtr::dockerfile {

struct ParseLimits {
  std::size_t max_bytes = 16u << 20;      // whole file
  std::size_t max_instructions = 100000;  // instructions (ONBUILD inner ones included)
  std::size_t max_heredocs_per_instruction = 64;
  // BuildKit's parser keeps an unknown instruction (lower-cased keyword, no arguments; rules may
  // report it) and only its instruction layer rejects it. parse() does the same by default, so
  // that real-world files with template lines (`{{ ... }}`) still parse; false rejects them the
  // way `docker build` does.
  bool allow_unknown_instructions = true;
};

// Parses `text`; `path` is only used in errors and copied into Dockerfile::path.
// Errors (core::ErrorCode::kInvalidInput, location = path:line:col) are what BuildKit rejects:
// a file with no instructions, an unknown instruction (only when
// ParseLimits::allow_unknown_instructions is false), ENV/LABEL/ARG without
// their required parts (`ENV`, `ENV k`, `LABEL a=b c`), a JSON array with a non-string element,
// `ONBUILD ONBUILD`, an unterminated heredoc, invalid or repeated directives, a line longer than
// 65535 bytes (bufio.Scanner's limit). ParseLimits violations are kLimitExceeded.
core::Result<Dockerfile> parse(std::string_view text, std::string_view path,
                               const ParseLimits& limits = {});

// Whether `keyword` (lower-case) is one of the 18 instructions BuildKit builds.
bool is_known_instruction(std::string_view keyword);

// BuildKit's AST.Dump(): one line per instruction, "(keyword [\"--flag\" ...] \"arg\" ...)" with
// Go's %q quoting; ONBUILD as "(onbuild (run ...))". Used by the conformance tests.
std::string dump(const Dockerfile& file);

}  // namespace mtr::dockerfile
