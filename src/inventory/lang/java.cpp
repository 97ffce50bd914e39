// Java archives (jar, war, ear, Jenkins jpi/hpi): Maven coordinates from
// META-INF/maven/**/pom.properties, else MANIFEST.MF, else the file name; archives nested in
// WEB-INF/lib, BOOT-INF/lib and the like are opened from memory, recursively, within a depth
// limit and a total-inflated-bytes budget (zip bombs).
#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <memory>
#include <string>

#include "inventory/lang/detail/common.h"
#include "inventory/lang/lang.h"

namespace mtr::inventory::lang {
namespace {

constexpr std::string_view kEcosystem = "maven";
// pom.properties and MANIFEST.MF are a few KiB; larger ones are not metadata we trust.
constexpr std::uint64_t kMaxMetadataFileBytes = 1ull << 20;
constexpr std::size_t kReadChunk = 16 * 1024;

bool archive_name(std::string_view name) {
  for (const auto ext : {".jar", ".war", ".ear", ".jpi", ".hpi"}) {
    if (detail::iends_with(name, ext)) return true;
  }
  return false;
}

struct Budget {
  std::uint64_t bytes_left = 0;
  std::uint64_t entries_left = 0;
};

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

enum class ReadOutcome { kOk, kTooLarge, kError };

// Reads the current entry into `out`, at most `limit` bytes (charged to the budget).
ReadOutcome read_entry(archive* a, std::uint64_t limit, Budget& budget, std::string& out) {
  out.clear();
  char buffer[kReadChunk];
  while (true) {
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return ReadOutcome::kOk;
    if (n < 0) return ReadOutcome::kError;
    const auto got = static_cast<std::uint64_t>(n);
    if (got > budget.bytes_left || out.size() + got > limit) return ReadOutcome::kTooLarge;
    budget.bytes_left -= got;
    out.append(buffer, static_cast<std::size_t>(got));
  }
}

// key=value or key:value lines (java.util.Properties), '#' and '!' comments.
std::vector<std::pair<std::string, std::string>> parse_properties(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto line : detail::split_lines(text)) {
    line = detail::trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    const auto sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) continue;
    out.emplace_back(std::string(detail::trim(line.substr(0, sep))),
                     std::string(detail::trim(line.substr(sep + 1))));
  }
  return out;
}

// The manifest's main section; continuation lines start with one space.
std::vector<std::pair<std::string, std::string>> parse_manifest(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto line : detail::split_lines(text)) {
    if (line.empty()) {
      if (!out.empty()) break;  // end of the main section
      continue;
    }
    if (line[0] == ' ') {
      if (!out.empty()) out.back().second.append(line.substr(1));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    out.emplace_back(std::string(detail::trim(line.substr(0, colon))),
                     std::string(detail::trim(line.substr(colon + 1))));
  }
  return out;
}

std::string lookup(const std::vector<std::pair<std::string, std::string>>& kv,
                   std::string_view key) {
  for (const auto& [k, v] : kv) {
    if (k == key) return v;
  }
  return {};
}

// "commons-lang3-3.12.0.jar" → ("commons-lang3", "3.12.0"): the version starts at the first
// '-' followed by a digit.
std::pair<std::string, std::string> name_from_file(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  const std::string_view stem = file_name.substr(0, dot);
  for (std::size_t i = 0; i + 1 < stem.size(); ++i) {
    if (stem[i] == '-' && stem[i + 1] >= '0' && stem[i + 1] <= '9') {
      return {std::string(stem.substr(0, i)), std::string(stem.substr(i + 1))};
    }
  }
  return {std::string(stem), std::string()};
}

class JavaArchiveCataloger final : public Cataloger {
 public:
  explicit JavaArchiveCataloger(JavaArchiveOptions options) : options_(options) {}

  std::string_view id() const override { return "java-archive"; }
  int version() const override { return 1; }
  std::uint64_t max_size() const override { return 256ull << 20; }
  bool required(const FileMeta& file) const override {
    return archive_name(detail::basename(file.path));
  }

  core::Result<CatalogResult> analyze(const FileMeta& file,
                                      std::string_view content) const override {
    CatalogResult result;
    Budget budget{options_.max_total_uncompressed, options_.max_entries};
    MTR_TRY_STATUS(
        scan(content, std::string(file.path), detail::basename(file.path), 0, budget, result));
    detail::dedupe(result.packages);
    return result;
  }

