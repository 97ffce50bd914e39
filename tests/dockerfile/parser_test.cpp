// Dockerfile parser: BuildKit conformance (../shared/corpus/dockerfile/buildkit), the real-world
// and insecure corpora, and positions/comments/errors of our own.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "dockerfile/detail/parser_text.h"
#include "dockerfile/parser.h"
#include "support/test_support.h"

namespace mtr::dockerfile {
namespace {

namespace fs = std::filesystem;

fs::path buildkit_dir() { return test::corpus_dir() / "dockerfile" / "buildkit"; }

std::vector<fs::path> subdirs(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory()) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// TSV field unescaping: \n newline, \t tab, \\ backslash.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::vector<std::string>> read_tsv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(test::read_file(path));
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
      const std::size_t tab = line.find('\t', start);
      fields.push_back(unescape(line.substr(start, tab == std::string::npos ? tab : tab - start)));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

Dockerfile must_parse(std::string_view text, const ParseLimits& limits = {}) {
  auto parsed = parse(text, "Dockerfile", limits);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().to_string());
  return parsed ? *parsed : Dockerfile{};
}

// ---- 1. testfiles: dump() equals BuildKit's result ----

TEST(DockerfileParserConformance, TestfilesDumpMatchesBuildKit) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = buildkit_dir() / "parser" / "testfiles";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent";
  int cases = 0;
  for (const auto& c : subdirs(dir)) {
    SCOPED_TRACE(c.filename().string());
    const std::string path = (c / "Dockerfile").string();
    auto parsed = parse(test::read_file(c / "Dockerfile"), path);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    EXPECT_EQ(dump(*parsed), test::read_file(c / "result"));
    ++cases;
  }
  EXPECT_GE(cases, 33);
}

// ---- 2. testfiles-negative: rejected with path and line ----

TEST(DockerfileParserConformance, NegativeTestfilesAreRejected) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = buildkit_dir() / "parser" / "testfiles-negative";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent";
  int cases = 0;
  for (const auto& c : subdirs(dir)) {
    SCOPED_TRACE(c.filename().string());
    const std::string path = (c / "Dockerfile").string();
    auto parsed = parse(test::read_file(c / "Dockerfile"), path);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(parsed.error().location.file, path);
    EXPECT_GT(parsed.error().location.line, 0u);
    ++cases;
  }
  EXPECT_EQ(cases, 4);
}

TEST(DockerfileParserConformance, NegativeCasesPointAtTheLine) {
  auto env = parse("FROM busybox\n\nENV PATH\n", "df");
  ASSERT_FALSE(env.has_value());
  EXPECT_EQ(env.error().location.line, 3u);
  EXPECT_EQ(env.error().location.column, 5u);
  auto nested = parse("FROM a\n  CMD [ \"echo\", [ \"nested json\" ] ]\n", "df");
  ASSERT_FALSE(nested.has_value());
  EXPECT_EQ(nested.error().location.line, 2u);
  EXPECT_EQ(nested.error().location.column, 7u);
  auto comments = parse("# Hello\n# just comments\n\n", "df");
  ASSERT_FALSE(comments.has_value());
  EXPECT_EQ(comments.error().location.line, 3u);
  auto empty = parse("", "df");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().location.line, 1u);
}

// ---- 3. testfile-line ----

TEST(DockerfileParserConformance, LineNumbers) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = buildkit_dir() / "parser" / "testfile-line";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent";
  const auto expected = nlohmann::json::parse(test::read_file(dir / "expected.json"));
  const Dockerfile file = must_parse(test::read_file(dir / "Dockerfile"));
  ASSERT_EQ(file.instructions.size(), expected["children"].get<std::size_t>());
  EXPECT_EQ(file.instructions.front().span.begin.line, expected["ast_start_line"].get<unsigned>());
  EXPECT_EQ(file.instructions.back().span.end.line, expected["ast_end_line"].get<unsigned>());
  const auto& lines = expected["children_start_end_lines"];
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(file.instructions[i].span.begin.line, lines[i][0].get<unsigned>()) << i;
    EXPECT_EQ(file.instructions[i].span.end.line, lines[i][1].get<unsigned>()) << i;
  }
  EXPECT_EQ(file.escape, '\\');
  ASSERT_EQ(file.directives.size(), 1u);
  EXPECT_EQ(file.directives[0].name, "escape");
}

// ---- 4. empty continuation lines ----

