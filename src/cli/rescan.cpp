// matryoshka rescan: re-match every stored inventory against the current database, without
// reading any layer, and report what is new since the last match.
#include <fmt/format.h>

#include <atomic>
#include <optional>
#include <set>
#include <thread>

#include "cli/common.h"
#include "cli/vuln_flags.h"
#include "core/log.h"
#include "core/report.h"
#include "core/version.h"
#include "match/match.h"
#include "match/policy.h"
#include "match/report.h"
#include "vulndb/store.h"

namespace mtr::cli {

namespace {

struct RescanOptions {
  VulnFlags vuln;
  bool all = false;
  bool dry_run = false;
  unsigned threads = 0;
};

struct ImageOutcome {
  std::vector<core::Finding> report;  // what to print for this image
  std::vector<std::string> rendered;  // the same, already rendered (JSON)
  std::vector<std::string> keys;      // every current finding, remembered for next time
  std::size_t total = 0;
  std::size_t fresh = 0;
  std::string error;
};

// Streams the report image by image: JSON as one document written a finding at a time, the
// table as one section per image with findings; SARIF needs every rule first, so it collects.
class RescanReport {
 public:
  RescanReport(const VulnFlags& flags, std::ostream& out)
      : flags_(flags), out_(out), json_(out, tool()) {}
  void add(const vulndb::RawInventory& image, std::vector<core::Finding>&& findings,
           const std::vector<std::string>& rendered) {
    if (flags_.format == "json") {
      for (const auto& text : rendered) json_.add_rendered(text);
    } else if (flags_.format == "table") {
      if (findings.empty()) return;
      out_ << fmt::format("{}{} ({})\n", sections_++ ? "\n" : "", image.reference, image.digest);
      match::write_vuln_table(out_, findings, 0);
    } else {
      for (auto& f : findings) sarif_.push_back(std::move(f));
    }
  }
  core::Status finish() {
    if (flags_.format == "json") {
      json_.finish();
    } else if (flags_.format == "table") {
      if (sections_ == 0) out_ << "No findings to report.\n";
    } else {
      VulnFlags sarif_flags = flags_;
      sarif_flags.output.clear();
      return write_vuln_report_to(out_, sarif_flags, sarif_, {}, nullptr);
    }
    return {};
  }

