// Helpers shared by the language-package catalogers: cheap path tests for `required`, text
// splitting, bounded JSON parsing with a located error, and Package construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/result.h"
#include "inventory/cataloger.h"
#include "inventory/package.h"

namespace mtr::inventory::lang::detail {

// Deeper JSON than this is refused before parsing: nlohmann's parser recurses per level, so a
// file of a million '[' would otherwise overflow the stack.
inline constexpr std::size_t kMaxJsonDepth = 128;

inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}
// ASCII case-insensitive suffix test (Python's EGG-INFO, DIST-INFO spellings).
bool iends_with(std::string_view s, std::string_view suffix);
bool iequals(std::string_view a, std::string_view b);

// "/a/b/c" → "c"; "/a/b/c" → "/a/b".
std::string_view basename(std::string_view path);
std::string_view dirname(std::string_view path);

std::string_view trim(std::string_view s);

// Splits on '\n' (a trailing '\r' is removed from each line).
std::vector<std::string_view> split_lines(std::string_view text);

// Parses JSON from untrusted bytes. Errors name `file` and the line/column of the problem.
core::Result<nlohmann::json> parse_json(std::string_view content, std::string_view file);

// The string at `key` of an object, or "" when absent or not a string.
std::string json_string(const nlohmann::json& object, std::string_view key);

Package make_package(std::string name, std::string version, std::string_view ecosystem,
                     std::string_view found_in, std::string_view cataloger);

// Splits "vendor/pkg" or "@scope/pkg" at the last '/' into (namespace, name).
std::pair<std::string, std::string> split_namespace(std::string_view full_name);

// Line number (1-based) of byte `offset` in `text`.
std::uint64_t line_of(std::string_view text, std::size_t offset);

// Removes exact (name, version, namespace) duplicates, keeping the first occurrence.
void dedupe(std::vector<Package>& packages);

}  // namespace mtr::inventory::lang::detail
