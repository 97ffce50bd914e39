// A cataloger for oci/ tests: files /pkgs/NAME.txt hold "name version" lines; /pkgs/db holds
// the whole database (database() = true). Keeps these tests independent of real catalogers.
#pragma once

#include <sstream>

#include "inventory/cataloger.h"

namespace mtr::test {

class LinesCataloger final : public inventory::Cataloger {
 public:
  explicit LinesCataloger(bool database_file) : database_(database_file) {}
  std::string_view id() const override { return database_ ? "lines-db" : "lines"; }
  int version() const override { return 1; }
  bool database() const override { return database_; }
  bool required(const inventory::FileMeta& f) const override {
    return database_ ? f.path == "/pkgs/db"
                     : (f.path.rfind("/pkgs/", 0) == 0 && f.path.size() > 4 &&
                        f.path.substr(f.path.size() - 4) == ".txt");
  }
  core::Result<inventory::CatalogResult> analyze(const inventory::FileMeta&,
                                                 std::string_view content) const override {
    inventory::CatalogResult r;
    std::istringstream in{std::string(content)};
    std::string name, version;
    while (in >> name >> version) {
      inventory::Package p;
      p.name = name;
      p.version = version;
      p.ecosystem = "generic";
      r.packages.push_back(p);
    }
    return r;
  }

 private:
  bool database_;
};

inline void add_fake_catalogers(inventory::CatalogerRegistry& registry) {
  (void)registry.add(std::make_unique<LinesCataloger>(false));
  (void)registry.add(std::make_unique<LinesCataloger>(true));
}

}  // namespace mtr::test
