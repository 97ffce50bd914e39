// Package URLs (https://github.com/package-url/purl-spec): building and printing, with the
// spec's percent-encoding and sorted qualifiers.
#pragma once

#include <map>
#include <string>

namespace mtr::core {

struct Purl {
  std::string type;        // deb, apk, rpm, npm, pypi, golang, maven, gem, cargo, composer, nuget
  std::string namespace_;  // "debian", "@angular", "github.com/foo" (slashes kept as segments)
  std::string name;
  std::string version;
  std::map<std::string, std::string> qualifiers;  // sorted by key as the spec requires
  std::string subpath;

  std::string to_string() const;
};

// Percent-encodes everything but the unreserved characters (and ':' which the spec allows).
std::string purl_encode(std::string_view text);

}  // namespace mtr::core
