// Owning handle for a libarchive reader.
#pragma once

#include <archive.h>

#include <memory>

namespace mtr::oci::detail {

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;

}  // namespace mtr::oci::detail
