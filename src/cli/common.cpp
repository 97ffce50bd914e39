#include "cli/common.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

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
