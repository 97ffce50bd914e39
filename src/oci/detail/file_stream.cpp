#include "oci/detail/file_stream.h"

#include <archive.h>
#include <archive_entry.h>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include "oci/detail/archive_ptr.h"

#include <cstring>
#include <vector>

#include "oci/detail/path.h"

namespace mtr::oci::detail {
namespace {

using core::ErrorCode;
constexpr std::size_t kChunk = 4 << 20;

class FileStream final : public BlobStream {
 public:
  FileStream(int fd, std::string path) : fd_(fd), path_(std::move(path)), buf_(kChunk) {
    posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~FileStream() override { close(fd_); }
  core::Result<std::span<const unsigned char>> next() override {
    while (true) {
      auto n = read(fd_, buf_.data(), buf_.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        return core::fail(ErrorCode::kIo,
                          fmt::format("{}: read failed: {}", path_, std::strerror(errno)));
      return std::span<const unsigned char>(buf_.data(), static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  std::string path_;
  std::vector<unsigned char> buf_;
};

class TarMemberStream final : public BlobStream {
 public:
  TarMemberStream(ArchiveReader ar, std::string where)
      : ar_(std::move(ar)), where_(std::move(where)) {}
  core::Result<std::span<const unsigned char>> next() override {
    const void* block = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(ar_.get(), &block, &size, &offset);
    if (rc == ARCHIVE_EOF) return std::span<const unsigned char>();
    if (rc < ARCHIVE_WARN) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}: {}", where_, archive_error_string(ar_.get())));
    }
    return std::span<const unsigned char>(static_cast<const unsigned char*>(block), size);
  }

 private:
  ArchiveReader ar_;
  std::string where_;
};

}  // namespace

core::Result<std::unique_ptr<BlobStream>> open_file_stream(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return core::fail(ErrorCode::kNotFound,
                      fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  return std::unique_ptr<BlobStream>(std::make_unique<FileStream>(fd, path));
}

core::Result<std::unique_ptr<BlobStream>> open_tar_member_stream(const std::string& archive_path,
                                                                 const std::string& member) {
  ArchiveReader ar(archive_read_new());
  archive_read_support_format_tar(ar.get());
  if (archive_read_open_filename(ar.get(), archive_path.c_str(), kChunk) != ARCHIVE_OK) {
    return core::fail(ErrorCode::kNotFound, fmt::format("cannot open '{}': {}", archive_path,
                                                        archive_error_string(ar.get())));
  }
  auto wanted = normalize_path(member);
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(ar.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: malformed tar: {}", archive_path,
                                                              archive_error_string(ar.get())));
    }
    const char* name = archive_entry_pathname(entry);
    if (name != nullptr && wanted && normalize_path(name) == wanted) {
      return std::unique_ptr<BlobStream>(std::make_unique<TarMemberStream>(
          std::move(ar), fmt::format("{}:{}", archive_path, member)));
    }
  }
  return core::fail(ErrorCode::kNotFound, fmt::format("{}: no member '{}'", archive_path, member));
}

core::Result<std::string> read_small_file(const std::string& path, std::uint64_t max) {
  auto stream = MTR_TRY(open_file_stream(path));
  std::string out;
  while (true) {
    auto chunk = MTR_TRY(stream->next());
    if (chunk.empty()) return out;
    if (out.size() + chunk.size() > max) {
      return core::fail(ErrorCode::kLimitExceeded,
                        fmt::format("'{}' is larger than {} bytes", path, max));
    }
    out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  }
}

}  // namespace mtr::oci::detail
