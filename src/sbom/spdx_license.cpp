#include "sbom/spdx_license.h"

#include <algorithm>
#include <span>
#include <vector>

#include "sbom/detail/spdx_license_list.h"

namespace mtr::sbom {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool less_ci(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return ascii_lower(x) < ascii_lower(y);
  });
}

bool equal_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

std::optional<std::string_view> find_ci(std::span<const std::string_view> sorted,
                                        std::string_view text) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), text, less_ci);
  if (it != sorted.end() && equal_ci(*it, text)) return *it;
  return std::nullopt;
}

bool is_idstring(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
  });
}

// "LicenseRef-x" or "DocumentRef-x:LicenseRef-y", prefixes matched as the spec spells them.
bool is_license_ref(std::string_view s) {
  constexpr std::string_view kDoc = "DocumentRef-";
  constexpr std::string_view kLic = "LicenseRef-";
  if (s.substr(0, kDoc.size()) == kDoc) {
    auto colon = s.find(':');
    if (colon == std::string_view::npos || !is_idstring(s.substr(kDoc.size(), colon - kDoc.size())))
      return false;
    s.remove_prefix(colon + 1);
  }
  return s.substr(0, kLic.size()) == kLic && is_idstring(s.substr(kLic.size()));
}

std::vector<std::string_view> tokenize(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back(text.substr(i, 1));
      ++i;
    } else {
      std::size_t start = i;
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
             text[i] != '\r' && text[i] != '(' && text[i] != ')') {
        ++i;
      }
      tokens.push_back(text.substr(start, i - start));
    }
  }
  return tokens;
}

// Recursive descent over Annex D's grammar; `out` receives the canonical spelling.
class ExpressionParser {
 public:
  explicit ExpressionParser(std::vector<std::string_view> tokens) : tokens_(std::move(tokens)) {}

  std::optional<std::string> parse() {
    if (tokens_.empty()) return std::nullopt;
    if (!parse_or(0) || pos_ != tokens_.size()) return std::nullopt;
    return std::move(out_);
  }

 private:
  // Untrusted text: nesting is bounded so that "((((…" cannot exhaust the stack.
  static constexpr int kMaxDepth = 32;

  std::string_view peek() const {
    return pos_ < tokens_.size() ? tokens_[pos_] : std::string_view();
  }

  void emit(std::string_view word) {
    if (!out_.empty() && out_.back() != '(' && word != ")") out_ += ' ';
    out_ += word;
  }

  bool parse_or(int depth) {
    if (!parse_and(depth)) return false;
    while (peek() == "OR") {
      ++pos_;
      emit("OR");
      if (!parse_and(depth)) return false;
    }
    return true;
  }

  bool parse_and(int depth) {
    if (!parse_with(depth)) return false;
    while (peek() == "AND") {
      ++pos_;
      emit("AND");
      if (!parse_with(depth)) return false;
    }
    return true;
  }

  bool parse_with(int depth) {
    if (peek() == "(") {
      if (depth >= kMaxDepth) return false;
      ++pos_;
      emit("(");
      if (!parse_or(depth + 1) || peek() != ")") return false;
      ++pos_;
      emit(")");
      return true;
    }
    if (!parse_simple()) return false;
    if (peek() == "WITH") {
      ++pos_;
      emit("WITH");
      auto exception = canonical_exception_id(peek());
      if (!exception) return false;
      ++pos_;
      emit(*exception);
    }
    return true;
  }

  bool parse_simple() {
    std::string_view word = peek();
    if (word.empty() || word == "(" || word == ")" || word == "AND" || word == "OR" ||
        word == "WITH") {
      return false;
    }
    ++pos_;
    if (is_license_ref(word)) {
      emit(word);
      return true;
    }
    if (auto id = canonical_license_id(word)) {
      emit(*id);
      return true;
    }
    if (word.size() > 1 && word.back() == '+') {
      if (auto id = canonical_license_id(word.substr(0, word.size() - 1))) {
        emit(std::string(*id) + "+");
        return true;
      }
    }
    return false;
  }

  std::vector<std::string_view> tokens_;
  std::size_t pos_ = 0;
  std::string out_;
};

}  // namespace

std::optional<std::string_view> canonical_license_id(std::string_view text) {
  return find_ci(detail::kSpdxLicenseIds, text);
}

std::optional<std::string_view> canonical_exception_id(std::string_view text) {
  return find_ci(detail::kSpdxExceptionIds, text);
}

std::optional<std::string> normalize_license_expression(std::string_view text) {
  return ExpressionParser(tokenize(text)).parse();
}

}  // namespace mtr::sbom
