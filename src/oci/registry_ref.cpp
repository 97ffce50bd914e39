// RegistryRef: Docker's image reference grammar (distribution/reference), checked by hand
// because references come from users and manifests (no std::regex on untrusted input).
#include <fmt/format.h>

#include <cctype>

#include "core/hash.h"
#include "oci/remote.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;

constexpr std::size_t kMaxRepositoryLength = 255;
constexpr std::size_t kMaxTagLength = 128;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// path-component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
bool valid_path_component(std::string_view c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  for (std::size_t i = 0; i < c.size();) {
    if (is_lower_alnum(c[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < c.size() && !is_lower_alnum(c[i])) ++i;
    std::string_view sep = c.substr(start, i - start);
    bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (!(sep == "." || sep == "_" || sep == "__" || dashes)) return false;
  }
  return true;
}

// tag: [\w][\w.-]{0,127}
bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > kMaxTagLength) return false;
  auto word = [](char c) { return is_alnum(c) || c == '_'; };
  if (!word(t.front())) return false;
  for (char c : t) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// host: dns labels separated by '.', or [ipv6]; then an optional :port.
bool valid_host(std::string_view h) {
  std::string_view name = h;
  if (!h.empty() && h.front() == '[') {
    auto close = h.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : h.substr(1, close - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    name = {};
    h.remove_prefix(close + 1);
  } else {
    auto colon = h.find(':');
    name = h.substr(0, colon);
    h = colon == std::string_view::npos ? std::string_view() : h.substr(colon);
    if (name.empty()) return false;
    for (std::size_t start = 0; start <= name.size();) {
      auto dot = name.find('.', start);
      auto label =
          name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
      for (char c : label) {
        if (!is_alnum(c) && c != '-') return false;
      }
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  if (h.empty()) return true;
  if (h.front() != ':' || h.size() < 2 || h.size() > 6) return false;
  for (char c : h.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool looks_like_host(std::string_view first) {
  if (first.find_first_of(".:") != std::string_view::npos || first == "localhost") return true;
  for (char c : first) {
    if (std::isupper(static_cast<unsigned char>(c)) != 0) return true;
  }
  return false;
}

}  // namespace

core::Result<RegistryRef> RegistryRef::parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return core::fail(ErrorCode::kUsage,
                      fmt::format("invalid image reference '{}': {}", text, why));
  };
  if (text.empty()) return bad("empty");
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 ||
        std::iscntrl(static_cast<unsigned char>(c)) != 0) {
      return bad("contains white space or control characters");
    }
  }
  RegistryRef ref;
  std::string_view rest = text;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    std::string_view digest = rest.substr(at + 1);
    if (auto st = core::validate_digest(digest); !st) {
      return bad(fmt::format("digest '{}': {}", digest, st.error().message));
    }
    ref.digest = std::string(digest);
    rest = rest.substr(0, at);
  }
  auto slash = rest.find('/');
  if (slash != std::string_view::npos && looks_like_host(rest.substr(0, slash))) {
    std::string_view host = rest.substr(0, slash);
    if (!valid_host(host))
      return bad(fmt::format("'{}' is not a valid registry host[:port]", host));
    ref.host = std::string(host);
    rest.remove_prefix(slash + 1);
  } else {
    ref.host = std::string(kDockerHubRegistry);
  }
  if (ref.host == "docker.io" || ref.host == "index.docker.io")
    ref.host = std::string(kDockerHubRegistry);
  // A tag is after the last ':' that follows the last '/'.
  auto last_slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    std::string_view tag = rest.substr(colon + 1);
    if (!valid_tag(tag)) {
      return bad(fmt::format(
          "tag '{}' must be 1-{} of letters, digits, '_', '.', '-' and not start with '.' or '-'",
          tag, kMaxTagLength));
    }
    ref.tag = std::string(tag);
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad("no repository name");
  for (std::size_t start = 0;;) {
    auto next = rest.find('/', start);
    auto component =
        rest.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
    if (!valid_path_component(component)) {
      return bad(fmt::format(
          "repository component '{}' must be lower-case letters and digits, separated by "
          "'.', '_', '__' or dashes",
          component));
    }
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  ref.repository = std::string(rest);
  if (ref.host == kDockerHubRegistry && ref.repository.find('/') == std::string::npos) {
    ref.repository = "library/" + ref.repository;
  }
  if (ref.repository.size() > kMaxRepositoryLength) {
    return bad(fmt::format("repository name longer than {} characters", kMaxRepositoryLength));
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

std::string RegistryRef::to_string() const {
  std::string s = host + "/" + repository;
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

bool RegistryRef::is_loopback() const {
  std::string_view h = host;
  if (h.rfind("[::1]", 0) == 0) return true;
  h = h.substr(0, h.find(':'));
  return h == "localhost" || h == "127.0.0.1" || h.rfind("127.", 0) == 0;
}

}  // namespace mtr::oci
