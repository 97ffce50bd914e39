// parse_shell: a tolerant POSIX sh reader for RUN commands (see shell.h). The BuildKit word
// expansion lives in detail/shell_expand.cpp.
//
// One Reader per piece of text (the RUN script, a backtick body, an `sh -c` string): a lexer
// with one token of look-ahead and a recursive-descent list parser on top. Nesting (compound
// commands, $( ), backticks, sh -c) recurses at most kMaxDepth levels; deeper text is still
// consumed (so words stay whole) but no longer split into commands. Each byte is lexed once per
// level of re-parsed text (backtick bodies and sh -c strings are re-read by an inner Reader), so
// the work is at most kMaxDepth times linear.
#include "dockerfile/shell.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace mtr::dockerfile {

std::string_view ShellCommand::program() const {
  if (words.empty()) return {};
  std::string_view text = words.front().text;
  auto slash = text.rfind('/');
  if (slash != std::string_view::npos && slash + 1 < text.size()) text.remove_prefix(slash + 1);
  return text;
}

std::vector<std::string_view> ShellCommand::args() const {
  std::vector<std::string_view> out;
  if (words.size() > 1) out.reserve(words.size() - 1);
  for (std::size_t i = 1; i < words.size(); ++i) out.emplace_back(words[i].text);
  return out;
}

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

bool ShellCommand::has_flag(std::string_view flag) const {
  if (flag.size() < 2 || flag[0] != '-') return false;
  const bool long_flag = flag[1] == '-';
  const bool short_letter = !long_flag && flag.size() == 2 && is_alnum(flag[1]);
  for (std::size_t i = 1; i < words.size(); ++i) {
    std::string_view arg = words[i].text;
    if (arg == "--") break;  // operands follow
    if (arg == flag) return true;
    if (long_flag) {
      if (arg.size() > flag.size() && arg.substr(0, flag.size()) == flag && arg[flag.size()] == '=')
        return true;
    } else if (short_letter && arg.size() > 2 && arg[0] == '-' && arg[1] != '-') {
      // A bundle of one-letter flags ("-qqy", "-xzf"); "-oDpkg::Options=..." is not one.
      bool bundle = std::all_of(arg.begin() + 1, arg.end(), is_alnum);
      if (bundle && arg.find(flag[1], 1) != std::string_view::npos) return true;
    }
  }
  return false;
}

namespace {

constexpr std::uint32_t kMaxDepth = 64;

enum class Tok { kEof, kWord, kOp, kNewline, kRedirect };

struct Token {
  Tok kind = Tok::kEof;
  std::string op;  // kOp: "&&" "||" ";" "&" "|" "|&" "(" ")" ";;" ";&" ";;&"; kRedirect: ">>"...
  ShellWord word;  // kWord
  bool plain = false;  // kWord without quotes, escapes or expansions (candidate keyword)
  std::size_t begin = 0, end = 0;  // in the reader's text
};

struct Output {
  std::vector<ShellCommand> commands;
  std::uint32_t next_pipeline = 0;
  std::size_t max_commands = 0;
  bool full = false;
};

struct Stops {
  std::array<std::string_view, 4> keywords{};
  bool paren = false;  // ")" ends the list
  bool dsemi = false;  // ";;" ";&" ";;&" end the list (case bodies)
  bool has(std::string_view word) const {
    return std::find(keywords.begin(), keywords.end(), word) != keywords.end() && !word.empty();
  }
};

struct Heredoc {
  std::string delimiter;
  bool strip_tabs = false;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_meta(char c) {
  return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' ||
         c == '<' || c == '>';
}

bool is_shell_name(std::string_view program) {
  static constexpr std::array<std::string_view, 8> kShells = {"sh",  "bash", "dash", "ash",
                                                              "zsh", "ksh",  "mksh", "busybox"};
  return std::find(kShells.begin(), kShells.end(), program) != kShells.end();
}

// Programs that run their arguments as a command ("sudo sh -c ...").
bool is_wrapper(std::string_view program) {
  static constexpr std::array<std::string_view, 12> kWrappers = {
      "sudo", "exec",    "env",  "nohup",   "time",   "command",
      "gosu", "su-exec", "nice", "timeout", "chroot", "setpriv"};
  return std::find(kWrappers.begin(), kWrappers.end(), program) != kWrappers.end();
}

std::string_view basename_of(std::string_view text) {
  auto slash = text.rfind('/');
  if (slash != std::string_view::npos && slash + 1 < text.size()) text.remove_prefix(slash + 1);
  return text;
}

class Reader {
 public:
  // `base`/`limit`: absolute offset of this text's first byte in the top-level script, and the
  // largest absolute offset it may report (texts re-read from a word map into that word).
  Reader(std::string_view text, Output& out, std::size_t base, std::size_t limit)
      : src_(text), out_(out), base_(base), limit_(limit) {}

