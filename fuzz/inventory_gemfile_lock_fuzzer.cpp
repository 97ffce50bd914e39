// libFuzzer target for the language cataloger behind make_gemfile_lock_cataloger(): arbitrary bytes
// must yield packages, a warning or an error, never a crash or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inventory/lang/lang.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto cataloger = mtr::inventory::lang::make_gemfile_lock_cataloger();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const mtr::inventory::FileMeta meta{"/app/Gemfile.lock", size, 0755};
  static_cast<void>(cataloger->analyze(meta, content));
  return 0;
}