 private:
  static core::ToolInfo tool() {
    core::ToolInfo t;
    t.version = core::kVersion;
    return t;
  }
  const VulnFlags& flags_;
  std::ostream& out_;
  core::FindingsJsonStream json_;
  std::vector<core::Finding> sarif_;
  std::size_t sections_ = 0;
};

core::Result<core::ExitCode> run_rescan(const RescanOptions& opts, const GlobalOptions& global) {
  auto fail_on = MTR_TRY(cli::fail_on(opts.vuln));
  auto db_path =
      opts.vuln.db.empty() ? vulndb::Store::default_path() : std::filesystem::path(opts.vuln.db);
  auto store = MTR_TRY(vulndb::Store::open(db_path, !opts.dry_run));
  auto index = MTR_TRY(store->load_index());
  // Policy files are read once; the per-image target only matters for VEX products.
  auto base_policy = MTR_TRY(policy_options(opts.vuln, ""));
  const auto match_opts = match_options(opts.vuln);
  unsigned threads =
      opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<match::MatchCache> caches(threads);
  const bool json = opts.vuln.format == "json";  // rendered in the workers

  auto out = MTR_TRY(OutputFile::open(opts.vuln.output));
  RescanReport report(opts.vuln, out.stream());
  std::vector<std::pair<std::string, std::vector<std::string>>> remembered;
  std::size_t images = 0, total = 0, fresh = 0, images_with_new = 0;
  bool failing = false;

  // Batches of stored inventories: decoded and matched in parallel, reported in order; the
  // main thread writes one batch's report while the others start on the next.
  struct Batch {
    std::vector<vulndb::RawInventory> rows;
    std::vector<ImageOutcome> outcomes;
  };
  auto process = [&](const vulndb::RawInventory& row, ImageOutcome& o, unsigned t) {
    auto inv = vulndb::decode_inventory(row.inventory);
    if (!inv) {
      o.error = inv.error().to_string();
      return;
    }
    auto matched = match::match_inventory(*inv, index, match_opts, row.reference, &caches[t]);
    auto policy = base_policy;
    policy.target = row.reference;
    auto decided = match::apply_policy(std::move(matched.findings), policy);
    auto previous = vulndb::decode_keys(row.reported);
    std::set<std::string> before(previous.begin(), previous.end());
    o.total = decided.findings.size();
    for (auto& f : decided.findings) {
      auto key = match::finding_key(f);
      const bool is_new = !before.count(key);
      o.keys.push_back(std::move(key));
      if (is_new) {
        f.properties["new"] = "true";
        ++o.fresh;
      }
      if (opts.all || is_new) o.report.push_back(std::move(f));
    }
    if (json) {
      for (const auto& f : o.report) o.rendered.push_back(core::FindingsJsonStream::render(f));
    }
  };
  auto write = [&](Batch& b) {
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      auto& o = b.outcomes[i];
      ++images;
      if (!o.error.empty()) {
        spdlog::warn("stored inventory of {} is unreadable, skipped: {}", b.rows[i].digest,
                     o.error);
        continue;
      }
      total += o.total;
      fresh += o.fresh;
      if (o.fresh) ++images_with_new;
      failing = failing || match::should_fail(o.report, fail_on);
      report.add(b.rows[i], std::move(o.report), o.rendered);
      remembered.emplace_back(b.rows[i].digest, std::move(o.keys));
    }
  };
  std::optional<Batch> pending;
  MTR_TRY_STATUS(
      store->scan_inventories(256, [&](std::vector<vulndb::RawInventory>& rows) -> core::Status {
        Batch current{std::move(rows), {}};
        current.outcomes.resize(current.rows.size());
        std::atomic<std::size_t> next{0};
        auto work = [&](unsigned t) {
          for (std::size_t i; (i = next++) < current.rows.size();) {
            process(current.rows[i], current.outcomes[i], t);
          }
        };
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
        if (pending) write(*pending);
        work(0);
        for (auto& t : pool) t.join();
        pending = std::move(current);
        return {};
      }));
  if (pending) write(*pending);
  MTR_TRY_STATUS(report.finish());
  MTR_TRY_STATUS(out.commit());
  if (images == 0) {
    spdlog::warn("no stored inventories in {}: `matryoshka image scan` stores one per image",
                 db_path.string());
  }
  if (!opts.dry_run) MTR_TRY_STATUS(store->set_reported_keys_batch(remembered));
  if (!global.quiet) {
    fmt::print(stderr, "rescan: {} images, {} findings, {} new since the last match in {} images\n",
               images, total, fresh, images_with_new);
  }
  return failing ? core::ExitCode::kFindings : core::ExitCode::kOk;
}

}  // namespace

Command add_rescan_command(CLI::App& parent, const GlobalOptions& global) {
  auto opts = std::make_shared<RescanOptions>();
  auto* app = parent.add_subcommand(
      "rescan", "Re-match stored image inventories against the current database");
  app->footer(
      "Every `matryoshka image scan` stores the image's inventory in the database. rescan\n"
      "matches them all again without reading any layer (run it after `db update`) and\n"
      "reports the findings that are new since the last match; --all reports every finding.\n"
      "--fail-on applies to what is reported.");
  add_vuln_flags(app, opts->vuln, {"table", "json", "sarif"});
  app->add_flag("--all", opts->all, "Report every current finding, not only the new ones");
  app->add_flag("--dry-run", opts->dry_run,
                "Do not remember what was reported (the next rescan reports it again)");
  app->add_option("--threads", opts->threads, "Images matched at once (default: one per core)");
  return Command{app, [opts, &global] { return run_rescan(*opts, global); }};
}

}  // namespace mtr::cli
