// The registry source against an in-process fake registry on a loopback port: Docker's Bearer
// token flow with basic credentials, the HTTPS→HTTP fallback for loopback hosts, chunked blob
// streaming, and the digest and truncation checks.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/hash.h"
#include "oci/detail/http_auth.h"
#include "oci/remote.h"

namespace mtr::oci {
namespace {

struct Request {
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
};
struct Reply {
  int status = 200;
  std::vector<std::string> headers;
  std::string body;
};

// One connection at a time, one request per connection: enough for a client test.
class FakeServer {
 public:
  explicit FakeServer(std::function<Reply(const Request&)> handler) : handler_(std::move(handler)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 16);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void serve() {
    while (!stop_) {
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      handle(c);
      close(c);
    }
  }
  void handle(int c) {
    std::string in;
    char buf[4096];
    while (in.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = read(c, buf, sizeof buf);
      if (n <= 0) return;
      // A TLS ClientHello (the client's HTTPS attempt): not for us.
      if (in.empty() && buf[0] == 0x16) return;
      in.append(buf, static_cast<std::size_t>(n));
    }
    Request req;
    auto line_end = in.find("\r\n");
    std::string first = in.substr(0, line_end);
    auto sp1 = first.find(' ');
    req.path = first.substr(sp1 + 1, first.rfind(' ') - sp1 - 1);
    std::size_t pos = line_end + 2;
    while (true) {
      auto e = in.find("\r\n", pos);
      if (e == pos || e == std::string::npos) break;
      std::string h = in.substr(pos, e - pos);
      auto colon = h.find(':');
      std::string name = h.substr(0, colon);
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req.headers[name] = h.substr(h.find_first_not_of(' ', colon + 1));
      pos = e + 2;
    }
    Reply reply = handler_(req);
    std::string out =
        "HTTP/1.1 " + std::to_string(reply.status) +
        " X\r\nConnection: close\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n";
    for (const auto& h : reply.headers) out += h + "\r\n";
    out += "\r\n" + reply.body;
    std::size_t off = 0;
    while (off < out.size()) {
      ssize_t n = write(c, out.data() + off, out.size() - off);
      if (n <= 0) return;
      off += static_cast<std::size_t>(n);
    }
  }

  std::function<Reply(const Request&)> handler_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A one-layer image served behind a token server that wants user:pass.
class RegistryClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    layer_.resize(3u << 20);  // several 1 MiB chunks
    for (std::size_t i = 0; i < layer_.size(); ++i) layer_[i] = static_cast<char>(i * 7 % 251);
    layer_digest_ = core::sha256_digest(layer_);
    config_ =
        nlohmann::json{
            {"architecture", "amd64"},
            {"os", "linux"},
            {"rootfs", {{"type", "layers"}, {"diff_ids", {core::sha256_digest("uncompressed")}}}}}
            .dump();
    config_digest_ = core::sha256_digest(config_);
    server_ = std::make_unique<FakeServer>([this](const Request& r) { return handle(r); });
  }

  std::string manifest() const {
    return nlohmann::json{{"schemaVersion", 2},
                          {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                          {"config",
                           {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                            {"digest", config_digest_},
                            {"size", config_.size()}}},
                          {"layers",
                           {{{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                             {"digest", layer_digest_},
                             {"size", layer_.size() + layer_size_lie_}}}}}
        .dump();
  }

  Reply handle(const Request& r) {
    std::lock_guard lock(mu_);
    if (r.path.rfind("/token?", 0) == 0) {
      token_requests_.push_back(r);
      if (r.headers.count("authorization") == 0 ||
          r.headers.at("authorization") != "Basic " + detail::base64_encode("user:pass")) {
        return {401, {}, R"({"details":"bad credentials"})"};
      }
      return {200, {"Content-Type: application/json"}, R"({"token":"t0k"})"};
    }
    auto auth = r.headers.find("authorization");
    if (auth == r.headers.end() || auth->second != "Bearer t0k") {
      return {401,
              {"WWW-Authenticate: Bearer realm=\"http://" + server_host() +
               "/token\",service=\"fake\",scope=\"repository:team/app:pull\""},
              R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})"};
    }
    if (r.path.rfind("/v2/team/app/manifests/", 0) == 0) {
      std::string body = tampered_manifest_ ? manifest() + " " : manifest();
      return {200, {"Content-Type: application/vnd.oci.image.manifest.v1+json"}, body};
    }
    if (r.path == "/v2/team/app/blobs/" + config_digest_)
      return {200, {}, tampered_config_ ? config_ + " " : config_};
    if (r.path == "/v2/team/app/blobs/" + layer_digest_) return {200, {}, layer_};
    return {404, {}, R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]})"};
  }

  std::string server_host() const { return host_; }

