// The registry image source: the OCI distribution API over libcurl, with Docker's token
// authentication. Manifests and configs are small and read whole (bounded, digest-checked);
// layer blobs stream through a producer thread into a bounded queue of chunks.
#include <fmt/format.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "core/hash.h"
#include "core/log.h"
#include "core/progress.h"
#include "oci/detail/http.h"
#include "oci/detail/http_auth.h"
#include "oci/manifest.h"
#include "oci/remote.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;
using detail::HttpResponse;

constexpr std::uint64_t kMaxConfigBytes = 32ull << 20;  // image configs with long histories
constexpr std::uint64_t kMaxTokenResponseBytes = 1ull << 20;
constexpr std::uint64_t kMaxErrorBodyBytes = 4096;  // kept from error responses for messages
constexpr std::size_t kBlobChunkBytes = 1u << 20;
constexpr std::size_t kMaxQueuedChunks = 8;    // × kBlobChunkBytes in flight per layer
constexpr std::size_t kMaxMessageChars = 300;  // of server text quoted in errors

const std::string kManifestAccept = fmt::format("Accept: {}, {}, {}, {}", kOciIndex, kOciManifest,
                                                kDockerManifestList, kDockerManifest);

core::Location at_object(std::string object) {
  core::Location where;
  where.object = std::move(object);
  return where;
}

// Server text is untrusted: printable ASCII only, bounded.
std::string sanitize(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= kMaxMessageChars) {
      out += "…";
      break;
    }
    out.push_back(c >= 0x20 && c < 0x7f ? c : ' ');
  }
  return out;
}

// "MANIFEST_UNKNOWN: manifest unknown" from a distribution-spec error body, if it is one.
std::string describe_error_body(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    auto errors = doc.find("errors");
    if (errors != doc.end() && errors->is_array() && !errors->empty() && (*errors)[0].is_object()) {
      const auto& e = (*errors)[0];
      std::string code =
          e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
      std::string message =
          e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
      return sanitize(code.empty() ? message : code + ": " + message);
    }
    if (auto d = doc.find("details"); d != doc.end() && d->is_string())
      return sanitize(d->get<std::string>());
    if (auto m = doc.find("message"); m != doc.end() && m->is_string())
      return sanitize(m->get<std::string>());
  }
  return sanitize(body);
}

core::Error status_error(const HttpResponse& response, std::string_view what,
                         std::string_view url) {
  std::string detail = describe_error_body(response.body);
  std::string message =
      fmt::format("{}: HTTP {}{}{}", what, response.status, detail.empty() ? "" : ": ", detail);
  ErrorCode code = ErrorCode::kIo;
  if (response.status == 404) code = ErrorCode::kNotFound;
  if (response.status == 401 || response.status == 403) {
    message +=
        " (the repository does not exist or needs credentials: --username/--password or docker "
        "login)";
  }
  return core::make_error(code, std::move(message), at_object(detail::redact_url(url)));
}

class RegistryClient {
 public:
  RegistryClient(RegistryRef ref, const OpenOptions& options)
      : ref_(std::move(ref)), insecure_(options.insecure) {
    sources_.username = options.username;
    sources_.password = options.password;
    sources_.docker_config = options.docker_config;
    if (const char* dir = std::getenv("DOCKER_CONFIG")) sources_.docker_config_dir = dir;
    if (const char* home = std::getenv("HOME")) sources_.home = home;
  }

  const RegistryRef& ref() const { return ref_; }
  std::string repo_path() const { return "/v2/" + ref_.repository; }

  // GET with the body kept whole (at most max_body bytes).
  core::Result<HttpResponse> get(const std::string& path, const std::vector<std::string>& headers,
                                 std::uint64_t max_body) {
    return with_auth(path, headers, [&](const detail::HttpRequest& req) {
      return detail::http_get(req, max_body);
    });
  }

  // GET streaming a 200 body to on_data; other statuses keep a bounded body for the message.
  core::Result<HttpResponse> stream(const std::string& path, const detail::DataCallback& on_data) {
    auto on_response = [](const HttpResponse& head) { return head.status == 200; };
    return with_auth(path, {}, [&](const detail::HttpRequest& req) {
      return detail::http_get_stream(req, on_response, on_data, kMaxErrorBodyBytes);
    });
  }

  std::string url(const std::string& path) {
    std::lock_guard lock(mu_);
    return (scheme_.empty() ? "https" : scheme_) + "://" + ref_.host + path;
  }

