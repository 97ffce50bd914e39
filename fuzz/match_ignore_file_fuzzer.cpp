// Fuzzes the ignore-file parser (text and YAML forms) and applies the rules it yields.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "match/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  auto rules = mtr::match::parse_ignore_file(content, ".trivyignore");
  if (rules) {
    mtr::core::Finding finding;
    finding.id = "CVE-2023-0001";
    finding.aliases = {"GHSA-aaaa-bbbb-cccc"};
    finding.properties["package"] = "openssl";
    finding.properties["purl"] = "pkg:deb/debian/openssl@3.0.11-1?arch=amd64";
    finding.location.path = "/var/lib/dpkg/status";
    mtr::match::PolicyOptions options;
    options.ignores = std::move(*rules);
    options.today = "2026-01-01";
    (void)mtr::match::apply_policy({finding}, options);
  }
  return 0;
}
