#include "cli/common.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace mtr::cli {

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
