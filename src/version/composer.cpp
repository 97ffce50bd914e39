// Composer/Packagist version ordering: Composer compares versions with PHP's version_compare
// after dropping a leading 'v'. This is version_compare's canonicalisation (separators and
// letter/digit transitions become '.') and its order of special forms:
// unknown < dev < alpha = a < beta = b < RC = rc < number < pl = p.
#include <string>
#include <string_view>

#include "version/detail/numeric.h"
#include "version/version.h"

namespace mtr::version {
namespace {

using detail::is_alnum;
using detail::is_digit;

// php_canonicalize_version: [-_+] and other non-alphanumerics become one '.', and a '.' is
// inserted between a digit and a non-digit. Unlike PHP, leading and trailing separators are
// dropped: PHP copies the first character as is and compares an empty trailing element with
// "#N#", so that "1.0-" or "." would be older than themselves; Composer's normaliser never
// produces such strings.
std::string canonicalize(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (!is_alnum(c)) {
      if (!out.empty() && out.back() != '.') out.push_back('.');
      continue;
    }
    if (!out.empty() && out.back() != '.' && is_digit(c) != is_digit(out.back()))
      out.push_back('.');
    out.push_back(c);
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// compare_special_version_forms: the first form the element starts with decides (strncmp).
int special_order(std::string_view form) {
  static constexpr std::pair<std::string_view, int> kForms[] = {
      {"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
      {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
  for (const auto& [name, order] : kForms) {
    if (form.substr(0, name.size()) == name) return order;
  }
  return -1;
}

int compare_special(std::string_view a, std::string_view b) {
  return detail::sign(special_order(a) - special_order(b));
}

bool starts_with_digit(std::string_view s) { return !s.empty() && is_digit(s.front()); }

// Compares one element as version_compare does. Numbers are compared by value at any length
// (PHP's strtol saturates beyond 2^63; Composer's own parser keeps them as strings).
int compare_element(std::string_view x, std::string_view y) {
  const bool xd = starts_with_digit(x);
  const bool yd = starts_with_digit(y);
  if (xd && yd) {
    std::size_t xe = 0;
    while (xe < x.size() && is_digit(x[xe])) ++xe;
    std::size_t ye = 0;
    while (ye < y.size() && is_digit(y[ye])) ++ye;
    return detail::compare_digits(x.substr(0, xe), y.substr(0, ye));
  }
  if (!xd && !yd) return compare_special(x, y);
  return xd ? compare_special("#N#", y) : compare_special(x, "#N#");
}

// php_version_compare, with its tail call (the rest of the longer version against "#N#")
// turned into a loop so that a long hostile string cannot recurse deeply.
int php_version_compare(std::string_view orig1, std::string_view orig2) {
  std::string hold1(orig1);
  std::string hold2(orig2);
  for (;;) {
    // "#N#" stands for "any number" and is not canonicalised, as in PHP.
    const std::string v1 = hold1.starts_with('#') ? hold1 : canonicalize(hold1);
    const std::string v2 = hold2.starts_with('#') ? hold2 : canonicalize(hold2);
    if (v1.empty() || v2.empty()) {
      if (v1.empty() && v2.empty()) return 0;
      return v1.empty() ? -1 : 1;
    }
    std::size_t p1 = 0;
    std::size_t p2 = 0;
    bool more1 = true;  // PHP's n1 != NULL: a '.' followed the element just compared
    bool more2 = true;
    int result = 0;
    while (p1 < v1.size() && p2 < v2.size() && more1 && more2) {
      const std::size_t d1 = v1.find('.', p1);
      const std::size_t d2 = v2.find('.', p2);
      more1 = d1 != std::string::npos;
      more2 = d2 != std::string::npos;
      const std::string_view e1 =
          std::string_view(v1).substr(p1, more1 ? d1 - p1 : std::string::npos);
      const std::string_view e2 =
          std::string_view(v2).substr(p2, more2 ? d2 - p2 : std::string::npos);
      result = compare_element(e1, e2);
      if (result != 0) return result;
      if (more1) p1 = d1 + 1;
      if (more2) p2 = d2 + 1;
    }
    // The longer version decides: a further number makes it newer, otherwise its rest is
    // compared with a bare number ("1.0-beta" < "1.0" < "1.0-pl1").
    if (more1) {
      if (p1 < v1.size() && is_digit(v1[p1])) return 1;
      hold1 = v1.substr(p1);
      hold2 = "#N#";
    } else if (more2) {
      if (p2 < v2.size() && is_digit(v2[p2])) return -1;
      hold1 = "#N#";
      hold2 = v2.substr(p2);
    } else {
      return 0;
    }
  }
}

}  // namespace

int compare_composer(std::string_view a, std::string_view b) {
  auto strip_v = [](std::string_view s) {
    if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) s.remove_prefix(1);
    return s;
  };
  return php_version_compare(strip_v(a), strip_v(b));
}

}  // namespace mtr::version
