// Fuzzes the OSV record parser (JSON and YAML).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)mtr::vulndb::parse_osv(content, "fuzz.json");
  (void)mtr::vulndb::detect_format(content, "fuzz.json");
  return 0;
}
