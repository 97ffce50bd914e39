#include "vulndb/store.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "core/log.h"

namespace mtr::vulndb {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
  name TEXT PRIMARY KEY, location TEXT, format TEXT, imported_at TEXT, sha256 TEXT,
  advisories INTEGER, affected INTEGER);
CREATE TABLE IF NOT EXISTS advisories(
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, vuln_id TEXT NOT NULL, aliases TEXT,
  summary TEXT, details TEXT, published TEXT, modified TEXT, withdrawn INTEGER,
  vendor_severity INTEGER, cvss TEXT, refs TEXT, UNIQUE(source, vuln_id));
CREATE TABLE IF NOT EXISTS affected(
  advisory INTEGER NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
  ecosystem TEXT NOT NULL, package TEXT NOT NULL, version_type TEXT, purl TEXT,
  status INTEGER, ranges TEXT, versions TEXT, severity TEXT, note TEXT);
CREATE INDEX IF NOT EXISTS affected_package ON affected(ecosystem, package);
CREATE INDEX IF NOT EXISTS affected_advisory ON affected(advisory);
CREATE TABLE IF NOT EXISTS inventories(
  digest TEXT PRIMARY KEY, reference TEXT, scanned_at TEXT, inventory TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reported(digest TEXT PRIMARY KEY, keys TEXT NOT NULL);
)sql";

