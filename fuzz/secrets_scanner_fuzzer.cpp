// Fuzzes the secret engine with the built-in rules over arbitrary file content: the first byte
// picks the path (rules bound to .netrc, .env, docker config.json… apply), the rest is the file.
// Checks the promise the engine makes: evidence never holds a clear secret longer than the mask
// keeps, and positions point inside the content.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "secrets/scanner.h"

namespace {
const mtr::secrets::Scanner& scanner() {
  static auto compiled = mtr::secrets::Scanner::compile(mtr::secrets::builtin_rules());
  if (!compiled) std::abort();
  return **compiled;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static constexpr std::array<std::string_view, 8> kPaths = {"",
                                                             "/app/config.txt",
                                                             "/root/.netrc",
                                                             "/app/.env",
                                                             "/root/.pgpass",
                                                             "/root/.docker/config.json",
                                                             "/app/key.json",
                                                             "/home/u/.npmrc"};
  if (size == 0) return 0;
  std::string_view path = kPaths[data[0] % kPaths.size()];
  std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  for (const auto& m : scanner().scan(path, content)) {
    if (m.line == 0 || m.column == 0 || m.evidence.size() > 160 || m.fingerprint.size() != 16)
      std::abort();
  }
  return 0;
}