 private:
  bool plain_http_allowed() const { return insecure_ || ref_.is_loopback(); }

  detail::HttpRequest make_request(const std::string& scheme, const std::string& path,
                                   const std::vector<std::string>& headers) {
    detail::HttpRequest req;
    req.url = scheme + "://" + ref_.host + path;
    req.headers = headers;
    req.follow_redirects = true;
    req.verify_tls = !insecure_;
    std::lock_guard lock(mu_);
    if (!authorization_.empty()) req.headers.push_back("Authorization: " + authorization_);
    return req;
  }

  template <typename Perform>
  core::Result<HttpResponse> with_auth(const std::string& path,
                                       const std::vector<std::string>& headers,
                                       const Perform& perform) {
    std::string scheme;
    {
      std::lock_guard lock(mu_);
      scheme = scheme_;
    }
    bool authenticated = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
      core::Result<HttpResponse> response = core::fail(ErrorCode::kInternal, "no request made");
      if (scheme.empty()) {
        // First contact: HTTPS, falling back to plain HTTP only where that is acceptable.
        response = perform(make_request("https", path, headers));
        if (response) {
          scheme = "https";
        } else if (response.error().code == ErrorCode::kIo && plain_http_allowed()) {
          MTR_LOG_DEBUG("{}: HTTPS failed ({}); trying plain HTTP", ref_.host,
                        response.error().to_string());
          auto plain = perform(make_request("http", path, headers));
          if (!plain) return core::unexpected(std::move(response).error());
          response = std::move(plain);
          scheme = "http";
        }
        if (response) {
          std::lock_guard lock(mu_);
          scheme_ = scheme;
        }
      } else {
        response = perform(make_request(scheme, path, headers));
      }
      if (!response) return response;
      if (response->status == 401 && !authenticated && attempt == 0) {
        MTR_TRY_STATUS(authenticate(*response, scheme + "://" + ref_.host + path));
        authenticated = true;
        continue;
      }
      return response;
    }
    return core::fail(ErrorCode::kInternal, "authentication loop ended without a response");
  }

  core::Result<std::optional<detail::Credentials>> credentials() {
    std::lock_guard lock(mu_);
    if (!credentials_loaded_) {
      credentials_loaded_ = true;
      auto lookup = detail::find_credentials(ref_.host, sources_);
      if (!lookup) {
        // A broken config.json should not stop anonymous pulls of public images.
        MTR_LOG_WARN("ignoring registry credentials: {}", lookup.error().to_string());
      } else {
        for (const auto& w : lookup->warnings) MTR_LOG_WARN("{}", w);
        credentials_ = lookup->credentials;
        if (credentials_) MTR_LOG_DEBUG("{}: using credentials from {}", ref_.host, lookup->origin);
      }
    }
    return credentials_;
  }

  core::Status authenticate(const HttpResponse& unauthorized, const std::string& url) {
    auto values = unauthorized.header_values("www-authenticate");
    if (values.empty()) {
      return core::fail(ErrorCode::kIo, "HTTP 401 without a WWW-Authenticate challenge",
                        at_object(url));
    }
    std::vector<detail::AuthChallenge> challenges;
    for (const auto& v : values) {
      auto parsed = detail::parse_www_authenticate(v);
      if (!parsed) return core::unexpected(std::move(parsed).error().at(at_object(url)));
      for (auto& c : *parsed) challenges.push_back(std::move(c));
    }
    auto creds = MTR_TRY(credentials());
    for (const auto& c : challenges) {
      if (c.scheme == "bearer") return fetch_token(c, creds, url);
    }
    for (const auto& c : challenges) {
      if (c.scheme != "basic") continue;
      if (!creds) {
        return core::fail(
            ErrorCode::kIo,
            fmt::format("registry {} requires credentials (--username/--password or docker login)",
                        ref_.host),
            at_object(url));
      }
      std::lock_guard lock(mu_);
      authorization_ = "Basic " + detail::base64_encode(creds->username + ":" + creds->password);
      return core::Ok{};
    }
    return core::fail(
        ErrorCode::kUnsupported,
        fmt::format("unsupported authentication scheme '{}'", sanitize(challenges.front().scheme)),
        at_object(url));
  }

  core::Status fetch_token(const detail::AuthChallenge& challenge,
                           const std::optional<detail::Credentials>& creds,
                           const std::string& url) {
    auto realm_it = challenge.params.find("realm");
    if (realm_it == challenge.params.end() || realm_it->second.empty()) {
      return core::fail(ErrorCode::kInvalidInput, "Bearer challenge without a realm",
                        at_object(url));
    }
    const std::string& realm = realm_it->second;
    bool https = realm.rfind("https://", 0) == 0;
    if (!https && realm.rfind("http://", 0) != 0) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("Bearer realm '{}' is not an HTTP(S) URL", sanitize(realm)),
                        at_object(url));
    }
    detail::HttpRequest req;
    req.url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
    if (auto s = challenge.params.find("service"); s != challenge.params.end()) {
      req.url += "service=" + detail::url_escape(s->second) + "&";
    }
    auto scope = challenge.params.find("scope");
    std::string wanted_scope =
        scope != challenge.params.end() ? scope->second : "repository:" + ref_.repository + ":pull";
    req.url += "scope=" + detail::url_escape(wanted_scope);
    req.follow_redirects = true;
    req.verify_tls = !insecure_;
    // Credentials never travel in clear text to a non-local token server.
    if (creds && (https || plain_http_allowed())) {
      req.basic_user = creds->username;
      req.basic_password = creds->password;
    }
    auto response = MTR_TRY(detail::http_get(req, kMaxTokenResponseBytes));
    if (response.status != 200)
      return core::unexpected(status_error(response, "token request", req.url));
    auto doc = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    std::string token;
    if (doc.is_object()) {
      for (const char* key : {"token", "access_token"}) {
        if (auto it = doc.find(key);
            it != doc.end() && it->is_string() && !it->get<std::string>().empty()) {
          token = it->get<std::string>();
          break;
        }
      }
    }
    if (token.empty()) {
      return core::fail(ErrorCode::kInvalidInput,
                        "token response has no \"token\" or \"access_token\" string",
                        at_object(detail::redact_url(req.url)));
    }
    for (char c : token) {
      if (c < 0x21 || c > 0x7e) {
        return core::fail(ErrorCode::kInvalidInput,
                          "token contains characters not allowed in a header",
                          at_object(detail::redact_url(req.url)));
      }
    }
    std::lock_guard lock(mu_);
    authorization_ = "Bearer " + token;
    return core::Ok{};
  }

  RegistryRef ref_;
  bool insecure_;
  detail::CredentialSources sources_;
  std::mutex mu_;
  std::string scheme_;         // "https" or "http" once the registry answered
  std::string authorization_;  // current Authorization header value
  bool credentials_loaded_ = false;
  std::optional<detail::Credentials> credentials_;
};

