// The integration-test environment made by scripts/test-env/: where its state directory is,
// the images build-images.sh made (images.tsv), and skip reasons when any of it is missing.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace mtr::test {

struct TestImage {
  std::string name;                 // "debian", "python", …
  std::string image;                // as the Docker daemon knows it: "mtr-test/python:1"
  std::string docker_archive;       // docker save output
  std::string oci;                  // DIR:TAG of an OCI layout with gzip layers
  std::string registry;             // localhost:PORT/mtr-test/python:1
  std::string rootfs;               // docker export, unpacked
  std::vector<std::string> expect;  // purls (no qualifiers) that must be found
  std::vector<std::string> absent;  // purls, or purl prefixes without @version, that must not be
};

struct TestEnv {
  std::filesystem::path state;
  std::string docker_host;  // unix://STATE/docker.sock
  std::map<std::string, TestImage> images;
};

inline std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// The environment, or why there is none (as a skip reason).
inline std::optional<TestEnv> load_test_env(std::string& why_not) {
  const char* dir = std::getenv("MTR_TEST_ENV");
  if (dir == nullptr || *dir == '\0') {
    why_not =
        "MTR_TEST_ENV is not set: run scripts/test-env/start.sh and "
        "scripts/test-env/build-images.sh "
        "(as root), then `source /tmp/mtr-test-env/env.sh`";
    return std::nullopt;
  }
  TestEnv env;
  env.state = dir;
  auto index = env.state / "images.tsv";
  if (!std::filesystem::exists(index)) {
    why_not = index.string() + " is absent: run scripts/test-env/build-images.sh";
    return std::nullopt;
  }
  auto socket = env.state / "docker.sock";
  if (!std::filesystem::exists(socket)) {
    why_not =
        socket.string() + " is absent: the test dockerd is not running (scripts/test-env/start.sh)";
    return std::nullopt;
  }
  env.docker_host = "unix://" + socket.string();
  std::ifstream in(index);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("name\t", 0) == 0) continue;
    std::vector<std::string> f;
    std::string field;
    std::istringstream fields(line);
    while (std::getline(fields, field, '\t')) f.push_back(field);
    f.resize(8);
    TestImage image{f[0], f[1], f[2], f[3], f[4], f[5], split(f[6], ' '), split(f[7], ' ')};
    env.images[image.name] = image;
  }
  return env;
}

}  // namespace mtr::test
