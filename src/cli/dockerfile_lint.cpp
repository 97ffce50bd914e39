// matryoshka dockerfile lint PATH...: finds Dockerfiles, parses each with the BuildKit-compatible
// parser, runs the Dockerfile rules with the configuration, renders the findings.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/common.h"
#include "core/clock.h"
#include "core/report.h"
#include "core/version.h"
#include "dockerfile/config.h"
#include "dockerfile/lint.h"
#include "dockerfile/parser.h"
#include "match/policy.h"

namespace mtr::cli {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

constexpr std::uintmax_t kMaxDockerfileBytes = 16u << 20;

struct LintFlags {
  std::vector<std::string> paths;
  std::string format = "table";
  std::string output;
  std::string config;
  std::vector<std::string> ignore;
  std::vector<std::string> enable;
  std::vector<std::string> trusted_registries;
  std::string severity;
  std::string fail_on;
  bool strict = false;
  bool no_scan_hint = false;
  unsigned threads = 0;
};

// What one file gave: its findings (and, for the formats that need them, the source lines or
// the findings already rendered as JSON), or the error that stopped it.
struct FileResult {
  std::string name;
  std::optional<core::Error> error;
  std::vector<core::Finding> findings;
  std::vector<core::Severity> severities;  // of every finding kept, for --fail-on
  std::vector<std::string> lines;          // table output shows the offending line
  std::string rendered;                    // JSON output: rendered on the worker thread
};

// Dockerfile, Dockerfile.prod, Containerfile, app.Dockerfile, app.dockerfile.
bool looks_like_dockerfile(const fs::path& p) {
  std::string name = p.filename().string();
  std::string low = name;
  std::transform(low.begin(), low.end(), low.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (low == "dockerfile" || low == "containerfile") return true;
  // BuildKit reads `Dockerfile.dockerignore` / `app.Dockerfile.dockerignore` as the ignore file
  // of that Dockerfile: not a Dockerfile.
  if (low.size() > 13 && low.compare(low.size() - 13, 13, ".dockerignore") == 0) return false;
  if (low.rfind("dockerfile.", 0) == 0 || low.rfind("containerfile.", 0) == 0) return true;
  return low.size() > 11 && low.compare(low.size() - 11, 11, ".dockerfile") == 0;
}

// Human output: each finding with its place, rule ids, message, the source line and the fix.
void write_table(std::ostream& out, const std::vector<core::Finding>& findings,
                 const std::map<std::string, std::vector<std::string>>& lines) {
  for (const auto& f : findings) {
    std::string alias;
    for (const auto& a : f.aliases) {
      if (a.rfind("DL", 0) == 0) alias = fmt::format(" ({})", a);
    }
    out << fmt::format("{}:{}:{} {} {}{}: {}\n", f.location.path, f.location.line,
                       f.location.column, core::to_string(f.severity), f.id, alias, f.title);
    auto it = lines.find(f.location.path);
    if (it != lines.end() && f.location.line >= 1 && f.location.line <= it->second.size()) {
      std::string text = it->second[f.location.line - 1];
      if (text.size() > 160) text = text.substr(0, 157) + "...";
      out << fmt::format("  {:>5} | {}\n", f.location.line, text);
    }
    if (!f.fix.empty()) out << fmt::format("        fix: {}\n", f.fix);
  }
  if (findings.empty()) out << "No findings.\n";
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

core::Result<core::ExitCode> run_lint(const LintFlags& flags) {
  // Configuration: --config FILE, else ./.matryoshka.yaml when present.
  dockerfile::LintFileConfig config;
  std::string config_path = flags.config;
  if (config_path.empty() && fs::exists(".matryoshka.yaml")) config_path = ".matryoshka.yaml";
  if (!config_path.empty()) {
    auto text = MTR_TRY(read_input_file(config_path, kMaxDockerfileBytes));
    config = MTR_TRY(dockerfile::parse_lint_config(text, config_path));
    for (const auto& w : config.warnings) spdlog::warn("{}", w);
  }
  dockerfile::LintOptions& options = config.options;
  for (const auto& id : flags.ignore) {
    if (dockerfile::builtin_rules().find(id) == nullptr) {
      spdlog::warn("--ignore {}: no rule has this id", id);
    }
    options.ignored.push_back(id);
  }
  for (const auto& id : flags.enable) {
    if (dockerfile::builtin_rules().find(id) == nullptr) {
      return core::fail(ErrorCode::kUsage, fmt::format("--enable {}: no rule has this id", id));
    }
    options.config.enabled.push_back(id);
  }
  for (const auto& r : flags.trusted_registries) options.config.trusted_registries.push_back(r);
  if (flags.strict) options.honour_inline_ignores = false;
  if (flags.no_scan_hint) options.config.scan_hint = false;
  options.today = core::format_date(core::system_clock().now());

  std::string fail_word = flags.fail_on.empty() ? config.fail_on : flags.fail_on;
  std::optional<core::Severity> fail_on;
  if (!fail_word.empty() && fail_word != "none") {
    fail_on = dockerfile::parse_lint_severity(fail_word);
    if (!fail_on) {
      return core::fail(ErrorCode::kUsage, fmt::format("--fail-on {}: not a severity", fail_word));
    }
  }
  std::set<core::Severity> severities;
  if (!flags.severity.empty()) severities = MTR_TRY(match::parse_severity_list(flags.severity));

  auto files = MTR_TRY(collect_inputs(
      flags.paths, looks_like_dockerfile, [](const fs::path&) { return false; }, "Dockerfile"));
  if (files.empty()) return core::fail(ErrorCode::kNotFound, "no Dockerfile to lint");

  // Files are independent: workers read, parse and lint them on every core while this thread
  // takes the results in the order given, writes JSON as it goes (a directory of thousands of
  // Dockerfiles never sits in memory as text) and keeps findings for the other formats.
  const bool table = flags.format == "table" || flags.format == "tty";
  const bool json = flags.format == "json";
  (void)dockerfile::builtin_rules();  // built once, before the workers share it
  std::vector<FileResult> results(files.size());
  auto lint_one = [&](std::size_t i) {
    FileResult& r = results[i];
    r.name = files[i] == "-" ? "<stdin>" : files[i];
    auto text = read_input_file(files[i], kMaxDockerfileBytes);
    if (!text) {
      r.error = text.error();
      return;
    }
    auto parsed = dockerfile::parse(*text, r.name);
    if (!parsed) {
      r.error = parsed.error();
      return;
    }
    for (auto& f : dockerfile::lint(*parsed, options)) {
      if (!severities.empty() && severities.count(f.severity) == 0) continue;
      r.severities.push_back(f.severity);
      if (json) {
        r.rendered += r.rendered.empty() ? "" : ",\n    ";
        r.rendered += core::FindingsJsonStream::render(f);
      } else {
        r.findings.push_back(std::move(f));
      }
    }
    if (table) r.lines = split_lines(*text);
  };

  auto output = MTR_TRY(OutputFile::open(flags.output));
  std::ostream& out = output.stream();
  core::ToolInfo tool;
  tool.version = core::kVersion;
  core::FindingsJsonStream stream(out, tool);

  unsigned threads =
      flags.threads != 0 ? flags.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, files.size()));
  std::atomic<std::size_t> next{0};
  std::vector<char> done(files.size(), 0);  // guarded by `mutex`
  std::mutex mutex;
  std::condition_variable finished;
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      lint_one(i);
      std::lock_guard lock(mutex);
      done[i] = 1;
      finished.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);