// RAII prepared statement.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() const { return stmt_; }
  void text(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  std::string column(int i) const {
    const auto* p = sqlite3_column_text(stmt_, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }
  std::int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

core::Unexpected<core::Error> sqlite_error(sqlite3* db, const std::filesystem::path& path,
                                           std::string_view what) {
  return core::fail(ErrorCode::kIo, fmt::format("vulnerability database {}: {}: {}", path.string(),
                                                what, sqlite3_errmsg(db)));
}

const char* event_code(Event::Kind k) {
  switch (k) {
    case Event::Kind::kIntroduced:
      return "i";
    case Event::Kind::kFixed:
      return "f";
    case Event::Kind::kLastAffected:
      return "l";
    case Event::Kind::kLimit:
      return "m";
  }
  return "i";
}

Event::Kind event_kind(std::string_view code) {
  if (code == "f") return Event::Kind::kFixed;
  if (code == "l") return Event::Kind::kLastAffected;
  if (code == "m") return Event::Kind::kLimit;
  return Event::Kind::kIntroduced;
}

std::string encode_ranges(const std::vector<Range>& ranges) {
  json out = json::array();
  for (const auto& r : ranges) {
    json events = json::array();
    for (const auto& e : r.events) events.push_back(json::array({event_code(e.kind), e.version}));
    out.push_back(json::array({r.type, std::move(events)}));
  }
  return out.dump();
}

std::vector<Range> decode_ranges(const std::string& text) {
  std::vector<Range> ranges;
  auto doc = json::parse(text, nullptr, false);
  if (!doc.is_array()) return ranges;
  for (const auto& r : doc) {
    if (!r.is_array() || r.size() != 2) continue;
    Range range;
    range.type = r[0].get<std::string>();
    for (const auto& e : r[1]) {
      range.events.push_back(Event{event_kind(e[0].get<std::string>()), e[1].get<std::string>()});
    }
    ranges.push_back(std::move(range));
  }
  return ranges;
}

std::string encode_strings(const std::vector<std::string>& v) { return json(v).dump(); }

std::vector<std::string> decode_strings(const std::string& text) {
  auto doc = json::parse(text, nullptr, false);
  if (!doc.is_array()) return {};
  std::vector<std::string> out;
  for (const auto& s : doc)
    if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

std::string encode_cvss(const std::vector<Cvss>& v) {
  json out = json::array();
  for (const auto& c : v) out.push_back(json::array({c.vector, c.version, c.score}));
  return out.dump();
}

std::vector<Cvss> decode_cvss(const std::string& text) {
  auto doc = json::parse(text, nullptr, false);
  std::vector<Cvss> out;
  if (!doc.is_array()) return out;
  for (const auto& c : doc) {
    if (c.is_array() && c.size() == 3)
      out.push_back(Cvss{c[0].get<std::string>(), c[1].get<std::string>(), c[2].get<double>()});
  }
  return out;
}

inventory::Package decode_package(const json& j) {
  inventory::Package p;
  auto get = [&j](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  p.name = get("n");
  p.version = get("v");
  p.ecosystem = get("e");
  p.purl_namespace = get("ns");
  p.arch = get("a");
  p.source_name = get("sn");
  p.source_version = get("sv");
  p.epoch = get("ep");
  p.found_in = get("f");
  p.cataloger = get("c");
  p.purl = get("p");
  p.layer_digest = get("l");
  if (auto it = j.find("li"); it != j.end() && it->is_number_integer())
    p.layer_index = it->get<int>();
  return p;
}

core::Result<inventory::Inventory> decode_json_inventory(std::string_view text) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return core::fail(ErrorCode::kInvalidInput, "stored inventory is malformed");
  inventory::Inventory inv;
  const auto& os = j.value("os", json::object());
  inv.os.id = os.value("id", "");
  inv.os.name = os.value("name", "");
  inv.os.version_id = os.value("version_id", "");
  inv.os.codename = os.value("codename", "");
  inv.os.pretty_name = os.value("pretty_name", "");
  inv.os.id_like = os.value("id_like", std::vector<std::string>{});
  inv.os.distroless = os.value("distroless", false);
  for (const auto& p : j.value("packages", json::array()))
    inv.packages.push_back(decode_package(p));
  return inv;
}

void append_escaped(std::string& out, std::string_view field) {
  for (char c : field) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

std::string unescape(std::string_view field) {
  if (field.find('\\') == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out += field[i];
      continue;
    }
    char c = field[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
  }
  return out;
}

// Splits one line into exactly `n` fields (missing ones empty).
void split_fields(std::string_view line, std::string_view* fields, std::size_t n) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (start > line.size()) {
      fields[i] = {};
      continue;
    }
    auto tab = line.find('\t', start);
    if (tab == std::string_view::npos) tab = line.size();
    fields[i] = line.substr(start, tab - start);
    start = tab + 1;
  }
}

constexpr std::string_view kInventoryMagic = "MTRINV1\n";
constexpr std::size_t kOsFields = 8;
constexpr std::size_t kPackageFields = 14;
}  // namespace

std::string encode_inventory(const inventory::Inventory& inv) {
  std::string out(kInventoryMagic);
  const auto& os = inv.os;
  std::string joined;
  for (const auto& l : os.id_like) joined += (joined.empty() ? "" : " ") + l;
  const std::string& id_like = joined;
  for (const std::string* f :
       {&os.id, &os.name, &os.version_id, &os.codename, &os.pretty_name, &id_like}) {
    append_escaped(out, *f);
    out += '\t';
  }
  out += os.distroless ? "1\n" : "0\n";
  for (const auto& p : inv.packages) {
    out += 'p';
    for (const std::string* f :
         {&p.name, &p.version, &p.ecosystem, &p.purl_namespace, &p.arch, &p.source_name,
          &p.source_version, &p.epoch, &p.found_in, &p.cataloger, &p.purl, &p.layer_digest}) {
      out += '\t';
      append_escaped(out, *f);
    }
    out += '\t';
    out += std::to_string(p.layer_index);
    out += '\n';
  }
  return out;
}

core::Result<inventory::Inventory> decode_inventory(std::string_view text) {
  if (!text.starts_with(kInventoryMagic)) return decode_json_inventory(text);
  text.remove_prefix(kInventoryMagic.size());
  inventory::Inventory inv;
  bool first = true;
  std::size_t lines = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lines;
    if (first) {
      first = false;
      std::string_view f[kOsFields];
      split_fields(line, f, kOsFields);
      inv.os.id = unescape(f[0]);
      inv.os.name = unescape(f[1]);
      inv.os.version_id = unescape(f[2]);
      inv.os.codename = unescape(f[3]);
      inv.os.pretty_name = unescape(f[4]);
      for (std::size_t s = 0; s < f[5].size();) {
        auto sp = std::min(f[5].find(' ', s), f[5].size());
        if (sp > s) inv.os.id_like.push_back(unescape(f[5].substr(s, sp - s)));
        s = sp + 1;
      }
      inv.os.distroless = f[6] == "1";
      continue;
    }
    if (line.empty()) continue;
    if (line[0] != 'p' || line.size() < 2 || line[1] != '\t') {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("stored inventory line {} is malformed", lines + 1));
    }
    std::string_view f[kPackageFields];
    split_fields(line.substr(2), f, kPackageFields - 1);
    inventory::Package p;
    p.name = unescape(f[0]);
    p.version = unescape(f[1]);
    p.ecosystem = unescape(f[2]);
    p.purl_namespace = unescape(f[3]);
    p.arch = unescape(f[4]);
    p.source_name = unescape(f[5]);
    p.source_version = unescape(f[6]);
    p.epoch = unescape(f[7]);
    p.found_in = unescape(f[8]);
    p.cataloger = unescape(f[9]);
    p.purl = unescape(f[10]);
    p.layer_digest = unescape(f[11]);
    p.layer_index = std::atoi(std::string(f[12]).c_str());
    inv.packages.push_back(std::move(p));
  }
  return inv;
}

