// Image paths: every name from a tar or a directory walk is normalised to an absolute path
// with no ".", "..", empty or trailing parts, so nothing can point outside the image root.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mtr::oci::detail {

// "./usr//bin/../lib/" → "/usr/lib". Returns nullopt when ".." would climb above the root.
std::optional<std::string> normalize_path(std::string_view name);

// "/a/b/c" → "/a/b"; "/a" → "/"; "/" → "/".
std::string_view parent_path(std::string_view path);

// Last component: "/a/b" → "b".
std::string_view base_name(std::string_view path);

// Resolves a symlink `target` found at `link_path` to a normalised absolute path inside the
// image root (absolute targets are relative to the root; ".." stops at the root).
std::string resolve_link_target(std::string_view link_path, std::string_view target);

}  // namespace mtr::oci::detail
