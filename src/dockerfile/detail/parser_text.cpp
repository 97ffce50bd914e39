// Go-compatible text helpers for the Dockerfile parser (see parser_text.h).
#include "dockerfile/detail/parser_text.h"

#include "core/go_quote.h"

#include <cstdint>

namespace mtr::dockerfile::detail {

Rune decode_rune(std::string_view s, std::size_t pos) {
  const auto byte = [&](std::size_t i) -> unsigned { return static_cast<unsigned char>(s[i]); };
  const unsigned b0 = byte(pos);
  if (b0 < 0x80) return {b0, 1};
  const std::size_t left = s.size() - pos;
  const auto cont = [&](std::size_t i, unsigned lo, unsigned hi) {
    if (i >= left) return false;
    const unsigned b = byte(pos + i);
    return b >= lo && b <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1, 0x80, 0xBF)) return {kRuneError, 1};
    return {((b0 & 0x1F) << 6) | (byte(pos + 1) & 0x3F), 2};
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
    if (!cont(1, lo, hi) || !cont(2, 0x80, 0xBF)) return {kRuneError, 1};
    return {((b0 & 0x0F) << 12) | ((byte(pos + 1) & 0x3F) << 6) | (byte(pos + 2) & 0x3F), 3};
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (!cont(1, lo, hi) || !cont(2, 0x80, 0xBF) || !cont(3, 0x80, 0xBF)) return {kRuneError, 1};
    return {((b0 & 0x07) << 18) | ((byte(pos + 1) & 0x3F) << 12) | ((byte(pos + 2) & 0x3F) << 6) |
                (byte(pos + 3) & 0x3F),
            4};
  }
  return {kRuneError, 1};
}

void append_rune(std::string& out, char32_t r) {
  if ((r >= 0xD800 && r <= 0xDFFF) || r > 0x10FFFF) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool is_go_space(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

bool is_space_byte(unsigned char b) { return is_go_space(b); }

std::size_t leading_space(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const Rune r = decode_rune(s, i);
    if (!is_go_space(r.value) || (r.value == kRuneError && r.width == 1)) break;
    i += r.width;
  }
  return i;
}

std::size_t trim_right_end(std::string_view s) {
  std::size_t end = 0;
  for (std::size_t i = 0; i < s.size();) {
    const Rune r = decode_rune(s, i);
    i += r.width;
    if (!is_go_space(r.value)) end = i;
  }
  return end;
}

std::string_view trim_space(std::string_view s) {
  const std::size_t begin = leading_space(s);
  s.remove_prefix(begin);
  return s.substr(0, trim_right_end(s));
}

std::string go_quote(std::string_view s) { return core::go_quote(s); }

// ---- JSON (encoding/json semantics for what BuildKit needs) ----

namespace {

bool json_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Validates a JSON string starting at s[i] == '"'; advances i past it.
bool skip_json_string(std::string_view s, std::size_t& i) {
  ++i;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      ++i;
      return true;
    }
    if (c < 0x20) return false;
    if (c == '\\') {
      if (i + 1 >= s.size()) return false;
      const char e = s[i + 1];
      if (e == 'u') {
        if (i + 6 > s.size()) return false;
        for (std::size_t k = 2; k < 6; ++k)
          if (!is_hex(s[i + k])) return false;
        i += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        i += 2;
      } else {
        return false;
      }
      continue;
    }
    ++i;
  }
  return false;
}

bool skip_json_number(std::string_view s, std::size_t& i) {
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < s.size() && is_digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return true;
}

void skip_ws(std::string_view s, std::size_t& i) {
  while (i < s.size() && json_ws(s[i])) ++i;
}