TEST(DockerfileParserConformance, EmptyContinuationWarnings) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = buildkit_dir() / "parser" / "empty-continuation-warning";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent";
  const auto expected = nlohmann::json::parse(test::read_file(dir / "expected.json"));
  const Dockerfile file = must_parse(test::read_file(dir / "Dockerfile"));
  ASSERT_EQ(file.warnings.size(), expected["warnings"].get<std::size_t>());
  const auto& contains = expected["warning_short_contains"];
  for (std::size_t i = 0; i < contains.size(); ++i) {
    for (const auto& part : contains[i]) {
      EXPECT_NE(file.warnings[i].message.find(part.get<std::string>()), std::string::npos)
          << file.warnings[i].message;
    }
  }
}

// ---- 5. heredocs ----

TEST(DockerfileParserConformance, ExtractsHeredocs) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = buildkit_dir() / "heredoc" / "extracts-heredoc";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent";
  const auto expected = nlohmann::json::parse(test::read_file(dir / "expected.json"));
  // The case has an `INVALID` instruction: kept, as BuildKit's parser does.
  const Dockerfile file = must_parse(test::read_file(dir / "Dockerfile"));
  EXPECT_EQ(file.instructions[4].keyword, "invalid");
  EXPECT_TRUE(file.instructions[4].args.empty());
  const auto& cases = expected["expected_by_instruction"];
  ASSERT_EQ(file.instructions.size(), cases.size() + 1);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i]["instruction_comment"].get<std::string>());
    const auto& got = file.instructions[i + 1].heredocs;
    const auto& want = cases[i]["heredocs"];
    if (want.is_null()) {
      EXPECT_TRUE(got.empty());
      continue;
    }
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      EXPECT_EQ(got[k].name, want[k]["Name"].get<std::string>());
      EXPECT_EQ(got[k].content, want[k]["Content"].get<std::string>());
      EXPECT_EQ(got[k].expand, want[k]["Expand"].get<bool>());
      EXPECT_EQ(got[k].chomp, want[k]["Chomp"].get<bool>());
      EXPECT_EQ(got[k].fd, want[k]["FileDescriptor"].get<int>());
    }
  }
  // Strict mode rejects the unknown instruction at its line.
  ParseLimits strict_limits;
  strict_limits.allow_unknown_instructions = false;
  auto strict = parse(test::read_file(dir / "Dockerfile"), "df", strict_limits);
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(strict.error().location.line, 9u);
}

TEST(DockerfileParserConformance, JsonFormHasNoHeredoc) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = buildkit_dir() / "heredoc" / "json-form-no-heredoc";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent";
  const Dockerfile file = must_parse(test::read_file(dir / "Dockerfile"));
  ASSERT_EQ(file.instructions.size(), 4u);
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_TRUE(file.instructions[i].json);
    EXPECT_TRUE(file.instructions[i].heredocs.empty()) << i;
  }
}

TEST(DockerfileParserConformance, HeredocWordVectors) {
  MTR_REQUIRE_CORPUS();
  const fs::path path = buildkit_dir() / "heredoc" / "parse-heredoc-word.tsv";
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  int rows = 0;
  for (const auto& row : read_tsv(path)) {
    ASSERT_GE(row.size(), 2u);
    SCOPED_TRACE(row[0]);
    auto doc = detail::parse_heredoc_word(row[0]);
    if (row[1] == "error") {
      EXPECT_FALSE(doc.has_value());
    } else if (row[1] == "not-heredoc") {
      ASSERT_TRUE(doc.has_value());
      EXPECT_FALSE(doc->has_value());
    } else {
      ASSERT_TRUE(doc.has_value());
      ASSERT_TRUE(doc->has_value());
      EXPECT_EQ((*doc)->name, row.size() > 2 ? row[2] : "");
    }
    ++rows;
  }
  EXPECT_GE(rows, 20);
}

TEST(DockerfileParserConformance, HeredocsFromLineVectors) {
  MTR_REQUIRE_CORPUS();
  const fs::path path = buildkit_dir() / "heredoc" / "heredocs-from-line.tsv";
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  for (const auto& row : read_tsv(path)) {
    SCOPED_TRACE(row[0]);
    std::vector<std::string> want;
    if (row.size() > 1 && !row[1].empty()) {
      std::istringstream names(row[1]);
      for (std::string n; std::getline(names, n, ',');) want.push_back(n);
    }
    auto docs = detail::heredocs_from_line(row[0]);
    ASSERT_TRUE(docs.has_value());
    // BuildKit's test compares the names it finds with the listed ones, index by index (the
    // lexer does not see "<<- EOF" as one word, so that row yields no heredoc upstream either).
    ASSERT_LE(docs->size(), want.size());
    for (std::size_t i = 0; i < docs->size(); ++i) EXPECT_EQ((*docs)[i].name, want[i]);
    if (row[0].find("<<- ") == std::string::npos) {
      EXPECT_EQ(docs->size(), want.size());
    }
  }
}

