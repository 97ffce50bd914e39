// The vulnerability data model every importer produces and the matcher reads: one advisory
// (a CVE, GHSA, DSA, …) and the packages it affects, per ecosystem, in the source's own terms.
#pragma once

#include <string>
#include <vector>

#include "core/severity.h"

namespace mtr::vulndb {

// What the source says about one package. Distros say more than "affected": the matcher and the
// policy decide what to show, so the importer keeps the distinction.
enum class Status {
  kAffected,     // affected; fixed in the ranges' `fixed` event when there is one
  kNotAffected,  // the source says this package never had it (Debian fixed_version "0", Alpine "0")
  kUnimportant,  // affected, but the distro rates it negligible (Debian urgency "unimportant")
  kWillNotFix,   // affected, the distro will not fix it (Debian <ignored>, no-dsa with reason
                 // ignored)
  kDeferred,     // affected, fix postponed (Debian <postponed>)
  kUndetermined,  // the distro has not decided yet (Debian "undetermined")
};
const char* to_string(Status s);  // "affected", "not_affected", "unimportant", …

// One OSV-style event. Ranges are evaluated as OSV specifies: events sorted by version,
// a version is affected when the last event at or below it is `introduced` (or it is at or
// below a `last_affected`).
struct Event {
  enum class Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind = Kind::kIntroduced;
  std::string version;  // "0" for introduced means "every version"
};

struct Range {
  std::string type;  // "ECOSYSTEM", "SEMVER" (GIT ranges are not kept: nothing to compare)
  std::vector<Event> events;
};

struct Affected {
  // Normalised ecosystem: OSV's names ("Debian:12", "Ubuntu:22.04", "Alpine:v3.18", "PyPI", "npm",
  // "Go", "Maven", "crates.io", "RubyGems", "NuGet", "Packagist", "AlmaLinux:9", "Wolfi", …).
  // Debian/Ubuntu/Alpine entries name the *source* package.
  std::string ecosystem;
  std::string package;       // as the ecosystem spells it (PyPI: PEP 503-normalised)
  std::string version_type;  // version/ scheme (purl type): deb, rpm, apk, pypi, npm, …
  std::string purl;          // when the source gives one
  Status status = Status::kAffected;
  std::vector<Range> ranges;
  std::vector<std::string> versions;  // explicit affected versions (OSV `versions`)
  std::string severity;               // vendor severity for this package as the source spells it
                                      // (Debian urgency "medium**", Ubuntu priority, …)
  std::string note;                   // e.g. Debian nodsa reason, "end-of-life"
};

struct Cvss {
  std::string vector;   // "CVSS:3.1/AV:N/…", "CVSS:4.0/…", or a v2 vector
  std::string version;  // "2.0", "3.0", "3.1", "4.0"
  double score = -1;    // base score; -1 when the vector could not be scored
};

struct Advisory {
  std::string id;                    // upstream id as published: CVE-…, GHSA-…, DSA-…, GO-…
  std::vector<std::string> aliases;  // OSV aliases (+ upstream), CVE ids a DSA fixes, …
  std::string source;  // set by the store from the import: "osv", "debian-tracker", …
  std::string summary;
  std::string details;
  std::string published;  // RFC 3339 as given, may be empty
  std::string modified;
  bool withdrawn = false;
  core::Severity vendor_severity = core::Severity::kUnknown;  // advisory-wide (GHSA "HIGH")
  std::vector<Cvss> cvss;
  std::vector<std::string> references;  // URLs
  std::vector<Affected> affected;
};

}  // namespace mtr::vulndb
