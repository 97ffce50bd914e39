// The analyzer contract for inventory: a Cataloger says which files it wants from their path
// and metadata alone (`required`), then turns a file's bytes into packages (`analyze`).
// Catalogers never open files: the scan (oci/) feeds them, so they are tested with in-memory
// data and fuzzed directly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "inventory/package.h"

namespace mtr::inventory {

// A file as the scan sees it. `path` is normalised: absolute, no "." or ".." parts, no
// trailing slash ("/var/lib/dpkg/status").
struct FileMeta {
  std::string_view path;
  std::uint64_t size = 0;
  std::uint32_t mode = 0;  // permission bits (07777)
  bool executable() const { return (mode & 0111) != 0; }
};

// Licenses learnt from a file other than the package database (Debian keeps them in
// /usr/share/doc/NAME/copyright): the merge attaches them to the package of that name.
struct LicenseFact {
  std::string ecosystem;  // "deb"
  std::string package;    // binary package name
  std::vector<std::string> licenses;
};

struct CatalogResult {
  std::vector<Package> packages;
  std::vector<LicenseFact> licenses;
  std::vector<std::string> warnings;
};

class Cataloger {
 public:
  virtual ~Cataloger() = default;
  // Stable id ("dpkg", "npm-package-json", …) used in output and in the layer-cache key.
  virtual std::string_view id() const = 0;
  // Bumped whenever the cataloger's output can change, so cached layers are re-read.
  virtual int version() const = 0;
  // Whether this cataloger wants the file. Must be cheap: it runs for every file of every layer.
  virtual bool required(const FileMeta& file) const = 0;
  // Largest file it wants in full (bigger ones are skipped with a warning).
  virtual std::uint64_t max_size() const { return 64ull << 20; }
  // Turns the file's bytes into packages. Malformed content is an error naming the place;
  // the scan reports it as a warning and goes on.
  virtual core::Result<CatalogResult> analyze(const FileMeta& file,
                                              std::string_view content) const = 0;
  // True for catalogers whose file lists every package of a database (dpkg status, apk
  // installed, rpm Packages): a package is attributed to the lowest layer whose copy of
  // that file already holds it. Other catalogers attribute to the layer of the file.
  virtual bool database() const { return false; }
};

// Explicit registry (no static self-registration). Duplicate ids are an internal error.
class CatalogerRegistry {
 public:
  core::Status add(std::unique_ptr<Cataloger> cataloger);
  const std::vector<std::unique_ptr<Cataloger>>& all() const { return catalogers_; }
  const Cataloger* find(std::string_view id) const;
  // "dpkg:1,apk:1,…" — part of the layer-cache key.
  std::string version_key() const;

 private:
  std::vector<std::unique_ptr<Cataloger>> catalogers_;
};

// Every built-in cataloger: OS package databases and language ecosystems.
void register_builtin_catalogers(CatalogerRegistry& registry);

}  // namespace mtr::inventory
