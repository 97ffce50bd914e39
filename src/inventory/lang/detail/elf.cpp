#include "inventory/lang/detail/elf.h"

#include <fmt/format.h>

#include <string>

namespace mtr::inventory::lang::detail {
namespace {

constexpr std::uint32_t kShtNobits = 8;
constexpr std::uint32_t kPtLoad = 1;

bool in_bounds(std::uint64_t offset, std::uint64_t size, std::uint64_t total) {
  return offset <= total && size <= total - offset;
}

core::Error elf_error(std::string_view file, std::uint64_t offset, std::string message) {
  return core::make_error(
      core::ErrorCode::kInvalidInput, std::move(message),
      core::Location{std::string(file), 0, 0, fmt::format("ELF offset {}", offset)});
}

}  // namespace

bool is_elf(std::string_view content) {
  return content.size() >= 52 && content.substr(0, 4) ==
                                     "\x7f"
                                     "ELF";
}

std::uint64_t read_uint(std::string_view bytes, std::size_t width, bool big_endian) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width && i < bytes.size(); ++i) {
    const std::size_t index = big_endian ? i : width - 1 - i;
    v = (v << 8) | static_cast<std::uint8_t>(bytes[index]);
  }
  return v;
}

std::uint64_t ElfView::read_uint(std::string_view bytes, std::size_t width) const {
  return detail::read_uint(bytes, width, big_endian_);
}

core::Result<ElfView> ElfView::parse(std::string_view content, std::string_view file) {
  if (!is_elf(content)) return elf_error(file, 0, "not an ELF file");
  ElfView elf;
  elf.data_ = content;
  const auto cls = static_cast<std::uint8_t>(content[4]);
  const auto enc = static_cast<std::uint8_t>(content[5]);
  if ((cls != 1 && cls != 2) || (enc != 1 && enc != 2))
    return elf_error(file, 4, "unknown ELF class or byte order");
  elf.is64_ = cls == 2;
  elf.big_endian_ = enc == 2;
  if (elf.is64_ && content.size() < 64) return elf_error(file, 0, "truncated ELF header");
  auto field = [&](std::size_t offset, std::size_t width) {
    return elf.read_uint(content.substr(offset, width), width);
  };

  const std::uint64_t phoff = elf.is64_ ? field(0x20, 8) : field(0x1C, 4);
  const std::uint64_t shoff = elf.is64_ ? field(0x28, 8) : field(0x20, 4);
  const std::uint64_t phentsize = elf.is64_ ? field(0x36, 2) : field(0x2A, 2);
  const std::uint64_t phnum = elf.is64_ ? field(0x38, 2) : field(0x2C, 2);
  const std::uint64_t shentsize = elf.is64_ ? field(0x3A, 2) : field(0x2E, 2);
  const std::uint64_t shnum = elf.is64_ ? field(0x3C, 2) : field(0x30, 2);
  const std::uint64_t shstrndx = elf.is64_ ? field(0x3E, 2) : field(0x32, 2);
  const std::uint64_t total = content.size();

  // Program headers: PT_LOAD segments map virtual addresses to file offsets.
  const std::uint64_t ph_min = elf.is64_ ? 56 : 32;
  if (phnum > 0) {
    if (phentsize < ph_min || phnum > kMaxElfSegments ||
        !in_bounds(phoff, phentsize * phnum, total)) {
      return elf_error(file, phoff, "program header table out of bounds");
    }
    for (std::uint64_t i = 0; i < phnum; ++i) {
      const auto at = static_cast<std::size_t>(phoff + i * phentsize);
      if (field(at, 4) != kPtLoad) continue;
      Segment s;
      s.offset = elf.is64_ ? field(at + 8, 8) : field(at + 4, 4);
      s.vaddr = elf.is64_ ? field(at + 16, 8) : field(at + 8, 4);
      s.filesz = elf.is64_ ? field(at + 32, 8) : field(at + 16, 4);
      if (!in_bounds(s.offset, s.filesz, total)) continue;  // truncated file: segment unusable
      elf.segments_.push_back(s);
    }
  }

  // Section headers, named through the section-name string table.
  const std::uint64_t sh_min = elf.is64_ ? 64 : 40;
  if (shnum > 0) {
    if (shentsize < sh_min || shnum > kMaxElfSections ||
        !in_bounds(shoff, shentsize * shnum, total)) {
      return elf_error(file, shoff, "section header table out of bounds");
    }
    auto header = [&](std::uint64_t index) {
      const auto at = static_cast<std::size_t>(shoff + index * shentsize);
      Section s;
      s.type = static_cast<std::uint32_t>(field(at + 4, 4));
      s.flags = elf.is64_ ? field(at + 8, 8) : field(at + 8, 4);
      s.addr = elf.is64_ ? field(at + 16, 8) : field(at + 12, 4);
      s.offset = elf.is64_ ? field(at + 24, 8) : field(at + 16, 4);
      s.size = elf.is64_ ? field(at + 32, 8) : field(at + 20, 4);
      return std::make_pair(static_cast<std::uint64_t>(field(at, 4)), s);
    };
    std::string_view names;
    if (shstrndx < shnum) {
      const auto [unused, strtab] = header(shstrndx);
      static_cast<void>(unused);
      if (strtab.type != kShtNobits && in_bounds(strtab.offset, strtab.size, total)) {
        names = content.substr(static_cast<std::size_t>(strtab.offset),
                               static_cast<std::size_t>(strtab.size));
      }
    }
    for (std::uint64_t i = 0; i < shnum; ++i) {
      auto [name_offset, s] = header(i);
      if (name_offset < names.size()) {
        std::string_view n = names.substr(static_cast<std::size_t>(name_offset));
        s.name = n.substr(0, n.find('\0'));
      }
      elf.sections_.push_back(s);
    }
  }
  return elf;
}

std::optional<std::string_view> ElfView::section(std::string_view name) const {
  for (const auto& s : sections_) {
    if (s.name != name) continue;
    if (s.type == kShtNobits || !in_bounds(s.offset, s.size, data_.size())) return std::nullopt;
    return data_.substr(static_cast<std::size_t>(s.offset), static_cast<std::size_t>(s.size));
  }
  return std::nullopt;
}

std::optional<std::string_view> ElfView::read_address(std::uint64_t addr,
                                                      std::uint64_t size) const {
  for (const auto& seg : segments_) {
    if (addr < seg.vaddr) continue;
    const std::uint64_t delta = addr - seg.vaddr;
    if (!in_bounds(delta, size, seg.filesz)) continue;
    return data_.substr(static_cast<std::size_t>(seg.offset + delta),
                        static_cast<std::size_t>(size));
  }
  return std::nullopt;
}

}  // namespace mtr::inventory::lang::detail
