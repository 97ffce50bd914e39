// Alpine (apk-tools) version ordering: number{.number}...{letter}{_suffix{number}}...{-r#}.
//
// The string is read as a sequence of typed tokens, the way apk-tools 2.x reads it, and two
// versions are compared token by token while the token kinds agree:
//   * numbers after the first compare "fractionally" when they start with '0': a run of n zeros
//     weighs -n and the digits after it form a token of their own, so 1.01 < 1.1 and
//     1.001 < 1.01 (apk's rule for "1.02" style components). Other numbers compare as numbers
//     of any length (apk-tools keeps them in an int and wraps; we never overflow).
//   * a letter after the numbers compares by its byte; a letter is newer than none (1.0a > 1.0).
//   * suffixes _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p, each with
//     an optional number (absent is 0).
//   * -rN is the package revision (absent is -r0).
// When everything read so far is equal but the sides go on differently, the side that goes on
// with a number is newer than one going on with a letter, then a suffix, a suffix number, a
// revision, and the side that has ended is oldest: 1.0 < 1.0-r0 < 1.0_p < 1.0a < 1.0.1. A
// pre-release suffix (_alpha.._rc) is the exception: its side is older (1.0_rc < 1.0).
//
// Invalid strings (a character outside the grammar, a token out of order, an unknown suffix)
// are still ordered: the invalid token stops the comparison, everything before it compares as
// apk-tools compares it, and then the side that turned invalid is the OLDER one (apk-tools 2.x
// makes it the newer one; see Kind::kInvalid). Two sides that turn invalid at the same point
// are equal. Deterministic and total.

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

#include "version/version.h"

namespace mtr::version {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

// Token kinds in apk's order; the order matters for the "who ran out first" rule.
enum class Kind {
  kDigitOrZero = 0,  // a number after '.', where leading zeros are special
  kDigit = 1,
  kLetter = 2,
  kSuffix = 3,
  kSuffixNumber = 4,
  kRevision = 5,
  kEnd = 6,
  // apk-tools 2.x ranks an invalid token below all others (so "1.0-x" > "1.0"); we rank it
  // last, so that a version that turns invalid is OLDER than one that stays valid. That is
  // the safe side for a vulnerability matcher (garbage is not taken for a fixed version) and
  // it is what the peer vectors (osv-scalibr) expect.
  kInvalid = 7,
};

int rank(Kind k) { return static_cast<int>(k); }

// A token's weight. Numbers are digit strings without leading zeros, compared by length then
// bytes; a run of leading zeros in a kDigitOrZero component weighs -zeros (below any number);
// letters and suffixes use `small`.
struct Weight {
  std::size_t zeros = 0;
  std::string_view digits;
  int small = 0;
};

int compare_weight(const Weight& a, const Weight& b) {
  if (a.zeros != b.zeros) {
    if (a.zeros == 0) return 1;
    if (b.zeros == 0) return -1;
    return a.zeros > b.zeros ? -1 : 1;
  }
  if (a.digits.size() != b.digits.size()) return a.digits.size() < b.digits.size() ? -1 : 1;
  if (const int c = a.digits.compare(b.digits); c != 0) return c < 0 ? -1 : 1;
  if (a.small != b.small) return a.small < b.small ? -1 : 1;
  return 0;
}

constexpr std::string_view kPreSuffixes[] = {"alpha", "beta", "pre", "rc"};
constexpr std::string_view kPostSuffixes[] = {"cvs", "svn", "git", "hg", "p"};

class Reader {
 public:
  explicit Reader(std::string_view s) : rest_(s) {}
  Kind kind() const { return kind_; }

