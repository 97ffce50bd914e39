// `image scan --scanners secret,config` on the real images build-images.sh plants: every
// planted secret found with its layer and path (one in a file a later layer deletes, one in ENV,
// one in a build argument the history keeps), every planted misconfiguration found, nothing on
// the clean image — and no output in any format ever shows a planted secret in clear.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "integration/test_env.h"
#include "support/test_support.h"

namespace mtr::test {
namespace {

namespace fs = std::filesystem;

struct Planted {
  std::string rule, where, value;
};

std::vector<Planted> planted(const fs::path& state) {
  std::vector<Planted> out;
  for (const auto& line : split(read_file(state / "planted-secrets.tsv"), '\n')) {
    auto f = split(line, '\t');
    if (f.size() != 3 || f[0] == "rule") continue;
    out.push_back({f[0], f[1], f[2]});
  }
  return out;
}

class SecretsConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = load_test_env(skip_reason_);
    if (!env_) GTEST_SKIP() << skip_reason_;
    for (const char* name : {"secrets", "misconfig", "clean"}) {
      if (!env_->images.count(name))
        GTEST_SKIP() << "no '" << name << "' test image: rerun scripts/test-env/build-images.sh";
    }
  }
  // Sources of one image the way users name them.
  std::vector<std::string> sources(const std::string& name) const {
    const auto& image = env_->images.at(name);
    return {"docker-archive:" + image.docker_archive, "oci:" + image.oci, image.registry};
  }
  CommandResult scan(const std::string& source, const std::string& scanners,
                     const std::string& format = "json") {
    return run_matryoshka(
        {"image", "scan", source, "--scanners", scanners, "--format", format, "--no-cache", "-q"});
  }
  std::optional<TestEnv> env_;
  std::string skip_reason_;
};

// Never prints the text that failed the check: only which secret (by rule) leaked where.
void expect_masked(const CommandResult& r, const std::vector<Planted>& secrets,
                   const std::string& what) {
  for (const auto& p : secrets) {
    EXPECT_EQ(r.out.find(p.value), std::string::npos) << what << ": stdout shows " << p.rule;
    EXPECT_EQ(r.err.find(p.value), std::string::npos) << what << ": stderr shows " << p.rule;
  }
}

TEST_F(SecretsConfig, EveryPlantedSecretIsFoundWithItsLayerAndPath) {
  const auto secrets = planted(env_->state);
  ASSERT_EQ(secrets.size(), 5u);
  for (const auto& source : sources("secrets")) {
    auto r = scan(source, "secret");
    ASSERT_EQ(r.exit_code, 0) << source << ": " << r.err;
    expect_masked(r, secrets, source);
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& p : secrets) {
      const nlohmann::json* hit = nullptr;
      for (const auto& f : doc["findings"]) {
        if (f["id"] != p.rule) continue;
        const auto& loc = f["location"];
        const std::string path = loc.value("path", "");
        const std::string json_path = loc.value("json_path", "");
        if (p.where == "history"               ? json_path.rfind("history[", 0) == 0
            : p.where.rfind("config.", 0) == 0 ? json_path.rfind(p.where, 0) == 0
                                               : path == p.where) {
          hit = &f;
        }
      }
      ASSERT_NE(hit, nullptr) << source << ": " << p.rule << " in " << p.where << " not found";
      const auto& props = (*hit)["properties"];
      EXPECT_EQ(props["scanner"], "secret");
      EXPECT_EQ((*hit)["evidence"].get<std::string>().find(p.value), std::string::npos);
      if (p.where.front() == '/') {  // a file: its layer is named
        EXPECT_FALSE((*hit)["location"].value("layer", "").empty()) << p.rule;
        EXPECT_FALSE(props.value("layer_index", "").empty()) << p.rule;
      }
      if (p.where == "history") {
        EXPECT_FALSE(props.value("layer_index", "").empty());
      }
      if (p.where == "/root/.netrc") {  // planted, then deleted by the next layer
        EXPECT_NE(props.value("visibility", "").find("removed in layer"), std::string::npos)
            << props.dump();
        EXPECT_NE(props.value("visibility", "").find("still present in layer"), std::string::npos);
      }
    }
  }
}

TEST_F(SecretsConfig, NoOutputFormatShowsAPlantedSecret) {
  const auto secrets = planted(env_->state);
  const auto source = sources("secrets").front();
  for (const char* format : {"table", "json", "sarif"}) {
    auto r = scan(source, "secret,config", format);
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.err;
    expect_masked(r, secrets, format);
  }
  // Verbose logs too.
  auto r = run_matryoshka({"image", "scan", source, "--scanners", "secret", "--no-cache",
                           "--format", "json", "--log-level", "debug"});
  expect_masked(r, secrets, "debug log");
}

TEST_F(SecretsConfig, EveryPlantedMisconfigurationIsFound) {
  // docker-archive and registry keep Docker's config fields (Healthcheck); the OCI layout was
  // converted by skopeo, which drops them, so it is not used here.
  const auto& image = env_->images.at("misconfig");
  for (const auto& source : {"docker-archive:" + image.docker_archive, image.registry}) {
    auto r = scan(source, "config");
    ASSERT_EQ(r.exit_code, 0) << source << ": " << r.err;
    std::map<std::string, std::set<std::string>> found;  // id → paths / json paths
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& f : doc["findings"]) {
      const auto& loc = f["location"];
      found[f["id"].get<std::string>()].insert(loc.value("path", "") + loc.value("json_path", ""));
      EXPECT_EQ(f["properties"]["scanner"], "config");
    }
    auto has = [&](const std::string& id, const std::string& where) {
      return found.count(id) != 0 && found[id].count(where) != 0;
    };
    EXPECT_TRUE(has("MTR-IMG-001", "config.User")) << source;
    EXPECT_TRUE(has("MTR-IMG-002", "/usr/local/bin/suid-tool")) << source;
    EXPECT_TRUE(found.count("MTR-IMG-003")) << source;  // sudo
    EXPECT_TRUE(has("MTR-IMG-005", "/usr/share/dropbox")) << source;
    EXPECT_TRUE(has("MTR-IMG-007", "/etc/ssh/ssh_host_ed25519_key")) << source;
    for (const char* port : {"22/tcp", "23/tcp", "2375/tcp"}) {
      EXPECT_TRUE(has("MTR-IMG-009", std::string("config.ExposedPorts[\"") + port + "\"]"))
          << source << " " << port;
    }
    EXPECT_TRUE(found.count("MTR-IMG-011")) << source;  // no HEALTHCHECK
    EXPECT_TRUE(found.count("MTR-IMG-012")) << source;  // ADD of a URL
    EXPECT_TRUE(found.count("MTR-IMG-014")) << source;  // apt lists left
    // 8080 is neither privileged nor a remote-access port.
    for (const auto& [id, where] : found) {
      for (const auto& w : where) EXPECT_EQ(w.find("8080"), std::string::npos) << id;
    }
  }
}

TEST_F(SecretsConfig, TheCleanImageHasNoFinding) {
  const auto& image = env_->images.at("clean");
  for (const auto& source : {"docker-archive:" + image.docker_archive, image.registry}) {
    auto r = run_matryoshka({"image", "scan", source, "--scanners", "secret,config", "--format",
                             "json", "--no-cache", "--fail-on", "low", "-q"});
    EXPECT_EQ(r.exit_code, 0) << source << ": " << r.err;
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_TRUE(doc["findings"].empty()) << source << ": " << doc["findings"].dump(1);
  }
}

}  // namespace
}  // namespace mtr::test
