// matryoshka db update|import|status: build and inspect the vulnerability database.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/table.h"
#include "vulndb/store.h"
#include "vulndb/update.h"

namespace mtr::cli {
namespace {

using core::ErrorCode;

struct DbOptions {
  std::string db;
  // update
  std::vector<std::string> source_overrides;  // NAME=LOCATION
  std::vector<std::string> only;
  // import
  std::vector<std::string> from;
  std::string format = "auto";
  std::string source_name;
  // status
  std::string output_format = "table";
  std::string max_age = "72h";
};

std::filesystem::path db_path(const std::string& flag) {
  return flag.empty() ? vulndb::Store::default_path() : std::filesystem::path(flag);
}

core::Result<std::chrono::seconds> parse_age(const std::string& text) {
  if (text.empty()) return core::fail(ErrorCode::kUsage, "--max-age is empty");
  char unit = text.back();
  std::string number =
      std::isdigit(static_cast<unsigned char>(unit)) ? text : text.substr(0, text.size() - 1);
  if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) {
    return core::fail(ErrorCode::kUsage,
                      fmt::format("--max-age {}: expected a number with h or d (72h, 3d)", text));
  }
  long long n = std::stoll(number);
  if (unit == 'd') return std::chrono::seconds(n * 86400);
  if (unit == 'h' || std::isdigit(static_cast<unsigned char>(unit)))
    return std::chrono::seconds(n * 3600);
  return core::fail(ErrorCode::kUsage,
                    fmt::format("--max-age {}: unit must be h (hours) or d (days)", text));
}

core::Result<core::ExitCode> run_import(const DbOptions& opts, const GlobalOptions& global) {
  auto format = MTR_TRY(vulndb::parse_format(opts.format));
  if (!opts.source_name.empty() && opts.from.size() != 1) {
    return core::fail(ErrorCode::kUsage, "--source names one source: give exactly one --from");
  }
  auto path = db_path(opts.db);
  auto store = MTR_TRY(vulndb::Store::open(path, true));
  auto progress = make_progress(global);
  for (const auto& from : opts.from) {
    vulndb::SourceInfo info;
    std::filesystem::path local;
    if (from.rfind("http://", 0) == 0 || from.rfind("https://", 0) == 0) {
      // A URL: downloaded (resumable, checksummed) beside the database, then imported.
      info.name = opts.source_name.empty() ? "url:" + from : opts.source_name;
      info.location = from;
      vulndb::Feed feed{info.name, format, from};
      local = MTR_TRY(
          vulndb::fetch_feed(feed, path.parent_path() / "downloads", progress.get(), &info.sha256));
      progress->finish();
    } else {
      std::error_code ec;
      auto abs = std::filesystem::absolute(from, ec).lexically_normal();
      if (!std::filesystem::exists(abs, ec)) {
        return core::fail(ErrorCode::kNotFound,
                          fmt::format("--from {}: no such file or directory", from));
      }
      info.name = opts.source_name.empty() ? "local:" + abs.string() : opts.source_name;
      info.location = abs.string();
      local = abs;
    }
    auto result = MTR_TRY(vulndb::import_path(*store, info, local, format));
    if (!global.quiet) {
      fmt::print(stderr, "imported {}: {} advisories, {} affected packages\n", result.name,
                 result.advisories, result.affected);
    }
  }
  return core::ExitCode::kOk;
}

core::Result<core::ExitCode> run_update(const DbOptions& opts, const GlobalOptions& global) {
  auto feeds = vulndb::default_feeds();
  for (const auto& o : opts.source_overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == o.size()) {
      return core::fail(ErrorCode::kUsage,
                        fmt::format("--source {}: expected NAME=URL or NAME=PATH", o));
    }
    std::string name = o.substr(0, eq), location = o.substr(eq + 1);
    auto it =
        std::find_if(feeds.begin(), feeds.end(), [&](const auto& f) { return f.name == name; });
    if (it != feeds.end()) {
      it->location = location;
    } else {
      feeds.push_back({name, vulndb::Format::kAuto, location});
    }
  }
  if (!opts.only.empty()) {
    for (const auto& name : opts.only) {
      if (std::none_of(feeds.begin(), feeds.end(), [&](const auto& f) { return f.name == name; })) {
        return core::fail(
            ErrorCode::kUsage,
            fmt::format("--only {}: no such source (see `matryoshka db update --list`)", name));
      }
    }
    std::erase_if(feeds, [&](const auto& f) {
      return std::find(opts.only.begin(), opts.only.end(), f.name) == opts.only.end();
    });
  }
  auto path = db_path(opts.db);
  auto store = MTR_TRY(vulndb::Store::open(path, true));
  auto progress = make_progress(global);
  auto download_dir = path.parent_path() / "downloads";
  int failed = 0;
  for (const auto& feed : feeds) {
    std::string sha;
    auto local = vulndb::fetch_feed(feed, download_dir, progress.get(), &sha);
    if (!local) {
      progress->finish();
      spdlog::error("source {}: {} (previous data kept)", feed.name, local.error().to_string());
      ++failed;
      continue;
    }
    vulndb::SourceInfo info{feed.name, feed.location, "", "", sha, 0, 0};
    auto result = vulndb::import_path(*store, info, *local, feed.format);
    progress->finish();
    if (!result) {
      spdlog::error("source {}: {} (previous data kept)", feed.name, result.error().to_string());
      ++failed;
      continue;
    }
    if (!global.quiet) {
      fmt::print(stderr, "updated {}: {} advisories, {} affected packages\n", result->name,
                 result->advisories, result->affected);
    }
  }
  if (failed > 0) {
    return core::fail(ErrorCode::kIo,
                      fmt::format("{} of {} sources could not be updated (see above); the "
                                  "database keeps their previous data",
                                  failed, feeds.size()));
  }
  return core::ExitCode::kOk;
}

