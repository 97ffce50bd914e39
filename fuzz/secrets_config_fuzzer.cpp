// Fuzzes the secret config file (YAML: user rules, allow rules, disabled rules) and compiles
// what it yields, so user regular expressions are exercised too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "secrets/config.h"
#include "secrets/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  auto set = mtr::secrets::apply_config(content, "secret.yaml", mtr::secrets::builtin_rules());
  if (set) {
    auto scanner = mtr::secrets::Scanner::compile(std::move(*set));
    if (scanner) (void)(*scanner)->scan("/app/.env", "password=Zq8rT1vW3xY5nB7m\n");
  }
  return 0;
}
