// RPM version ordering: rpm 4.18's rpmvercmp() on each part of [epoch:]version[-release],
// split the way rpm's parseEVR() splits it, and combined the way rpmverCmp() combines them.
//
// Written from rpm's documented behaviour (not linked against librpm: the library is a
// reference for the tests only). Total for any input:
//   * The epoch is the run of leading digits when a ':' follows it; otherwise there is no epoch
//     and the whole string is version[-release] ("abc:1" has version "abc:1", as in rpm).
//     Absent and empty epochs count as "0". Epochs are compared with rpmvercmp, i.e. as numbers
//     of any length.
//   * The release starts after the LAST '-' following the epoch. As in rpmverCmp() and python's
//     rpm.labelCompare(), a side with a release (even an empty one, "1.0-") is newer than the
//     same version without one; callers that want "1.0 matches any 1.0-<release>" (dependency
//     ranges) must strip the release themselves.
//   * rpmvercmp works on C strings: everything from a NUL byte on is ignored, as rpm would.

#include <cstddef>
#include <optional>
#include <string_view>

#include "version/version.h"

namespace mtr::version {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

std::string_view up_to_nul(std::string_view s) {
  const auto nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

int sign(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

// rpmvercmp: segments of letters or digits, separated by anything else. '~' sorts before
// everything (even the end), '^' after the end but before any further segment. A numeric
// segment beats an alphabetic one; numbers compare without leading zeros, by length, then
// digit by digit; letters compare bytewise.
int rpmvercmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  std::size_t i = 0;
  std::size_t j = 0;
  const auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !is_alnum(a[i]) && a[i] != '~' && a[i] != '^') ++i;
    while (j < b.size() && !is_alnum(b[j]) && b[j] != '~' && b[j] != '^') ++j;

    const char x = at(a, i);
    const char y = at(b, j);
    if (x == '~' || y == '~') {
      if (x != '~') return 1;
      if (y != '~') return -1;
      ++i;
      ++j;
      continue;
    }
    if (x == '^' || y == '^') {
      if (i >= a.size()) return -1;
      if (j >= b.size()) return 1;
      if (x != '^') return 1;
      if (y != '^') return -1;
      ++i;
      ++j;
      continue;
    }
    if (i >= a.size() || j >= b.size()) break;

    std::size_t ie = i;
    std::size_t je = j;
    const bool numeric = is_digit(a[i]);
    if (numeric) {
      while (ie < a.size() && is_digit(a[ie])) ++ie;
      while (je < b.size() && is_digit(b[je])) ++je;
    } else {
      while (ie < a.size() && is_alpha(a[ie])) ++ie;
      while (je < b.size() && is_alpha(b[je])) ++je;
    }
    // b's segment is empty when it is of the other kind: numeric beats alphabetic.
    if (je == j) return numeric ? 1 : -1;

    std::string_view sa = a.substr(i, ie - i);
    std::string_view sb = b.substr(j, je - j);
    if (numeric) {
      while (!sa.empty() && sa.front() == '0') sa.remove_prefix(1);
      while (!sb.empty() && sb.front() == '0') sb.remove_prefix(1);
      if (sa.size() != sb.size()) return sa.size() > sb.size() ? 1 : -1;
    }
    if (const int c = sa.compare(sb); c != 0) return sign(c);
    i = ie;
    j = je;
  }
  if (i >= a.size() && j >= b.size()) return 0;
  return i >= a.size() ? -1 : 1;
}

struct Evr {
  std::string_view epoch = "0";
  std::string_view version;
  std::optional<std::string_view> release;
};

Evr parse_evr(std::string_view s) {
  Evr out;
  std::size_t k = 0;
  while (k < s.size() && is_digit(s[k])) ++k;
  std::string_view rest = s;
  if (k < s.size() && s[k] == ':') {
    if (k > 0) out.epoch = s.substr(0, k);
    rest = s.substr(k + 1);
  }
  // rpm looks for the last '-' after the epoch digits; a ':'-less string starts there too.
  if (const auto dash = rest.rfind('-'); dash != std::string_view::npos) {
    out.version = rest.substr(0, dash);
    out.release = rest.substr(dash + 1);
  } else {
    out.version = rest;
  }
  return out;
}

}  // namespace

int compare_rpm(std::string_view a, std::string_view b) {
  const Evr x = parse_evr(up_to_nul(a));
  const Evr y = parse_evr(up_to_nul(b));
  if (const int c = rpmvercmp(x.epoch, y.epoch); c != 0) return c;
  if (const int c = rpmvercmp(x.version, y.version); c != 0) return c;
  if (x.release && y.release) return rpmvercmp(*x.release, *y.release);
  if (x.release) return 1;
  if (y.release) return -1;
  return 0;
}

}  // namespace mtr::version
