// Format names and detection, the shared document helpers, ecosystem normalisation and the
// readers that walk files, directories and zip archives and hand each record to its parser.
#include "vulndb/import.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include "vulndb/detail/import_doc.h"

namespace mtr::vulndb {
namespace {

using core::ErrorCode;
using nlohmann::json;
namespace fs = std::filesystem;

// One record file (or archive member) larger than this is refused: the full Debian tracker is
// ~70 MB, OSV records are kilobytes.
constexpr std::uint64_t kMaxInputBytes = 512ull << 20;
constexpr std::size_t kArchiveChunk = std::size_t{64} * 1024;

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;

core::Location file_location(std::string file) {
  core::Location where;
  where.file = std::move(file);
  return where;
}

// Line and column (1-based) of byte `offset` in `text`.
std::pair<std::uint64_t, std::uint64_t> position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::uint64_t line = 1;
  std::uint64_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// Rejects JSON nested deeper than kMaxNestingDepth without building anything.
core::Status check_json_depth(std::string_view text, std::string_view origin) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > detail::kMaxNestingDepth) {
        auto [line, column] = position_of(text, i);
        return detail::invalid_input(
            origin, fmt::format("JSON nested deeper than {} levels", detail::kMaxNestingDepth),
            line, column);
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return {};
}

// Converts a yaml-cpp node; false when the depth or node budget is exhausted.
bool yaml_to_json(const YAML::Node& node, json& out, std::size_t depth, std::size_t& budget) {
  if (budget == 0 || depth > detail::kMaxNestingDepth) return false;
  --budget;
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      out = node.Scalar();
      return true;
    case YAML::NodeType::Sequence: {
      out = json::array();
      for (const auto& item : node) {
        json child;
        if (!yaml_to_json(item, child, depth + 1, budget)) return false;
        out.push_back(std::move(child));
      }
      return true;
    }
    case YAML::NodeType::Map: {
      out = json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) continue;  // complex keys never name a field we read
        json child;
        if (!yaml_to_json(kv.second, child, depth + 1, budget)) return false;
        out[kv.first.Scalar()] = std::move(child);
      }
      return true;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out = nullptr;
      return true;
  }
  out = nullptr;
  return true;
}

bool has_record_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".json" || ext == ".yaml" || ext == ".yml";
}

bool is_zip(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".zip";
}

core::Result<std::string> read_whole_file(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return core::fail(ErrorCode::kIo, fmt::format("{}: {}", path.string(), ec.message()));
  if (size > kMaxInputBytes)
    return core::fail(ErrorCode::kLimitExceeded,
                      fmt::format("{}: {} bytes exceeds the {}-byte record file limit",
                                  path.string(), size, kMaxInputBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::fail(ErrorCode::kIo, fmt::format("{}: cannot open", path.string()));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// Parses one file's text and feeds its advisories to `sink`. `skip_unknown`: a document that
// is none of the formats counts as skipped instead of failing.
core::Status import_text(std::string_view text, const std::string& origin, Format format,
                         bool skip_unknown, const AdvisorySink& sink, ReadStats& stats) {
  ++stats.files;
  auto doc = MTR_TRY(detail::parse_document(text, origin));
  Format actual = format == Format::kAuto ? detail::detect_document(doc) : format;
  if (actual != Format::kAuto &&
      std::find(stats.formats.begin(), stats.formats.end(), actual) == stats.formats.end()) {
    stats.formats.push_back(actual);
  }
  if (actual == Format::kAuto) {
    if (skip_unknown) {
      ++stats.skipped;
      return {};
    }
    return detail::invalid_input(origin, "not an OSV record, Debian tracker or Alpine secdb");
  }
  AdvisorySink counting = [&](Advisory&& advisory) -> core::Status {
    ++stats.advisories;
    return sink(std::move(advisory));
  };
  switch (actual) {
    case Format::kOsv: {
      auto advisory = MTR_TRY(detail::osv_from_document(doc, origin));
      return counting(std::move(advisory));
    }
    case Format::kDebianTracker:
      return detail::debian_tracker_from_document(doc, origin, counting);
    case Format::kAlpineSecdb:
      return detail::alpine_secdb_from_document(doc, origin, counting);
    case Format::kAuto:
      break;
  }
  return {};
}

core::Status read_zip(const fs::path& path, Format format, const AdvisorySink& sink,
                      ReadStats& stats) {
  ArchiveReader reader(archive_read_new());
  if (!reader) return core::fail(ErrorCode::kInternal, "archive_read_new failed");
  archive_read_support_format_zip(reader.get());
  if (archive_read_open_filename(reader.get(), path.c_str(), kArchiveChunk) != ARCHIVE_OK)
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("cannot open zip: {}", archive_error_string(reader.get())),
                      file_location(path.string()));
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(reader.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      const char* why = archive_error_string(reader.get());
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("reading zip: {}", why != nullptr ? why : "unknown error"),
                        file_location(path.string()));
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* name_c = archive_entry_pathname(entry);
    std::string name = name_c != nullptr ? name_c : "";
    std::string origin = fmt::format("{}:{}", path.string(), name);
    if (!has_record_extension(fs::path(name))) {
      ++stats.files;
      ++stats.skipped;
      continue;
    }
    std::string text;
    std::array<char, kArchiveChunk> buffer{};
    while (true) {
      la_ssize_t n = archive_read_data(reader.get(), buffer.data(), buffer.size());
      if (n < 0) {
        const char* why = archive_error_string(reader.get());
        return core::fail(ErrorCode::kInvalidInput,
                          fmt::format("reading zip member: {}", why != nullptr ? why : "error"),
                          file_location(origin));
      }
      if (n == 0) break;
      if (text.size() + static_cast<std::size_t>(n) > kMaxInputBytes)
        return core::fail(ErrorCode::kLimitExceeded,
                          fmt::format("zip member exceeds the {}-byte limit", kMaxInputBytes),
                          file_location(origin));
      text.append(buffer.data(), static_cast<std::size_t>(n));
    }
    MTR_TRY_STATUS(import_text(text, origin, format, true, sink, stats));
  }
  return {};
}

}  // namespace

