// The instruction rules (MTR-DF-0xx/1xx/2xx/6xx) beyond what hadolint's and Trivy's cases
// cover: stage awareness of the shipped-image rules, rules without a peer, BuildKit's build
// checks (the bad/good examples of docs.docker.com/reference/build-checks) and label formats.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "dockerfile/lint.h"
#include "dockerfile/parser.h"
#include "support/test_support.h"

namespace mtr::dockerfile {
namespace {

// Findings of rule `id` (also run when disabled by default) on `text`.
std::vector<core::Finding> run(const std::string& id, const std::string& text,
                               LintConfig config = {}) {
  auto parsed = parse(text, "Dockerfile");
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().to_string()) << "\n" << text;
  if (!parsed) return {};
  LintOptions options;
  options.config = std::move(config);
  options.config.enabled.push_back(id);
  options.config.scan_hint = false;
  std::vector<core::Finding> out;
  for (auto& f : lint(*parsed, options)) {
    if (f.id == id) out.push_back(std::move(f));
  }
  return out;
}

bool fires(const std::string& id, const std::string& text, LintConfig config = {}) {
  return !run(id, text, std::move(config)).empty();
}

TEST(InstructionRules, RegistryMetadataIsComplete) {
  for (const auto& rule : builtin_rules().rules()) {
    if (rule.id.rfind("MTR-DF-", 0) != 0) continue;
    EXPECT_FALSE(rule.title.empty()) << rule.id;
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    EXPECT_FALSE(rule.fix.empty()) << rule.id;
  }
  for (const char* id :
       {"MTR-DF-001", "MTR-DF-020", "MTR-DF-103", "MTR-DF-203", "MTR-DF-609", "MTR-DF-623"}) {
    EXPECT_NE(builtin_rules().find(id), nullptr) << id;
  }
  EXPECT_EQ(builtin_rules().find("JSONArgsRecommended")->id, "MTR-DF-602");
  EXPECT_EQ(builtin_rules().find("MultipleInstructionsDisallowed")->id, "MTR-DF-603");
  EXPECT_EQ(builtin_rules().find("AVD-DS-0002")->id, "MTR-DF-202");
  EXPECT_EQ(builtin_rules().find("DS002")->id, "MTR-DF-202");
}

// ---- users: only the shipped image counts -----------------------------------------------

TEST(InstructionRules, BuilderStageAsRootIsNotAFinding) {
  const std::string text =
      "FROM golang:1.22 AS build\nUSER root\nRUN go build -o /app .\n"
      "FROM debian:12\nRUN useradd -r app\nCOPY --from=build /app /app\nUSER app\n";
  EXPECT_FALSE(fires("MTR-DF-201", text));
  EXPECT_FALSE(fires("MTR-DF-202", text));
  EXPECT_FALSE(fires("MTR-DF-203", text));
}

TEST(InstructionRules, UserInheritedFromBaseStageCounts) {
  const std::string text =
      "FROM debian:12 AS base\nRUN useradd -r app\nUSER app\n"
      "FROM base\nCOPY app /app\nCMD [\"/app\"]\n";
  EXPECT_FALSE(fires("MTR-DF-202", text));
  EXPECT_FALSE(fires("MTR-DF-201", text));
  EXPECT_FALSE(
      fires("MTR-DF-203", "FROM debian:12 AS base\nRUN useradd -r app\nFROM base\nUSER app\n"));
}

TEST(InstructionRules, RootInheritedFromBaseStageIsReported) {
  auto findings = run("MTR-DF-201", "FROM debian:12 AS base\nUSER 0:0\nFROM base\nRUN true\n");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 2u);
  EXPECT_NE(findings[0].title.find("inherited"), std::string::npos) << findings[0].title;
}

TEST(InstructionRules, NoUserInShippedImage) {
  auto findings = run("MTR-DF-202", "FROM alpine:3.20 AS build\nUSER nobody\nFROM alpine:3.20\n");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 3u);
  auto scratch = run("MTR-DF-202", "FROM scratch\nCOPY server /server\nENTRYPOINT [\"/server\"]\n");
  ASSERT_EQ(scratch.size(), 1u);
  EXPECT_NE(scratch[0].title.find("scratch"), std::string::npos) << scratch[0].title;
  EXPECT_FALSE(fires("MTR-DF-202", "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY a /a\n"));
  // An explicit root USER is MTR-DF-201's finding, not this one's.
  EXPECT_FALSE(fires("MTR-DF-202", "FROM alpine:3.20\nUSER root\n"));
}

