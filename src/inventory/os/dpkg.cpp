// dpkg: /var/lib/dpkg/status, distroless /var/lib/dpkg/status.d/*, and the licenses of
// /usr/share/doc/NAME/copyright (DEP-5).
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "inventory/os/detail/text.h"
#include "inventory/os/os_catalogers.h"

namespace mtr::inventory::os {
namespace {

using detail::iequals;
using detail::trim;

constexpr std::string_view kStatusPath = "/var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "/var/lib/dpkg/status.d/";
constexpr std::string_view kDocDir = "/usr/share/doc/";
constexpr std::string_view kCopyright = "/copyright";

struct Stanza {
  std::size_t line = 0;  // first line, for messages
  std::size_t fields = 0;
  bool broken = false;  // a line that is neither field nor continuation: the stanza is skipped
  bool has_status = false;
  std::string package, version, arch, source, status;
};

// dpkg's status is "want flag state"; only the state matters ("install ok installed",
// "hold ok installed"). dpkg-query -W also lists config-files and half-installed packages,
// which are not on disk as programs and so are not inventory.
bool installed(std::string_view status) {
  std::vector<std::string_view> words;
  while (!status.empty()) {
    status = trim(status);
    auto end = status.find_first_of(" \t");
    if (!status.empty()) words.push_back(status.substr(0, end));
    if (end == std::string_view::npos) break;
    status.remove_prefix(end);
  }
  return words.size() == 3 && words[2] == "installed";
}

class DpkgParser {
 public:
  DpkgParser(std::string_view path, bool status_d, CatalogResult& result)
      : path_(path),
        status_d_(status_d),
        result_(result),
        warnings_(result.warnings, kMaxWarningsPerFile) {}

  core::Status parse(std::string_view content) {
    detail::LineReader lines(content);
    std::string_view line;
    std::string* current = nullptr;  // the field a continuation line extends (only kept fields)
    bool in_field = false;
    while (lines.next(line)) {
      if (trim(line).empty()) {
        MTR_TRY_STATUS(flush());
        in_field = false;
        current = nullptr;
        continue;
      }
      if (stanza_.fields == 0 && !stanza_.broken) stanza_.line = lines.number();
      if (line.front() == ' ' || line.front() == '\t') {
        if (!in_field) {
          warn(lines.number(), "continuation line outside a field");
          stanza_.broken = true;
        } else if (current != nullptr) {
          // Only multi-line fields continue; the ones kept here are single-line, so a
          // continuation of them is folded in as dpkg would show it.
          *current += ' ';
          *current += trim(line);
        }
        continue;
      }
      auto colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        warn(lines.number(), "line is not a 'Field: value' pair");
        stanza_.broken = true;
        in_field = false;
        current = nullptr;
        continue;
      }
      if (++stanza_.fields > kMaxFieldsPerStanza) {
        return core::fail(core::ErrorCode::kLimitExceeded,
                          fmt::format("more than {} fields in one stanza", kMaxFieldsPerStanza),
                          {std::string(path_), lines.number(), 0, {}});
      }
      auto name = line.substr(0, colon);
      auto value = std::string(trim(line.substr(colon + 1)));
      in_field = true;
      current = field(name);
      if (current != nullptr) *current = std::move(value);
      if (iequals(name, "Status")) stanza_.has_status = true;
    }
    MTR_TRY_STATUS(flush());
    warnings_.finish();
    return core::Ok{};
  }

 private:
  std::string* field(std::string_view name) {
    if (iequals(name, "Package")) return &stanza_.package;
    if (iequals(name, "Version")) return &stanza_.version;
    if (iequals(name, "Architecture")) return &stanza_.arch;
    if (iequals(name, "Source")) return &stanza_.source;
    if (iequals(name, "Status")) return &stanza_.status;
    return nullptr;
  }

  void warn(std::size_t line, std::string_view what) {
    warnings_.add(fmt::format("{}:{}: {}", path_, line, what));
  }

