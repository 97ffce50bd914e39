// matryoshka rules list: every check the product runs, from the tables the analyzers use
// (secret rules, image configuration checks), so docs and users see the same ids.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "core/table.h"
#include "dockerfile/lint.h"
#include "imagecheck/check.h"
#include "kube/audit.h"
#include "secrets/rule.h"

namespace mtr::cli {
namespace {

struct RulesOptions {
  std::string scanner;  // empty = all
  std::string format = "table";
};

struct Row {
  std::string scanner, id, severity, title, why, refs;
  std::string aliases;  // peer ids, space-separated
};

std::vector<Row> rows(const std::string& scanner) {
  std::vector<Row> out;
  if (scanner.empty() || scanner == "secret") {
    for (const auto& r : secrets::builtin_rules().rules) {
      out.push_back({"secret", r.id, core::to_string(r.severity), r.title, r.why,
                     fmt::format("{}", fmt::join(r.references, " ")), ""});
    }
  }
  if (scanner.empty() || scanner == "config") {
    for (const auto& c : imagecheck::builtin_checks()) {
      out.push_back({"config", c.id, core::to_string(c.severity), c.title, c.description,
                     fmt::format("{}", fmt::join(c.references, " ")), ""});
    }
  }
  if (scanner.empty() || scanner == "dockerfile") {
    for (const auto& r : dockerfile::builtin_rules().rules()) {
      out.push_back({"dockerfile", r.id, core::to_string(r.severity), r.title, r.description,
                     fmt::format("{}", fmt::join(r.references, " ")),
                     fmt::format("{}", fmt::join(r.aliases, " "))});
    }
  }
  if (scanner.empty() || scanner == "k8s") {
    for (const auto& c : kube::builtin_checks().checks()) {
      out.push_back({"k8s", c.id, core::to_string(c.severity), c.title, c.description,
                     fmt::format("{}", fmt::join(c.references, " ")),
                     fmt::format("{}", fmt::join(c.aliases, " "))});
    }
  }
  return out;
}

core::Result<core::ExitCode> run_list(const RulesOptions& opts) {
  if (!opts.scanner.empty() && opts.scanner != "secret" && opts.scanner != "config" &&
      opts.scanner != "dockerfile" && opts.scanner != "k8s") {
    return core::fail(
        core::ErrorCode::kUsage,
        fmt::format("--scanner {}: expected secret, config, dockerfile or k8s", opts.scanner));
  }
  const auto list = rows(opts.scanner);
  if (opts.format == "json") {
    nlohmann::json doc = nlohmann::json::array();
    for (const auto& r : list) {
      doc.push_back({{"scanner", r.scanner},
                     {"id", r.id},
                     {"severity", r.severity},
                     {"title", r.title},
                     {"description", r.why},
                     {"references", r.refs},
                     {"aliases", r.aliases}});
    }
    std::cout << doc.dump(2) << '\n';
  } else if (opts.format == "markdown") {
    std::cout << "| scanner | id | severity | title | aliases |\n| --- | --- | --- | --- | --- |\n";
    for (const auto& r : list) {
      std::cout << fmt::format("| {} | `{}` | {} | {} | {} |\n", r.scanner, r.id, r.severity,
                               r.title, r.aliases);
    }
  } else {
    core::Table table({"SCANNER", "ID", "SEVERITY", "TITLE"});
    for (const auto& r : list) table.add_row({r.scanner, r.id, r.severity, r.title});
    table.write(std::cout);
  }
  return core::ExitCode::kOk;
}

}  // namespace

Command add_rules_command(CLI::App& parent, const GlobalOptions&) {
  auto opts = std::make_shared<RulesOptions>();
  auto* rules = parent.add_subcommand("rules", "List the checks Matryoshka runs");
  rules->require_subcommand(1);
  auto* list = rules->add_subcommand(
      "list",
      "List the built-in secret rules, image configuration checks, Dockerfile rules and "
      "Kubernetes checks with their ids and aliases");
  list->add_option("--scanner", opts->scanner,
                   "Only this scanner's rules: secret, config, dockerfile or k8s");
  list->add_option("--format", opts->format, "table, json or markdown")
      ->check(CLI::IsMember({"table", "json", "markdown"}))
      ->capture_default_str();
  list->footer(
      "Secret rules are extended and turned off in a secret config file (docs/secrets.md);\n"
      "findings of either scanner are silenced by id in the ignore file (docs/policy.md).");
  return Command{list, [opts] { return run_list(*opts); }};
}

}  // namespace mtr::cli
