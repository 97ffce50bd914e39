#include "core/purl.h"

#include <fmt/format.h>

namespace mtr::core {

std::string purl_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == ':';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string Purl::to_string() const {
  std::string out = "pkg:" + type + "/";
  if (!namespace_.empty()) {
    std::string_view ns = namespace_;
    while (!ns.empty()) {
      auto slash = ns.find('/');
      auto segment = ns.substr(0, slash);
      if (!segment.empty()) out += purl_encode(segment) + "/";
      if (slash == std::string_view::npos) break;
      ns.remove_prefix(slash + 1);
    }
  }
  out += purl_encode(name);
  if (!version.empty()) out += "@" + purl_encode(version);
  bool first = true;
  for (const auto& [key, value] : qualifiers) {
    if (value.empty()) continue;
    out += first ? "?" : "&";
    first = false;
    out += key + "=" + purl_encode(value);
  }
  if (!subpath.empty()) out += "#" + subpath;
  return out;
}

}  // namespace mtr::core
