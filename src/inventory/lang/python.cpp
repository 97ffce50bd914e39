// Python installed distributions: the core-metadata headers (RFC 822 style) that pip and
// setuptools write to *.dist-info/METADATA, *.egg-info/PKG-INFO or a bare *.egg-info file.
#include <fmt/format.h>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

constexpr std::string_view kClassifierPrefix = "License :: ";
// Headers end at the first blank line; the body is the long description, often huge.
constexpr std::size_t kMaxHeaderLines = 20'000;

class PythonCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "python-package"; }
  int version() const override { return 1; }
  std::uint64_t max_size() const override { return 16ull << 20; }

  bool required(const FileMeta& file) const override {
    const std::string_view base = detail::basename(file.path);
    if (base == "METADATA") return detail::iends_with(detail::dirname(file.path), "dist-info");
    if (base == "PKG-INFO") return detail::iends_with(detail::dirname(file.path), "egg-info");
    return detail::iends_with(base, ".egg-info");
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    std::string name, version, license, expression;
    bool license_multiline = false;
    std::vector<std::string> classifiers;
    std::string* last = nullptr;  // the header a continuation line belongs to
    std::size_t count = 0;
    for (const auto line : detail::split_lines(content)) {
      if (line.empty()) break;
      if (++count > kMaxHeaderLines) {
        result.warnings.push_back(
            fmt::format("{}: more than {} header lines; rest ignored", file.path, kMaxHeaderLines));
        break;
      }
      if (line[0] == ' ' || line[0] == '\t') {
        if (last == &license) license_multiline = true;
        continue;
      }
      last = nullptr;
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string_view key = line.substr(0, colon);
      const std::string_view value = detail::trim(line.substr(colon + 1));
      if (key == "Name") {
        name = std::string(value);
      } else if (key == "Version") {
        version = std::string(value);
      } else if (key == "License") {
        license = std::string(value);
        last = &license;
      } else if (key == "License-Expression") {
        expression = std::string(value);
      } else if (key == "Classifier" && detail::starts_with(value, kClassifierPrefix)) {
        // "License :: OSI Approved :: MIT License" → "MIT License".
        const auto sep = value.rfind(" :: ");
        const std::string_view last_part = value.substr(sep + 4);
        if (last_part != "OSI Approved") classifiers.emplace_back(last_part);
      }
    }
    if (name.empty() || version.empty()) {
      result.warnings.push_back(
          fmt::format("{}: Python metadata without Name or Version; skipped", file.path));
      return result;
    }
    Package p = detail::make_package(std::move(name), std::move(version), "pypi", file.path, id());
    // The SPDX expression is authoritative; a multi-line License is a pasted license text,
    // not a name, so the classifiers are the better source then.
    if (!expression.empty()) {
      p.licenses.push_back(std::move(expression));
    } else if (!license.empty() && !license_multiline && license != "UNKNOWN") {
      p.licenses.push_back(std::move(license));
    } else {
      p.licenses = std::move(classifiers);
    }
    result.packages.push_back(std::move(p));
    return result;
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_python_cataloger() { return std::make_unique<PythonCataloger>(); }

}  // namespace mtr::inventory::lang
