// Rust crates: Cargo.lock ([[package]] tables, read with a small bounded TOML subset) and
// binaries built with cargo-auditable, whose ELF section ".dep-v0" holds zlib-compressed JSON
// {"packages": [{"name", "version", "kind", ...}]}.
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/detail/elf.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

constexpr std::string_view kEcosystem = "cargo";
// The audit data of a binary with thousands of crates is some hundred KiB of JSON.
constexpr std::uint64_t kMaxAuditJsonBytes = 8ull << 20;
constexpr std::uint64_t kMaxCargoLockPackages = 100'000;

// A TOML basic ("...") or literal ('...') string at the start of `value`; nullopt when
// unterminated.
std::optional<std::string> toml_string(std::string_view value) {
  value = detail::trim(value);
  if (value.empty() || (value[0] != '"' && value[0] != '\'')) return std::nullopt;
  const char quote = value[0];
  std::string out;
  for (std::size_t i = 1; i < value.size(); ++i) {
    const char c = value[i];
    if (c == quote) return out;
    if (c == '\\' && quote == '"' && i + 1 < value.size()) {
      const char e = value[++i];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        default:
          out.push_back(e);
          break;  // \" \\ and the rest kept literally
      }
      continue;
    }
    out.push_back(c);
  }
  return std::nullopt;
}

class CargoLockCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "cargo-lock"; }
  int version() const override { return 1; }
  bool required(const FileMeta& file) const override {
    return detail::ends_with(file.path, "/Cargo.lock");
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    bool in_package = false;
    std::string name, version;
    std::uint64_t line_no = 0;
    auto flush = [&]() {
      if (in_package && !name.empty() && !version.empty()) {
        result.packages.push_back(detail::make_package(name, version, kEcosystem, file.path, id()));
      }
      name.clear();
      version.clear();
    };
    for (const auto raw : detail::split_lines(content)) {
      ++line_no;
      const std::string_view line = detail::trim(raw);
      if (line.empty() || line[0] == '#') continue;
      if (line[0] == '[' && raw[0] == '[') {  // a table header, not an array continuation
        flush();
        in_package = line == "[[package]]";
        if (result.packages.size() >= kMaxCargoLockPackages) {
          result.warnings.push_back(fmt::format("{}: more than {} packages; rest ignored",
                                                file.path, kMaxCargoLockPackages));
          return result;
        }
        continue;
      }
      if (!in_package) continue;
      const auto eq = line.find('=');
      if (eq == std::string_view::npos) continue;  // inside a multi-line array
      const std::string_view key = detail::trim(line.substr(0, eq));
      if (key != "name" && key != "version") continue;
      auto value = toml_string(line.substr(eq + 1));
      if (!value) {
        return core::fail(core::ErrorCode::kInvalidInput,
                          fmt::format("Cargo.lock: '{}' is not a terminated string", key),
                          core::Location{std::string(file.path), line_no, 0, {}});
      }
      (key == "name" ? name : version) = std::move(*value);
    }
    flush();
    // A crate pinned both from the registry and from git appears twice with one coordinate.
    detail::dedupe(result.packages);
    return result;
  }
};

// Inflates zlib data, refusing more than `limit` bytes of output.
core::Result<std::string> inflate_bounded(std::string_view in, std::uint64_t limit,
                                          std::string_view file) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return core::fail(core::ErrorCode::kInternal, "inflateInit failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));  // zlib's API is not const
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
  std::string out;
  char buffer[16 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return core::fail(core::ErrorCode::kInvalidInput, "corrupt zlib data in .dep-v0",
                        core::Location{std::string(file), 0, 0,
                                       fmt::format("compressed offset {}", zs.total_in)});
    }
    const std::size_t produced = sizeof buffer - zs.avail_out;
    if (out.size() + produced > limit) {
      inflateEnd(&zs);
      return core::fail(core::ErrorCode::kLimitExceeded,
                        fmt::format(".dep-v0 inflates to more than {} bytes", limit),
                        core::Location{std::string(file), 0, 0, {}});
    }
    out.append(buffer, produced);
    if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
      inflateEnd(&zs);
      return core::fail(core::ErrorCode::kInvalidInput, "truncated zlib data in .dep-v0",
                        core::Location{std::string(file), 0, 0, {}});
    }
  }
  inflateEnd(&zs);
  return out;
}

class CargoAuditableCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "cargo-auditable"; }
  int version() const override { return 1; }
  std::uint64_t max_size() const override { return 256ull << 20; }
  bool required(const FileMeta& file) const override {
    return file.executable() && file.size >= 64;
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    if (!detail::is_elf(content)) return result;
    const auto elf = MTR_TRY(detail::ElfView::parse(content, file.path));
    const auto section = elf.section(".dep-v0");
    if (!section) return result;  // not built with cargo-auditable
    const auto json_text = MTR_TRY(inflate_bounded(*section, kMaxAuditJsonBytes, file.path));
    const std::string where = std::string(file.path) + " (.dep-v0)";
    const auto doc = MTR_TRY(detail::parse_json(json_text, where));
    const auto packages = doc.is_object() ? doc.find("packages") : doc.end();
    if (!doc.is_object() || packages == doc.end() || !packages->is_array()) {
      return core::fail(core::ErrorCode::kInvalidInput, "audit data has no 'packages' array",
                        core::Location{where, 0, 0, {}});
    }
    for (const auto& entry : *packages) {
      // Build-time dependencies (build scripts, proc macros) are not linked into the binary.
      if (detail::json_string(entry, "kind") == "build") continue;
      auto name = detail::json_string(entry, "name");
      auto version = detail::json_string(entry, "version");
      if (name.empty() || version.empty()) continue;
      result.packages.push_back(
          detail::make_package(std::move(name), std::move(version), kEcosystem, file.path, id()));
    }
    detail::dedupe(result.packages);
    return result;
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_cargo_lock_cataloger() {
  return std::make_unique<CargoLockCataloger>();
}
std::unique_ptr<Cataloger> make_cargo_auditable_cataloger() {
  return std::make_unique<CargoAuditableCataloger>();
}

}  // namespace mtr::inventory::lang
