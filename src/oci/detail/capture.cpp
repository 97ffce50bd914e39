#include "oci/detail/capture.h"

#include <fmt/format.h>

#include "inventory/os_release.h"

namespace mtr::oci::detail {
namespace {
constexpr std::uint64_t kMaxOsFileBytes = 64 << 10;
}

Capture::Capture(const inventory::CatalogerRegistry& catalogers, LayerResult& result)
    : catalogers_(catalogers), result_(result) {}

bool Capture::wanted(const FileEntry& file) {
  wanters_.clear();
  inventory::FileMeta meta{file.path, file.size, file.mode};
  for (const auto& c : catalogers_.all()) {
    if (c->required(meta)) wanters_.push_back(c.get());
  }
  os_file_ = inventory::os_file_required(file.path);
  return os_file_ || !wanters_.empty();
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
  if (wanters_.empty() && (!os_file_ || file.size > kMaxOsFileBytes)) return core::Ok{};
  // One byte more than the header promises: the end-of-data read lands there, so a file whose
  // header is right never grows the buffer.
  ByteBuffer buffer(static_cast<std::size_t>(std::min(file.size, max)) + 1);
  auto status = read(buffer, max);
  if (!status) {
    if (status.error().code != core::ErrorCode::kLimitExceeded) return status;
    // The header understated the size: skip the file, the stream itself is fine.
    result_.warnings.push_back(status.error().message);
    return core::Ok{};
  }
  auto content = buffer.view();
  run(file, content);
  if (os_file_ && content.size() <= kMaxOsFileBytes)
    result_.kept_files[file.path] = std::string(content);
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
