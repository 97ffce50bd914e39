// NuGet version ordering (NuGet.Versioning VersionComparer.Default): up to four numeric parts
// (missing ones are 0, leading zeros allowed), case-insensitive pre-release labels compared
// as SemVer 2 does, build metadata ignored.
#include <string_view>
#include <vector>

#include "version/detail/numeric.h"
#include "version/version.h"

namespace mtr::version {
namespace {

using detail::all_digits;

struct NuGetVersion {
  std::vector<std::string_view> parts;   // Major.Minor.Patch.Revision, possibly fewer
  std::vector<std::string_view> labels;  // pre-release labels
  bool valid = true;                     // false: some part is not a number (NuGet would reject)
  std::string_view main;                 // text before metadata, for the tie-break of invalid ones
};

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    out.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

NuGetVersion parse_nuget(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  NuGetVersion v;
  if (const std::size_t plus = s.find('+'); plus != std::string_view::npos) s = s.substr(0, plus);
  v.main = s;
  std::string_view numbers = s;
  if (const std::size_t dash = s.find('-'); dash != std::string_view::npos) {
    numbers = s.substr(0, dash);
    v.labels = split(s.substr(dash + 1), '.');
  }
  v.parts = split(numbers, '.');
  if (v.parts.size() > 4) v.valid = false;
  for (std::string_view p : v.parts) v.valid = v.valid && all_digits(p);
  return v;
}

int compare_label(std::string_view a, std::string_view b) {
  const bool an = all_digits(a);
  const bool bn = all_digits(b);
  if (an && bn) return detail::compare_digits(a, b);
  if (an != bn) return an ? -1 : 1;  // numeric labels sort before alphanumeric ones
  return detail::compare_ignore_case(a, b);
}

}  // namespace

int compare_nuget(std::string_view a, std::string_view b) {
  const NuGetVersion va = parse_nuget(a);
  const NuGetVersion vb = parse_nuget(b);
  const std::size_t n = std::max(va.parts.size(), vb.parts.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::string_view x = i < va.parts.size() ? va.parts[i] : "0";
    std::string_view y = i < vb.parts.size() ? vb.parts[i] : "0";
    // Parts NuGet would reject count as 0 here; the tie-break below keeps such versions apart.
    if (!all_digits(x)) x = "0";
    if (!all_digits(y)) y = "0";
    if (int c = detail::compare_digits(x, y); c != 0) return c;
  }
  if (va.labels.empty() != vb.labels.empty()) return va.labels.empty() ? 1 : -1;
  const std::size_t m = std::min(va.labels.size(), vb.labels.size());
  for (std::size_t i = 0; i < m; ++i) {
    if (int c = compare_label(va.labels[i], vb.labels[i]); c != 0) return c;
  }
  if (va.labels.size() != vb.labels.size()) return va.labels.size() < vb.labels.size() ? -1 : 1;
  if (!va.valid || !vb.valid) return detail::compare_ignore_case(va.main, vb.main);
  return 0;
}

}  // namespace mtr::version
