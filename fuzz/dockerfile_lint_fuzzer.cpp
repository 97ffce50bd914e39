// Fuzzes the whole lint pipeline: parse, stage model, shell reading of RUN commands and every
// built-in rule (with labels and registries configured so those rules run too).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dockerfile/lint.h"
#include "dockerfile/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  auto parsed = mtr::dockerfile::parse(content, "Dockerfile");
  if (!parsed) return 0;
  mtr::dockerfile::LintOptions options;
  options.config.trusted_registries = {"docker.io", "*.example.com"};
  options.config.label_schema = {{"maintainer", "email"}, {"url", "url"},
                                 {"version", "semver"},   {"created", "rfc3339"},
                                 {"license", "spdx"},     {"rev", "hash"}};
  options.config.strict_labels = true;
  for (const auto& r : mtr::dockerfile::builtin_rules().rules()) {
    options.config.enabled.push_back(r.id);
  }
  options.today = "2026-11-23";
  (void)mtr::dockerfile::lint(*parsed, options);
  return 0;
}
