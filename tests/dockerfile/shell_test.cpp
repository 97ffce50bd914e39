// Shell layer of the Dockerfile linter: BuildKit word expansion (conformance vectors from
// moby/buildkit frontend/dockerfile/shell) and the tolerant RUN command reader.
#include "dockerfile/shell.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace mtr::dockerfile {
namespace {

namespace fs = std::filesystem;

// ---- helpers -------------------------------------------------------------------------------

std::string trim(std::string_view s, bool left = true, bool right = true) {
  std::size_t b = 0, e = s.size();
  if (left)
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  if (right)
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
      --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, at - start));
    start = at + 1;
  }
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

fs::path shell_vectors() {
  fs::path corpus = test::corpus_dir();
  if (corpus.empty()) return {};
  fs::path dir = corpus / "dockerfile" / "buildkit" / "shell";
  return fs::is_directory(dir) ? dir : fs::path{};
}

const char* connector(Connector c) {
  switch (c) {
    case Connector::kAnd:
      return " &&";
    case Connector::kOr:
      return " ||";
    case Connector::kSequence:
      return " ;";
    case Connector::kPipe:
      return " |";
    case Connector::kNone:
      return "";
  }
  return "?";
}

// One line per command: indentation = depth, "! " when negated, [assignments], words,
// {redirects}, then the connector to the next command.
std::string describe(const ShellScript& script) {
  std::string out;
  for (const ShellCommand& c : script.commands) {
    out.append(2 * c.depth, ' ');
    std::vector<std::string> parts;
    if (c.negated) parts.emplace_back("!");
    for (const auto& a : c.assignments) parts.push_back("[" + a + "]");
    for (const auto& w : c.words) parts.push_back(w.text);
    for (const auto& r : c.redirects) parts.push_back("{" + r + "}");
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
    out += connector(c.next);
    out += '\n';
  }
  return out;
}

std::string describe(std::string_view text) { return describe(parse_shell(text)); }

std::vector<std::string> programs(const ShellScript& script) {
  std::vector<std::string> out;
  for (const auto& c : script.commands) out.emplace_back(c.program());
  return out;
}

// ---- 1. BuildKit word expansion: conformance vectors ----------------------------------------