std::string encode_keys(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) {
    append_escaped(out, k);
    out += '\n';
  }
  return out;
}

std::vector<std::string> decode_keys(std::string_view text) {
  if (text.starts_with("[")) return decode_strings(std::string(text));  // early databases
  std::vector<std::string> keys;
  for (std::size_t pos = 0; pos < text.size();) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    if (nl > pos) keys.push_back(unescape(text.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  return keys;
}

std::filesystem::path Store::default_path() {
  if (const char* db = std::getenv("MATRYOSHKA_DB"); db && *db) return db;
  if (const char* dir = std::getenv("MATRYOSHKA_CACHE_DIR"); dir && *dir)
    return std::filesystem::path(dir) / "vuln.db";
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "matryoshka" / "vuln.db";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/tmp") / ".cache" / "matryoshka" / "vuln.db";
}

core::Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path, bool writable,
                                                 const core::Clock& clock) {
  std::error_code ec;
  if (!writable && !std::filesystem::exists(path, ec)) {
    return core::fail(ErrorCode::kNotFound,
                      fmt::format("no vulnerability database at {}: run `matryoshka db update` "
                                  "(or `matryoshka db import --from PATH` offline), or pass --db",
                                  path.string()));
  }
  if (writable && path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* db = nullptr;
  int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return core::fail(ErrorCode::kIo,
                      fmt::format("cannot open vulnerability database {}: {}", path.string(), msg));
  }
  std::unique_ptr<Store> store(new Store(db, path, clock));
  sqlite3_busy_timeout(db, 30000);
  if (writable) {
    MTR_TRY_STATUS(store->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  }
  MTR_TRY_STATUS(store->exec("PRAGMA foreign_keys=ON;"));

  // Schema version: a fresh file gets ours; another version is refused, never reinterpreted.
  int version = 0;
  {
    Stmt has(db, "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'");
    if (!has.ok()) return sqlite_error(db, path, "reading the schema");
    if (has.step() == SQLITE_ROW) {
      Stmt q(db, "SELECT value FROM meta WHERE key='schema_version'");
      if (q.ok() && q.step() == SQLITE_ROW) version = std::atoi(q.column(0).c_str());
    }
  }
  if (version == 0) {
    if (!writable) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{} is not a Matryoshka vulnerability database (no schema "
                                    "version); rebuild it with `matryoshka db update`",
                                    path.string()));
    }
    MTR_TRY_STATUS(store->exec("BEGIN IMMEDIATE"));
    MTR_TRY_STATUS(store->exec(kSchema));
    MTR_TRY_STATUS(store->exec(
        fmt::format("INSERT OR REPLACE INTO meta VALUES('schema_version','{}')", kSchemaVersion)
            .c_str()));
    MTR_TRY_STATUS(store->exec("COMMIT"));
  } else if (version != kSchemaVersion) {
    return core::fail(ErrorCode::kUnsupported,
                      fmt::format("vulnerability database {} has schema version {}, this "
                                  "matryoshka reads version {}: delete it and run `matryoshka db "
                                  "update`, or pass --db with another file",
                                  path.string(), version, kSchemaVersion));
  }
  return store;
}

Store::~Store() { sqlite3_close(db_); }

core::Status Store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return core::fail(ErrorCode::kIo,
                      fmt::format("vulnerability database {}: {}", path_.string(), msg));
  }
  return {};
}

