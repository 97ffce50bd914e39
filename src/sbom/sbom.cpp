#include "sbom/sbom.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <random>
#include <tuple>

#include "core/hash.h"
#include "sbom/detail/writers.h"

namespace mtr::sbom {

core::Result<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "cyclonedx" || name == "cyclonedx-json") return Format::kCycloneDx;
  if (name == "spdx" || name == "spdx-json") return Format::kSpdx;
  return core::fail(
      core::ErrorCode::kUsage,
      fmt::format("unknown SBOM format '{}' (expected table, json, cyclonedx or spdx)", name));
}

void write_sbom(std::ostream& out, Format format, const oci::ImageScan& scan,
                const WriteOptions& options) {
  switch (format) {
    case Format::kTable:
      detail::write_table(out, scan);
      return;
    case Format::kJson:
      detail::write_native_json(out, scan, options);
      return;
    case Format::kCycloneDx:
      detail::write_cyclonedx(out, scan, options);
      return;
    case Format::kSpdx:
      detail::write_spdx(out, scan, options);
      return;
  }
}

namespace detail {

std::string display_name(const inventory::Package& package) {
  const std::string& ns = package.purl_namespace;
  if (ns.empty()) return package.name;
  if (package.ecosystem == "npm") {
    return package.name.starts_with('@') ? package.name : ns + "/" + package.name;
  }
  if (package.ecosystem == "maven") return ns + ":" + package.name;
  if (package.name.starts_with(ns + "/")) return package.name;
  return ns + "/" + package.name;
}

std::pair<std::string, std::string> group_and_name(const inventory::Package& package) {
  if (package.ecosystem == "npm") {
    if (package.name.starts_with('@')) {
      auto slash = package.name.find('/');
      if (slash != std::string::npos)
        return {package.name.substr(0, slash), package.name.substr(slash + 1)};
    }
    return {package.purl_namespace, package.name};
  }
  if (package.ecosystem == "maven") return {package.purl_namespace, package.name};
  return {std::string(), display_name(package)};
}

std::vector<const inventory::Package*> sorted_packages(const inventory::Inventory& inventory) {
  std::vector<const inventory::Package*> sorted;
  sorted.reserve(inventory.packages.size());
  for (const auto& p : inventory.packages) sorted.push_back(&p);
  auto key = [](const inventory::Package* p) {
    return std::make_tuple(std::string_view(p->ecosystem), display_name(*p),
                           std::string_view(p->version), std::string_view(p->found_in),
                           p->layer_index, std::string_view(p->arch));
  };
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [&](const inventory::Package* a, const inventory::Package* b) { return key(a) < key(b); });
  return sorted;
}

std::string image_name(const oci::ImageMeta& meta) {
  if (!meta.name.empty()) return meta.name;
  if (!meta.repo_tags.empty()) return meta.repo_tags.front();
  if (!meta.source.empty()) return meta.source;
  return "image";
}

std::string image_version(const oci::ImageMeta& meta) {
  return meta.manifest_digest.empty() ? meta.config_digest : meta.manifest_digest;
}

std::string platform_string(const oci::Platform& platform) {
  if (platform.architecture.empty()) return platform.os;
  std::string out =
      (platform.os.empty() ? std::string("linux") : platform.os) + "/" + platform.architecture;
  if (!platform.variant.empty()) out += "/" + platform.variant;
  return out;
}

std::string short_digest(std::string_view digest) {
  auto hex = core::digest_hex(digest);
  return std::string(hex.substr(0, 12));
}

std::string uuid_v4() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // OpenSSL's generator failing is near impossible; a serial number must still be unique.
    std::random_device device;
    for (auto& b : bytes) b = static_cast<unsigned char>(device());
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

std::vector<std::string> license_texts(const inventory::Package& package) {
  std::vector<std::string> out;
  for (const auto& raw : package.licenses) {
    std::string_view text = raw;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n'))
      text.remove_suffix(1);
    if (text.empty() || std::find(out.begin(), out.end(), text) != out.end()) continue;
    out.emplace_back(text);
  }
  return out;
}

}  // namespace detail
}  // namespace mtr::sbom