// BuildKit's TestShellParser4EnvVars: "PLATFORM|input|expected" (fields trimmed), lines starting
// with '#' and blank lines skipped; A = all platforms, U = Unix only, W = Windows only; "error"
// means the expansion must fail. Env PWD=/home SHELL=bash KOREAN=한국어 NULL=, escape '\'.
// Upstream runs A+U on Unix and A+W on Windows (where variable names are case-insensitive); we
// run both passes, the second with ExpandOptions::windows.
void run_env_var_vectors(bool windows) {
  fs::path dir = shell_vectors();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus/dockerfile/buildkit/shell is absent";
  const Environment env = {{"PWD", "/home"}, {"SHELL", "bash"}, {"KOREAN", "한국어"}, {"NULL", ""}};
  ExpandOptions options;
  options.windows = windows;
  auto lines = read_lines(dir / "envVarTest");
  ASSERT_FALSE(lines.empty());
  int checked = 0;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string& raw = lines[n];
    const std::size_t line_no = n + 1;
    if (!raw.empty() && raw[0] == '#') continue;
    std::string line = trim(raw);
    if (line.empty()) continue;
    auto fields = split(line, '|');
    ASSERT_EQ(fields.size(), 3u) << "envVarTest:" << line_no << ": " << raw;
    std::string platform = trim(fields[0]);
    std::string source = trim(fields[1]);
    std::string expected = trim(fields[2]);
    ASSERT_TRUE(platform == "A" || platform == "U" || platform == "W")
        << "envVarTest:" << line_no << ": bad platform " << platform;
    if (platform == (windows ? "U" : "W")) continue;
    ++checked;
    auto result = expand_word(source, env, options);
    if (expected == "error") {
      EXPECT_FALSE(result.has_value())
          << "envVarTest:" << line_no << ": " << source << " should fail, gave \""
          << (result ? *result : "") << "\"";
    } else {
      EXPECT_TRUE(result.has_value()) << "envVarTest:" << line_no << ": " << source << ": "
                                      << (result ? "" : result.error().to_string());
      if (result) {
        EXPECT_EQ(*result, expected) << "envVarTest:" << line_no << ": " << source;
      }
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(ShellExpandVectors, EnvVarTestUnix) { run_env_var_vectors(false); }
TEST(ShellExpandVectors, EnvVarTestWindows) { run_env_var_vectors(true); }

// BuildKit's TestShellParser4Words: "input|word1,word2" (input trimmed, expected only
// left-trimmed of spaces so trailing spaces count), "ENV k=v" adds to the environment for the
// following lines, '#' lines skipped; an error compares as the single word "error".
// Upstream loops over two modes (normal; RawQuotes + SkipUnsetEnv) but reuses one opened file,
// so its second pass reads nothing: only the normal mode is specified by these vectors. The
// second mode is covered by ExpandWords.RawQuotesAndSkipUnset below.
TEST(ShellExpandVectors, WordsTest) {
  fs::path dir = shell_vectors();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus/dockerfile/buildkit/shell is absent";
  auto lines = read_lines(dir / "wordsTest");
  ASSERT_FALSE(lines.empty());
  Environment env;
  int checked = 0;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    std::string line = lines[n];
    const std::size_t line_no = n + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == '#') continue;
    if (line.rfind("ENV ", 0) == 0) {
      std::string kv = line.substr(3);
      kv.erase(0, kv.find_first_not_of(' '));
      auto eq = kv.find('=');
      if (eq == std::string::npos) {
        env[kv] = "";
      } else {
        env[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
      continue;
    }
    auto fields = split(line, '|');
    ASSERT_EQ(fields.size(), 2u) << "wordsTest:" << line_no << ": " << line;
    std::string input = trim(fields[0]);
    std::string expected_text = trim(fields[1], true, false);
    expected_text.erase(0, expected_text.find_first_not_of(' ') == std::string::npos
                               ? expected_text.size()
                               : expected_text.find_first_not_of(' '));
    std::vector<std::string> expected = split(expected_text, ',');
    auto result = expand_words(input, env);
    std::vector<std::string> got = result ? *result : std::vector<std::string>{"error"};
    ++checked;
    EXPECT_EQ(got, expected) << "wordsTest:" << line_no << ": " << input;
  }
  EXPECT_GT(checked, 20);
}

// ---- 1b. expansion: BuildKit's other unit cases (lex_test.go), as written there --------------

struct ExpandCase {
  std::string input;
  Environment env;
  std::string expected;  // "<error>" = must fail
};

TEST(ExpandWord, ModifiersAndPatterns) {
  const std::vector<ExpandCase> cases = {
      {"x ${UNUSED}", {{"DUMMY", "dummy"}}, "x "},
      {"${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", {{"FOO", "xxx"}, {"BAR", ""}}, "xxx  ccc"},
      {"${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", {{"FOO", "xxx"}, {"BAR", ""}}, "xxx bbb ccc"},
      {"${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", {{"FOO", "xxx"}, {"BAR", ""}}, "aaa bbb "},
      {"${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", {{"FOO", "xxx"}, {"BAR", ""}}, "aaa  "},
      {"${BAR?bbb}", {{"BAR", ""}}, ""},
      {"${BAZ?ccc}", {}, "<error>"},
      {"${BAR:?bbb}", {{"BAR", ""}}, "<error>"},
      {"${FOO=aaa}", {{"FOO", "xxx"}}, "<error>"},
      {"${FOO=}", {}, "<error>"},
      {"${FOO#()[]{\\}^$.\\*\\?|\\\\}", {{"FOO", "()[]{}^$.*?|\\x"}}, "x"},
      {"${FOO%%\\**}", {{"FOO", "xx**"}}, "xx"},
      {"${FOO#*x*y}", {{"FOO", "xxyy"}}, "y"},
      {"${FOO#*}", {{"FOO", "xxyy"}}, "xxyy"},
      {"${FOO#$BAR}", {{"FOO", "xxyy"}, {"BAR", "x"}}, "xyy"},
      {"${FOO#}", {{"FOO", "xxyy"}}, "xxyy"},
      {"${FOO##*x}", {{"FOO", "xxyy"}}, "yy"},
      {"${FOO#?\\?}", {{"FOO", "???y"}}, "?y"},
      {"${ABC:-.}${FOO%x}${ABC:-.}", {{"FOO", "xxyy"}}, ".xxyy."},
      {"${FOO%%\\**\\*}", {{"FOO", "a***yy*"}}, "a"},
      {"${FOO%}", {{"FOO", "xxyy"}}, "xxyy"},
      {"${FOO:#}", {}, "<error>"},
      {"${FOO:%%}", {}, "<error>"},
      {"${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
       {{"FOO", "/foo*/*/*.txt"}, {"NEEDLE", "\\*/"}},
       "/foo.*/*.txt - /foo..*.txt"},
      {"${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
       {{"FOO", "/tmp/tmp/bar.txt"}, {"NEEDLE", "/tmp"}},
       "/tmp/bar.txt - /bar.txt"},
      {"${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
       {{"FOO", "/a/foo/b/c.txt"}, {"NEEDLE", "/?/"}, {"REPLACEMENT", "/"}},
       "/foo/b/c.txt - /foo/c.txt"},
      {"${FOO/$NEEDLE/$REPLACEMENT}",
       {{"FOO", "http://google.de"}, {"NEEDLE", "http://"}, {"REPLACEMENT", "https://"}},
       "https://google.de"},
      {"${FOO//\\//\\/}", {{"FOO", "/tmp/foo.txt"}}, "\\/tmp\\/foo.txt"},
      {"${FOO/$BAR/ww}", {{"FOO", "xxyy"}, {"BAR", ""}}, "wwxxyy"},
      {"${FOO//ww}", {{"FOO", "xxyy"}}, "<error>"},
      {"${FOO///}", {{"FOO", "xxyy"}}, "xxyy"},
      {"${FOO///}", {}, ""},
      {"${VAR:?message here$ARG}", {{"ARG", "x"}}, "<error>"},
      {"${VAR?message here$ARG}", {{"VAR", ""}, {"ARG", "x"}}, ""},
      {"something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
       {{"VERSION", "v1.2.3"},
        {"TARGETOS", "linux"},
        {"TARGETARCH", "arm"},
        {"TARGETVARIANT", "v7"}},
       "something-v1.2.3.linux-arm-v7.tar.gz"},
      {"${X#\\x}", {{"X", "x"}}, "<error>"},  // invalid escape in a pattern
      {"${X:-a\nb}", {}, "a\nb"},
  };
  for (const auto& c : cases) {
    auto result = expand_word(c.input, c.env);
    if (c.expected == "<error>") {
      EXPECT_FALSE(result.has_value()) << c.input << " gave " << (result ? *result : "");
    } else {
      ASSERT_TRUE(result.has_value()) << c.input << ": " << result.error().to_string();
      EXPECT_EQ(*result, c.expected) << c.input;
    }
  }
}

TEST(ExpandWord, MessageOfRequiredVariable) {
  auto result = expand_word("${VAR:?message here$ARG}", {{"ARG", "x"}, {"VAR", ""}});
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("message herex"), std::string::npos);
  EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
}

TEST(ExpandWord, EscapeTokenBacktick) {
  ExpandOptions options;
  options.escape = '`';
  EXPECT_EQ(expand_word("C:\\path\\`$X", {{"X", "1"}}, options).value_or("?"), "C:\\path\\$X");
  EXPECT_EQ(expand_word("a`\"b", {}, options).value_or("?"), "a\"b");
  EXPECT_EQ(expand_word("\"`\"x\"", {}, options).value_or("?"), "\"x");
}

TEST(ExpandWord, WindowsNamesIgnoreCase) {
  ExpandOptions options;
  options.windows = true;
  EXPECT_EQ(expand_word("$path;${Path}", {{"PATH", "C:\\x"}}, options).value_or("?"),
            "C:\\x;C:\\x");
  EXPECT_EQ(expand_word("$path", {{"PATH", "C:\\x"}}).value_or("?"), "");
}

TEST(ExpandWords, RawQuotesAndSkipUnset) {
  ExpandOptions options;
  options.keep_quotes = true;
  options.skip_unset = true;
  const Environment env = {{"space", "abc  def"}};
  EXPECT_EQ(expand_words("hello\"${space}\"bye", env, options)
                .value_or(std::vector<std::string>{"<error>"}),
            (std::vector<std::string>{"hello\"abc  def\"bye"}));
  EXPECT_EQ(expand_words("a $UNSET ${UNSET} ${UNSET:-x} b", env, options)
                .value_or(std::vector<std::string>{"<error>"}),
            (std::vector<std::string>{"a", "$UNSET", "${UNSET}", "${UNSET:-x}", "b"}));
  EXPECT_EQ(expand_word("'q' $space", env, options).value_or("?"), "'q' abc  def");
}

TEST(ExpandWords, SplitsAfterExpansion) {
  const Environment env = {{"PKGS", "curl  git"}};
  EXPECT_EQ(expand_words("apt-get install $PKGS \"a b\"", env)
                .value_or(std::vector<std::string>{"<error>"}),
            (std::vector<std::string>{"apt-get", "install", "curl", "git", "a b"}));
  EXPECT_EQ(expand_words("  ", env).value_or(std::vector<std::string>{"x"}),
            std::vector<std::string>{});
  // BuildKit's heredoc marker: "<<  EOF" stays one word.
  EXPECT_EQ(expand_words("cat <<  EOF", env).value_or(std::vector<std::string>{"<error>"}),
            (std::vector<std::string>{"cat", "<<  EOF"}));
}

TEST(ExpandWord, NeverCrashesOnDeepNesting) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "${A:-";
  deep += "x";
  for (int i = 0; i < 5000; ++i) deep += "}";
  auto result = expand_word(deep, {});
  EXPECT_FALSE(result.has_value());  // refused beyond the nesting bound, not a stack overflow
  std::string shallow = "${A:-${B:-${C:-x}}}";
  EXPECT_EQ(expand_word(shallow, {}).value_or("?"), "x");
}