  std::vector<core::Finding> findings;
  std::vector<std::string> targets;
  std::map<std::string, std::vector<std::string>> lines;
  bool bad_input = false;
  bool failed = false;
  // JSON goes out in batches of about a megabyte: the stream hands anything over 1 KiB to a
  // system call of its own, which would be one per file.
  std::string batch;
  for (std::size_t i = 0; i < results.size(); ++i) {
    {
      std::unique_lock lock(mutex);
      finished.wait(lock, [&] { return done[i] != 0; });
    }
    FileResult r = std::move(results[i]);
    if (r.error) {
      spdlog::error("{}", r.error->to_string());
      bad_input = true;
      continue;
    }
    targets.push_back(r.name);
    for (auto s : r.severities) failed = failed || (fail_on && s >= *fail_on);
    if (table) lines[r.name] = std::move(r.lines);
    if (json) {
      if (r.rendered.empty()) continue;
      if (!batch.empty()) batch += ",\n    ";
      batch += r.rendered;
      if (batch.size() >= (1u << 20)) {
        stream.add_rendered(batch);
        batch.clear();
      }
    } else {
      for (auto& f : r.findings) findings.push_back(std::move(f));
    }
  }
  for (auto& t : pool) t.join();

  if (json) {
    if (!batch.empty()) stream.add_rendered(batch);
    stream.finish();
  } else if (flags.format == "sarif") {
    std::vector<core::RuleInfo> rules;
    for (const auto& r : dockerfile::builtin_rules().rules()) {
      rules.push_back(core::RuleInfo{r.id, r.title, r.description, r.severity,
                                     r.references.empty() ? "" : r.references.front(), r.aliases});
    }
    core::write_findings_sarif(out, tool, rules, findings);
  } else if (flags.format == "junit") {
    core::write_findings_junit(out, tool, targets, findings);
  } else if (flags.format == "checkstyle") {
    core::write_findings_checkstyle(out, targets, findings);
  } else if (flags.format == "gitlab") {
    core::write_findings_gitlab(out, findings);
  } else {
    write_table(out, findings, lines);
  }
  MTR_TRY_STATUS(output.commit());
  if (bad_input) return core::ExitCode::kBadInput;
  return failed ? core::ExitCode::kFindings : core::ExitCode::kOk;
}

}  // namespace