const char* to_string(Format f) {
  switch (f) {
    case Format::kAuto:
      return "auto";
    case Format::kOsv:
      return "osv";
    case Format::kDebianTracker:
      return "debian-tracker";
    case Format::kAlpineSecdb:
      return "alpine-secdb";
  }
  return "auto";
}

core::Result<Format> parse_format(std::string_view name) {
  for (Format f : {Format::kAuto, Format::kOsv, Format::kDebianTracker, Format::kAlpineSecdb}) {
    if (name == to_string(f)) return f;
  }
  return core::fail(ErrorCode::kUsage,
                    fmt::format("unknown vulnerability data format '{}' (known: auto, osv, "
                                "debian-tracker, alpine-secdb)",
                                name));
}

core::Result<Format> detect_format(std::string_view text, std::string_view origin) {
  auto doc = MTR_TRY(detail::parse_document(text, origin));
  Format f = detail::detect_document(doc);
  if (f == Format::kAuto)
    return detail::invalid_input(origin, "not an OSV record, Debian tracker or Alpine secdb");
  return f;
}

core::Result<ReadStats> read_advisories(const std::string& path, Format format,
                                        const AdvisorySink& sink) {
  ReadStats stats;
  std::error_code ec;
  fs::path root(path);
  auto status = fs::status(root, ec);
  if (ec || !fs::exists(status))
    return core::fail(ErrorCode::kNotFound, fmt::format("{}: no such file or directory", path));
  if (fs::is_directory(status)) {
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) return core::fail(ErrorCode::kIo, fmt::format("walking {}: {}", path, ec.message()));
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (is_zip(file)) {
        MTR_TRY_STATUS(read_zip(file, format, sink, stats));
        continue;
      }
      if (!has_record_extension(file)) {
        ++stats.files;
        ++stats.skipped;
        continue;
      }
      auto text = MTR_TRY(read_whole_file(file));
      MTR_TRY_STATUS(import_text(text, file.string(), format, true, sink, stats));
    }
    return stats;
  }
  if (is_zip(root)) {
    MTR_TRY_STATUS(read_zip(root, format, sink, stats));
    return stats;
  }
  auto text = MTR_TRY(read_whole_file(root));
  MTR_TRY_STATUS(import_text(text, path, format, false, sink, stats));
  return stats;
}

std::string normalize_ecosystem(std::string_view ecosystem) {
  while (!ecosystem.empty() && std::isspace(static_cast<unsigned char>(ecosystem.front())))
    ecosystem.remove_prefix(1);
  while (!ecosystem.empty() && std::isspace(static_cast<unsigned char>(ecosystem.back())))
    ecosystem.remove_suffix(1);
  // Ubuntu marks LTS releases ("Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS"); the release
  // number alone identifies them, and an image's os-release never says "LTS" in that form.
  constexpr std::string_view kLts = ":LTS";
  if (ecosystem.size() > kLts.size() && ecosystem.ends_with(kLts))
    ecosystem.remove_suffix(kLts.size());
  return std::string(ecosystem);
}

std::string version_type_of(std::string_view eco) {
  auto named = [&](std::string_view name) {
    return eco == name ||
           (eco.starts_with(name) && eco.size() > name.size() && eco[name.size()] == ':');
  };
  // Root.io republishes patched packages of other ecosystems ("Root:Debian:12", "Root:PyPI").
  if (eco.starts_with("Root:")) return version_type_of(eco.substr(5));
  if (named("Debian") || named("Ubuntu")) return "deb";
  // "apk:<host>" is what alpine_secdb names secdb feeds of unknown apk distributions.
  if (named("Alpine") || named("Wolfi") || named("Chainguard") || named("apk")) return "apk";
  for (std::string_view rpm : {"AlmaLinux", "Rocky Linux", "Red Hat", "openSUSE", "SUSE", "Mageia",
                               "openEuler", "Azure Linux", "Photon OS"}) {
    if (named(rpm) || eco.starts_with(std::string(rpm) + " ")) return "rpm";
  }
  if (eco == "PyPI") return "pypi";
  if (eco == "npm") return "npm";
  if (eco == "Go") return "golang";
  if (eco == "Maven") return "maven";
  if (eco == "RubyGems") return "gem";
  if (eco == "crates.io") return "cargo";
  if (eco == "Packagist") return "composer";
  if (eco == "NuGet") return "nuget";
  // Bitnami packages carry upstream release numbers in SEMVER ranges; SemVer ordering (our
  // "npm" comparator) is the closest scheme we have.
  if (eco == "Bitnami") return "npm";
  return "";
}

