// rpm database containers, read from memory. Every offset read from the file is checked
// against the buffer before use; loops are bounded by the number of pages or slots the
// buffer can hold, so a hostile database cannot make the walk loop or read out of bounds.
#include "inventory/os/detail/rpmdb.h"

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "inventory/os/os_catalogers.h"

namespace mtr::inventory::os::detail {
namespace {

std::uint32_t load_u32(std::string_view data, std::size_t offset, bool big_endian) {
  std::array<unsigned char, 4> b{};
  std::memcpy(b.data(), data.data() + offset, 4);
  if (big_endian) {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           b[3];
  }
  return (std::uint32_t{b[3]} << 24) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[1]} << 8) |
         b[0];
}

std::uint16_t load_u16(std::string_view data, std::size_t offset, bool big_endian) {
  auto b0 = static_cast<unsigned char>(data[offset]);
  auto b1 = static_cast<unsigned char>(data[offset + 1]);
  return big_endian ? static_cast<std::uint16_t>((b0 << 8) | b1)
                    : static_cast<std::uint16_t>((b1 << 8) | b0);
}

core::Error invalid(std::string_view path, std::string message, std::string object = {}) {
  return core::make_error(core::ErrorCode::kInvalidInput, std::move(message),
                          {std::string(path), 0, 0, std::move(object)});
}

// Berkeley DB (libdb db_page.h): a hash metadata page, then pages with a 26-byte header.
constexpr std::uint32_t kBdbHashMagic = 0x00061561;
constexpr std::size_t kBdbPageHeaderSize = 26;
constexpr std::size_t kBdbOffPageEntrySize = 12;  // type, 3 unused, pgno, total length
constexpr std::uint8_t kBdbPageHashUnsorted = 2;  // RHEL/CentOS 5
constexpr std::uint8_t kBdbPageOverflow = 7;
constexpr std::uint8_t kBdbPageHashMeta = 8;
constexpr std::uint8_t kBdbPageHash = 13;
constexpr std::uint8_t kBdbItemKeyData = 1;
constexpr std::uint8_t kBdbItemOffPage = 3;
constexpr std::size_t kRpmMinHeaderBytes = 8 + 16;  // counts + one index entry

// NDB (rpm lib/backend/ndb/rpmpkg.c): 32-byte header, slot pages of 16-byte slots, blobs
// addressed in 16-byte blocks.
constexpr std::uint32_t kNdbHeaderMagic =
    'R' | ('p' << 8) | ('m' << 16) | (static_cast<std::uint32_t>('P') << 24);
constexpr std::uint32_t kNdbSlotMagic =
    'S' | ('l' << 8) | ('o' << 16) | (static_cast<std::uint32_t>('t') << 24);
constexpr std::uint32_t kNdbBlobMagic =
    'B' | ('l' << 8) | ('b' << 16) | (static_cast<std::uint32_t>('S') << 24);
constexpr std::size_t kNdbPageSize = 4096;
constexpr std::size_t kNdbSlotSize = 16;
constexpr std::size_t kNdbBlockSize = 16;
constexpr std::size_t kNdbFirstSlot = 2;  // slots 0 and 1 are the file header

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

}  // namespace

RpmDbFormat sniff_rpmdb(std::string_view content) {
  if (content.starts_with(kSqliteMagic)) return RpmDbFormat::kSqlite;
  if (content.size() >= 16 && load_u32(content, 0, false) == kNdbHeaderMagic)
    return RpmDbFormat::kNdb;
  if (content.size() >= 16) {
    auto magic_le = load_u32(content, 12, false);
    auto magic_be = load_u32(content, 12, true);
    if (magic_le == kBdbHashMagic || magic_be == kBdbHashMagic) return RpmDbFormat::kBerkeley;
  }
  return RpmDbFormat::kUnknown;
}