Command add_dockerfile_command(CLI::App& parent, const GlobalOptions&) {
  auto flags = std::make_shared<LintFlags>();
  auto* group = parent.add_subcommand("dockerfile", "Lint Dockerfiles");
  group->require_subcommand(1);
  auto* lint = group->add_subcommand(
      "lint",
      "Check Dockerfiles against the nine commandments of image building and hadolint's rules");
  lint->add_option("paths", flags->paths,
                   "Dockerfiles, directories (searched for Dockerfile*, Containerfile*, "
                   "*.Dockerfile), or - for standard input")
      ->required();
  lint->add_option("-f,--format", flags->format,
                   "table, json, sarif, junit, checkstyle or gitlab (Code Quality)")
      ->check(CLI::IsMember({"table", "tty", "json", "sarif", "junit", "checkstyle", "gitlab"}))
      ->capture_default_str();
  lint->add_option("-o,--output", flags->output, "Write the report to FILE instead of stdout");
  lint->add_option("--config", flags->config,
                   "Configuration file (default: ./.matryoshka.yaml when present; a "
                   ".hadolint.yaml is accepted too)");
  lint->add_option("--ignore", flags->ignore,
                   "Skip a rule, by id or alias (MTR-DF-301, DL3008, DS-0029); repeatable");
  lint->add_option("--enable", flags->enable, "Run a rule that is off by default; repeatable");
  lint->add_option("--trusted-registry", flags->trusted_registries,
                   "Registry FROM images may come from (enables MTR-DF-104/DL3026); repeatable");
  lint->add_option("--severity", flags->severity,
                   "Report only these severities: critical,high,medium,low,none");
  lint->add_option("--fail-on", flags->fail_on,
                   "Exit 1 when a finding is at or above this severity (critical, high, medium, "
                   "low; hadolint's error, warning, info also work). Default: never");
  lint->add_flag("--strict", flags->strict,
                 "Ignore inline suppressions (# matryoshka ignore=, # hadolint ignore=, "
                 "#trivy:ignore:)");
  lint->add_option("--threads", flags->threads, "Files linted at once (default: one per core)");
  lint->add_flag("--no-scan-hint", flags->no_scan_hint,
                 "Leave out the hint to scan the built image (MTR-DF-901)");
  lint->footer(
      "Suppress a finding on the next instruction with a comment:\n"
      "  # matryoshka ignore=MTR-DF-301,DL3059 until=2027-01-31 reason...\n"
      "  # hadolint ignore=DL3008      #trivy:ignore:DS-0002     # hadolint global ignore=DL3059\n"
      "  # check=skip=JSONArgsRecommended   (BuildKit directive, first lines)\n"
      "Rules and their aliases: matryoshka rules list --scanner dockerfile (docs/rules.md).\n"
      "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 a file could not be read or\n"
      "parsed (the message gives file:line:col), 3 internal error.\n"
      "Examples:\n"
      "  matryoshka dockerfile lint Dockerfile\n"
      "  matryoshka dockerfile lint . --format sarif -o lint.sarif --fail-on medium\n"
      "  cat Dockerfile | matryoshka dockerfile lint - --ignore DL3008");
  return Command{lint, [flags] { return run_lint(*flags); }};
}

}  // namespace mtr::cli