struct FetchedManifest {
  std::string body;
  std::string digest;
  std::string media_type;
  nlohmann::json doc;
};

core::Result<FetchedManifest> fetch_manifest(RegistryClient& client, const std::string& reference,
                                             const std::string& expected_digest,
                                             std::uint64_t max_bytes) {
  std::string path = client.repo_path() + "/manifests/" + reference;
  std::string url = client.url(path);
  std::string what = fmt::format("manifest {}/{}{}{}", client.ref().host, client.ref().repository,
                                 reference.rfind("sha256:", 0) == 0 ? "@" : ":", reference);
  auto response = MTR_TRY(client.get(path, {kManifestAccept}, max_bytes));
  if (response.status != 200) return core::unexpected(status_error(response, what, url));
  FetchedManifest m;
  m.digest = core::sha256_digest(response.body);
  if (!expected_digest.empty() && m.digest != expected_digest) {
    return core::fail(ErrorCode::kDigestMismatch,
                      fmt::format("{}: content has digest {}, not the requested {}", what, m.digest,
                                  expected_digest),
                      at_object(url));
  }
  std::string header_digest = response.header("docker-content-digest");
  if (header_digest.rfind("sha256:", 0) == 0 && header_digest != m.digest) {
    return core::fail(ErrorCode::kDigestMismatch,
                      fmt::format("{}: content has digest {} but the registry says {}", what,
                                  m.digest, sanitize(header_digest)),
                      at_object(url));
  }
  m.doc = MTR_TRY(parse_json_document(response.body, what));
  if (auto mt = m.doc.find("mediaType"); mt != m.doc.end() && mt->is_string()) {
    m.media_type = mt->get<std::string>();
  } else {
    std::string content_type = response.header("content-type");
    m.media_type = content_type.substr(0, content_type.find(';'));
  }
  if (auto v = m.doc.find("schemaVersion"); v != m.doc.end() && *v == 1) {
    return core::fail(
        ErrorCode::kUnsupported,
        fmt::format("{}: Docker schema 1 manifests are not supported (re-push the image)", what),
        at_object(url));
  }
  // Media types are optional in OCI documents: the shape decides.
  if (m.media_type.empty() ||
      (!is_index_media_type(m.media_type) && !is_manifest_media_type(m.media_type))) {
    if (m.doc.contains("manifests"))
      m.media_type = std::string(kOciIndex);
    else if (m.doc.contains("config") && m.doc.contains("layers"))
      m.media_type = std::string(kOciManifest);
    else
      return core::fail(ErrorCode::kUnsupported,
                        fmt::format("{}: unknown media type '{}'", what, sanitize(m.media_type)),
                        at_object(url));
  }
  m.body = std::move(response.body);
  return m;
}

