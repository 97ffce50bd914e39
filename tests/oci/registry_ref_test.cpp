#include <gtest/gtest.h>

#include "oci/remote.h"

namespace mtr::oci {
namespace {

constexpr const char* kDigest =
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

RegistryRef parse_ok(std::string_view text) {
  auto ref = RegistryRef::parse(text);
  EXPECT_TRUE(ref.has_value()) << text << ": " << (ref ? "" : ref.error().to_string());
  return ref ? *ref : RegistryRef{};
}

std::string parse_error(std::string_view text) {
  auto ref = RegistryRef::parse(text);
  EXPECT_FALSE(ref.has_value()) << text << " parsed as " << (ref ? ref->to_string() : "");
  return ref ? "" : ref.error().message;
}

TEST(RegistryRefTest, DockerHubOfficialImageGetsLibraryAndLatest) {
  auto ref = parse_ok("debian");
  EXPECT_EQ(ref.host, "registry-1.docker.io");
  EXPECT_EQ(ref.repository, "library/debian");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_EQ(ref.digest, "");
  EXPECT_EQ(ref.to_string(), "registry-1.docker.io/library/debian:latest");
}

TEST(RegistryRefTest, DockerHubUserImageKeepsItsPath) {
  auto ref = parse_ok("bitnami/redis:7.2");
  EXPECT_EQ(ref.host, "registry-1.docker.io");
  EXPECT_EQ(ref.repository, "bitnami/redis");
  EXPECT_EQ(ref.tag, "7.2");
}

TEST(RegistryRefTest, DockerIoAliasesMeanDockerHub) {
  EXPECT_EQ(parse_ok("docker.io/debian:12").to_string(), "registry-1.docker.io/library/debian:12");
  EXPECT_EQ(parse_ok("index.docker.io/library/debian:12").to_string(),
            "registry-1.docker.io/library/debian:12");
}

TEST(RegistryRefTest, FirstComponentIsAHostWhenItLooksLikeOne) {
  auto ref = parse_ok("localhost:5000/mtr-test/debian:12");
  EXPECT_EQ(ref.host, "localhost:5000");
  EXPECT_EQ(ref.repository, "mtr-test/debian");
  EXPECT_EQ(ref.tag, "12");

  ref = parse_ok("localhost/app");
  EXPECT_EQ(ref.host, "localhost");
  EXPECT_EQ(ref.repository, "app");  // no library/ outside Docker Hub
  EXPECT_EQ(ref.tag, "latest");

  ref = parse_ok("ghcr.io/owner/tool");
  EXPECT_EQ(ref.host, "ghcr.io");
  EXPECT_EQ(ref.repository, "owner/tool");

  ref = parse_ok("[::1]:5000/app:1");
  EXPECT_EQ(ref.host, "[::1]:5000");
  EXPECT_TRUE(ref.is_loopback());

  // "team" has no dot, colon or upper case: a Docker Hub namespace, not a host.
  EXPECT_EQ(parse_ok("team/app").host, "registry-1.docker.io");
}

TEST(RegistryRefTest, DigestWithoutTagLeavesTagEmpty) {
  auto ref = parse_ok(std::string("quay.io/org/app@") + kDigest);
  EXPECT_EQ(ref.tag, "");
  EXPECT_EQ(ref.digest, kDigest);
  EXPECT_EQ(ref.reference(), kDigest);
  EXPECT_EQ(ref.to_string(), std::string("quay.io/org/app@") + kDigest);
}

TEST(RegistryRefTest, TagAndDigestTogetherFetchByDigest) {
  auto ref = parse_ok(std::string("localhost:5000/app:1.0@") + kDigest);
  EXPECT_EQ(ref.tag, "1.0");
  EXPECT_EQ(ref.reference(), kDigest);
}

TEST(RegistryRefTest, PortIsNotMistakenForATag) {
  auto ref = parse_ok("registry.example.com:8443/app");
  EXPECT_EQ(ref.host, "registry.example.com:8443");
  EXPECT_EQ(ref.tag, "latest");
}

TEST(RegistryRefTest, SeparatorsInsideComponentsFollowDockerGrammar) {
  EXPECT_EQ(parse_ok("a/b.c_d__e---f:tag").repository, "a/b.c_d__e---f");
  EXPECT_NE(parse_error("a/b..c").find("repository component 'b..c'"), std::string::npos);
  EXPECT_NE(parse_error("a/b___c").find("b___c"), std::string::npos);
  EXPECT_NE(parse_error("a/-b").find("'-b'"), std::string::npos);
  EXPECT_NE(parse_error("a//b").find("''"), std::string::npos);
}

TEST(RegistryRefTest, RejectsUpperCaseRepository) {
  EXPECT_NE(parse_error("localhost:5000/Debian").find("lower-case"), std::string::npos);
}

TEST(RegistryRefTest, RejectsBadTags) {
  EXPECT_NE(parse_error("debian:").find("tag ''"), std::string::npos);
  EXPECT_NE(parse_error("debian:.hidden").find("tag '.hidden'"), std::string::npos);
  EXPECT_NE(parse_error("debian:" + std::string(129, 'a')).find("tag"), std::string::npos);
  parse_ok("debian:" + std::string(128, 'a'));
}

TEST(RegistryRefTest, RejectsBadDigests) {
  EXPECT_NE(parse_error("debian@sha256:abc").find("digest 'sha256:abc'"), std::string::npos);
  parse_error("debian@md5:0123456789abcdef0123456789abcdef");
  parse_error(std::string("debian@") +
              "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef");
}

TEST(RegistryRefTest, RejectsBadHostsAndEmptiness) {
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("localhost:5000/").find("no repository"), std::string::npos);
  EXPECT_NE(parse_error("bad_host.example/app").find("registry host"), std::string::npos);
  EXPECT_NE(parse_error("localhost:port/app").find("registry host"), std::string::npos);
  EXPECT_NE(parse_error("deb ian").find("white space"), std::string::npos);
  EXPECT_NE(parse_error("localhost:5000/" + std::string(256, 'a')).find("longer than 255"),
            std::string::npos);
}

TEST(RegistryRefTest, ErrorsAreUsageErrorsNamingTheReference) {
  auto ref = RegistryRef::parse("Debian:12:x");
  ASSERT_FALSE(ref.has_value());
  EXPECT_EQ(ref.error().code, core::ErrorCode::kUsage);
  EXPECT_NE(ref.error().message.find("'Debian:12:x'"), std::string::npos);
}

TEST(RegistryRefTest, LoopbackHostsAllowPlainHttp) {
  EXPECT_TRUE(parse_ok("localhost:5000/a").is_loopback());
  EXPECT_TRUE(parse_ok("127.0.0.1:5000/a").is_loopback());
  EXPECT_FALSE(parse_ok("registry.example.com/a").is_loopback());
  EXPECT_FALSE(parse_ok("localhost.example.com/a").is_loopback());
  EXPECT_FALSE(parse_ok("debian").is_loopback());
}

}  // namespace
}  // namespace mtr::oci