// ---- 2. parse_shell ---------------------------------------------------------------------------

TEST(ParseShell, SimpleListAndConnectors) {
  EXPECT_EQ(describe("apt-get update && apt-get install -y curl || echo failed; ls & wait"),
            "apt-get update &&\n"
            "apt-get install -y curl ||\n"
            "echo failed ;\n"
            "ls ;\n"
            "wait\n");
  // A trailing separator is not a connector: nothing follows.
  EXPECT_EQ(describe("apt-get update;"), "apt-get update\n");
  EXPECT_EQ(describe("a\nb\n\n"), "a ;\nb\n");
  // A newline after && continues the list.
  EXPECT_EQ(describe("a &&\n  b"), "a &&\nb\n");
  EXPECT_TRUE(parse_shell("").commands.empty());
  EXPECT_TRUE(parse_shell("  \n\t# only a comment\n").commands.empty());
}

TEST(ParseShell, WordsQuotesAndEscapes) {
  auto script =
      parse_shell(R"X(echo 'a b' "c $HOME d" e\ f "x\"y" 'it'\''s' "$(date)" ${X:-y} `id`)X");
  ASSERT_GE(script.commands.size(), 1u);
  const ShellCommand& echo = script.commands[0];
  ASSERT_EQ(echo.words.size(), 9u);
  EXPECT_EQ(echo.words[1].text, "a b");
  EXPECT_EQ(echo.words[1].raw, "'a b'");
  EXPECT_EQ(echo.words[2].text, "c $HOME d");
  EXPECT_EQ(echo.words[3].text, "e f");
  EXPECT_EQ(echo.words[4].text, "x\"y");
  EXPECT_EQ(echo.words[5].text, "it's");
  EXPECT_EQ(echo.words[6].text, "$(date)");
  EXPECT_EQ(echo.words[7].text, "${X:-y}");
  EXPECT_EQ(echo.words[8].text, "`id`");
  EXPECT_EQ(echo.words[0].offset, 0u);
  EXPECT_EQ(echo.words[1].offset, 5u);
  EXPECT_EQ(programs(script), (std::vector<std::string>{"echo", "date", "id"}));
  EXPECT_EQ(script.commands[1].depth, 1u);
  EXPECT_EQ(script.commands[2].depth, 1u);
}

TEST(ParseShell, ContinuationsAndComments) {
  EXPECT_EQ(describe("apt-get install -y \\\n    curl \\\n    git # tools\nls"),
            "apt-get install -y curl git ;\nls\n");
  // '#' inside a word is not a comment.
  EXPECT_EQ(describe("echo a#b 'c # d' # e"), "echo a#b c # d\n");
  // A continuation inside double quotes joins, inside single quotes it is kept.
  auto script = parse_shell("echo \"a\\\nb\" 'c\\\nd'");
  ASSERT_EQ(script.commands.size(), 1u);
  EXPECT_EQ(script.commands[0].words[1].text, "ab");
  EXPECT_EQ(script.commands[0].words[2].text, "c\\\nd");
}

TEST(ParseShell, Pipelines) {
  auto script =
      parse_shell("curl -fsSL https://x/get.sh | sh && wget -qO- y | tar -xz -C / |& cat");
  ASSERT_EQ(script.commands.size(), 5u);
  EXPECT_EQ(script.commands[0].next, Connector::kPipe);
  EXPECT_EQ(script.commands[1].next, Connector::kAnd);
  EXPECT_EQ(script.commands[2].next, Connector::kPipe);
  EXPECT_EQ(script.commands[3].next, Connector::kPipe);
  EXPECT_EQ(script.commands[4].next, Connector::kNone);
  EXPECT_EQ(script.commands[0].pipeline, script.commands[1].pipeline);
  EXPECT_NE(script.commands[1].pipeline, script.commands[2].pipeline);
  EXPECT_EQ(script.commands[2].pipeline, script.commands[3].pipeline);
  EXPECT_EQ(script.commands[3].pipeline, script.commands[4].pipeline);
  EXPECT_TRUE(script.commands[3].has_flag("-x"));
  EXPECT_TRUE(script.commands[3].has_flag("-z"));
  EXPECT_FALSE(script.commands[3].has_flag("-f"));
}

TEST(ParseShell, NegationAndAssignments) {
  EXPECT_EQ(
      describe("! grep -q x f && DEBIAN_FRONTEND=noninteractive A=\"1 2\" apt-get install -y x"),
      "! grep -q x f &&\n[DEBIAN_FRONTEND=noninteractive] [A=1 2] apt-get install -y x\n");
  // Only leading NAME=value words are assignments.
  EXPECT_EQ(describe("env A=1 cmd B=2"), "env A=1 cmd B=2\n");
  EXPECT_EQ(describe("FOO=bar"), "[FOO=bar]\n");
  EXPECT_EQ(describe("PATH+=:/x ARR=(a b) cmd"), "[PATH+=:/x] [ARR=(a b)] cmd\n");
  EXPECT_EQ(describe("=x 1A=2"), "=x 1A=2\n");
}

TEST(ParseShell, Redirections) {
  EXPECT_EQ(describe("make > /dev/null 2>&1 && cat <in >>out 2>/dev/null &>log"),
            "make {> /dev/null} {2>&1} &&\ncat {<in} {>>out} {2>/dev/null} {&>log}\n");
  EXPECT_EQ(describe(">/tmp/x echo hi"), "echo hi {>/tmp/x}\n");
  EXPECT_EQ(describe("grep x <<< \"$VAR\""), "grep x {<<< \"$VAR\"}\n");
  // The offset of a command is that of its first word.
  auto script = parse_shell("2>/dev/null FOO=1 cmd");
  ASSERT_EQ(script.commands.size(), 1u);
  EXPECT_EQ(script.commands[0].offset, 18u);
}

TEST(ParseShell, HeredocBodiesAreNotCommands) {
  const std::string text =
      "cat <<EOF > /etc/apt/sources.list && apt-get update\n"
      "deb http://deb.debian.org/debian bookworm main\n"
      "rm -rf /\n"
      "EOF\n"
      "cat <<-'END' | sh\n"
      "\tcurl x\n"
      "\tEND\n"
      "echo done\n";
  EXPECT_EQ(describe(text),
            "cat {<<EOF} {> /etc/apt/sources.list} &&\n"
            "apt-get update ;\n"
            "cat {<<-'END'} |\n"
            "sh ;\n"
            "echo done\n");
  // Two heredocs on one line, then an unterminated one.
  EXPECT_EQ(describe("a <<A <<B\nx\nA\ny\nB\nb <<C\nnever"), "a {<<A} {<<B} ;\nb {<<C}\n");
}

TEST(ParseShell, CompoundCommands) {
  EXPECT_EQ(describe("if [ -f /etc/debian_version ]; then apt-get update; elif true; then :; else "
                     "apk add x; fi && echo ok"),
            "  [ -f /etc/debian_version ]\n"
            "  apt-get update\n"
            "  true\n"
            "  :\n"
            "  apk add x\n"
            "echo ok\n");
  EXPECT_EQ(describe("for key in A B C; do gpg --recv-keys \"$key\"; done"),
            "  gpg --recv-keys $key\n");
  EXPECT_EQ(describe("for x\ndo echo $x\ndone"), "  echo $x\n");
  EXPECT_EQ(describe("while read -r l; do echo $l; done < file; until false; do break; done"),
            "  read -r l\n  echo $l\n  false\n  break\n");
  EXPECT_EQ(describe("(cd /src && make) && { echo a; echo b; } > log"),
            "  cd /src &&\n  make\n  echo a ;\n  echo b\n");
  EXPECT_EQ(describe("case \"$arch\" in amd64|x86_64) a=1; b ;; arm64) c ;; *) exit 1 ;; esac"),
            "  [a=1] ;\n  b\n  c\n  exit 1\n");
  EXPECT_EQ(describe("case $x in (a) one;; esac; after"), "  one\nafter\n");
  // Nested: depth adds up.
  EXPECT_EQ(describe("if a; then for i in 1; do (b); done; fi"), "  a\n      b\n");
  // The connector before a compound command is kept on the simple command.
  auto script = parse_shell("apt-get update && if true; then apt-get install -y x; fi");
  ASSERT_EQ(script.commands.size(), 3u);
  EXPECT_EQ(script.commands[0].next, Connector::kAnd);
  EXPECT_EQ(script.commands[0].depth, 0u);
  // Keywords are keywords only in command position.
  EXPECT_EQ(describe("echo if then done fi"), "echo if then done fi\n");
  EXPECT_EQ(describe("f() { echo in f; }; function g { h; }; f"), "  echo in f\n  h\nf\n");
  EXPECT_EQ(describe("[[ -n $a && $b < 3 ]] && echo yes"), "[[ -n $a && $b < 3 ]] &&\necho yes\n");
  EXPECT_EQ(describe("((i++)); echo"), "((i++)) ;\necho\n");
}

TEST(ParseShell, CommandSubstitutions) {
  EXPECT_EQ(
      describe(
          "dpkgArch=\"$(dpkg --print-architecture | awk -F- '{ print $NF }')\"; echo $dpkgArch"),
      "[dpkgArch=$(dpkg --print-architecture | awk -F- '{ print $NF }')] ;\n"
      "  dpkg --print-architecture |\n"
      "  awk -F- { print $NF }\n"
      "echo $dpkgArch\n");
  EXPECT_EQ(describe("echo `which gpg` $(echo $(id -u))"),
            "echo `which gpg` $(echo $(id -u))\n  which gpg\n  echo $(id -u)\n    id -u\n");
  EXPECT_EQ(describe("x=$((1 + (2 * 3))); diff <(sort a) <(sort b)"),
            "[x=$((1 + (2 * 3)))] ;\ndiff <(sort a) <(sort b)\n  sort a\n  sort b\n");
  EXPECT_EQ(describe("v=$(case $x in a) echo A;; esac); next"),
            "[v=$(case $x in a) echo A;; esac)] ;\n    echo A\nnext\n");
  EXPECT_EQ(describe("echo ${X:-$(cat f)}"), "echo ${X:-$(cat f)}\n  cat f\n");
}

TEST(ParseShell, ShellDashC) {
  EXPECT_EQ(describe("sh -c 'apt-get update && apt-get install -y x' && bash -ec \"cd /x; make\""),
            "sh -c apt-get update && apt-get install -y x &&\n"
            "  apt-get update &&\n"
            "  apt-get install -y x\n"
            "bash -ec cd /x; make\n"
            "  cd /x ;\n"
            "  make\n");
  EXPECT_EQ(programs(parse_shell("/bin/bash -o pipefail -xc 'curl x | sh'")),
            (std::vector<std::string>{"bash", "curl", "sh"}));
  EXPECT_EQ(programs(parse_shell("sudo -u app sh -lc \"pip install x\"")),
            (std::vector<std::string>{"sudo", "pip"}));
  EXPECT_EQ(programs(parse_shell("sh script.sh -c x")), (std::vector<std::string>{"sh"}));
  // Offsets of commands in the string point into the string.
  auto script = parse_shell("sh -c 'ls'");
  ASSERT_EQ(script.commands.size(), 2u);
  EXPECT_EQ(script.commands[1].offset, 7u);
}

TEST(ParseShell, ProgramArgsAndFlags) {
  auto script = parse_shell(
      "/usr/bin/apt-get -qqy install --no-install-recommends -o Dpkg::Options::=--force-confold "
      "curl=7.88 && pip install --no-cache-dir=1 x && pip3 install --no-cache-dir-x y -- -z");
  ASSERT_EQ(script.commands.size(), 3u);
  const ShellCommand& apt = script.commands[0];
  EXPECT_EQ(apt.program(), "apt-get");
  EXPECT_EQ(apt.args().size(), 6u);
  EXPECT_EQ(apt.args()[0], "-qqy");
  EXPECT_TRUE(apt.has_flag("-y"));
  EXPECT_TRUE(apt.has_flag("-q"));
  EXPECT_TRUE(apt.has_flag("-qqy"));
  EXPECT_FALSE(apt.has_flag("-f"));  // not from "--force-confold"
  EXPECT_FALSE(apt.has_flag("-D"));  // "-o" takes a value; "Dpkg..." is not a bundle
  EXPECT_TRUE(apt.has_flag("--no-install-recommends"));
  EXPECT_FALSE(apt.has_flag("--no-install"));
  EXPECT_TRUE(script.commands[1].has_flag("--no-cache-dir"));
  EXPECT_FALSE(script.commands[2].has_flag("--no-cache-dir"));
  EXPECT_FALSE(script.commands[2].has_flag("-z"));  // after "--": an operand
  ShellCommand empty;
  EXPECT_EQ(empty.program(), "");
  EXPECT_TRUE(empty.args().empty());
  EXPECT_FALSE(empty.has_flag("-y"));
  // "--yes" does not contain "-y"; "-y" is not found in a long flag.
  EXPECT_FALSE(parse_shell("apt-get --yes install").commands[0].has_flag("-y"));
  EXPECT_FALSE(parse_shell("x --dry").commands[0].has_flag("-y"));
}

// Realistic RUN lines from official images.
TEST(ParseShell, OfficialImageRunLines) {
  const std::string run =
      "set -eux; \\\n"
      "\tsavedAptMark=\"$(apt-mark showmanual)\"; \\\n"
      "\tapt-get update; \\\n"
      "\tapt-get install -y --no-install-recommends \\\n"
      "\t\tca-certificates \\\n"
      "\t\twget \\\n"
      "\t; \\\n"
      "\tdpkgArch=\"$(dpkg --print-architecture | awk -F- '{ print $NF }')\"; \\\n"
      "\twget -O /usr/local/bin/gosu "
      "\"https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch\"; \\\n"
      "\texport GNUPGHOME=\"$(mktemp -d)\"; \\\n"
      "\tfor key in \\\n"
      "\t\tB42F6819007F00F88E364FD4036A9C25BF357DD4 \\\n"
      "\t; do \\\n"
      "\t\tgpg --batch --keyserver hkps://keys.openpgp.org --recv-keys \"$key\"; \\\n"
      "\tdone; \\\n"
      "\tif [ -n \"$savedAptMark\" ]; then apt-mark manual $savedAptMark > /dev/null; fi; \\\n"
      "\tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\\n"
      "\trm -rf /var/lib/apt/lists/*; \\\n"
      "\tcurl -fsSL \"$URL\" | tar -xz -C /usr/src; \\\n"
      "\tgosu --version";
  auto script = parse_shell(run);
  EXPECT_EQ(programs(script),
            (std::vector<std::string>{"set", "", "apt-mark", "apt-get", "apt-get", "", "dpkg",
                                      "awk", "wget", "export", "mktemp", "gpg", "[", "apt-mark",
                                      "apt-get", "rm", "curl", "tar", "gosu"}));
  const auto& c = script.commands;
  EXPECT_EQ(c[0].next, Connector::kSequence);
  EXPECT_EQ(c[1].assignments, (std::vector<std::string>{"savedAptMark=$(apt-mark showmanual)"}));
  EXPECT_EQ(c[2].depth, 1u);
  EXPECT_EQ(c[3].args(), (std::vector<std::string_view>{"update"}));
  EXPECT_TRUE(c[4].has_flag("-y"));
  EXPECT_TRUE(c[4].has_flag("--no-install-recommends"));
  EXPECT_EQ(c[4].next, Connector::kSequence);
  EXPECT_EQ(c[11].depth, 1u);
  EXPECT_EQ(c[11].words.back().text, "$key");
  EXPECT_EQ(c[13].redirects, (std::vector<std::string>{"> /dev/null"}));
  EXPECT_EQ(c[15].args().back(), "/var/lib/apt/lists/*");
  EXPECT_EQ(c[16].next, Connector::kPipe);
  EXPECT_EQ(c[16].pipeline, c[17].pipeline);
  EXPECT_EQ(c[18].next, Connector::kNone);
  for (const auto& cmd : c) EXPECT_LT(cmd.offset, run.size());
}

TEST(ParseShell, MaxCommandsBound) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "echo " + std::to_string(i) + "; ";
  EXPECT_EQ(parse_shell(text, 10).commands.size(), 10u);
  EXPECT_EQ(parse_shell(text, 0).commands.size(), 0u);
  EXPECT_EQ(parse_shell(text).commands.size(), 1000u);
}

