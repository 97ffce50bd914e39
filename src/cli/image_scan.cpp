// matryoshka image scan IMAGE: the image's packages matched against the vulnerability database.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>

#include "cli/common.h"
#include "cli/vuln_flags.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/report.h"
#include "core/version.h"
#include "imagecheck/check.h"
#include "inventory/cataloger.h"
#include "match/match.h"
#include "match/policy.h"
#include "match/report.h"
#include "oci/image.h"
#include "oci/scan.h"
#include "sbom/sbom.h"
#include "secrets/config.h"
#include "secrets/image.h"
#include "secrets/scanner.h"
#include "vulndb/store.h"

namespace mtr::cli {
namespace {

using core::ErrorCode;

struct ScanOptions {
  std::string image;
  std::vector<std::string> scanners{"vuln", "secret", "config"};
  VulnFlags vuln;
  ImageFlags read;
  bool no_store = false;
  std::string secret_config;
  std::uint64_t secret_max_size = 10ull << 20;
  bool secret_include_binary = false;
};

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

core::Result<std::unique_ptr<secrets::Scanner>> secret_scanner(const ScanOptions& opts) {
  auto rules = secrets::builtin_rules();
  std::string config = opts.secret_config;
  if (config.empty()) {
    if (const char* env = std::getenv("MATRYOSHKA_SECRET_CONFIG"); env && *env) config = env;
  }
  if (!config.empty()) {
    rules = MTR_TRY(secrets::apply_config_file(config, std::move(rules)));
    spdlog::info("secret rules from {}: {} rules, {} allow rules", config, rules.rules.size(),
                 rules.allow.size());
  }
  secrets::ScannerOptions options;
  options.max_file_bytes = opts.secret_max_size;
  options.scan_binary = opts.secret_include_binary;
  return secrets::Scanner::compile(std::move(rules), options);
}

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
    if (s != "vuln" && s != "secret" && s != "config") {
      return core::fail(
          ErrorCode::kUsage,
          fmt::format("--scanners {}: unknown scanner (available: vuln, secret, config)", s));
    }
  }
  const bool want_vuln = has(opts.scanners, "vuln");
  const bool want_secret = has(opts.scanners, "secret");
  const bool want_config = has(opts.scanners, "config");
  if (!want_vuln && opts.vuln.format == "cyclonedx") {
    return core::fail(ErrorCode::kUsage,
                      "--format cyclonedx lists vulnerabilities: add "
                      "--scanners vuln");
  }
  auto fail_on = MTR_TRY(cli::fail_on(opts.vuln));
  // Open the database and compile the rules first: a missing database or a bad rule file
  // should not cost a whole image read.
  std::unique_ptr<vulndb::Store> store;
  if (want_vuln) {
    auto db_path =
        opts.vuln.db.empty() ? vulndb::Store::default_path() : std::filesystem::path(opts.vuln.db);
    if (std::error_code ec; !std::filesystem::exists(db_path, ec)) {
      auto missing = vulndb::Store::open(db_path, false);  // the "run db update" error
      if (!missing) return std::move(missing).error();
    }
    store = MTR_TRY(vulndb::Store::open(db_path, !opts.no_store));
  }
  std::unique_ptr<secrets::Scanner> scanner;
  std::unique_ptr<secrets::LayerScanner> layer_scanner;
  if (want_secret) {
    scanner = MTR_TRY(secret_scanner(opts));
    layer_scanner = std::make_unique<secrets::LayerScanner>(*scanner);
  }

  auto progress = make_progress(global);
  auto scan = MTR_TRY(read_image(opts.image, opts.read, progress.get(), layer_scanner.get()));
  const std::string target = scan.meta.name.empty() ? opts.image : scan.meta.name;

  std::vector<core::Finding> findings;
  if (want_vuln) {
    auto index = MTR_TRY(store->load_index(match::lookup_keys(scan.inventory)));
    auto matched = match::match_inventory(scan.inventory, index, match_options(opts.vuln), target);
    for (const auto& w : matched.warnings) spdlog::warn("{}", w);
    for (auto& f : matched.findings) {
      f.properties["scanner"] = "vuln";
      findings.push_back(std::move(f));
    }
  }
  if (want_secret) {
    const auto& st = scan.content_stats;
    spdlog::info("secret scan: {} files, {} bytes; skipped {} binary and {} larger than {} bytes",
                 st.files, st.bytes, st.skipped_binary, st.skipped_large,
                 scanner->options().max_file_bytes);
    for (auto& f : secrets::image_findings(scan, *scanner, target))
      findings.push_back(std::move(f));
  }
  if (want_config) {
    imagecheck::CheckOptions check;
    check.today = std::chrono::floor<std::chrono::days>(core::system_clock().now());
    for (auto& f : imagecheck::check_image(scan, check)) findings.push_back(std::move(f));
  }

  auto policy = MTR_TRY(policy_options(opts.vuln, target));
  auto decided = match::apply_policy(std::move(findings), policy);
  for (const auto& w : decided.warnings) spdlog::warn("{}", w);
  if (!decided.suppressed.empty()) {
    spdlog::info("{} findings suppressed by ignore rules or VEX", decided.suppressed.size());
  }

