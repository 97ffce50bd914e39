// matryoshka k8s audit|netpol PATH...: reads manifests (files, directories, standard input),
// runs the Kubernetes checks over every object at once, renders findings; or prints which
// workloads may reach which under the NetworkPolicies given.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "cli/common.h"
#include "core/clock.h"
#include "core/report.h"
#include "core/version.h"
#include "kube/audit.h"
#include "kube/config.h"
#include "kube/netpol.h"
#include "kube/object.h"
#include "kube/rbac.h"
#include "match/policy.h"

namespace mtr::cli {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

constexpr std::uintmax_t kMaxManifestBytes = 64u << 20;

struct K8sFlags {
  std::vector<std::string> paths;
  std::string format = "table";
  std::string output;
  std::string config;
  std::string pss;
  std::string pss_version;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  std::vector<std::string> ignore;
  std::vector<std::string> enable;
  std::vector<std::string> allowed_registries;
  bool require_digest = false;
  std::optional<std::int64_t> min_user_id;
  std::string severity;
  std::string fail_on;
  bool strict = false;
};

bool looks_like_manifest(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".yaml" || ext == ".yml" || ext == ".json" || ext == ".jsonl";
}

// Helm chart templates are not YAML until rendered: skipped, with a word on what to do.
bool helm_templates(const fs::path& dir) {
  if (dir.filename() != "templates" || !fs::exists(dir.parent_path() / "Chart.yaml")) return false;
  spdlog::warn("{}: Helm chart templates skipped; audit `helm template` output instead",
               dir.string());
  return true;
}

// Reads every input, files in parallel (one worker per core); a file that does not parse is
// reported (file:line:col) and skipped, and makes the exit code 2. Order is the order given.
std::vector<kube::Manifest> load_all(const std::vector<std::string>& files, bool* bad_input) {
  std::vector<std::optional<core::Result<kube::Manifest>>> loaded(files.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      const std::string name = files[i] == "-" ? "<stdin>" : files[i];
      auto text = read_input_file(files[i], kMaxManifestBytes);
      if (!text) {
        loaded[i] = core::unexpected(std::move(text.error()));
        continue;
      }
      loaded[i] = kube::looks_like_abac(*text) ? kube::load_abac(*text, name)
                                               : kube::load_manifest(*text, name);
    }
  };
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, files.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::vector<kube::Manifest> manifests;
  manifests.reserve(files.size());
  for (auto& m : loaded) {
    if (!*m) {
      spdlog::error("{}", m->error().to_string());
      *bad_input = true;
      continue;
    }
    manifests.push_back(std::move(**m));
  }
  return manifests;
}

// Human output, grouped by object: the object and where it starts, then each finding with its
// JSON path, line, message and fix.
void write_table(std::ostream& out, const std::vector<core::Finding>& findings, std::size_t objects,
                 std::size_t files) {
  std::string current;
  std::map<core::Severity, std::size_t> counts;
  for (const auto& f : findings) {
    ++counts[f.severity];
    auto object = f.properties.find("object");
    std::string header =
        fmt::format("{} ({})", object != f.properties.end() ? object->second : "", f.location.path);
    if (header != current) {
      if (!current.empty()) out << "\n";
      out << header << "\n";
      current = header;
    }
    out << fmt::format("  {:<8} {}  {}:{}  {}\n", core::to_string(f.severity), f.id,
                       f.location.line, f.location.column, f.location.json_path);
    out << fmt::format("           {}\n", f.title);
    if (!f.fix.empty()) {
      std::string fix = f.fix;
      std::string indented;
      for (char c : fix) {
        indented.push_back(c);
        if (c == '\n') indented += "                ";
      }
      out << fmt::format("           fix: {}\n", indented);
    }
  }
  if (!findings.empty()) out << "\n";
  std::vector<std::string> parts;
  for (auto s : {core::Severity::kCritical, core::Severity::kHigh, core::Severity::kMedium,
                 core::Severity::kLow, core::Severity::kNone})
    if (counts[s] > 0) parts.push_back(fmt::format("{} {}", counts[s], core::to_string(s)));
  out << fmt::format("{} object{} in {} file{}: {}\n", objects, objects == 1 ? "" : "s", files,
                     files == 1 ? "" : "s",
                     findings.empty()
                         ? std::string("no findings")
                         : fmt::format("{} finding{} ({})", findings.size(),
                                       findings.size() == 1 ? "" : "s", fmt::join(parts, ", ")));
}

