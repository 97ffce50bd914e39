// The docker:REF source: finds the image through the Engine API on the daemon's socket, then
// spools `GET /images/{ref}/get` (a docker-archive) into an unnamed temporary file and reads
// it with the docker-archive reader. Spooling keeps the layer reads random-access and parallel,
// and O_TMPFILE leaves nothing behind, even when we are killed.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/log.h"
#include "oci/detail/http.h"
#include "oci/docker_archive.h"
#include "oci/remote.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;

constexpr std::string_view kDefaultDockerHost = "unix:///var/run/docker.sock";
constexpr std::uint64_t kMaxInspectBytes = 4ull << 20;
constexpr std::uint64_t kMaxErrorBodyBytes = 4096;
constexpr std::uint64_t kMaxExportBytes = 256ull << 30;  // spooled export of one image
constexpr std::size_t kMaxReferenceLength = 512;

core::Location at_object(std::string object) {
  core::Location where;
  where.object = std::move(object);
  return where;
}

struct Daemon {
  std::string host;      // as configured, for messages
  std::string socket;    // unix socket path, or empty for tcp
  std::string base_url;  // "http://localhost" or "http://host:port"
};

core::Result<Daemon> resolve_daemon(const OpenOptions& options) {
  Daemon d;
  d.host = options.docker_host.empty() ? std::string(kDefaultDockerHost) : options.docker_host;
  if (d.host == kDefaultDockerHost) {
    if (const char* env = std::getenv("DOCKER_HOST"); env != nullptr && *env != '\0') d.host = env;
  }
  std::string_view h = d.host;
  if (h.rfind("unix://", 0) == 0) {
    d.socket = std::string(h.substr(7));
    if (d.socket.empty())
      return core::fail(ErrorCode::kUsage, fmt::format("Docker host '{}' names no socket", d.host));
    // The host part is ignored on a unix socket; the API wants one all the same.
    d.base_url = "http://localhost";
    return d;
  }
  if (h.rfind("tcp://", 0) == 0) {
    d.base_url = "http://" + std::string(h.substr(6));
    while (!d.base_url.empty() && d.base_url.back() == '/') d.base_url.pop_back();
    return d;
  }
  return core::fail(
      ErrorCode::kUnsupported,
      fmt::format("Docker host '{}': only unix:// sockets and plain tcp:// are supported", d.host));
}

core::Status validate_reference(std::string_view ref) {
  if (ref.empty())
    return core::fail(ErrorCode::kUsage, "docker: needs an image reference (docker:debian:12)");
  if (ref.size() > kMaxReferenceLength) {
    return core::fail(ErrorCode::kUsage, fmt::format("docker: reference longer than {} characters",
                                                     kMaxReferenceLength));
  }
  for (char c : ref) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '?' || c == '#' || c == '%' || c == '\\') {
      return core::fail(ErrorCode::kUsage,
                        fmt::format("docker:{}: not a valid image reference", ref));
    }
  }
  if (ref.find("..") != std::string_view::npos || ref.front() == '/' || ref.back() == '/') {
    return core::fail(ErrorCode::kUsage,
                      fmt::format("docker:{}: not a valid image reference", ref));
  }
  return core::Ok{};
}

// The Engine API's {"message": "..."} error body, sanitised.
std::string api_message(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string text = body.empty() ? "" : std::string(body);
  if (doc.is_object()) {
    if (auto m = doc.find("message"); m != doc.end() && m->is_string())
      text = m->get<std::string>();
  }
  std::string out;
  for (char c : text) {
    if (out.size() >= 300) break;
    out.push_back(c >= 0x20 && c < 0x7f ? c : ' ');
  }
  return out;
}

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

core::Result<int> open_unnamed_temp_file() {
  const char* env = std::getenv("TMPDIR");
  std::string dir = env != nullptr && *env != '\0' ? env : "/tmp";
  int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  int saved = errno;
  if (saved != EOPNOTSUPP && saved != EISDIR && saved != EINVAL) {
    return core::fail(ErrorCode::kIo, fmt::format("cannot create a temporary file in {}: {}", dir,
                                                  std::strerror(saved)));
  }
  // File systems without O_TMPFILE: a named file unlinked at once.
  std::string name = dir + "/matryoshka-docker-XXXXXX";
  fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    return core::fail(ErrorCode::kIo, fmt::format("cannot create a temporary file in {}: {}", dir,
                                                  std::strerror(errno)));
  }
  unlink(name.c_str());
  return fd;
}

