// Go modules compiled into ELF executables, read from the build info the Go linker embeds
// (the ".go.buildinfo" section, found by its magic when sections are stripped).
//
// Layout (see Go's debug/buildinfo): a 32-byte header "\xff Go buildinf:", pointer size,
// flags. Flag 0x2 (Go ≥ 1.18): two varint-length strings follow the header, the Go version
// and the module info. Otherwise the header holds two pointers to Go string headers
// (pointer, length) in the data segment, in the byte order of flag 0x1.
#include <fmt/format.h>

#include <cstring>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/detail/elf.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr std::size_t kHeaderSize = 32;
// Module info of very large programs is some hundred KiB; anything beyond this is corrupt.
constexpr std::uint64_t kMaxBuildInfoString = 4ull << 20;
// Magic look-alikes (the Go toolchain itself holds the magic as a constant) tried at most.
constexpr int kMaxMagicCandidates = 16;
constexpr std::size_t kModInfoSentinel = 16;

struct BuildInfo {
  std::string go_version;
  std::string mod_info;
};

// Unsigned LEB128 as Go's encoding/binary.Uvarint.
std::optional<std::uint64_t> read_uvarint(std::string_view& in) {
  std::uint64_t value = 0;
  for (unsigned i = 0; i < 10 && i < in.size(); ++i) {
    const auto byte = static_cast<std::uint8_t>(in[i]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      in.remove_prefix(i + 1);
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_inline_string(std::string_view& in) {
  const auto len = read_uvarint(in);
  if (!len || *len > kMaxBuildInfoString || *len > in.size()) return std::nullopt;
  std::string s(in.substr(0, static_cast<std::size_t>(*len)));
  in.remove_prefix(static_cast<std::size_t>(*len));
  return s;
}

std::optional<std::string> read_pointer_string(const detail::ElfView& elf, std::uint64_t addr,
                                               std::size_t ptr_size) {
  const auto header = elf.read_address(addr, 2 * ptr_size);
  if (!header) return std::nullopt;
  const std::uint64_t data = elf.read_uint(header->substr(0, ptr_size), ptr_size);
  const std::uint64_t len = elf.read_uint(header->substr(ptr_size, ptr_size), ptr_size);
  if (len > kMaxBuildInfoString) return std::nullopt;
  const auto bytes = elf.read_address(data, len);
  if (!bytes) return std::nullopt;
  return std::string(*bytes);
}

// Decodes the build info starting at `at` (which begins with the magic).
std::optional<BuildInfo> decode(const detail::ElfView& elf, std::string_view at) {
  if (at.size() < kHeaderSize || at.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  const auto ptr_size = static_cast<std::size_t>(static_cast<std::uint8_t>(at[14]));
  const auto flags = static_cast<std::uint8_t>(at[15]);
  BuildInfo info;
  if ((flags & 0x2) != 0) {
    std::string_view rest = at.substr(kHeaderSize);
    auto version = read_inline_string(rest);
    auto mod = version ? read_inline_string(rest) : std::nullopt;
    if (!mod) return std::nullopt;
    info.go_version = std::move(*version);
    info.mod_info = std::move(*mod);
  } else {
    if (ptr_size != 4 && ptr_size != 8) return std::nullopt;
    const bool big = (flags & 0x1) != 0;
    const std::uint64_t version_ptr = detail::read_uint(at.substr(16, ptr_size), ptr_size, big);
    const std::uint64_t mod_ptr =
        detail::read_uint(at.substr(16 + ptr_size, ptr_size), ptr_size, big);
    auto version = read_pointer_string(elf, version_ptr, ptr_size);
    auto mod = version ? read_pointer_string(elf, mod_ptr, ptr_size) : std::nullopt;
    if (!mod) return std::nullopt;
    info.go_version = std::move(*version);
    info.mod_info = std::move(*mod);
  }
  // The module info is framed by 16-byte sentinels so the linker can find it.
  std::string& mod = info.mod_info;
  if (mod.size() >= 2 * kModInfoSentinel + 1 && mod[mod.size() - kModInfoSentinel - 1] == '\n') {
    mod = mod.substr(kModInfoSentinel, mod.size() - 2 * kModInfoSentinel);
  }
  return info;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    fields.push_back(
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

Package go_package(std::string_view module_path, std::string version, std::string_view found_in,
                   std::string_view cataloger) {
  auto [ns, name] = detail::split_namespace(module_path);
  Package p =
      detail::make_package(std::move(name), std::move(version), "golang", found_in, cataloger);
  p.purl_namespace = std::move(ns);
  return p;
}

class GoBinaryCataloger final : public Cataloger {
 public:
  std::string_view id() const override { return "go-binary"; }
  int version() const override { return 1; }
  std::uint64_t max_size() const override { return 256ull << 20; }

  bool required(const FileMeta& file) const override {
    return file.executable() && file.size >= 64;
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    if (!detail::is_elf(content)) return result;  // scripts and other executables
    const auto elf = MTR_TRY(detail::ElfView::parse(content, file.path));

    std::optional<BuildInfo> info;
    if (const auto section = elf.section(".go.buildinfo")) info = decode(elf, *section);
    if (!info) {
      std::size_t from = 0;
      for (int tries = 0; tries < kMaxMagicCandidates && !info; ++tries) {
        const auto hit = content.find(kMagic, from);
        if (hit == std::string_view::npos) break;
        info = decode(elf, content.substr(hit));
        from = hit + 1;
      }
    }
    if (!info) return result;  // not a Go binary, or built without module support
    parse_mod_info(info->mod_info, file.path, result);

    // "go1.21.3" (or "go1.21.3 X:boringcrypto") → stdlib v1.21.3; "devel ..." has no release.
    std::string_view go = detail::trim(info->go_version);
    go = go.substr(0, go.find(' '));
    if (detail::starts_with(go, "go1")) {
      result.packages.push_back(detail::make_package("stdlib", "v" + std::string(go.substr(2)),
                                                     "golang", file.path, id()));
    }
    return result;
  }

 private:
  // Lines "path P", "mod P V SUM", "dep P V SUM", "=> P V SUM" (replaces the line above),
  // "build K=V", tab-separated.
  void parse_mod_info(std::string_view text, std::string_view path, CatalogResult& result) const {
    std::vector<Package> packages;
    bool last_is_module = false;
    for (const auto line : detail::split_lines(text)) {
      const auto fields = split_tabs(line);
      if (fields.size() < 2) continue;
      const std::string_view kind = fields[0];
      if (kind == "mod" || kind == "dep") {
        std::string version = fields.size() > 2 ? std::string(fields[2]) : std::string();
        if (version.empty()) version = "(devel)";
        packages.push_back(go_package(fields[1], std::move(version), path, id()));
        last_is_module = true;
      } else if (kind == "=>") {
        if (!last_is_module) {
          result.warnings.push_back(
              fmt::format("{}: Go build info has a replacement without a module", path));
          continue;
        }
        Package& target = packages.back();
        const std::string_view replacement = fields[1];
        const std::string_view version = fields.size() > 2 ? fields[2] : std::string_view{};
        // A local directory replacement ("../lib") has no version and no module path of its
        // own: keep the required module's name, marked as a development build.
        const bool local = version.empty() || detail::starts_with(replacement, ".") ||
                           detail::starts_with(replacement, "/");
        if (local) {
          target.version = "(devel)";
        } else {
          Package replaced = go_package(replacement, std::string(version), path, id());
          target = std::move(replaced);
        }
        last_is_module = false;
      } else {
        last_is_module = false;
      }
    }
    for (auto& p : packages) result.packages.push_back(std::move(p));
  }
};

}  // namespace

std::unique_ptr<Cataloger> make_go_binary_cataloger() {
  return std::make_unique<GoBinaryCataloger>();
}

}  // namespace mtr::inventory::lang