  if (want_vuln && !opts.no_store) {
    vulndb::StoredInventory stored;
    stored.digest = !scan.meta.config_digest.empty() ? scan.meta.config_digest : scan.meta.source;
    stored.reference = target;
    stored.inventory = scan.inventory;
    auto saved = store->save_inventory(stored);
    std::vector<std::string> keys;
    for (const auto& f : decided.findings) {
      if (f.properties.at("scanner") == "vuln") keys.push_back(match::finding_key(f));
    }
    if (saved) saved = store->set_reported_keys(stored.digest, keys);
    if (!saved) spdlog::warn("inventory not stored for rescans: {}", saved.error().to_string());
  }

  if (opts.vuln.format == "table") {
    auto out = MTR_TRY(OutputFile::open(opts.vuln.output));
    std::vector<core::Finding> by_scanner[3];
    for (const auto& f : decided.findings) {
      const auto& kind = f.properties.at("scanner");
      by_scanner[kind == "vuln" ? 0 : kind == "secret" ? 1 : 2].push_back(f);
    }
    std::size_t sections = 0;
    auto heading = [&](const char* title) {
      if (opts.scanners.size() > 1)
        out.stream() << (sections++ ? "\n" : "") << "## " << title << "\n\n";
    };
    if (want_vuln) {
      heading("Vulnerabilities");
      std::size_t suppressed = 0;
      for (const auto& s : decided.suppressed)
        suppressed += s.finding.properties.at("scanner") == "vuln" ? 1u : 0u;
      match::write_vuln_table(out.stream(), by_scanner[0], suppressed);
    }
    if (want_secret) {
      heading("Secrets");
      match::write_secret_table(out.stream(), by_scanner[1]);
    }
    if (want_config) {
      heading("Image configuration");
      match::write_config_table(out.stream(), by_scanner[2]);
    }
    MTR_TRY_STATUS(out.commit());
  } else if (opts.vuln.format == "cyclonedx") {
    // A BOM's vulnerabilities section holds vulnerabilities only.
    std::vector<core::Finding> vulns;
    for (auto& f : decided.findings) {
      if (f.properties.at("scanner") == "vuln") vulns.push_back(std::move(f));
    }
    MTR_TRY_STATUS(write_vuln_report(opts.vuln, vulns, decided.suppressed, &scan));
  } else {
    MTR_TRY_STATUS(write_vuln_report(opts.vuln, decided.findings, decided.suppressed, &scan));
  }
  return match::should_fail(decided.findings, fail_on) ? core::ExitCode::kFindings
                                                       : core::ExitCode::kOk;
}

}  // namespace

Command add_image_command(CLI::App& parent, const GlobalOptions& global) {
  auto opts = std::make_shared<ScanOptions>();
  auto* image = parent.add_subcommand("image", "Scan container images");
  image->require_subcommand(1);
  auto* app = image->add_subcommand(
      "scan", "Find known vulnerabilities, leaked secrets and risky settings in an image");
  app->footer(
      "IMAGE is docker-archive:PATH[:TAG], oci:DIR[:TAG], docker:REF, dir:PATH,\n"
      "HOST[:PORT]/REPO[:TAG][@sha256:…] or a bare path (see `matryoshka sbom --help`).\n"
      "Needs a vulnerability database: `matryoshka db update` (or `db import --from PATH`).\n"
      "Distribution packages are matched against their distribution's data by source\n"
      "package (Debian 12 ↔ bookworm, Ubuntu, Alpine v3.N); language packages against\n"
      "their ecosystem's OSV records. The inventory is stored for `matryoshka rescan`.\n"
      "Secrets: every regular file of every layer is scanned, files a later layer deletes\n"
      "included, and the image config (Env, Labels, Cmd, Entrypoint, history); secrets are\n"
      "masked in every output. Rules and allow lists: docs/secrets.md, --secret-config.\n"
      "Config: root user, setuid files beyond the distribution's, sudo, SSH, ports,\n"
      "HEALTHCHECK, ADD of URLs, package caches, end-of-life base (docs/image-config.md).\n"
      "Examples:\n"
      "  matryoshka image scan docker-archive:app.tar --fail-on high\n"
      "  matryoshka image scan oci:./layout --format cyclonedx -o app.cdx.json --vex app.vex.json");
  app->add_option("IMAGE", opts->image, "Image to scan")->required();
  app->add_option("--scanners", opts->scanners, "Scanners to run: vuln, secret, config")
      ->delimiter(',')
      ->capture_default_str();
  add_vuln_flags(app, opts->vuln, {"table", "json", "sarif", "cyclonedx"});
  add_image_flags(app, opts->read);
  app->add_option("--secret-config", opts->secret_config,
                  "YAML file with extra secret rules, allow rules and rules to disable "
                  "(default: $MATRYOSHKA_SECRET_CONFIG)");
  app->add_option("--secret-max-size", opts->secret_max_size,
                  "Files larger than this are not scanned for secrets (e.g. 10M, 512K)")
      ->transform(CLI::AsSizeValue(false))
      ->default_str("10M");
  app->add_flag("--secret-include-binary", opts->secret_include_binary,
                "Also scan files that look binary (a NUL byte in the first 8 KiB)");
  app->add_flag("--no-store", opts->no_store,
                "Do not store the inventory for rescans (opens the database read-only)");
  return Command{app, [opts, &global] { return run_scan(*opts, global); }};
}

}  // namespace mtr::cli
