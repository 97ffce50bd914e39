// Debian version ordering (Debian Policy §5.6.12, as dpkg and apt implement it):
// [epoch:]upstream[-revision], compared part by part with dpkg's verrevcmp.
//
// The function is total: it never fails, because the vulnerability matcher must order whatever
// a package database says. Valid versions order exactly as dpkg does. For strings dpkg rejects,
// we follow apt's debVersioningSystem (which python3-apt exposes and which orders every string)
// where apt is well defined, and these documented choices where it is not:
//   * The epoch is everything before the FIRST ':'. Leading zeros are dropped and what is left is
//     compared with the same fragment rule as the rest (so a numeric epoch compares as a number
//     of any length, and a non-numeric one, which dpkg rejects, still orders deterministically).
//     An empty epoch (":1.0") counts as 0 and its ':' is skipped (apt keeps the ':' in the
//     upstream part there; dpkg rejects the string).
//   * The revision starts after the LAST '-' of what follows the epoch; no '-' means revision
//     "0" (policy: absent revision equals "0"). An empty upstream or revision is older than any
//     non-empty one not starting with '~' (apt's rule; dpkg would equate "" with "0"). A version
//     part that starts with its only '-'
//     ("-1") has an empty upstream and revision "1" (apt reads before the buffer there).
//   * A NUL byte is an ordinary non-letter character (order 256).
//   * Bytes >= 0x80 sort between letters and ASCII punctuation, as apt's and dpkg's
//     `c + 256` on a signed char gives.

#include <cstddef>
#include <string_view>

#include "version/version.h"

namespace mtr::version {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Weight of the character at s[i] in a non-digit run: '~' before the end of the run (i past
// the end, or a digit), the end before letters, letters before everything else.
int order(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  const char c = s[i];
  if (is_digit(c)) return 0;  // a digit ends the non-digit run: weighs as the end
  if (is_alpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  const auto byte = static_cast<unsigned char>(c);
  // dpkg computes `c + 256` on a (signed) char: high bytes land in 128..255.
  return byte >= 0x80 ? static_cast<int>(byte) : static_cast<int>(byte) + 256;
}

// dpkg's verrevcmp on one part (epoch, upstream or revision).
int compare_fragment(std::string_view a, std::string_view b) {
  // An empty part (dpkg rejects empty upstreams and revisions) is older than any non-empty one
  // that does not start with '~', as apt orders it: "1.0-" < "1.0" (revision "" < "0").
  if (a.empty() != b.empty()) {
    const std::string_view other = a.empty() ? b : a;
    const int empty_side = other.front() == '~' ? 1 : -1;
    return a.empty() ? empty_side : -empty_side;
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    // Non-digit run, character by character.
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      const int ac = order(a, i);
      const int bc = order(b, j);
      if (ac != bc) return ac < bc ? -1 : 1;
      if (i < a.size() && !is_digit(a[i])) ++i;
      if (j < b.size() && !is_digit(b[j])) ++j;
    }
    // Digit run, as a number of any length: skip leading zeros, then the longer run is larger,
    // and among equal lengths the first differing digit decides.
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    int first_diff = 0;
    while (i < a.size() && is_digit(a[i]) && j < b.size() && is_digit(b[j])) {
      if (first_diff == 0 && a[i] != b[j]) first_diff = a[i] < b[j] ? -1 : 1;
      ++i;
      ++j;
    }
    if (i < a.size() && is_digit(a[i])) return 1;
    if (j < b.size() && is_digit(b[j])) return -1;
    if (first_diff != 0) return first_diff;
  }
  return 0;
}

struct DebVersion {
  std::string_view epoch;
  std::string_view upstream;
  std::string_view revision;
};

DebVersion split(std::string_view v) {
  DebVersion out;
  std::string_view rest = v;
  if (const auto colon = v.find(':'); colon != std::string_view::npos) {
    out.epoch = v.substr(0, colon);
    while (!out.epoch.empty() && out.epoch.front() == '0') out.epoch.remove_prefix(1);
    rest = v.substr(colon + 1);
  }
  if (const auto dash = rest.rfind('-'); dash != std::string_view::npos) {
    out.upstream = rest.substr(0, dash);
    out.revision = rest.substr(dash + 1);
  } else {
    out.upstream = rest;
    out.revision = "0";
  }
  return out;
}

}  // namespace

int compare_dpkg(std::string_view a, std::string_view b) {
  const DebVersion x = split(a);
  const DebVersion y = split(b);
  if (const int c = compare_fragment(x.epoch, y.epoch); c != 0) return c;
  if (const int c = compare_fragment(x.upstream, y.upstream); c != 0) return c;
  return compare_fragment(x.revision, y.revision);
}

}  // namespace mtr::version
