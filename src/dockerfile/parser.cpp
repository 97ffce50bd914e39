// BuildKit-compatible Dockerfile parser (frontend/dockerfile/parser: parser.go, line_parsers.go,
// split_command.go, directives.go), reimplemented with source positions. The Go-library
// behaviours BuildKit inherits (UTF-8 decoding, unicode.IsSpace, encoding/json, strconv.Quote,
// the heredoc word lexer) live in detail/parser_text.cpp.
//
// Complexity: every source line is read once; an instruction's joined text is built by appending
// and every per-instruction parser is a single left-to-right scan, so the whole parse is linear in
// the input (heredoc marker lexing included).
#include "dockerfile/parser.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dockerfile/detail/parser_text.h"

namespace mtr::dockerfile {
namespace {

using detail::decode_rune;
using detail::is_go_space;
using detail::is_space_byte;
using detail::leading_space;
using detail::Rune;

// bufio.Scanner's default maximum token size: BuildKit fails on longer lines.
constexpr std::size_t kMaxScanToken = 64 * 1024;

bool ascii_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

std::string lower_keyword(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (s.substr(i, 3) == "\xE2\x84\xAA") {  // KELVIN SIGN lower-cases to 'k' in Go
      out.push_back('k');
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// ---- source lines ----

struct SourceLine {
  std::string_view raw;      // with its newline
  std::string_view content;  // newline characters (\r, \n) trimmed on the right, BOM removed
  std::uint32_t number = 0;
  std::uint32_t column_base = 1;  // column of content[0]
};

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  // false at the end of input or when a line is too long (too_long() tells which).
  bool next(SourceLine* out) {
    if (pos_ >= text_.size() || too_long_) return false;
    const std::size_t nl = text_.find('\n', pos_);
    const std::size_t end = nl == std::string_view::npos ? text_.size() : nl + 1;
    const std::size_t length = end - pos_;
    if (nl == std::string_view::npos ? length >= kMaxScanToken : length > kMaxScanToken) {
      too_long_ = true;
      ++number_;
      return false;
    }
    out->raw = text_.substr(pos_, length);
    out->number = ++number_;
    out->column_base = 1;
    std::string_view content = out->raw;
    if (number_ == 1 && content.substr(0, 3) == "\xEF\xBB\xBF") {
      content.remove_prefix(3);
      out->column_base = 4;
    }
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r'))
      content.remove_suffix(1);
    out->content = content;
    pos_ = end;
    return true;
  }

  bool too_long() const { return too_long_; }
  std::uint32_t lines() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint32_t number_ = 0;
  bool too_long_ = false;
};

bool is_comment(std::string_view line) {
  const std::size_t lead = leading_space(line);
  return lead < line.size() && line[lead] == '#';
}

// trimContinuationCharacter: ([^E])E[ \t]*$ | ^E[ \t]*$ → $1.
std::pair<std::string_view, bool> trim_continuation(std::string_view line, char escape) {
  std::size_t j = line.size();
  while (j > 0 && (line[j - 1] == ' ' || line[j - 1] == '\t')) --j;
  if (j > 0 && line[j - 1] == escape && (j == 1 || line[j - 2] != escape)) {
    return {line.substr(0, j - 1), false};
  }
  return {line, true};
}

// ---- parser directives ----

struct DirectiveParser {
  bool done = false;
  std::set<std::string> seen;

  // BuildKit's DirectiveParser.ParseLine. Returns an error message, or "" (then *found tells
  // whether the line was a directive).
  std::string parse_line(std::string_view line, Directive* found, bool* is_directive) {
    *is_directive = false;
    if (done) return {};
    if (line.empty() || line[0] != '#') {
      done = true;
      return {};
    }
    line.remove_prefix(1);
    line.remove_prefix(leading_space(line));
    // ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$
    const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    const auto re_space = [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    };
    std::size_t i = 0;
    if (line.empty() || !alpha(line[0])) {
      done = true;
      return {};
    }
    while (i < line.size() && (alpha(line[i]) || (line[i] >= '0' && line[i] <= '9'))) ++i;
    const std::string key = lower_keyword(line.substr(0, i));
    while (i < line.size() && re_space(line[i])) ++i;
    if (i >= line.size() || line[i] != '=') {
      done = true;
      return {};
    }
    ++i;
    const std::size_t after_eq = i;
    while (i < line.size() && re_space(line[i])) ++i;
    std::string value;
    if (i < line.size()) {
      std::size_t end = line.size();
      while (end > i && re_space(line[end - 1])) --end;
      value = std::string(line.substr(i, end - i));
    } else if (line.size() > after_eq) {
      value = std::string(1, line.back());  // only blanks: the lazy (.+?) takes the last one
    } else {
      done = true;
      return {};
    }
    if (key != "syntax" && key != "escape" && key != "check") {
      done = true;
      return {};
    }
    if (!seen.insert(key).second) return "only one " + key + " parser directive can be used";
    if (key == "escape" && value != "`" && value != "\\") {
      return "invalid escape token '" + value + "' does not match ` or \\";
    }
    found->name = key;
    found->value = std::move(value);
    *is_directive = true;
    return {};
  }
};

// ---- one instruction ----

struct Segment {
  std::size_t offset;  // in the joined line
  std::uint32_t line;
  std::uint32_t column;
};

class LineMap {
 public:
  void add(std::size_t offset, std::uint32_t line, std::uint32_t column) {
    segments_.push_back({offset, line, column});
  }
  Position at(std::size_t offset) const {
    if (segments_.empty()) return {};
    auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                               [](std::size_t o, const Segment& s) { return o < s.offset; });
    if (it != segments_.begin()) --it;
    return {it->line, static_cast<std::uint32_t>(it->column + (offset - it->offset))};
  }

 private:
  std::vector<Segment> segments_;
};

struct Word {
  std::string text;
  std::size_t start = 0;                   // offset of the word in the joined line
  std::size_t equals = std::string::npos;  // offset of its first '=' byte
};

class NodeBuilder {
 public:
  NodeBuilder(std::string_view line, const LineMap& map, char escape, bool allow_unknown)
      : line_(line),
        map_(map),
        escape_(static_cast<unsigned char>(escape)),
        allow_unknown_(allow_unknown) {}

