#include "oci/layer_cache.h"

#include <fmt/format.h>
#include <zstd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace mtr::oci {
namespace {

using core::ErrorCode;
using nlohmann::json;

// Bump when LayerResult's meaning or encoding changes.
constexpr int kFormatVersion = 2;
constexpr std::uint64_t kMaxDecodedBytes = 2ull << 30;

json package_to_json(const inventory::Package& p) {
  return json::array({p.name, p.version, p.ecosystem, p.purl_namespace, p.arch, p.source_name,
                      p.source_version, p.licenses, p.epoch, p.found_in, p.cataloger});
}

inventory::Package package_from_json(const json& j) {
  inventory::Package p;
  p.name = j.at(0).get<std::string>();
  p.version = j.at(1).get<std::string>();
  p.ecosystem = j.at(2).get<std::string>();
  p.purl_namespace = j.at(3).get<std::string>();
  p.arch = j.at(4).get<std::string>();
  p.source_name = j.at(5).get<std::string>();
  p.source_version = j.at(6).get<std::string>();
  p.licenses = j.at(7).get<std::vector<std::string>>();
  p.epoch = j.at(8).get<std::string>();
  p.found_in = j.at(9).get<std::string>();
  p.cataloger = j.at(10).get<std::string>();
  return p;
}

}  // namespace

std::string encode_layer_result(const LayerResult& r) {
  json files = json::array();
  for (const auto& f : r.files) {
    files.push_back(
        json::array({f.path, static_cast<int>(f.type), f.mode, f.size, f.uid, f.gid, f.link}));
  }
  json hits = json::array();
  for (const auto& h : r.hits) {
    json packages = json::array();
    for (const auto& p : h.packages) packages.push_back(package_to_json(p));
    json licenses = json::array();
    for (const auto& l : h.licenses)
      licenses.push_back(json::array({l.ecosystem, l.package, l.licenses}));
    hits.push_back({{"path", h.path},
                    {"cataloger", h.cataloger},
                    {"packages", packages},
                    {"licenses", licenses}});
  }
  json doc = {{"diff_id", r.diff_id},
              {"files", files},
              {"whiteouts", r.whiteouts},
              {"opaque", r.opaque_dirs},
              {"hits", hits},
              {"kept", r.kept_files},
              {"warnings", r.warnings},
              {"bytes", r.uncompressed_bytes}};
  if (!r.content_hits.empty()) {
    json content = json::array();
    for (const auto& h : r.content_hits) {
      content.push_back(
          json::array({h.path, h.rule_id, h.line, h.column, h.evidence, h.fingerprint}));
    }
    doc["content"] = std::move(content);
  }
  const auto& cs = r.content_stats;
  if (cs.files + cs.skipped_binary + cs.skipped_large != 0)
    doc["content_stats"] = json::array({cs.files, cs.bytes, cs.skipped_binary, cs.skipped_large});
  auto text = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out(ZSTD_compressBound(text.size()), '\0');
  auto n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

core::Result<LayerResult> decode_layer_result(std::string_view bytes) {
  auto size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > kMaxDecodedBytes) {
    return core::fail(ErrorCode::kInvalidInput, "layer cache entry is corrupt");
  }
  std::string text(size, '\0');
  auto n = ZSTD_decompress(text.data(), text.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(n) || n != size)
    return core::fail(ErrorCode::kInvalidInput, "layer cache entry is corrupt");
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded())
    return core::fail(ErrorCode::kInvalidInput, "layer cache entry is not JSON");
  try {
    LayerResult r;
    r.diff_id = doc.at("diff_id").get<std::string>();
    for (const auto& f : doc.at("files")) {
      FileEntry e;
      e.path = f.at(0).get<std::string>();
      e.type = static_cast<FileType>(f.at(1).get<int>());
      e.mode = f.at(2).get<std::uint32_t>();
      e.size = f.at(3).get<std::uint64_t>();
      e.uid = f.at(4).get<std::uint32_t>();
      e.gid = f.at(5).get<std::uint32_t>();
      e.link = f.at(6).get<std::string>();
      r.files.push_back(std::move(e));
    }
    r.whiteouts = doc.at("whiteouts").get<std::vector<std::string>>();
    r.opaque_dirs = doc.at("opaque").get<std::vector<std::string>>();
    for (const auto& h : doc.at("hits")) {
      LayerResult::Hit hit;
      hit.path = h.at("path").get<std::string>();
      hit.cataloger = h.at("cataloger").get<std::string>();
      for (const auto& p : h.at("packages")) hit.packages.push_back(package_from_json(p));
      for (const auto& l : h.at("licenses")) {
        hit.licenses.push_back({l.at(0).get<std::string>(), l.at(1).get<std::string>(),
                                l.at(2).get<std::vector<std::string>>()});
      }
      r.hits.push_back(std::move(hit));
    }
    for (const auto& [k, v] : doc.at("kept").items()) r.kept_files[k] = v.get<std::string>();
    r.warnings = doc.at("warnings").get<std::vector<std::string>>();
    r.uncompressed_bytes = doc.at("bytes").get<std::uint64_t>();
    if (auto c = doc.find("content"); c != doc.end()) {
      for (const auto& h : *c) {
        r.content_hits.push_back({h.at(0).get<std::string>(), h.at(1).get<std::string>(),
                                  h.at(2).get<std::uint64_t>(), h.at(3).get<std::uint64_t>(),
                                  h.at(4).get<std::string>(), h.at(5).get<std::string>()});
      }
    }
    if (auto c = doc.find("content_stats"); c != doc.end()) {
      r.content_stats = {c->at(0).get<std::uint64_t>(), c->at(1).get<std::uint64_t>(),
                         c->at(2).get<std::uint64_t>(), c->at(3).get<std::uint64_t>()};
    }
    return r;
  } catch (const json::exception& e) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("layer cache entry is malformed: {}", e.what()));
  }
}