core::Status read_bdb(std::string_view path, std::string_view content, const BlobCallback& on_blob,
                      Warnings& warnings) {
  constexpr std::size_t kMetaBytes = 512;  // the smallest page size holds the whole metadata
  if (content.size() < kMetaBytes)
    return invalid(path, "Berkeley DB file shorter than its metadata page");
  bool swapped = load_u32(content, 12, false) != kBdbHashMagic;
  if (load_u32(content, 12, swapped) != kBdbHashMagic)
    return invalid(path, "not a Berkeley DB hash file");
  std::uint32_t page_size = load_u32(content, 20, swapped);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
    return invalid(path, fmt::format("Berkeley DB page size {} is not a power of two in 512..65536",
                                     page_size));
  }
  if (static_cast<std::uint8_t>(content[25]) != kBdbPageHashMeta) {
    return invalid(path, "Berkeley DB file is not a hash database (rpm Packages is one)", "page 0");
  }
  if (content.size() < page_size) {
    return invalid(path,
                   fmt::format("Berkeley DB file of {} bytes is shorter than one {}-byte page",
                               content.size(), page_size));
  }
  std::uint64_t pages_in_file = content.size() / page_size;  // at least 1
  std::uint64_t last_page = load_u32(content, 32, swapped);
  if (last_page >= pages_in_file) {
    warnings.add(fmt::format("{}: Berkeley DB claims {} pages but the file holds {}: reading those",
                             path, last_page + 1, pages_in_file));
    last_page = pages_in_file - 1;
  }
  auto page_at = [&](std::uint64_t number) {
    return content.substr(static_cast<std::size_t>(number * page_size), page_size);
  };

  for (std::uint64_t number = 1; number <= last_page; ++number) {
    auto page = page_at(number);
    auto type = static_cast<std::uint8_t>(page[25]);
    if (type != kBdbPageHash && type != kBdbPageHashUnsorted) continue;
    std::size_t entries = load_u16(page, 20, swapped);
    if (entries % 2 != 0 || kBdbPageHeaderSize + entries * 2 > page_size) {
      warnings.add(
          fmt::format("{}: page {}: bad hash entry count {}: page skipped", path, number, entries));
      continue;
    }
    // Entries come in key/value pairs; the values (odd indexes) hold the headers.
    for (std::size_t i = 1; i < entries; i += 2) {
      std::string where = fmt::format("page {} entry {}", number, i);
      std::size_t offset = load_u16(page, kBdbPageHeaderSize + i * 2, swapped);
      if (offset >= page_size) {
        warnings.add(fmt::format("{}: {}: item offset {} beyond the page", path, where, offset));
        continue;
      }
      auto item_type = static_cast<std::uint8_t>(page[offset]);
      if (item_type == kBdbItemKeyData) {
        // Items fill the page from its end: this one ends where the previous one starts.
        std::size_t end = load_u16(page, kBdbPageHeaderSize + (i - 1) * 2, swapped);
        if (end <= offset + 1 || end > page_size) continue;
        auto value = page.substr(offset + 1, end - offset - 1);
        // Key 0 of rpm's Packages holds a 4-byte counter, not a header.
        if (value.size() >= kRpmMinHeaderBytes) on_blob(value, where);
        continue;
      }
      if (item_type != kBdbItemOffPage) continue;
      if (offset + kBdbOffPageEntrySize > page_size) {
        warnings.add(fmt::format("{}: {}: off-page item cut by the page end", path, where));
        continue;
      }
      std::uint64_t next = load_u32(page, offset + 4, swapped);
      std::uint64_t total = load_u32(page, offset + 8, swapped);
      if (total > kMaxRpmHeaderBlobBytes) {
        warnings.add(fmt::format("{}: {}: header of {} bytes exceeds the {}-byte limit", path,
                                 where, total, kMaxRpmHeaderBlobBytes));
        continue;
      }
      std::string blob;
      blob.reserve(static_cast<std::size_t>(total));
      std::uint64_t steps = 0;
      bool broken = false;
      while (next != 0) {
        // A chain can visit each page once at most; more means a cycle.
        if (next > last_page || ++steps > last_page) {
          broken = true;
          break;
        }
        auto overflow = page_at(next);
        if (static_cast<std::uint8_t>(overflow[25]) != kBdbPageOverflow) {
          broken = true;
          break;
        }
        std::size_t length = load_u16(overflow, 22, swapped);  // hf_offset: bytes used on the page
        if (length > page_size - kBdbPageHeaderSize || blob.size() + length > total) {
          broken = true;
          break;
        }
        blob.append(overflow.substr(kBdbPageHeaderSize, length));
        next = load_u32(overflow, 16, swapped);
      }
      if (broken || blob.size() != total) {
        warnings.add(fmt::format("{}: {}: broken overflow chain: header skipped", path, where));
        continue;
      }
      on_blob(blob, where);
    }
  }
  return core::Ok{};
}

core::Status read_ndb(std::string_view path, std::string_view content, const BlobCallback& on_blob,
                      Warnings& warnings) {
  if (content.size() < 32 || load_u32(content, 0, false) != kNdbHeaderMagic) {
    return invalid(path, "not an rpm NDB file");
  }
  if (auto version = load_u32(content, 4, false); version != 0) {
    return invalid(path, fmt::format("unsupported NDB version {}", version));
  }
  std::uint64_t slot_pages = load_u32(content, 12, false);
  if (slot_pages == 0 || slot_pages > kMaxNdbSlotPages) {
    return invalid(
        path, fmt::format("NDB slot page count {} outside 1..{}", slot_pages, kMaxNdbSlotPages));
  }
  if (slot_pages * kNdbPageSize > content.size()) {
    return invalid(path, fmt::format("NDB file of {} bytes is shorter than its {} slot pages",
                                     content.size(), slot_pages));
  }
  std::size_t slots = static_cast<std::size_t>(slot_pages * kNdbPageSize / kNdbSlotSize);
  for (std::size_t slot = kNdbFirstSlot; slot < slots; ++slot) {
    std::size_t at = slot * kNdbSlotSize;
    if (load_u32(content, at, false) != kNdbSlotMagic) {
      return invalid(path, "bad NDB slot magic", fmt::format("slot {} (offset {})", slot, at));
    }
    std::uint32_t package_index = load_u32(content, at + 4, false);
    if (package_index == 0) continue;  // free slot
    std::string where = fmt::format("slot {} (package index {})", slot, package_index);
    std::uint64_t blob_at = std::uint64_t{load_u32(content, at + 8, false)} * kNdbBlockSize;
    if (blob_at + 16 > content.size()) {
      warnings.add(fmt::format("{}: {}: blob offset {} beyond the file", path, where, blob_at));
      continue;
    }
    auto offset = static_cast<std::size_t>(blob_at);
    if (load_u32(content, offset, false) != kNdbBlobMagic ||
        load_u32(content, offset + 4, false) != package_index) {
      warnings.add(fmt::format("{}: {}: no blob header at offset {}", path, where, blob_at));
      continue;
    }
    std::uint64_t length = load_u32(content, offset + 12, false);
    if (length > kMaxRpmHeaderBlobBytes || blob_at + 16 + length > content.size()) {
      warnings.add(fmt::format("{}: {}: blob of {} bytes runs past the file", path, where, length));
      continue;
    }
    on_blob(content.substr(offset + 16, static_cast<std::size_t>(length)), where);
  }
  return core::Ok{};
}

