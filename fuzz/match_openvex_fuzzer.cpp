// Fuzzes the OpenVEX parser and applies the statements it yields.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "match/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  auto statements = mtr::match::parse_openvex(content, "vex.json");
  if (statements) {
    mtr::core::Finding finding;
    finding.id = "CVE-2023-0001";
    finding.aliases = {"GHSA-aaaa-bbbb-cccc"};
    finding.properties["package"] = "openssl";
    finding.properties["purl"] = "pkg:deb/debian/openssl@3.0.11-1?arch=amd64";
    mtr::match::PolicyOptions options;
    options.vex = std::move(*statements);
    options.target = "alpine:3.12@sha256:ffff";
    (void)mtr::match::apply_policy({finding}, options);
  }
  return 0;
}