  // newNodeFromLine on line_[begin, end). false with error()/error_offset() set on failure.
  bool build(std::size_t begin, std::size_t end, bool inner, Instruction* ins) {
    const std::string_view s = line_.substr(begin, end - begin);
    ins->original = std::string(s);
    const std::size_t tb = leading_space(s);
    const std::size_t te = std::max(tb, detail::trim_right_end(s));
    const std::string_view t = s.substr(tb, te - tb);
    const std::size_t t_off = begin + tb;
    std::size_t split = 0;
    while (split < t.size() && !ascii_ws(t[split])) ++split;
    const std::string_view cmd = t.substr(0, split);
    ins->keyword = lower_keyword(cmd);
    const Position kw = map_.at(t_off);
    ins->keyword_span.begin = kw;
    ins->keyword_span.end = cmd.empty() ? kw : map_.at(t_off + cmd.size() - 1);
    ins->span.begin = kw;

    std::string_view args;
    std::size_t args_off = t_off + t.size();
    if (split < t.size()) {
      std::size_t j = split;
      while (j < t.size() && ascii_ws(t[j])) ++j;
      const std::string_view rest = t.substr(j);
      const std::size_t rest_off = t_off + j;
      const std::size_t remaining = extract_flags(rest, rest_off, ins);
      std::string_view rem = rest.substr(remaining);
      const std::size_t lead = leading_space(rem);
      rem.remove_prefix(lead);
      rem = rem.substr(0, detail::trim_right_end(rem));
      args = rem;
      args_off = rest_off + remaining + lead;
    }

    if (!is_known_instruction(ins->keyword) && !allow_unknown_) {
      return fail("unknown instruction: " + std::string(cmd), t_off);
    }
    if (inner && ins->keyword == "onbuild") {
      return fail("chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", t_off);
    }
    if (!dispatch(args, args_off, ins)) return false;
    if (ins->args.empty() && ins->inner.empty()) {
      if (ins->keyword == "env" || ins->keyword == "label" || ins->keyword == "arg") {
        std::string upper = ins->keyword;
        for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
        return fail(upper + " requires at least one argument", t_off);
      }
    }
    return true;
  }

  const std::string& error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }

 private:
  bool fail(std::string message, std::size_t offset) {
    error_ = std::move(message);
    error_offset_ = offset;
    return false;
  }

  void add_arg(Instruction* ins, std::string value, std::size_t offset) {
    ins->args.push_back(std::move(value));
    ins->arg_positions.push_back(map_.at(offset));
  }

  // extractBuilderFlags (byte-wise, as BuildKit: a byte >= 0x80 is written as the rune of that
  // value). Returns where the remaining (non-flag) text starts in `s`.
  std::size_t extract_flags(std::string_view s, std::size_t base, Instruction* ins) {
    enum { kSpaces, kWord, kQuote } phase = kSpaces;
    std::string word;
    std::size_t start = 0;
    bool blank_ok = false;
    unsigned char quote = 0;
    const std::size_t n = s.size();
    const auto push = [&]() {
      ins->flags.push_back(word);
      ins->flag_positions.push_back(map_.at(base + start));
    };
    for (std::size_t pos = 0; pos <= n; ++pos) {
      unsigned char ch = pos < n ? static_cast<unsigned char>(s[pos]) : 0;
      if (phase == kSpaces) {
        if (pos == n) break;
        if (is_space_byte(ch)) continue;
        if (ch != '-' || pos + 1 == n || s[pos + 1] != '-') return pos;
        phase = kWord;
        start = pos;
      }
      if (pos == n) {
        if (word != "--" && (blank_ok || !word.empty())) push();
        break;
      }
      if (phase == kWord) {
        if (is_space_byte(ch)) {
          phase = kSpaces;
          if (word == "--") return pos;
          if (blank_ok || !word.empty()) push();
          word.clear();
          blank_ok = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blank_ok = true;
          phase = kQuote;
          continue;
        }
        if (ch == escape_) {
          if (pos + 1 == n) continue;
          ++pos;
          ch = static_cast<unsigned char>(s[pos]);
        }
        detail::append_rune(word, ch);
        continue;
      }
      // kQuote
      if (ch == quote) {
        phase = kWord;
        continue;
      }
      if (ch == escape_) {
        if (pos + 1 == n) {
          phase = kWord;
          continue;
        }
        ++pos;
        ch = static_cast<unsigned char>(s[pos]);
      }
      detail::append_rune(word, ch);
    }
    return n;
  }

  bool dispatch(std::string_view args, std::size_t off, Instruction* ins) {
    const std::string& k = ins->keyword;
    if (k == "add" || k == "copy" || k == "volume") return maybe_json_to_list(args, off, ins);
    if (k == "cmd" || k == "entrypoint" || k == "run" || k == "shell") {
      return maybe_json(args, off, ins);
    }
    if (k == "env" || k == "label") return name_val(args, off, k == "env" ? "ENV" : "LABEL", ins);
    if (k == "arg") {
      for (auto& w : words(args, off)) add_arg(ins, std::move(w.text), w.start);
      return true;
    }
    if (k == "expose" || k == "from") {
      whitespace_split(args, off, ins);
      return true;
    }
    if (k == "maintainer" || k == "stopsignal" || k == "user" || k == "workdir") {
      if (!args.empty()) add_arg(ins, std::string(args), off);
      return true;
    }
    if (k == "healthcheck") return health(args, off, ins);
    if (k == "onbuild") {
      if (args.empty()) return true;
      Instruction child;
      if (!build(off, off + args.size(), true, &child)) return false;
      ins->inner.push_back(std::move(child));
      return true;
    }
    return true;  // parseIgnore
  }

  bool json(std::string_view args, std::size_t off, Instruction* ins, bool* handled) {
    std::vector<std::string> values;
    std::vector<std::size_t> offsets;
    *handled = false;
    switch (detail::parse_json_string_array(args, &values, &offsets)) {
      case detail::JsonArray::kNotJson:
        return true;
      case detail::JsonArray::kNotStringArray:
        return fail("when using JSON array syntax, arrays must be comprised of strings only", off);
      case detail::JsonArray::kOk:
        break;
    }
    for (std::size_t i = 0; i < values.size(); ++i)
      add_arg(ins, std::move(values[i]), off + offsets[i]);
    ins->json = true;
    *handled = true;
    return true;
  }

