// rpm: the package database in any of its three containers, and the header blobs it holds.
// Headers are parsed here rather than with librpm so that the parser is bounded by our own
// limits and fuzzed together with the container readers.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "inventory/os/detail/rpmdb.h"
#include "inventory/os/detail/text.h"
#include "inventory/os/os_catalogers.h"

namespace mtr::inventory::os {
namespace {

// Tags and types from rpm's rpmtag.h.
constexpr std::uint32_t kTagName = 1000;
constexpr std::uint32_t kTagVersion = 1001;
constexpr std::uint32_t kTagRelease = 1002;
constexpr std::uint32_t kTagEpoch = 1003;
constexpr std::uint32_t kTagLicense = 1014;
constexpr std::uint32_t kTagArch = 1022;
constexpr std::uint32_t kTagSourceRpm = 1044;
constexpr std::uint32_t kTypeInt32 = 4;
constexpr std::uint32_t kTypeString = 6;
constexpr std::uint32_t kTypeStringArray = 8;
constexpr std::uint32_t kTypeI18nString = 9;
constexpr std::size_t kIndexEntryBytes = 16;

// Every directory rpm has kept its database in, and the three file names of its backends.
constexpr std::array<std::string_view, 3> kRpmDirs = {"/var/lib/rpm/", "/usr/lib/sysimage/rpm/",
                                                      "/usr/share/rpm/"};
constexpr std::array<std::string_view, 3> kRpmFiles = {"Packages", "Packages.db", "rpmdb.sqlite"};

std::uint32_t be32(std::string_view data, std::size_t offset) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(data[offset + i]));
  };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

core::Error bad_header(std::string message) {
  return core::make_error(core::ErrorCode::kInvalidInput, std::move(message));
}

// "util-linux-2.32.1-42.el8_8.src.rpm" → ("util-linux", "2.32.1-42.el8_8").
void split_source_rpm(std::string_view srpm, Package& pkg) {
  for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"}) {
    if (srpm.ends_with(suffix)) {
      srpm.remove_suffix(suffix.size());
      break;
    }
  }
  auto release_dash = srpm.rfind('-');
  if (release_dash == std::string_view::npos || release_dash == 0) return;
  auto version_dash = srpm.rfind('-', release_dash - 1);
  if (version_dash == std::string_view::npos || version_dash == 0) return;
  pkg.source_name = std::string(srpm.substr(0, version_dash));
  pkg.source_version = std::string(srpm.substr(version_dash + 1));
}

bool required_path(std::string_view path) {
  for (auto dir : kRpmDirs) {
    if (!path.starts_with(dir)) continue;
    auto name = path.substr(dir.size());
    for (auto file : kRpmFiles) {
      if (name == file) return true;
    }
  }
  return false;
}

class RpmCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "rpm"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override { return required_path(file.path); }
  std::uint64_t max_size() const override { return kMaxRpmDatabaseBytes; }
  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    return parse_rpmdb(file.path, content);
  }
  bool database() const override { return true; }
};

}  // namespace