// A layer blob downloading on its own thread; next() hands out 1 MiB chunks as they arrive.
class RegistryBlobStream final : public BlobStream {
 public:
  RegistryBlobStream(std::shared_ptr<RegistryClient> client, Descriptor blob)
      : client_(std::move(client)), blob_(std::move(blob)) {
    producer_ = std::thread([this] { run(); });
  }
  ~RegistryBlobStream() override {
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
    producer_.join();
  }
  RegistryBlobStream(const RegistryBlobStream&) = delete;
  RegistryBlobStream& operator=(const RegistryBlobStream&) = delete;

  core::Result<std::span<const unsigned char>> next() override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !queue_.empty() || finished_; });
    if (!queue_.empty()) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      cv_.notify_all();
      return std::span<const unsigned char>(current_);
    }
    if (error_) return core::unexpected(*error_);
    return std::span<const unsigned char>();
  }

 private:
  core::Status push(std::vector<unsigned char>&& chunk) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.size() < kMaxQueuedChunks || cancelled_; });
    if (cancelled_) return core::fail(ErrorCode::kIo, "download cancelled");
    queue_.push_back(std::move(chunk));
    cv_.notify_all();
    return core::Ok{};
  }

  void run() {
    std::string path = client_->repo_path() + "/blobs/" + blob_.digest;
    std::string url = client_->url(path);
    std::vector<unsigned char> chunk;
    chunk.reserve(kBlobChunkBytes);
    std::uint64_t received = 0;
    auto on_data = [&](std::span<const unsigned char> bytes) -> core::Status {
      received += bytes.size();
      if (blob_.size >= 0 && received > static_cast<std::uint64_t>(blob_.size)) {
        return core::fail(ErrorCode::kInvalidInput,
                          fmt::format("blob {} is longer than the {} bytes its descriptor says",
                                      blob_.digest, blob_.size),
                          at_object(url));
      }
      while (!bytes.empty()) {
        std::size_t take = std::min(bytes.size(), kBlobChunkBytes - chunk.size());
        chunk.insert(chunk.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
        bytes = bytes.subspan(take);
        if (chunk.size() == kBlobChunkBytes) {
          MTR_TRY_STATUS(push(std::move(chunk)));
          chunk = {};
          chunk.reserve(kBlobChunkBytes);
        }
      }
      return core::Ok{};
    };
    std::optional<core::Error> error;
    auto response = client_->stream(path, on_data);
    if (!response) {
      error = std::move(response).error().with_context(
          fmt::format("downloading blob {}", blob_.digest));
    } else if (response->status != 200) {
      error = status_error(*response, fmt::format("blob {}", blob_.digest), url);
    } else if (blob_.size >= 0 && received != static_cast<std::uint64_t>(blob_.size)) {
      error = core::make_error(ErrorCode::kIo,
                               fmt::format("blob {} truncated: received {} of {} bytes",
                                           blob_.digest, received, blob_.size),
                               at_object(url));
    } else if (!chunk.empty()) {
      if (auto st = push(std::move(chunk)); !st) error = std::move(st).error();
    }
    std::lock_guard lock(mu_);
    if (error) error_ = std::move(error);
    finished_ = true;
    cv_.notify_all();
  }

  std::shared_ptr<RegistryClient> client_;
  Descriptor blob_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<unsigned char>> queue_;
  std::vector<unsigned char> current_;  // the chunk next() returned last; its span stays valid
  bool finished_ = false;
  bool cancelled_ = false;
  std::optional<core::Error> error_;
  std::thread producer_;  // last: started after every other member exists
};

