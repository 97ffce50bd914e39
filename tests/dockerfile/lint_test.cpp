// The rule engine: stage model (what ships), RUN scripts, cache mounts, the registry, inline
// suppressions with expiry, severity overrides and the configuration file.
#include <gtest/gtest.h>

#include "dockerfile/config.h"
#include "dockerfile/lint.h"
#include "dockerfile/parser.h"

namespace mtr::dockerfile {
namespace {

Dockerfile must_parse(std::string_view text) {
  auto parsed = parse(text, "Dockerfile");
  EXPECT_TRUE(parsed.has_value()) << parsed.error().to_string();
  return parsed ? std::move(*parsed) : Dockerfile{};
}

TEST(Stages, FinalChainShipsAndCopiedStagesAreMarked) {
  auto file = must_parse(R"(ARG BASE=debian:12
FROM golang:1.22 AS build
RUN go build -o /app .
FROM build AS test
RUN go test ./...
FROM debian:12 AS base
RUN useradd app
FROM alpine:3.20 AS tools
FROM base
COPY --from=build /app /app
COPY --from=2 /etc/passwd /tmp/
)");
  LintConfig config;
  LintInput input(file, config);
  ASSERT_EQ(input.preamble().size(), 1u);
  const auto& s = input.stages();
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].name, "build");
  EXPECT_EQ(s[1].base_stage, 0);
  EXPECT_EQ(s[4].base_stage, 2);
  EXPECT_TRUE(s[4].shipped);
  EXPECT_TRUE(s[2].shipped);  // the final stage is built FROM base
  EXPECT_FALSE(s[0].shipped);
  EXPECT_TRUE(s[0].copied_into_shipped);  // COPY --from=build
  EXPECT_FALSE(s[1].shipped);
  EXPECT_FALSE(s[1].copied_into_shipped);
  EXPECT_FALSE(s[3].shipped || s[3].copied_into_shipped);
  EXPECT_EQ(input.find_stage("BUILD", 5), &s[0]);
  EXPECT_EQ(input.find_stage("1", 5), &s[1]);
  EXPECT_EQ(input.find_stage("golang:1.22", 5), nullptr);
  EXPECT_EQ(input.stage_of(*s[0].instructions[0]), &s[0]);
}

TEST(Stages, InstructionsBeforeFromFormAnImplicitStage) {
  auto file = must_parse("RUN echo hi\nFROM alpine:3.20\n");
  LintConfig config;
  LintInput input(file, config);
  ASSERT_EQ(input.stages().size(), 2u);
  EXPECT_EQ(input.stages()[0].from, nullptr);
  EXPECT_EQ(input.stages()[0].instructions.size(), 1u);
}

TEST(Scripts, ShellFormHeredocAndExecForm) {
  auto file = must_parse(R"(FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk --mount=type=bind,source=x,target=/x apk add curl && echo ok
RUN <<EOF
set -e
apk add git
EOF
RUN ["sh", "-c", "apk add jq | cat"]
RUN ["/usr/bin/apk", "add", "vim"]
RUN cat <<EOF > /etc/motd
apk add not-a-command
EOF
)");
  LintConfig config;
  LintInput input(file, config);
  const auto& ins = input.stages()[0].instructions;
  ASSERT_EQ(ins.size(), 5u);
  EXPECT_EQ(input.cache_mounts(*ins[0]), std::vector<std::string>{"/var/cache/apk"});
  ASSERT_GE(input.script(*ins[0]).commands.size(), 2u);
  EXPECT_EQ(input.script(*ins[0]).commands[0].program(), "apk");
  bool saw_git = false;
  for (const auto& c : input.script(*ins[1]).commands) {
    saw_git = saw_git || (c.program() == "apk" && c.args().size() == 2 && c.args()[1] == "git");
  }
  EXPECT_TRUE(saw_git) << "heredoc body not read as the script";
  ASSERT_FALSE(input.script(*ins[2]).commands.empty());
  EXPECT_EQ(input.script(*ins[2]).commands[0].program(), "apk");
  ASSERT_EQ(input.script(*ins[3]).commands.size(), 1u);
  EXPECT_EQ(input.script(*ins[3]).commands[0].program(), "apk");
  for (const auto& c : input.script(*ins[4]).commands) {
    EXPECT_NE(c.program(), "apk") << "a heredoc that is data was read as commands";
  }
  std::string storage;
  EXPECT_EQ(LintInput::flag(*ins[0], "network", &storage), nullptr);
}

// A registry with two rules that fire on every RUN, to test the engine alone.
RuleRegistry test_registry() {
  RuleRegistry r;
  auto on_run = [](const LintInput& in, IssueSink& out) {
    for (const auto& stage : in.stages()) {
      for (const Instruction* ins : stage.instructions) {
        if (ins->keyword == "run") out.report(*ins, "a RUN");
      }
    }
  };
  EXPECT_TRUE(r.add(RuleInfo{"MTR-DF-T01",
                             "first",
                             core::Severity::kMedium,
                             "",
                             "",
                             {"DL9001", "DS-9001", "SomeCheck"},
                             {},
                             0,
                             true},
                    on_run));
  EXPECT_TRUE(r.add(
      RuleInfo{"MTR-DF-T02", "second", core::Severity::kLow, "", "", {"DL9002"}, {}, 0, false},
      on_run));
  EXPECT_FALSE(r.add(
      RuleInfo{"MTR-DF-T03", "dup", core::Severity::kLow, "", "", {"dl9001"}, {}, 0, true}, on_run))
      << "an alias may belong to one rule only";
  return r;
}

