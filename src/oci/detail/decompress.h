// Pull-based decompression of a layer blob: gzip (ISA-L), zstd or plain, detected from the
// magic bytes. Hashes the stored bytes and the uncompressed bytes on the way, so a layer is
// read exactly once whatever else looks at it.
#pragma once

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/progress.h"
#include "oci/image.h"

namespace mtr::oci::detail {

enum class Codec { kUnknown, kNone, kGzip, kZstd };

class LayerDecoder {
 public:
  static constexpr std::size_t kDefaultChunk = 1 << 20;
  // `chunk` is the size of the uncompressed pieces handed out (small in fuzzing).
  LayerDecoder(BlobStream& stream, core::Progress* progress, std::size_t chunk = kDefaultChunk);
  ~LayerDecoder();
  LayerDecoder(const LayerDecoder&) = delete;
  LayerDecoder& operator=(const LayerDecoder&) = delete;

  // Next chunk of uncompressed bytes; an empty span at the end of the blob. Errors name no
  // layer: the caller adds that context.
  core::Result<std::span<const unsigned char>> next();

  Codec codec() const { return codec_; }
  std::uint64_t stored_bytes() const { return stored_bytes_; }
  std::uint64_t uncompressed_bytes() const { return uncompressed_bytes_; }
  // Valid after next() returned the end; each may be asked once.
  std::string stored_digest();
  std::string uncompressed_digest();

 private:
  core::Result<bool> fill_input();  // false at end of stream
  core::Result<std::span<const unsigned char>> next_gzip();
  core::Result<std::span<const unsigned char>> next_zstd();
  core::Result<std::span<const unsigned char>> emit(std::size_t produced);

  BlobStream& stream_;
  core::Progress* progress_;
  Codec codec_ = Codec::kUnknown;
  std::span<const unsigned char> input_;  // unconsumed stored bytes
  std::vector<unsigned char> sniff_;      // holds the first bytes while detecting the codec
  bool input_done_ = false;
  bool finished_ = false;
  std::vector<unsigned char> out_;
  std::unique_ptr<inflate_state> gzip_;
  bool gzip_member_done_ = false;
  ZSTD_DStream* zstd_ = nullptr;
  std::size_t zstd_last_ = 0;  // last ZSTD_decompressStream result (0 = frame complete)
  std::optional<std::string> plain_digest_;  // plain tar: stored digest == uncompressed digest
  core::Sha256 stored_hash_;
  core::Sha256 uncompressed_hash_;
  std::uint64_t stored_bytes_ = 0;
  std::uint64_t uncompressed_bytes_ = 0;
};

}  // namespace mtr::oci::detail
