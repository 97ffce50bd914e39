// Fuzzes the image configuration checks: the input is parsed as an image config (any JSON,
// any types anywhere) and every check runs over it with a small fixed file system. The checks
// must never throw or crash, whatever User, ExposedPorts, Healthcheck, Volumes or history hold.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "imagecheck/check.h"

namespace {

mtr::oci::MergedFile file(const char* path, std::uint32_t mode, std::size_t layer) {
  mtr::oci::MergedFile f;
  f.entry.path = path;
  f.entry.mode = mode;
  f.entry.size = 100;
  f.layer = layer;
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto config = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return 0;

  mtr::oci::ImageScan scan;
  scan.meta.name = "fuzz";
  scan.meta.config = std::move(config);
  for (const char* diff_id : {"sha256:a", "sha256:b"}) {
    mtr::oci::LayerSummary layer;
    layer.diff_id = diff_id;
    scan.layers.push_back(layer);
  }
  // Fuzz-only key: lets inputs reach the end-of-life table with any release text.
  if (auto os =
          scan.meta.config.is_object() ? scan.meta.config.find("fuzz_os") : scan.meta.config.end();
      os != scan.meta.config.end() && os->is_array() && os->size() == 2 && (*os)[0].is_string() &&
      (*os)[1].is_string()) {
    scan.inventory.os.id = (*os)[0].get<std::string>();
    scan.inventory.os.version_id = (*os)[1].get<std::string>();
  }
  scan.files = {file("/usr/bin/su", 04755, 0), file("/usr/local/bin/x", 04777, 1),
                file("/var/lib/apt/lists/InRelease", 0644, 1), file("/root/.ssh/id_rsa", 0600, 5)};

  mtr::imagecheck::CheckOptions options;
  options.today = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23};
  options.max_findings_per_check = 3;
  (void)mtr::imagecheck::check_image(scan, options);
  return 0;
}
