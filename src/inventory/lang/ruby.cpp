// Ruby gems: the specifications/*.gemspec files RubyGems writes when it installs a gem, and
// the `specs:` sections of Gemfile.lock (a lock-file cataloger).
//
// Installed gemspecs are generated Ruby, not hand-written: one assignment per line
// (`s.name = "rack".freeze`), so reading quoted literals of known attributes is enough and
// nothing is evaluated.
#include <fmt/format.h>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

constexpr std::string_view kEcosystem = "gem";
constexpr std::size_t kMaxLicenses = 64;

// Quoted literals ("x" or 'x') of `text`, in order; stops at an unterminated one.
std::vector<std::string> quoted_strings(std::string_view text, std::size_t max) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < max) {
    const char q = text[i];
    if (q != '"' && q != '\'') {
      ++i;
      continue;
    }
    const auto end = text.find(q, i + 1);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  return out;
}

class GemspecCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "gemspec"; }
  int version() const override { return 1; }
  std::uint64_t max_size() const override { return 1ull << 20; }

  bool required(const FileMeta& file) const override {
    return detail::ends_with(file.path, ".gemspec") &&
           detail::ends_with(detail::dirname(file.path), "/specifications");
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    std::string name, version;
    std::vector<std::string> licenses;
    for (const auto raw : detail::split_lines(content)) {
      const std::string_view line = detail::trim(raw);
      // "# stub: rack 2.2.3 ruby lib" — RubyGems' own summary, used when assignments are absent.
      if (detail::starts_with(line, "# stub: ")) {
        const std::string_view rest = line.substr(8);
        const auto sp = rest.find(' ');
        if (sp != std::string_view::npos && name.empty()) {
          name = std::string(rest.substr(0, sp));
          const std::string_view v = rest.substr(sp + 1);
          version = std::string(v.substr(0, v.find(' ')));
        }
        continue;
      }
      if (line.empty() || line[0] == '#') continue;
      // "<var>.<attr> = <value>"
      const auto dot = line.find('.');
      const auto eq = line.find('=');
      if (dot == std::string_view::npos || eq == std::string_view::npos || dot > eq ||
          line.substr(eq, 2) == "==")
        continue;
      const std::string_view attr = detail::trim(line.substr(dot + 1, eq - dot - 1));
      const std::string_view value = line.substr(eq + 1);
      if (attr == "name") {
        auto s = quoted_strings(value, 1);
        if (!s.empty()) name = std::move(s[0]);
      } else if (attr == "version") {  // "1.2" or Gem::Version.new("1.2")
        auto s = quoted_strings(value, 1);
        if (!s.empty()) version = std::move(s[0]);
      } else if (attr == "license" || attr == "licenses") {
        licenses = quoted_strings(value, kMaxLicenses);
      }
    }
    if (name.empty() || version.empty()) {
      result.warnings.push_back(
          fmt::format("{}: gemspec without name or version; skipped", file.path));
      return result;
    }
    Package p =
        detail::make_package(std::move(name), std::move(version), kEcosystem, file.path, id());
    p.licenses = std::move(licenses);
    result.packages.push_back(std::move(p));
    return result;
  }
};

class GemfileLockCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "gemfile-lock"; }
  int version() const override { return 1; }

  bool required(const FileMeta& file) const override {
    return detail::ends_with(file.path, "/Gemfile.lock");
  }

  // Sections (GEM, GIT, PATH) start at column 0; each `  specs:` lists gems at four spaces
  // ("rack (2.2.3)") and their requirements at six.
  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    bool in_specs = false;
    std::uint64_t line_no = 0;
    for (const auto line : detail::split_lines(content)) {
      ++line_no;
      if (line.empty()) {
        in_specs = false;
        continue;
      }
      if (line[0] != ' ') {
        in_specs = false;
        continue;
      }
      if (line == "  specs:") {
        in_specs = true;
        continue;
      }
      if (!in_specs || !detail::starts_with(line, "    ") || (line.size() > 4 && line[4] == ' '))
        continue;
      const std::string_view spec = detail::trim(line);
      const auto open = spec.find(" (");
      if (open == std::string_view::npos || spec.back() != ')') {
        return core::fail(core::ErrorCode::kInvalidInput,
                          "Gemfile.lock spec is not 'name (version)'",
                          core::Location{std::string(file.path), line_no, 5, {}});
      }
      std::string_view version = spec.substr(open + 2, spec.size() - open - 3);
      result.packages.push_back(detail::make_package(
          std::string(spec.substr(0, open)), std::string(version), kEcosystem, file.path, id()));
    }
    detail::dedupe(result.packages);
    return result;
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_gemspec_cataloger() { return std::make_unique<GemspecCataloger>(); }
std::unique_ptr<Cataloger> make_gemfile_lock_cataloger() {
  return std::make_unique<GemfileLockCataloger>();
}

}  // namespace mtr::inventory::lang
