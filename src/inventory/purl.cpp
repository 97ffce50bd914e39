// Package URLs per the purl spec's type rules (github.com/package-url/purl-spec, PURL-TYPES).
// OS packages carry the distribution as namespace and `distro` qualifier, so that one purl
// names one build of a package.
#include "inventory/purl.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/purl.h"

namespace mtr::inventory {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

// "debian-12", "alpine-3.18.4"; the codename stands in for testing/sid, which has no number.
std::string distro_qualifier(const OsInfo& os) {
  if (os.id.empty()) return {};
  if (!os.version_id.empty()) return os.id + "-" + os.version_id;
  if (!os.codename.empty()) return os.id + "-" + os.codename;
  return {};
}

// purl rpm namespaces are vendor names, which differ from os-release IDs for a few vendors.
std::string rpm_namespace(const OsInfo& os) {
  if (os.id == "rhel") return "redhat";
  if (os.id == "amzn") return "amazon";
  if (os.id.starts_with("opensuse")) return "opensuse";
  return os.id;
}

// Splits "a/b/c" into ("a/b", "c"); no slash gives ("", text).
std::pair<std::string, std::string> split_last(std::string_view text, char separator) {
  auto pos = text.rfind(separator);
  if (pos == std::string_view::npos) return {std::string(), std::string(text)};
  return {std::string(text.substr(0, pos)), std::string(text.substr(pos + 1))};
}

}  // namespace

std::string make_purl(const Package& package, const OsInfo& os) {
  core::Purl purl;
  purl.type = package.ecosystem;
  purl.namespace_ = package.purl_namespace;
  purl.name = package.name;
  purl.version = package.version;
  const std::string& eco = package.ecosystem;

  if (eco == "deb") {
    purl.namespace_ = os.id.empty() ? "debian" : os.id;
    purl.qualifiers["arch"] = package.arch;
    purl.qualifiers["distro"] = distro_qualifier(os);
  } else if (eco == "apk") {
    purl.namespace_ = os.id.empty() ? "alpine" : os.id;
    purl.qualifiers["arch"] = package.arch;
    purl.qualifiers["distro"] = distro_qualifier(os);
  } else if (eco == "rpm") {
    purl.namespace_ = rpm_namespace(os);
    purl.qualifiers["arch"] = package.arch;
    purl.qualifiers["epoch"] = package.epoch;
    purl.qualifiers["distro"] = distro_qualifier(os);
  } else if (eco == "npm") {
    // A scoped name may come whole ("@types/node") when the cataloger did not split it.
    if (purl.namespace_.empty() && package.name.starts_with('@')) {
      std::tie(purl.namespace_, purl.name) = split_last(package.name, '/');
    }
  } else if (eco == "pypi") {
    purl.name = lower(package.name);
    std::replace(purl.name.begin(), purl.name.end(), '_', '-');
  } else if (eco == "golang") {
    if (purl.namespace_.empty())
      std::tie(purl.namespace_, purl.name) = split_last(package.name, '/');
  } else if (eco == "maven") {
    if (purl.namespace_.empty())
      std::tie(purl.namespace_, purl.name) = split_last(package.name, ':');
  } else if (eco == "composer") {
    // Composer names are case-insensitive; the spec lowercases vendor and name.
    if (purl.namespace_.empty())
      std::tie(purl.namespace_, purl.name) = split_last(package.name, '/');
    purl.namespace_ = lower(purl.namespace_);
    purl.name = lower(purl.name);
  }
  return purl.to_string();
}

}  // namespace mtr::inventory
