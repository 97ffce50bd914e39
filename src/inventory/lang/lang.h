// Language-ecosystem catalogers: installed packages (node_modules, site-packages, gem
// specifications, vendor/composer, Java archives, Go and Rust binaries) and lock files.
//
// Lock-file catalogers carry their own ids ("npm-lock", "yarn-lock", "gemfile-lock",
// "cargo-lock", "composer-lock") so that the merge can prefer the installed copy of a
// package when an image holds both node_modules and the lock file that produced it.
//
// Debian's /usr/share/nodejs and /usr/lib/nodejs trees are skipped: dpkg owns them and the
// dpkg cataloger already reports them; listing them again as npm packages doubles findings.
#pragma once

#include <cstdint>
#include <memory>

#include "inventory/cataloger.h"

namespace mtr::inventory::lang {

// npm: node_modules/**/package.json ("npm-package-json"), package-lock.json ("npm-lock"),
// yarn.lock v1 and berry ("yarn-lock").
std::unique_ptr<Cataloger> make_npm_package_json_cataloger();
std::unique_ptr<Cataloger> make_npm_lock_cataloger();
std::unique_ptr<Cataloger> make_yarn_lock_cataloger();

// Python: *.dist-info/METADATA, *.egg-info/PKG-INFO and *.egg-info files ("python-package").
std::unique_ptr<Cataloger> make_python_cataloger();

// Go module build info embedded in ELF executables ("go-binary").
std::unique_ptr<Cataloger> make_go_binary_cataloger();

// Java archives with nested archives ("java-archive").
inline constexpr int kMaxNestedDepth = 4;
struct JavaArchiveOptions {
  int max_nested_depth = kMaxNestedDepth;               // archives inside archives
  std::uint64_t max_total_uncompressed = 512ull << 20;  // bytes inflated per outer archive
  std::uint64_t max_entries = 200'000;                  // entries visited per outer archive
};
std::unique_ptr<Cataloger> make_java_archive_cataloger(JavaArchiveOptions options = {});

// Ruby: specifications/*.gemspec ("gemspec") and Gemfile.lock ("gemfile-lock").
std::unique_ptr<Cataloger> make_gemspec_cataloger();
std::unique_ptr<Cataloger> make_gemfile_lock_cataloger();

// Rust: Cargo.lock ("cargo-lock") and cargo-auditable binaries ("cargo-auditable").
std::unique_ptr<Cataloger> make_cargo_lock_cataloger();
std::unique_ptr<Cataloger> make_cargo_auditable_cataloger();

// PHP: composer.lock ("composer-lock") and vendor/composer/installed.json ("composer-installed").
std::unique_ptr<Cataloger> make_composer_lock_cataloger();
std::unique_ptr<Cataloger> make_composer_installed_cataloger();

// .NET: *.deps.json ("dotnet-deps").
std::unique_ptr<Cataloger> make_dotnet_deps_cataloger();

}  // namespace mtr::inventory::lang
