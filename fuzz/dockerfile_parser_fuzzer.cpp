// Fuzzes the BuildKit-compatible Dockerfile parser: parse() then dump() on the input, and checks
// that every recorded position lies inside the input's lines.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dockerfile/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  auto parsed = mtr::dockerfile::parse(content, "Dockerfile");
  if (!parsed) return 0;
  (void)mtr::dockerfile::dump(*parsed);
  const auto lines = parsed->line_count;
  for (const auto& ins : parsed->instructions) {
    if (ins.span.begin.line == 0 || ins.span.begin.line > lines || ins.span.end.line > lines ||
        ins.arg_positions.size() != ins.args.size() ||
        ins.flag_positions.size() != ins.flags.size()) {
      std::abort();
    }
  }
  return 0;
}
