#include "inventory/lang/detail/common.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

namespace mtr::inventory::lang::detail {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Maximum nesting of arrays and objects, ignoring brackets inside strings. Returns the offset
// where kMaxJsonDepth is first exceeded, or npos.
std::size_t find_too_deep(std::string_view content) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const char c = content[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

bool iends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dirname(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::uint64_t line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::uint64_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

core::Result<nlohmann::json> parse_json(std::string_view content, std::string_view file) {
  if (const auto deep = find_too_deep(content); deep != std::string_view::npos) {
    return core::fail(core::ErrorCode::kLimitExceeded,
                      fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth),
                      core::Location{std::string(file), line_of(content, deep), 0, {}});
  }
  // The throwing overload is used only to learn where the error is; the exception is caught
  // here and never leaves this function.
  try {
    return nlohmann::json::parse(content.begin(), content.end());
  } catch (const nlohmann::json::parse_error& e) {
    const auto offset = e.byte > 0 ? static_cast<std::size_t>(e.byte - 1) : 0;
    return core::fail(core::ErrorCode::kInvalidInput, fmt::format("malformed JSON: {}", e.what()),
                      core::Location{std::string(file), line_of(content, offset), 0, {}});
  } catch (const nlohmann::json::exception& e) {
    return core::fail(core::ErrorCode::kInvalidInput, fmt::format("malformed JSON: {}", e.what()),
                      core::Location{std::string(file), 0, 0, {}});
  }
}

std::string json_string(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

Package make_package(std::string name, std::string version, std::string_view ecosystem,
                     std::string_view found_in, std::string_view cataloger) {
  Package p;
  p.name = std::move(name);
  p.version = std::move(version);
  p.ecosystem = std::string(ecosystem);
  p.found_in = std::string(found_in);
  p.cataloger = std::string(cataloger);
  return p;
}

std::pair<std::string, std::string> split_namespace(std::string_view full_name) {
  const auto slash = full_name.rfind('/');
  if (slash == std::string_view::npos) return {std::string(), std::string(full_name)};
  return {std::string(full_name.substr(0, slash)), std::string(full_name.substr(slash + 1))};
}

void dedupe(std::vector<Package>& packages) {
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::vector<Package> kept;
  kept.reserve(packages.size());
  for (auto& p : packages) {
    if (seen.emplace(p.purl_namespace, p.name, p.version).second) kept.push_back(std::move(p));
  }
  packages = std::move(kept);
}

}  // namespace mtr::inventory::lang::detail
