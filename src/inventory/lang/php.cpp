// PHP Composer packages: composer.lock ("packages" and "packages-dev") and the installed
// list vendor/composer/installed.json (Composer 1 writes an array, Composer 2 an object
// {"packages": [...]}).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

void read_package_list(const nlohmann::json& list, std::string_view path,
                       std::string_view cataloger, CatalogResult& result) {
  if (!list.is_array()) return;
  for (const auto& entry : list) {
    const auto full_name = detail::json_string(entry, "name");
    auto version = detail::json_string(entry, "version");
    if (full_name.empty() || version.empty()) {
      result.warnings.push_back(
          fmt::format("{}: Composer package without name or version; skipped", path));
      continue;
    }
    auto [ns, name] = detail::split_namespace(full_name);  // "vendor/pkg"
    Package p =
        detail::make_package(std::move(name), std::move(version), "composer", path, cataloger);
    p.purl_namespace = std::move(ns);
    if (const auto lic = entry.find("license"); lic != entry.end()) {
      if (lic->is_string()) {
        p.licenses.push_back(lic->get<std::string>());
      } else if (lic->is_array()) {
        for (const auto& l : *lic) {
          if (l.is_string()) p.licenses.push_back(l.get<std::string>());
        }
      }
    }
    result.packages.push_back(std::move(p));
  }
}

core::Error not_composer(std::string_view path, std::string_view what) {
  return core::make_error(core::ErrorCode::kInvalidInput, fmt::format("not a Composer {}", what),
                          core::Location{std::string(path), 1, 0, {}});
}

class ComposerLockCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "composer-lock"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override {
    return detail::ends_with(file.path, "/composer.lock");
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    const auto doc = MTR_TRY(detail::parse_json(content, file.path));
    if (!doc.is_object()) return not_composer(file.path, "lock file");
    CatalogResult result;
    for (const char* key : {"packages", "packages-dev"}) {
      if (const auto it = doc.find(key); it != doc.end())
        read_package_list(*it, file.path, id(), result);
    }
    detail::dedupe(result.packages);
    return result;
  }
};

class ComposerInstalledCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "composer-installed"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override {
    return detail::ends_with(file.path, "/vendor/composer/installed.json");
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    const auto doc = MTR_TRY(detail::parse_json(content, file.path));
    CatalogResult result;
    if (doc.is_array()) {
      read_package_list(doc, file.path, id(), result);
    } else if (doc.is_object() && doc.contains("packages")) {
      read_package_list(doc["packages"], file.path, id(), result);
    } else {
      return not_composer(file.path, "installed.json");
    }
    detail::dedupe(result.packages);
    return result;
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_composer_lock_cataloger() {
  return std::make_unique<ComposerLockCataloger>();
}
std::unique_ptr<Cataloger> make_composer_installed_cataloger() {
  return std::make_unique<ComposerInstalledCataloger>();
}

}  // namespace mtr::inventory::lang
