// Inventory × vulnerability index → findings, one per (vulnerability, package).
//
// OS packages are matched against their distribution's data only (Debian 12 ↔ "Debian:12",
// Ubuntu 22.04 ↔ "Ubuntu:22.04", Alpine 3.18.x ↔ "Alpine:v3.18", AlmaLinux/Rocky by major
// version); Debian, Ubuntu and Alpine data name source packages, so a binary package is looked
// up by its source name and compared by its source version, and reported under its own name.
// Language packages are matched against their ecosystem's OSV records. Versions are compared
// with version/ under the data's own scheme.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "inventory/package.h"
#include "vulndb/index.h"

namespace mtr::match {

struct MatchOptions {
  bool include_unimportant = false;  // Debian "unimportant" (negligible) entries become findings
  bool ignore_unfixed = false;       // drop findings without a fixed version
};

struct MatchResult {
  std::vector<core::Finding> findings;  // sorted: severity (highest first), package, id
  std::vector<std::string> warnings;    // e.g. "no vulnerability data for Debian:14"
};

// The (ecosystem, package-name) keys an inventory is looked up under (for Store::load_index).
std::vector<std::pair<std::string, std::string>> lookup_keys(const inventory::Inventory& inventory);

// The ecosystem name the data uses for this OS ("Debian:12"); "" when we have no mapping.
std::string os_ecosystem(const inventory::OsInfo& os);

// Remembers which vulnerabilities apply to each distinct (data ecosystem, package, version):
// inventories share most of their packages, so a rescan of thousands of images matches each
// distinct package once. Valid for one index and one MatchOptions; not thread-safe (one per
// thread).
class MatchCache {
 public:
  struct Hit {
    const vulndb::Advisory* advisory;
    const vulndb::Affected* affected;
    std::string fixed;
  };
  using Groups = std::vector<std::pair<std::string, std::vector<Hit>>>;  // id → its records

 private:
  friend MatchResult match_inventory(const inventory::Inventory&, const vulndb::VulnIndex&,
                                     const MatchOptions&, std::string_view, MatchCache*);
  std::unordered_map<std::string, Groups> groups_;
};

MatchResult match_inventory(const inventory::Inventory& inventory, const vulndb::VulnIndex& index,
                            const MatchOptions& options, std::string_view target,
                            MatchCache* cache = nullptr);

// True when `version` (of scheme `version_type`) is affected by `affected`'s ranges/versions.
// Sets `fixed` to the fix that applies (the first `fixed` event above the version), if any.
bool is_affected(const vulndb::Affected& affected, std::string_view version, std::string* fixed);

// The key rescans remember a finding by: "ID|purl".
std::string finding_key(const core::Finding& finding);

}  // namespace mtr::match
