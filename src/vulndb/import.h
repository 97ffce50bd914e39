// Reading vulnerability data: OSV (JSON or YAML records, a directory of them, a zip such as
// OSV's per-ecosystem all.zip), the Debian security tracker JSON and Alpine secdb (JSON or YAML).
// Parsers are pure (text in, advisories out) so they are unit-tested and fuzzed directly; the
// readers walk files and archives and hand every advisory to a sink.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "vulndb/advisory.h"

namespace mtr::vulndb {

enum class Format { kAuto, kOsv, kDebianTracker, kAlpineSecdb };
const char* to_string(Format f);  // "auto", "osv", "debian-tracker", "alpine-secdb"
core::Result<Format> parse_format(std::string_view name);  // the same names

// Receives each advisory; a non-ok status stops the read and is returned.
using AdvisorySink = std::function<core::Status(Advisory&&)>;

struct ReadStats {
  std::uint64_t files = 0;       // files (or archive members) read
  std::uint64_t advisories = 0;  // advisories handed to the sink
  std::uint64_t skipped = 0;     // files that were not vulnerability records (README, schema…)
  std::vector<Format> formats;   // formats detected, in the order first seen
};

// Pure parsers. `origin` names the input in errors ("osv/go/GO-2022-0969.json").
// Errors are kInvalidInput with the origin and, where known, line and column.
core::Result<Advisory> parse_osv(std::string_view text, std::string_view origin);  // JSON or YAML
// {source: {CVE: {releases: {codename: {status, fixed_version, urgency, nodsa, …}}}}}: one
// advisory per (source package, CVE) with one Affected per release codename we know.
core::Status parse_debian_tracker(std::string_view json, std::string_view origin,
                                  const AdvisorySink& sink);
// {distroversion, reponame, packages: [{pkg: {name, secfixes: {version: [CVE…]}}}]}: one
// advisory per (package, CVE).
core::Status parse_alpine_secdb(std::string_view text, std::string_view origin,
                                const AdvisorySink& sink);

// Detects the format of one file's content (kAuto never returned; error when unknown).
core::Result<Format> detect_format(std::string_view text, std::string_view origin);

// Reads PATH: a file, a directory (walked recursively; non-record files such as README or
// schema.json are skipped and counted), or a .zip archive. `format` kAuto detects per file.
core::Result<ReadStats> read_advisories(const std::string& path, Format format,
                                        const AdvisorySink& sink);

// OSV ecosystem string → our normalised form ("Ubuntu:22.04:LTS" → "Ubuntu:22.04",
// "Alpine:v3.18" stays); and the version scheme (purl type) it uses, "" when we have none.
std::string normalize_ecosystem(std::string_view ecosystem);
std::string version_type_of(std::string_view normalized_ecosystem);

// Debian release codename → "Debian:N" ("bookworm" → "Debian:12"); "" for unknown/sid.
std::string debian_ecosystem(std::string_view codename);

}  // namespace mtr::vulndb
