// A small libcurl wrapper for the remote image sources (registry, Docker daemon socket):
// GET requests with bounded bodies, or streamed bodies through a callback, and the response
// headers as untrusted data. Nothing here knows about registries or authentication.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mtr::oci::detail {

struct HttpLimits {
  long connect_timeout_seconds = 30;
  // A transfer slower than low_speed_bytes per second for low_speed_seconds is abandoned, so
  // a stalled server cannot hang a scan forever while big layers still download at any speed.
  long low_speed_bytes = 1;
  long low_speed_seconds = 120;
  long max_redirects = 10;
  std::uint64_t max_header_bytes = 256u << 10;  // all header lines of one response together
};

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string unix_socket;           // talk HTTP over this socket (Docker daemon)
  bool follow_redirects = false;
  bool verify_tls = true;
  // Basic credentials handed to curl (token endpoints); never sent on to another host.
  std::string basic_user, basic_password;
  HttpLimits limits;
};

struct HttpResponse {
  long status = 0;
  // Header names lower-cased. Repeated headers (WWW-Authenticate) keep every value in order.
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string effective_url;  // after redirects

  // The first value of a header, or empty.
  std::string header(std::string_view lower_name) const;
  std::vector<std::string> header_values(std::string_view lower_name) const;
};

// Performs a GET and keeps at most `max_body` bytes of body: a longer body is an error of
// kind kLimitExceeded naming the URL. Transport failures are kIo errors naming the URL.
// HTTP error statuses are not errors here: callers look at `status`.
core::Result<HttpResponse> http_get(const HttpRequest& request, std::uint64_t max_body);

// Performs a GET and hands the body to `on_data` as it arrives. `on_response` is called once
// with the final response's status and headers before any body byte; when it returns false,
// the body is not delivered (it is drained into `HttpResponse::body`, up to `max_error_body`,
// so the caller can report it). `on_data` returns an error to abort the transfer; that error
// is returned. The returned response carries status and headers (body only as said above).
using ResponseCallback = std::function<bool(const HttpResponse& head)>;
using DataCallback = std::function<core::Status(std::span<const unsigned char> bytes)>;
core::Result<HttpResponse> http_get_stream(const HttpRequest& request,
                                           const ResponseCallback& on_response,
                                           const DataCallback& on_data,
                                           std::uint64_t max_error_body);

// Percent-encodes everything but unreserved characters and those in `keep`.
std::string url_escape(std::string_view text, std::string_view keep = "");

// A URL without its query string (signed redirect URLs carry secrets in the query).
std::string redact_url(std::string_view url);

}  // namespace mtr::oci::detail