core::Result<kube::AuditOptions> make_options(const K8sFlags& flags, std::string* fail_word) {
  kube::AuditFileConfig config;
  std::string config_path = flags.config;
  if (config_path.empty() && fs::exists(".matryoshka.yaml")) config_path = ".matryoshka.yaml";
  if (!config_path.empty()) {
    auto text = MTR_TRY(read_input_file(config_path, kMaxManifestBytes));
    config = MTR_TRY(kube::parse_audit_config(text, config_path));
    for (const auto& w : config.warnings) spdlog::warn("{}", w);
  }
  kube::AuditOptions options = std::move(config.options);
  const kube::CheckRegistry& registry = kube::builtin_checks();
  if (!flags.pss.empty()) options.config.pss_level = MTR_TRY(kube::parse_pss_level(flags.pss));
  if (!flags.pss_version.empty())
    options.config.pss_version = MTR_TRY(kube::parse_pss_version(flags.pss_version));
  for (const auto& g : flags.only) options.only.insert(MTR_TRY(kube::parse_check_group(g)));
  for (const auto& g : flags.skip) options.skip.insert(MTR_TRY(kube::parse_check_group(g)));
  for (const auto& id : flags.ignore) {
    if (!registry.find(id)) spdlog::warn("--ignore {}: no check has this id", id);
    options.ignored.push_back(id);
  }
  for (const auto& id : flags.enable) {
    if (!registry.find(id))
      return core::fail(ErrorCode::kUsage, fmt::format("--enable {}: no check has this id", id));
    options.enabled.push_back(id);
  }
  for (const auto& r : flags.allowed_registries) options.config.allowed_registries.push_back(r);
  if (flags.require_digest) {
    options.config.require_digest = true;
    options.enabled.push_back("MTR-K8S-402");
  }
  if (flags.min_user_id) {
    options.config.min_user_id = *flags.min_user_id;
    options.config.min_group_id = *flags.min_user_id;
  }
  if (flags.strict) options.honour_annotations = false;
  options.today = core::format_date(core::system_clock().now());
  *fail_word = flags.fail_on.empty() ? config.fail_on : flags.fail_on;
  return options;
}

