// Fuzzes the apk installed-database parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inventory/os/os_catalogers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)mtr::inventory::os::parse_apk_installed("/lib/apk/db/installed", content);
  return 0;
}
