#include "support/test_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace mtr::test {

std::filesystem::path corpus_dir() {
  if (const char* env = std::getenv("MTR_CORPUS_DIR"); env && *env) return env;
  std::filesystem::path candidate =
      std::filesystem::path(MTR_SOURCE_DIR) / ".." / "shared" / "corpus";
  std::error_code ec;
  if (std::filesystem::is_directory(candidate, ec)) return std::filesystem::canonical(candidate);
  return {};
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "mtr-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

namespace {
std::string drain(int fd) {
  std::string data;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) data.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return data;
}
}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_path) {
  // stdout and stderr go to unlinked temporary files so that neither pipe can fill up.
  TempDir dir;
  auto out_path = (dir.path() / "out").string();
  auto err_path = (dir.path() / "err").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  CommandResult result;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    result.err = "spawn failed: " + argv[0];
    return result;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = drain(open(out_path.c_str(), O_RDONLY));
  result.err = drain(open(err_path.c_str(), O_RDONLY));
  return result;
}

CommandResult run_matryoshka(const std::vector<std::string>& args, const std::string& stdin_path) {
  std::vector<std::string> argv{MTR_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, stdin_path);
}

}  // namespace mtr::test
