// Shell text inside Dockerfiles, two jobs:
// 1. BuildKit's word expansion (frontend/dockerfile/shell.Lex): quotes, escapes and $VAR,
//    ${VAR}, ${VAR:-default}, ${VAR:+alt}, ${VAR-x}, ${VAR+x}, ${VAR:?err}, ${VAR#pat},
//    ${VAR%pat}, ${VAR/pat/repl} … as ARG/ENV/FROM/COPY values are expanded at build time.
// 2. A tolerant POSIX-shell reader for RUN commands, so rules see commands and their
//    arguments ("apt-get" "install" "-y" "curl=7.88"), pipelines, && / || / ; lists and heredoc
//    bodies, not substrings. It never fails: unbalanced quotes end at the end of the text.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mtr::dockerfile {

// ---- 1. BuildKit word expansion ------------------------------------------------------------

using Environment = std::map<std::string, std::string, std::less<>>;

struct ExpandOptions {
  char escape = '\\';
  // Windows rules: variable names match case-insensitively ($path finds PATH), as BuildKit's
  // NormalizeEnvKey on Windows. The escape char is `escape` on every platform.
  bool windows = false;
  bool keep_quotes = false;  // BuildKit's RawQuotes: keep quote characters in the result
  bool skip_unset = false;   // BuildKit's SkipUnsetEnv: leave $UNSET as written
};

// One word, expanded (BuildKit ProcessWord). Error (kInvalidInput) on what BuildKit rejects,
// e.g. "${VAR" unterminated, ${VAR:?message} with VAR unset or empty, and on ${...} nested
// deeper than 200 levels (BuildKit has no bound; we refuse rather than overflow the stack).
core::Result<std::string> expand_word(std::string_view word, const Environment& env,
                                      const ExpandOptions& options = {});
// Several words, split on unquoted blanks after expansion (BuildKit ProcessWords).
core::Result<std::vector<std::string>> expand_words(std::string_view text, const Environment& env,
                                                    const ExpandOptions& options = {});

// ---- 2. RUN command reader -----------------------------------------------------------------

// How a command is joined to the next one in its list.
enum class Connector {
  kNone,      // last of the script
  kAnd,       // &&
  kOr,        // ||
  kSequence,  // ; or newline or &
  kPipe,      // | (or |&): its output feeds the next command
};

struct ShellWord {
  std::string text;          // quotes removed, escapes resolved; $VAR kept as written
  std::string raw;           // as written, quotes included
  std::uint32_t offset = 0;  // byte offset of raw in the script text
};

struct ShellCommand {
  // Words after leading assignments (FOO=bar cmd) and redirections are removed:
  // words[0] is the program as written ("apt-get", "/usr/bin/curl", "sudo").
  std::vector<ShellWord> words;
  std::vector<std::string> assignments;  // leading "NAME=value" words
  std::vector<std::string> redirects;    // "> /dev/null", "2>&1", "<<EOF" as written
  Connector next = Connector::kNone;
  // Index of the pipeline this command belongs to; commands of one pipeline share it.
  std::uint32_t pipeline = 0;
  // Nesting: 0 at top level; deeper inside ( ), { }, $( ), `...`, if/while/for bodies.
  std::uint32_t depth = 0;
  bool negated = false;      // "! cmd"
  std::uint32_t offset = 0;  // byte offset of the first word in the script text

  // words[0].text without a directory ("/usr/bin/apt-get" → "apt-get"); "" when no words.
  std::string_view program() const;
  // Words 1..n as text.
  std::vector<std::string_view> args() const;
  // True when an argument equals `flag` exactly, or, for a one-letter flag "-y", a bundle of
  // one-letter flags contains it ("-qqy"; not "-oDpkg::..."), or, for a long flag, it is
  // given as "--flag=value". Arguments after "--" are operands and are not looked at.
  bool has_flag(std::string_view flag) const;
};

struct ShellScript {
  // Every simple command in source order, including those nested in subshells, groups,
  // command substitutions, if/for/while/case bodies and `sh -c "..."` strings.
  std::vector<ShellCommand> commands;
};

// Reads `text` (a RUN command, continuations already joined, or a heredoc body). Never fails;
// bounded by `max_commands` (further text is ignored) and by a nesting depth of 64 (deeper
// ( ), $( ), `...`, sh -c and compound bodies are consumed but not split into commands).
// Commands are in source order of `offset`; for the commands of an `sh -c '...'` string or a
// backtick body the offsets are approximate (mapped into that word). Heredoc bodies
// (<<EOF ... EOF) are skipped, not read as commands. `next` is kNone for the last command of
// its list (a trailing ";" or "&" is not a connector); a connector before a compound command
// ("a && if ...; fi") stays on the simple command before it.
ShellScript parse_shell(std::string_view text, std::size_t max_commands = 100000);

}  // namespace mtr::dockerfile
