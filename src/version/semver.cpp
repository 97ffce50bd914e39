// SemVer 2.0.0 precedence for npm and cargo, with npm's loose prefix ("v", "=", spaces).
#include <fmt/format.h>

#include "version/detail/numeric.h"
#include "version/detail/semver_core.h"
#include "version/version.h"

namespace mtr::version {
namespace detail {
namespace {

bool is_identifier_char(char c) { return is_alnum(c) || c == '-'; }

// A numeric identifier: digits without a leading zero (SemVer 2.0.0 §2, §9).
std::string_view check_number(std::string_view s, std::string_view what) {
  if (!all_digits(s)) return what;
  if (s.size() > 1 && s.front() == '0') return "a number has a leading zero";
  return {};
}

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
}

}  // namespace

std::string_view parse_semver_core(std::string_view text, SemVerShorthand shorthand, SemVer& out) {
  std::string_view build;
  std::string_view pre;
  bool has_build = false;
  bool has_pre = false;
  if (const std::size_t plus = text.find('+'); plus != std::string_view::npos) {
    build = text.substr(plus + 1);
    text = text.substr(0, plus);
    has_build = true;
  }
  // The first '-' after the core starts the pre-release; later '-' belong to identifiers.
  if (const std::size_t dash = text.find('-'); dash != std::string_view::npos) {
    pre = text.substr(dash + 1);
    text = text.substr(0, dash);
    has_pre = true;
  }
  const std::vector<std::string_view> core = split_dots(text);
  const bool short_ok = shorthand == SemVerShorthand::kMajorMinorOnly && !has_pre && !has_build;
  if (core.size() > 3) return "more than three numeric parts (major.minor.patch)";
  if (core.size() < 3 && !short_ok) return "expected major.minor.patch";
  for (std::string_view part : core) {
    if (std::string_view why = check_number(part, "major, minor and patch must be numbers");
        !why.empty()) {
      return why;
    }
  }
  out.major = core[0];
  out.minor = core.size() > 1 ? core[1] : std::string_view("0");
  out.patch = core.size() > 2 ? core[2] : std::string_view("0");
  out.prerelease.clear();
  if (has_pre) {
    for (std::string_view id : split_dots(pre)) {
      if (id.empty()) return "empty pre-release identifier";
      for (char c : id) {
        if (!is_identifier_char(c)) return "pre-release identifiers allow only [0-9A-Za-z-]";
      }
      if (all_digits(id) && id.size() > 1 && id.front() == '0') {
        return "numeric pre-release identifier has a leading zero";
      }
      out.prerelease.push_back(id);
    }
  }
  if (has_build) {
    for (std::string_view id : split_dots(build)) {
      if (id.empty()) return "empty build identifier";
      for (char c : id) {
        if (!is_identifier_char(c)) return "build identifiers allow only [0-9A-Za-z-]";
      }
    }
  }
  return {};
}

int compare_semver_core(const SemVer& a, const SemVer& b) {
  if (int c = compare_digits(a.major, b.major); c != 0) return c;
  if (int c = compare_digits(a.minor, b.minor); c != 0) return c;
  if (int c = compare_digits(a.patch, b.patch); c != 0) return c;
  // A release sorts after all of its pre-releases (§11.3).
  if (a.prerelease.empty() != b.prerelease.empty()) return a.prerelease.empty() ? 1 : -1;
  const std::size_t n = std::min(a.prerelease.size(), b.prerelease.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view x = a.prerelease[i];
    const std::string_view y = b.prerelease[i];
    const bool xn = all_digits(x);
    const bool yn = all_digits(y);
    int c = 0;
    if (xn && yn) {
      c = compare_digits(x, y);
    } else if (xn != yn) {
      c = xn ? -1 : 1;  // numeric identifiers have lower precedence than alphanumeric ones
    } else {
      c = sign(x.compare(y));  // ASCII order, case-sensitive
    }
    if (c != 0) return c;
  }
  if (a.prerelease.size() == b.prerelease.size()) return 0;
  return a.prerelease.size() < b.prerelease.size() ? -1 : 1;
}

}  // namespace detail

namespace {

// npm's loose form: surrounding white space and any run of 'v', '=' and spaces in front.
core::Result<detail::SemVer> parse_npm(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && detail::is_space(s.back())) s.remove_suffix(1);
  while (!s.empty() && (detail::is_space(s.front()) || s.front() == 'v' || s.front() == '=')) {
    s.remove_prefix(1);
  }
  detail::SemVer v;
  if (s.empty()) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      fmt::format("invalid semantic version '{}': empty", text));
  }
  if (std::string_view why = detail::parse_semver_core(s, detail::SemVerShorthand::kNone, v);
      !why.empty()) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      fmt::format("invalid semantic version '{}': {}", text, why));
  }
  return v;
}

}  // namespace

core::Result<int> compare_semver(std::string_view a, std::string_view b) {
  const detail::SemVer va = MTR_TRY(parse_npm(a));
  const detail::SemVer vb = MTR_TRY(parse_npm(b));
  return detail::compare_semver_core(va, vb);
}

}  // namespace mtr::version
