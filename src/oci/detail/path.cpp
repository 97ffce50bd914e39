#include "oci/detail/path.h"

#include <vector>

namespace mtr::oci::detail {
namespace {
// Joins components; `clamp` makes ".." at the root stay at the root (symlink semantics inside
// a chroot) instead of failing (tar entry names).
std::optional<std::string> normalize(std::string_view name, bool clamp) {
  std::vector<std::string_view> parts;
  while (!name.empty()) {
    auto slash = name.find('/');
    auto part = name.substr(0, slash);
    if (part == "..") {
      if (parts.empty()) {
        if (!clamp) return std::nullopt;
      } else {
        parts.pop_back();
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string_view::npos) break;
    name.remove_prefix(slash + 1);
  }
  std::string out;
  for (auto p : parts) {
    out += '/';
    out += p;
  }
  if (out.empty()) out = "/";
  return out;
}
}  // namespace

std::optional<std::string> normalize_path(std::string_view name) { return normalize(name, false); }

std::string_view parent_path(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string resolve_link_target(std::string_view link_path, std::string_view target) {
  std::string joined;
  if (!target.empty() && target.front() == '/') {
    joined = std::string(target);
  } else {
    joined = std::string(parent_path(link_path)) + "/" + std::string(target);
  }
  return *normalize(joined, true);
}

}  // namespace mtr::oci::detail