  bool maybe_json(std::string_view args, std::size_t off, Instruction* ins) {
    if (args.empty()) return true;
    bool handled = false;
    if (!json(args, off, ins, &handled)) return false;
    if (!handled) add_arg(ins, std::string(args), off);
    return true;
  }

  bool maybe_json_to_list(std::string_view args, std::size_t off, Instruction* ins) {
    bool handled = false;
    if (!json(args, off, ins, &handled)) return false;
    if (!handled) whitespace_split(args, off, ins);
    return true;
  }

  // reWhitespace.Split(rest, -1) on an already trimmed rest.
  void whitespace_split(std::string_view args, std::size_t off, Instruction* ins) {
    if (args.empty()) return;
    std::size_t i = 0;
    while (i <= args.size()) {
      std::size_t j = i;
      while (j < args.size() && !ascii_ws(args[j])) ++j;
      add_arg(ins, std::string(args.substr(i, j - i)), off + i);
      if (j >= args.size()) break;
      while (j < args.size() && ascii_ws(args[j])) ++j;
      i = j;
    }
  }

  bool health(std::string_view args, std::size_t off, Instruction* ins) {
    std::size_t sep = 0;
    while (sep < args.size() && !is_space_byte(static_cast<unsigned char>(args[sep]))) ++sep;
    std::size_t next = sep;
    while (next < args.size() && is_space_byte(static_cast<unsigned char>(args[next]))) ++next;
    if (sep == 0) return true;
    add_arg(ins, std::string(args.substr(0, sep)), off);
    return maybe_json(args.substr(next), off + next, ins);
  }

  bool name_val(std::string_view args, std::size_t off, const char* key, Instruction* ins) {
    std::vector<Word> ws = words(args, off);
    if (ws.empty()) return true;
    if (ws[0].text.find('=') == std::string::npos) {
      std::size_t i = 0;
      while (i < args.size() && !ascii_ws(args[i])) ++i;
      if (i >= args.size()) return fail(std::string(key) + " must have two arguments", off);
      std::size_t j = i;
      while (j < args.size() && ascii_ws(args[j])) ++j;
      add_arg(ins, std::string(args.substr(0, i)), off);
      add_arg(ins, std::string(args.substr(j)), off + j);
      ins->args.emplace_back();
      ins->arg_positions.emplace_back();  // the legacy form has no separator in the source
      return true;
    }
    for (auto& w : ws) {
      const std::size_t eq = w.text.find('=');
      if (eq == std::string::npos) {
        return fail("Syntax error - can't find = in " + detail::go_quote(w.text) +
                        ". Must be of the form: name=value",
                    w.start);
      }
      add_arg(ins, w.text.substr(0, eq), w.start);
      add_arg(ins, w.text.substr(eq + 1), w.equals + 1);
      add_arg(ins, "=", w.equals);
    }
    return true;
  }

  // parseWords: whitespace-separated words, quotes and escapes kept.
  std::vector<Word> words(std::string_view s, std::size_t off) {
    enum { kSpaces, kWord, kQuote } phase = kSpaces;
    std::vector<Word> out;
    Word cur;
    char32_t quote = 0;
    bool blank_ok = false;
    char32_t ch = 0;
    std::size_t width = 0;
    const std::size_t n = s.size();
    const auto put = [&](char32_t c, std::size_t pos) {
      if (c == '=' && cur.equals == std::string::npos) cur.equals = off + pos;
      detail::append_rune(cur.text, c);
    };
    const auto emit = [&]() {
      if (blank_ok || !cur.text.empty()) out.push_back(cur);
    };
    for (std::size_t pos = 0; pos <= n; pos += width) {
      if (pos != n) {
        const Rune r = decode_rune(s, pos);
        ch = r.value;
        width = r.width;
      }
      if (phase == kSpaces) {
        if (pos == n) break;
        if (is_go_space(ch)) continue;
        phase = kWord;
        cur = Word{};
        cur.start = off + pos;
      }
      if (pos == n) {
        emit();
        break;
      }
      if (phase == kWord) {
        if (is_go_space(ch)) {
          phase = kSpaces;
          emit();
          blank_ok = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blank_ok = true;
          phase = kQuote;
        }
        if (ch == escape_) {
          if (pos + width == n) continue;
          put(ch, pos);
          pos += width;
          const Rune r = decode_rune(s, pos);
          ch = r.value;
          width = r.width;
        }
        put(ch, pos);
        continue;
      }
      // kQuote
      if (ch == quote) phase = kWord;
      if (ch == escape_ && quote != '\'') {
        if (pos + width == n) {
          phase = kWord;
          continue;
        }
        pos += width;
        put(ch, pos - width);
        const Rune r = decode_rune(s, pos);
        ch = r.value;
        width = r.width;
      }
      put(ch, pos);
    }
    return out;
  }

