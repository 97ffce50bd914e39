// matryoshka version compare: shows how an ecosystem orders two versions, the question behind
// every "is this package affected".
#include "version/version.h"

#include <fmt/format.h>

#include <iostream>
#include <string>

#include "cli/common.h"

namespace mtr::cli {
namespace {

struct CompareOptions {
  std::string type;
  std::string a, b;
  bool batch = false;
};

const char* symbol(int c) { return c < 0 ? "<" : (c > 0 ? ">" : "="); }

core::Result<core::ExitCode> run_batch(const CompareOptions& opts, std::istream& in,
                                       std::ostream& out) {
  std::string line;
  std::uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto tab = line.find('\t');
    if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos) {
      return core::fail(core::ErrorCode::kInvalidInput,
                        "expected two versions separated by one TAB",
                        core::Location{"<stdin>", number, 0, {}});
    }
    auto c = version::compare(opts.type, std::string_view(line).substr(0, tab),
                              std::string_view(line).substr(tab + 1));
    if (!c)
      return core::unexpected(std::move(c).error().at(core::Location{"<stdin>", number, 0, {}}));
    out << *c << '\n';
  }
  out.flush();
  return core::ExitCode::kOk;
}

core::Result<core::ExitCode> run_compare(const CompareOptions& opts) {
  if (opts.batch) {
    if (!opts.a.empty() || !opts.b.empty()) {
      return core::fail(core::ErrorCode::kUsage,
                        "--batch reads pairs from standard input: give no versions");
    }
    return run_batch(opts, std::cin, std::cout);
  }
  if (opts.a.empty() || opts.b.empty()) {
    return core::fail(core::ErrorCode::kUsage,
                      "give two versions, or --batch with TAB-separated pairs on stdin");
  }
  auto c = MTR_TRY(version::compare(opts.type, opts.a, opts.b));
  std::cout << symbol(c) << '\n';
  return core::ExitCode::kOk;
}

}  // namespace

Command add_version_command(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opts = std::make_shared<CompareOptions>();
  auto* app = parent.add_subcommand("version", "Version ordering per ecosystem");
  app->require_subcommand(1);
  auto* compare = app->add_subcommand(
      "compare", "Compare two versions as the ecosystem's package manager does");
  compare->footer(fmt::format(
      "Prints <, = or > for A compared with B. With --batch, reads lines 'A<TAB>B' from standard\n"
      "input and prints -1, 0 or 1 per line.\n"
      "TYPE is a Package URL type: {}.\n"
      "Examples:\n"
      "  matryoshka version compare --type deb 1:1.2-1 1.3-1      # >  (the epoch wins)\n"
      "  matryoshka version compare --type pypi 1.0rc1 1.0.post1  # <\n"
      "  printf '1.0\\t1.0.0\\n' | matryoshka version compare --type gem --batch",
      fmt::join(version::known_types(), ", ")));
  compare->add_option("-t,--type", opts->type, "Ecosystem (purl type)")->required();
  compare->add_option("A", opts->a, "First version");
  compare->add_option("B", opts->b, "Second version");
  compare->add_flag("--batch", opts->batch,
                    "Read TAB-separated pairs from stdin, print -1/0/1 per line");
  return Command{app, [opts] { return run_compare(*opts); }};
}

}  // namespace mtr::cli