  core::Status flush() {
    Stanza stanza = std::move(stanza_);
    stanza_ = Stanza{};
    if (stanza.fields == 0 && !stanza.broken) return core::Ok{};
    if (stanza.broken) {
      warn(stanza.line, "stanza skipped: malformed lines");
      return core::Ok{};
    }
    // The status file lists every package dpkg knows, installed or not; status.d (distroless)
    // holds only installed ones and has no Status field.
    if (stanza.has_status ? !installed(stanza.status) : !status_d_) return core::Ok{};
    if (stanza.package.empty()) {
      warn(stanza.line, "stanza skipped: no Package field");
      return core::Ok{};
    }
    if (stanza.version.empty()) {
      warn(stanza.line, fmt::format("package '{}' skipped: no Version field", stanza.package));
      return core::Ok{};
    }
    if (result_.packages.size() >= kMaxPackagesPerDatabase) {
      return core::fail(core::ErrorCode::kLimitExceeded,
                        fmt::format("more than {} packages", kMaxPackagesPerDatabase),
                        {std::string(path_), stanza.line, 0, {}});
    }
    Package pkg;
    pkg.name = std::move(stanza.package);
    pkg.version = std::move(stanza.version);
    pkg.ecosystem = "deb";
    pkg.arch = std::move(stanza.arch);
    // Source is "name" or "name (version)"; absent means the binary is its own source.
    std::string_view source = stanza.source;
    if (source.empty()) {
      pkg.source_name = pkg.name;
      pkg.source_version = pkg.version;
    } else if (auto open = source.find('('); open != std::string_view::npos) {
      pkg.source_name = std::string(trim(source.substr(0, open)));
      auto inner = source.substr(open + 1);
      pkg.source_version = std::string(trim(inner.substr(0, inner.find(')'))));
    } else {
      pkg.source_name = std::string(trim(source));
      pkg.source_version = pkg.version;
    }
    pkg.found_in = std::string(path_);
    pkg.cataloger = "dpkg";
    result_.packages.push_back(std::move(pkg));
    return core::Ok{};
  }

  std::string_view path_;
  bool status_d_;
  CatalogResult& result_;
  detail::Warnings warnings_;
  Stanza stanza_;
};

bool in_status_d(std::string_view path) {
  if (!path.starts_with(kStatusDir)) return false;
  auto name = path.substr(kStatusDir.size());
  return !name.empty() && name.find('/') == std::string_view::npos && !name.ends_with(".md5sums");
}

// "/usr/share/doc/NAME/copyright" → NAME, or empty.
std::string_view copyright_package(std::string_view path) {
  if (!path.starts_with(kDocDir) || !path.ends_with(kCopyright)) return {};
  if (path.size() <= kDocDir.size() + kCopyright.size()) return {};
  auto name = path.substr(kDocDir.size(), path.size() - kDocDir.size() - kCopyright.size());
  if (name.find('/') != std::string_view::npos) return {};
  return name;
}

class DpkgCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "dpkg"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override {
    return file.path == kStatusPath || in_status_d(file.path);
  }
  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    return parse_dpkg_status(file.path, content);
  }
  bool database() const override { return true; }
};

class DpkgCopyrightCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "dpkg-copyright"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override {
    return !copyright_package(file.path).empty();
  }
  std::uint64_t max_size() const override { return kMaxCopyrightBytes; }
  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    auto name = copyright_package(file.path);
    if (name.empty()) return result;
    auto licenses = parse_dep5_licenses(content);
    if (!licenses.empty())
      result.licenses.push_back(LicenseFact{"deb", std::string(name), std::move(licenses)});
    return result;
  }
};

}  // namespace

core::Result<CatalogResult> parse_dpkg_status(std::string_view path, std::string_view content) {
  CatalogResult result;
  if (path.ends_with(".md5sums")) return result;  // file lists beside distroless stanzas
  DpkgParser parser(path, path.starts_with(kStatusDir), result);
  MTR_TRY_STATUS(parser.parse(content));
  return result;
}

std::vector<std::string> parse_dep5_licenses(std::string_view content) {
  std::vector<std::string> licenses;
  detail::LineReader lines(content);
  std::string_view line;
  constexpr std::string_view kField = "License:";
  while (lines.next(line)) {
    if (line.size() < kField.size() || !iequals(line.substr(0, kField.size()), kField)) continue;
    auto value = trim(line.substr(kField.size()));
    if (value.empty() || value.size() > kMaxLicenseNameBytes) continue;
    // Names are free text in DEP-5; control bytes mean this is not a copyright file.
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; }))
      continue;
    std::string name(value);
    if (std::find(licenses.begin(), licenses.end(), name) == licenses.end())
      licenses.push_back(std::move(name));
    if (licenses.size() >= kMaxFieldsPerStanza) break;
  }
  return licenses;
}

std::unique_ptr<Cataloger> make_dpkg_cataloger() { return std::make_unique<DpkgCataloger>(); }
std::unique_ptr<Cataloger> make_dpkg_copyright_cataloger() {
  return std::make_unique<DpkgCopyrightCataloger>();
}

}  // namespace mtr::inventory::os
