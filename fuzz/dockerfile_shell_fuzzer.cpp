// Fuzzes the shell layer of the Dockerfile linter: the RUN command reader (parse_shell) and
// BuildKit's word expansion (expand_word / expand_words, with and without raw quotes, unset
// variables kept, the backtick escape and Windows names).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dockerfile/shell.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto script = mtr::dockerfile::parse_shell(text, 10000);
  for (const auto& command : script.commands) {
    (void)command.program();
    (void)command.args();
    (void)command.has_flag("-y");
    (void)command.has_flag("--no-cache-dir");
  }
  const mtr::dockerfile::Environment env = {
      {"PWD", "/home"}, {"EMPTY", ""}, {"PATTERN", "*/?"}, {"LIST", " a  b\tc "}};
  mtr::dockerfile::ExpandOptions options;
  (void)mtr::dockerfile::expand_word(text, env, options);
  (void)mtr::dockerfile::expand_words(text, env, options);
  options.keep_quotes = true;
  options.skip_unset = true;
  (void)mtr::dockerfile::expand_words(text, env, options);
  options.escape = '`';
  options.windows = true;
  (void)mtr::dockerfile::expand_word(text, env, options);
  return 0;
}
