// matryoshka rescan: re-match every stored inventory against the current database, without
// reading any layer, and report what is new since the last match.
#include <fmt/format.h>

#include <set>
#include <thread>

#include "cli/common.h"
#include "cli/vuln_flags.h"
#include "core/log.h"
#include "match/match.h"
#include "match/policy.h"
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
  std::vector<std::string> keys;      // every current finding, remembered for next time
  std::size_t suppressed = 0;
  std::size_t total = 0;
};

core::Result<core::ExitCode> run_rescan(const RescanOptions& opts, const GlobalOptions& global) {
  auto fail_on = MTR_TRY(cli::fail_on(opts.vuln));
  auto db_path =
      opts.vuln.db.empty() ? vulndb::Store::default_path() : std::filesystem::path(opts.vuln.db);
  auto store = MTR_TRY(vulndb::Store::open(db_path, !opts.dry_run));
  auto inventories = MTR_TRY(store->load_inventories());
  if (inventories.empty()) {
    spdlog::warn("no stored inventories in {}: `matryoshka image scan` stores one per image",
                 db_path.string());
  }
  auto index = MTR_TRY(store->load_index());
  // Policy files are read once; the per-image target only matters for VEX products.
  auto base_policy = MTR_TRY(policy_options(opts.vuln, ""));
  const auto match_opts = match_options(opts.vuln);

  std::vector<std::vector<std::string>> previous(inventories.size());
  for (std::size_t i = 0; i < inventories.size(); ++i) {
    previous[i] = MTR_TRY(store->reported_keys(inventories[i].digest));
  }

  std::vector<ImageOutcome> outcomes(inventories.size());
  unsigned threads =
      opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(
      std::min<std::size_t>(threads, std::max<std::size_t>(1, inventories.size())));
  auto work = [&](std::size_t begin, std::size_t step) {
    for (std::size_t i = begin; i < inventories.size(); i += step) {
      const auto& inv = inventories[i];
      auto matched = match::match_inventory(inv.inventory, index, match_opts, inv.reference);
      auto policy = base_policy;
      policy.target = inv.reference;
      auto decided = match::apply_policy(std::move(matched.findings), policy);
      std::set<std::string> before(previous[i].begin(), previous[i].end());
      ImageOutcome& out = outcomes[i];
      out.suppressed = decided.suppressed.size();
      out.total = decided.findings.size();
      for (auto& f : decided.findings) {
        auto key = match::finding_key(f);
        out.keys.push_back(key);
        if (opts.all || !before.count(key)) {
          if (!before.count(key)) f.properties["new"] = "true";
          out.report.push_back(std::move(f));
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& t : pool) t.join();

  std::vector<core::Finding> report;
  std::vector<std::pair<std::string, std::vector<std::string>>> batch;
  std::size_t total = 0, fresh = 0, images_with_new = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    auto& o = outcomes[i];
    total += o.total;
    std::size_t n = 0;
    for (auto& f : o.report) {
      if (f.properties.count("new")) ++n;
      report.push_back(std::move(f));
    }
    fresh += n;
    if (n) ++images_with_new;
    batch.emplace_back(inventories[i].digest, std::move(o.keys));
  }
  if (!opts.dry_run) MTR_TRY_STATUS(store->set_reported_keys_batch(batch));
  if (!global.quiet) {
    fmt::print(stderr, "rescan: {} images, {} findings, {} new since the last match in {} images\n",
               inventories.size(), total, fresh, images_with_new);
  }
  MTR_TRY_STATUS(write_vuln_report(opts.vuln, report, {}, nullptr));
  return match::should_fail(report, fail_on) ? core::ExitCode::kFindings : core::ExitCode::kOk;
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
