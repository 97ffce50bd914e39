// PEP 440 version ordering for PyPI, as python-packaging's Version parses and orders it:
// normalised spellings, epochs, pre/post/dev releases and local versions.
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "version/detail/numeric.h"
#include "version/version.h"

namespace mtr::version {
namespace {

using detail::compare_digits;
using detail::is_alnum;
using detail::is_digit;

enum class PreKind { kAlpha, kBeta, kRc };

struct Pep440 {
  std::string epoch = "0";
  std::vector<std::string> release;  // trailing zeros removed: 1.0 == 1.0.0
  bool has_pre = false;
  PreKind pre_kind = PreKind::kAlpha;
  std::string pre_number;
  bool has_post = false;
  std::string post_number;
  bool has_dev = false;
  std::string dev_number;
  bool has_local = false;
  std::vector<std::string> local;
};

// A cursor over the lower-cased text; the grammar is packaging's VERSION_PATTERN.
class Parser {
 public:
  explicit Parser(std::string text) : s_(std::move(text)) {}

  bool at_end() const { return i_ == s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  bool take(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  bool take_separator() { return take('-') || take('_') || take('.'); }
  std::string digits() {
    const std::size_t start = i_;
    while (is_digit(peek())) ++i_;
    return s_.substr(start, i_ - start);
  }
  // Takes the longest of `words` found here. No shorter spelling of the grammar's words can
  // continue a valid version where a longer one matched, so longest-match equals the regex.
  std::string_view word(std::initializer_list<std::string_view> words) {
    std::string_view best;
    for (std::string_view w : words) {
      if (w.size() > best.size() && std::string_view(s_).substr(i_, w.size()) == w) best = w;
    }
    i_ += best.size();
    return best;
  }
  std::size_t mark() const { return i_; }
  void reset(std::size_t mark) { i_ = mark; }
  std::string rest() const { return s_.substr(i_); }

 private:
  std::string s_;
  std::size_t i_ = 0;
};

std::string zero_if_empty(std::string s) { return s.empty() ? std::string("0") : std::move(s); }

core::Result<Pep440> parse_pep440(std::string_view text) {
  auto invalid = [&](std::string_view why) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      fmt::format("invalid PEP 440 version '{}': {}", text, why));
  };
  std::string_view trimmed = text;
  while (!trimmed.empty() && detail::is_space(trimmed.front())) trimmed.remove_prefix(1);
  while (!trimmed.empty() && detail::is_space(trimmed.back())) trimmed.remove_suffix(1);
  std::string lower;
  lower.reserve(trimmed.size());
  for (char c : trimmed) lower.push_back(detail::to_lower(c));
  Parser p(std::move(lower));
  Pep440 v;

  p.take('v');
  std::string first = p.digits();
  if (first.empty()) return invalid("expected a release number");
  if (p.take('!')) {
    v.epoch = first;
    first = p.digits();
    if (first.empty()) return invalid("expected a release number after the epoch");
  }
  v.release.push_back(first);
  while (p.peek() == '.' && is_digit(p.peek(1))) {
    p.take('.');
    v.release.push_back(p.digits());
  }
  while (v.release.size() > 1 && compare_digits(v.release.back(), "0") == 0) v.release.pop_back();