TEST(InstructionRules, UserMustBeCreated) {
  EXPECT_TRUE(fires("MTR-DF-203", "FROM debian:12\nUSER app\n"));
  EXPECT_FALSE(
      fires("MTR-DF-203", "FROM debian:12\nRUN useradd --system --uid 10001 app\nUSER app\n"));
  EXPECT_FALSE(
      fires("MTR-DF-203",
            "FROM alpine:3.20\nRUN addgroup -S app && adduser -S app -G app\nUSER app:app\n"));
  EXPECT_FALSE(fires("MTR-DF-203", "FROM debian:12\nUSER 10001:10001\n"));
  EXPECT_FALSE(fires("MTR-DF-203", "FROM node:20-alpine\nUSER node\n"));
  EXPECT_FALSE(fires("MTR-DF-203", "FROM nginx:1.27\nUSER nginx\n"));
  EXPECT_FALSE(fires("MTR-DF-203", "FROM debian:12\nUSER nobody\n"));
  EXPECT_FALSE(fires(
      "MTR-DF-203",
      "FROM scratch\nRUN echo 'app:x:10001:10001::/app:/sbin/nologin' >> /etc/passwd\nUSER app\n"));
  // Created only after the USER switch: the switch itself fails.
  EXPECT_TRUE(fires("MTR-DF-203", "FROM debian:12\nUSER app\nRUN useradd app\n"));
  EXPECT_TRUE(fires("MTR-DF-203", "FROM node:20\nUSER app\n"));
}

// ---- base images ------------------------------------------------------------------------

TEST(InstructionRules, DigestPinning) {
  EXPECT_TRUE(fires("MTR-DF-103", "FROM debian:12\n"));
  EXPECT_FALSE(fires("MTR-DF-103",
                     "FROM debian:12@sha256:"
                     "7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\n"));
  EXPECT_FALSE(fires("MTR-DF-103", "FROM scratch\n"));
  // Stages are not images; an ARG without default is only known at build time.
  EXPECT_EQ(run("MTR-DF-103", "FROM golang:1.22 AS build\nFROM build\n").size(), 1u);
  EXPECT_FALSE(fires("MTR-DF-103", "ARG BASE\nFROM ${BASE}\n"));
  auto resolved = run("MTR-DF-103", "ARG TAG=3.20\nFROM alpine:${TAG}\n");
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_NE(resolved[0].title.find("alpine:3.20"), std::string::npos) << resolved[0].title;
}

TEST(InstructionRules, LatestThroughArgDefault) {
  EXPECT_TRUE(fires("MTR-DF-102", "ARG TAG=latest\nFROM alpine:${TAG}\n"));
  EXPECT_FALSE(fires("MTR-DF-102", "ARG TAG\nFROM alpine:${TAG}\n"));
}

// ---- shipped image metadata ---------------------------------------------------------------

TEST(InstructionRules, HealthcheckInheritedFromBaseStage) {
  EXPECT_FALSE(fires("MTR-DF-607", "FROM alpine:3.20 AS base\nHEALTHCHECK NONE\nFROM base\n"));
  // A builder stage's HEALTHCHECK does not reach the final image.
  EXPECT_TRUE(
      fires("MTR-DF-607", "FROM alpine:3.20 AS b\nHEALTHCHECK CMD [\"x\"]\nFROM alpine:3.20\n"));
}

TEST(InstructionRules, SshPortOnlyInShippedImage) {
  EXPECT_TRUE(fires("MTR-DF-608", "FROM alpine:3.20\nEXPOSE 22/tcp\n"));
  EXPECT_TRUE(fires("MTR-DF-608", "FROM alpine:3.20\nEXPOSE 20-25\n"));
  EXPECT_FALSE(fires("MTR-DF-608", "FROM alpine:3.20 AS test\nEXPOSE 22\nFROM alpine:3.20\n"));
  EXPECT_FALSE(fires("MTR-DF-608", "FROM alpine:3.20\nEXPOSE 2222\n"));
}

TEST(InstructionRules, PrivilegedPortWithNonRootUser) {
  EXPECT_TRUE(fires("MTR-DF-609", "FROM nginx:1.27\nUSER nginx\nEXPOSE 80\n"));
  EXPECT_FALSE(fires("MTR-DF-609", "FROM nginx:1.27\nUSER nginx\nEXPOSE 8080\n"));
  // Root images are MTR-DF-201/202's business; 22 is MTR-DF-608's.
  EXPECT_FALSE(fires("MTR-DF-609", "FROM nginx:1.27\nEXPOSE 80\n"));
  EXPECT_FALSE(fires("MTR-DF-609", "FROM alpine:3.20\nUSER 1000\nEXPOSE 22\n"));
}

