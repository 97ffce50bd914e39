// matryoshka: one binary, one subcommand per file in this folder.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <vector>

#include "cli/common.h"
#include "core/log.h"
#include "core/version.h"

int main(int argc, char** argv) {
  using mtr::core::ExitCode;
  CLI::App app{
      "Matryoshka: container security from the image to the kernel.\n"
      "Images (SBOM, vulnerabilities, secrets), Dockerfiles, Kubernetes manifests,\n"
      "Docker hosts and runtime events, in one tool.",
      "matryoshka"};
  app.set_version_flag("--version", fmt::format("matryoshka {}", mtr::core::kVersion));
  app.require_subcommand(1);
  app.fallthrough();  // global flags may also follow the subcommand
  app.footer(
      "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
      "2 bad input or usage, 3 internal error.\n"
      "State lives under $XDG_CACHE_HOME/matryoshka (default ~/.cache/matryoshka).");

  mtr::cli::GlobalOptions global;
  app.add_option("--log-format", global.log_format, "Log lines as 'human' text or 'json' objects")
      ->check(CLI::IsMember({"human", "json"}))
      ->capture_default_str();
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_flag("--no-progress", global.no_progress, "Never draw progress bars");
  app.add_flag("-q,--quiet", global.quiet, "Only print results and errors");

  std::vector<mtr::cli::Command> commands;
  commands.push_back(mtr::cli::add_image_command(app, global));
  commands.push_back(mtr::cli::add_sbom_command(app, global));
  commands.push_back(mtr::cli::add_dockerfile_command(app, global));
  commands.push_back(mtr::cli::add_k8s_command(app, global));
  commands.push_back(mtr::cli::add_db_command(app, global));
  commands.push_back(mtr::cli::add_rescan_command(app, global));
  commands.push_back(mtr::cli::add_version_command(app, global));
  commands.push_back(mtr::cli::add_rules_command(app, global));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::kBadInput);
  }
  mtr::core::init_logging(
      global.log_format == "json" ? mtr::core::LogFormat::kJson : mtr::core::LogFormat::kHuman,
      global.quiet ? "error" : global.log_level);

  for (auto& command : commands) {
    if (!command.app->parsed()) continue;
    try {
      auto result = command.run();
      if (!result) {
        spdlog::error("{}", result.error().to_string());
        return static_cast<int>(mtr::core::exit_code_for(result.error()));
      }
      return static_cast<int>(*result);
    } catch (const std::exception& e) {
      spdlog::error("internal error: {}", e.what());
      return static_cast<int>(ExitCode::kInternalError);
    }
  }
  return static_cast<int>(ExitCode::kBadInput);
}
