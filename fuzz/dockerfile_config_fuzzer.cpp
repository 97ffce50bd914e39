// Fuzzes the lint configuration file (.matryoshka.yaml / .hadolint.yaml keys).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dockerfile/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)mtr::dockerfile::parse_lint_config(content, ".matryoshka.yaml");
  return 0;
}