TEST(DockerfileParserConformance, ChompVectors) {
  MTR_REQUIRE_CORPUS();
  const fs::path path = buildkit_dir() / "heredoc" / "chomp.tsv";
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  for (const auto& row : read_tsv(path)) {
    ASSERT_EQ(row.size(), 2u);
    EXPECT_EQ(detail::chomp_heredoc_content(row[0]), row[1]);
  }
}

// ---- 6. real-world and insecure corpora parse ----

TEST(DockerfileParserConformance, RealWorldAndInsecureParse) {
  MTR_REQUIRE_CORPUS();
  int files = 0;
  for (const char* sub : {"real-world", "insecure"}) {
    const fs::path dir = test::corpus_dir() / "dockerfile" / sub;
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const std::string path = entry.path().string();
      auto parsed = parse(test::read_file(entry.path()), path);
      EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().to_string());
      if (parsed) {
        EXPECT_FALSE(parsed->instructions.empty()) << path;
        (void)dump(*parsed);
      }
      ++files;
    }
  }
  if (files == 0) GTEST_SKIP() << "no real-world or insecure Dockerfiles in the corpus";
}

// ---- 7. our own: positions, comments, errors ----

TEST(DockerfileParser, SpansOnContinuations) {
  const Dockerfile file = must_parse(
      "# syntax=docker/dockerfile:1\n"                       // 1
      "FROM alpine:3.20 AS build\n"                          // 2
      "  RUN --mount=type=cache,target=/var/cache/apk \\\n"  // 3
      "    # cache apk\n"                                    // 4
      "    --network=none \\\n"                              // 5
      "\n"                                                   // 6
      "    apk add curl\n"                                   // 7
      "ENV A=1 \\\n"                                         // 8
      "    B=\"two words\"\n"                                // 9
      "COPY [\"a b\", \\\n"                                  // 10
      "      \"/dst/\"]\n");                                 // 11
  ASSERT_EQ(file.instructions.size(), 4u);
  EXPECT_EQ(file.line_count, 11u);

  const Instruction& from = file.instructions[0];
  EXPECT_EQ(from.keyword, "from");
  EXPECT_EQ(from.args, (std::vector<std::string>{"alpine:3.20", "AS", "build"}));
  ASSERT_EQ(from.arg_positions.size(), 3u);
  EXPECT_EQ(from.arg_positions[2].line, 2u);
  EXPECT_EQ(from.arg_positions[2].column, 21u);

  const Instruction& run = file.instructions[1];
  EXPECT_EQ(run.keyword, "run");
  EXPECT_EQ(run.keyword_span.begin.line, 3u);
  EXPECT_EQ(run.keyword_span.begin.column, 3u);
  EXPECT_EQ(run.keyword_span.end.column, 5u);
  EXPECT_EQ(run.span.end.line, 7u);
  EXPECT_EQ(run.span.end.column, 16u);
  ASSERT_EQ(run.flags.size(), 2u);
  EXPECT_EQ(run.flags[0], "--mount=type=cache,target=/var/cache/apk");
  EXPECT_EQ(run.flags[1], "--network=none");
  EXPECT_EQ(run.flag_positions[0].line, 3u);
  EXPECT_EQ(run.flag_positions[0].column, 7u);
  EXPECT_EQ(run.flag_positions[1].line, 5u);
  EXPECT_EQ(run.flag_positions[1].column, 5u);
  ASSERT_EQ(run.args.size(), 1u);
  EXPECT_EQ(run.args[0], "apk add curl");
  EXPECT_EQ(run.arg_positions[0].line, 7u);
  EXPECT_EQ(run.arg_positions[0].column, 5u);
  EXPECT_FALSE(run.json);
  ASSERT_EQ(file.warnings.size(), 1u);
  EXPECT_EQ(file.warnings[0].line, 7u);

  const Instruction& env = file.instructions[2];
  EXPECT_EQ(env.args, (std::vector<std::string>{"A", "1", "=", "B", "\"two words\"", "="}));
  ASSERT_EQ(env.arg_positions.size(), 6u);
  EXPECT_EQ(env.arg_positions[0].line, 8u);
  EXPECT_EQ(env.arg_positions[0].column, 5u);
  EXPECT_EQ(env.arg_positions[1].column, 7u);
  EXPECT_EQ(env.arg_positions[2].column, 6u);
  EXPECT_EQ(env.arg_positions[3].line, 9u);
  EXPECT_EQ(env.arg_positions[3].column, 5u);
  EXPECT_EQ(env.arg_positions[4].column, 7u);

  const Instruction& copy = file.instructions[3];
  EXPECT_TRUE(copy.json);
  EXPECT_EQ(copy.args, (std::vector<std::string>{"a b", "/dst/"}));
  EXPECT_EQ(copy.arg_positions[0].line, 10u);
  EXPECT_EQ(copy.arg_positions[0].column, 7u);
  EXPECT_EQ(copy.arg_positions[1].line, 11u);
  EXPECT_EQ(copy.arg_positions[1].column, 7u);

  ASSERT_EQ(file.directives.size(), 1u);
  EXPECT_EQ(file.directives[0].name, "syntax");
  EXPECT_EQ(file.directives[0].value, "docker/dockerfile:1");
  ASSERT_EQ(file.comments.size(), 1u);
  EXPECT_EQ(file.comments[0].text, "cache apk");
  EXPECT_EQ(file.comments[0].line, 4u);
  EXPECT_TRUE(file.comments[0].inside_instruction);
}

