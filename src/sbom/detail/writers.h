// The four SBOM writers behind write_sbom and the helpers they share. Internal to sbom/.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "inventory/package.h"
#include "oci/scan.h"
#include "sbom/sbom.h"

namespace mtr::sbom::detail {

// Packages in output order: ecosystem, full name, version, path, layer. Every format uses
// the same order so that documents of one image diff cleanly.
std::vector<const inventory::Package*> sorted_packages(const inventory::Inventory& inventory);

// The name a user knows a package by: "@types/node", "org.slf4j:slf4j-api",
// "github.com/pkg/errors", "curl".
std::string display_name(const inventory::Package& package);

// CycloneDX splits npm scopes and Maven groupIds into `group`; other ecosystems keep the
// whole name. Returns {group, name}.
std::pair<std::string, std::string> group_and_name(const inventory::Package& package);

// How the image is called in documents: its name, else how the user gave it.
std::string image_name(const oci::ImageMeta& meta);
// Its version in documents: the manifest digest, else the config digest (the image id).
std::string image_version(const oci::ImageMeta& meta);
// "linux/arm64/v8".
std::string platform_string(const oci::Platform& platform);
// "sha256:0123456789abcdef…" → "0123456789ab".
std::string short_digest(std::string_view digest);

// A random (version 4) UUID in lower-case hex, from OpenSSL's CSPRNG.
std::string uuid_v4();

// The license texts of a package, trimmed, empty ones and repeats dropped, order kept.
std::vector<std::string> license_texts(const inventory::Package& package);

void write_table(std::ostream& out, const oci::ImageScan& scan);
void write_native_json(std::ostream& out, const oci::ImageScan& scan, const WriteOptions& options);
void write_cyclonedx(std::ostream& out, const oci::ImageScan& scan, const WriteOptions& options);
void write_spdx(std::ostream& out, const oci::ImageScan& scan, const WriteOptions& options);

}  // namespace mtr::sbom::detail