TEST(ParseShell, ToleratesBrokenInput) {
  const std::vector<std::string> inputs = {
      "echo 'unterminated",
      "echo \"unterminated $(",
      "fi done esac }",
      ") ) ;; |",
      "if then",
      "case",
      "for",
      "$(",
      "`",
      "${",
      "<<",
      "2>",
      "&&&",
      "((",
      "<(",
      "a=(",
      "\\",
      "f() ()",
      "case x in a) (b",
      "[[ a",
      "$'\\'",
      "sh -c",
      "bash -c '$(sh -c \"'",
      std::string("a\0b", 3),
      "\xff\xfe\x80",
      "{ { { ( ( ( $( $( `a` ) ) ) ) ) } } }",
  };
  for (const auto& input : inputs) {
    auto script = parse_shell(input);
    for (const auto& c : script.commands) EXPECT_LE(c.offset, input.size()) << input;
  }
  EXPECT_EQ(describe("echo 'a b"), "echo a b\n");
}

TEST(ParseShell, DeepNestingIsBounded) {
  for (const std::string& open :
       {std::string("("), std::string("$("), std::string("{ "), std::string("if a; then "),
        std::string("sh -c '"), std::string("`"), std::string("\"$(")}) {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += open;
    text += "echo deep";
    auto script = parse_shell(text);
    for (const auto& c : script.commands) EXPECT_LE(c.depth, 64u) << open;
  }
  // Within the bound, nesting is followed.
  std::string text;
  for (int i = 0; i < 10; ++i) text += "( ";  // "((" would be arithmetic
  text += "echo deep";
  for (int i = 0; i < 10; ++i) text += " )";
  auto script = parse_shell(text);
  ASSERT_EQ(script.commands.size(), 1u);
  EXPECT_EQ(script.commands[0].depth, 10u);
}