TEST(DockerfileParser, CommentsDirectivesAndEscape) {
  const Dockerfile file = must_parse(
      "# ESCAPE = `\n"
      "#   check=skip=all\n"
      "# hadolint ignore=DL3008\n"
      "FROM mcr.microsoft.com/windows/servercore\n"
      "RUN dir c:\\ `\n"
      "    && echo done\n"
      "  #indented\n"
      "ONBUILD RUN echo hi\n");
  EXPECT_EQ(file.escape, '`');
  ASSERT_EQ(file.directives.size(), 2u);
  EXPECT_EQ(file.directives[1].name, "check");
  EXPECT_EQ(file.directives[1].value, "skip=all");
  ASSERT_EQ(file.comments.size(), 2u);
  EXPECT_EQ(file.comments[0].text, "hadolint ignore=DL3008");
  EXPECT_FALSE(file.comments[0].inside_instruction);
  EXPECT_EQ(file.comments[1].text, "indented");
  EXPECT_EQ(file.comments[1].line, 7u);
  ASSERT_EQ(file.instructions.size(), 3u);
  EXPECT_EQ(file.instructions[1].args[0], "dir c:\\     && echo done");
  const Instruction& onbuild = file.instructions[2];
  ASSERT_EQ(onbuild.inner.size(), 1u);
  EXPECT_EQ(onbuild.inner[0].keyword, "run");
  EXPECT_EQ(onbuild.inner[0].keyword_span.begin.column, 9u);
  EXPECT_EQ(onbuild.inner[0].original, "RUN echo hi");
  EXPECT_EQ(dump(file).substr(dump(file).rfind("(onbuild")), "(onbuild (run \"echo hi\"))\n");
}

TEST(DockerfileParser, HeredocBodiesAndSpans) {
  const Dockerfile file = must_parse(
      "FROM busybox\n"
      "RUN <<EOF cat >/x && 3<<-'END' sh\n"
      "hello $X\n"
      "EOF\n"
      "\tbody\n"
      "\tEND\n"
      "RUN echo after\n");
  ASSERT_EQ(file.instructions.size(), 3u);
  const auto& docs = file.instructions[1].heredocs;
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].name, "EOF");
  EXPECT_EQ(docs[0].content, "hello $X\n");
  EXPECT_TRUE(docs[0].expand);
  EXPECT_EQ(docs[0].span.begin.line, 3u);
  EXPECT_EQ(docs[0].span.end.line, 4u);
  EXPECT_EQ(docs[1].name, "END");
  EXPECT_FALSE(docs[1].expand);
  EXPECT_TRUE(docs[1].chomp);
  EXPECT_EQ(docs[1].fd, 3);
  EXPECT_EQ(docs[1].content, "\tbody\n");
  EXPECT_EQ(detail::chomp_heredoc_content(docs[1].content), "body\n");
  EXPECT_EQ(file.instructions[1].span.end.line, 2u);
  EXPECT_EQ(file.instructions[2].span.begin.line, 7u);
}