TEST(InstructionRules, SystemWorkdir) {
  EXPECT_TRUE(fires("MTR-DF-612", "FROM alpine:3.20\nWORKDIR /proc/self\n"));
  EXPECT_TRUE(fires("MTR-DF-612", "FROM alpine:3.20\nWORKDIR /dev/\n"));
  EXPECT_FALSE(fires("MTR-DF-612", "FROM alpine:3.20\nWORKDIR /devtools\n"));
  EXPECT_FALSE(fires("MTR-DF-612", "FROM alpine:3.20\nWORKDIR /app\n"));
}

// ---- labels -------------------------------------------------------------------------------

LintConfig schema(const std::string& key, const std::string& type) {
  LintConfig config;
  config.label_schema[key] = type;
  return config;
}

TEST(InstructionRules, LabelFormats) {
  auto semver = schema("version", "semver");
  EXPECT_FALSE(fires("MTR-DF-622", "FROM a:1\nLABEL version=1.2.3-rc.1+build.5\n", semver));
  EXPECT_TRUE(fires("MTR-DF-622", "FROM a:1\nLABEL version=v1.2\n", semver));
  EXPECT_TRUE(fires("MTR-DF-622", "FROM a:1\nLABEL version=01.2.3\n", semver));
  EXPECT_FALSE(fires("MTR-DF-622", "FROM a:1\nLABEL version=${VERSION}\n", semver));
  auto date = schema("created", "rfc3339");
  EXPECT_FALSE(fires("MTR-DF-619", "FROM a:1\nLABEL created=2024-05-01T12:00:00Z\n", date));
  EXPECT_TRUE(fires("MTR-DF-619", "FROM a:1\nLABEL created=2024-05-01\n", date));
  auto spdx = schema("license", "spdx");
  EXPECT_FALSE(fires("MTR-DF-620", "FROM a:1\nLABEL license=\"(MIT OR Apache-2.0)\"\n", spdx));
  EXPECT_FALSE(fires("MTR-DF-620",
                     "FROM a:1\nLABEL license=\"GPL-2.0-only WITH Classpath-exception-2.0\"\n",
                     spdx));
  EXPECT_TRUE(fires("MTR-DF-620", "FROM a:1\nLABEL license=\"MIT AND\"\n", spdx));
  auto email = schema("maintainer", "email");
  EXPECT_TRUE(fires("MTR-DF-623", "FROM a:1\nLABEL maintainer=\"a@b@c\"\n", email));
  EXPECT_FALSE(
      fires("MTR-DF-623", "FROM a:1\nLABEL maintainer=\"ops.team+x@example.com\"\n", email));
  auto url = schema("source", "url");
  EXPECT_FALSE(fires("MTR-DF-618", "FROM a:1\nLABEL source=https://github.com/o/r\n", url));
  EXPECT_TRUE(fires("MTR-DF-618", "FROM a:1\nLABEL source=github.com/o/r\n", url));
}

TEST(InstructionRules, RequiredLabelOnlyOnShippedImage) {
  auto config = schema("org.opencontainers.image.source", "url");
  EXPECT_TRUE(fires("MTR-DF-615",
                    "FROM a:1 AS b\nLABEL org.opencontainers.image.source=https://x.io\nFROM a:1\n",
                    config));
  EXPECT_FALSE(fires("MTR-DF-615",
                     "FROM a:1 AS b\nLABEL org.opencontainers.image.source=https://x.io\nFROM b\n",
                     config));
}

// ---- real-world Dockerfiles ----------------------------------------------------------------

// Every instruction rule runs on the real-world corpus without crashing and every finding
// points at a line; the per-rule counts are printed to spot noisy rules.
TEST(InstructionRules, RealWorldCorpusSmoke) {
  MTR_REQUIRE_CORPUS();
  LintOptions options;
  options.config.scan_hint = false;
  for (const auto& rule : builtin_rules().rules()) options.config.enabled.push_back(rule.id);
  std::map<std::string, int> counts;
  int files = 0;
  for (const char* dir : {"real-world", "insecure"}) {
    auto root = test::corpus_dir() / "dockerfile" / dir;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      auto parsed = parse(test::read_file(entry.path()), entry.path().string());
      if (!parsed) continue;  // the parser's tests own parse errors
      ++files;
      for (const auto& f : lint(*parsed, options)) {
        if (f.id.rfind("MTR-DF-", 0) != 0) continue;
        ++counts[f.id];
        EXPECT_FALSE(f.title.empty()) << f.id << " " << entry.path();
        if (f.id != "MTR-DF-006") {
          EXPECT_GT(f.location.line, 0u) << f.id << " " << entry.path();
        }
      }
    }
  }
  EXPECT_GT(files, 50);
  for (const auto& [id, n] : counts) std::cout << id << " " << n << "\n";
}

