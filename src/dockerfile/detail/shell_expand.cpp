// expand_word / expand_words: BuildKit's word expansion (moby/buildkit
// frontend/dockerfile/shell/lex.go, ProcessWord and ProcessWords), reimplemented.
//
// Followed closely, quirks included, because the result must be what `docker build` produces:
// * the input is read as UTF-8 runes; an invalid byte reads as U+FFFD (Go's text/scanner);
// * names are letters, digits and '_' (Unicode letters too: "$안녕" is one name), a name that
//   starts with a digit is all the digits ("$001"), and the special parameters @ * # ? - $ ! 0
//   are one-character names; positional and special parameters are simply unset;
// * ${VAR#pat} ${VAR%pat} ${VAR/pat/repl} use BuildKit's pattern language: ? and * (which, as in
//   Go's regexp, do not match a newline), \* \? \\ literal, "\}" and "\/" drop the backslash,
//   any other escape is an error;
// * in word splitting (ProcessWords) every nested ${VAR<op>word} resets the word being built, as
//   BuildKit's shared words buffer does ("a${X:-b}c" gives one word "bc");
// * Windows (options.windows): variable names match case-insensitively (ASCII), as BuildKit's
//   NormalizeEnvKey upper-cases them on Windows. Nothing else differs; the escape character is
//   options.escape whatever the platform.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dockerfile/detail/parser_text.h"
#include "dockerfile/shell.h"

namespace mtr::dockerfile {
namespace {

constexpr std::int32_t kEof = -1;
constexpr int kMaxNesting = 200;  // ${a:-${b:-...}} recursion bound (BuildKit has none)

// Go's utf8.DecodeRune and strings.Builder.WriteRune, from parser_text.h, in this file's
// int32 rune type (kEof is -1).
std::int32_t decode(std::string_view s, std::size_t i, std::size_t& width) {
  const detail::Rune r = detail::decode_rune(s, i);
  width = r.width;
  return static_cast<std::int32_t>(r.value);
}

void append_rune(std::string& out, std::int32_t r) {
  detail::append_rune(out, static_cast<char32_t>(r));
}

std::vector<std::int32_t> runes_of(std::string_view s) {
  std::vector<std::int32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t w = 1;
    out.push_back(decode(s, i, w));
    i += w;
  }
  return out;
}

std::string string_of(const std::vector<std::int32_t>& runes, std::size_t from = 0,
                      std::size_t to = static_cast<std::size_t>(-1)) {
  std::string out;
  to = std::min(to, runes.size());
  for (std::size_t i = from; i < to; ++i) append_rune(out, runes[i]);
  return out;
}

// Go's unicode.IsSpace.
bool is_space(std::int32_t r) { return r >= 0 && detail::is_go_space(static_cast<char32_t>(r)); }

bool is_digit(std::int32_t r) {
  if (r >= '0' && r <= '9') return true;
  // A few common Unicode decimal-digit blocks (Go's unicode.IsDigit covers all of Nd).
  static constexpr std::int32_t kZeros[] = {0x660, 0x6F0,  0x7C0,  0x966,  0x9E6, 0xA66, 0xAE6,
                                            0xB66, 0xBE6,  0xC66,  0xCE6,  0xD66, 0xE50, 0xED0,
                                            0xF20, 0x1040, 0x17E0, 0x1810, 0xFF10};
  return std::any_of(std::begin(kZeros), std::end(kZeros),
                     [r](std::int32_t z) { return r >= z && r <= z + 9; });
}

// Go's unicode.IsLetter, approximated outside ASCII: non-ASCII runes are letters except the
// Latin-1 symbols, the general punctuation / symbol / arrow / box-drawing blocks, CJK
// punctuation, full-width ASCII punctuation, the replacement character and emoji.
bool is_letter(std::int32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r <= 0xBF) return r == 0xAA || r == 0xB5 || r == 0xBA;
  if (r == 0xD7 || r == 0xF7) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;
  if (r >= 0x3000 && r <= 0x303F) return r >= 0x3005 && r <= 0x3006;
  if (r >= 0xFE30 && r <= 0xFE4F) return false;
  if (r >= 0xFF00 && r <= 0xFF20) return false;
  if (r >= 0xFFF0 && r <= 0xFFFF) return false;
  if (r >= 0x1F000 && r <= 0x1FAFF) return false;
  return !is_space(r) && !is_digit(r);
}

bool is_special_param(std::int32_t r) {
  switch (r) {
    case '@':
    case '*':
    case '#':
    case '?':
    case '-':
    case '$':
    case '!':
    case '0':
      return true;
    default:
      return false;
  }
}