  core::Result<std::unique_ptr<ImageSource>> open(const std::string& reference,
                                                  bool with_credentials = true) {
    host_ = server_->host();
    auto ref = RegistryRef::parse(host_ + "/" + reference);
    EXPECT_TRUE(ref.has_value());
    OpenOptions options;
    if (with_credentials) {
      options.username = "user";
      options.password = "pass";
    }
    options.docker_config = "/nonexistent/config.json";
    return open_registry_image(*ref, options);
  }

  std::mutex mu_;
  std::string layer_, layer_digest_, config_, config_digest_, host_;
  std::size_t layer_size_lie_ = 0;
  bool tampered_manifest_ = false, tampered_config_ = false;
  std::vector<Request> token_requests_;
  std::unique_ptr<FakeServer> server_;
};

TEST_F(RegistryClientTest, BearerTokenFlowAndChunkedLayer) {
  auto source = open("team/app:1");
  ASSERT_TRUE(source.has_value()) << source.error().to_string();
  const auto& meta = (*source)->meta();
  EXPECT_EQ(meta.manifest_digest, core::sha256_digest(manifest()));
  EXPECT_EQ(meta.config_digest, config_digest_);
  EXPECT_EQ(meta.platform.to_string(), "linux/amd64");
  ASSERT_EQ(meta.layers.size(), 1u);
  {
    std::lock_guard lock(mu_);
    ASSERT_FALSE(token_requests_.empty());
    EXPECT_NE(token_requests_[0].path.find("service=fake"), std::string::npos);
    EXPECT_NE(token_requests_[0].path.find("scope=repository%3Ateam%2Fapp%3Apull"),
              std::string::npos);
  }
  auto stream = (*source)->open_layer(meta.layers[0]);
  ASSERT_TRUE(stream.has_value()) << stream.error().to_string();
  std::string got;
  std::size_t chunks = 0;
  while (true) {
    auto chunk = (*stream)->next();
    ASSERT_TRUE(chunk.has_value()) << chunk.error().to_string();
    if (chunk->empty()) break;
    ++chunks;
    got.append(reinterpret_cast<const char*>(chunk->data()), chunk->size());
  }
  EXPECT_EQ(got, layer_);
  EXPECT_GE(chunks, 3u);
}

TEST_F(RegistryClientTest, RejectedCredentialsAreReported) {
  auto source = open("team/app:1", /*with_credentials=*/false);
  ASSERT_FALSE(source.has_value());
  EXPECT_NE(source.error().message.find("token request: HTTP 401: bad credentials"),
            std::string::npos)
      << source.error().to_string();
}

TEST_F(RegistryClientTest, ManifestMustMatchTheRequestedDigest) {
  auto wanted = core::sha256_digest(manifest());
  tampered_manifest_ = true;
  auto source = open("team/app@" + wanted);
  ASSERT_FALSE(source.has_value());
  EXPECT_EQ(source.error().code, core::ErrorCode::kDigestMismatch);
  EXPECT_NE(source.error().message.find("not the requested " + wanted), std::string::npos)
      << source.error().message;
}

TEST_F(RegistryClientTest, ConfigMustMatchItsDigest) {
  tampered_config_ = true;
  auto source = open("team/app:1");
  ASSERT_FALSE(source.has_value());
  EXPECT_EQ(source.error().code, core::ErrorCode::kDigestMismatch);
  EXPECT_NE(source.error().message.find("the manifest says " + config_digest_), std::string::npos);
}

TEST_F(RegistryClientTest, ShortBlobSurfacesFromNext) {
  layer_size_lie_ = 10;  // the manifest promises 10 bytes more than the registry sends
  auto source = open("team/app:1");
  ASSERT_TRUE(source.has_value()) << source.error().to_string();
  auto stream = (*source)->open_layer((*source)->meta().layers[0]);
  ASSERT_TRUE(stream.has_value());
  core::Result<std::span<const unsigned char>> chunk = std::span<const unsigned char>();
  do {
    chunk = (*stream)->next();
  } while (chunk.has_value() && !chunk->empty());
  ASSERT_FALSE(chunk.has_value()) << "a short blob must not end cleanly";
  EXPECT_NE(chunk.error().message.find("truncated"), std::string::npos)
      << chunk.error().to_string();
}

TEST_F(RegistryClientTest, AbandonedStreamDoesNotHang) {
  auto source = open("team/app:1");
  ASSERT_TRUE(source.has_value()) << source.error().to_string();
  auto stream = (*source)->open_layer((*source)->meta().layers[0]);
  ASSERT_TRUE(stream.has_value());
  auto first = (*stream)->next();
  ASSERT_TRUE(first.has_value());
  stream->reset();  // the destructor cancels the producer and joins it
}

}  // namespace
}  // namespace mtr::oci
