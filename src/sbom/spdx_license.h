// SPDX license identifiers and license expressions: which license texts found in package
// databases may be written into an SBOM as SPDX ids or expressions, in canonical spelling.
// SBOM consumers reject unknown ids and malformed expressions, so anything not recognised
// here is written as a free-text name (CycloneDX) or NOASSERTION (SPDX) instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mtr::sbom {

// The canonical spelling of a known SPDX license id, matched case-insensitively as the SPDX
// specification asks ("mit" → "MIT"); nullopt for anything else (exceptions included).
std::optional<std::string_view> canonical_license_id(std::string_view text);

// The canonical spelling of a known SPDX license exception id ("Classpath-exception-2.0").
std::optional<std::string_view> canonical_exception_id(std::string_view text);

// Validates an SPDX 2.3 license expression (Annex D): known ids with an optional "+",
// LicenseRef-/DocumentRef- references, "WITH" exceptions, "AND"/"OR" (upper case) and
// parentheses. Returns it with canonical id spelling and single spaces, or nullopt when
// it is not a valid expression ("GPL-2+", "BSD", "MIT/X11", "Apache 2.0").
std::optional<std::string> normalize_license_expression(std::string_view text);

}  // namespace mtr::sbom
