#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "oci/detail/http_auth.h"
#include "support/test_support.h"

namespace mtr::oci::detail {
namespace {

TEST(WwwAuthenticateTest, DockerHubBearerChallenge) {
  auto c = parse_www_authenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull")");
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].scheme, "bearer");
  EXPECT_EQ((*c)[0].params.at("realm"), "https://auth.docker.io/token");
  EXPECT_EQ((*c)[0].params.at("service"), "registry.docker.io");
  EXPECT_EQ((*c)[0].params.at("scope"), "repository:library/debian:pull");
}

TEST(WwwAuthenticateTest, SeveralChallengesAndSpacing) {
  auto c = parse_www_authenticate(
      R"(Basic realm="Registry Realm" , BEARER  Realm = "https://t/x?a=b,c" ,error=invalid_token)");
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].scheme, "basic");
  EXPECT_EQ((*c)[0].params.at("realm"), "Registry Realm");
  EXPECT_EQ((*c)[1].scheme, "bearer");
  EXPECT_EQ((*c)[1].params.at("realm"), "https://t/x?a=b,c");
  EXPECT_EQ((*c)[1].params.at("error"), "invalid_token");
}

TEST(WwwAuthenticateTest, EscapesInQuotedStrings) {
  auto c = parse_www_authenticate(R"(Bearer realm="a\"b\\c")");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ((*c)[0].params.at("realm"), "a\"b\\c");
}

TEST(WwwAuthenticateTest, SchemeWithoutParameters) {
  auto c = parse_www_authenticate("Basic");
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].scheme, "basic");
  EXPECT_TRUE((*c)[0].params.empty());
}

TEST(WwwAuthenticateTest, MalformedHeadersAreErrorsWithAColumn) {
  auto unterminated = parse_www_authenticate(R"(Bearer realm="https://auth)");
  ASSERT_FALSE(unterminated.has_value());
  EXPECT_EQ(unterminated.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(unterminated.error().message.find("unterminated quoted string starting at column 14"),
            std::string::npos);

  auto junk = parse_www_authenticate(R"(Bearer realm="x" "y")");
  ASSERT_FALSE(junk.has_value());
  EXPECT_NE(junk.error().message.find("column"), std::string::npos);

  EXPECT_FALSE(parse_www_authenticate("").has_value());
  EXPECT_FALSE(parse_www_authenticate("=x").has_value());
}

TEST(Base64Test, RoundTripsAndRejectsJunk) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "user:pa:ss", std::string("\0\xff\x10", 3)}) {
    auto back = base64_decode(base64_encode(s));
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(base64_encode("user:secret"), "dXNlcjpzZWNyZXQ=");
  EXPECT_FALSE(base64_decode("a$bc").has_value());
  EXPECT_FALSE(base64_decode("abcde").has_value());
}

class CredentialsTest : public ::testing::Test {
 protected:
  void write_config(const std::filesystem::path& dir, std::string_view json) {
    std::filesystem::create_directories(dir);
    test::write_file(dir / "config.json", json);
  }
  test::TempDir tmp_;
};

TEST_F(CredentialsTest, ExplicitCredentialsWin) {
  write_config(tmp_.path() / ".docker", R"({"auths":{"localhost:5000":{"auth":"YTpi"}}})");
  CredentialSources src;
  src.home = tmp_.path().string();
  src.username = "cli-user";
  src.password = "cli-pass";
  auto found = find_credentials("localhost:5000", src);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->credentials.has_value());
  EXPECT_EQ(found->credentials->username, "cli-user");
  EXPECT_EQ(found->origin, "options");
}

TEST_F(CredentialsTest, HomeConfigAuthEntryByHost) {
  write_config(
      tmp_.path() / ".docker",
      R"({"auths":{"localhost:5000":{"auth":"dXNlcjpzZWNyZXQ="},"other.example":{"auth":"eDp5"}}})");
  CredentialSources src;
  src.home = tmp_.path().string();
  auto found = find_credentials("localhost:5000", src);
  ASSERT_TRUE(found.has_value()) << found.error().to_string();
  ASSERT_TRUE(found->credentials.has_value());
  EXPECT_EQ(found->credentials->username, "user");
  EXPECT_EQ(found->credentials->password, "secret");
  EXPECT_EQ(found->origin, (tmp_.path() / ".docker" / "config.json").string());
  auto none = find_credentials("ghcr.io", src);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->credentials.has_value());
}

