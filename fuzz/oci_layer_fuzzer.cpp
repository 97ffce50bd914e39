// Fuzzes the layer reader end to end: codec detection, gzip/zstd inflate, tar framing,
// whiteouts, path normalisation and every built-in cataloger on whatever files come out.
#include <cstddef>
#include <cstdint>
#include <span>

#include "inventory/cataloger.h"
#include "oci/scan.h"

namespace {
class OneChunk final : public mtr::oci::BlobStream {
 public:
  OneChunk(const std::uint8_t* data, std::size_t size) : data_(data, size) {}
  mtr::core::Result<std::span<const unsigned char>> next() override {
    auto out = data_;
    data_ = {};
    return out;
  }

 private:
  std::span<const unsigned char> data_;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* catalogers = [] {
    auto* r = new mtr::inventory::CatalogerRegistry();
    mtr::inventory::register_builtin_catalogers(*r);
    return r;
  }();
  mtr::oci::ScanLimits limits;
  limits.max_layer_bytes = 64ull << 20;
  limits.max_compression_ratio = 200;
  limits.read_chunk_bytes = 16 << 10;
  OneChunk stream(data, size);
  mtr::oci::LayerRef ref;
  auto result = mtr::oci::read_layer(stream, ref, *catalogers, limits, nullptr);
  if (result) {
    std::vector<mtr::oci::LayerResult> layers;
    layers.push_back(std::move(*result));
    (void)mtr::oci::merge_layers(layers);
  }
  return 0;
}
