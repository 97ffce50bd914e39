// Go module version ordering, as golang.org/x/mod/semver.Compare orders them: a required 'v',
// the shorthands v1 and v1.2, "+incompatible" (build metadata, so ignored), and
// pseudo-versions, which are ordinary SemVer pre-releases and need no special case.
#include <fmt/format.h>

#include "version/detail/semver_core.h"
#include "version/version.h"

namespace mtr::version {
namespace {

core::Result<detail::SemVer> parse_go(std::string_view text) {
  detail::SemVer v;
  if (text.empty() || text.front() != 'v') {
    return core::fail(core::ErrorCode::kInvalidInput,
                      fmt::format("invalid Go module version '{}': must start with 'v'", text));
  }
  if (std::string_view why =
          detail::parse_semver_core(text.substr(1), detail::SemVerShorthand::kMajorMinorOnly, v);
      !why.empty()) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      fmt::format("invalid Go module version '{}': {}", text, why));
  }
  return v;
}

}  // namespace

core::Result<int> compare_golang(std::string_view a, std::string_view b) {
  const detail::SemVer va = MTR_TRY(parse_go(a));
  const detail::SemVer vb = MTR_TRY(parse_go(b));
  return detail::compare_semver_core(va, vb);
}

}  // namespace mtr::version
