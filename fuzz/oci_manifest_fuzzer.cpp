// Fuzzes the OCI/Docker manifest, index and config parsers and platform selection.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oci/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto doc = mtr::oci::parse_json_document(bytes, "fuzz");
  if (!doc) return 0;
  if (auto manifest = mtr::oci::parse_manifest(*doc, "fuzz")) {
    (void)mtr::oci::pair_layers(*doc, manifest->layers, "fuzz");
  }
  if (auto index = mtr::oci::parse_index(*doc, "fuzz")) {
    (void)mtr::oci::select_platform(*index, std::nullopt, "fuzz");
  }
  (void)mtr::oci::config_platform(*doc);
  return 0;
}
