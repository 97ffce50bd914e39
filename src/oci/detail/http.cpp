#include "oci/detail/http.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>

namespace mtr::oci::detail {
namespace {

using core::ErrorCode;

core::Location object_location(std::string object) {
  core::Location where;
  where.object = std::move(object);
  return where;
}

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return std::string(s);
}

// State shared with curl's callbacks during one transfer.
struct Transfer {
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse response;
  std::uint64_t header_bytes = 0;
  bool header_overflow = false;
  // Whole-body mode.
  std::uint64_t max_body = 0;
  bool body_overflow = false;
  // Streaming mode.
  const ResponseCallback* on_response = nullptr;
  const DataCallback* on_data = nullptr;
  bool head_delivered = false;
  bool deliver_body = true;
  std::optional<core::Error> callback_error;
};

void deliver_head(Transfer& t) {
  if (t.head_delivered) return;
  t.head_delivered = true;
  long code = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &code);
  t.response.status = code;
  if (t.on_response != nullptr) t.deliver_body = (*t.on_response)(t.response);
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  std::size_t n = size * count;
  t.header_bytes += n;
  if (t.header_bytes > t.request->limits.max_header_bytes) {
    t.header_overflow = true;
    return 0;
  }
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or a 100 Continue): forget the previous one's headers.
    t.response.headers.clear();
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  t.response.headers.emplace(trim(name), trim(line.substr(colon + 1)));
  return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  std::size_t n = size * count;
  if (t.on_data == nullptr) {
    if (t.response.body.size() + n > t.max_body) {
      t.body_overflow = true;
      return 0;
    }
    t.response.body.append(data, n);
    return n;
  }
  deliver_head(t);
  if (!t.deliver_body) {
    // An error response: keep its beginning for the message, drop the rest.
    std::size_t keep = t.response.body.size() < t.max_body
                           ? std::min<std::size_t>(n, t.max_body - t.response.body.size())
                           : 0;
    t.response.body.append(data, keep);
    return n;
  }
  auto status =
      (*t.on_data)(std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(data), n));
  if (!status) {
    t.callback_error = std::move(status).error();
    return 0;
  }
  return n;
}

core::Result<HttpResponse> perform(Transfer& t) {
  global_init_once();
  const HttpRequest& req = *t.request;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return core::fail(ErrorCode::kInternal, "curl_easy_init failed");
  t.curl = curl.get();
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& h : req.headers) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (next == nullptr) return core::fail(ErrorCode::kInternal, "curl_slist_append failed");
    static_cast<void>(headers.release());
    headers.reset(next);
  }
  char errbuf[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, req.limits.connect_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, req.limits.low_speed_bytes);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, req.limits.low_speed_seconds);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "matryoshka");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "identity");
  if (req.follow_redirects) {
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, req.limits.max_redirects);
    // Authorization headers stay with the registry host (curl's default); be explicit.
    curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
  }
  if (!req.verify_tls) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!req.unix_socket.empty())
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req.unix_socket.c_str());
  if (!req.basic_user.empty() || !req.basic_password.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, req.basic_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, req.basic_password.c_str());
  }
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);

  CURLcode rc = curl_easy_perform(c);
  std::string where = redact_url(req.url);
  if (t.callback_error) return core::unexpected(std::move(*t.callback_error));
  if (t.header_overflow) {
    return core::fail(ErrorCode::kLimitExceeded,
                      fmt::format("response headers exceed {} bytes", req.limits.max_header_bytes),
                      object_location(where));
  }
  if (t.body_overflow) {
    return core::fail(ErrorCode::kLimitExceeded,
                      fmt::format("response body exceeds {} bytes", t.max_body),
                      object_location(where));
  }
  if (rc != CURLE_OK) {
    std::string detail = errbuf[0] != '\0' ? std::string(errbuf) : curl_easy_strerror(rc);
    return core::fail(ErrorCode::kIo, fmt::format("request failed: {}", detail),
                      object_location(where));
  }
  if (t.on_data != nullptr) deliver_head(t);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  t.response.status = code;
  char* effective = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    t.response.effective_url = effective;
  }
  return std::move(t.response);
}

}  // namespace

std::string HttpResponse::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> HttpResponse::header_values(std::string_view lower_name) const {
  std::vector<std::string> out;
  auto [first, last] = headers.equal_range(std::string(lower_name));
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

core::Result<HttpResponse> http_get(const HttpRequest& request, std::uint64_t max_body) {
  Transfer t;
  t.request = &request;
  t.max_body = max_body;
  return perform(t);
}

core::Result<HttpResponse> http_get_stream(const HttpRequest& request,
                                           const ResponseCallback& on_response,
                                           const DataCallback& on_data,
                                           std::uint64_t max_error_body) {
  Transfer t;
  t.request = &request;
  t.max_body = max_error_body;
  t.on_response = &on_response;
  t.on_data = &on_data;
  return perform(t);
}

std::string url_escape(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || ch == '-' || ch == '.' || ch == '_' || ch == '~' ||
        keep.find(ch) != std::string_view::npos) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, q)) + "?…";
}

}  // namespace mtr::oci::detail