  void parse_list(std::uint32_t depth, const Stops& stops);

 private:
  // ---- lexer ----
  const Token& peek() {
    if (!ahead_) ahead_ = lex();
    return *ahead_;
  }
  Token take() {
    peek();
    Token t = std::move(*ahead_);
    ahead_.reset();
    return t;
  }
  Token lex();
  void lex_word(Token& tok);
  void skip_heredoc_bodies();
  void command_substitution(std::string& text);
  void backticks(std::string& text);
  void braced_parameter(std::string& text);
  void arithmetic(std::string& text);         // at "((" / "$((": up to the matching "))"
  std::size_t skip_parens(std::size_t from);  // from just after "(", returns after ")"
  bool continuation_at(std::size_t at) const {
    if (at + 1 < src_.size() && src_[at] == '\\' && src_[at + 1] == '\n') return true;
    return at + 2 < src_.size() && src_[at] == '\\' && src_[at + 1] == '\r' && src_[at + 2] == '\n';
  }
  std::size_t continuation_length(std::size_t at) const { return src_[at + 1] == '\n' ? 2 : 3; }

  std::uint32_t abs(std::size_t offset) const {
    return static_cast<std::uint32_t>(std::min(base_ + offset, limit_));
  }

  // ---- parser ----
  void parse_compound(std::uint32_t depth, std::string_view keyword);
  void parse_subshell(std::uint32_t depth);
  void skip_trailing_redirects();
  // Returns the index of the command pushed, or -1.
  std::ptrdiff_t parse_simple(std::uint32_t depth, std::uint32_t pipeline, bool negated);
  void nested_script(const ShellWord& word, std::uint32_t depth);
  std::ptrdiff_t push(ShellCommand&& command) {
    if (out_.full || out_.commands.size() >= out_.max_commands) {
      stop();
      return -1;
    }
    out_.commands.push_back(std::move(command));
    if (out_.commands.size() >= out_.max_commands) stop();
    return static_cast<std::ptrdiff_t>(out_.commands.size() - 1);
  }
  void stop() {
    out_.full = true;
    pos_ = src_.size();
  }
  bool is_keyword(const Token& t, std::string_view kw) {
    return t.kind == Tok::kWord && t.plain && t.word.text == kw;
  }
  bool is_op(const Token& t, std::string_view op) { return t.kind == Tok::kOp && t.op == op; }

