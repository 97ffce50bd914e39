// .NET: the *.deps.json file the SDK writes beside an application, whose "libraries" map
// "Name/Version" to {"type": "package" | "project" | "referenceassembly" | ...}. Only NuGet
// packages are reported: projects are the application itself, reference assemblies ship
// with the runtime.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

class DotnetDepsCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "dotnet-deps"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override {
    return detail::ends_with(file.path, ".deps.json");
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    const auto doc = MTR_TRY(detail::parse_json(content, file.path));
    CatalogResult result;
    const auto libraries = doc.is_object() ? doc.find("libraries") : doc.end();
    if (!doc.is_object() || libraries == doc.end() || !libraries->is_object()) {
      return core::fail(core::ErrorCode::kInvalidInput, "deps.json has no 'libraries' object",
                        core::Location{std::string(file.path), 1, 0, {}});
    }
    for (const auto& [key, entry] : libraries->items()) {
      if (detail::json_string(entry, "type") != "package") continue;
      const auto slash = key.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) {
        result.warnings.push_back(
            fmt::format("{}: library '{}' is not Name/Version; skipped", file.path, key));
        continue;
      }
      result.packages.push_back(detail::make_package(key.substr(0, slash), key.substr(slash + 1),
                                                     "nuget", file.path, id()));
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_dotnet_deps_cataloger() {
  return std::make_unique<DotnetDepsCataloger>();
}

}  // namespace mtr::inventory::lang
