// The OS package catalogers: dpkg (status and distroless status.d), Debian copyright files,
// apk, and rpm (sqlite, Berkeley DB hash, NDB). The parsers are exposed so that tests and
// fuzzers call them on bytes directly; register_os_catalogers (builtin.h) adds the catalogers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "inventory/cataloger.h"

namespace mtr::inventory::os {

// Bounds shared by the text database parsers (dpkg, apk).
inline constexpr std::size_t kMaxPackagesPerDatabase = 200'000;
inline constexpr std::size_t kMaxFieldsPerStanza = 4'096;
inline constexpr std::size_t kMaxWarningsPerFile = 50;  // further ones are counted, not kept

// Bounds for rpm databases. rpm itself refuses headers above 256 MiB of data and 65535 tags;
// real package headers stay well under 1 MiB.
inline constexpr std::uint64_t kMaxRpmDatabaseBytes = 1ull << 30;
inline constexpr std::size_t kMaxRpmHeaderTags = 65'535;
inline constexpr std::size_t kMaxRpmHeaderBlobBytes = 64u << 20;
inline constexpr std::uint32_t kMaxNdbSlotPages = 2'048;
inline constexpr std::int64_t kMaxSqliteVmSteps = 2'000'000'000;  // sqlite progress-handler budget

// Debian copyright files are text; a few MiB covers the largest (the kernel's).
inline constexpr std::uint64_t kMaxCopyrightBytes = 8u << 20;
inline constexpr std::size_t kMaxLicenseNameBytes = 200;

// /var/lib/dpkg/status (every stanza carries Status) or one file of /var/lib/dpkg/status.d
// (distroless: stanzas without Status). Only installed packages are returned.
core::Result<CatalogResult> parse_dpkg_status(std::string_view path, std::string_view content);

// License: lines of a DEP-5 copyright file, deduplicated, in order of appearance.
std::vector<std::string> parse_dep5_licenses(std::string_view content);

// /lib/apk/db/installed.
core::Result<CatalogResult> parse_apk_installed(std::string_view path, std::string_view content);

// Any rpm database, recognised by its content (sqlite, Berkeley DB hash, NDB).
core::Result<CatalogResult> parse_rpmdb(std::string_view path, std::string_view content);

// One rpm header blob as stored in the database (no lead, no magic: index count, data length,
// index entries, data). Fills name, version ("VERSION-RELEASE"), epoch, arch, license, source.
core::Result<Package> parse_rpm_header(std::string_view blob);

std::unique_ptr<Cataloger> make_dpkg_cataloger();
std::unique_ptr<Cataloger> make_dpkg_copyright_cataloger();
std::unique_ptr<Cataloger> make_apk_cataloger();
std::unique_ptr<Cataloger> make_rpm_cataloger();

}  // namespace mtr::inventory::os