  // Pre-release: [-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?N?
  {
    const std::size_t m = p.mark();
    p.take_separator();
    const std::string_view w = p.word({"a", "b", "c", "rc", "alpha", "beta", "pre", "preview"});
    if (w.empty()) {
      p.reset(m);
    } else {
      v.has_pre = true;
      v.pre_kind = (w == "a" || w == "alpha")  ? PreKind::kAlpha
                   : (w == "b" || w == "beta") ? PreKind::kBeta
                                               : PreKind::kRc;
      // The regex lets the separator stand without a number ("1.0a." is valid).
      p.take_separator();
      v.pre_number = zero_if_empty(p.digits());
    }
  }
  // Post-release: -N, or [-_.]?(post|rev|r)[-_.]?N?
  {
    const std::size_t m = p.mark();
    if (p.peek() == '-' && is_digit(p.peek(1))) {
      p.take('-');
      v.has_post = true;
      v.post_number = p.digits();
    } else {
      p.take_separator();
      const std::string_view w = p.word({"post", "rev", "r"});
      if (w.empty()) {
        p.reset(m);
      } else {
        v.has_post = true;
        // The regex lets the separator stand without a number ("1.0a." is valid).
        p.take_separator();
        v.post_number = zero_if_empty(p.digits());
      }
    }
  }
  // Development release: [-_.]?dev[-_.]?N?
  {
    const std::size_t m = p.mark();
    p.take_separator();
    if (p.word({"dev"}).empty()) {
      p.reset(m);
    } else {
      v.has_dev = true;
      // The regex lets the separator stand without a number ("1.0a." is valid).
      p.take_separator();
      v.dev_number = zero_if_empty(p.digits());
    }
  }
  // Local version: +[a-z0-9]+([-_.][a-z0-9]+)*
  if (p.take('+')) {
    v.has_local = true;
    const std::string rest = p.rest();
    std::string segment;
    for (std::size_t i = 0; i <= rest.size(); ++i) {
      const char c = i < rest.size() ? rest[i] : '.';
      if (c == '-' || c == '_' || c == '.') {
        if (segment.empty()) return invalid("empty segment in the local version");
        v.local.push_back(segment);
        segment.clear();
      } else if (is_alnum(c)) {
        segment.push_back(c);
      } else {
        return invalid(fmt::format("unexpected '{}' in the local version", c));
      }
    }
    return v;
  }
  if (!p.at_end()) return invalid(fmt::format("unexpected '{}'", p.rest()));
  return v;
}

int compare_numbers(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view x = i < a.size() ? std::string_view(a[i]) : "0";
    const std::string_view y = i < b.size() ? std::string_view(b[i]) : "0";
    if (int c = compare_digits(x, y); c != 0) return c;
  }
  return 0;
}

// packaging's _cmpkey: a final release with only .devN sorts before its pre-releases, a
// missing pre-release after them, a missing post-release before any, a missing dev after any.
int pre_rank(const Pep440& v) {
  if (!v.has_pre && !v.has_post && v.has_dev) return -1;
  if (!v.has_pre) return 3;
  return static_cast<int>(v.pre_kind);
}

int compare_local(const Pep440& a, const Pep440& b) {
  if (a.has_local != b.has_local) return a.has_local ? 1 : -1;
  const std::size_t n = std::min(a.local.size(), b.local.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& x = a.local[i];
    const std::string& y = b.local[i];
    const bool xn = detail::all_digits(x);
    const bool yn = detail::all_digits(y);
    int c = 0;
    if (xn && yn) {
      c = compare_digits(x, y);
    } else if (xn != yn) {
      c = xn ? 1 : -1;  // PEP 440: numeric local segments sort after alphanumeric ones
    } else {
      c = detail::sign(x.compare(y));
    }
    if (c != 0) return c;
  }
  if (a.local.size() == b.local.size()) return 0;
  return a.local.size() < b.local.size() ? -1 : 1;
}

int compare_parsed(const Pep440& a, const Pep440& b) {
  if (int c = compare_digits(a.epoch, b.epoch); c != 0) return c;
  if (int c = compare_numbers(a.release, b.release); c != 0) return c;
  const int ra = pre_rank(a);
  const int rb = pre_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (a.has_pre) {
    if (int c = compare_digits(a.pre_number, b.pre_number); c != 0) return c;
  }
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (a.has_post) {
    if (int c = compare_digits(a.post_number, b.post_number); c != 0) return c;
  }
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (a.has_dev) {
    if (int c = compare_digits(a.dev_number, b.dev_number); c != 0) return c;
  }
  return compare_local(a, b);
}

}  // namespace

core::Result<int> compare_pep440(std::string_view a, std::string_view b) {
  const Pep440 va = MTR_TRY(parse_pep440(a));
  const Pep440 vb = MTR_TRY(parse_pep440(b));
  return compare_parsed(va, vb);
}

}  // namespace mtr::version