core::Status write_all(int fd, std::span<const unsigned char> bytes) {
  while (!bytes.empty()) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::fail(ErrorCode::kIo, fmt::format("writing the temporary copy of the image: {}",
                                                    std::strerror(errno)));
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return core::Ok{};
}

}  // namespace

core::Result<std::unique_ptr<ImageSource>> open_docker_daemon_image(std::string_view ref,
                                                                    const OpenOptions& options) {
  MTR_TRY_STATUS(validate_reference(ref));
  auto daemon = MTR_TRY(resolve_daemon(options));
  std::string escaped = detail::url_escape(ref, ":/@");

  detail::HttpRequest inspect;
  inspect.url = daemon.base_url + "/images/" + escaped + "/json";
  inspect.unix_socket = daemon.socket;
  auto inspected = detail::http_get(inspect, kMaxInspectBytes);
  if (!inspected) {
    return core::fail(ErrorCode::kIo, fmt::format("cannot reach the Docker daemon at {}: {}",
                                                  daemon.host, inspected.error().message));
  }
  if (inspected->status == 404) {
    return core::fail(
        ErrorCode::kNotFound,
        fmt::format("image '{}' not found in the Docker daemon at {}", ref, daemon.host));
  }
  if (inspected->status != 200) {
    return core::fail(ErrorCode::kIo,
                      fmt::format("Docker daemon at {}: inspecting '{}': HTTP {}: {}", daemon.host,
                                  ref, inspected->status, api_message(inspected->body)));
  }
  auto info = nlohmann::json::parse(inspected->body, nullptr, /*allow_exceptions=*/false);
  std::string image_id;
  if (info.is_object()) {
    if (auto id = info.find("Id"); id != info.end() && id->is_string())
      image_id = id->get<std::string>();
  }
  if (image_id.empty()) {
    return core::fail(
        ErrorCode::kInvalidInput,
        fmt::format("Docker daemon at {}: the inspection of '{}' has no \"Id\"", daemon.host, ref),
        at_object(inspect.url));
  }

  UniqueFd spool(MTR_TRY(open_unnamed_temp_file()));
  detail::HttpRequest get;
  get.url = daemon.base_url + "/images/" + escaped + "/get";
  get.unix_socket = daemon.socket;
  std::uint64_t written = 0;
  auto on_response = [](const detail::HttpResponse& head) { return head.status == 200; };
  auto on_data = [&](std::span<const unsigned char> bytes) -> core::Status {
    written += bytes.size();
    if (written > kMaxExportBytes) {
      return core::fail(ErrorCode::kLimitExceeded,
                        fmt::format("the export of '{}' from the Docker daemon exceeds {} bytes",
                                    ref, kMaxExportBytes));
    }
    return write_all(spool.get(), bytes);
  };
  auto exported = detail::http_get_stream(get, on_response, on_data, kMaxErrorBodyBytes);
  if (!exported) {
    return core::unexpected(std::move(exported).error().with_context(
        fmt::format("exporting '{}' from the Docker daemon at {}", ref, daemon.host)));
  }
  if (exported->status != 200) {
    return core::fail(ErrorCode::kIo,
                      fmt::format("Docker daemon at {}: exporting '{}': HTTP {}: {}", daemon.host,
                                  ref, exported->status, api_message(exported->body)));
  }
  if (lseek(spool.get(), 0, SEEK_SET) != 0) {
    return core::fail(ErrorCode::kIo, fmt::format("rewinding the temporary copy of '{}': {}", ref,
                                                  std::strerror(errno)));
  }
  MTR_LOG_DEBUG("docker:{}: spooled {} bytes of docker-archive", ref, written);
  auto source =
      MTR_TRY(open_docker_archive_fd(spool.release(), fmt::format("docker:{}", ref), "", options));
  // The reference may have moved to another image between the two requests.
  if (source->meta().config_digest != image_id) {
    return core::fail(ErrorCode::kIo,
                      fmt::format("docker:{}: the image changed while it was exported ({} then {})",
                                  ref, image_id, source->meta().config_digest));
  }
  return source;
}

}  // namespace mtr::oci
