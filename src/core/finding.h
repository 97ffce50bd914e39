// Finding: the one result type of the whole product. Every analyzer (vulnerability matcher,
// secret rules, Dockerfile rules, Pod Security checks, runtime rules) returns these, and every
// reporter renders them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/severity.h"

namespace mtr::core {

// Where a finding points. Fill what applies: a text file position, an image layer, a JSON path.
struct FindingLocation {
  std::string path;        // file path (in the image or on disk)
  std::uint64_t line = 0;  // 1-based, 0 when not applicable
  std::uint64_t column = 0;
  std::uint64_t end_line = 0;
  std::uint64_t end_column = 0;
  std::string layer_digest;  // diff_id of the layer that holds it
  std::string json_path;     // spec.template.spec.containers[1].securityContext.privileged
};

struct Finding {
  std::string id;  // stable rule id, or the upstream id (CVE-…, GHSA-…)
  std::vector<std::string> aliases;
  Severity severity = Severity::kUnknown;
  std::string title;
  std::string description;
  std::string target;  // the scanned object: image reference, manifest file, …
  FindingLocation location;
  std::string evidence;  // masked where it could hold a secret
  std::string fix;
  std::vector<std::string> references;
  std::map<std::string, std::string>
      properties;  // domain extras: package, installed/fixed versions
};

}  // namespace mtr::core
