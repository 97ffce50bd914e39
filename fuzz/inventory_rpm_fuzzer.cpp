// Fuzzes the rpm database readers (Berkeley DB hash, NDB, SQLite, chosen by the content's
// magic) and the header-blob parser on its own.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inventory/os/os_catalogers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)mtr::inventory::os::parse_rpmdb("/var/lib/rpm/Packages", content);
  (void)mtr::inventory::os::parse_rpm_header(content);
  return 0;
}
