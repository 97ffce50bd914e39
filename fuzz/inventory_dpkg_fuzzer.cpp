// Fuzzes the dpkg status parser (status and status.d) and the DEP-5 license reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inventory/os/os_catalogers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)mtr::inventory::os::parse_dpkg_status("/var/lib/dpkg/status", content);
  (void)mtr::inventory::os::parse_dpkg_status("/var/lib/dpkg/status.d/base", content);
  (void)mtr::inventory::os::parse_dep5_licenses(content);
  return 0;
}
