// RubyGems version ordering (Gem::Version#<=>): segments are runs of digits or of letters, a
// letter makes a prerelease, and trailing zeros of the release and prerelease parts are
// insignificant (1.0 == 1, 1.0.a == 1.a).
#include <string_view>
#include <vector>

#include "version/detail/numeric.h"
#include "version/version.h"

namespace mtr::version {
namespace {

using detail::is_alpha;
using detail::is_digit;

struct Segment {
  bool numeric = false;
  std::string_view text;
};

bool is_zero(const Segment& s) { return s.numeric && detail::compare_digits(s.text, "0") == 0; }

// Gem::Version#canonical_segments. A '-' becomes ".pre." in Gem::Version, which adds the
// letter segment "pre"; we add it without copying the string.
std::vector<Segment> canonical_segments(std::string_view v) {
  static constexpr std::string_view kPre = "pre";
  std::vector<Segment> all;
  std::size_t i = 0;
  while (i < v.size()) {
    if (v[i] == '-') {
      all.push_back(Segment{false, kPre});
      ++i;
    } else if (is_digit(v[i]) || is_alpha(v[i])) {
      const bool digits = is_digit(v[i]);
      const std::size_t start = i;
      while (i < v.size() && (digits ? is_digit(v[i]) : is_alpha(v[i]))) ++i;
      all.push_back(Segment{digits, v.substr(start, i - start)});
    } else {
      ++i;  // '.', white space and anything Gem::Version would reject are separators here
    }
  }
  // Drop trailing zeros of the numeric part (before the first string) and of the rest.
  std::size_t first_string = 0;
  while (first_string < all.size() && all[first_string].numeric) ++first_string;
  std::vector<Segment> out;
  std::size_t end = first_string;
  while (end > 0 && is_zero(all[end - 1])) --end;
  out.insert(out.end(), all.begin(), all.begin() + static_cast<std::ptrdiff_t>(end));
  std::size_t tail_end = all.size();
  while (tail_end > first_string && is_zero(all[tail_end - 1])) --tail_end;
  out.insert(out.end(), all.begin() + static_cast<std::ptrdiff_t>(first_string),
             all.begin() + static_cast<std::ptrdiff_t>(tail_end));
  return out;
}

}  // namespace

int compare_rubygems(std::string_view a, std::string_view b) {
  const std::vector<Segment> la = canonical_segments(a);
  const std::vector<Segment> lb = canonical_segments(b);
  static constexpr Segment kZero{true, "0"};
  const std::size_t n = std::max(la.size(), lb.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Segment& x = i < la.size() ? la[i] : kZero;
    const Segment& y = i < lb.size() ? lb[i] : kZero;
    if (x.numeric && y.numeric) {
      if (int c = detail::compare_digits(x.text, y.text); c != 0) return c;
    } else if (x.numeric != y.numeric) {
      return x.numeric ? 1 : -1;  // a prerelease letter segment sorts before any number
    } else if (int c = detail::sign(x.text.compare(y.text)); c != 0) {
      return c;
    }
  }
  return 0;
}

}  // namespace mtr::version