TEST_F(CredentialsTest, DockerConfigDirBeatsHomeAndKeysMayBeUrls) {
  write_config(tmp_.path() / "home" / ".docker", R"({"auths":{"ghcr.io":{"auth":"aG9tZTpo"}}})");
  write_config(tmp_.path() / "dc",
               R"({"auths":{"https://ghcr.io/v2/":{"username":"u","password":"p"}}})");
  CredentialSources src;
  src.home = (tmp_.path() / "home").string();
  src.docker_config_dir = (tmp_.path() / "dc").string();
  auto found = find_credentials("ghcr.io", src);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->credentials.has_value());
  EXPECT_EQ(found->credentials->username, "u");
  EXPECT_EQ(found->credentials->password, "p");
}

TEST_F(CredentialsTest, DockerHubMatchesTheLegacyIndexKey) {
  write_config(tmp_.path(),
               R"({"auths":{"https://index.docker.io/v1/":{"auth":"aHViOmh1YnBhc3M="}}})");
  CredentialSources src;
  src.docker_config = (tmp_.path() / "config.json").string();
  auto found = find_credentials("registry-1.docker.io", src);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->credentials.has_value());
  EXPECT_EQ(found->credentials->username, "hub");
  EXPECT_EQ(found->credentials->password, "hubpass");
}

TEST_F(CredentialsTest, EnvironmentIsWhatCredentialSourcesComeFrom) {
  // The registry source fills CredentialSources from $HOME and $DOCKER_CONFIG; a temporary HOME
  // shows that path is the one read.
  write_config(tmp_.path() / ".docker",
               R"({"auths":{"localhost:5000":{"auth":"dXNlcjpzZWNyZXQ="}}})");
  CredentialSources src;
  src.home = tmp_.path().string();
  EXPECT_EQ(docker_config_path(src), (tmp_.path() / ".docker" / "config.json").string());
  src.docker_config_dir = "/elsewhere";
  EXPECT_EQ(docker_config_path(src), "/elsewhere/config.json");
  src.docker_config = "/explicit.json";
  EXPECT_EQ(docker_config_path(src), "/explicit.json");
}

TEST_F(CredentialsTest, MissingConfigIsNotAnError) {
  CredentialSources src;
  src.home = (tmp_.path() / "nobody").string();
  auto found = find_credentials("localhost:5000", src);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->credentials.has_value());
}

TEST_F(CredentialsTest, MalformedConfigNamesTheFile) {
  write_config(tmp_.path(), "{not json");
  CredentialSources src;
  src.docker_config_dir = tmp_.path().string();
  auto found = find_credentials("localhost:5000", src);
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(found.error().message.find((tmp_.path() / "config.json").string()), std::string::npos);

  write_config(tmp_.path(), R"({"auths":{"localhost:5000":{"auth":"!!!"}}})");
  found = find_credentials("localhost:5000", src);
  ASSERT_FALSE(found.has_value());
  EXPECT_NE(found.error().message.find("auths[\"localhost:5000\"].auth is not valid base64"),
            std::string::npos);

  write_config(tmp_.path(),
               R"({"auths":{"localhost:5000":{"auth":"bm9jb2xvbg=="}}})");  // "nocolon"
  found = find_credentials("localhost:5000", src);
  ASSERT_FALSE(found.has_value());
  EXPECT_NE(found.error().message.find("user:password"), std::string::npos);
}

TEST_F(CredentialsTest, CredentialHelpersAreSkippedWithAWarning) {
  write_config(tmp_.path(), R"({"credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"},
                                "auths":{"gcr.io":{}}})");
  CredentialSources src;
  src.docker_config_dir = tmp_.path().string();
  auto found = find_credentials("gcr.io", src);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->credentials.has_value());
  ASSERT_EQ(found->warnings.size(), 2u);
  EXPECT_NE(found->warnings[0].find("credential helper 'gcloud'"), std::string::npos);
  EXPECT_NE(found->warnings[1].find("credential store 'desktop'"), std::string::npos);
}

}  // namespace
}  // namespace mtr::oci::detail
