#include "oci/detail/decompress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace mtr::oci::detail {
namespace {
using core::ErrorCode;
}  // namespace

LayerDecoder::LayerDecoder(BlobStream& stream, core::Progress* progress, std::size_t chunk)
    : stream_(stream), progress_(progress), out_(std::max<std::size_t>(chunk, 4096)) {}

LayerDecoder::~LayerDecoder() {
  if (zstd_ != nullptr) ZSTD_freeDStream(zstd_);
}

core::Result<bool> LayerDecoder::fill_input() {
  if (input_done_) return false;
  while (true) {
    auto chunk = MTR_TRY(stream_.next());
    if (chunk.empty()) {
      input_done_ = true;
      return false;
    }
    stored_hash_.update(chunk.data(), chunk.size());
    stored_bytes_ += chunk.size();
    if (progress_ != nullptr) progress_->advance(chunk.size());
    input_ = chunk;
    return true;
  }
}

core::Result<std::span<const unsigned char>> LayerDecoder::emit(std::size_t produced) {
  uncompressed_hash_.update(out_.data(), produced);
  uncompressed_bytes_ += produced;
  return std::span<const unsigned char>(out_.data(), produced);
}

core::Result<std::span<const unsigned char>> LayerDecoder::next() {
  if (finished_) return std::span<const unsigned char>();
  if (codec_ == Codec::kUnknown) {
    // Gather up to 4 bytes to recognise the format; chunks may be tiny.
    while (sniff_.size() < 4) {
      if (input_.empty() && !MTR_TRY(fill_input())) break;
      std::size_t take = std::min<std::size_t>(4 - sniff_.size(), input_.size());
      sniff_.insert(sniff_.end(), input_.begin(),
                    input_.begin() + static_cast<std::ptrdiff_t>(take));
      input_ = input_.subspan(take);
    }
    static constexpr unsigned char kGzipMagic[] = {0x1f, 0x8b};
    static constexpr unsigned char kZstdMagic[] = {0x28, 0xb5, 0x2f, 0xfd};
    if (sniff_.size() >= 2 && std::memcmp(sniff_.data(), kGzipMagic, 2) == 0) {
      codec_ = Codec::kGzip;
      gzip_ = std::make_unique<inflate_state>();
      isal_inflate_init(gzip_.get());
      gzip_->crc_flag = ISAL_GZIP;
    } else if (sniff_.size() >= 4 && std::memcmp(sniff_.data(), kZstdMagic, 4) == 0) {
      codec_ = Codec::kZstd;
      zstd_ = ZSTD_createDStream();
      ZSTD_initDStream(zstd_);
    } else {
      codec_ = Codec::kNone;
    }
  }
  switch (codec_) {
    case Codec::kGzip:
      return next_gzip();
    case Codec::kZstd:
      return next_zstd();
    default:
      break;
  }
  // Plain tar: the stored bytes are the tar. Pass them through without a copy; they are
  // hashed once, as the stored digest, which is also the uncompressed one.
  if (!sniff_.empty()) {
    std::memcpy(out_.data(), sniff_.data(), sniff_.size());
    auto n = sniff_.size();
    sniff_.clear();
    uncompressed_bytes_ += n;
    return std::span<const unsigned char>(out_.data(), n);
  }
  if (input_.empty() && !MTR_TRY(fill_input())) {
    finished_ = true;
    return std::span<const unsigned char>();
  }
  auto chunk = input_;
  input_ = {};
  uncompressed_bytes_ += chunk.size();
  return chunk;
}

std::string LayerDecoder::uncompressed_digest() {
  if (codec_ == Codec::kNone) return stored_digest();
  return uncompressed_hash_.finish_digest();
}

std::string LayerDecoder::stored_digest() {
  if (codec_ == Codec::kNone) {
    if (!plain_digest_) plain_digest_ = stored_hash_.finish_digest();
    return *plain_digest_;
  }
  return stored_hash_.finish_digest();
}

core::Result<std::span<const unsigned char>> LayerDecoder::next_gzip() {
  while (true) {
    // The sniffed bytes are fed first, then the stream.
    std::span<const unsigned char> feed =
        !sniff_.empty() ? std::span<const unsigned char>(sniff_) : input_;
    if (feed.empty()) {
      if (!MTR_TRY(fill_input())) {
        if (!gzip_member_done_) {
          return core::fail(ErrorCode::kInvalidInput, "gzip stream is truncated");
        }
        finished_ = true;
        return std::span<const unsigned char>();
      }
      continue;
    }
    if (gzip_member_done_) {
      // Another gzip member follows (pigz and some registries write several); trailing
      // zero padding after the last member is tolerated.
      if (std::all_of(feed.begin(), feed.end(), [](unsigned char c) { return c == 0; })) {
        if (!sniff_.empty())
          sniff_.clear();
        else
          input_ = {};
        continue;
      }
      isal_inflate_reset(gzip_.get());
      gzip_->crc_flag = ISAL_GZIP;
      gzip_member_done_ = false;
    }
    gzip_->next_in = const_cast<std::uint8_t*>(feed.data());
    gzip_->avail_in = static_cast<std::uint32_t>(std::min<std::size_t>(feed.size(), UINT32_MAX));
    gzip_->next_out = out_.data();
    gzip_->avail_out = static_cast<std::uint32_t>(out_.size());
    int rc = isal_inflate(gzip_.get());
    std::size_t consumed = feed.size() - gzip_->avail_in;
    if (!sniff_.empty()) {
      sniff_.erase(sniff_.begin(), sniff_.begin() + static_cast<std::ptrdiff_t>(consumed));
    } else {
      input_ = input_.subspan(consumed);
    }
    if (rc < 0) {
      const char* what = rc == ISAL_INCORRECT_CHECKSUM ? "gzip checksum mismatch"
                         : rc == ISAL_INVALID_WRAPPER  ? "invalid gzip header"
                                                       : "corrupt gzip data";
      return core::fail(
          ErrorCode::kInvalidInput,
          fmt::format("{} (isa-l error {}) after {} stored bytes", what, rc, stored_bytes_));
    }
    if (gzip_->block_state == ISAL_BLOCK_FINISH) gzip_member_done_ = true;
    std::size_t produced = out_.size() - gzip_->avail_out;
    if (produced > 0) return emit(produced);
  }
}

core::Result<std::span<const unsigned char>> LayerDecoder::next_zstd() {
  while (true) {
    std::span<const unsigned char> feed =
        !sniff_.empty() ? std::span<const unsigned char>(sniff_) : input_;
    if (feed.empty()) {
      if (!MTR_TRY(fill_input())) {
        if (zstd_last_ != 0)
          return core::fail(ErrorCode::kInvalidInput, "zstd stream is truncated");
        finished_ = true;
        return std::span<const unsigned char>();
      }
      continue;
    }
    ZSTD_inBuffer in{feed.data(), feed.size(), 0};
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    std::size_t rc = ZSTD_decompressStream(zstd_, &out, &in);
    if (ZSTD_isError(rc)) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("corrupt zstd data: {} after {} stored bytes",
                                    ZSTD_getErrorName(rc), stored_bytes_));
    }
    zstd_last_ = rc;
    if (!sniff_.empty()) {
      sniff_.erase(sniff_.begin(), sniff_.begin() + static_cast<std::ptrdiff_t>(in.pos));
    } else {
      input_ = input_.subspan(in.pos);
    }
    if (out.pos > 0) return emit(out.pos);
  }
}

}  // namespace mtr::oci::detail
