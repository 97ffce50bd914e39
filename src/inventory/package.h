// What an image holds: the operating system and the packages installed in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mtr::inventory {

// From etc/os-release and friends. `id` is os-release's ID ("debian", "ubuntu", "alpine",
// "rhel", "amzn", "sles", "wolfi", …); `distroless` is set for Google's distroless images.
struct OsInfo {
  std::string id;
  std::string name;        // NAME
  std::string version_id;  // VERSION_ID ("12", "3.18.4", "8.9")
  std::string codename;    // VERSION_CODENAME or derived ("bookworm")
  std::string pretty_name;
  std::vector<std::string> id_like;
  bool distroless = false;
  std::string source_file;  // the file it was read from
  bool empty() const { return id.empty(); }
};

struct Package {
  std::string name;
  std::string version;  // exactly as the package database spells it
  std::string
      ecosystem;  // purl type: deb, apk, rpm, npm, pypi, golang, maven, gem, cargo, composer, nuget
  std::string
      purl_namespace;  // npm scope, maven groupId, Go module path prefix; empty for OS packages
  std::string arch;
  std::string source_name;  // OS packages: source package (dpkg Source:, apk origin, rpm SRPM name)
  std::string source_version;
  std::vector<std::string> licenses;
  std::string epoch;      // rpm only, when the database has one
  std::string found_in;   // absolute path in the image of the file it was read from
  std::string cataloger;  // id of the cataloger that found it ("dpkg", "npm", …)
  // Filled by the scan, not by catalogers:
  std::string purl;
  std::string layer_digest;  // diff_id of the layer that introduced it
  int layer_index = -1;
};

struct Inventory {
  OsInfo os;
  std::vector<Package> packages;
  std::vector<std::string> warnings;  // safe skips the user should know about
};

}  // namespace mtr::inventory