core::Result<Package> parse_rpm_header(std::string_view blob) {
  if (blob.size() < 8)
    return bad_header(fmt::format("header of {} bytes is too short", blob.size()));
  std::uint64_t tags = be32(blob, 0);
  std::uint64_t data_bytes = be32(blob, 4);
  if (tags == 0 || tags > kMaxRpmHeaderTags) {
    return bad_header(fmt::format("header tag count {} outside 1..{}", tags, kMaxRpmHeaderTags));
  }
  if (data_bytes > kMaxRpmHeaderBlobBytes) {
    return bad_header(fmt::format("header data of {} bytes exceeds the limit", data_bytes));
  }
  std::uint64_t index_end = 8 + tags * kIndexEntryBytes;
  if (index_end + data_bytes > blob.size()) {
    return bad_header(
        fmt::format("header needs {} bytes but has {}", index_end + data_bytes, blob.size()));
  }
  auto data =
      blob.substr(static_cast<std::size_t>(index_end), static_cast<std::size_t>(data_bytes));

  Package pkg;
  std::string release;
  bool have_release = false;
  for (std::size_t i = 0; i < tags; ++i) {
    std::size_t entry = 8 + i * kIndexEntryBytes;
    std::uint32_t tag = be32(blob, entry);
    std::uint32_t type = be32(blob, entry + 4);
    std::uint32_t offset = be32(blob, entry + 8);
    std::uint32_t count = be32(blob, entry + 12);
    std::string* target = nullptr;
    switch (tag) {
      case kTagName:
        target = &pkg.name;
        break;
      case kTagVersion:
        target = &pkg.version;
        break;
      case kTagRelease:
        target = &release;
        have_release = true;
        break;
      case kTagLicense:
        pkg.licenses.assign(1, {});
        target = &pkg.licenses.front();
        break;
      case kTagArch:
        target = &pkg.arch;
        break;
      case kTagSourceRpm:
        target = &pkg.source_name;
        break;
      case kTagEpoch: {
        if (type != kTypeInt32 || count < 1 || std::uint64_t{offset} + 4 > data.size()) {
          return bad_header(
              fmt::format("tag {} (epoch): bad type {} or offset {}", tag, type, offset));
        }
        pkg.epoch = std::to_string(be32(data, offset));
        continue;
      }
      default:
        continue;
    }
    if (type != kTypeString && type != kTypeStringArray && type != kTypeI18nString) {
      return bad_header(fmt::format("tag {}: type {} is not a string", tag, type));
    }
    if (offset >= data.size()) {
      return bad_header(
          fmt::format("tag {}: offset {} beyond the {} data bytes", tag, offset, data.size()));
    }
    auto text = data.substr(offset);
    auto end = text.find('\0');
    if (end == std::string_view::npos)
      return bad_header(fmt::format("tag {}: string not terminated", tag));
    *target = std::string(text.substr(0, end));
  }
  if (pkg.name.empty()) return bad_header("header has no name");
  if (have_release && !release.empty()) pkg.version += "-" + release;
  if (!pkg.licenses.empty() && pkg.licenses.front().empty()) pkg.licenses.clear();
  std::string srpm = std::move(pkg.source_name);
  pkg.source_name.clear();
  split_source_rpm(srpm, pkg);
  pkg.ecosystem = "rpm";
  pkg.cataloger = "rpm";
  return pkg;
}

core::Result<CatalogResult> parse_rpmdb(std::string_view path, std::string_view content) {
  CatalogResult result;
  if (content.empty()) return result;  // an rpm installed without packages leaves empty files
  if (content.size() > kMaxRpmDatabaseBytes) {
    return core::fail(core::ErrorCode::kLimitExceeded,
                      fmt::format("rpm database of {} bytes exceeds the {}-byte limit",
                                  content.size(), kMaxRpmDatabaseBytes),
                      {std::string(path), 0, 0, {}});
  }
  detail::Warnings warnings(result.warnings, kMaxWarningsPerFile);
  bool too_many = false;
  auto on_blob = [&](std::string_view blob, const std::string& where) {
    auto pkg = parse_rpm_header(blob);
    if (!pkg) {
      warnings.add(fmt::format("{}: {}: header skipped: {}", path, where, pkg.error().message));
      return;
    }
    // rpm stores imported signing keys as pseudo packages; they are not software.
    if (pkg->name == "gpg-pubkey") return;
    if (result.packages.size() >= kMaxPackagesPerDatabase) {
      too_many = true;
      return;
    }
    pkg->found_in = std::string(path);
    result.packages.push_back(std::move(*pkg));
  };
  core::Status status;
  switch (detail::sniff_rpmdb(content)) {
    case detail::RpmDbFormat::kBerkeley:
      status = detail::read_bdb(path, content, on_blob, warnings);
      break;
    case detail::RpmDbFormat::kNdb:
      status = detail::read_ndb(path, content, on_blob, warnings);
      break;
    case detail::RpmDbFormat::kSqlite:
      status = detail::read_sqlite(path, content, on_blob);
      break;
    case detail::RpmDbFormat::kUnknown:
      return core::fail(core::ErrorCode::kInvalidInput,
                        "not an rpm database (neither SQLite, Berkeley DB hash nor NDB)",
                        {std::string(path), 0, 0, {}});
  }
  if (!status) return core::unexpected(std::move(status).error());
  if (too_many) {
    return core::fail(core::ErrorCode::kLimitExceeded,
                      fmt::format("more than {} packages", kMaxPackagesPerDatabase),
                      {std::string(path), 0, 0, {}});
  }
  warnings.finish();
  return result;
}

std::unique_ptr<Cataloger> make_rpm_cataloger() { return std::make_unique<RpmCataloger>(); }

}  // namespace mtr::inventory::os
