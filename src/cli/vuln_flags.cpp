#include "cli/vuln_flags.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "core/log.h"

namespace mtr::cli {
namespace {

core::Result<std::string> read_text(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::fail(core::ErrorCode::kNotFound, fmt::format("{} {}: cannot be read", what, path));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void add_vuln_flags(CLI::App* app, VulnFlags& flags, const std::vector<std::string>& formats) {
  std::string list;
  for (const auto& f : formats) list += (list.empty() ? "" : ", ") + f;
  app->add_option("-f,--format", flags.format, list)
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  app->add_option("-o,--output", flags.output, "Write to FILE instead of standard output");
  app->add_option("--db", flags.db,
                  "Vulnerability database (default $XDG_CACHE_HOME/matryoshka/vuln.db)")
      ->envname("MATRYOSHKA_DB");
  app->add_option("--severity", flags.severity,
                  "Report only these severities (critical,high,medium,low,unknown)");
  app->add_option("--fail-on", flags.fail_on,
                  "Exit 1 when a reported finding is at or above this severity")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "unknown"}));
  app->add_option("--ignore-file", flags.ignore_file,
                  "Ignore rules: ID [PACKAGE] [exp:YYYY-MM-DD] per line, or YAML (default "
                  ".matryoshkaignore when present)");
  app->add_option("--vex", flags.vex,
                  "OpenVEX document: not_affected/fixed statements suppress findings "
                  "(repeatable)");
  app->add_flag("--ignore-unfixed", flags.ignore_unfixed,
                "Hide vulnerabilities that have no fixed version yet");
  app->add_flag("--include-unimportant", flags.include_unimportant,
                "Also report what the distribution rates unimportant (Debian)");
}

match::MatchOptions match_options(const VulnFlags& flags) {
  match::MatchOptions o;
  o.ignore_unfixed = flags.ignore_unfixed;
  o.include_unimportant = flags.include_unimportant;
  return o;
}

core::Result<match::PolicyOptions> policy_options(const VulnFlags& flags,
                                                  const std::string& target) {
  match::PolicyOptions o;
  o.today = core::format_date(core::system_clock().now());
  o.target = target;
  if (!flags.severity.empty()) o.severities = MTR_TRY(match::parse_severity_list(flags.severity));
  std::string ignore = flags.ignore_file;
  std::error_code ec;
  if (ignore.empty() && std::filesystem::exists(".matryoshkaignore", ec)) {
    ignore = ".matryoshkaignore";
  }
  if (!ignore.empty()) {
    auto text = MTR_TRY(read_text(ignore, "--ignore-file"));
    o.ignores = MTR_TRY(match::parse_ignore_file(text, ignore));
  }
  for (const auto& path : flags.vex) {
    auto text = MTR_TRY(read_text(path, "--vex"));
    auto statements = MTR_TRY(match::parse_openvex(text, path));
    o.vex.insert(o.vex.end(), statements.begin(), statements.end());
  }
  return o;
}

core::Result<std::optional<core::Severity>> fail_on(const VulnFlags& flags) {
  if (flags.fail_on.empty()) return std::optional<core::Severity>();
  auto s = core::parse_severity(flags.fail_on);
  if (!s) {
    return core::fail(core::ErrorCode::kUsage,
                      fmt::format("--fail-on {}: not a severity", flags.fail_on));
  }
  return std::optional<core::Severity>(*s);
}

}  // namespace mtr::cli
