// apk: /lib/apk/db/installed (apk-tools 2) and /usr/lib/apk/db/installed (apk-tools 3).
// One stanza per package, "K:value" lines, stanzas separated by a blank line. File lists
// (F:, R:, Z:, a:, M:) make stanzas long, so line counts are bounded by the file size only.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "inventory/os/detail/text.h"
#include "inventory/os/os_catalogers.h"

namespace mtr::inventory::os {
namespace {

struct Stanza {
  std::size_t line = 0;
  bool any = false;
  std::string name, version, arch, license, origin;
};

class ApkCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "apk"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override {
    return file.path == "/lib/apk/db/installed" || file.path == "/usr/lib/apk/db/installed";
  }
  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    return parse_apk_installed(file.path, content);
  }
  bool database() const override { return true; }
};

}  // namespace

core::Result<CatalogResult> parse_apk_installed(std::string_view path, std::string_view content) {
  CatalogResult result;
  detail::Warnings warnings(result.warnings, kMaxWarningsPerFile);
  Stanza stanza;

  auto flush = [&]() -> core::Status {
    Stanza done = std::move(stanza);
    stanza = Stanza{};
    if (!done.any) return core::Ok{};
    if (done.name.empty()) {
      warnings.add(fmt::format("{}:{}: stanza skipped: no P: (name) line", path, done.line));
      return core::Ok{};
    }
    if (done.version.empty()) {
      warnings.add(fmt::format("{}:{}: package '{}' skipped: no V: (version) line", path, done.line,
                               done.name));
      return core::Ok{};
    }
    if (result.packages.size() >= kMaxPackagesPerDatabase) {
      return core::fail(core::ErrorCode::kLimitExceeded,
                        fmt::format("more than {} packages", kMaxPackagesPerDatabase),
                        {std::string(path), done.line, 0, {}});
    }
    Package pkg;
    pkg.name = std::move(done.name);
    pkg.version = std::move(done.version);
    pkg.ecosystem = "apk";
    pkg.arch = std::move(done.arch);
    // The origin is the APKBUILD the package was built from; sub-packages share it.
    pkg.source_name = done.origin.empty() ? pkg.name : std::move(done.origin);
    pkg.source_version = pkg.version;
    if (!done.license.empty()) pkg.licenses.push_back(std::move(done.license));
    pkg.found_in = std::string(path);
    pkg.cataloger = "apk";
    result.packages.push_back(std::move(pkg));
    return core::Ok{};
  };

  detail::LineReader lines(content);
  std::string_view line;
  while (lines.next(line)) {
    if (detail::trim(line).empty()) {
      MTR_TRY_STATUS(flush());
      continue;
    }
    if (!stanza.any) {
      stanza.any = true;
      stanza.line = lines.number();
    }
    if (line.size() < 2 || line[1] != ':') {
      warnings.add(fmt::format("{}:{}: line is not a 'K:value' pair", path, lines.number()));
      continue;
    }
    auto value = std::string(detail::trim(line.substr(2)));
    switch (line[0]) {
      case 'P':
        stanza.name = std::move(value);
        break;
      case 'V':
        stanza.version = std::move(value);
        break;
      case 'A':
        stanza.arch = std::move(value);
        break;
      case 'L':
        stanza.license = std::move(value);
        break;
      case 'o':
        stanza.origin = std::move(value);
        break;
      default:
        break;
    }
  }
  MTR_TRY_STATUS(flush());
  warnings.finish();
  return result;
}

std::unique_ptr<Cataloger> make_apk_cataloger() { return std::make_unique<ApkCataloger>(); }

}  // namespace mtr::inventory::os
