#include "oci/detail/capture.h"

#include <fmt/format.h>

#include <cstring>

#include "inventory/os_release.h"

namespace mtr::oci::detail {
namespace {
constexpr std::uint64_t kMaxOsFileBytes = 64 << 10;
constexpr std::uint64_t kBinaryProbeBytes = 8 << 10;

// A NUL byte in the first 8 KiB: git's and ripgrep's test for binary data.
bool binary_head(std::string_view bytes) {
  return std::memchr(bytes.data(), '\0', std::min<std::size_t>(bytes.size(), kBinaryProbeBytes)) !=
         nullptr;
}
}  // namespace

Capture::Capture(const inventory::CatalogerRegistry& catalogers, LayerResult& result,
                 const ContentScanner* content)
    : catalogers_(catalogers), result_(result), content_(content) {}

bool Capture::wanted(const FileEntry& file) {
  wanters_.clear();
  inventory::FileMeta meta{file.path, file.size, file.mode};
  for (const auto& c : catalogers_.all()) {
    if (c->required(meta)) wanters_.push_back(c.get());
  }
  os_file_ = inventory::os_file_required(file.path);
  content_wanted_ = false;
  if (content_ != nullptr && file.size > 0) {
    if (file.size > content_->max_file_bytes()) {
      ++result_.content_stats.skipped_large;
    } else {
      content_wanted_ = true;
    }
  }
  return os_file_ || !wanters_.empty() || content_wanted_;
}

core::Status Capture::read_entry(const FileEntry& file, const Reader& read) {
  std::uint64_t max = os_file_ ? kMaxOsFileBytes : 0;
  std::vector<const inventory::Cataloger*> fitting;
  for (const auto* c : wanters_) {
    if (file.size <= c->max_size()) {
      fitting.push_back(c);
      max = std::max(max, c->max_size());
    } else {
      result_.warnings.push_back(
          fmt::format("{}: skipped by {} ({} bytes is over its {}-byte limit)", file.path, c->id(),
                      file.size, c->max_size()));
    }
  }
  wanters_ = std::move(fitting);
  const bool catalog = !wanters_.empty() || (os_file_ && file.size <= kMaxOsFileBytes);
  if (content_wanted_) max = std::max(max, content_->max_file_bytes());
  if (!catalog && !content_wanted_) return core::Ok{};

  buffer_.clear();
  // One byte more than the header promises: the end-of-data read lands there, so a file whose
  // header is right never grows the buffer.
  buffer_.room(static_cast<std::size_t>(std::min(file.size, max)) + 1);
  bool content = content_wanted_;
  bool at_end = false;
  if (content && !catalog && !content_->scan_binary()) {
    // Only the content scanner wants it: look at the head before reading the rest.
    at_end = MTR_TRY(read(buffer_, kBinaryProbeBytes));
    if (binary_head(buffer_.view())) {
      ++result_.content_stats.skipped_binary;
      return core::Ok{};
    }
  }
  if (!at_end) at_end = MTR_TRY(read(buffer_, max + 1));
  if (!at_end || buffer_.size() > max) {
    // The header understated the size: skip the file, the stream itself is fine.
    result_.warnings.push_back(fmt::format("{}: larger than {} bytes", file.path, max));
    return core::Ok{};
  }
  auto bytes = buffer_.view();
  if (catalog) {
    run(file, bytes);
    if (os_file_ && bytes.size() <= kMaxOsFileBytes)
      result_.kept_files[file.path] = std::string(bytes);
  }
  if (content) {
    if (!content_->scan_binary() && binary_head(bytes)) {
      ++result_.content_stats.skipped_binary;
    } else if (bytes.size() <= content_->max_file_bytes()) {
      ++result_.content_stats.files;
      result_.content_stats.bytes += bytes.size();
      content_->scan(file.path, bytes, result_.content_hits);
    }
  }
  return core::Ok{};
}

void Capture::analyze_link(const FileEntry& link, const std::string& target) {
  if (!wanted(link)) return;
  if (auto kept = result_.kept_files.find(target); os_file_ && kept != result_.kept_files.end()) {
    result_.kept_files[link.path] = kept->second;
  }
  auto it = hits_by_path_.find(target);
  if (it == hits_by_path_.end()) return;
  auto indices = it->second;  // copied: push_back below may rehash
  for (const auto* c : wanters_) {
    for (auto i : indices) {
      if (result_.hits[i].cataloger != c->id()) continue;
      LayerResult::Hit hit = result_.hits[i];
      hit.path = link.path;
      for (auto& p : hit.packages) {
        if (p.found_in == target) p.found_in = link.path;
      }
      hits_by_path_[link.path].push_back(result_.hits.size());
      result_.hits.push_back(std::move(hit));
    }
  }
}

void Capture::run(const FileEntry& file, std::string_view content) {
  inventory::FileMeta meta{file.path, file.size, file.mode};
  for (const auto* c : wanters_) {
    auto found = c->analyze(meta, content);
    if (!found) {
      result_.warnings.push_back(
          fmt::format("{}: {}: {}", c->id(), file.path, found.error().to_string()));
      continue;
    }
    for (auto& w : found->warnings) result_.warnings.push_back(std::move(w));
    if (found->packages.empty() && found->licenses.empty()) continue;
    LayerResult::Hit hit{file.path, std::string(c->id()), std::move(found->packages),
                         std::move(found->licenses)};
    for (auto& p : hit.packages) {
      if (p.found_in.empty()) p.found_in = file.path;
      if (p.cataloger.empty()) p.cataloger = c->id();
    }
    hits_by_path_[file.path].push_back(result_.hits.size());
    result_.hits.push_back(std::move(hit));
  }
}

}  // namespace mtr::oci::detail