class RegistryImageSource final : public ImageSource {
 public:
  RegistryImageSource(std::shared_ptr<RegistryClient> client, ImageMeta meta,
                      core::Progress* progress)
      : client_(std::move(client)), meta_(std::move(meta)), progress_(progress) {}
  const ImageMeta& meta() const override { return meta_; }
  core::Result<std::unique_ptr<BlobStream>> open_layer(const LayerRef& layer) override {
    if (auto st = core::validate_digest(layer.blob.digest); !st) {
      return core::unexpected(
          std::move(st).error().with_context(fmt::format("layer {}", layer.index)));
    }
    // Only the total: the layer reader advances the bar as compressed bytes pass.
    if (progress_ != nullptr && layer.blob.size > 0)
      progress_->add_total(static_cast<std::uint64_t>(layer.blob.size));
    return std::unique_ptr<BlobStream>(std::make_unique<RegistryBlobStream>(client_, layer.blob));
  }

 private:
  std::shared_ptr<RegistryClient> client_;
  ImageMeta meta_;
  core::Progress* progress_;
};

}  // namespace

core::Result<std::unique_ptr<ImageSource>> open_registry_image(const RegistryRef& ref,
                                                               const OpenOptions& options) {
  auto client = std::make_shared<RegistryClient>(ref, options);
  auto top =
      MTR_TRY(fetch_manifest(*client, ref.reference(), ref.digest, options.max_manifest_bytes));
  FetchedManifest chosen = std::move(top);
  std::string what = fmt::format("manifest {}", ref.to_string());
  if (is_index_media_type(chosen.media_type)) {
    auto manifests = MTR_TRY(parse_index(chosen.doc, what));
    auto descriptor = MTR_TRY(select_platform(manifests, options.platform, what));
    MTR_LOG_DEBUG("{}: index {} → {} for {}", ref.to_string(), chosen.digest, descriptor.digest,
                  descriptor.platform ? descriptor.platform->to_string() : "its only image");
    chosen = MTR_TRY(
        fetch_manifest(*client, descriptor.digest, descriptor.digest, options.max_manifest_bytes));
    if (is_index_media_type(chosen.media_type)) {
      return core::fail(ErrorCode::kUnsupported,
                        fmt::format("{}: nested image indexes are not supported", what));
    }
    what = fmt::format("manifest {}", chosen.digest);
  }
  auto manifest = MTR_TRY(parse_manifest(chosen.doc, what));

  // The config: small, read whole, verified.
  const Descriptor& config_desc = manifest.config;
  if (config_desc.size > static_cast<std::int64_t>(kMaxConfigBytes)) {
    return core::fail(ErrorCode::kLimitExceeded,
                      fmt::format("{}: config {} is {} bytes, more than the {} allowed", what,
                                  config_desc.digest, config_desc.size, kMaxConfigBytes));
  }
  std::string config_path = client->repo_path() + "/blobs/" + config_desc.digest;
  std::string config_url = client->url(config_path);
  auto config_response = MTR_TRY(client->get(config_path, {}, kMaxConfigBytes));
  if (config_response.status != 200) {
    return core::unexpected(
        status_error(config_response, fmt::format("config {}", config_desc.digest), config_url));
  }
  if (std::string actual = core::sha256_digest(config_response.body);
      actual != config_desc.digest) {
    return core::fail(
        ErrorCode::kDigestMismatch,
        fmt::format("config blob has digest {}, the manifest says {}", actual, config_desc.digest),
        at_object(config_url));
  }
  std::string config_what = fmt::format("config {}", config_desc.digest);
  auto config = MTR_TRY(parse_json_document(config_response.body, config_what));

  ImageMeta meta;
  meta.source = ref.to_string();
  meta.name = ref.to_string();
  meta.manifest_digest = chosen.digest;
  meta.config_digest = config_desc.digest;
  meta.layers = MTR_TRY(pair_layers(config, manifest.layers, config_what));
  meta.platform = config_platform(config);
  meta.config = std::move(config);
  if (!ref.tag.empty()) meta.repo_tags.push_back(ref.host + "/" + ref.repository + ":" + ref.tag);
  return std::unique_ptr<ImageSource>(
      std::make_unique<RegistryImageSource>(std::move(client), std::move(meta), options.progress));
}

}  // namespace mtr::oci