core::Result<SourceInfo> Store::replace_source(SourceInfo info, const SourceFiller& fill) {
  MTR_TRY_STATUS(exec("BEGIN IMMEDIATE"));
  bool committed = false;
  struct Rollback {
    Store* s;
    bool* done;
    ~Rollback() {
      if (!*done) sqlite3_exec(s->db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  } rollback{this, &committed};

  {
    Stmt del(db_, "DELETE FROM advisories WHERE source=?");
    if (!del.ok()) return sqlite_error(db_, path_, "preparing");
    del.text(1, info.name);
    if (del.step() != SQLITE_DONE) return sqlite_error(db_, path_, "removing the old records");
  }
  Stmt insert_adv(db_,
                  "INSERT INTO advisories(source, vuln_id, aliases, summary, details, published, "
                  "modified, withdrawn, vendor_severity, cvss, refs) VALUES(?,?,?,?,?,?,?,?,?,?,?) "
                  "ON CONFLICT(source, vuln_id) DO NOTHING");
  Stmt find_adv(db_, "SELECT id FROM advisories WHERE source=? AND vuln_id=?");
  Stmt insert_aff(db_,
                  "INSERT INTO affected(advisory, ecosystem, package, version_type, purl, status, "
                  "ranges, versions, severity, note) VALUES(?,?,?,?,?,?,?,?,?,?)");
  if (!insert_adv.ok() || !find_adv.ok() || !insert_aff.ok())
    return sqlite_error(db_, path_, "preparing");

  std::uint64_t advisories = 0, affected = 0;
  auto sink = [&](Advisory&& a) -> core::Status {
    insert_adv.reset();
    insert_adv.text(1, info.name);
    insert_adv.text(2, a.id);
    insert_adv.text(3, encode_strings(a.aliases));
    insert_adv.text(4, a.summary);
    insert_adv.text(5, a.details);
    insert_adv.text(6, a.published);
    insert_adv.text(7, a.modified);
    insert_adv.integer(8, a.withdrawn ? 1 : 0);
    insert_adv.integer(9, static_cast<int>(a.vendor_severity));
    insert_adv.text(10, encode_cvss(a.cvss));
    insert_adv.text(11, encode_strings(a.references));
    if (insert_adv.step() != SQLITE_DONE) return sqlite_error(db_, path_, "storing " + a.id);
    std::int64_t rowid = 0;
    if (sqlite3_changes(db_) == 1) {
      rowid = sqlite3_last_insert_rowid(db_);
      ++advisories;
    } else {
      find_adv.reset();
      find_adv.text(1, info.name);
      find_adv.text(2, a.id);
      if (find_adv.step() != SQLITE_ROW) return sqlite_error(db_, path_, "finding " + a.id);
      rowid = find_adv.column_int(0);
    }
    for (const auto& af : a.affected) {
      insert_aff.reset();
      insert_aff.integer(1, rowid);
      insert_aff.text(2, af.ecosystem);
      insert_aff.text(3, af.package);
      insert_aff.text(4, af.version_type);
      insert_aff.text(5, af.purl);
      insert_aff.integer(6, static_cast<int>(af.status));
      insert_aff.text(7, encode_ranges(af.ranges));
      insert_aff.text(8, encode_strings(af.versions));
      insert_aff.text(9, af.severity);
      insert_aff.text(10, af.note);
      if (insert_aff.step() != SQLITE_DONE) return sqlite_error(db_, path_, "storing " + a.id);
      ++affected;
    }
    return {};
  };
  MTR_TRY_STATUS(fill(sink, info));

  info.advisories = advisories;
  info.affected = affected;
  info.imported_at = core::format_rfc3339(clock_->now());
  {
    Stmt src(db_, "INSERT OR REPLACE INTO sources VALUES(?,?,?,?,?,?,?)");
    if (!src.ok()) return sqlite_error(db_, path_, "preparing");
    src.text(1, info.name);
    src.text(2, info.location);
    src.text(3, info.format);
    src.text(4, info.imported_at);
    src.text(5, info.sha256);
    src.integer(6, static_cast<std::int64_t>(advisories));
    src.integer(7, static_cast<std::int64_t>(affected));
    if (src.step() != SQLITE_DONE) return sqlite_error(db_, path_, "recording the source");
    Stmt meta(db_, "INSERT OR REPLACE INTO meta VALUES('updated_at', ?)");
    meta.text(1, info.imported_at);
    if (meta.step() != SQLITE_DONE) return sqlite_error(db_, path_, "recording the time");
  }
  // A quick check of what was written before it becomes visible.
  {
    Stmt check(db_,
               "SELECT count(*) FROM affected a JOIN advisories v ON a.advisory = v.id "
               "WHERE v.source = ?");
    check.text(1, info.name);
    if (check.step() != SQLITE_ROW || static_cast<std::uint64_t>(check.column_int(0)) != affected) {
      return core::fail(
          ErrorCode::kInternal,
          fmt::format("import of {} did not verify; database left unchanged", info.name));
    }
  }
  MTR_TRY_STATUS(exec("COMMIT"));
  committed = true;
  return info;
}

core::Result<DbStatus> Store::status() {
  DbStatus st;
  st.path = path_.string();
  st.schema_version = kSchemaVersion;
  {
    Stmt q(db_, "SELECT value FROM meta WHERE key='updated_at'");
    if (q.ok() && q.step() == SQLITE_ROW) st.updated_at = q.column(0);
  }
  Stmt q(db_,
         "SELECT name, location, format, imported_at, sha256, advisories, affected FROM sources "
         "ORDER BY name");
  if (!q.ok()) return sqlite_error(db_, path_, "reading sources");
  while (q.step() == SQLITE_ROW) {
    SourceInfo s{q.column(0),
                 q.column(1),
                 q.column(2),
                 q.column(3),
                 q.column(4),
                 static_cast<std::uint64_t>(q.column_int(5)),
                 static_cast<std::uint64_t>(q.column_int(6))};
    st.advisories += s.advisories;
    st.affected += s.affected;
    st.sources.push_back(std::move(s));
  }
  Stmt inv(db_, "SELECT count(*) FROM inventories");
  if (inv.ok() && inv.step() == SQLITE_ROW)
    st.inventories = static_cast<std::uint64_t>(inv.column_int(0));
  return st;
}

namespace {
constexpr const char* kSelectRows =
    "SELECT v.id, v.source, v.vuln_id, v.aliases, v.summary, v.details, v.published, v.modified, "
    "v.withdrawn, v.vendor_severity, v.cvss, v.refs, a.ecosystem, a.package, a.version_type, "
    "a.purl, a.status, a.ranges, a.versions, a.severity, a.note "
    "FROM affected a JOIN advisories v ON a.advisory = v.id";
}

core::Result<VulnIndex> Store::load_rows(const char* where_sql,
                                         const std::function<core::Status(sqlite3_stmt*)>& bind,
                                         std::size_t repeat) {
  std::string sql = std::string(kSelectRows) + where_sql;
  Stmt q(db_, sql.c_str());
  if (!q.ok()) return sqlite_error(db_, path_, "reading advisories");
  std::map<std::int64_t, Advisory> by_row;
  for (std::size_t i = 0; i < repeat; ++i) {
    q.reset();
    if (bind) MTR_TRY_STATUS(bind(q.get()));
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      auto [it, fresh] = by_row.try_emplace(q.column_int(0));
      Advisory& a = it->second;
      if (fresh) {
        a.source = q.column(1);
        a.id = q.column(2);
        a.aliases = decode_strings(q.column(3));
        a.summary = q.column(4);
        a.details = q.column(5);
        a.published = q.column(6);
        a.modified = q.column(7);
        a.withdrawn = q.column_int(8) != 0;
        a.vendor_severity = static_cast<core::Severity>(q.column_int(9));
        a.cvss = decode_cvss(q.column(10));
        a.references = decode_strings(q.column(11));
      }
      Affected af;
      af.ecosystem = q.column(12);
      af.package = q.column(13);
      af.version_type = q.column(14);
      af.purl = q.column(15);
      af.status = static_cast<Status>(q.column_int(16));
      af.ranges = decode_ranges(q.column(17));
      af.versions = decode_strings(q.column(18));
      af.severity = q.column(19);
      af.note = q.column(20);
      a.affected.push_back(std::move(af));
    }
    if (rc != SQLITE_DONE) return sqlite_error(db_, path_, "reading advisories");
  }
  VulnIndex index;
  for (auto& [row, advisory] : by_row) index.add(std::move(advisory));
  return index;
}

core::Result<VulnIndex> Store::load_index() { return load_rows("", nullptr, 1); }

core::Result<VulnIndex> Store::load_index(
    const std::vector<std::pair<std::string, std::string>>& packages) {
  if (packages.empty()) return VulnIndex{};
  // One indexed query per distinct (ecosystem, package); rows of one advisory merge.
  std::size_t next = 0;
  return load_rows(
      " WHERE a.ecosystem = ?1 AND a.package = ?2",
      [&](sqlite3_stmt* s) -> core::Status {
        const auto& [eco, name] = packages[next++];
        sqlite3_bind_text(s, 1, eco.data(), static_cast<int>(eco.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
        return {};
      },
      packages.size());
}

core::Status Store::save_inventory(const StoredInventory& inv) {
  Stmt q(db_, "INSERT OR REPLACE INTO inventories VALUES(?,?,?,?)");
  if (!q.ok()) return sqlite_error(db_, path_, "preparing");
  q.text(1, inv.digest);
  q.text(2, inv.reference);
  q.text(3, inv.scanned_at.empty() ? core::format_rfc3339(clock_->now()) : inv.scanned_at);
  q.text(4, encode_inventory(inv.inventory));
  if (q.step() != SQLITE_DONE) return sqlite_error(db_, path_, "storing the inventory");
  return {};
}

core::Result<std::vector<StoredInventory>> Store::load_inventories() {
  Stmt q(db_, "SELECT digest, reference, scanned_at, inventory FROM inventories ORDER BY digest");
  if (!q.ok()) return sqlite_error(db_, path_, "reading inventories");
  std::vector<StoredInventory> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    StoredInventory s;
    s.digest = q.column(0);
    s.reference = q.column(1);
    s.scanned_at = q.column(2);
    auto inv = decode_inventory(q.column(3));
    if (!inv) {
      spdlog::warn("stored inventory of {} is unreadable, skipped: {}", s.digest,
                   inv.error().message);
      continue;
    }
    s.inventory = std::move(*inv);
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, path_, "reading inventories");
  return out;
}

core::Status Store::scan_inventories(
    std::size_t batch, const std::function<core::Status(std::vector<RawInventory>&)>& fn) {
  Stmt q(db_,
         "SELECT i.digest, i.reference, i.scanned_at, i.inventory, r.keys FROM inventories i "
         "LEFT JOIN reported r ON r.digest = i.digest ORDER BY i.digest");
  if (!q.ok()) return sqlite_error(db_, path_, "reading inventories");
  std::vector<RawInventory> rows;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    rows.push_back({q.column(0), q.column(1), q.column(2), q.column(3), q.column(4)});
    if (rows.size() >= batch) {
      MTR_TRY_STATUS(fn(rows));
      rows.clear();
    }
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, path_, "reading inventories");
  if (!rows.empty()) MTR_TRY_STATUS(fn(rows));
  return {};
}

core::Result<std::vector<std::string>> Store::reported_keys(const std::string& digest) {
  Stmt q(db_, "SELECT keys FROM reported WHERE digest=?");
  if (!q.ok()) return sqlite_error(db_, path_, "reading reported findings");
  q.text(1, digest);
  if (q.step() != SQLITE_ROW) return std::vector<std::string>{};
  return decode_keys(q.column(0));
}

core::Status Store::set_reported_keys(const std::string& digest,
                                      const std::vector<std::string>& keys) {
  return set_reported_keys_batch({{digest, keys}});
}

core::Status Store::set_reported_keys_batch(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& batch) {
  MTR_TRY_STATUS(exec("BEGIN IMMEDIATE"));
  Stmt q(db_, "INSERT OR REPLACE INTO reported VALUES(?,?)");
  if (!q.ok()) {
    (void)exec("ROLLBACK");
    return sqlite_error(db_, path_, "preparing");
  }
  for (const auto& [digest, keys] : batch) {
    q.reset();
    q.text(1, digest);
    q.text(2, encode_keys(keys));
    if (q.step() != SQLITE_DONE) {
      auto err = sqlite_error(db_, path_, "storing reported findings");
      (void)exec("ROLLBACK");
      return err;
    }
  }
  return exec("COMMIT");
}

}  // namespace mtr::vulndb