  // Reads the token of the current kind and moves on to the next kind.
  Weight next() {
    Weight w;
    if (rest_.empty()) {
      kind_ = Kind::kEnd;
      return w;
    }
    std::size_t used = 0;
    bool forced_digit = false;
    switch (kind_) {
      case Kind::kDigitOrZero:
        if (rest_[0] == '0') {
          while (used < rest_.size() && rest_[used] == '0') ++used;
          w.zeros = used;
          forced_digit = true;
          break;
        }
        [[fallthrough]];
      case Kind::kDigit:
      case Kind::kSuffixNumber:
      case Kind::kRevision: {
        while (used < rest_.size() && is_digit(rest_[used])) ++used;
        std::string_view digits = rest_.substr(0, used);
        while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
        w.digits = digits;
        break;
      }
      case Kind::kLetter:
        w.small = static_cast<unsigned char>(rest_[0]);
        used = 1;
        break;
      case Kind::kSuffix: {
        const auto suffix = match_suffix(used);
        if (!suffix) {
          kind_ = Kind::kInvalid;
          w.small = -1;  // apk returns -1 for an invalid token
          return w;
        }
        w.small = *suffix;
        break;
      }
      case Kind::kInvalid:
      case Kind::kEnd:
        kind_ = Kind::kInvalid;
        w.small = -1;
        return w;
    }
    rest_.remove_prefix(used);
    if (rest_.empty()) {
      kind_ = Kind::kEnd;
    } else if (forced_digit && (is_digit(rest_[0]) || rest_[0] == '.')) {
      // The digits after the zeros are a token of their own (empty before a '.').
      kind_ = Kind::kDigit;
    } else {
      // apk-tools 2.x also reads an empty number when a letter, '_' or '-' follows the zeros,
      // and that number outranks a side that has ended: it orders 1.0_rc1 > 1.0, unlike
      // 1.1_rc1 < 1.1. We go straight to the next kind, so that zero-led components behave like
      // the others; comparisons with a side that goes on with digits or '.' are unchanged.
      advance_kind();
    }
    return w;
  }

 private:
  // Weight of the suffix at the start of rest_: pre-release ones negative, post-release ones
  // from 0 up. Sets `used` to its length.
  std::optional<int> match_suffix(std::size_t& used) const {
    int index = 0;
    for (const auto s : kPreSuffixes) {
      if (rest_.substr(0, s.size()) == s) {
        used = s.size();
        return index - static_cast<int>(std::size(kPreSuffixes));
      }
      ++index;
    }
    index = 0;
    for (const auto s : kPostSuffixes) {
      if (rest_.substr(0, s.size()) == s) {
        used = s.size();
        return index;
      }
      ++index;
    }
    return std::nullopt;
  }

  // Decides the kind of the next token from the separator or character class ahead, consuming
  // separators, and rejects kinds that may not follow the current one.
  void advance_kind() {
    Kind n = Kind::kInvalid;
    const char c = rest_[0];
    if ((kind_ == Kind::kDigit || kind_ == Kind::kDigitOrZero) && is_lower(c)) {
      n = Kind::kLetter;
    } else if (kind_ == Kind::kLetter && is_digit(c)) {
      n = Kind::kDigit;
    } else if (kind_ == Kind::kSuffix && is_digit(c)) {
      n = Kind::kSuffixNumber;
    } else {
      if (c == '.') {
        n = Kind::kDigitOrZero;
      } else if (c == '_') {
        n = Kind::kSuffix;
      } else if (c == '-' && rest_.size() > 1 && rest_[1] == 'r') {
        n = Kind::kRevision;
        rest_.remove_prefix(1);
      }
      rest_.remove_prefix(1);
    }
    if (rank(n) < rank(kind_)) {
      const bool allowed = (n == Kind::kDigitOrZero && kind_ == Kind::kDigit) ||
                           (n == Kind::kSuffix && kind_ == Kind::kSuffixNumber) ||
                           (n == Kind::kDigit && kind_ == Kind::kLetter);
      if (!allowed) n = Kind::kInvalid;
    }
    kind_ = n;
  }

  std::string_view rest_;
  Kind kind_ = Kind::kDigit;
};

}  // namespace

int compare_apk(std::string_view a, std::string_view b) {
  Reader x(a);
  Reader y(b);
  Weight wa;
  Weight wb;
  int diff = 0;
  while (x.kind() == y.kind() && x.kind() != Kind::kEnd && x.kind() != Kind::kInvalid &&
         diff == 0) {
    wa = x.next();
    wb = y.next();
    diff = compare_weight(wa, wb);
  }
  if (diff != 0) return diff;
  if (x.kind() == y.kind()) return 0;

  // Equal so far; one side goes on. A pre-release suffix makes its side older.
  if (x.kind() == Kind::kSuffix) {
    Reader peek = x;
    if (peek.next().small < 0) return -1;
  }
  if (y.kind() == Kind::kSuffix) {
    Reader peek = y;
    if (peek.next().small < 0) return 1;
  }
  if (rank(x.kind()) > rank(y.kind())) return -1;
  if (rank(y.kind()) > rank(x.kind())) return 1;
  return 0;
}

}  // namespace mtr::version