// ---- Checkov: the cases of the checks our instruction rules alias -----------------------------

// Checkov keeps one folder per case, named failure* or success*, under example_<Class>/.
TEST(InstructionRules, CheckovCasesForAliasedChecks) {
  MTR_REQUIRE_CORPUS();
  auto root = test::corpus_dir() / "dockerfile" / "peers" / "checkov" / "dockerfile" / "checks";
  const std::map<std::string, std::string> kChecks = {
      {"CKV_DOCKER_1", "ExposePort22"},   {"CKV_DOCKER_2", "HealthcheckExists"},
      {"CKV_DOCKER_3", "UserExists"},     {"CKV_DOCKER_6", "MaintainerExists"},
      {"CKV_DOCKER_8", "RootUser"},       {"CKV_DOCKER_10", "WorkdirIsAbsolute"},
      {"CKV_DOCKER_11", "AliasIsUnique"},
  };
  int checked = 0;
  for (const auto& [ckv, name] : kChecks) {
    const RuleInfo* rule = builtin_rules().find(ckv);
    ASSERT_NE(rule, nullptr) << ckv;
    for (const auto& entry : std::filesystem::directory_iterator(root / ("example_" + name))) {
      auto file = entry.path() / "Dockerfile";
      if (!std::filesystem::exists(file)) continue;
      std::string folder = entry.path().filename().string();
      bool bad = folder.rfind("failure", 0) == 0;
      ++checked;
      EXPECT_EQ(fires(rule->id, test::read_file(file)), bad)
          << ckv << " (" << rule->id << ") " << folder << "\n"
          << test::read_file(file);
    }
  }
  EXPECT_GT(checked, 10);
}

// ---- BuildKit build checks: the examples of their documentation ----------------------------

struct Example {
  const char* id;
  bool bad;
  const char* text;
};

class BuildkitExamples : public testing::TestWithParam<Example> {};

TEST_P(BuildkitExamples, Verdict) {
  const Example& e = GetParam();
  EXPECT_EQ(fires(e.id, e.text), e.bad) << e.id << "\n" << e.text;
}

