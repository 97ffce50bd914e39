// The shell rule group's own behaviour beyond hadolint's cases: stage and cache-mount
// awareness, the commandment rules (downloads, TLS, secrets, build dependencies) and the
// official images' verified downloads, which must stay quiet.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "dockerfile/lint.h"
#include "dockerfile/parser.h"
#include "support/test_support.h"

namespace mtr::dockerfile {
namespace {

std::vector<core::Finding> run_rule(const std::string& id, const std::string& text) {
  auto parsed = parse(text, "Dockerfile");
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().to_string()) << "\n" << text;
  if (!parsed) return {};
  LintOptions options;
  options.config.enabled.push_back(id);
  std::vector<core::Finding> out;
  for (auto& f : lint(*parsed, options)) {
    if (f.id == id) out.push_back(std::move(f));
  }
  return out;
}

bool fires(const std::string& id, const std::string& text) { return !run_rule(id, text).empty(); }

TEST(ShellRules, CacheMountsSilenceCacheRules) {
  EXPECT_TRUE(
      fires("MTR-DF-320", "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"));
  EXPECT_FALSE(fires("MTR-DF-320",
                     "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists "
                     "--mount=type=cache,target=/var/cache/apt apt-get update && apt-get install "
                     "-y curl\n"));
  EXPECT_TRUE(fires("MTR-DF-323", "FROM alpine:3.20\nRUN apk add curl=8.9.0-r0\n"));
  EXPECT_FALSE(fires("MTR-DF-323",
                     "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add "
                     "curl=8.9.0-r0\n"));
  EXPECT_TRUE(fires("MTR-DF-324", "FROM python:3.12\nRUN pip install requests==2.32.3\n"));
  EXPECT_FALSE(fires("MTR-DF-324",
                     "FROM python:3.12\nRUN --mount=type=cache,target=/home/app/.cache/pip pip "
                     "install requests==2.32.3\n"));
  EXPECT_TRUE(fires("MTR-DF-325", "FROM node:20\nRUN yarn install --frozen-lockfile\n"));
  EXPECT_FALSE(fires("MTR-DF-325",
                     "FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn "
                     "yarn install --frozen-lockfile\n"));
}

TEST(ShellRules, CacheRuleFixSuggestsCacheMount) {
  for (const char* id : {"MTR-DF-320", "MTR-DF-323", "MTR-DF-324", "MTR-DF-325", "MTR-DF-326",
                         "MTR-DF-327", "MTR-DF-328", "MTR-DF-329"}) {
    const RuleInfo* rule = builtin_rules().find(id);
    ASSERT_NE(rule, nullptr) << id;
    EXPECT_NE(rule->fix.find("--mount=type=cache"), std::string::npos) << id;
  }
}

TEST(ShellRules, BuildDepsOnlyInShippedStages) {
  const std::string builder =
      "FROM debian:12 AS build\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends build-essential "
      "libssl-dev && rm -rf /var/lib/apt/lists/*\n"
      "RUN make\n"
      "FROM debian:12-slim\n"
      "COPY --from=build /src/app /usr/local/bin/app\n";
  EXPECT_FALSE(fires("MTR-DF-337", builder));

  auto shipped = run_rule("MTR-DF-337",
                          "FROM python:3.12-slim\n"
                          "RUN apt-get update && apt-get install -y gcc python3-dev && pip "
                          "install --no-cache-dir uwsgi==2.0.26\n");
  ASSERT_EQ(shipped.size(), 1u);
  EXPECT_NE(shipped[0].title.find("'gcc'"), std::string::npos) << shipped[0].title;
  EXPECT_NE(shipped[0].title.find("'python3-dev'"), std::string::npos) << shipped[0].title;

  // Removed again in the same RUN: fine.
  EXPECT_FALSE(fires("MTR-DF-337",
                     "FROM alpine:3.20\n"
                     "RUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install "
                     "uwsgi && apk del .build-deps\n"));
  EXPECT_FALSE(fires("MTR-DF-337",
                     "FROM debian:12\n"
                     "RUN apt-get update && apt-get install -y gcc make && make && apt-get purge "
                     "-y gcc make\n"));
  EXPECT_FALSE(fires("MTR-DF-337",
                     "FROM debian:12\n"
                     "RUN savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install "
                     "-y gcc libc6-dev; make; apt-mark auto '.*' > /dev/null; apt-mark manual "
                     "$savedAptMark; apt-get purge -y --auto-remove\n"));
}

TEST(ShellRules, PipeIntoShell) {
  EXPECT_TRUE(fires("MTR-DF-403", "FROM debian:12\nRUN curl -fsSL https://x.io/i.sh | sh\n"));
  EXPECT_TRUE(
      fires("MTR-DF-403", "FROM debian:12\nRUN wget -O- https://x.io/i.sh | sudo bash -\n"));
  EXPECT_TRUE(
      fires("MTR-DF-403", "FROM debian:12\nRUN sh -c \"$(curl -fsSL https://x.io/i.sh)\"\n"));
  EXPECT_FALSE(
      fires("MTR-DF-403", "FROM debian:12\nRUN curl -fsSL https://x.io/a.tgz | tar -xz -C /opt\n"));
}

TEST(ShellRules, ProcessSubstitutionAndSudoPipes) {
  EXPECT_TRUE(fires("MTR-DF-403", "FROM debian:12\nRUN bash <(curl -fsSL https://x.io/i.sh)\n"));
  EXPECT_TRUE(
      fires("MTR-DF-403", "FROM debian:12\nRUN wget -qO- https://x.io/i.sh | sudo -E sh -\n"));
}

TEST(ShellRules, PinMessagesNameEachPackage) {
  auto f = run_rule("MTR-DF-301", "FROM debian:12\nRUN apt-get install -y curl git=1:2.39.2-1.1\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].title,
            "apt-get install: package 'curl' has no version pin (write curl=<version>)");
  EXPECT_EQ(f[0].properties.at("commandment"), "6");
  // The finding points at the package word itself: "RUN apt-get install -y curl" → column 24.
  EXPECT_EQ(f[0].location.line, 2u);
  EXPECT_EQ(f[0].location.column, 24u);
  EXPECT_EQ(f[0].location.end_column, 27u);
}

TEST(ShellRules, InsecureTls) {
  EXPECT_TRUE(fires("MTR-DF-404", "FROM debian:12\nRUN curl -fsSLk https://x.io/a -o a\n"));
  EXPECT_TRUE(fires("MTR-DF-404", "FROM debian:12\nRUN wget --no-check-certificate https://x\n"));
  EXPECT_TRUE(fires("MTR-DF-404",
                    "FROM debian:12\nRUN git -c http.sslVerify=false clone https://x/r.git\n"));
  EXPECT_TRUE(fires("MTR-DF-404", "FROM python:3\nRUN pip install --trusted-host pypi.x a==1\n"));
  EXPECT_TRUE(fires("MTR-DF-404", "FROM node:20\nRUN npm config set strict-ssl false\n"));
  EXPECT_TRUE(fires("MTR-DF-404", "FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n"));
  EXPECT_TRUE(fires("MTR-DF-404", "FROM python:3\nENV PIP_TRUSTED_HOST=pypi.internal\n"));
  EXPECT_FALSE(fires("MTR-DF-404", "FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n"));
  EXPECT_FALSE(fires("MTR-DF-404", "FROM debian:12\nRUN curl -fsSL https://x.io/a -o a\n"));
}

TEST(ShellRules, UnverifiedDownloads) {
  EXPECT_TRUE(
      fires("MTR-DF-405", "FROM debian:12\nRUN curl -fsSLo /tmp/a.tgz https://x.io/a.tgz\n"));
  EXPECT_TRUE(fires("MTR-DF-405", "FROM debian:12\nRUN wget -q https://x.io/a.tgz\n"));
  EXPECT_TRUE(
      fires("MTR-DF-405", "FROM debian:12\nRUN curl -fsSL https://x.io/a.tgz | tar -xz -C /opt\n"));
  EXPECT_FALSE(fires("MTR-DF-405",
                     "FROM debian:12\nRUN curl -fsSLo a.tgz https://x.io/a.tgz && echo "
                     "\"0123abcd  a.tgz\" | sha256sum -c - && tar -xzf a.tgz\n"));
  EXPECT_FALSE(fires("MTR-DF-405",
                     "FROM debian:12\nRUN wget -O a.tgz https://x.io/a.tgz && wget -O a.tgz.asc "
                     "https://x.io/a.tgz.asc && gpg --batch --verify a.tgz.asc a.tgz\n"));
  EXPECT_FALSE(fires("MTR-DF-405", "FROM debian:12\nRUN curl -fsS http://localhost/health\n"));
}

// Official images verify what they download (sha256sum -c, gpg --batch --verify): quiet.
TEST(ShellRules, OfficialImagesVerifiedDownloadsAreQuiet) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "dockerfile" / "real-world" / "official-images";
  int files = 0;
  int findings = 0;
  std::string report;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto text = test::read_file(entry.path());
    auto parsed = parse(text, entry.path().filename().string());
    if (!parsed) continue;
    ++files;
    LintOptions options;
    for (const auto& f : lint(*parsed, options)) {
      if (f.id != "MTR-DF-405") continue;
      ++findings;
      report += entry.path().filename().string() + ":" + std::to_string(f.location.line) + " " +
                f.title + "\n";
    }
  }
  EXPECT_GT(files, 50);
  // A handful of official Dockerfiles do download without verification (keys fetched over
  // TLS, or installers); the verified majority must stay quiet.
  EXPECT_LE(findings, files / 10) << report;
}