core::Unexpected<core::Error> error(std::string message) {
  return core::fail(core::ErrorCode::kInvalidInput, std::move(message));
}

// ---- patterns (convertShellPatternToRegex + Go regexp leftmost-first matching) ----

struct PatternItem {
  enum Kind { kLiteral, kAny, kStar } kind = kLiteral;
  std::int32_t rune = 0;
};

core::Result<std::vector<PatternItem>> compile_pattern(const std::vector<std::int32_t>& p) {
  std::vector<PatternItem> items;
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::int32_t r = p[i];
    if (r == '*') {
      items.push_back({PatternItem::kStar, 0});
    } else if (r == '?') {
      items.push_back({PatternItem::kAny, 0});
    } else if (r == '\\') {
      if (i + 1 < p.size() && (p[i + 1] == '}' || p[i + 1] == '/')) continue;
      ++i;
      if (i >= p.size()) return error("invalid escape at the end of the pattern");
      if (p[i] != '*' && p[i] != '?' && p[i] != '\\') {
        std::string message = "invalid escape '\\";
        append_rune(message, p[i]);
        return error(message + "'");
      }
      items.push_back({PatternItem::kLiteral, p[i]});
    } else {
      items.push_back({PatternItem::kLiteral, r});
    }
  }
  return items;
}

// Matcher of a compiled pattern against `s`, with Go's leftmost-first priorities: `greedy`
// stars prefer to take more, lazy ones less. end_from(i) is the end of the preferred match
// starting at i, or -1.
class PatternMatcher {
 public:
  PatternMatcher(const std::vector<PatternItem>& items, const std::vector<std::int32_t>& s,
                 bool greedy)
      : m_(items.size()), n_(s.size()), table_((items.size() + 1) * (s.size() + 1), -1) {
    // table[k][i]: preferred end matching items[k..] from position i.
    for (std::size_t ii = n_ + 1; ii-- > 0;) {
      at(m_, ii) = static_cast<std::ptrdiff_t>(ii);
      for (std::size_t k = m_; k-- > 0;) {
        const PatternItem& item = items[k];
        const bool can_take = ii < n_ && s[ii] != '\n';
        std::ptrdiff_t value = -1;
        if (item.kind == PatternItem::kLiteral) {
          if (ii < n_ && s[ii] == item.rune) value = at(k + 1, ii + 1);
        } else if (item.kind == PatternItem::kAny) {
          if (can_take) value = at(k + 1, ii + 1);
        } else if (greedy) {
          value = can_take ? at(k, ii + 1) : -1;
          if (value < 0) value = at(k + 1, ii);
        } else {
          value = at(k + 1, ii);
          if (value < 0 && can_take) value = at(k, ii + 1);
        }
        at(k, ii) = value;
      }
    }
  }
  std::ptrdiff_t end_from(std::size_t i) const { return table_[i]; }

 private:
  std::ptrdiff_t& at(std::size_t k, std::size_t i) { return table_[k * (n_ + 1) + i]; }
  std::size_t m_, n_;
  std::vector<std::ptrdiff_t> table_;
};

constexpr std::size_t kMaxPatternWork = 1u << 24;

core::Result<std::string> trim_prefix_runes(const std::vector<std::int32_t>& pattern,
                                            const std::vector<std::int32_t>& value, bool greedy,
                                            bool reversed) {
  auto items = compile_pattern(pattern);
  if (!items) return error("invalid pattern in substitution: " + items.error().message);
  if ((items->size() + 1) * (value.size() + 1) > kMaxPatternWork)
    return error("pattern substitution too large");
  PatternMatcher matcher(*items, value, greedy);
  std::ptrdiff_t end = matcher.end_from(0);
  std::vector<std::int32_t> rest(value.begin() + (end > 0 ? end : 0), value.end());
  if (reversed) std::reverse(rest.begin(), rest.end());
  return string_of(rest);
}

// BuildKit's reversePattern: reverses runes but keeps "\x" pairs in order.
std::vector<std::int32_t> reverse_pattern(const std::vector<std::int32_t>& p) {
  std::vector<std::int32_t> out(p.size());
  if (p.empty()) return out;
  const std::size_t last = p.size() - 1;
  for (std::size_t i = 0; i <= last;) {
    const std::size_t o = last - i;
    if (p[i] == '\\' && i != last) {
      out[o - 1] = p[i];
      out[o] = p[i + 1];
      i += 2;
    } else {
      out[o] = p[i];
      ++i;
    }
  }
  return out;
}

