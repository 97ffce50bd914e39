// Private helpers shared by the vulnerability-data parsers: reading JSON or YAML into one
// document model (nlohmann::json) with bounded nesting, and typed field access that never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "vulndb/advisory.h"
#include "vulndb/import.h"

namespace mtr::vulndb::detail {

// Nesting deeper than this is rejected before parsing: nlohmann and yaml-cpp recurse (or keep a
// stack) per level, and no real record nests more than ~8 levels.
inline constexpr std::size_t kMaxNestingDepth = 256;
// A YAML document may expand aliases; converting it to JSON stops after this many nodes per
// input byte (plus a floor), so "billion laughs" input cannot exhaust memory.
inline constexpr std::size_t kMaxYamlNodesPerByte = 4;

// The error every parser returns for malformed input, naming the origin and position.
core::Error invalid_input(std::string_view origin, std::string message, std::uint64_t line = 0,
                          std::uint64_t column = 0);

// Parses JSON text; nesting bounded by kMaxNestingDepth.
core::Result<nlohmann::json> parse_json_document(std::string_view text, std::string_view origin);
// Parses one YAML document into JSON; every scalar becomes a string (YAML would otherwise turn
// versions like 1.10 into numbers), null stays null.
core::Result<nlohmann::json> parse_yaml_document(std::string_view text, std::string_view origin);
// JSON when the first non-blank character is '{' or '[', YAML otherwise.
core::Result<nlohmann::json> parse_document(std::string_view text, std::string_view origin);
bool looks_like_json(std::string_view text);

// A string or number field as text; "" when absent or of another type.
std::string text_of(const nlohmann::json& value);
std::string text_field(const nlohmann::json& object, std::string_view key);
// The member, or nullptr when `object` is not an object or lacks it.
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);

// The parsers on an already-parsed document, so that read_advisories parses each file once.
// The Debian tracker parser moves strings out of `doc`.
core::Result<Advisory> osv_from_document(const nlohmann::json& doc, std::string_view origin);
core::Status debian_tracker_from_document(nlohmann::json& doc, std::string_view origin,
                                          const AdvisorySink& sink);
core::Status alpine_secdb_from_document(const nlohmann::json& doc, std::string_view origin,
                                        const AdvisorySink& sink);
// kAuto when the document is none of the formats.
Format detect_document(const nlohmann::json& doc);

}  // namespace mtr::vulndb::detail