TEST(ShellRules, SecretNames) {
  EXPECT_TRUE(fires("MTR-DF-501", "FROM debian:12\nARG GITHUB_TOKEN\n"));
  EXPECT_TRUE(fires("MTR-DF-501", "FROM debian:12\nENV DB_PASSWORD=hunter2\n"));
  // A path to a secret file is not the secret; public keys and GPG fingerprints are public.
  EXPECT_FALSE(
      fires("MTR-DF-501", "FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/pw\n"));
  EXPECT_FALSE(
      fires("MTR-DF-501", "FROM python:3\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n"));
  EXPECT_FALSE(fires("MTR-DF-501", "FROM debian:12\nARG PUBLIC_KEY\n"));
  EXPECT_FALSE(fires("MTR-DF-501", "FROM debian:12\nARG KEYBOARD_LAYOUT=us\n"));
}

TEST(ShellRules, SecretFilesCopied) {
  EXPECT_TRUE(fires("MTR-DF-502", "FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa\n"));
  EXPECT_TRUE(fires("MTR-DF-502", "FROM node:20\nCOPY .npmrc package.json ./\n"));
  EXPECT_TRUE(fires("MTR-DF-502", "FROM debian:12\nADD server.key /etc/ssl/private/\n"));
  EXPECT_TRUE(fires("MTR-DF-502", "FROM debian:12\nCOPY .env /app/.env\n"));
  EXPECT_FALSE(fires("MTR-DF-502", "FROM debian:12\nCOPY id_rsa.pub /root/.ssh/authorized_keys\n"));
  EXPECT_FALSE(fires("MTR-DF-502", "FROM debian:12\nCOPY .env.example /app/\n"));
  EXPECT_FALSE(fires("MTR-DF-502", "FROM debian:12\nCOPY ca-cert.pem /usr/local/share/\n"));
}

