// npm installed packages (node_modules/**/package.json) and the lock files of npm and yarn.
#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

using detail::ends_with;
using detail::starts_with;

constexpr std::string_view kEcosystem = "npm";
constexpr std::string_view kNodeModules = "/node_modules/";
// Lock v1 nests `dependencies` per level of node_modules; real trees stay far below this.
constexpr int kMaxLockV1Depth = 64;

// dpkg owns these trees (Debian's node-* packages); the dpkg cataloger reports them.
bool debian_nodejs_tree(std::string_view path) {
  return starts_with(path, "/usr/share/nodejs/") || starts_with(path, "/usr/lib/nodejs/");
}

bool inside_node_modules(std::string_view path) {
  return path.find(kNodeModules) != std::string_view::npos;
}

Package npm_package(std::string_view full_name, std::string version, std::string_view found_in,
                    std::string_view cataloger) {
  // Scoped names "@scope/pkg": the scope is the purl namespace (with its '@').
  auto [ns, name] = detail::split_namespace(full_name);
  Package p =
      detail::make_package(std::move(name), std::move(version), kEcosystem, found_in, cataloger);
  p.purl_namespace = std::move(ns);
  return p;
}

// "license": "MIT" | {"type": "MIT"} | ["MIT", {"type": "ISC"}]; legacy "licenses": [...].
void add_license_value(const nlohmann::json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    auto s = value.get<std::string>();
    if (!s.empty()) out.push_back(std::move(s));
  } else if (value.is_object()) {
    auto type = detail::json_string(value, "type");
    if (!type.empty()) out.push_back(std::move(type));
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (!item.is_array()) add_license_value(item, out);
    }
  }
}

std::vector<std::string> licenses_of(const nlohmann::json& object) {
  std::vector<std::string> out;
  if (const auto it = object.find("license"); it != object.end()) add_license_value(*it, out);
  if (out.empty()) {
    if (const auto it = object.find("licenses"); it != object.end()) add_license_value(*it, out);
  }
  return out;
}

class NpmPackageJsonCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "npm-package-json"; }
  int version() const override { return 1; }
  std::uint64_t max_size() const override { return 4ull << 20; }

  bool required(const FileMeta& file) const override {
    const std::string_view path = file.path;
    if (!ends_with(path, "/package.json")) return false;
    const auto nm = path.rfind(kNodeModules);
    if (nm == std::string_view::npos || debian_nodejs_tree(path)) return false;
    // Only the package's own manifest: node_modules/NAME/package.json or
    // node_modules/@SCOPE/NAME/package.json, not files deeper inside a package.
    const std::string_view rest = path.substr(nm + kNodeModules.size());
    const auto slashes = static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '/'));
    return (!rest.empty() && rest[0] == '@') ? slashes == 2 : slashes == 1;
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    const auto doc = MTR_TRY(detail::parse_json(content, file.path));
    CatalogResult result;
    if (!doc.is_object()) return result;
    const auto name = detail::json_string(doc, "name");
    auto version = detail::json_string(doc, "version");
    if (name.empty() || version.empty()) return result;  // not an installed package
    Package p = npm_package(name, std::move(version), file.path, id());
    p.licenses = licenses_of(doc);
    result.packages.push_back(std::move(p));
    return result;
  }
};

class NpmLockCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "npm-lock"; }
  int version() const override { return 1; }

  bool required(const FileMeta& file) const override {
    return ends_with(file.path, "/package-lock.json") && !inside_node_modules(file.path) &&
           !debian_nodejs_tree(file.path);
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    const auto doc = MTR_TRY(detail::parse_json(content, file.path));
    CatalogResult result;
    if (!doc.is_object()) {
      return core::fail(core::ErrorCode::kInvalidInput, "package-lock.json is not a JSON object",
                        core::Location{std::string(file.path), 1, 0, {}});
    }
    if (const auto it = doc.find("packages"); it != doc.end() && it->is_object()) {
      read_packages_map(*it, file.path, result);
    } else if (const auto deps = doc.find("dependencies"); deps != doc.end() && deps->is_object()) {
      read_dependencies_tree(*deps, file.path, 0, result);
    }
    detail::dedupe(result.packages);
    return result;
  }

 private:
  // Lock v2/v3: {"": root, "node_modules/a": {...}, "node_modules/a/node_modules/@s/b": {...}}.
  void read_packages_map(const nlohmann::json& packages, std::string_view path,
                         CatalogResult& result) const {
    constexpr std::string_view kPrefix = "node_modules/";
    for (const auto& [key, entry] : packages.items()) {
      if (key.empty() || !entry.is_object()) continue;  // the root project
      const auto nm = key.rfind(kPrefix);
      if (nm == std::string::npos) continue;  // a workspace member's source folder
      if (const auto link = entry.find("link");
          link != entry.end() && link->is_boolean() && link->get<bool>()) {
        continue;  // a symlink to a workspace member, listed under its own key
      }
      auto version = detail::json_string(entry, "version");
      if (version.empty()) continue;
      // Aliases ("node_modules/alias": {"name": "real"}) are installed under the alias.
      std::string name = detail::json_string(entry, "name");
      if (name.empty()) name = key.substr(nm + kPrefix.size());
      Package p = npm_package(name, std::move(version), path, id());
      p.licenses = licenses_of(entry);
      result.packages.push_back(std::move(p));
    }
  }

  // Lock v1: {"name": {"version": "1.0.0", "dependencies": {...nested...}}}.
  void read_dependencies_tree(const nlohmann::json& deps, std::string_view path, int depth,
                              CatalogResult& result) const {
    if (depth > kMaxLockV1Depth) {
      result.warnings.push_back(fmt::format("{}: dependencies nested deeper than {}; rest skipped",
                                            path, kMaxLockV1Depth));
      return;
    }
    for (const auto& [key, entry] : deps.items()) {
      if (!entry.is_object()) continue;
      std::string name = key;
      std::string version = detail::json_string(entry, "version");
      // Aliases: "version": "npm:real-name@1.2.3".
      if (starts_with(version, "npm:")) {
        const std::string spec = version.substr(4);
        const auto at = spec.rfind('@');
        if (at != std::string::npos && at > 0) {
          name = spec.substr(0, at);
          version = spec.substr(at + 1);
        }
      }
      if (!version.empty())
        result.packages.push_back(npm_package(name, std::move(version), path, id()));
      if (const auto nested = entry.find("dependencies");
          nested != entry.end() && nested->is_object()) {
        read_dependencies_tree(*nested, path, depth + 1, result);
      }
    }
  }
};

std::string_view unquote(std::string_view s) {
  s = detail::trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

// "name@range", "@scope/name@npm:1.0.0" → "name", "@scope/name".
std::string_view name_of_spec(std::string_view spec) {
  spec = unquote(spec);
  const auto at = spec.find('@', 1);
  return at == std::string_view::npos ? spec : spec.substr(0, at);
}

class YarnLockCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "yarn-lock"; }
  int version() const override { return 1; }

  bool required(const FileMeta& file) const override {
    return ends_with(file.path, "/yarn.lock") && !inside_node_modules(file.path) &&
           !debian_nodejs_tree(file.path);
  }

  // Both dialects are "header:\n  key value" blocks: v1 writes `version "1.0.0"`, berry
  // (YAML) writes `version: 1.0.0`. Neither needs a general YAML parser.
  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    std::string current_name;
    bool skip_entry = false;
    std::uint64_t line_no = 0;
    for (const auto line : detail::split_lines(content)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      if (line[0] != ' ') {
        if (line.back() != ':') {
          return core::fail(core::ErrorCode::kInvalidInput,
                            "yarn.lock entry header does not end with ':'",
                            core::Location{std::string(file.path), line_no, 0, {}});
        }
        const std::string_view header = line.substr(0, line.size() - 1);
        const std::string_view first = header.substr(0, header.find(','));
        current_name = std::string(name_of_spec(first));
        // Berry's own bookkeeping and the project's workspace members are not dependencies.
        skip_entry = current_name == "__metadata" ||
                     header.find("@workspace:") != std::string_view::npos ||
                     header.find("@link:") != std::string_view::npos ||
                     header.find("@portal:") != std::string_view::npos;
        continue;
      }
      if (current_name.empty() || skip_entry) continue;
      const std::string_view body = detail::trim(line);
      // Only the entry's own `version` (two-space indent), not a dependency named "version".
      if (line.size() < 3 || line[2] == ' ' || !starts_with(body, "version")) continue;
      std::string_view rest = body.substr(7);
      if (rest.empty() || (rest[0] != ' ' && rest[0] != ':')) continue;
      if (rest[0] == ':') rest.remove_prefix(1);
      const std::string_view version = unquote(rest);
      if (version.empty()) continue;
      result.packages.push_back(npm_package(current_name, std::string(version), file.path, id()));
      current_name.clear();
    }
    detail::dedupe(result.packages);
    return result;
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_npm_package_json_cataloger() {
  return std::make_unique<NpmPackageJsonCataloger>();
}
std::unique_ptr<Cataloger> make_npm_lock_cataloger() {
  return std::make_unique<NpmLockCataloger>();
}
std::unique_ptr<Cataloger> make_yarn_lock_cataloger() {
  return std::make_unique<YarnLockCataloger>();
}

}  // namespace mtr::inventory::lang
