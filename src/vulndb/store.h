// The vulnerability database: one SQLite file (schema-versioned) holding advisories by source,
// and the inventories of scanned images for `rescan`. Every change is one transaction in WAL
// mode: a crash or kill -9 at any point leaves the previous content readable and usable.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "inventory/package.h"
#include "vulndb/advisory.h"
#include "vulndb/import.h"
#include "vulndb/index.h"

namespace mtr::vulndb {

inline constexpr int kSchemaVersion = 1;

struct SourceInfo {
  std::string name;      // "debian-tracker", "osv-PyPI", "local:/data/osv" …
  std::string location;  // URL or path it was read from
  std::string format;    // to_string(Format)
  std::string imported_at;
  std::string sha256;  // of the downloaded file, when there was one
  std::uint64_t advisories = 0;
  std::uint64_t affected = 0;
};

struct DbStatus {
  std::string path;
  int schema_version = 0;
  std::string updated_at;  // last successful import
  std::vector<SourceInfo> sources;
  std::uint64_t advisories = 0;
  std::uint64_t affected = 0;
  std::uint64_t inventories = 0;
};

// An image's inventory as stored for rescans.
struct StoredInventory {
  std::string digest;     // image (manifest or config) digest: the key
  std::string reference;  // what the user scanned
  std::string scanned_at;
  inventory::Inventory inventory;
};

// A stored inventory before decoding (rescans decode in their worker threads).
struct RawInventory {
  std::string digest;
  std::string reference;
  std::string scanned_at;
  std::string inventory;  // encode_inventory() text
  std::string reported;   // encode_keys() text of the findings last reported
};

// The compact text form inventories are stored in: one line for the OS, one per package,
// TAB-separated, with \\, \t and \n escaped. Decoding also reads the JSON form early
// databases used.
std::string encode_inventory(const inventory::Inventory& inventory);
core::Result<inventory::Inventory> decode_inventory(std::string_view text);
std::string encode_keys(const std::vector<std::string>& keys);
std::vector<std::string> decode_keys(std::string_view text);

// Filled by a source import: hands advisories to the sink it is given, and may complete the
// source's description (the format it detected) before it is recorded.
using SourceFiller = std::function<core::Status(const AdvisorySink& sink, SourceInfo& info)>;

class Store {
 public:
  // $MATRYOSHKA_DB, else $MATRYOSHKA_CACHE_DIR/vuln.db, $XDG_CACHE_HOME/matryoshka/vuln.db or
  // ~/.cache/matryoshka/vuln.db.
  static std::filesystem::path default_path();

  // Read-only: a missing file is kNotFound ("run `matryoshka db update` or `db import`").
  // Writable: creates the file and schema when missing. A database written by another schema
  // version is refused with a message saying what to do.
  static core::Result<std::unique_ptr<Store>> open(const std::filesystem::path& path, bool writable,
                                                   const core::Clock& clock = core::system_clock());
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Replaces every advisory of `info.name` with what `fill` produces, in one transaction:
  // the old content stays until the new one is complete and committed. Idempotent.
  core::Result<SourceInfo> replace_source(SourceInfo info, const SourceFiller& fill);

  core::Result<DbStatus> status();

  // Everything (rescan), or only the advisories naming one of `packages` ((ecosystem, name)
  // pairs; a scan of one image).
  core::Result<VulnIndex> load_index();
  core::Result<VulnIndex> load_index(
      const std::vector<std::pair<std::string, std::string>>& packages);

  // Rescan state: an image's inventory, and the findings last reported for it
  // (keys "VULN-ID|purl"), so that a rescan tells what is new.
  core::Status save_inventory(const StoredInventory& inventory);
  core::Result<std::vector<StoredInventory>> load_inventories();
  // Every stored inventory with its reported keys, `batch` rows at a time, in digest order.
  core::Status scan_inventories(std::size_t batch,
                                const std::function<core::Status(std::vector<RawInventory>&)>& fn);
  core::Result<std::vector<std::string>> reported_keys(const std::string& digest);
  core::Status set_reported_keys(const std::string& digest, const std::vector<std::string>& keys);
  // Many inventories' keys in one transaction (rescan of thousands of images).
  core::Status set_reported_keys_batch(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& batch);

 private:
  Store(sqlite3* db, std::filesystem::path path, const core::Clock& clock)
      : db_(db), path_(std::move(path)), clock_(&clock) {}
  core::Status exec(const char* sql);
  core::Result<VulnIndex> load_rows(const char* where_sql,
                                    const std::function<core::Status(sqlite3_stmt*)>& bind,
                                    std::size_t repeat);
  sqlite3* db_;
  std::filesystem::path path_;
  const core::Clock* clock_;
};

}  // namespace mtr::vulndb
