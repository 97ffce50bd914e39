// The Dockerfile syntax tree, as BuildKit's parser builds it (frontend/dockerfile/parser), with
// exact source spans so every finding points at the right line and column. Produced by
// parse() in parser.h; read by the lint rules and the conformance tests (dump()).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mtr::dockerfile {

// 1-based line and column; column counts bytes. {0,0} = unknown.
struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// begin is the first byte, end the last byte (inclusive), as SARIF regions want them.
struct Span {
  Position begin;
  Position end;
};

// One here-document of an instruction (`RUN <<EOF ... EOF`, `COPY <<-"EOT" /dst`).
struct Heredoc {
  std::string name;  // delimiter without quotes: "EOF"
  // Body lines as written, each with its newline; like BuildKit's parser, leading tabs are kept
  // even for <<- (BuildKit strips them when it uses the heredoc: chomp_heredoc_content() in
  // dockerfile/detail/parser_text.h).
  std::string content;
  bool expand = true;  // false when the delimiter was quoted ('EOF' or "EOF")
  bool chomp = false;  // <<-
  int fd = 0;          // 3<<EOF → 3; 0 when none was written
  Span span;           // body lines, first to the terminator line (begins at col 1)
};

struct Instruction {
  // Lower-case instruction name as BuildKit dumps it: "from", "run", "copy", "onbuild".
  std::string keyword;
  // Flags as written, one per entry, without the `--` separator: "--mount=type=cache,target=/x".
  std::vector<std::string> flags;
  // BuildKit's argument words (Node.Next):
  // - exec/JSON form (json == true): the array elements, unquoted;
  // - shell form of RUN/CMD/ENTRYPOINT/SHELL: one string, the command text with continuations
  //   joined (exactly what /bin/sh -c receives);
  // - ENV/LABEL: (key, value, separator) triples, separator "=" or "" for the legacy `ENV k v`
  //   (whose value is the rest of the line); values keep their quotes and escapes;
  // - ARG: "name" or "name=value" words, quotes kept;
  // - FROM/EXPOSE and non-JSON ADD/COPY/VOLUME: whitespace-split words, quotes kept;
  // - USER/WORKDIR/MAINTAINER/STOPSIGNAL: one string, the rest of the line;
  // - HEALTHCHECK: the type word ("CMD", "NONE"), then the command as for CMD;
  // - ONBUILD: none (see inner); unknown instructions (when allowed): none.
  std::vector<std::string> args;
  bool json = false;
  // ONBUILD's inner instruction (one element for onbuild, none for a bare `ONBUILD` and for
  // other instructions). Heredocs of `ONBUILD RUN <<EOF` are on the outer instruction.
  std::vector<Instruction> inner;
  std::vector<Heredoc> heredocs;
  // The instruction's text after joining continuations (BuildKit's Node.Original): keyword,
  // flags and arguments, without comment lines and without heredoc bodies.
  std::string original;
  // Keyword to the last byte of the last line BuildKit consumed for the instruction (comment and
  // empty lines inside the continuation included, heredoc bodies not; end column 1 when that
  // line is empty). An ONBUILD's inner instruction ends where the ONBUILD ends.
  Span span;
  Span keyword_span;  // the keyword alone
  // Where each args[i] starts in the source (same size as args; {0,0} when unknown). JSON
  // elements: their opening quote; ENV/LABEL triples: key, first byte after '=', the '='
  // ({0,0} for the legacy form's "" separator).
  std::vector<Position> arg_positions;
  // Where each flags[i] starts in the source (same size as flags).
  std::vector<Position> flag_positions;
};

// `# syntax=...`, `# escape=...`, `# check=...` at the top of the file.
struct Directive {
  std::string name;  // lower-case
  std::string value;
  std::uint32_t line = 0;
};

// Every comment line ("# hadolint ignore=DL3008"), for inline suppressions: top-level ones and
// those inside continuations; not parser directives, not heredoc body lines. text excludes '#'
// and surrounding blanks.
struct Comment {
  std::string text;
  std::uint32_t line = 0;
  bool inside_instruction = false;  // within a continuation
};

struct ParseWarning {
  std::string message;     // BuildKit's text: "Empty continuation line found in: RUN a  b"
  std::uint32_t line = 0;  // the instruction's last line (as BuildKit reports it)
};

struct Dockerfile {
  std::string path;    // as given to parse(), for messages
  char escape = '\\';  // from the escape directive
  std::vector<Directive> directives;
  std::vector<Instruction> instructions;
  std::vector<Comment> comments;
  std::vector<ParseWarning> warnings;
  std::uint32_t line_count = 0;
};

}  // namespace mtr::dockerfile