  std::string_view line_;
  const LineMap& map_;
  char32_t escape_;
  bool allow_unknown_;
  std::string error_;
  std::size_t error_offset_ = 0;
};

bool can_contain_heredoc(const Instruction& ins) {
  const Instruction* node = &ins;
  if (ins.keyword == "onbuild" && !ins.inner.empty()) node = &ins.inner[0];
  if (node->keyword != "run" && node->keyword != "copy" && node->keyword != "add") return false;
  return !node->json;
}

std::size_t count_instructions(const Instruction& ins) { return 1 + ins.inner.size(); }

void set_end(Instruction* ins, Position end) {
  ins->span.end = end;
  for (auto& child : ins->inner) set_end(&child, end);
}

std::string dump_node(const Instruction& ins) {
  std::string s = lower_keyword(ins.keyword);
  if (!ins.flags.empty()) {
    s += " [";
    for (std::size_t i = 0; i < ins.flags.size(); ++i) {
      if (i > 0) s += ' ';
      s += detail::go_quote(ins.flags[i]);
    }
    s += ']';
  }
  for (const auto& child : ins.inner) {
    s += " (";
    s += dump_node(child);
    s += ')';
  }
  for (const auto& arg : ins.args) {
    s += ' ';
    s += detail::go_quote(arg);
  }
  return std::string(detail::trim_space(s));
}

}  // namespace