 private:
  core::Status scan(std::string_view bytes, const std::string& display, std::string_view file_name,
                    int depth, Budget& budget, CatalogResult& result) const {
    std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
    if (!a) return core::fail(core::ErrorCode::kInternal, "archive_read_new failed");
    archive_read_support_format_zip(a.get());
    if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
      return core::fail(
          core::ErrorCode::kInvalidInput,
          fmt::format("not a readable zip archive: {}", archive_error_string(a.get())),
          core::Location{display, 0, 0, {}});
    }
    std::vector<Package> from_poms;
    std::vector<std::pair<std::string, std::string>> manifest;
    std::string data;
    archive_entry* entry = nullptr;
    while (true) {
      const int rc = archive_read_next_header(a.get(), &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY) {
        const char* why = archive_error_string(a.get());
        if (depth == 0 && from_poms.empty() && manifest.empty()) {
          return core::fail(core::ErrorCode::kInvalidInput,
                            fmt::format("corrupt zip archive: {}", why ? why : "unknown"),
                            core::Location{display, 0, 0, {}});
        }
        result.warnings.push_back(fmt::format("{}: corrupt zip archive, rest skipped: {}", display,
                                              why ? why : "unknown"));
        break;
      }
      if (budget.entries_left == 0) {
        result.warnings.push_back(fmt::format("{}: more than {} archive entries; rest skipped",
                                              display, options_.max_entries));
        break;
      }
      --budget.entries_left;
      const char* raw_name = archive_entry_pathname(entry);
      if (raw_name == nullptr || archive_entry_filetype(entry) != AE_IFREG) continue;
      const std::string_view name = raw_name;

      const bool pom = detail::starts_with(name, "META-INF/maven/") &&
                       detail::ends_with(name, "/pom.properties");
      const bool mf = detail::iequals(name, "META-INF/MANIFEST.MF");
      if (pom || mf) {
        const auto outcome = read_entry(a.get(), kMaxMetadataFileBytes, budget, data);
        if (outcome != ReadOutcome::kOk) {
          result.warnings.push_back(
              fmt::format("{}: {} unreadable or too large; skipped", display, name));
          if (budget.bytes_left == 0) break;
          continue;
        }
        if (pom) {
          const auto props = parse_properties(data);
          auto group = lookup(props, "groupId");
          auto artifact = lookup(props, "artifactId");
          auto version = lookup(props, "version");
          if (!artifact.empty() && !version.empty()) {
            Package p = detail::make_package(std::move(artifact), std::move(version), kEcosystem,
                                             display, id());
            p.purl_namespace = std::move(group);
            from_poms.push_back(std::move(p));
          }
        } else {
          manifest = parse_manifest(data);
        }
        continue;
      }

      if (!archive_name(name)) continue;
      const std::string nested_display = display + ":" + std::string(name);
      if (depth + 1 > options_.max_nested_depth) {
        result.warnings.push_back(fmt::format("{}: archives nested deeper than {}; skipped",
                                              nested_display, options_.max_nested_depth));
        continue;
      }
      if (archive_entry_size_is_set(entry) &&
          static_cast<std::uint64_t>(archive_entry_size(entry)) > budget.bytes_left) {
        result.warnings.push_back(fmt::format("{}: inflating it would exceed {} bytes; skipped",
                                              nested_display, options_.max_total_uncompressed));
        continue;
      }
      std::string nested;
      const auto outcome = read_entry(a.get(), budget.bytes_left, budget, nested);
      if (outcome == ReadOutcome::kTooLarge) {
        result.warnings.push_back(fmt::format("{}: inflating it would exceed {} bytes; skipped",
                                              nested_display, options_.max_total_uncompressed));
        budget.bytes_left = 0;
        break;
      }
      if (outcome == ReadOutcome::kError) {
        result.warnings.push_back(
            fmt::format("{}: unreadable nested archive; skipped", nested_display));
        continue;
      }
      const auto status =
          scan(nested, nested_display, detail::basename(name), depth + 1, budget, result);
      if (!status) result.warnings.push_back(status.error().to_string());
    }

    if (!from_poms.empty()) {
      for (auto& p : from_poms) result.packages.push_back(std::move(p));
      return core::Ok{};
    }
    // No Maven metadata: the manifest, then the file name.
    std::string name = lookup(manifest, "Implementation-Title");
    if (name.empty()) name = lookup(manifest, "Bundle-SymbolicName");
    if (name.empty()) name = lookup(manifest, "Specification-Title");
    name = std::string(detail::trim(name.substr(0, name.find(';'))));  // "x.y;singleton:=true"
    std::string version = lookup(manifest, "Implementation-Version");
    if (version.empty()) version = lookup(manifest, "Bundle-Version");
    if (version.empty()) version = lookup(manifest, "Specification-Version");
    auto [file_stem, file_version] = name_from_file(file_name);
    if (name.empty()) name = std::move(file_stem);
    if (version.empty()) version = std::move(file_version);
    // Without a version the package cannot be matched or told apart; not worth reporting.
    if (!name.empty() && !version.empty()) {
      result.packages.push_back(
          detail::make_package(std::move(name), std::move(version), kEcosystem, display, id()));
    }
    return core::Ok{};
  }

  JavaArchiveOptions options_;
};

}  // namespace

std::unique_ptr<Cataloger> make_java_archive_cataloger(JavaArchiveOptions options) {
  return std::make_unique<JavaArchiveCataloger>(options);
}

}  // namespace mtr::inventory::lang
