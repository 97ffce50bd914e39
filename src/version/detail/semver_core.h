// The SemVer 2.0.0 grammar and precedence, shared by npm/cargo (semver.cpp) and Go modules
// (golang.cpp), which differ only in the prefix and shorthand they accept.
#pragma once

#include <string_view>
#include <vector>

namespace mtr::version::detail {

struct SemVer {
  std::string_view major;
  std::string_view minor;
  std::string_view patch;
  std::vector<std::string_view> prerelease;  // dot-separated identifiers; empty for a release
};

enum class SemVerShorthand {
  kNone,           // major.minor.patch required
  kMajorMinorOnly  // Go: v1 and v1.2 mean v1.0.0 and v1.2.0, but only without pre-release/build
};

// Parses "X.Y.Z[-pre][+build]" (no prefix). Returns an empty string on success, otherwise what
// is wrong, for the caller's error message.
std::string_view parse_semver_core(std::string_view text, SemVerShorthand shorthand, SemVer& out);

// SemVer precedence: build metadata is already dropped by the parser.
int compare_semver_core(const SemVer& a, const SemVer& b);

}  // namespace mtr::version::detail
