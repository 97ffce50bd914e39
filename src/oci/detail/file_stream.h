// BlobStreams over local files: a whole file (OCI layout blobs) or one member of a tar
// archive (docker-archive layers), read in 1 MiB chunks.
#pragma once

#include <memory>
#include <string>

#include "oci/image.h"

namespace mtr::oci::detail {

core::Result<std::unique_ptr<BlobStream>> open_file_stream(const std::string& path);

// Streams the member `member` of the tar file at `archive_path` (found by skipping headers).
core::Result<std::unique_ptr<BlobStream>> open_tar_member_stream(const std::string& archive_path,
                                                                 const std::string& member);

// Reads a small file whole, refusing more than `max` bytes.
core::Result<std::string> read_small_file(const std::string& path, std::uint64_t max);

}  // namespace mtr::oci::detail