// encoding/json's checkValid: one value, whitespace around it, nesting depth <= 10000.
bool json_valid(std::string_view s) {
  constexpr std::size_t kMaxDepth = 10000;
  std::vector<char> stack;
  std::size_t i = 0;
  enum class Want { kValue, kAfter } want = Want::kValue;
  const auto key = [&]() {
    skip_ws(s, i);
    if (i >= s.size() || s[i] != '"' || !skip_json_string(s, i)) return false;
    skip_ws(s, i);
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    return true;
  };
  for (;;) {
    skip_ws(s, i);
    if (want == Want::kValue) {
      if (i >= s.size()) return false;
      const char c = s[i];
      if (c == '{' || c == '[') {
        stack.push_back(c);
        if (stack.size() > kMaxDepth) return false;
        ++i;
        skip_ws(s, i);
        if (i < s.size() && s[i] == (c == '{' ? '}' : ']')) {
          ++i;
          stack.pop_back();
          want = Want::kAfter;
        } else if (c == '{') {
          if (!key()) return false;
        }
        continue;
      }
      if (c == '"') {
        if (!skip_json_string(s, i)) return false;
      } else if (c == '-' || is_digit(c)) {
        if (!skip_json_number(s, i)) return false;
      } else {
        std::string_view lit;
        if (c == 't')
          lit = "true";
        else if (c == 'f')
          lit = "false";
        else if (c == 'n')
          lit = "null";
        else
          return false;
        if (s.substr(i, lit.size()) != lit) return false;
        i += lit.size();
      }
      want = Want::kAfter;
      continue;
    }
    if (stack.empty()) return i == s.size();
    if (i >= s.size()) return false;
    const char top = stack.back();
    if (s[i] == ',') {
      ++i;
      if (top == '{' && !key()) return false;
      want = Want::kValue;
    } else if (s[i] == (top == '{' ? '}' : ']')) {
      ++i;
      stack.pop_back();
    } else {
      return false;
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// getu4: the \uXXXX at s[i], or -1.
long getu4(std::string_view s, std::size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  long v = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    if (!is_hex(s[i + k])) return -1;
    v = v * 16 + hex_value(s[i + k]);
  }
  return v;
}

// Decodes a validated JSON string at s[i] == '"'; advances i past it.
std::string decode_json_string(std::string_view s, std::size_t& i) {
  std::string out;
  ++i;
  while (s[i] != '"') {
    const char c = s[i];
    if (c == '\\') {
      const char e = s[i + 1];
      switch (e) {
        case 'b':
          out.push_back('\b');
          i += 2;
          break;
        case 'f':
          out.push_back('\f');
          i += 2;
          break;
        case 'n':
          out.push_back('\n');
          i += 2;
          break;
        case 'r':
          out.push_back('\r');
          i += 2;
          break;
        case 't':
          out.push_back('\t');
          i += 2;
          break;
        case 'u': {
          auto r = static_cast<char32_t>(getu4(s, i));
          i += 6;
          if (r >= 0xD800 && r <= 0xDFFF) {
            const long r2 = getu4(s, i);
            if (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
              r = 0x10000 + ((r - 0xD800) << 10) + (static_cast<char32_t>(r2) - 0xDC00);
              i += 6;
            } else {
              r = kRuneError;
            }
          }
          append_rune(out, r);
          break;
        }
        default:
          out.push_back(e);
          i += 2;
          break;
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    }
    const Rune r = decode_rune(s, i);
    if (r.value == kRuneError && r.width == 1) {
      append_rune(out, kRuneError);
    } else {
      out.append(s.substr(i, r.width));
    }
    i += r.width;
  }
  ++i;
  return out;
}

}  // namespace

JsonArray parse_json_string_array(std::string_view s, std::vector<std::string>* values,
                                  std::vector<std::size_t>* offsets) {
  std::size_t i = 0;
  skip_ws(s, i);
  if (i >= s.size() || s[i] != '[') return JsonArray::kNotJson;
  if (!json_valid(s)) return JsonArray::kNotJson;
  values->clear();
  offsets->clear();
  ++i;
  for (;;) {
    skip_ws(s, i);
    if (s[i] == ']') return JsonArray::kOk;
    if (s[i] == ',') {
      ++i;
      continue;
    }
    if (s[i] != '"') return JsonArray::kNotStringArray;
    offsets->push_back(i);
    values->push_back(decode_json_string(s, i));
  }
}

// ---- heredoc words: BuildKit's shell lexer with empty environment, unset variables kept ----

namespace {

constexpr char32_t kEof = static_cast<char32_t>(-1);

class Lexer {
 public:
  Lexer(std::string_view input, bool raw_quotes, bool raw_escapes)
      : raw_quotes_(raw_quotes), raw_escapes_(raw_escapes) {
    for (std::size_t i = 0; i < input.size();) {
      const Rune r = decode_rune(input, i);
      i += r.width;
      runes_.push_back(r.value);
    }
    if (!runes_.empty() && runes_[0] == 0xFEFF) pos_ = 1;  // text/scanner skips a leading BOM
  }

  // ProcessWords; false on a lexing error.
  bool words(std::vector<std::string>* out) {
    std::string result;
    return stop_on(kEof, raw_escapes_, &result, out);
  }

 private:
  struct Words {
    std::string* buf;
    std::vector<std::string> words;
    bool in_word = false;

    void add_char(char32_t ch) {
      if (is_go_space(ch) && in_word) {
        if (!buf->empty()) {
          words.push_back(*buf);
          buf->clear();
          in_word = false;
        }
      } else if (!is_go_space(ch)) {
        add_raw_char(ch);
      }
    }
    void add_raw_char(char32_t ch) {
      append_rune(*buf, ch);
      in_word = true;
    }
    void add_string(std::string_view s) {
      for (std::size_t i = 0; i < s.size();) {
        const Rune r = decode_rune(s, i);
        i += r.width;
        add_char(r.value);
      }
    }
    void add_raw_string(std::string_view s) {
      buf->append(s);
      in_word = true;
    }
    std::vector<std::string> take() {
      if (!buf->empty()) {
        words.push_back(*buf);
        buf->clear();
        in_word = false;
      }
      return std::move(words);
    }
  };

  char32_t peek() const { return pos_ < runes_.size() ? runes_[pos_] : kEof; }
  char32_t next() { return pos_ < runes_.size() ? runes_[pos_++] : kEof; }

  bool stop_on(char32_t stop, bool raw_escapes, std::string* result,
               std::vector<std::string>* out_words) {
    words_buffer_.clear();
    Words w{&words_buffer_, {}, false};
    const bool saved = raw_escapes_;
    raw_escapes_ = raw_escapes;
    struct Restore {
      bool& field;
      bool value;
      ~Restore() { field = value; }
    } restore{raw_escapes_, saved};

    result->clear();
    while (peek() != kEof) {
      char32_t ch = peek();
      if (stop != kEof && ch == stop) {
        next();
        if (out_words) *out_words = w.take();
        return true;
      }
      if (ch == '$' || ch == '<' || ch == '\'' || ch == '"') {
        std::string tmp;
        bool ok = true;
        if (ch == '$')
          ok = dollar(&tmp);
        else if (ch == '<')
          possible_heredoc(&tmp);
        else if (ch == '\'')
          ok = single_quote(&tmp);
        else
          ok = double_quote(&tmp);
        if (!ok) return false;
        result->append(tmp);
        if (ch == '$')
          w.add_string(tmp);
        else
          w.add_raw_string(tmp);
        continue;
      }
      ch = next();
      if (ch == '\\') {
        if (raw_escapes_) {
          w.add_raw_char(ch);
          append_rune(*result, ch);
        }
        ch = next();
        if (ch == kEof) break;
        w.add_raw_char(ch);
      } else {
        w.add_char(ch);
      }
      append_rune(*result, ch);
    }
    if (stop != kEof) return false;
    if (out_words) *out_words = w.take();
    return true;
  }

  bool single_quote(std::string* out) {
    char32_t ch = next();
    if (raw_quotes_) append_rune(*out, ch);
    for (;;) {
      ch = next();
      if (ch == kEof) return false;
      if (ch == '\'') {
        if (raw_quotes_) append_rune(*out, ch);
        return true;
      }
      append_rune(*out, ch);
    }
  }

  bool double_quote(std::string* out) {
    char32_t ch = next();
    if (raw_quotes_) append_rune(*out, ch);
    for (;;) {
      const char32_t p = peek();
      if (p == kEof) return false;
      if (p == '"') {
        ch = next();
        if (raw_quotes_) append_rune(*out, ch);
        return true;
      }
      if (p == '$') {
        std::string value;
        if (!dollar(&value)) return false;
        out->append(value);
        continue;
      }
      ch = next();
      if (ch == '\\') {
        if (raw_escapes_) append_rune(*out, ch);
        const char32_t q = peek();
        if (q == kEof) continue;
        if (q == '"' || q == '$' || q == '\\') ch = next();
      }
      append_rune(*out, ch);
    }
  }

  static bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
  static bool is_letter(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0x80 && c != kRuneError && !is_go_space(c));
  }
  static bool is_special_param(char32_t c) {
    return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' ||
           c == '0';
  }

  std::string name() {
    std::string n;
    while (peek() != kEof) {
      const char32_t ch = peek();
      if (n.empty() && is_digit(ch)) {
        while (peek() != kEof && is_digit(peek())) append_rune(n, next());
        return n;
      }
      if (n.empty() && is_special_param(ch)) {
        append_rune(n, next());
        return n;
      }
      if (!is_letter(ch) && !is_digit(ch) && ch != '_') break;
      append_rune(n, next());
    }
    return n;
  }

  // processDollar with every variable unset and SkipUnsetEnv: the reference is kept as text.
  bool dollar(std::string* out) {
    // Nesting (${a:-${b:-...}}) is bounded: BuildKit has no limit, but a deep nest is not a
    // heredoc marker anyway and unbounded recursion would exhaust the stack.
    if (depth_ >= kMaxDepth) return false;
    struct Depth {
      int& d;
      explicit Depth(int& v) : d(v) { ++d; }
      ~Depth() { --d; }
    } depth_guard(depth_);
    next();
    if (peek() != '{') {
      *out = "$" + name();
      return true;
    }
    next();
    const char32_t p = peek();
    if (p == kEof || p == '{' || p == '}' || p == ':') return false;
    const std::string n = name();
    char32_t ch = next();
    std::string chs;
    append_rune(chs, ch == kEof ? kRuneError : ch);
    bool null_is_unset = false;
    switch (ch) {
      case '}':
        *out = "${" + n + "}";
        return true;
      case ':':
        null_is_unset = true;
        ch = next();
        append_rune(chs, ch == kEof ? kRuneError : ch);
        [[fallthrough]];
      case '+':
      case '-':
      case '?':
      case '#':
      case '%': {
        const bool raw = ch == '#' || ch == '%';
        if (null_is_unset && raw) return false;
        std::string word;
        if (!stop_on('}', raw, &word, nullptr)) return false;
        *out = "${" + n + chs + word + "}";
        return true;
      }
      case '/': {
        if (peek() == '/') next();
        std::string pattern;
        std::string replacement;
        if (!stop_on('/', true, &pattern, nullptr)) return false;
        if (!stop_on('}', true, &replacement, nullptr)) return false;
        *out = "${" + n + "/" + pattern + "/" + replacement + "}";
        return true;
      }
      default:
        return false;
    }
  }

  void possible_heredoc(std::string* out) {
    next();
    if (peek() != '<') {
      *out = "<";
      return;
    }
    next();
    *out = "<<";
    while (peek() == '\t' || peek() == '\r' || peek() == ' ') append_rune(*out, next());
  }

  std::vector<char32_t> runes_;
  std::size_t pos_ = 0;
  bool raw_quotes_;
  bool raw_escapes_;
  static constexpr int kMaxDepth = 64;
  int depth_ = 0;
  std::string words_buffer_;  // shared by nested stop_on calls, as in BuildKit
};

bool regex_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

}  // namespace

core::Result<std::optional<Heredoc>> parse_heredoc_word(std::string_view word) {
  // ^(\d*)<<(-?)\s*([^<]*)$
  std::size_t i = 0;
  while (i < word.size() && word[i] >= '0' && word[i] <= '9') ++i;
  const std::string_view digits = word.substr(0, i);
  if (word.substr(i, 2) != "<<") return std::optional<Heredoc>{};
  i += 2;
  bool chomp = false;
  if (i < word.size() && word[i] == '-') {
    chomp = true;
    ++i;
  }
  while (i < word.size() && regex_space(word[i])) ++i;
  const std::string_view rest = word.substr(i);
  if (rest.find('<') != std::string_view::npos) return std::optional<Heredoc>{};
  if (rest.empty()) return std::optional<Heredoc>{};

  std::vector<std::string> words;
  if (!Lexer(rest, false, false).words(&words)) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      "failed to process heredoc word " + go_quote(rest));
  }
  if (words.size() != 1) return std::optional<Heredoc>{};
  std::vector<std::string> raw_words;
  if (!Lexer(rest, true, false).words(&raw_words)) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      "failed to process heredoc word " + go_quote(rest));
  }
  if (raw_words.size() != words.size()) {
    return core::fail(
        core::ErrorCode::kInvalidInput,
        "internal lexing of heredoc produced inconsistent results: " + std::string(rest));
  }
  const auto quotes = [](std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (c == '\'' || c == '"') ? 1 : 0;
    return n;
  };
  Heredoc doc;
  doc.name = words[0];
  doc.expand = quotes(words[0]) == quotes(raw_words[0]);
  doc.chomp = chomp;
  long long fd = 0;
  for (char c : digits) {
    fd = fd * 10 + (c - '0');
    if (fd > 0x7FFFFFFF) {
      fd = 0x7FFFFFFF;
      break;
    }
  }
  doc.fd = static_cast<int>(fd);
  return std::optional<Heredoc>(std::move(doc));
}

core::Result<std::vector<Heredoc>> heredocs_from_line(std::string_view line) {
  std::vector<std::string> words;
  if (!Lexer(line, true, true).words(&words)) words.clear();
  std::vector<Heredoc> docs;
  for (const auto& word : words) {
    auto doc = parse_heredoc_word(word);
    if (!doc) return core::unexpected(std::move(doc).error());
    if (doc->has_value()) docs.push_back(std::move(**doc));
  }
  return docs;
}

std::string chomp_heredoc_content(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  bool line_start = true;
  for (char c : content) {
    if (line_start && c == '\t') continue;
    line_start = c == '\n';
    out.push_back(c);
  }
  return out;
}

}  // namespace mtr::dockerfile::detail