TEST(ShellRules, SecretsOnCommandLinesAreMasked) {
  auto f =
      run_rule("MTR-DF-503",
               "FROM debian:12\nRUN curl -u admin:Sup3rS3cretPassw0rd99 https://x.io/f -o f\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].title.find("Sup3rS3cretPassw0rd99"), std::string::npos) << f[0].title;
  EXPECT_NE(f[0].title.find("Sup3"), std::string::npos) << f[0].title;
  EXPECT_TRUE(
      fires("MTR-DF-503",
            "FROM debian:12\nRUN git clone https://bob:ghp_abcdefghijklmnop@github.com/x/y\n"));
  EXPECT_TRUE(fires("MTR-DF-503", "FROM mysql:8\nRUN mysql -uroot -pSecret123 -e 'select 1'\n"));
  EXPECT_TRUE(fires("MTR-DF-503",
                    "FROM node:20\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken="
                    "$NPM_TOKEN\" > ~/.npmrc && npm ci\n"));
  EXPECT_TRUE(fires("MTR-DF-503", "FROM debian:12\nRUN mytool --password=hunter2hunter2\n"));
  EXPECT_FALSE(fires("MTR-DF-503", "FROM debian:12\nRUN mytool --password=\"$PASSWORD\"\n"));
  EXPECT_FALSE(fires("MTR-DF-503", "FROM mysql:8\nRUN mysql -uroot -p -e 'select 1'\n"));
  auto chpasswd = run_rule("MTR-DF-503", "FROM debian:12\nRUN echo 'root:toor' | chpasswd\n");
  ASSERT_EQ(chpasswd.size(), 1u);
  EXPECT_EQ(chpasswd[0].title.find("toor"), std::string::npos) << chpasswd[0].title;
}

TEST(ShellRules, SecretEngineFindsAwsKeyInEnvAndMasksIt) {
  const std::string key = "AKIAZ3MSJV4WWNKWW5FG";
  auto f = run_rule("MTR-DF-504", "FROM debian:12\nENV AWS_ACCESS_KEY_ID=" + key + "\nRUN true\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].location.line, 2u);
  EXPECT_EQ(f[0].title.find(key), std::string::npos) << f[0].title;
  EXPECT_NE(f[0].title.find("AKIA"), std::string::npos) << f[0].title;
  EXPECT_FALSE(fires("MTR-DF-504", "FROM debian:12\nENV AWS_REGION=eu-west-1\n"));
}

TEST(ShellRules, AddWithChecksum) {
  EXPECT_TRUE(fires("MTR-DF-402", "FROM debian:12\nADD https://x.io/a.tgz /opt/\n"));
  EXPECT_FALSE(
      fires("MTR-DF-402", "FROM debian:12\nADD --checksum=sha256:0123 https://x.io/a.tgz /opt/\n"));
  EXPECT_FALSE(
      fires("MTR-DF-401", "FROM debian:12\nADD --checksum=sha256:0123 https://x.io/a.tgz /opt/\n"));
  EXPECT_FALSE(fires("MTR-DF-401", "FROM debian:12\nADD rootfs.tar.xz /\n"));
}

TEST(ShellRules, UnauthenticatedPackages) {
  EXPECT_TRUE(fires("MTR-DF-339",
                    "FROM debian:12\nRUN apt-get install -y --allow-unauthenticated foo=1\n"));
  EXPECT_TRUE(fires("MTR-DF-339", "FROM fedora:40\nRUN dnf install -y --nogpgcheck foo-1\n"));
  EXPECT_TRUE(fires("MTR-DF-339", "FROM fedora:40\nRUN rpm -i --nosignature foo.rpm\n"));
  EXPECT_TRUE(fires("MTR-DF-339", "FROM alpine:3\nRUN apk add --allow-untrusted foo.apk\n"));
  EXPECT_FALSE(fires("MTR-DF-339", "FROM debian:12\nRUN apt-get install -y foo=1\n"));
}

TEST(ShellRules, OnbuildRunsAreChecked) {
  EXPECT_TRUE(fires("MTR-DF-204", "FROM debian:12\nONBUILD RUN sudo make install\n"));
}

TEST(ShellRules, UpdateAlone) {
  EXPECT_TRUE(
      fires("MTR-DF-336", "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y a\n"));
  EXPECT_FALSE(fires("MTR-DF-336", "FROM debian:12\nRUN apt-get update && apt-get install -y a\n"));
}

TEST(ShellRules, ScanHintOncePerFileAtFinalFrom) {
  auto parsed = parse(
      "FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build "
      "/x /x\n",
      "Dockerfile");
  ASSERT_TRUE(parsed.has_value());
  LintOptions options;
  int hints = 0;
  for (const auto& f : lint(*parsed, options)) {
    if (f.id != "MTR-DF-901") continue;
    ++hints;
    EXPECT_EQ(f.location.line, 3u);
    EXPECT_EQ(f.severity, core::Severity::kNone);
    EXPECT_NE(f.title.find("matryoshka image scan"), std::string::npos);
  }
  EXPECT_EQ(hints, 1);
  options.config.scan_hint = false;
  for (const auto& f : lint(*parsed, options)) EXPECT_NE(f.id, "MTR-DF-901");
}

}  // namespace
}  // namespace mtr::dockerfile
