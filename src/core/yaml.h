// Reading user-written YAML (ignore files, secret configs) with errors that name the file and
// line: a parse that never throws past the call, and typed reads of scalars and string lists.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mtr::core {

// 1-based line of a node (0 when yaml-cpp does not know it).
std::uint64_t yaml_line(const YAML::Node& node);
// An kInvalidInput error at origin:line.
Error yaml_error(std::string_view origin, std::uint64_t line, std::string message);
// Parses one document; a syntax error becomes "origin:line: invalid YAML: …".
Result<YAML::Node> yaml_load(std::string_view text, std::string_view origin);
// A scalar as text; an error naming `key` when the node is a list or a map.
Result<std::string> yaml_string(const YAML::Node& node, std::string_view key,
                                std::string_view origin);
// A list of scalars (a lone scalar is a list of one; null is empty).
Result<std::vector<std::string>> yaml_strings(const YAML::Node& node, std::string_view key,
                                              std::string_view origin);

}  // namespace mtr::core