  std::string_view src_;
  Output& out_;
  std::size_t base_;
  std::size_t limit_;
  std::size_t pos_ = 0;
  std::optional<Token> ahead_;
  std::vector<Heredoc> heredocs_;  // waiting for the end of the line
  std::uint32_t paren_depth_ = 0;  // open ( and $( whose ")" ends lists
  std::uint32_t depth_ = 0;        // nesting of the text being lexed (for $( ) recursion)
  bool double_bracket_ = false;    // inside [[ ... ]]: && || ( ) < > are words
};

Token Reader::lex() {
  Token tok;
  if (out_.full) pos_ = src_.size();
  for (;;) {
    while (pos_ < src_.size() && is_blank(src_[pos_])) ++pos_;
    if (continuation_at(pos_)) {
      pos_ += continuation_length(pos_);
      continue;
    }
    if (pos_ < src_.size() && src_[pos_] == '#') {  // comment to the end of the line
      while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      continue;
    }
    break;
  }
  tok.begin = pos_;
  if (pos_ >= src_.size()) {
    tok.kind = Tok::kEof;
    tok.end = pos_;
    return tok;
  }
  auto at = [&](std::size_t i) -> char { return pos_ + i < src_.size() ? src_[pos_ + i] : '\0'; };
  auto op = [&](Tok kind, std::size_t n) {
    tok.kind = kind;
    tok.op = std::string(src_.substr(pos_, n));
    pos_ += n;
    tok.end = pos_;
    return tok;
  };
  const char c = src_[pos_];
  if (c == '\n') {
    ++pos_;
    tok.kind = Tok::kNewline;
    tok.end = pos_;
    if (!heredocs_.empty()) skip_heredoc_bodies();
    return tok;
  }
  if (double_bracket_) {
    // [[ a && b ]]: only ";" "&" "|" newline stay operators; the rest are words.
    if (c == ';') return op(Tok::kOp, 1);
    if (c == '&' && at(1) != '&') return op(Tok::kOp, 1);
    if (c == '|' && at(1) != '|') return op(Tok::kOp, 1);
    if (c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>') {
      std::size_t n = (c == '&' || c == '|') ? std::size_t{2} : std::size_t{1};
      tok.kind = Tok::kWord;
      tok.word.text = std::string(src_.substr(pos_, n));
      tok.word.raw = tok.word.text;
      tok.word.offset = abs(pos_);
      tok.plain = true;
      pos_ += n;
      tok.end = pos_;
      return tok;
    }
  }
  switch (c) {
    case '&':
      if (at(1) == '&') return op(Tok::kOp, 2);
      if (at(1) == '>') return op(Tok::kRedirect, at(2) == '>' ? 3 : 2);
      return op(Tok::kOp, 1);
    case '|':
      if (at(1) == '|' || at(1) == '&') return op(Tok::kOp, 2);
      return op(Tok::kOp, 1);
    case ';':
      if (at(1) == ';') return op(Tok::kOp, at(2) == '&' ? 3 : 2);
      if (at(1) == '&') return op(Tok::kOp, 2);
      return op(Tok::kOp, 1);
    case '(':
      if (at(1) == '(') break;  // (( arithmetic )): a word
      return op(Tok::kOp, 1);
    case ')':
      return op(Tok::kOp, 1);
    case '<':
      if (at(1) == '(') break;  // <( process substitution ): a word
      if (at(1) == '<' && at(2) == '<') return op(Tok::kRedirect, 3);
      if (at(1) == '<') return op(Tok::kRedirect, at(2) == '-' ? 3 : 2);
      if (at(1) == '>' || at(1) == '&') return op(Tok::kRedirect, 2);
      return op(Tok::kRedirect, 1);
    case '>':
      if (at(1) == '(') break;  // >( process substitution )
      if (at(1) == '>' || at(1) == '|' || at(1) == '&') return op(Tok::kRedirect, 2);
      return op(Tok::kRedirect, 1);
    default:
      if (c >= '0' && c <= '9' && !double_bracket_) {  // "2>" "2>&1" "0<" "3<<EOF"
        std::size_t i = pos_;
        while (i < src_.size() && src_[i] >= '0' && src_[i] <= '9') ++i;
        if (i < src_.size() && (src_[i] == '<' || src_[i] == '>') &&
            !(i + 1 < src_.size() && src_[i + 1] == '(')) {
          std::size_t start = pos_;
          pos_ = i;
          Token r = lex();  // the operator itself
          r.begin = start;
          r.op = std::string(src_.substr(start, r.end - start));
          return r;
        }
      }
      break;
  }
  tok.kind = Tok::kWord;
  lex_word(tok);
  return tok;
}

void Reader::lex_word(Token& tok) {
  const std::size_t start = pos_;
  std::string& text = tok.word.text;
  bool plain = true;
  bool first = true;
  while (pos_ < src_.size()) {
    const char c = src_[pos_];
    if (c == '\\') {
      plain = false;
      if (continuation_at(pos_)) {
        pos_ += continuation_length(pos_);
        continue;
      }
      if (pos_ + 1 >= src_.size()) {
        text += '\\';
        ++pos_;
        break;
      }
      text += src_[pos_ + 1];
      pos_ += 2;
    } else if (c == '\'') {
      plain = false;
      auto close = src_.find('\'', pos_ + 1);
      if (close == std::string_view::npos) close = src_.size();
      text.append(src_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = std::min(close + 1, src_.size());
    } else if (c == '"') {
      plain = false;
      ++pos_;
      while (pos_ < src_.size() && src_[pos_] != '"') {
        const char d = src_[pos_];
        if (d == '\\') {
          if (continuation_at(pos_)) {
            pos_ += continuation_length(pos_);
          } else if (pos_ + 1 < src_.size() && (src_[pos_ + 1] == '$' || src_[pos_ + 1] == '`' ||
                                                src_[pos_ + 1] == '"' || src_[pos_ + 1] == '\\')) {
            text += src_[pos_ + 1];
            pos_ += 2;
          } else {
            text += d;
            ++pos_;
          }
        } else if (d == '$' && pos_ + 1 < src_.size() &&
                   (src_[pos_ + 1] == '(' || src_[pos_ + 1] == '{')) {
          if (src_[pos_ + 1] == '{') {
            braced_parameter(text);
          } else if (pos_ + 2 < src_.size() && src_[pos_ + 2] == '(') {
            arithmetic(text);
          } else {
            command_substitution(text);
          }
        } else if (d == '`') {
          backticks(text);
        } else {
          text += d;
          ++pos_;
        }
      }
      if (pos_ < src_.size()) ++pos_;  // closing quote
    } else if (c == '$' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '\'') {
      // $'ANSI-C': kept as written inside, \' does not close it.
      plain = false;
      std::size_t i = pos_ + 2;
      while (i < src_.size() && src_[i] != '\'')
        i += (src_[i] == '\\' && i + 1 < src_.size()) ? std::size_t{2} : std::size_t{1};
      text.append(src_.substr(pos_ + 2, std::min(i, src_.size()) - pos_ - 2));
      pos_ = std::min(i + 1, src_.size());
    } else if (c == '$' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '{') {
      plain = false;
      braced_parameter(text);
    } else if (c == '$' && pos_ + 2 < src_.size() && src_[pos_ + 1] == '(' &&
               src_[pos_ + 2] == '(') {
      plain = false;
      arithmetic(text);
    } else if (c == '$' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '(') {
      plain = false;
      command_substitution(text);
    } else if (c == '`') {
      plain = false;
      backticks(text);
    } else if (first && c == '(' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '(') {
      plain = false;  // ((arithmetic)) as a command
      arithmetic(text);
    } else if (first && (c == '<' || c == '>') && pos_ + 1 < src_.size() && src_[pos_ + 1] == '(') {
      plain = false;  // <(process substitution): commands like $( )
      text += c;
      ++pos_;
      command_substitution(text);
    } else if (c == '(' && !text.empty() && text.back() == '=' && plain &&
               is_name_start(text.front())) {
      // NAME=(array elements)
      std::size_t end = skip_parens(pos_ + 1);
      text.append(src_.substr(pos_, end - pos_));
      pos_ = end;
      plain = false;
    } else if (is_meta(c)) {
      break;
    } else {
      text += c;
      ++pos_;
    }
    first = false;
  }
  tok.plain = plain;
  tok.end = pos_;
  tok.word.raw = std::string(src_.substr(start, pos_ - start));
  tok.word.offset = abs(start);
}

// From just after "(": the position after the matching ")", quotes respected, or the end.
std::size_t Reader::skip_parens(std::size_t from) {
  std::size_t level = 1;
  std::size_t i = from;
  while (i < src_.size()) {
    const char c = src_[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '\'') {
      auto close = src_.find('\'', i + 1);
      i = close == std::string_view::npos ? src_.size() : close + 1;
    } else if (c == '"') {
      ++i;
      while (i < src_.size() && src_[i] != '"')
        i += src_[i] == '\\' ? std::size_t{2} : std::size_t{1};
      ++i;
    } else if (c == '(') {
      ++level;
      ++i;
    } else if (c == ')') {
      ++i;
      if (--level == 0) break;
    } else {
      ++i;
    }
  }
  return std::min(i, src_.size());
}

void Reader::arithmetic(std::string& text) {
  const std::size_t start = pos_;
  std::size_t open = src_.find('(', pos_);
  std::size_t end = skip_parens(open + 1);
  pos_ = end;
  text.append(src_.substr(start, end - start));
}

void Reader::braced_parameter(std::string& text) {
  // ${...}: kept as written; a $( ) or backticks inside (${X:-$(cmd)}) is still read for commands.
  const std::size_t start = pos_;
  pos_ += 2;
  std::size_t level = 1;
  std::string scratch;
  while (pos_ < src_.size()) {
    const char c = src_[pos_];
    if (c == '\\') {
      pos_ += 2;
    } else if (c == '\'') {
      auto close = src_.find('\'', pos_ + 1);
      pos_ = close == std::string_view::npos ? src_.size() : close + 1;
    } else if (c == '$' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '{') {
      ++level;
      pos_ += 2;
    } else if (c == '$' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '(') {
      if (pos_ + 2 < src_.size() && src_[pos_ + 2] == '(') {
        arithmetic(scratch);
      } else {
        command_substitution(scratch);
      }
    } else if (c == '`') {
      backticks(scratch);
    } else if (c == '}') {
      ++pos_;
      if (--level == 0) break;
    } else {
      ++pos_;
    }
  }
  pos_ = std::min(pos_, src_.size());
  text.append(src_.substr(start, pos_ - start));
}

void Reader::command_substitution(std::string& text) {
  // At "$(" (or the "(" of "<(" / ">("): the inner commands are parsed in place, one level down.
  const std::size_t start = pos_;
  pos_ += src_[pos_] == '$' ? std::size_t{2} : std::size_t{1};
  if (depth_ + 1 > kMaxDepth || out_.full) {
    pos_ = skip_parens(pos_);
  } else {
    // The look-ahead is empty here: we are in the middle of lexing a token.
    const bool saved_bracket = double_bracket_;
    double_bracket_ = false;
    ++paren_depth_;
    ++depth_;
    Stops stops;
    stops.paren = true;
    parse_list(depth_, stops);
    --depth_;
    --paren_depth_;
    double_bracket_ = saved_bracket;
    if (ahead_ && is_op(*ahead_, ")")) ahead_.reset();  // consumed: pos_ is after it
    ahead_.reset();
  }
  pos_ = std::min(pos_, src_.size());
  text.append(src_.substr(start, pos_ - start));
}

void Reader::backticks(std::string& text) {
  const std::size_t start = pos_;
  std::string inner;
  std::size_t i = pos_ + 1;
  while (i < src_.size() && src_[i] != '`') {
    if (src_[i] == '\\' && i + 1 < src_.size()) {
      const char e = src_[i + 1];
      if (e == '`' || e == '\\' || e == '$') {
        inner += e;
      } else {
        inner += '\\';
        inner += e;
      }
      i += 2;
    } else {
      inner += src_[i++];
    }
  }
  pos_ = std::min(i + 1, src_.size());
  text.append(src_.substr(start, pos_ - start));
  if (depth_ + 1 <= kMaxDepth && !out_.full) {
    Reader nested(inner, out_, base_ + start + 1, std::min(limit_, base_ + pos_ - 1));
    nested.depth_ = depth_ + 1;
    nested.parse_list(depth_ + 1, Stops{});
  }
}

void Reader::skip_heredoc_bodies() {
  for (const Heredoc& doc : heredocs_) {
    while (pos_ < src_.size()) {
      std::size_t eol = src_.find('\n', pos_);
      if (eol == std::string_view::npos) eol = src_.size();
      std::string_view line = src_.substr(pos_, eol - pos_);
      pos_ = std::min(eol + 1, src_.size());
      if (doc.strip_tabs) {
        while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line == doc.delimiter) break;
    }
  }
  heredocs_.clear();
}

void Reader::parse_list(std::uint32_t depth, const Stops& stops) {
  const std::uint32_t saved_depth = depth_;
  depth_ = depth;
  std::ptrdiff_t last = -1;  // last simple command of this list, waiting for its connector
  std::optional<Connector> pending;
  std::uint32_t pipeline = out_.next_pipeline++;
  bool negate = false;
  bool pipeline_negated = false;

  // An item (simple or compound command) starts: settle the previous command's connector.
  auto item_starts = [&]() {
    if (last >= 0 && pending) out_.commands[static_cast<std::size_t>(last)].next = *pending;
    if (!pending || *pending != Connector::kPipe) {
      pipeline = out_.next_pipeline++;
      pipeline_negated = false;
    }
    if (negate) pipeline_negated = true;
    negate = false;
    pending.reset();
    last = -1;
  };

  for (;;) {
    const Token& tok = peek();
    if (tok.kind == Tok::kEof) break;
    if (tok.kind == Tok::kNewline) {
      take();
      if (last >= 0 && !pending) pending = Connector::kSequence;
      continue;
    }
    if (tok.kind == Tok::kOp) {
      const std::string& o = tok.op;
      if (o == ")") {
        if (stops.paren || paren_depth_ > 0) break;
        take();
        continue;
      }
      if (o == ";;" || o == ";&" || o == ";;&") {
        if (stops.dsemi) break;
        take();
        continue;
      }
      if (o == "(") {
        item_starts();
        parse_subshell(depth);
        continue;
      }
      Connector conn = Connector::kSequence;
      if (o == "&&") conn = Connector::kAnd;
      if (o == "||") conn = Connector::kOr;
      if (o == "|" || o == "|&") conn = Connector::kPipe;
      take();
      pending = conn;
      continue;
    }
    if (tok.kind == Tok::kWord && tok.plain) {
      const std::string& w = tok.word.text;
      if (stops.has(w)) break;
      if (w == "!") {
        take();
        negate = true;
        continue;
      }
      if (w == "if" || w == "while" || w == "until" || w == "for" || w == "select" || w == "case" ||
          w == "{" || w == "function") {
        item_starts();
        std::string keyword = w;
        parse_compound(depth, keyword);
        continue;
      }
      if (w == "then" || w == "else" || w == "elif" || w == "fi" || w == "do" || w == "done" ||
          w == "esac" || w == "}" || w == "in") {
        take();  // stray closing keyword: tolerated
        continue;
      }
    }
    item_starts();
    last = parse_simple(depth, pipeline, pipeline_negated);
  }
  depth_ = saved_depth;
}

void Reader::parse_subshell(std::uint32_t depth) {
  take();  // "("
  if (depth + 1 > kMaxDepth) {
    // Too deep: consume up to the matching ")" without listing commands.
    std::uint32_t level = 1;
    while (level > 0) {
      Token t = take();
      if (t.kind == Tok::kEof) return;
      if (is_op(t, "(")) ++level;
      if (is_op(t, ")")) --level;
    }
    return;
  }
  ++paren_depth_;
  Stops stops;
  stops.paren = true;
  parse_list(depth + 1, stops);
  --paren_depth_;
  if (is_op(peek(), ")")) take();
  skip_trailing_redirects();
}

void Reader::skip_trailing_redirects() {
  while (peek().kind == Tok::kRedirect) {
    Token r = take();
    if (peek().kind == Tok::kWord) {
      Token target = take();
      if (r.op.find("<<") != std::string::npos && r.op.find("<<<") == std::string::npos) {
        heredocs_.push_back({target.word.text, r.op.back() == '-'});
      }
    }
  }
}

void Reader::parse_compound(std::uint32_t depth, std::string_view keyword) {
  take();  // the keyword
  const std::uint32_t inner = depth + 1;
  if (inner > kMaxDepth) return;  // too deep: the rest is read as plain commands at this level
  if (keyword == "function") {
    if (peek().kind == Tok::kWord) take();  // name
    if (is_op(peek(), "(")) {
      take();
      if (is_op(peek(), ")")) take();
    }
    return;  // the body is the next item of the list
  }
  if (keyword == "{") {
    Stops stops;
    stops.keywords = {"}"};
    parse_list(inner, stops);
    if (is_keyword(peek(), "}")) take();
  } else if (keyword == "if") {
    Stops stops;
    stops.keywords = {"then", "elif", "else", "fi"};
    for (;;) {
      parse_list(inner, stops);
      const Token& t = peek();
      if (is_keyword(t, "then") || is_keyword(t, "elif") || is_keyword(t, "else")) {
        take();
        continue;
      }
      if (is_keyword(t, "fi")) take();
      break;
    }
  } else if (keyword == "while" || keyword == "until" || keyword == "for" || keyword == "select") {
    if (keyword == "for" || keyword == "select") {
      // for NAME [in WORD...] ; do ... done — NAME and the words are not commands. The words
      // are still lexed, so a $(...) among them lists its commands.
      if (peek().kind == Tok::kWord) take();
      while (peek().kind == Tok::kNewline) take();
      if (is_keyword(peek(), "in")) {
        take();
        while (peek().kind == Tok::kWord) take();
      }
      while (peek().kind == Tok::kNewline || is_op(peek(), ";")) take();
    }
    Stops stops;
    stops.keywords = {"do", "done"};
    for (;;) {
      parse_list(inner, stops);
      const Token& t = peek();
      if (is_keyword(t, "do")) {
        take();
        stops.keywords = {"done"};
        continue;
      }
      if (is_keyword(t, "done")) take();
      break;
    }
  } else if (keyword == "case") {
    if (peek().kind == Tok::kWord) take();  // the subject
    while (peek().kind == Tok::kNewline) take();
    if (is_keyword(peek(), "in")) take();
    Stops body;
    body.keywords = {"esac"};
    body.dsemi = true;
    for (;;) {
      while (peek().kind == Tok::kNewline || is_op(peek(), ";;") || is_op(peek(), ";&") ||
             is_op(peek(), ";;&") || is_op(peek(), ";"))
        take();
      const Token& t = peek();
      if (t.kind == Tok::kEof) break;
      if (is_keyword(t, "esac")) {
        take();
        break;
      }
      // pattern: [(] word [| word]... )
      if (is_op(t, "(")) take();
      bool any = false;
      while (peek().kind == Tok::kWord || is_op(peek(), "|")) {
        take();
        any = true;
      }
      if (!is_op(peek(), ")")) {
        if (!any) break;  // not a case clause: give up on this case
        continue;
      }
      take();
      parse_list(inner, body);
      if (is_op(peek(), ")")) break;  // the enclosing $( ) / ( ) ends here
    }
  }
  skip_trailing_redirects();
}

bool is_assignment(const Token& tok) {
  const std::string& raw = tok.word.raw;
  if (raw.empty() || !is_name_start(raw[0])) return false;
  std::size_t i = 1;
  while (i < raw.size() && is_name_char(raw[i])) ++i;
  if (i < raw.size() && raw[i] == '+') ++i;
  return i < raw.size() && raw[i] == '=';
}

std::ptrdiff_t Reader::parse_simple(std::uint32_t depth, std::uint32_t pipeline, bool negated) {
  ShellCommand cmd;
  cmd.depth = depth;
  cmd.pipeline = pipeline;
  cmd.negated = negated;
  bool have_offset = false;
  bool function_definition = false;
  for (;;) {
    const Token& tok = peek();
    if (tok.kind == Tok::kWord) {
      Token t = take();
      if (!have_offset) {
        cmd.offset = t.word.offset;
        have_offset = true;
      }
      if (cmd.words.empty() && is_assignment(t)) {
        cmd.assignments.push_back(std::move(t.word.text));
        continue;
      }
      if (cmd.words.empty()) {
        cmd.offset = t.word.offset;  // the first word, not a leading assignment or redirect
        if (t.plain && t.word.text == "[[") double_bracket_ = true;
      } else if (double_bracket_ && t.plain && t.word.text == "]]") {
        double_bracket_ = false;
      }
      cmd.words.push_back(std::move(t.word));
    } else if (tok.kind == Tok::kRedirect) {
      Token r = take();
      if (!have_offset) {
        cmd.offset = abs(r.begin);
        have_offset = true;
      }
      std::size_t end = r.end;
      if (peek().kind == Tok::kWord) {
        Token target = take();
        end = target.end;
        if (r.op.find("<<") != std::string::npos && r.op.find("<<<") == std::string::npos) {
          heredocs_.push_back({target.word.text, r.op.back() == '-'});
        }
      }
      cmd.redirects.emplace_back(src_.substr(r.begin, end - r.begin));
    } else if (tok.kind == Tok::kOp && tok.op == "(" && cmd.words.size() == 1 &&
               cmd.assignments.empty() && !double_bracket_) {
      // name() compound-command: a function definition, not a command.
      take();
      if (is_op(peek(), ")")) take();
      function_definition = true;
      break;
    } else {
      break;
    }
  }
  double_bracket_ = false;
  if (function_definition) return -1;
  if (cmd.words.empty() && cmd.assignments.empty() && cmd.redirects.empty()) return -1;
  std::ptrdiff_t index = push(std::move(cmd));
  if (index >= 0 && depth + 1 <= kMaxDepth) {
    // sh -c "script": the script's commands, one level down.
    const ShellCommand& pushed = out_.commands[static_cast<std::size_t>(index)];
    std::size_t shell = pushed.words.size();
    if (is_shell_name(pushed.program())) {
      shell = 0;
    } else if (is_wrapper(pushed.program())) {
      for (std::size_t i = 1; i < pushed.words.size(); ++i) {
        if (is_shell_name(basename_of(pushed.words[i].text))) {
          shell = i;
          break;
        }
      }
    }
    if (shell < pushed.words.size()) {
      std::size_t i = shell + 1;
      if (i < pushed.words.size() && basename_of(pushed.words[shell].text) == "busybox" &&
          pushed.words[i].text == "sh")
        ++i;
      bool dash_c = false;
      for (; i < pushed.words.size(); ++i) {
        std::string_view a = pushed.words[i].text;
        if (a == "--") {
          ++i;
          break;
        }
        if (a.size() > 1 && (a[0] == '-' || a[0] == '+') && a.substr(0, 2) != "--") {
          if (a.find('c') != std::string_view::npos) dash_c = true;
          if (a.back() == 'o' || a.back() == 'O') ++i;  // -o pipefail
          continue;
        }
        if (a.size() > 2 && a.substr(0, 2) == "--") continue;  // --login, --norc
        break;
      }
      if (dash_c && i < pushed.words.size()) {
        ShellWord script = pushed.words[i];  // copy: nested parsing grows the vector
        nested_script(script, depth + 1);
      }
    }
  }
  return index;
}

void Reader::nested_script(const ShellWord& word, std::uint32_t depth) {
  const bool quoted = !word.raw.empty() && (word.raw[0] == '\'' || word.raw[0] == '"');
  const std::size_t base = std::size_t{word.offset} + (quoted ? 1 : 0);
  const std::size_t limit = std::size_t{word.offset} + (word.raw.empty() ? 0 : word.raw.size() - 1);
  Reader nested(word.text, out_, base, std::min(limit, limit_));
  nested.depth_ = depth;
  nested.parse_list(depth, Stops{});
}

}  // namespace

ShellScript parse_shell(std::string_view text, std::size_t max_commands) {
  ShellScript script;
  if (max_commands == 0) return script;
  Output out;
  out.max_commands = max_commands;
  Reader reader(text, out, 0, text.empty() ? 0 : text.size() - 1);
  reader.parse_list(0, Stops{});
  script.commands = std::move(out.commands);
  std::stable_sort(
      script.commands.begin(), script.commands.end(),
      [](const ShellCommand& a, const ShellCommand& b) { return a.offset < b.offset; });
  return script;
}

}  // namespace mtr::dockerfile