// Go's Regexp.ReplaceAllString template expansion with only group 0: $$, $0, ${0}; other
// names expand to "".
void expand_template(std::string& out, std::string_view repl, std::string_view match) {
  for (std::size_t i = 0; i < repl.size(); ++i) {
    if (repl[i] != '$' || i + 1 >= repl.size()) {
      out += repl[i];
      continue;
    }
    if (repl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    std::string_view name;
    if (repl[j] == '{') {
      std::size_t close = repl.find('}', j + 1);
      if (close == std::string_view::npos) {
        out += repl[i];
        continue;
      }
      name = repl.substr(j + 1, close - j - 1);
      j = close + 1;
    } else {
      std::size_t k = j;
      while (k < repl.size()) {
        std::size_t w = 1;
        std::int32_t r = decode(repl, k, w);
        if (!is_letter(r) && !is_digit(r) && r != '_') break;
        k += w;
      }
      name = repl.substr(j, k - j);
      j = k;
    }
    bool valid = !name.empty();
    for (std::size_t k = 0; valid && k < name.size();) {
      std::size_t w = 1;
      std::int32_t r = decode(name, k, w);
      valid = is_letter(r) || is_digit(r) || r == '_';
      k += w;
    }
    if (!valid) {
      out += repl[i];
      continue;
    }
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        name.find_first_not_of('0') == std::string_view::npos) {
      out += match;
    }
    i = j - 1;
  }
}

core::Result<std::string> replace_pattern(std::string_view pattern_text,
                                          std::string_view value_text, std::string_view replacement,
                                          bool all) {
  auto items = compile_pattern(runes_of(pattern_text));
  if (!items) {
    return error("invalid pattern (" + std::string(pattern_text) +
                 ") in substitution: " + items.error().message);
  }
  std::vector<std::int32_t> value = runes_of(value_text);
  if ((items->size() + 1) * (value.size() + 1) > kMaxPatternWork)
    return error("pattern substitution too large");
  PatternMatcher matcher(*items, value, true);
  auto find = [&](std::size_t from, std::size_t& start, std::size_t& end) {
    for (std::size_t i = from; i <= value.size(); ++i) {
      std::ptrdiff_t e = matcher.end_from(i);
      if (e >= 0) {
        start = i;
        end = static_cast<std::size_t>(e);
        return true;
      }
    }
    return false;
  };
  std::string out;
  std::size_t start = 0, end = 0;
  if (!all) {
    if (!find(0, start, end)) return string_of(value);
    return string_of(value, 0, start) + std::string(replacement) + string_of(value, end);
  }
  // Regexp.ReplaceAllString: no empty match right after a match; always advance.
  std::size_t search = 0, last_end = 0;
  bool first = true;
  while (search <= value.size()) {
    if (!find(search, start, end)) break;
    out += string_of(value, last_end, start);
    if (end > last_end || start == 0 || first) {
      std::string matched = string_of(value, start, end);
      expand_template(out, replacement, matched);
    }
    first = false;
    last_end = end;
    search = (search + 1 > end) ? search + 1 : end;
  }
  out += string_of(value, last_end);
  return out;
}

// ---- the lexer ----

class WordExpander {
 public:
  WordExpander(std::string_view text, const Environment& env, const ExpandOptions& options)
      : text_(text), env_(env), options_(options) {}

  struct Processed {
    std::string result;
    std::vector<std::string> words;
  };

  core::Result<Processed> process() {
    auto out = process_stop_on(kEof, false);
    if (!out) {
      return error("failed to process \"" + std::string(text_) + "\": " + out.error().message);
    }
    return out;
  }

 private:
  std::int32_t peek() const {
    if (pos_ >= text_.size()) return kEof;
    std::size_t w = 1;
    return decode(text_, pos_, w);
  }
  std::int32_t next() {
    if (pos_ >= text_.size()) return kEof;
    std::size_t w = 1;
    std::int32_t r = decode(text_, pos_, w);
    pos_ += w;
    return r;
  }

  struct Words {
    std::string* buf = nullptr;
    std::vector<std::string> words;
    bool in_word = false;
    void add_char(std::int32_t ch) {
      if (is_space(ch) && in_word) {
        if (!buf->empty()) {
          words.push_back(*buf);
          buf->clear();
          in_word = false;
        }
      } else if (!is_space(ch)) {
        add_raw_char(ch);
      }
    }
    void add_raw_char(std::int32_t ch) {
      append_rune(*buf, ch);
      in_word = true;
    }
    void add_string(std::string_view s) {
      for (std::size_t i = 0; i < s.size();) {
        std::size_t w = 1;
        add_char(decode(s, i, w));
        i += w;
      }
    }
    void add_raw_string(std::string_view s) {
      buf->append(s);
      in_word = true;
    }
    std::vector<std::string> get_words() {
      if (!buf->empty()) {
        words.push_back(*buf);
        buf->clear();
        in_word = false;
      }
      return std::move(words);
    }
  };