INSTANTIATE_TEST_SUITE_P(
    Docs, BuildkitExamples,
    testing::Values(
        Example{"MTR-DF-010", true,
                "From alpine\nRun echo hello > /greeting.txt\nEntRYpOiNT [\"cat\", "
                "\"/greeting.txt\"]\n"},
        Example{"MTR-DF-010", false,
                "FROM alpine\nRUN echo hello > /greeting.txt\nENTRYPOINT [\"cat\", "
                "\"/greeting.txt\"]\n"},
        Example{"MTR-DF-010", false,
                "from alpine\nrun echo hello > /greeting.txt\nentrypoint [\"cat\", "
                "\"/greeting.txt\"]\n"},
        Example{"MTR-DF-010", true, "FROM alpine\nRUN true\nrun false\n"},
        Example{"MTR-DF-011", true, "FROM debian:latest as builder\n"},
        Example{"MTR-DF-011", false, "FROM debian:latest AS deb-builder\n"},
        Example{"MTR-DF-011", false, "from debian:latest as deb-builder\n"},
        Example{"MTR-DF-012", true, "FROM alpine AS BuilderBase\n"},
        Example{"MTR-DF-012", false, "FROM alpine AS builder-base\n"},
        Example{"MTR-DF-013", true, "FROM alpine\nARG foo bar\n"},
        Example{"MTR-DF-013", false, "FROM alpine\nARG foo=bar\n"},
        Example{"MTR-DF-013", true,
                "FROM alpine\nENV DEPS \\\n    curl \\\n    git \\\n    make\n"},
        Example{"MTR-DF-013", false,
                "FROM alpine\nENV DEPS=\"\\\n    curl \\\n    git \\\n    make\"\n"},
        Example{"MTR-DF-014", true, "FROM alpine\nEXPOSE \\\n\n80\n"},
        Example{"MTR-DF-014", false, "FROM alpine\nEXPOSE \\\n# Port\n80\n"},
        Example{"MTR-DF-015", true, "FROM node:22${VARIANT} AS jsbuilder\n"},
        Example{"MTR-DF-015", false,
                "ARG VARIANT=\"-alpine3.20\"\nFROM node:22${VARIANT} AS jsbuilder\n"},
        Example{"MTR-DF-015", false, "FROM --platform=$BUILDPLATFORM alpine:3.20\n"},
        Example{"MTR-DF-016", true, "ARG TAG\nFROM busybox:${TAG}\n"},
        Example{"MTR-DF-016", false, "ARG TAG=latest\nFROM busybox:${TAG}\n"},
        Example{"MTR-DF-016", false, "ARG VARIANT\nFROM busybox:stable${VARIANT}\n"},
        Example{"MTR-DF-016", false, "ARG TAG\nFROM alpine:${TAG:-3.14}\n"},
        Example{"MTR-DF-017", true, "FROM alpine\nEXPOSE 80/TcP\n"},
        Example{"MTR-DF-017", false, "FROM alpine\nEXPOSE 80/tcp\n"},
        Example{"MTR-DF-018", true, "FROM alpine\nEXPOSE 127.0.0.1:80:80\n"},
        Example{"MTR-DF-018", true, "FROM alpine\nEXPOSE 80:80\n"},
        Example{"MTR-DF-018", false, "FROM alpine\nEXPOSE 80\n"},
        Example{"MTR-DF-018", false, "FROM alpine\nEXPOSE ${PORT:-80}\n"},
        Example{"MTR-DF-019", true,
                "# a non-descriptive comment\nFROM scratch AS base\n# another non-descriptive "
                "comment\nARG VERSION=1\n"},
        Example{"MTR-DF-019", false,
                "# a non-descriptive comment\n\nFROM scratch AS base\n# another non-descriptive "
                "comment\n\nARG VERSION=1\n"},
        Example{"MTR-DF-019", false,
                "# base is a stage for compiling source\nFROM scratch AS base\n# VERSION This "
                "is the version number.\nARG VERSION=1\n"},
        Example{"MTR-DF-020", true,
                "FROM --platform=linux/amd64 alpine AS base\nRUN apk add --no-cache git\n"},
        Example{"MTR-DF-020", false, "FROM alpine AS base\nRUN apk add --no-cache git\n"},
        Example{"MTR-DF-020", false,
                "FROM --platform=${BUILDPLATFORM} alpine AS base\nRUN apk add --no-cache git\n"},
        Example{"MTR-DF-020", false,
                "FROM --platform=linux/amd64 alpine AS build_amd64\nRUN true\n"
                "FROM --platform=linux/arm64 alpine AS build_arm64\nRUN true\n"
                "FROM build_${TARGETARCH} AS build\n"},
        Example{"MTR-DF-021", true, "FROM alpine AS base\nCOPY $foo .\n"},
        Example{"MTR-DF-021", false, "FROM alpine AS base\nARG foo\nCOPY $foo .\n"},
        Example{"MTR-DF-021", true, "FROM alpine AS base\nARG VERSION=$foo\n"},
        Example{"MTR-DF-021", false, "FROM python AS base\nARG VERSION=$PYTHON_VERSION\n"},
        Example{"MTR-DF-021", true, "FROM alpine\nENV PATH=$PAHT:/app/bin\n"},
        Example{"MTR-DF-021", false, "FROM alpine\nENV PATH=$PATH:/app/bin\n"},
        Example{"MTR-DF-021", false, "FROM alpine\nCOPY ${SRC:-.} /app/\n"},
        Example{"MTR-DF-021", false, "FROM alpine AS a\nENV APP=/app\nFROM a\nWORKDIR $APP\n"},
        // Equivalents of hadolint rules, aliased there.
        Example{"MTR-DF-106", true, "FROM --platform=$TARGETPLATFORM alpine:3.20\n"},
        Example{"MTR-DF-109", true, "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS A\n"},
        Example{"MTR-DF-110", true, "FROM alpine:3.20 AS context\n"},
        Example{"MTR-DF-601", true, "FROM alpine:3.20\nWORKDIR app\n"},
        Example{"MTR-DF-602", true, "FROM alpine:3.20\nENTRYPOINT my-app start\n"}),
    [](const auto& test_info) {
      std::string name = std::string(test_info.param.id).substr(7) +
                         (test_info.param.bad ? "_bad_" : "_good_") +
                         std::to_string(test_info.index);
      return name;
    });

}  // namespace
}  // namespace mtr::dockerfile
