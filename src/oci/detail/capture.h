// The one place where files meet catalogers, shared by the layer reader and the rootfs walker:
// decides whether a file is wanted, reads it within bounds, runs the catalogers on its bytes
// and records hits, kept OS files and warnings in a LayerResult.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "inventory/cataloger.h"
#include "oci/detail/byte_buffer.h"
#include "oci/scan.h"

namespace mtr::oci::detail {

class Capture {
 public:
  Capture(const inventory::CatalogerRegistry& catalogers, LayerResult& result,
          const ContentScanner* content = nullptr);

  // Whether any cataloger, OS detection or the content scanner wants this regular file.
  // Remembers who.
  bool wanted(const FileEntry& file);
  // Reads the file most recently accepted by wanted() through `read` and runs the catalogers
  // and the content scanner. `read` appends the file's next bytes to the buffer until the file
  // ends (returns true) or the buffer holds at least `limit` bytes (returns false); it may be
  // called again to go on. Files over every wanter's limit are skipped with a warning; a file
  // only the content scanner wants is dropped after its first 8 KiB when they look binary.
  // An error means the underlying stream is broken.
  using Reader = std::function<core::Result<bool>(ByteBuffer& into, std::uint64_t limit)>;
  core::Status read_entry(const FileEntry& file, const Reader& read);
  // A hard link to an earlier file of the same layer: the catalogers that read the target
  // report the same packages under the link's path. Bytes are never kept for this, so memory
  // stays bounded by the largest file being read.
  void analyze_link(const FileEntry& link, const std::string& target);

 private:
  void run(const FileEntry& file, std::string_view content);

  const inventory::CatalogerRegistry& catalogers_;
  LayerResult& result_;
  std::vector<const inventory::Cataloger*> wanters_;
  bool os_file_ = false;
  const ContentScanner* content_;
  bool content_wanted_ = false;
  ByteBuffer buffer_{64 << 10};  // reused from file to file
  std::unordered_map<std::string, std::vector<std::size_t>> hits_by_path_;  // result_.hits indices
};

}  // namespace mtr::oci::detail
