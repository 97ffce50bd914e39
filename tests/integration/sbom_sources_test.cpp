// End to end: every test image, opened through every source kind, must list exactly the deb
// packages dpkg-query reports inside a container of it, and the language packages planted by
// scripts/test-env/build-images.sh (and none of those its later layers delete).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "integration/test_env.h"
#include "support/test_support.h"

namespace mtr::test {
namespace {

constexpr std::size_t kMaxListed = 20;  // differences printed per failure

const std::vector<std::string> kImages = {"debian", "python",   "npm",   "java",
                                          "go",     "whiteout", "opaque"};
const std::vector<std::string> kKinds = {"docker_archive", "oci", "docker", "registry", "dir"};

std::string source_for(const TestImage& image, const std::string& kind) {
  if (kind == "docker_archive") return "docker-archive:" + image.docker_archive;
  if (kind == "oci") return "oci:" + image.oci;
  if (kind == "docker") return "docker:" + image.image;
  if (kind == "registry") return image.registry;
  return "dir:" + image.rootfs;
}

std::string strip_qualifiers(std::string purl) {
  auto cut = purl.find_first_of("?#");
  if (cut != std::string::npos) purl.resize(cut);
  return purl;
}

// What dpkg itself says is installed in a container of the image.
std::map<std::string, std::string> dpkg_in_container(const TestEnv& env, const std::string& image,
                                                     std::string& error) {
  static std::mutex mu;
  static std::map<std::string, std::map<std::string, std::string>> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(image); it != cache.end()) return it->second;
  auto r = run_command({"docker", "-H", env.docker_host, "run", "--rm", "--network", "none", image,
                        "dpkg-query", "-W", "-f", "${db:Status-Abbrev}\t${Package}\t${Version}\n"});
  if (r.exit_code != 0) {
    error = "docker run " + image + " dpkg-query failed: " + r.err;
    return {};
  }
  std::map<std::string, std::string> out;
  for (const auto& line : split(r.out, '\n')) {
    auto f = split(line, '\t');
    if (f.size() == 3 && f[0].rfind("ii", 0) == 0) out[f[1]] = f[2];
  }
  cache[image] = out;
  return out;
}

class SbomSourcesTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  static void SetUpTestSuite() {
    env_ = load_test_env(skip_reason_);
    if (env_) setenv("DOCKER_HOST", env_->docker_host.c_str(), 1);  // for docker: sources
  }
  static inline std::optional<TestEnv> env_;
  static inline std::string skip_reason_;
};

TEST_P(SbomSourcesTest, MatchesDpkgAndFindsPlantedPackages) {
  if (!env_) GTEST_SKIP() << skip_reason_;
  auto [name, kind] = GetParam();
  auto it = env_->images.find(name);
  if (it == env_->images.end())
    GTEST_SKIP() << "image '" << name << "' is not in " << (env_->state / "images.tsv");
  const TestImage& image = it->second;
  std::string source = source_for(image, kind);

  std::string error;
  auto expected_debs = dpkg_in_container(*env_, image.image, error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_GT(expected_debs.size(), 50u) << "a Debian minbase has ~90 packages";

  // --no-cache: every source must really read its layers, not reuse another source's results.
  auto r = run_matryoshka({"--no-progress", "sbom", source, "--format", "json", "--no-cache"});
  ASSERT_EQ(r.exit_code, 0) << source << "\nstderr:\n" << r.err;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object() && doc.contains("packages") && doc["packages"].is_array())
      << source << ": output is not {\"packages\": [...]}:\n"
      << r.out.substr(0, 2000);

  std::map<std::string, std::string> debs;
  std::set<std::string> purls;
  for (const auto& p : doc["packages"]) {
    // The writer calls the purl type "type"; "ecosystem" is the inventory's name for it.
    std::string ecosystem = p.value("ecosystem", p.value("type", ""));
    std::string pname = p.value("name", "");
    std::string version = p.value("version", "");
    if (p.contains("purl") && p["purl"].is_string())
      purls.insert(strip_qualifiers(p["purl"].get<std::string>()));
    if (ecosystem != "deb") continue;
    auto [pos, inserted] = debs.emplace(pname, version);
    EXPECT_TRUE(inserted || pos->second == version)
        << source << ": deb " << pname << " listed twice with versions " << pos->second << " and "
        << version;
  }

  std::vector<std::string> missing, extra, wrong;
  for (const auto& [pkg, version] : expected_debs) {
    auto found = debs.find(pkg);
    if (found == debs.end())
      missing.push_back(pkg + " " + version);
    else if (found->second != version)
      wrong.push_back(pkg + ": dpkg " + version + ", sbom " + found->second);
  }
  for (const auto& [pkg, version] : debs) {
    if (!expected_debs.count(pkg)) extra.push_back(pkg + " " + version);
  }
  auto list = [](const std::vector<std::string>& items) {
    std::string s;
    for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) s += "\n  " + items[i];
    if (items.size() > kMaxListed)
      s += "\n  … " + std::to_string(items.size() - kMaxListed) + " more";
    return s;
  };
  EXPECT_TRUE(missing.empty()) << source << ": " << missing.size()
                               << " deb packages missing:" << list(missing);
  EXPECT_TRUE(extra.empty()) << source << ": " << extra.size()
                             << " deb packages not installed:" << list(extra);
  EXPECT_TRUE(wrong.empty()) << source << ": " << wrong.size()
                             << " versions differ:" << list(wrong);

  for (const auto& purl : image.expect) {
    EXPECT_TRUE(purls.count(purl)) << source << ": planted package " << purl << " not found";
  }
  for (const auto& purl : image.absent) {
    for (const auto& found : purls) {
      bool hit =
          found == purl || (purl.find('@') == std::string::npos && found.rfind(purl + "@", 0) == 0);
      EXPECT_FALSE(hit) << source << ": " << found << " was deleted by a later layer but is listed";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllSources, SbomSourcesTest,
                         ::testing::Combine(::testing::ValuesIn(kImages),
                                            ::testing::ValuesIn(kKinds)),
                         [](const auto& param_info) {
                           return std::get<0>(param_info.param) + "_" +
                                  std::get<1>(param_info.param);
                         });

}  // namespace
}  // namespace mtr::test
