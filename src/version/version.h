// Version ordering per ecosystem, exactly as each package manager orders versions. The
// vulnerability matcher decides "affected" with these, so a wrong answer is a false positive
// or a missed vulnerability.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"

namespace mtr::version {

// Compares a and b under the rules of `type`, a purl type: deb, rpm, apk, pypi, npm, maven,
// gem, golang, nuget, composer, cargo. Returns -1, 0 or 1. Unknown types are a usage error;
// a string the ecosystem cannot parse (where its grammar is strict: semver, PEP 440, Go) is an
// invalid-input error naming it.
core::Result<int> compare(std::string_view type, std::string_view a, std::string_view b);

// The purl types compare() knows, for --help and errors.
const std::vector<std::string_view>& known_types();

// Per-ecosystem orderings. Total ones return -1/0/1 for any input; strict ones fail on
// strings outside their grammar.
int compare_dpkg(std::string_view a, std::string_view b);  // epoch:upstream-revision, '~'
int compare_rpm(std::string_view a,
                std::string_view b);  // [epoch:]version[-release], rpmvercmp, '~', '^'
int compare_apk(std::string_view a, std::string_view b);  // apk-tools: suffixes _alpha.._p, -rN
core::Result<int> compare_semver(std::string_view a,
                                 std::string_view b);  // SemVer 2.0.0 (npm, cargo)
core::Result<int> compare_pep440(std::string_view a, std::string_view b);  // PEP 440 (pypi)
int compare_maven(std::string_view a, std::string_view b);     // Maven ComparableVersion
int compare_rubygems(std::string_view a, std::string_view b);  // Gem::Version
core::Result<int> compare_golang(std::string_view a,
                                 std::string_view b);  // Go modules, incl. pseudo-versions
int compare_nuget(std::string_view a,
                  std::string_view b);  // NuGet (SemVer 2 with 4 parts, case-insensitive)
int compare_composer(std::string_view a,
                     std::string_view b);  // Composer/Packagist (version_compare rules)

}  // namespace mtr::version