  std::string escape_string() const {
    std::string s;
    append_rune(s, static_cast<unsigned char>(options_.escape));
    return s;
  }
  std::int32_t escape_token() const { return static_cast<unsigned char>(options_.escape); }

  bool get_env(const std::string& name, std::string& value) const {
    auto it = env_.find(name);
    if (it != env_.end()) {
      value = it->second;
      return true;
    }
    if (options_.windows) {
      auto upper = [](std::string_view s) {
        std::string u(s);
        for (char& c : u)
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        return u;
      };
      const std::string key = upper(name);
      // The last key that normalizes equal wins, like BuildKit's map keyed by upper case.
      bool found = false;
      for (const auto& [k, v] : env_) {
        if (upper(k) == key) {
          value = v;
          found = true;
        }
      }
      if (found) return true;
    }
    value.clear();
    return false;
  }

  core::Result<Processed> process_stop_on(std::int32_t stop, bool raw_escapes) {
    if (++nesting_ > kMaxNesting) return error("expansion nested too deeply");
    struct Guard {
      int& n;
      bool& raw;
      bool saved;
      ~Guard() {
        --n;
        raw = saved;
      }
    } guard{nesting_, raw_escapes_, raw_escapes_};
    raw_escapes_ = raw_escapes;

    std::string result;
    words_buffer_.clear();  // shared with the enclosing call, as in BuildKit
    Words words;
    words.buf = &words_buffer_;

    while (peek() != kEof) {
      std::int32_t ch = peek();
      if (stop != kEof && ch == stop) {
        next();
        return Processed{std::move(result), words.get_words()};
      }
      if (ch == '$' || ch == '<' || ch == '\'' || ch == '"') {
        core::Result<std::string> part = ch == '$'    ? process_dollar()
                                         : ch == '<'  ? process_possible_heredoc()
                                         : ch == '\'' ? process_single_quote()
                                                      : process_double_quote();
        if (!part) return core::unexpected(std::move(part).error());
        result += *part;
        if (ch == '$') {
          words.add_string(*part);
        } else {
          words.add_raw_string(*part);
        }
        continue;
      }
      ch = next();
      if (ch == escape_token()) {
        if (raw_escapes_) {
          words.add_raw_char(ch);
          append_rune(result, ch);
        }
        ch = next();
        if (ch == kEof) break;
        words.add_raw_char(ch);
      } else {
        words.add_char(ch);
      }
      append_rune(result, ch);
    }
    if (stop != kEof) {
      std::string message = "unexpected end of statement while looking for matching ";
      append_rune(message, stop);
      return error(message);
    }
    return Processed{std::move(result), words.get_words()};
  }

  core::Result<std::string> process_single_quote() {
    std::string result;
    std::int32_t ch = next();
    if (options_.keep_quotes) append_rune(result, ch);
    for (;;) {
      ch = next();
      if (ch == kEof)
        return error("unexpected end of statement while looking for matching single-quote");
      if (ch == '\'') {
        if (options_.keep_quotes) append_rune(result, ch);
        return result;
      }
      append_rune(result, ch);
    }
  }

  core::Result<std::string> process_double_quote() {
    std::string result;
    std::int32_t ch = next();
    if (options_.keep_quotes) append_rune(result, ch);
    for (;;) {
      const std::int32_t p = peek();
      if (p == kEof)
        return error("unexpected end of statement while looking for matching double-quote");
      if (p == '"') {
        ch = next();
        if (options_.keep_quotes) append_rune(result, ch);
        return result;
      }
      if (p == '$') {
        auto value = process_dollar();
        if (!value) return value;
        result += *value;
        continue;
      }
      ch = next();
      if (ch == escape_token()) {
        if (raw_escapes_) append_rune(result, ch);
        const std::int32_t after = peek();
        if (after == kEof) continue;  // ignore the escape at the end of the word
        if (after == '"' || after == '$' || after == escape_token()) ch = next();
      }
      append_rune(result, ch);
    }
  }

  std::string process_name() {
    std::string name;
    while (peek() != kEof) {
      std::int32_t ch = peek();
      if (name.empty() && is_digit(ch)) {
        while (peek() != kEof && is_digit(peek())) append_rune(name, next());
        return name;
      }
      if (name.empty() && is_special_param(ch)) {
        append_rune(name, next());
        return name;
      }
      if (!is_letter(ch) && !is_digit(ch) && ch != '_') break;
      append_rune(name, next());
    }
    return name;
  }

