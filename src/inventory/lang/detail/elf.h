// A bounds-checked, read-only view of an ELF file held in memory: just enough to find a
// section by name and to map virtual addresses to bytes, for the Go build-info and
// cargo-auditable catalogers. Every offset comes from untrusted input and is checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mtr::inventory::lang::detail {

// ELF section counts beyond this are refused (e_shnum is 16 bits; extended numbering is not read).
inline constexpr std::uint32_t kMaxElfSections = 65'535;
inline constexpr std::uint32_t kMaxElfSegments = 65'535;

bool is_elf(std::string_view content);

class ElfView {
 public:
  struct Section {
    std::string_view name;
    std::uint32_t type = 0;
    std::uint64_t flags = 0;
    std::uint64_t addr = 0;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
  };
  struct Segment {
    std::uint64_t vaddr = 0;
    std::uint64_t offset = 0;
    std::uint64_t filesz = 0;
  };

  // Errors name `file` and the offending offset.
  static core::Result<ElfView> parse(std::string_view content, std::string_view file);

  bool is64() const { return is64_; }
  bool big_endian() const { return big_endian_; }
  std::string_view data() const { return data_; }
  // The file bytes of the named section; nullopt when absent or without file data.
  std::optional<std::string_view> section(std::string_view name) const;
  // `size` bytes at virtual address `addr` from a PT_LOAD segment; nullopt when unmapped.
  std::optional<std::string_view> read_address(std::uint64_t addr, std::uint64_t size) const;
  // Reads an unsigned integer of `width` (1..8) bytes in the file's byte order.
  std::uint64_t read_uint(std::string_view bytes, std::size_t width) const;

 private:
  std::string_view data_;
  bool is64_ = false;
  bool big_endian_ = false;
  std::vector<Section> sections_;
  std::vector<Segment> segments_;
};

// Unsigned integer of `width` bytes at the start of `bytes` (caller checks the size).
std::uint64_t read_uint(std::string_view bytes, std::size_t width, bool big_endian);

}  // namespace mtr::inventory::lang::detail
