#include "oci/manifest.h"

#include <fmt/format.h>
#include <sys/utsname.h>

#include "core/hash.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;
using nlohmann::json;

core::Result<std::string> string_field(const json& j, std::string_view key, std::string_view what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: missing string field '{}'", what, key));
  }
  return it->get<std::string>();
}

}  // namespace

std::string json_string_or(const json& object, std::string_view key, std::string_view fallback) {
  if (!object.is_object()) return std::string(fallback);
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
}

core::Result<Platform> Platform::parse(std::string_view text) {
  std::vector<std::string> parts;
  std::string_view rest = text;
  while (true) {
    auto slash = rest.find('/');
    parts.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  for (const auto& p : parts) {
    if (p.empty())
      return core::fail(ErrorCode::kUsage,
                        fmt::format("malformed platform '{}' (want os/arch[/variant])", text));
  }
  Platform platform;
  if (parts.size() == 1) {
    platform.architecture = parts[0];
  } else if (parts.size() <= 3) {
    platform.os = parts[0];
    platform.architecture = parts[1];
    if (parts.size() == 3) platform.variant = parts[2];
  } else {
    return core::fail(ErrorCode::kUsage,
                      fmt::format("malformed platform '{}' (want os/arch[/variant])", text));
  }
  return platform;
}

Platform Platform::host() {
  Platform p;
  utsname u{};
  std::string machine = uname(&u) == 0 ? u.machine : "x86_64";
  if (machine == "x86_64")
    p.architecture = "amd64";
  else if (machine == "aarch64")
    p.architecture = "arm64";
  else if (machine.rfind("armv7", 0) == 0) {
    p.architecture = "arm";
    p.variant = "v7";
  } else if (machine == "i686" || machine == "i386")
    p.architecture = "386";
  else
    p.architecture = machine;
  return p;
}

std::string Platform::to_string() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

bool Platform::matches(const Platform& other) const {
  if (os != other.os || architecture != other.architecture) return false;
  if (variant.empty() || other.variant.empty()) {
    // arm64's default variant is v8: "linux/arm64" matches "linux/arm64/v8".
    return true;
  }
  return variant == other.variant;
}

bool is_index_media_type(std::string_view media_type) {
  return media_type == kOciIndex || media_type == kDockerManifestList;
}

bool is_manifest_media_type(std::string_view media_type) {
  return media_type == kOciManifest || media_type == kDockerManifest;
}

core::Result<json> parse_json_document(std::string_view bytes, std::string_view what) {
  json doc = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: not valid JSON", what));
  }
  if (!doc.is_object()) {
    return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: expected a JSON object", what));
  }
  return doc;
}

core::Result<Descriptor> parse_descriptor(const json& j, std::string_view what) {
  if (!j.is_object())
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: descriptor is not an object", what));
  Descriptor d;
  d.digest = MTR_TRY(string_field(j, "digest", what));
  if (auto st = core::validate_digest(d.digest); !st) {
    return core::unexpected(std::move(st).error().with_context(what));
  }
  if (auto it = j.find("mediaType"); it != j.end() && it->is_string())
    d.media_type = it->get<std::string>();
  if (auto it = j.find("size"); it != j.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}: descriptor size is not a non-negative integer", what));
    }
    d.size = it->get<std::int64_t>();
  }
  if (auto it = j.find("platform"); it != j.end() && it->is_object()) {
    Platform p;
    p.os = json_string_or(*it, "os", "");
    p.architecture = json_string_or(*it, "architecture", "");
    p.variant = json_string_or(*it, "variant", "");
    d.platform = p;
  }
  if (auto it = j.find("annotations"); it != j.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (v.is_string()) d.annotations[k] = v.get<std::string>();
    }
  }
  return d;
}

core::Result<Manifest> parse_manifest(const json& doc, std::string_view what) {
  Manifest m;
  auto config = doc.find("config");
  if (config == doc.end())
    return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: manifest has no config", what));
  m.config = MTR_TRY(parse_descriptor(*config, fmt::format("{} config", what)));
  auto layers = doc.find("layers");
  if (layers == doc.end() || !layers->is_array()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: manifest has no layers array", what));
  }
  for (std::size_t i = 0; i < layers->size(); ++i) {
    m.layers.push_back(
        MTR_TRY(parse_descriptor((*layers)[i], fmt::format("{} layers[{}]", what, i))));
  }
  return m;
}

core::Result<std::vector<Descriptor>> parse_index(const json& doc, std::string_view what) {
  auto manifests = doc.find("manifests");
  if (manifests == doc.end() || !manifests->is_array()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: index has no manifests array", what));
  }
  std::vector<Descriptor> out;
  for (std::size_t i = 0; i < manifests->size(); ++i) {
    out.push_back(
        MTR_TRY(parse_descriptor((*manifests)[i], fmt::format("{} manifests[{}]", what, i))));
  }
  return out;
}

core::Result<Descriptor> select_platform(const std::vector<Descriptor>& manifests,
                                         const std::optional<Platform>& wanted,
                                         std::string_view what) {
  Platform target = wanted.value_or(Platform::host());
  std::string available;
  const Descriptor* untagged = nullptr;
  std::size_t images = 0;
  for (const auto& d : manifests) {
    if (!d.platform) {
      if (is_manifest_media_type(d.media_type) || d.media_type.empty()) {
        untagged = &d;
        ++images;
      }
      continue;
    }
    if (d.platform->os == "unknown") continue;  // attestation manifests
    ++images;
    if (!available.empty()) available += ", ";
    available += d.platform->to_string();
    if (target.matches(*d.platform)) return d;
  }
  // An index with a single platform-less image (OCI layouts written by many tools) is that image.
  if (images == 1 && untagged != nullptr && !wanted) return *untagged;
  return core::fail(ErrorCode::kNotFound,
                    fmt::format("{}: no image for platform {} (available: {})", what,
                                target.to_string(), available.empty() ? "none" : available));
}

core::Result<std::vector<LayerRef>> pair_layers(const json& config,
                                                const std::vector<Descriptor>& layers,
                                                std::string_view what) {
  auto rootfs = config.find("rootfs");
  if (rootfs == config.end() || !rootfs->is_object()) {
    return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: config has no rootfs", what));
  }
  auto diff_ids = rootfs->find("diff_ids");
  if (diff_ids == rootfs->end() || !diff_ids->is_array()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: config has no rootfs.diff_ids", what));
  }
  if (diff_ids->size() != layers.size()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: manifest lists {} layers but the config has {} diff_ids",
                                  what, layers.size(), diff_ids->size()));
  }
  std::vector<LayerRef> out;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& id = (*diff_ids)[i];
    if (!id.is_string()) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}: rootfs.diff_ids[{}] is not a string", what, i));
    }
    LayerRef ref;
    ref.blob = layers[i];
    ref.diff_id = id.get<std::string>();
    if (auto st = core::validate_digest(ref.diff_id); !st) {
      return core::unexpected(
          std::move(st).error().with_context(fmt::format("{} rootfs.diff_ids[{}]", what, i)));
    }
    ref.index = static_cast<int>(i);
    out.push_back(std::move(ref));
  }
  return out;
}

Platform config_platform(const json& config) {
  Platform p;
  p.os = json_string_or(config, "os", "linux");
  p.architecture = json_string_or(config, "architecture", "");
  p.variant = json_string_or(config, "variant", "");
  return p;
}

}  // namespace mtr::oci