core::Result<core::ExitCode> run_audit(const K8sFlags& flags) {
  std::string fail_word;
  kube::AuditOptions options = MTR_TRY(make_options(flags, &fail_word));
  std::optional<core::Severity> fail_on;
  if (!fail_word.empty() && fail_word != "none" && fail_word != "never") {
    fail_on = core::parse_severity(fail_word);
    if (!fail_on)
      return core::fail(ErrorCode::kUsage, fmt::format("--fail-on {}: not a severity", fail_word));
  }
  std::set<core::Severity> severities;
  if (!flags.severity.empty()) severities = MTR_TRY(match::parse_severity_list(flags.severity));

  auto files = MTR_TRY(collect_inputs(flags.paths, looks_like_manifest, helm_templates,
                                      "manifest (*.yaml, *.yml, *.json)"));
  if (files.empty()) return core::fail(ErrorCode::kNotFound, "no manifest to audit");
  bool bad_input = false;
  std::vector<kube::Manifest> manifests = load_all(files, &bad_input);
  std::size_t objects = 0;
  std::vector<std::string> targets;
  for (const auto& m : manifests) {
    objects += m.objects.size();
    targets.push_back(m.origin);
  }

  auto output = MTR_TRY(OutputFile::open(flags.output));
  std::ostream& out = output.stream();
  core::ToolInfo tool;
  tool.version = core::kVersion;
  bool failed = false;
  auto keep = [&](const core::Finding& f) {
    if (!severities.empty() && !severities.contains(f.severity)) return false;
    failed = failed || (fail_on && f.severity >= *fail_on);
    return true;
  };
  if (flags.format == "json") {
    // Streamed: findings are rendered as the audit yields them and written in batches of about
    // a megabyte (the stream writes anything over 1 KiB with a system call of its own).
    core::FindingsJsonStream stream(out, tool);
    std::string batch;
    kube::audit_each(manifests, options, [&](const core::Finding& f) {
      if (!keep(f)) return;
      if (!batch.empty()) batch += ",\n    ";
      batch += core::FindingsJsonStream::render(f);
      if (batch.size() >= (1u << 20)) {
        stream.add_rendered(batch);
        batch.clear();
      }
    });
    if (!batch.empty()) stream.add_rendered(batch);
    stream.finish();
  } else {
    std::vector<core::Finding> findings;
    kube::audit_each(manifests, options, [&](const core::Finding& f) {
      if (keep(f)) findings.push_back(f);
    });
    if (flags.format == "sarif") {
      std::vector<core::RuleInfo> rules;
      for (const auto& c : kube::builtin_checks().checks())
        rules.push_back(core::RuleInfo{c.id, c.title, c.description, c.severity,
                                       c.references.empty() ? "" : c.references.front(),
                                       c.aliases});
      core::write_findings_sarif(out, tool, rules, findings);
    } else if (flags.format == "junit") {
      core::write_findings_junit(out, tool, targets, findings);
    } else if (flags.format == "checkstyle") {
      core::write_findings_checkstyle(out, targets, findings);
    } else if (flags.format == "gitlab") {
      core::write_findings_gitlab(out, findings);
    } else {
      write_table(out, findings, objects, manifests.size());
    }
  }
  MTR_TRY_STATUS(output.commit());
  if (bad_input) return core::ExitCode::kBadInput;
  return failed ? core::ExitCode::kFindings : core::ExitCode::kOk;
}

core::Result<core::ExitCode> run_netpol(const K8sFlags& flags) {
  auto files = MTR_TRY(collect_inputs(flags.paths, looks_like_manifest, helm_templates,
                                      "manifest (*.yaml, *.yml, *.json)"));
  if (files.empty()) return core::fail(ErrorCode::kNotFound, "no manifest to read");
  bool bad_input = false;
  std::vector<kube::Manifest> manifests = load_all(files, &bad_input);
  kube::NetpolAnalysis analysis = MTR_TRY(kube::analyze_network(manifests));
  auto output = MTR_TRY(OutputFile::open(flags.output));
  if (flags.format == "json") {
    output.stream() << kube::netpol_to_json(analysis).dump(2) << '\n';
  } else {
    kube::write_netpol_table(
        analysis, output.stream(),
        flags.format == "grid" ? kube::NetpolLayout::kGrid : kube::NetpolLayout::kList);
  }
  MTR_TRY_STATUS(output.commit());
  return bad_input ? core::ExitCode::kBadInput : core::ExitCode::kOk;
}

}  // namespace

