// matryoshka image scan IMAGE: the image's packages matched against the vulnerability database.
#include <fmt/format.h>

#include <set>

#include "cli/common.h"
#include "cli/vuln_flags.h"
#include "core/log.h"
#include "core/report.h"
#include "core/version.h"
#include "inventory/cataloger.h"
#include "match/match.h"
#include "match/policy.h"
#include "match/report.h"
#include "oci/image.h"
#include "oci/scan.h"
#include "sbom/sbom.h"
#include "vulndb/store.h"

namespace mtr::cli {
namespace {

using core::ErrorCode;

struct ScanOptions {
  std::string image;
  std::vector<std::string> scanners{"vuln"};
  VulnFlags vuln;
  ImageFlags read;
  bool no_store = false;
};

}  // namespace

// Renders vulnerability findings in the chosen format (shared with rescan).
core::Status write_vuln_report_to(std::ostream& out, const VulnFlags& flags,
                                  const std::vector<core::Finding>& findings,
                                  const std::vector<match::Suppressed>& suppressed,
                                  const oci::ImageScan* scan) {
  core::ToolInfo tool;
  tool.version = core::kVersion;
  if (flags.format == "table") {
    match::write_vuln_table(out, findings, suppressed.size());
  } else if (flags.format == "json") {
    core::write_findings_json(out, tool, findings);
  } else if (flags.format == "sarif") {
    std::vector<core::RuleInfo> rules;
    std::set<std::string> seen;
    for (const auto& f : findings) {
      if (!seen.insert(f.id).second) continue;
      core::RuleInfo r;
      r.id = f.id;
      r.title = f.title;
      r.description = f.description;
      r.severity = f.severity;
      r.aliases = f.aliases;
      if (f.id.rfind("CVE-", 0) == 0) r.help_uri = "https://www.cve.org/CVERecord?id=" + f.id;
      rules.push_back(std::move(r));
    }
    core::write_findings_sarif(out, tool, rules, findings);
  } else if (flags.format == "cyclonedx") {
    if (!scan) {
      return core::fail(ErrorCode::kUsage, "--format cyclonedx needs an image scan");
    }
    std::vector<core::Finding> all = findings;
    for (const auto& s : suppressed) {
      core::Finding f = s.finding;
      auto vex = f.properties.find("vex_status");
      f.properties["analysis_state"] =
          vex != f.properties.end() && vex->second == "fixed" ? "resolved" : "not_affected";
      all.push_back(std::move(f));
    }
    sbom::WriteOptions w{core::kVersion, nullptr, &all};
    sbom::write_sbom(out, sbom::Format::kCycloneDx, *scan, w);
  }
  return {};
}

core::Status write_vuln_report(const VulnFlags& flags, const std::vector<core::Finding>& findings,
                               const std::vector<match::Suppressed>& suppressed,
                               const oci::ImageScan* scan) {
  auto out = MTR_TRY(OutputFile::open(flags.output));
  MTR_TRY_STATUS(write_vuln_report_to(out.stream(), flags, findings, suppressed, scan));
  return out.commit();
}

namespace {

core::Result<core::ExitCode> run_scan(const ScanOptions& opts, const GlobalOptions& global) {
  for (const auto& s : opts.scanners) {
    if (s != "vuln") {
      return core::fail(ErrorCode::kUsage,
                        fmt::format("--scanners {}: unknown scanner (available: vuln)", s));
    }
  }
  auto fail_on = MTR_TRY(cli::fail_on(opts.vuln));
  // Open the database first: a missing one should not cost a whole image read.
  auto db_path =
      opts.vuln.db.empty() ? vulndb::Store::default_path() : std::filesystem::path(opts.vuln.db);
  if (std::error_code ec; !std::filesystem::exists(db_path, ec)) {
    auto missing = vulndb::Store::open(db_path, false);  // the "run db update" error
    if (!missing) return std::move(missing).error();
  }
  auto store = MTR_TRY(vulndb::Store::open(db_path, !opts.no_store));

  auto progress = make_progress(global);
  auto scan = MTR_TRY(read_image(opts.image, opts.read, progress.get()));

  const std::string target = scan.meta.name.empty() ? opts.image : scan.meta.name;
  auto index = MTR_TRY(store->load_index(match::lookup_keys(scan.inventory)));
  auto matched = match::match_inventory(scan.inventory, index, match_options(opts.vuln), target);
  for (const auto& w : matched.warnings) spdlog::warn("{}", w);

  auto policy = MTR_TRY(policy_options(opts.vuln, target));
  auto decided = match::apply_policy(std::move(matched.findings), policy);
  for (const auto& w : decided.warnings) spdlog::warn("{}", w);
  if (!decided.suppressed.empty()) {
    spdlog::info("{} findings suppressed by ignore rules or VEX", decided.suppressed.size());
  }

  if (!opts.no_store) {
    vulndb::StoredInventory stored;
    stored.digest = !scan.meta.config_digest.empty() ? scan.meta.config_digest : scan.meta.source;
    stored.reference = target;
    stored.inventory = scan.inventory;
    auto saved = store->save_inventory(stored);
    std::vector<std::string> keys;
    for (const auto& f : decided.findings) keys.push_back(match::finding_key(f));
    if (saved) saved = store->set_reported_keys(stored.digest, keys);
    if (!saved) spdlog::warn("inventory not stored for rescans: {}", saved.error().to_string());
  }

  MTR_TRY_STATUS(write_vuln_report(opts.vuln, decided.findings, decided.suppressed, &scan));
  return match::should_fail(decided.findings, fail_on) ? core::ExitCode::kFindings
                                                       : core::ExitCode::kOk;
}

}  // namespace

Command add_image_command(CLI::App& parent, const GlobalOptions& global) {
  auto opts = std::make_shared<ScanOptions>();
  auto* image = parent.add_subcommand("image", "Scan container images");
  image->require_subcommand(1);
  auto* app = image->add_subcommand(
      "scan", "Find known vulnerabilities in an image's OS and language packages");
  app->footer(
      "IMAGE is docker-archive:PATH[:TAG], oci:DIR[:TAG], docker:REF, dir:PATH,\n"
      "HOST[:PORT]/REPO[:TAG][@sha256:…] or a bare path (see `matryoshka sbom --help`).\n"
      "Needs a vulnerability database: `matryoshka db update` (or `db import --from PATH`).\n"
      "Distribution packages are matched against their distribution's data by source\n"
      "package (Debian 12 ↔ bookworm, Ubuntu, Alpine v3.N); language packages against\n"
      "their ecosystem's OSV records. The inventory is stored for `matryoshka rescan`.\n"
      "Examples:\n"
      "  matryoshka image scan docker-archive:app.tar --fail-on high\n"
      "  matryoshka image scan oci:./layout --format cyclonedx -o app.cdx.json --vex app.vex.json");
  app->add_option("IMAGE", opts->image, "Image to scan")->required();
  app->add_option("--scanners", opts->scanners, "Scanners to run (vuln)")
      ->delimiter(',')
      ->capture_default_str();
  add_vuln_flags(app, opts->vuln, {"table", "json", "sarif", "cyclonedx"});
  add_image_flags(app, opts->read);
  app->add_flag("--no-store", opts->no_store,
                "Do not store the inventory for rescans (opens the database read-only)");
  return Command{app, [opts, &global] { return run_scan(*opts, global); }};
}

}  // namespace mtr::cli