std::filesystem::path LayerCache::default_path() {
  if (const char* dir = std::getenv("MATRYOSHKA_CACHE_DIR"); dir && *dir)
    return std::filesystem::path(dir) / "layers.db";
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "matryoshka" / "layers.db";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/tmp") / ".cache" / "matryoshka" /
         "layers.db";
}

std::string LayerCache::key(const std::string& diff_id, const std::string& catalogers_version) {
  return fmt::format("v{}|{}|{}", kFormatVersion, diff_id, catalogers_version);
}

core::Result<std::unique_ptr<LayerCache>> LayerCache::open(std::filesystem::path path) {
  if (path.empty()) path = default_path();
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return core::fail(ErrorCode::kIo,
                      fmt::format("cannot open layer cache '{}': {}", path.string(), msg));
  }
  sqlite3_busy_timeout(db, 5000);
  const char* schema =
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE IF NOT EXISTS layers (key TEXT PRIMARY KEY, data BLOB NOT NULL);";
  char* err = nullptr;
  if (sqlite3_exec(db, schema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return core::fail(ErrorCode::kIo, fmt::format("layer cache '{}': {}", path.string(), msg));
  }
  return std::unique_ptr<LayerCache>(new LayerCache(db));
}

LayerCache::~LayerCache() { sqlite3_close(db_); }

std::optional<LayerResult> LayerCache::get(const std::string& key) {
  std::lock_guard lock(mu_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT data FROM layers WHERE key = ?", -1, &stmt, nullptr) !=
      SQLITE_OK)
    return std::nullopt;
  sqlite3_bind_text(stmt, 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  std::optional<LayerResult> out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, 0));
    auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0));
    auto decoded = decode_layer_result(std::string_view(data ? data : "", size));
    if (decoded) out = std::move(*decoded);
  }
  sqlite3_finalize(stmt);
  return out;
}

core::Status LayerCache::put(const std::string& key, const LayerResult& result) {
  auto bytes = encode_layer_result(result);
  std::lock_guard lock(mu_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO layers (key, data) VALUES (?, ?)", -1, &stmt,
                         nullptr) != SQLITE_OK) {
    return core::fail(ErrorCode::kIo, fmt::format("layer cache: {}", sqlite3_errmsg(db_)));
  }
  sqlite3_bind_text(stmt, 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  sqlite3_bind_blob(stmt, 2, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE)
    return core::fail(ErrorCode::kIo, fmt::format("layer cache: {}", sqlite3_errmsg(db_)));
  return core::Ok{};
}

}  // namespace mtr::oci
