// The registry and Docker-daemon sources against the real components scripts/test-env starts:
// manifests and configs verified, layer blobs streamed whole and matching their digests,
// errors for what is not there.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/hash.h"
#include "integration/test_env.h"
#include "oci/remote.h"
#include "support/test_support.h"

namespace mtr::oci {
namespace {

class RemoteSourcesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { env_ = test::load_test_env(skip_reason_); }
  void SetUp() override {
    if (!env_) GTEST_SKIP() << skip_reason_;
    auto it = env_->images.find("whiteout");
    if (it == env_->images.end()) GTEST_SKIP() << "the whiteout image was not built";
    image_ = it->second;
    options_.docker_host = env_->docker_host;
  }
  static inline std::optional<test::TestEnv> env_;
  static inline std::string skip_reason_;
  test::TestImage image_;
  OpenOptions options_;
};

// Reads a whole blob through the source, returning its digest and size.
std::pair<std::string, std::uint64_t> read_blob(ImageSource& source, const LayerRef& layer) {
  auto stream = source.open_layer(layer);
  EXPECT_TRUE(stream.has_value()) << (stream ? "" : stream.error().to_string());
  if (!stream) return {};
  core::Sha256 sha;
  std::uint64_t size = 0;
  while (true) {
    auto chunk = (*stream)->next();
    EXPECT_TRUE(chunk.has_value()) << (chunk ? "" : chunk.error().to_string());
    if (!chunk || chunk->empty()) break;
    sha.update(chunk->data(), chunk->size());
    size += chunk->size();
  }
  return {sha.finish_digest(), size};
}

TEST_F(RemoteSourcesTest, RegistryImageStreamsVerifiableLayers) {
  auto ref = RegistryRef::parse(image_.registry);
  ASSERT_TRUE(ref.has_value()) << ref.error().to_string();
  auto source = open_registry_image(*ref, options_);
  ASSERT_TRUE(source.has_value()) << source.error().to_string();
  const auto& meta = (*source)->meta();
  EXPECT_EQ(meta.layers.size(), 4u) << "base, COPY, two RUN layers";
  EXPECT_EQ(core::validate_digest(meta.manifest_digest).has_value(), true);
  EXPECT_EQ(meta.platform.to_string(), "linux/amd64");
  for (const auto& layer : meta.layers) {
    auto [digest, size] = read_blob(**source, layer);
    EXPECT_EQ(digest, layer.blob.digest) << "layer " << layer.index;
    EXPECT_EQ(static_cast<std::int64_t>(size), layer.blob.size) << "layer " << layer.index;
  }

  // The same image by digest; a digest the registry does not have.
  auto by_digest =
      RegistryRef::parse(ref->host + "/" + ref->repository + "@" + meta.manifest_digest);
  ASSERT_TRUE(by_digest.has_value());
  auto again = open_registry_image(*by_digest, options_);
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  EXPECT_EQ((*again)->meta().config_digest, meta.config_digest);

  auto unknown =
      RegistryRef::parse(ref->host + "/" + ref->repository + "@sha256:" + std::string(64, '0'));
  ASSERT_TRUE(unknown.has_value());
  auto missing = open_registry_image(*unknown, options_);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound) << missing.error().to_string();
}

TEST_F(RemoteSourcesTest, RegistryReportsUnknownTagsAndRepositories) {
  auto ref =
      RegistryRef::parse(image_.registry.substr(0, image_.registry.rfind(':')) + ":no-such-tag");
  ASSERT_TRUE(ref.has_value());
  auto source = open_registry_image(*ref, options_);
  ASSERT_FALSE(source.has_value());
  EXPECT_EQ(source.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(source.error().to_string().find("no-such-tag"), std::string::npos)
      << source.error().to_string();
}

TEST_F(RemoteSourcesTest, UnreachableRegistryIsAnIoError) {
  // Port 9 (discard) on loopback: nothing listens in the test environment.
  auto ref = RegistryRef::parse("127.0.0.1:9/nothing:1");
  ASSERT_TRUE(ref.has_value());
  auto source = open_registry_image(*ref, options_);
  ASSERT_FALSE(source.has_value());
  EXPECT_EQ(source.error().code, core::ErrorCode::kIo) << source.error().to_string();
}

TEST_F(RemoteSourcesTest, DockerDaemonImageIsTheInspectedImage) {
  auto r = test::run_command(
      {"docker", "-H", env_->docker_host, "image", "inspect", "-f", "{{.Id}}", image_.image});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string id = r.out.substr(0, r.out.find('\n'));
  auto source = open_docker_daemon_image(image_.image, options_);
  ASSERT_TRUE(source.has_value()) << source.error().to_string();
  EXPECT_EQ((*source)->meta().config_digest, id);
  ASSERT_EQ((*source)->meta().layers.size(), 4u);
  auto [digest, size] = read_blob(**source, (*source)->meta().layers.back());
  EXPECT_GT(size, 0u);
}

TEST_F(RemoteSourcesTest, DockerDaemonReportsMissingImages) {
  auto source = open_docker_daemon_image("mtr-test/does-not-exist:1", options_);
  ASSERT_FALSE(source.has_value());
  EXPECT_EQ(source.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(source.error().message.find("not found in the Docker daemon"), std::string::npos)
      << source.error().message;

  OpenOptions nowhere = options_;
  nowhere.docker_host = "unix://" + (env_->state / "no-such.sock").string();
  auto unreachable = open_docker_daemon_image(image_.image, nowhere);
  ASSERT_FALSE(unreachable.has_value());
  EXPECT_EQ(unreachable.error().code, core::ErrorCode::kIo);
  EXPECT_NE(unreachable.error().message.find("cannot reach the Docker daemon"), std::string::npos);
}

TEST_F(RemoteSourcesTest, DockerDaemonRejectsMalformedReferences) {
  for (const char* bad : {"", "a b", "../../containers/json", "x?y"}) {
    auto source = open_docker_daemon_image(bad, options_);
    ASSERT_FALSE(source.has_value()) << bad;
    EXPECT_EQ(source.error().code, core::ErrorCode::kUsage) << bad;
  }
}

}  // namespace
}  // namespace mtr::oci