namespace {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

int stop_after_budget(void* counter) {
  auto* steps = static_cast<std::int64_t*>(counter);
  constexpr std::int64_t kStepsPerCall = 1000;
  *steps += kStepsPerCall;
  return *steps > kMaxSqliteVmSteps ? 1 : 0;
}

}  // namespace

core::Status read_sqlite(std::string_view path, std::string_view content,
                         const BlobCallback& on_blob) {
  constexpr std::size_t kSqliteHeaderBytes = 100;
  if (content.size() < kSqliteHeaderBytes || !content.starts_with(kSqliteMagic)) {
    return invalid(path, "not an SQLite database");
  }
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(raw);
    return core::fail(core::ErrorCode::kInternal, "cannot open an in-memory SQLite database");
  }
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, static_cast<int>(kMaxRpmHeaderBlobBytes));

  // SQLite gets its own copy: it owns (and frees) the buffer it is given, and two header
  // bytes must change (below). The copy is opened read-only; nothing is written back.
  auto size = static_cast<sqlite3_int64>(content.size());
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(size)));
  if (copy == nullptr)
    return core::fail(core::ErrorCode::kLimitExceeded, "out of memory copying rpmdb.sqlite");
  std::memcpy(copy, content.data(), content.size());
  // rpm keeps its database in WAL mode (header bytes 18 and 19 = 2); an in-memory database
  // cannot use a WAL, so the copy is marked as a rollback-journal database (1), which reads
  // the same pages. Whatever only the -wal file holds is not in this file anyway.
  if (copy[18] == 2) copy[18] = 1;
  if (copy[19] == 2) copy[19] = 1;
  int rc = sqlite3_deserialize(db.get(), "main", copy, size, size,
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK)
    return invalid(path, fmt::format("SQLite cannot load the database: {}", sqlite3_errstr(rc)));

  std::int64_t steps = 0;
  sqlite3_progress_handler(db.get(), 1000, stop_after_budget, &steps);

  auto prepare =
      [&](const char* sql) -> core::Result<std::unique_ptr<sqlite3_stmt, StatementFinalizer>> {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql, -1, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return invalid(path, fmt::format("not an rpm database: {}", sqlite3_errmsg(db.get())));
    }
    return std::unique_ptr<sqlite3_stmt, StatementFinalizer>(stmt);
  };

  // A crafted schema could make "Packages" a view doing arbitrary work; only a table is read.
  {
    auto check = MTR_TRY(prepare("SELECT type FROM sqlite_master WHERE name = 'Packages'"));
    rc = sqlite3_step(check.get());
    const unsigned char* type = rc == SQLITE_ROW ? sqlite3_column_text(check.get(), 0) : nullptr;
    if (type == nullptr || std::strcmp(reinterpret_cast<const char*>(type), "table") != 0) {
      return invalid(
          path, rc == SQLITE_ROW || rc == SQLITE_DONE
                    ? std::string("no Packages table: not an rpm database")
                    : fmt::format("SQLite cannot read the schema: {}", sqlite3_errmsg(db.get())));
    }
  }
  auto select = MTR_TRY(prepare("SELECT hnum, blob FROM Packages"));
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    auto hnum = sqlite3_column_int64(select.get(), 0);
    const void* data = sqlite3_column_blob(select.get(), 1);
    int bytes = sqlite3_column_bytes(select.get(), 1);
    std::string where = fmt::format("hnum {}", hnum);
    if (data == nullptr || bytes <= 0) {
      on_blob({}, where);
      continue;
    }
    on_blob(std::string_view(static_cast<const char*>(data), static_cast<std::size_t>(bytes)),
            where);
  }
  if (rc != SQLITE_DONE) {
    if (rc == SQLITE_INTERRUPT) {
      return core::fail(core::ErrorCode::kLimitExceeded,
                        "reading rpmdb.sqlite exceeded its work budget",
                        {std::string(path), 0, 0, {}});
    }
    return invalid(path,
                   fmt::format("SQLite error reading Packages: {}", sqlite3_errmsg(db.get())));
  }
  return core::Ok{};
}

}  // namespace mtr::inventory::os::detail