std::string debian_ecosystem(std::string_view codename) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kReleases{{
      {"wheezy", "Debian:7"},
      {"jessie", "Debian:8"},
      {"stretch", "Debian:9"},
      {"buster", "Debian:10"},
      {"bullseye", "Debian:11"},
      {"bookworm", "Debian:12"},
      {"trixie", "Debian:13"},
      {"forky", "Debian:14"},
  }};
  for (const auto& [name, eco] : kReleases) {
    if (name == codename) return std::string(eco);
  }
  return "";
}

namespace detail {

core::Error invalid_input(std::string_view origin, std::string message, std::uint64_t line,
                          std::uint64_t column) {
  core::Location where = file_location(std::string(origin));
  where.line = line;
  where.column = column;
  return core::make_error(ErrorCode::kInvalidInput, std::move(message), std::move(where));
}

bool looks_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

core::Result<json> parse_json_document(std::string_view text, std::string_view origin) {
  MTR_TRY_STATUS(check_json_depth(text, origin));
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    auto [line, column] = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error …"
    auto colon = what.find(": ");
    return invalid_input(
        origin, colon == std::string::npos ? what : "invalid JSON: " + what.substr(colon + 2), line,
        column);
  } catch (const std::exception& e) {
    return invalid_input(origin, fmt::format("invalid JSON: {}", e.what()));
  }
}

core::Result<json> parse_yaml_document(std::string_view text, std::string_view origin) {
  YAML::Node node;
  try {
    node = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return invalid_input(origin, fmt::format("invalid YAML: {}", e.msg),
                         e.mark.line >= 0 ? static_cast<std::uint64_t>(e.mark.line) + 1 : 0,
                         e.mark.column >= 0 ? static_cast<std::uint64_t>(e.mark.column) + 1 : 0);
  } catch (const std::exception& e) {
    return invalid_input(origin, fmt::format("invalid YAML: {}", e.what()));
  }
  json out;
  std::size_t budget = text.size() * kMaxYamlNodesPerByte + 1024;
  try {
    if (!yaml_to_json(node, out, 0, budget))
      return invalid_input(origin, fmt::format("YAML nested deeper than {} levels or expands "
                                               "aliases beyond {} nodes per byte",
                                               kMaxNestingDepth, kMaxYamlNodesPerByte));
  } catch (const std::exception& e) {
    return invalid_input(origin, fmt::format("invalid YAML: {}", e.what()));
  }
  return out;
}

core::Result<json> parse_document(std::string_view text, std::string_view origin) {
  if (looks_like_json(text)) return parse_json_document(text, origin);
  return parse_yaml_document(text, origin);
}

std::string text_of(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>();
  if (value.is_number_integer() || value.is_number_unsigned() || value.is_number_float())
    return value.dump();
  return "";
}

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string text_field(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr ? text_of(*value) : "";
}

Format detect_document(const json& doc) {
  if (!doc.is_object()) return Format::kAuto;
  const json* id = member(doc, "id");
  if (member(doc, "affected") != nullptr ||
      (id != nullptr && id->is_string() && member(doc, "modified") != nullptr))
    return Format::kOsv;
  if (const json* packages = member(doc, "packages"); packages != nullptr && packages->is_array()) {
    if (member(doc, "distroversion") != nullptr) return Format::kAlpineSecdb;
    for (const auto& entry : *packages) {
      const json* pkg = member(entry, "pkg");
      if (pkg != nullptr && member(*pkg, "secfixes") != nullptr) return Format::kAlpineSecdb;
    }
    return Format::kAuto;
  }
  // Debian tracker: {source: {CVE: {releases: {...}}}}. Look at a few sources only.
  if (doc.empty()) return Format::kAuto;
  std::size_t looked = 0;
  for (const auto& [source, cves] : doc.items()) {
    if (cves.is_array() && cves.empty()) continue;  // the tracker writes {} as []
    if (!cves.is_object()) return Format::kAuto;
    for (const auto& [cve, entry] : cves.items()) {
      const json* releases = member(entry, "releases");
      if (releases != nullptr && (releases->is_object() || releases->is_array()))
        return Format::kDebianTracker;
      if (++looked >= 16) return Format::kAuto;
    }
  }
  return Format::kAuto;
}

}  // namespace detail
}  // namespace mtr::vulndb
