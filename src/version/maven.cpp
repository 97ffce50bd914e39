// Maven version ordering: a port of maven-artifact 3.9.x ComparableVersion (the class Maven
// itself resolves ranges with). Items are numbers, qualifiers and nested lists; '-' and a
// letter/digit transition open a nested list, trailing "null" items (0, "", ga, final, release)
// are trimmed.
#include <string>
#include <vector>

#include "version/detail/numeric.h"
#include "version/version.h"

namespace mtr::version {
namespace {

using detail::compare_digits;

// A leaf of ComparableVersion: IntItem/LongItem/BigIntegerItem (compared by value) or StringItem.
struct Leaf {
  bool numeric = false;
  std::string text;  // digits, or the qualifier after aliasing ("cr" -> "rc", "ga" -> "")
};

// In ComparableVersion a nested list is only ever appended as the last item of the list being
// built, and parsing then continues inside it. So a version is a chain of lists: level k+1 is the
// last item of level k. Holding the chain flat keeps comparison iterative, so a hostile
// "1a1a1a..." cannot exhaust the stack through recursion.
struct Level {
  std::vector<Leaf> leaves;
};
using Chain = std::vector<Level>;

constexpr std::string_view kQualifiers[] = {"alpha",    "beta", "milestone", "rc",
                                            "snapshot", "",     "sp"};
constexpr std::string_view kReleaseIndex = "5";  // index of "" in kQualifiers

Leaf make_string(std::string value, bool followed_by_digit) {
  if (followed_by_digit && value.size() == 1) {
    // a1 = alpha-1, b1 = beta-1, m1 = milestone-1
    if (value == "a") value = "alpha";
    if (value == "b") value = "beta";
    if (value == "m") value = "milestone";
  }
  if (value == "ga" || value == "final" || value == "release") value.clear();
  if (value == "cr") value = "rc";
  return Leaf{false, std::move(value)};
}

Leaf make_item(bool is_digit, std::string_view text) {
  if (is_digit) return Leaf{true, std::string(text)};
  return make_string(std::string(text), false);
}

// Known qualifiers sort by position, unknown ones after them, lexically ("7-foo").
std::string comparable_qualifier(const std::string& q) {
  for (std::size_t i = 0; i < std::size(kQualifiers); ++i) {
    if (kQualifiers[i] == q) return std::to_string(i);
  }
  return std::to_string(std::size(kQualifiers)) + "-" + q;
}

bool is_null(const Leaf& leaf) {
  if (leaf.numeric) return compare_digits(leaf.text, "0") == 0;
  return comparable_qualifier(leaf.text) == kReleaseIndex;
}

Chain parse_maven(std::string_view original) {
  std::string version;
  version.reserve(original.size());
  for (char c : original) version.push_back(detail::to_lower(c));

  Chain chain(1);
  auto open_list = [&chain] { chain.emplace_back(); };
  auto current = [&chain]() -> std::vector<Leaf>& { return chain.back().leaves; };
  bool is_digit = false;
  std::size_t start = 0;
  const std::string_view v(version);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '.' || c == '-') {
      if (i == start) {
        current().push_back(Leaf{true, "0"});
      } else {
        current().push_back(make_item(is_digit, v.substr(start, i - start)));
      }
      start = i + 1;
      if (c == '-') open_list();
    } else if (detail::is_digit(c)) {
      if (!is_digit && i > start) {
        // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X
        if (!current().empty()) open_list();
        current().push_back(make_string(std::string(v.substr(start, i - start)), true));
        start = i;
        open_list();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        current().push_back(make_item(true, v.substr(start, i - start)));
        start = i;
        open_list();
      }
      is_digit = false;
    }
  }
  if (v.size() > start) {
    if (!is_digit && !current().empty()) open_list();
    current().push_back(make_item(is_digit, v.substr(start)));
  }

  // normalize(), innermost list first: an empty nested list is dropped from its parent, then
  // the parent's trailing null leaves (even those in front of a non-empty nested list).
  for (std::size_t k = chain.size(); k-- > 0;) {
    if (k + 1 < chain.size() && k + 2 == chain.size() && chain.back().leaves.empty())
      chain.pop_back();
    std::vector<Leaf>& leaves = chain[k].leaves;
    while (!leaves.empty() && is_null(leaves.back())) leaves.pop_back();
  }
  if (chain.size() > 1 && chain.back().leaves.empty()) chain.pop_back();
  return chain;
}

int compare_leaves(const Leaf& a, const Leaf& b) {
  if (a.numeric && b.numeric) return compare_digits(a.text, b.text);
  if (a.numeric != b.numeric) return a.numeric ? 1 : -1;  // 1.1 > 1-sp, 1.any < 1.1
  return detail::sign(comparable_qualifier(a.text).compare(comparable_qualifier(b.text)));
}

// Item.compareTo(null): how an item compares with a missing one.
int compare_leaf_with_null(const Leaf& a) {
  if (a.numeric) return is_null(a) ? 0 : 1;                                  // 1.0 == 1, 1.1 > 1
  return detail::sign(comparable_qualifier(a.text).compare(kReleaseIndex));  // 1-rc < 1, 1-ga == 1
}

// ListItem.compareTo(null) for level k and the lists nested in it (MNG-6964: every item counts).
int compare_list_with_null(const Chain& chain, std::size_t k) {
  for (; k < chain.size(); ++k) {
    for (const Leaf& leaf : chain[k].leaves) {
      if (int c = compare_leaf_with_null(leaf); c != 0) return c;
    }
  }
  return 0;
}

enum class Slot { kLeaf, kList, kMissing };

int compare_chains(const Chain& a, const Chain& b) {
  std::size_t i = 0;
  std::size_t j = 0;
  for (;;) {
    const std::vector<Leaf>& la = a[i].leaves;
    const std::vector<Leaf>& lb = b[j].leaves;
    const bool a_nested = i + 1 < a.size();
    const bool b_nested = j + 1 < b.size();
    const std::size_t na = la.size() + (a_nested ? 1 : 0);
    const std::size_t nb = lb.size() + (b_nested ? 1 : 0);
    bool descend = false;
    for (std::size_t p = 0; p < std::max(na, nb) && !descend; ++p) {
      const Slot sa = p < la.size() ? Slot::kLeaf : (p < na ? Slot::kList : Slot::kMissing);
      const Slot sb = p < lb.size() ? Slot::kLeaf : (p < nb ? Slot::kList : Slot::kMissing);
      int c = 0;
      if (sa == Slot::kList && sb == Slot::kList) {
        descend = true;  // both nested lists are the last items: compare them next
        continue;
      }
      if (sa == Slot::kLeaf && sb == Slot::kLeaf) {
        c = compare_leaves(la[p], lb[p]);
      } else if (sa == Slot::kLeaf && sb == Slot::kList) {
        c = la[p].numeric ? 1 : -1;  // 1.1 > 1-1, 1-sp < 1-1
      } else if (sa == Slot::kList && sb == Slot::kLeaf) {
        c = lb[p].numeric ? -1 : 1;
      } else if (sb == Slot::kMissing) {
        c = sa == Slot::kLeaf ? compare_leaf_with_null(la[p]) : compare_list_with_null(a, i + 1);
      } else {
        c = -(sb == Slot::kLeaf ? compare_leaf_with_null(lb[p]) : compare_list_with_null(b, j + 1));
      }
      if (c != 0) return c;
    }
    if (!descend) return 0;
    ++i;
    ++j;
  }
}

}  // namespace

int compare_maven(std::string_view a, std::string_view b) {
  return compare_chains(parse_maven(a), parse_maven(b));
}

}  // namespace mtr::version
