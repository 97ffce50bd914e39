// Helpers shared by tests: where the corpus is, temporary directories, running the binary.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mtr::test {

// ../shared/corpus beside the checkout, or empty when absent (a user's clone).
std::filesystem::path corpus_dir();

// Skips the current test with a reason when the corpus is absent. Use as a statement.
#define MTR_REQUIRE_CORPUS()                                                               \
  do {                                                                                     \
    if (::mtr::test::corpus_dir().empty())                                                 \
      GTEST_SKIP() << "../shared/corpus is absent (a user's clone): corpus tests skipped"; \
  } while (false)

// A fresh directory removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view content);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs argv (no shell) with stdin from `stdin_path` (default /dev/null); captures stdout and
// stderr.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::string& stdin_path = "/dev/null");
// Runs the matryoshka binary built with the tests.
CommandResult run_matryoshka(const std::vector<std::string>& args,
                             const std::string& stdin_path = "/dev/null");

}  // namespace mtr::test
