// What every image check reads: the scan, a checked view of the image config (untrusted JSON
// that may hold any type anywhere), the build history parsed once, and a path index of the
// merged file system. Also the finding skeleton each check fills in.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "imagecheck/check.h"
#include "oci/scan.h"

namespace mtr::imagecheck::detail {

// One entry of the config's `history`, parsed into the Dockerfile instruction it records.
struct HistoryEntry {
  std::size_t index = 0;             // position in config.history
  std::string created_by;            // as recorded
  std::string instruction;           // "RUN", "ADD", "COPY", … or "" when not recognisable
  std::string arguments;             // the instruction's text without the builder's wrapping
  bool empty_layer = false;          // the step changed only the config (ENV, USER, …)
  std::optional<std::size_t> layer;  // index into scan.layers when it created one
};

class Context {
 public:
  Context(const oci::ImageScan& scan, const CheckOptions& options);

  const oci::ImageScan& scan() const { return scan_; }
  const CheckOptions& options() const { return options_; }

  // The image config, or null when the source has none (a dir: root file system): config
  // checks then have nothing to judge and stay silent.
  const nlohmann::json* image_config() const { return image_config_; }
  // image_config()["config"] when it is an object (User, ExposedPorts, Healthcheck, Volumes).
  const nlohmann::json* runtime_config() const { return runtime_config_; }
  const std::vector<HistoryEntry>& history() const { return history_; }

  const oci::MergedFile* file(std::string_view path) const;
  // diff_id of a layer index, or "" when out of range.
  std::string layer_digest(std::size_t layer) const;
  std::string target() const;

 private:
  const oci::ImageScan& scan_;
  const CheckOptions& options_;
  const nlohmann::json* image_config_ = nullptr;
  const nlohmann::json* runtime_config_ = nullptr;
  std::vector<HistoryEntry> history_;
  std::unordered_map<std::string_view, const oci::MergedFile*> by_path_;
};

// Member `key` of `object` when `object` is an object holding it, else null. Never throws.
const nlohmann::json* member(const nlohmann::json* object, std::string_view key);
// The string value of `value`, or nullopt when it is null or not a string.
std::optional<std::string_view> as_string(const nlohmann::json* value);

// `config.ExposedPorts["22/tcp"]`: a member access that survives any key text.
std::string json_key_path(std::string_view prefix, std::string_view key);
// At most `max_bytes` of `text`, cut on a UTF-8 character boundary, "…" appended when cut.
std::string clip(std::string_view text, std::size_t max_bytes = 160);
// "12.3 MiB", "512 B".
std::string human_bytes(std::uint64_t bytes);
// "04755".
std::string octal_mode(std::uint32_t mode);

// /bin/x → /usr/bin/x, /sbin/x → /usr/sbin/x, /lib*/x → /usr/lib*/x: merged-/usr and split
// layouts name the same file, so baselines list only the /usr form.
std::string usr_merged(std::string_view path);
std::string_view basename(std::string_view path);
bool starts_with_dir(std::string_view path, std::string_view dir);  // dir itself or under it

}  // namespace mtr::imagecheck::detail