core::Result<Dockerfile> parse(std::string_view text, std::string_view path,
                               const ParseLimits& limits) {
  const auto fail_at = [&](core::ErrorCode code, std::string message, std::uint32_t line,
                           std::uint32_t column) {
    core::Location where;
    where.file = std::string(path);
    where.line = line;
    where.column = column;
    return core::fail(code, std::move(message), std::move(where));
  };
  if (text.size() > limits.max_bytes) {
    return fail_at(core::ErrorCode::kLimitExceeded,
                   "Dockerfile is " + std::to_string(text.size()) +
                       " bytes, more than the limit of " + std::to_string(limits.max_bytes),
                   0, 0);
  }

  Dockerfile file;
  file.path = std::string(path);
  Reader reader(text);
  DirectiveParser directives;
  std::size_t instruction_count = 0;
  std::uint32_t current = 0;
  SourceLine ln;

  const auto too_long = [&]() {
    return fail_at(
        core::ErrorCode::kInvalidInput,
        "dockerfile line greater than max allowed size of " + std::to_string(kMaxScanToken - 1),
        reader.lines(), 1);
  };

  while (reader.next(&ln)) {
    const std::string_view bytes = ln.content;
    const bool comment = is_comment(bytes);
    const std::size_t lead = leading_space(bytes);
    std::string_view token = bytes.substr(lead);
    Directive directive;
    bool is_directive = false;
    if (std::string err = directives.parse_line(token, &directive, &is_directive); !err.empty()) {
      return fail_at(core::ErrorCode::kInvalidInput, std::move(err), ln.number,
                     ln.column_base + static_cast<std::uint32_t>(lead));
    }
    if (is_directive) {
      directive.line = ln.number;
      if (directive.name == "escape") file.escape = directive.value[0];
      file.directives.push_back(std::move(directive));
    } else if (comment) {
      file.comments.push_back({std::string(detail::trim_space(token.substr(1))), ln.number, false});
    }
    if (comment) token = {};
    current = ln.number;

    auto [piece, eol] = trim_continuation(token, file.escape);
    if (eol && piece.empty()) continue;
    const std::uint32_t start_line = current;
    std::string line(piece);
    LineMap map;
    map.add(0, current, ln.column_base + static_cast<std::uint32_t>(lead));
    std::uint32_t end_column = ln.column_base - 1 + static_cast<std::uint32_t>(bytes.size());
    bool empty_continuation = false;
    SourceLine cont;
    while (!eol && reader.next(&cont)) {
      current = cont.number;
      end_column = static_cast<std::uint32_t>(cont.content.size());
      if (is_comment(cont.content)) {
        const std::size_t hash = leading_space(cont.content);
        file.comments.push_back(
            {std::string(detail::trim_space(cont.content.substr(hash + 1))), cont.number, true});
        continue;
      }
      if (leading_space(cont.content) == cont.content.size()) {
        empty_continuation = true;
        continue;
      }
      auto [next_piece, next_eol] = trim_continuation(cont.content, file.escape);
      map.add(line.size(), current, 1);
      line += next_piece;
      eol = next_eol;
    }
    if (reader.too_long()) return too_long();

    if (empty_continuation) {
      file.warnings.push_back({"Empty continuation line found in: " + line, current});
    }

    Instruction ins;
    NodeBuilder builder(line, map, file.escape, limits.allow_unknown_instructions);
    if (!builder.build(0, line.size(), false, &ins)) {
      const Position at = map.at(builder.error_offset());
      return fail_at(core::ErrorCode::kInvalidInput, builder.error(), at.line, at.column);
    }
    set_end(&ins, Position{current, std::max<std::uint32_t>(1, end_column)});
    instruction_count += count_instructions(ins);
    if (instruction_count > limits.max_instructions) {
      return fail_at(core::ErrorCode::kLimitExceeded,
                     "more than " + std::to_string(limits.max_instructions) + " instructions",
                     start_line, ins.keyword_span.begin.column);
    }

    if (can_contain_heredoc(ins) && line.find("<<") != std::string::npos) {
      auto docs = detail::heredocs_from_line(line);
      if (!docs) {
        return fail_at(core::ErrorCode::kInvalidInput, docs.error().message, start_line,
                       ins.keyword_span.begin.column);
      }
      if (docs->size() > limits.max_heredocs_per_instruction) {
        return fail_at(core::ErrorCode::kLimitExceeded,
                       "more than " + std::to_string(limits.max_heredocs_per_instruction) +
                           " heredocs in one instruction",
                       start_line, ins.keyword_span.begin.column);
      }
      for (auto& doc : *docs) {
        std::string content;
        bool terminated = false;
        const std::uint32_t first = current + 1;
        SourceLine body;
        while (reader.next(&body)) {
          current = body.number;
          std::string_view candidate = body.content;
          if (doc.chomp) {
            while (!candidate.empty() && candidate.front() == '\t') candidate.remove_prefix(1);
          }
          if (candidate == doc.name) {
            terminated = true;
            break;
          }
          content.append(body.raw);
        }
        if (reader.too_long()) return too_long();
        if (!terminated) {
          return fail_at(core::ErrorCode::kInvalidInput,
                         "unterminated heredoc " + detail::go_quote(doc.name), start_line,
                         ins.keyword_span.begin.column);
        }
        doc.content = std::move(content);
        doc.span.begin = Position{first, 1};
        doc.span.end = Position{
            current, std::max<std::uint32_t>(1, static_cast<std::uint32_t>(body.content.size()))};
        ins.heredocs.push_back(std::move(doc));
      }
    }
    file.instructions.push_back(std::move(ins));
  }
  if (reader.too_long()) return too_long();
  file.line_count = reader.lines();

  if (file.instructions.empty()) {
    return fail_at(core::ErrorCode::kInvalidInput, "file with no instructions",
                   std::max<std::uint32_t>(1, current), 1);
  }
  return file;
}

std::string dump(const Dockerfile& file) {
  std::string out;
  for (const auto& ins : file.instructions) {
    out += '(';
    out += dump_node(ins);
    out += ")\n";
  }
  return out;
}

bool is_known_instruction(std::string_view k) {
  static constexpr std::string_view kKnown[] = {
      "add",    "arg",   "cmd",         "copy",  "entrypoint", "env",
      "expose", "from",  "healthcheck", "label", "maintainer", "onbuild",
      "run",    "shell", "stopsignal",  "user",  "volume",     "workdir"};
  return std::find(std::begin(kKnown), std::end(kKnown), k) != std::end(kKnown);
}

}  // namespace mtr::dockerfile