// Smoke test over the real-world corpus: the RUN instructions, crudely joined (continuation
// lines and comment lines inside them), parse without crashing and find commands.
TEST(ParseShell, RealWorldCorpusRunInstructions) {
  fs::path corpus = test::corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  fs::path root = corpus / "dockerfile" / "real-world";
  if (!fs::is_directory(root)) GTEST_SKIP() << root << " is absent";
  std::size_t files = 0, runs = 0, commands = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    auto lines = read_lines(entry.path());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string line = trim(lines[i]);
      if (line.size() < 4) continue;
      std::string head = line.substr(0, 4);
      for (char& ch : head) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (head != "RUN " && head != "RUN\t") continue;
      std::string text = line.substr(4);
      while (!text.empty() && (text.back() == '\\' || text.back() == '`') && i + 1 < lines.size()) {
        text.pop_back();
        std::string next = lines[++i];
        if (trim(next).rfind('#', 0) == 0) {
          text += "\\";  // comment line inside the instruction: skipped
          continue;
        }
        text += " " + trim(next, false, true);
      }
      ++runs;
      auto script = parse_shell(text);
      commands += script.commands.size();
      for (const auto& c : script.commands) ASSERT_LE(c.offset, text.size()) << entry.path();
    }
  }
  EXPECT_GT(files, 50u);
  EXPECT_GT(runs, 100u);
  EXPECT_GT(commands, runs);
}

}  // namespace
}  // namespace mtr::dockerfile
