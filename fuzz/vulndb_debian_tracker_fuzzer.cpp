// Fuzzes the Debian security tracker JSON parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)mtr::vulndb::parse_debian_tracker(
      content, "fuzz.json", [](mtr::vulndb::Advisory&&) -> mtr::core::Status { return {}; });
  return 0;
}
