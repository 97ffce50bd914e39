// What every subcommand shares: global flags, output files, and turning errors into exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/exit_code.h"
#include "core/progress.h"
#include "core/result.h"
#include "oci/scan.h"

namespace mtr::cli {

struct GlobalOptions {
  std::string log_format = "human";
  std::string log_level = "warn";
  bool no_progress = false;
  bool quiet = false;
};

// Reads a file whole, or standard input for "-", never more than `max_bytes` (a larger input is
// kLimitExceeded naming the file). A regular file is read into a buffer of its size.
core::Result<std::string> read_input_file(const std::string& path, std::uintmax_t max_bytes);

// Expands PATH arguments: files as given, "-" kept, directories searched recursively for the
// files `wanted` accepts, sorted (hidden folders, node_modules and vendor are skipped, and any
// folder `skip_dir` returns true for). A directory with nothing wanted is a warning naming
// `what`; a missing path is kNotFound.
core::Result<std::vector<std::string>> collect_inputs(
    const std::vector<std::string>& paths,
    const std::function<bool(const std::filesystem::path&)>& wanted,
    const std::function<bool(const std::filesystem::path&)>& skip_dir, std::string_view what);

// A subcommand registers itself on the app and returns the action to run when chosen.
using Action = std::function<core::Result<core::ExitCode>()>;

struct Command {
  CLI::App* app = nullptr;
  Action run;
};

// The progress bar policy: on a terminal, unless --no-progress or --quiet.
std::unique_ptr<core::Progress> make_progress(const GlobalOptions& global);

// Opens --output FILE (or stdout for "" and "-"); the file is written whole or not at all
// (temporary file + rename on commit).
class OutputFile {
 public:
  static core::Result<OutputFile> open(const std::string& path);
  std::ostream& stream() { return file_ ? *file_ : std::cout; }
  core::Status commit();
  OutputFile(OutputFile&&) noexcept = default;
  ~OutputFile();

 private:
  OutputFile() = default;
  std::string path_, temp_;
  std::unique_ptr<std::ofstream> file_;
};

// How an image is read: flags `sbom` and `image scan` share.
struct ImageFlags {
  std::string platform;
  bool insecure = false;
  bool no_cache = false;
  std::string cache;
  unsigned threads = 0;
};
void add_image_flags(CLI::App* app, ImageFlags& flags);
// Opens IMAGE and reads its inventory with the built-in catalogers; warnings are logged.
// `content` (optional) sees every regular file of every layer: the secret scan.
core::Result<oci::ImageScan> read_image(const std::string& image, const ImageFlags& flags,
                                        core::Progress* progress,
                                        const oci::ContentScanner* content = nullptr);

Command add_sbom_command(CLI::App& parent, const GlobalOptions& global);
Command add_version_command(CLI::App& parent, const GlobalOptions& global);
Command add_db_command(CLI::App& parent, const GlobalOptions& global);
Command add_image_command(CLI::App& parent, const GlobalOptions& global);
Command add_rescan_command(CLI::App& parent, const GlobalOptions& global);
Command add_rules_command(CLI::App& parent, const GlobalOptions& global);
Command add_dockerfile_command(CLI::App& parent, const GlobalOptions& global);
Command add_k8s_command(CLI::App& parent, const GlobalOptions& global);

}  // namespace mtr::cli
