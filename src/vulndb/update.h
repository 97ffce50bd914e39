// Feeding the store: the public feeds we know (each replaceable by a mirror URL or a local
// file), resumable checksummed downloads, and importing a path as one source.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/result.h"
#include "vulndb/import.h"
#include "vulndb/store.h"

namespace mtr::vulndb {

struct Feed {
  std::string name;  // source name in the store: "debian-tracker", "osv-PyPI", …
  Format format = Format::kAuto;
  std::string location;  // https://…, http://…, file://… or a local path (file, dir, zip)
};

// The default feeds: Debian security tracker JSON, Alpine secdb (recent releases), and OSV's
// per-ecosystem all.zip for the distributions and language ecosystems we match.
std::vector<Feed> default_feeds();

// Makes a feed's data local. URLs are downloaded into `download_dir/<name>.part` with resume
// (HTTP Range) after an interrupted run, then renamed; local paths are used in place.
// `sha256` receives the digest of a downloaded (or local regular) file.
core::Result<std::filesystem::path> fetch_feed(const Feed& feed,
                                               const std::filesystem::path& download_dir,
                                               core::Progress* progress, std::string* sha256);

// Reads `path` (format detected when kAuto) and replaces source `info.name` with it, in one
// transaction. CVSS vectors get their base scores on the way in.
core::Result<SourceInfo> import_path(Store& store, SourceInfo info,
                                     const std::filesystem::path& path, Format format);

}  // namespace mtr::vulndb