TEST(DockerfileParser, ErrorsCarryLineAndColumn) {
  auto unterminated = parse("FROM a\n  RUN <<EOF\necho\n", "x/Dockerfile");
  ASSERT_FALSE(unterminated.has_value());
  EXPECT_EQ(unterminated.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(unterminated.error().location.file, "x/Dockerfile");
  EXPECT_EQ(unterminated.error().location.line, 2u);
  EXPECT_EQ(unterminated.error().location.column, 3u);

  ParseLimits strict;
  strict.allow_unknown_instructions = false;
  auto unknown = parse("FROM a\nFORM b\n", "df", strict);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().location.line, 2u);
  EXPECT_EQ(unknown.error().location.column, 1u);

  auto label = parse("FROM a\nLABEL a=b \\\n   c\n", "df");
  ASSERT_FALSE(label.has_value());
  EXPECT_EQ(label.error().location.line, 3u);
  EXPECT_EQ(label.error().location.column, 4u);

  auto arg = parse("FROM a\nARG\n", "df");
  ASSERT_FALSE(arg.has_value());
  EXPECT_EQ(arg.error().location.line, 2u);

  auto escape = parse("# escape=x\nFROM a\n", "df");
  ASSERT_FALSE(escape.has_value());
  EXPECT_EQ(escape.error().location.line, 1u);

  auto twice = parse("# syntax=a\n# syntax=b\nFROM a\n", "df");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().location.line, 2u);

  ParseLimits limits;
  limits.max_instructions = 2;
  auto many = parse("FROM a\nRUN a\nRUN b\n", "df", limits);
  ASSERT_FALSE(many.has_value());
  EXPECT_EQ(many.error().code, core::ErrorCode::kLimitExceeded);
  EXPECT_EQ(many.error().location.line, 3u);

  limits = {};
  limits.max_bytes = 4;
  auto big = parse("FROM a\n", "df", limits);
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, core::ErrorCode::kLimitExceeded);
}

TEST(DockerfileParser, QuirksFollowBuildKit) {
  // Not-quite-JSON falls back to the shell form; flags before JSON; `--` ends the flags.
  const Dockerfile file = must_parse(
      "FROM a\n"
      "CMD ['a', 'b']\n"
      "CMD --x [\"a\"]\n"
      "COPY -- --not-a-flag /d\n"
      "HEALTHCHECK NONE\n"
      "ENV legacy value with spaces\n"
      "USER  me:group \n");
  EXPECT_EQ(dump(file),
            "(from \"a\")\n"
            "(cmd \"['a', 'b']\")\n"
            "(cmd [\"--x\"] \"a\")\n"
            "(copy \"--not-a-flag\" \"/d\")\n"
            "(healthcheck \"NONE\")\n"
            "(env \"legacy\" \"value with spaces\" \"\")\n"
            "(user \"me:group\")\n");
  // A BOM and CRLF line endings.
  const Dockerfile crlf = must_parse(
      "\xEF\xBB\xBF"
      "FROM a\r\nRUN a \\\r\n  b\r\n");
  EXPECT_EQ(dump(crlf), "(from \"a\")\n(run \"a   b\")\n");
  EXPECT_EQ(crlf.instructions[0].keyword_span.begin.column, 4u);
}

TEST(DockerfileParser, HostileInputsStayBounded) {
  // Long lines and many continuations parse in linear time; a too-long line is an error.
  std::string many = "FROM a\nRUN x";
  for (int i = 0; i < 200000; ++i) many += " \\\n y";
  many += "\n";
  const Dockerfile file = must_parse(many);
  EXPECT_EQ(file.instructions.size(), 2u);
  std::string nested = "FROM a\nRUN <<";
  for (int i = 0; i < 12000; ++i) nested += "${a:-";
  nested += "\n";
  auto nested_result = parse(nested, "df");
  EXPECT_TRUE(nested_result.has_value()) << nested_result.error().to_string();
  std::string deep = "FROM a\nCMD ";
  deep += std::string(30000, '[');
  EXPECT_TRUE(parse(deep, "df").has_value());
  const std::string too_long = "FROM a\nRUN " + std::string(70000, 'x') + "\n";
  auto rejected = parse(too_long, "df");
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().location.line, 2u);
}

}  // namespace
}  // namespace mtr::dockerfile
