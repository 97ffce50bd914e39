// The in-memory view the matcher reads: advisories and, per (ecosystem, package), what they say
// about that package. Built from the store (or directly from advisories in tests); immutable once
// built, so one index serves many inventories (rescan) from several threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vulndb/advisory.h"

namespace mtr::vulndb {

class VulnIndex {
 public:
  struct Entry {
    const Advisory* advisory;  // metadata; its `affected` is empty (see `affected` here)
    Affected affected;
  };

  // Takes the advisory's affected packages into the per-package map.
  void add(Advisory advisory);

  // Entries for (ecosystem, package), in insertion order; empty when none.
  const std::vector<Entry>& lookup(std::string_view ecosystem, std::string_view package) const;

  std::size_t advisory_count() const { return advisories_.size(); }
  std::size_t entry_count() const { return entries_; }

 private:
  static std::string key(std::string_view ecosystem, std::string_view package);
  std::vector<std::unique_ptr<Advisory>> advisories_;
  std::unordered_map<std::string, std::vector<Entry>> by_package_;
  std::size_t entries_ = 0;
};

}  // namespace mtr::vulndb