Command add_k8s_command(CLI::App& parent, const GlobalOptions&) {
  auto flags = std::make_shared<K8sFlags>();
  auto* group = parent.add_subcommand("k8s", "Audit Kubernetes manifests");
  group->require_subcommand(1);
  const char* paths_help =
      "Manifest files (multi-document YAML, JSON, `kubectl get -o yaml` lists, ABAC policy "
      "files), directories (searched for *.yaml, *.yml, *.json), or - for standard input";

  auto* audit = group->add_subcommand(
      "audit",
      "Check workloads, RBAC/ABAC and network policies: Pod Security Standards exactly as the "
      "admission controller decides, plus hygiene, resources, images, mounts and access control");
  audit->add_option("paths", flags->paths, paths_help)->required();
  audit
      ->add_option("-f,--format", flags->format,
                   "table (grouped by object), json, sarif, junit, checkstyle or gitlab")
      ->check(CLI::IsMember({"table", "json", "sarif", "junit", "checkstyle", "gitlab"}))
      ->capture_default_str();
  audit->add_option("-o,--output", flags->output, "Write the report to FILE instead of stdout");
  audit->add_option("--config", flags->config,
                    "Configuration file (default: ./.matryoshka.yaml when present; section k8s:)");
  audit
      ->add_option("--pss", flags->pss,
                   "Pod Security Standards level: baseline, restricted (default) or privileged")
      ->check(CLI::IsMember({"baseline", "restricted", "privileged"}));
  audit->add_option("--pss-version", flags->pss_version,
                    "Policy version, as the enforce-version namespace label: v1.N or latest "
                    "(default)");
  audit
      ->add_option("--only", flags->only,
                   "Run only these check groups: validity, pss, hygiene, resources, images, "
                   "network, rbac, mounts")
      ->delimiter(',')
      ->allow_extra_args(false);
  audit->add_option("--skip", flags->skip, "Leave out these check groups")
      ->delimiter(',')
      ->allow_extra_args(false);
  audit
      ->add_option("--ignore", flags->ignore,
                   "Skip a check, by id or alias (MTR-K8S-201, KSV014, latest-tag); repeatable")
      ->delimiter(',')
      ->allow_extra_args(false);
  audit->add_option("--enable", flags->enable, "Run a check that is off by default; repeatable")
      ->delimiter(',')
      ->allow_extra_args(false);
  audit
      ->add_option("--allowed-registry", flags->allowed_registries,
                   "Registry images may come from (enables MTR-K8S-403); glob; repeatable")
      ->allow_extra_args(false);
  audit->add_flag("--require-digest", flags->require_digest,
                  "Images must be pinned by digest (MTR-K8S-402)");
  audit->add_option("--min-user-id", flags->min_user_id,
                    "runAsUser and runAsGroup must be above this (default 10000)");
  audit->add_option("--severity", flags->severity,
                    "Report only these severities: critical,high,medium,low,none");
  audit->add_option("--fail-on", flags->fail_on,
                    "Exit 1 when a finding is at or above this severity (critical, high, medium, "
                    "low). Default: never");
  audit->add_flag("--strict", flags->strict,
                  "Ignore `matryoshka.io/ignore` annotations (config exemptions still apply)");
  audit->footer(
      "Suppress a check on one object with an annotation on it or its pod template:\n"
      "  metadata:\n"
      "    annotations:\n"
      "      matryoshka.io/ignore: \"MTR-K8S-201,KSV020: the app writes to its root by design\"\n"
      "Pod Security Admission's verdict for a level and version, as an exit code:\n"
      "  matryoshka k8s audit --only pss --pss baseline --pss-version v1.30 --fail-on low FILE\n"
      "Checks and their aliases: matryoshka rules list --scanner k8s (docs/rules.md).\n"
      "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 a file could not be read or\n"
      "parsed (the message gives file:line:col), 3 internal error.\n"
      "Examples:\n"
      "  matryoshka k8s audit deploy/\n"
      "  kubectl get deploy,ds,sts -A -o yaml | matryoshka k8s audit - --format sarif -o "
      "k8s.sarif\n"
      "  helm template ./chart | matryoshka k8s audit - --fail-on high");

  auto* netpol = group->add_subcommand(
      "netpol",
      "Print which workloads may reach which (ingress and egress, namespaces and ports) under "
      "the NetworkPolicies given");
  netpol->add_option("paths", flags->paths, paths_help)->required();
  netpol
      ->add_option("-f,--format", flags->format,
                   "table (summary per workload, then allowed flows), grid (a from × to matrix) "
                   "or json")
      ->check(CLI::IsMember({"table", "grid", "json"}))
      ->capture_default_str();
  netpol->add_option("-o,--output", flags->output, "Write the matrix to FILE instead of stdout");
  netpol->footer(
      "Reachability is what a NetworkPolicy-enforcing CNI allows among the workloads and\n"
      "namespaces in the given manifests; \"external\" stands for addresses outside the cluster.\n"
      "Example: matryoshka k8s netpol manifests/ --format json");

  return Command{group, [flags, audit, netpol]() -> core::Result<core::ExitCode> {
                   if (audit->parsed()) return run_audit(*flags);
                   if (netpol->parsed()) return run_netpol(*flags);
                   return core::fail(ErrorCode::kUsage, "k8s: choose audit or netpol");
                 }};
}

}  // namespace mtr::cli