  core::Result<std::string> process_dollar() {
    next();  // '$'
    if (peek() != '{') {
      std::string name = process_name();
      if (name.empty()) return std::string("$");
      std::string value;
      bool found = get_env(name, value);
      if (!found && options_.skip_unset) return "$" + name;
      return value;
    }
    next();  // '{'
    switch (peek()) {
      case kEof:
        return error("syntax error: missing '}'");
      case '{':
      case '}':
      case ':':
        return error("syntax error: bad substitution");
      default:
        break;
    }
    std::string name = process_name();
    std::int32_t ch = next();
    std::string chs;
    if (ch != kEof) append_rune(chs, ch);
    bool null_is_unset = false;

    if (ch == '}') {
      std::string value;
      bool set = get_env(name, value);
      if (!set && options_.skip_unset) return "${" + name + "}";
      return value;
    }
    if (ch == ':' || ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%') {
      if (ch == ':') {
        null_is_unset = true;
        ch = next();
        if (ch != kEof) append_rune(chs, ch);
      }
      const bool raw = ch == '#' || ch == '%';
      if (null_is_unset && raw) return error("unsupported modifier (" + chs + ") in substitution");
      auto processed = process_stop_on('}', raw);
      if (!processed) {
        if (peek() == kEof) return error("syntax error: missing '}'");
        return core::unexpected(std::move(processed).error());
      }
      std::string word = std::move(processed->result);
      std::string value;
      bool set = get_env(name, value);
      if (options_.skip_unset && !set) return "${" + name + chs + word + "}";
      switch (ch) {
        case '-':
          if (!set || (null_is_unset && value.empty())) return word;
          return value;
        case '+':
          if (!set || (null_is_unset && value.empty())) return std::string();
          return word;
        case '?':
          if (!set)
            return error(name + ": " + (word.empty() ? "is not allowed to be unset" : word));
          if (null_is_unset && value.empty())
            return error(name + ": " + (word.empty() ? "is not allowed to be empty" : word));
          return value;
        case '%':
        case '#': {
          bool greedy = false;
          if (!word.empty() && static_cast<unsigned char>(word[0]) == static_cast<unsigned>(ch)) {
            greedy = true;
            word.erase(0, 1);
          }
          if (ch == '%') {
            std::vector<std::int32_t> value_runes = runes_of(value);
            std::reverse(value_runes.begin(), value_runes.end());
            return trim_prefix_runes(reverse_pattern(runes_of(word)), value_runes, greedy, true);
          }
          return trim_prefix_runes(runes_of(word), runes_of(value), greedy, false);
        }
        default:
          return error("unsupported modifier (" + chs + ") in substitution");
      }
    }
    if (ch == '/') {
      const bool all = peek() == '/';
      if (all) next();
      auto pattern = process_stop_on('/', true);
      if (!pattern) {
        if (peek() == kEof) return error("syntax error: missing '/' in ${}");
        return core::unexpected(std::move(pattern).error());
      }
      auto replacement = process_stop_on('}', true);
      if (!replacement) {
        if (peek() == kEof) return error("syntax error: missing '}'");
        return core::unexpected(std::move(replacement).error());
      }
      std::string value;
      bool set = get_env(name, value);
      if (options_.skip_unset && !set)
        return "${" + name + "/" + pattern->result + "/" + replacement->result + "}";
      return replace_pattern(pattern->result, value, replacement->result, all);
    }
    return error("unsupported modifier (" + chs + ") in substitution");
  }

  core::Result<std::string> process_possible_heredoc() {
    next();  // '<'
    if (peek() != '<') return std::string("<");
    next();
    std::string result = "<<";
    while (peek() == '\t' || peek() == '\r' || peek() == ' ') append_rune(result, next());
    return result;
  }

  std::string_view text_;
  const Environment& env_;
  ExpandOptions options_;
  std::size_t pos_ = 0;
  bool raw_escapes_ = false;
  int nesting_ = 0;
  std::string words_buffer_;
};

}  // namespace

core::Result<std::string> expand_word(std::string_view word, const Environment& env,
                                      const ExpandOptions& options) {
  WordExpander expander(word, env, options);
  auto processed = expander.process();
  if (!processed) return core::unexpected(std::move(processed).error());
  return std::move(processed->result);
}

core::Result<std::vector<std::string>> expand_words(std::string_view text, const Environment& env,
                                                    const ExpandOptions& options) {
  WordExpander expander(text, env, options);
  auto processed = expander.process();
  if (!processed) return core::unexpected(std::move(processed).error());
  return std::move(processed->words);
}

}  // namespace mtr::dockerfile
