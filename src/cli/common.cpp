#include "cli/common.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "core/log.h"
#include "inventory/cataloger.h"
#include "oci/image.h"

namespace mtr::cli {

void add_image_flags(CLI::App* app, ImageFlags& flags) {
  app->add_option("--platform", flags.platform,
                  "os/arch[/variant] to pick from a multi-platform image");
  app->add_flag("--insecure", flags.insecure,
                "Allow plain HTTP and unverified TLS for non-localhost registries");
  app->add_flag("--no-cache", flags.no_cache, "Neither read nor write the per-layer result cache");
  app->add_option("--cache", flags.cache,
                  "Layer-cache file (default $XDG_CACHE_HOME/matryoshka/layers.db)")
      ->envname("MATRYOSHKA_LAYER_CACHE");
  app->add_option("--threads", flags.threads, "Layers read at once (default: one per core)");
}

core::Result<oci::ImageScan> read_image(const std::string& image, const ImageFlags& flags,
                                        core::Progress* progress,
                                        const oci::ContentScanner* content) {
  oci::OpenOptions open_options;
  open_options.insecure = flags.insecure;
  open_options.progress = progress;
  if (!flags.platform.empty())
    open_options.platform = MTR_TRY(oci::Platform::parse(flags.platform));
  auto source = MTR_TRY(oci::open_image(image, open_options));

  inventory::CatalogerRegistry catalogers;
  inventory::register_builtin_catalogers(catalogers);
  oci::ScanOptions scan_options;
  scan_options.use_cache = !flags.no_cache;
  scan_options.cache_path = flags.cache;
  scan_options.threads = flags.threads;
  scan_options.progress = progress;
  scan_options.content = content;
  auto scan = MTR_TRY(oci::scan_image(*source, catalogers, scan_options));
  progress->finish();
  for (const auto& w : scan.inventory.warnings) spdlog::warn("{}", w);
  return scan;
}

core::Result<std::string> read_input_file(const std::string& path, std::uintmax_t max_bytes) {
  const bool is_stdin = path == "-";
  const std::string name = is_stdin ? "<stdin>" : path;
  using Closer = int (*)(std::FILE*);
  std::unique_ptr<std::FILE, Closer> file(
      is_stdin ? stdin : std::fopen(path.c_str(), "rb"),
      is_stdin ? Closer{+[](std::FILE*) { return 0; }} : Closer{&std::fclose});
  if (!file)
    return core::fail(core::ErrorCode::kIo,
                      fmt::format("{}: cannot open: {}", name,
                                  std::error_code(errno, std::generic_category()).message()));
  std::string text;
  struct stat st {};
  if (fstat(fileno(file.get()), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      static_cast<std::uintmax_t>(st.st_size) <= max_bytes)
    text.reserve(static_cast<std::size_t>(st.st_size) + 1);
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, n);
    if (text.size() > max_bytes)
      return core::fail(core::ErrorCode::kLimitExceeded,
                        fmt::format("{}: larger than the limit of {} bytes", name, max_bytes));
  }
  if (std::ferror(file.get()))
    return core::fail(core::ErrorCode::kIo, fmt::format("{}: read error", name));
  return text;
}

core::Result<std::vector<std::string>> collect_inputs(
    const std::vector<std::string>& paths,
    const std::function<bool(const std::filesystem::path&)>& wanted,
    const std::function<bool(const std::filesystem::path&)>& skip_dir, std::string_view what) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& p : paths) {
    if (p == "-") {
      out.push_back(p);
      continue;
    }
    std::error_code ec;
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status))
      return core::fail(core::ErrorCode::kNotFound,
                        fmt::format("{}: no such file or directory", p));
    if (!fs::is_directory(status)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const auto& entry = *it;
      std::string name = entry.path().filename().string();
      if (entry.is_directory(ec)) {
        if ((name.size() > 1 && name[0] == '.') || name == "node_modules" || name == "vendor" ||
            skip_dir(entry.path()))
          it.disable_recursion_pending();
        continue;
      }
      if (entry.is_regular_file(ec) && wanted(entry.path())) found.push_back(entry.path().string());
    }
    if (ec) return core::fail(core::ErrorCode::kIo, fmt::format("{}: {}", p, ec.message()));
    std::sort(found.begin(), found.end());
    if (found.empty()) spdlog::warn("{}: no {} found in this directory", p, what);
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::unique_ptr<core::Progress> make_progress(const GlobalOptions& global) {
  bool enabled = !global.no_progress && !global.quiet && core::Progress::stderr_is_terminal();
  return std::make_unique<core::Progress>(enabled);
}

core::Result<OutputFile> OutputFile::open(const std::string& path) {
  OutputFile out;
  if (path.empty() || path == "-") return out;
  out.path_ = path;
  out.temp_ = path + ".tmp-matryoshka";
  out.file_ = std::make_unique<std::ofstream>(out.temp_, std::ios::binary | std::ios::trunc);
  if (!*out.file_) {
    return core::fail(core::ErrorCode::kIo, fmt::format("cannot write output file '{}'", path));
  }
  return out;
}

core::Status OutputFile::commit() {
  if (!file_) {
    std::cout.flush();
    return core::Ok{};
  }
  file_->close();
  if (!*file_) return core::fail(core::ErrorCode::kIo, fmt::format("writing '{}' failed", path_));
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec)
    return core::fail(core::ErrorCode::kIo,
                      fmt::format("cannot create '{}': {}", path_, ec.message()));
  file_.reset();
  return core::Ok{};
}

OutputFile::~OutputFile() {
  if (file_) {
    file_->close();
    std::remove(temp_.c_str());
  }
}

}  // namespace mtr::cli