std::vector<std::string> ids(const std::vector<core::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.id + "@" + std::to_string(f.location.line));
  return out;
}

TEST(Lint, SuppressionsByEveryPeerSyntaxWithExpiry) {
  auto registry = test_registry();
  auto file = must_parse(R"(FROM alpine:3.20
# hadolint ignore=DL9001
RUN one
# matryoshka ignore=MTR-DF-T01 until=2026-01-01 expired
RUN two
#trivy:ignore:DS-9001
RUN three
# matryoshka ignore=SomeCheck until=2099-12-31 accepted risk
RUN four
RUN five
)");
  LintOptions options;
  options.today = "2026-11-23";
  EXPECT_EQ(ids(lint(file, options, registry)),
            (std::vector<std::string>{"MTR-DF-T01@5", "MTR-DF-T01@10"}));
  options.honour_inline_ignores = false;
  EXPECT_EQ(lint(file, options, registry).size(), 5u);
}

TEST(Lint, GlobalIgnoreBuildkitSkipConfigAndOverrides) {
  auto registry = test_registry();
  auto global = must_parse("FROM alpine:3.20\n# hadolint global ignore=DL9001\nRUN a\nRUN b\n");
  EXPECT_TRUE(lint(global, {}, registry).empty());
  auto skip = must_parse("# check=skip=SomeCheck\nFROM alpine:3.20\nRUN a\n");
  EXPECT_TRUE(lint(skip, {}, registry).empty());
  auto skip_all = must_parse("# check=skip=all\nFROM alpine:3.20\nRUN a\n");
  EXPECT_TRUE(lint(skip_all, {}, registry).empty());

  auto file = must_parse("FROM alpine:3.20\nRUN a\n");
  LintOptions options;
  options.config.enabled = {"DL9002"};
  options.severity_overrides["DS-9001"] = core::Severity::kCritical;
  auto findings = lint(file, options, registry);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].severity, core::Severity::kCritical);
  EXPECT_EQ(findings[0].properties.at("hadolint"), "DL9001");
  EXPECT_EQ(findings[0].location.path, "Dockerfile");
  EXPECT_EQ(findings[0].evidence, "RUN a");
  options.ignored = {"mtr-df-t01", "DL9002"};
  EXPECT_TRUE(lint(file, options, registry).empty());
}

TEST(Config, MatryoshkaAndHadolintShapes) {
  auto registry = test_registry();
  auto ours = parse_lint_config(R"(dockerfile:
  ignored: [DL9001, SC2086]
  severity: {DL9002: high}
  override: {info: [MTR-DF-T01]}
  enable: [DL9002]
  trusted-registries: [docker.io]
  label-schema: {maintainer: email}
  strict-labels: true
  scan-hint: false
  disable-ignore-pragma: true
  fail-on: error
)",
                                "x.yaml", registry);
  ASSERT_TRUE(ours.has_value()) << ours.error().to_string();
  EXPECT_EQ(ours->options.ignored, (std::vector<std::string>{"DL9001", "SC2086"}));
  ASSERT_EQ(ours->warnings.size(), 1u);
  EXPECT_NE(ours->warnings[0].find("SC2086"), std::string::npos);
  EXPECT_EQ(ours->options.severity_overrides.at("DL9002"), core::Severity::kHigh);
  EXPECT_EQ(ours->options.severity_overrides.at("MTR-DF-T01"), core::Severity::kLow);
  EXPECT_EQ(ours->options.config.label_schema.at("maintainer"), "email");
  EXPECT_FALSE(ours->options.config.scan_hint);
  EXPECT_FALSE(ours->options.honour_inline_ignores);
  EXPECT_EQ(ours->fail_on, "error");

  auto hadolint = parse_lint_config(
      "failure-threshold: warning\nignored: [DL9001]\ntrustedRegistries: [quay.io]\nk8s: {a: 1}\n",
      ".hadolint.yaml", registry);
  ASSERT_TRUE(hadolint.has_value()) << hadolint.error().to_string();
  EXPECT_EQ(hadolint->options.config.trusted_registries, std::vector<std::string>{"quay.io"});

  for (const char* bad : {"dockerfile:\n  colour: red\n", "dockerfile:\n  fail-on: loud\n",
                          "dockerfile:\n  label-schema: {a: colour}\n", "dockerfile: [1]\n",
                          "dockerfile:\n  strict-labels: maybe\n", "{{{\n"}) {
    auto r = parse_lint_config(bad, "bad.yaml", registry);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_NE(r.error().to_string().find("bad.yaml:"), std::string::npos) << r.error().to_string();
  }
}

}  // namespace
}  // namespace mtr::dockerfile
