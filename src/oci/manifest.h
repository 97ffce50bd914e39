// OCI / Docker manifest, index and config documents: parsing with limits and checks.
// Shared by every layered source (docker-archive, OCI layout, registry).
#pragma once

#include <string_view>
#include <vector>

#include "oci/image.h"

namespace mtr::oci {

inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";

bool is_index_media_type(std::string_view media_type);
bool is_manifest_media_type(std::string_view media_type);

struct Manifest {
  Descriptor config;
  std::vector<Descriptor> layers;
};

// Parses a JSON document; `what` names it in errors ("index.json", "manifest sha256:…").
core::Result<nlohmann::json> parse_json_document(std::string_view bytes, std::string_view what);
core::Result<Manifest> parse_manifest(const nlohmann::json& doc, std::string_view what);
core::Result<std::vector<Descriptor>> parse_index(const nlohmann::json& doc, std::string_view what);
core::Result<Descriptor> parse_descriptor(const nlohmann::json& j, std::string_view what);

// Picks the manifest for `wanted` (or the host platform) from an index. Attestation
// manifests (platform unknown/unknown) are never chosen. The error lists what is there.
core::Result<Descriptor> select_platform(const std::vector<Descriptor>& manifests,
                                         const std::optional<Platform>& wanted,
                                         std::string_view what);

// Reads rootfs.diff_ids from an image config and pairs them with the manifest's layers.
// A count mismatch is an error.
core::Result<std::vector<LayerRef>> pair_layers(const nlohmann::json& config,
                                                const std::vector<Descriptor>& layers,
                                                std::string_view what);

// object[key] when it is a string, else `fallback` (never throws on untrusted documents).
std::string json_string_or(const nlohmann::json& object, std::string_view key,
                           std::string_view fallback);

// Platform recorded in an image config (os, architecture, variant).
Platform config_platform(const nlohmann::json& config);

}  // namespace mtr::oci
