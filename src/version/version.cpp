#include "version/version.h"

#include <fmt/format.h>

namespace mtr::version {
namespace {
core::Result<int> total(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }
}  // namespace

const std::vector<std::string_view>& known_types() {
  static const std::vector<std::string_view> types = {
      "deb", "rpm", "apk", "pypi", "npm", "maven", "gem", "golang", "nuget", "composer", "cargo"};
  return types;
}

core::Result<int> compare(std::string_view type, std::string_view a, std::string_view b) {
  if (type == "deb") return total(compare_dpkg(a, b));
  if (type == "rpm") return total(compare_rpm(a, b));
  if (type == "apk") return total(compare_apk(a, b));
  if (type == "npm" || type == "cargo") return compare_semver(a, b);
  if (type == "pypi") return compare_pep440(a, b);
  if (type == "maven") return total(compare_maven(a, b));
  if (type == "gem") return total(compare_rubygems(a, b));
  if (type == "golang") return compare_golang(a, b);
  if (type == "nuget") return total(compare_nuget(a, b));
  if (type == "composer") return total(compare_composer(a, b));
  return core::fail(core::ErrorCode::kUsage, fmt::format("unknown version type '{}' (known: {})",
                                                         type, fmt::join(known_types(), ", ")));
}

}  // namespace mtr::version
