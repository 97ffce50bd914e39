// Readers of the three rpm database containers. Each walks the bytes of one database file
// and hands every stored header blob to a callback; none writes anything or opens a file.
//   Berkeley DB hash (Packages, RHEL ≤ 8, CentOS, Amazon Linux 2)
//   NDB (Packages.db, SUSE ≥ 15.3)
//   SQLite (rpmdb.sqlite, RHEL ≥ 9, Fedora ≥ 33)
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "inventory/os/detail/text.h"

namespace mtr::inventory::os::detail {

enum class RpmDbFormat { kUnknown, kBerkeley, kNdb, kSqlite };

RpmDbFormat sniff_rpmdb(std::string_view content);

// `where` names the blob's place in the file ("page 12 entry 3", "slot 7", "hnum 42").
using BlobCallback = std::function<void(std::string_view blob, const std::string& where)>;

// Structural damage that stops the walk is an error; a single unreadable blob is a warning.
core::Status read_bdb(std::string_view path, std::string_view content, const BlobCallback& on_blob,
                      Warnings& warnings);
core::Status read_ndb(std::string_view path, std::string_view content, const BlobCallback& on_blob,
                      Warnings& warnings);
core::Status read_sqlite(std::string_view path, std::string_view content,
                         const BlobCallback& on_blob);

}  // namespace mtr::inventory::os::detail
