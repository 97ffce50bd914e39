// The SPDX license and exception identifiers Matryoshka recognises (generated data, see the
// .cpp). Each list is sorted by ASCII-lowercase spelling so that look-ups can bisect.
#pragma once

#include <array>
#include <string_view>

namespace mtr::sbom::detail {

extern const std::array<std::string_view, 740> kSpdxLicenseIds;
extern const std::array<std::string_view, 86> kSpdxExceptionIds;

}  // namespace mtr::sbom::detail