core::Result<core::ExitCode> run_status(const DbOptions& opts) {
  auto store = MTR_TRY(vulndb::Store::open(db_path(opts.db), false));
  auto st = MTR_TRY(store->status());
  auto max_age = MTR_TRY(parse_age(opts.max_age));
  std::string warning;
  if (st.sources.empty()) {
    warning = "the database holds no source yet: run `matryoshka db update` or `db import`";
  } else {
    for (const auto& s : st.sources) {
      auto tp = core::parse_rfc3339(s.imported_at);
      if (tp && core::system_clock().now() - *tp > max_age) {
        warning = fmt::format("data older than {}: run `matryoshka db update`", opts.max_age);
        break;
      }
    }
  }
  if (opts.output_format == "json") {
    nlohmann::json j = {{"path", st.path},
                        {"schema_version", st.schema_version},
                        {"updated_at", st.updated_at},
                        {"advisories", st.advisories},
                        {"affected", st.affected},
                        {"inventories", st.inventories}};
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& s : st.sources) {
      sources.push_back({{"name", s.name},
                         {"location", s.location},
                         {"format", s.format},
                         {"imported_at", s.imported_at},
                         {"sha256", s.sha256},
                         {"advisories", s.advisories},
                         {"affected", s.affected}});
    }
    j["sources"] = std::move(sources);
    if (!warning.empty()) j["warning"] = warning;
    std::cout << j.dump(2) << "\n";
  } else {
    fmt::print(
        "database:    {}\nschema:      {}\nupdated at:  {}\nadvisories:  {}\naffected:    "
        "{}\ninventories: {}\n\n",
        st.path, st.schema_version, st.updated_at.empty() ? "never" : st.updated_at, st.advisories,
        st.affected, st.inventories);
    core::Table table({"SOURCE", "FORMAT", "IMPORTED", "ADVISORIES", "AFFECTED", "LOCATION"});
    for (const auto& s : st.sources) {
      table.add_row({s.name, s.format, s.imported_at, std::to_string(s.advisories),
                     std::to_string(s.affected), s.location});
    }
    table.write(std::cout);
  }
  if (!warning.empty()) spdlog::warn("{}", warning);
  return core::ExitCode::kOk;
}

}  // namespace

Command add_db_command(CLI::App& parent, const GlobalOptions& global) {
  auto opts = std::make_shared<DbOptions>();
  auto* app = parent.add_subcommand("db", "Build and inspect the vulnerability database");
  app->require_subcommand(1);
  app->footer(
      "The database is one SQLite file, by default $XDG_CACHE_HOME/matryoshka/vuln.db\n"
      "(override with --db or $MATRYOSHKA_DB). Every change is one transaction: an\n"
      "interrupted update or import leaves the previous data usable.");
  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", opts->db, "Database file (default $XDG_CACHE_HOME/matryoshka/vuln.db)")
        ->envname("MATRYOSHKA_DB");
  };

  auto* update = app->add_subcommand("update", "Download the configured feeds and import them");
  add_db(update);
  update->add_option("--source,--from", opts->source_overrides,
                     "NAME=URL|PATH: read source NAME from a mirror or a local file (repeatable; "
                     "a new NAME adds a source)");
  update->add_option("--only", opts->only, "Update only these sources")->delimiter(',');
  bool list = false;
  auto* list_flag = update->add_flag("--list", list, "List the configured sources and exit");
  (void)list_flag;
  update->footer(
      "Downloads resume where an interrupted run stopped and are checksummed (sha256, shown\n"
      "by `db status`). A source that fails keeps its previous data.\n"
      "Example (air-gapped): matryoshka db update --only debian-tracker \\\n"
      "    --source debian-tracker=/mirror/debian-tracker.json");

  auto* import =
      app->add_subcommand("import", "Import local data (OSV, Debian tracker, Alpine secdb)");
  add_db(import);
  import
      ->add_option("--from", opts->from,
                   "File, directory or .zip to import (repeatable); each becomes source "
                   "local:<absolute path>, replaced on re-import")
      ->required();
  import->add_option("--format", opts->format, "auto, osv, debian-tracker or alpine-secdb")
      ->check(CLI::IsMember({"auto", "osv", "debian-tracker", "alpine-secdb"}))
      ->capture_default_str();
  import->add_option("--source", opts->source_name, "Name of the source (default local:PATH)");

  auto* status = app->add_subcommand("status", "Show sources, record counts and data age");
  add_db(status);
  status->add_option("-f,--format", opts->output_format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  status->add_option("--max-age", opts->max_age, "Warn when a source is older (72h, 3d)")
      ->capture_default_str();

  return Command{
      app, [opts, &global, update, import, status, list_flag]() -> core::Result<core::ExitCode> {
        if (import->parsed()) return run_import(*opts, global);
        if (status->parsed()) return run_status(*opts);
        if (update->parsed()) {
          if (list_flag->count() > 0) {
            core::Table table({"SOURCE", "FORMAT", "LOCATION"});
            for (const auto& f : vulndb::default_feeds())
              table.add_row({f.name, vulndb::to_string(f.format), f.location});
            table.write(std::cout);
            return core::ExitCode::kOk;
          }
          return run_update(*opts, global);
        }
        return core::fail(ErrorCode::kUsage, "db: choose update, import or status");
      }};
}

}  // namespace mtr::cli
