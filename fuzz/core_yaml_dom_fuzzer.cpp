// Fuzzes the YAML front-end (libyaml events → positioned tree): parse_yaml_stream() on the
// input, then a walk of every node checking that positions lie inside the input and that the
// typed reads never misbehave.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/yaml_dom.h"

namespace {

void walk(const mtr::core::YamlNode& node, std::uint32_t lines) {
  if (node.mark().line == 0 || node.mark().line > lines) std::abort();
  (void)node.as_bool();
  (void)node.as_int();
  (void)node.as_string();
  for (const auto& item : node.items()) walk(item, lines);
  for (std::size_t i = 0; i < node.entry_count(); ++i) {
    walk(node.entry_key(i), lines);
    walk(node.entry_value(i), lines);
    if (auto key = node.entry_key(i).as_string()) (void)node.find(*key);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::uint32_t lines = 1;
  for (char c : text) lines += (c == '\n' || c == '\r') ? 1 : 0;
  auto docs = mtr::core::parse_yaml_stream(text, "fuzz.yaml");
  if (!docs) return 0;
  for (const auto& doc : *docs)
    if (!doc.root.is_null()) walk(doc.root, lines + 1);
  return 0;
}
