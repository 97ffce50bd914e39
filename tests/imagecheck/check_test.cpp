// Image configuration checks on images built in memory: each check fires on its planted case
// and stays silent on a clean image; ids are unique and stable; baselines are respected.
#include "imagecheck/check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "inventory/cataloger.h"
#include "oci/scan.h"

namespace mtr::imagecheck {
namespace {

using nlohmann::json;
using oci::FileType;
using oci::MergedFile;

constexpr std::chrono::sys_days kToday{std::chrono::year{2026} / 11 / 23};

MergedFile file(std::string path, std::uint32_t mode, FileType type = FileType::kRegular,
                std::uint64_t size = 1000, std::size_t layer = 1) {
  MergedFile f;
  f.entry.path = std::move(path);
  f.entry.type = type;
  f.entry.mode = mode;
  f.entry.size = type == FileType::kRegular ? size : 0;
  f.layer = layer;
  return f;
}

MergedFile dir(std::string path, std::uint32_t mode = 0755) {
  return file(std::move(path), mode, FileType::kDirectory, 0, 0);
}

inventory::Package deb(std::string name, std::string version = "1.0-1") {
  inventory::Package p;
  p.name = std::move(name);
  p.version = std::move(version);
  p.ecosystem = "deb";
  p.found_in = "/var/lib/dpkg/status";
  p.layer_digest = "sha256:bbbb";
  return p;
}

// What a well-built Debian 12 application image looks like: no finding at all.
oci::ImageScan clean_scan() {
  oci::ImageScan scan;
  scan.meta.name = "example/app:1";
  scan.meta.source = "docker-archive:/tmp/app.tar";
  scan.meta.config = json::parse(R"({
    "architecture": "amd64", "os": "linux",
    "config": {
      "User": "app",
      "ExposedPorts": {"8080/tcp": {}, "443/tcp": {}, "80/tcp": {}},
      "Healthcheck": {"Test": ["CMD", "/app/app", "--health"], "Interval": 30000000000},
      "Volumes": {"/data": {}},
      "Cmd": ["/app/app"]
    },
    "history": [
      {"created_by": "/bin/sh -c #(nop) ADD file:0123abcd in / "},
      {"created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": true},
      {"created_by": "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # buildkit"},
      {"created_by": "COPY app /app # buildkit"},
      {"created_by": "USER app", "empty_layer": true},
      {"created_by": "HEALTHCHECK &{[\"CMD\" \"/app/app\" \"--health\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x00'}", "empty_layer": true}
    ],
    "rootfs": {"type": "layers", "diff_ids": ["sha256:aaaa", "sha256:bbbb", "sha256:cccc"]}
  })");
  for (const char* diff_id : {"sha256:aaaa", "sha256:bbbb", "sha256:cccc"}) {
    oci::LayerSummary layer;
    layer.diff_id = diff_id;
    scan.layers.push_back(layer);
  }
  scan.inventory.os.id = "debian";
  scan.inventory.os.version_id = "12";
  scan.inventory.os.codename = "bookworm";
  scan.inventory.os.source_file = "/etc/os-release";
  scan.inventory.packages = {deb("bash", "5.2.15-2+b2"), deb("curl", "7.88.1-10+deb12u5")};

  std::vector<MergedFile> files = {
      file("/bin", 0777, FileType::kSymlink, 0, 0),
      dir("/tmp", 01777),
      dir("/var/tmp", 01777),
      dir("/usr/bin"),
      file("/usr/bin/ls", 0755),
      file("/etc/passwd", 0644),
      dir("/var/lib/apt/lists"),
      dir("/var/lib/apt/lists/partial", 0700),
      file("/var/lib/apt/lists/lock", 0640, FileType::kRegular, 0),
      dir("/var/cache/apt/archives"),
      file("/app/app", 0755, FileType::kRegular, 5'000'000, 2),
      file("/etc/ssh/ssh_host_ed25519_key.pub", 0644),  // a public key is fine
      file("/home/app/.ssh/id_ed25519.pub", 0644),
  };
  // Every setuid/setgid file of a Debian 12 image (verified with find -perm /6000).
  for (const char* path :
       {"/usr/bin/chfn", "/usr/bin/chsh", "/usr/bin/gpasswd", "/usr/bin/mount", "/usr/bin/newgrp",
        "/usr/bin/passwd", "/usr/bin/su", "/usr/bin/umount"}) {
    files.push_back(file(path, 04755, FileType::kRegular, 50'000, 0));
  }
  for (const char* path : {"/usr/bin/chage", "/usr/bin/expiry", "/usr/sbin/unix_chkpwd"}) {
    files.push_back(file(path, 02755, FileType::kRegular, 50'000, 0));
  }
  std::sort(files.begin(), files.end(),
            [](const MergedFile& a, const MergedFile& b) { return a.entry.path < b.entry.path; });
  scan.files = std::move(files);
  return scan;
}

CheckOptions options() {
  CheckOptions o;
  o.today = kToday;
  return o;
}

std::vector<core::Finding> only(const std::vector<core::Finding>& findings, std::string_view id) {
  std::vector<core::Finding> out;
  for (const auto& f : findings) {
    if (f.id == id) out.push_back(f);
  }
  return out;
}

std::vector<core::Finding> run(const oci::ImageScan& scan, std::string_view id) {
  return only(check_image(scan, options()), id);
}

void set_user(oci::ImageScan& scan, json user) { scan.meta.config["config"]["User"] = user; }

void add_history(oci::ImageScan& scan, const std::string& created_by, bool empty_layer = false) {
  json entry = {{"created_by", created_by}};
  if (empty_layer) {
    entry["empty_layer"] = true;
  } else {
    oci::LayerSummary layer;
    layer.diff_id = "sha256:layer" + std::to_string(scan.layers.size());
    scan.layers.push_back(layer);
  }
  scan.meta.config["history"].push_back(entry);
}

std::string ids(const std::vector<core::Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += f.id + " " + f.location.path + f.location.json_path + "\n";
  return out;
}

TEST(ImageCheck, CleanImageHasNoFindings) {
  auto findings = check_image(clean_scan(), options());
  EXPECT_TRUE(findings.empty()) << ids(findings);
}

TEST(ImageCheck, IdsAreUniqueStableAndComplete) {
  const auto& checks = builtin_checks();
  // The ids and severities are part of the product's interface (ignore files, SARIF rules).
  const std::vector<std::pair<std::string, core::Severity>> expected = {
      {"MTR-IMG-001", core::Severity::kMedium}, {"MTR-IMG-002", core::Severity::kMedium},
      {"MTR-IMG-003", core::Severity::kMedium}, {"MTR-IMG-004", core::Severity::kLow},
      {"MTR-IMG-005", core::Severity::kHigh},   {"MTR-IMG-006", core::Severity::kMedium},
      {"MTR-IMG-007", core::Severity::kHigh},   {"MTR-IMG-008", core::Severity::kHigh},
      {"MTR-IMG-009", core::Severity::kHigh},   {"MTR-IMG-010", core::Severity::kLow},
      {"MTR-IMG-011", core::Severity::kLow},    {"MTR-IMG-012", core::Severity::kMedium},
      {"MTR-IMG-013", core::Severity::kLow},    {"MTR-IMG-014", core::Severity::kLow},
      {"MTR-IMG-015", core::Severity::kHigh},   {"MTR-IMG-016", core::Severity::kLow},
      {"MTR-IMG-017", core::Severity::kLow},    {"MTR-IMG-018", core::Severity::kMedium},
  };
  ASSERT_EQ(checks.size(), expected.size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    EXPECT_EQ(checks[i].id, expected[i].first);
    EXPECT_EQ(checks[i].severity, expected[i].second) << checks[i].id;
    EXPECT_TRUE(seen.insert(checks[i].id).second) << "duplicate " << checks[i].id;
    EXPECT_FALSE(checks[i].title.empty());
    EXPECT_FALSE(checks[i].description.empty());
    EXPECT_FALSE(checks[i].fix.empty());
    EXPECT_EQ(find_check(checks[i].id), &checks[i]);
  }
  EXPECT_EQ(find_check("MTR-IMG-999"), nullptr);
}

TEST(ImageCheck, FindingsCarryMetadata) {
  auto scan = clean_scan();
  set_user(scan, "root");
  auto findings = run(scan, "MTR-IMG-001");
  ASSERT_EQ(findings.size(), 1u);
  const auto& f = findings[0];
  EXPECT_EQ(f.target, "example/app:1");
  EXPECT_EQ(f.location.json_path, "config.User");
  EXPECT_EQ(f.severity, core::Severity::kMedium);
  EXPECT_EQ(f.properties.at("scanner"), "config");
  EXPECT_EQ(f.properties.at("cis"), "4.1");
  EXPECT_EQ(f.properties.at("dockle"), "CIS-DI-0001");
  EXPECT_NE(std::find(f.references.begin(), f.references.end(), "CIS Docker Benchmark 4.1"),
            f.references.end());
  EXPECT_NE(f.evidence.find("root"), std::string::npos);

  scan.meta.name.clear();
  EXPECT_EQ(run(scan, "MTR-IMG-001").at(0).target, "docker-archive:/tmp/app.tar");
}

TEST(ImageCheck, RootUser) {
  for (json user : {json(""), json("root"), json("0"), json("root:root"), json("0:0"),
                    json("0:1000"), json("00"), json(" root "), json(nullptr)}) {
    auto scan = clean_scan();
    set_user(scan, user);
    EXPECT_EQ(run(scan, "MTR-IMG-001").size(), 1u) << user.dump();
  }
  auto scan = clean_scan();
  scan.meta.config["config"].erase("User");
  EXPECT_EQ(run(scan, "MTR-IMG-001").size(), 1u);
  for (json user : {json("app"), json("1000"), json("1000:0"), json("rootless"), json("10"),
                    json(0), json::array()}) {
    auto s = clean_scan();
    set_user(s, user);
    EXPECT_TRUE(run(s, "MTR-IMG-001").empty()) << user.dump();
  }
  // A root directory (dir:) has no config: no user to judge.
  auto dir_scan = clean_scan();
  dir_scan.meta.config = json::object();
  EXPECT_TRUE(run(dir_scan, "MTR-IMG-001").empty());
}

TEST(ImageCheck, SetuidBeyondBaseline) {
  auto scan = clean_scan();
  scan.files.push_back(file("/usr/local/bin/helper", 04755, FileType::kRegular, 10, 2));
  scan.files.push_back(file("/opt/tool/run", 02711, FileType::kRegular, 10, 1));
  scan.files.push_back(file("/usr/local/bin/not-suid", 0755));
  auto findings = run(scan, "MTR-IMG-002");
  ASSERT_EQ(findings.size(), 2u) << ids(findings);
  EXPECT_EQ(findings[0].location.path, "/usr/local/bin/helper");
  EXPECT_EQ(findings[0].location.layer_digest, "sha256:cccc");
  EXPECT_EQ(findings[0].properties.at("mode"), "04755");
  EXPECT_EQ(findings[0].properties.at("cis"), "4.8");
  EXPECT_EQ(findings[0].properties.at("dockle"), "CIS-DI-0008");
  EXPECT_NE(findings[0].evidence.find("setuid"), std::string::npos);
  EXPECT_EQ(findings[1].location.path, "/opt/tool/run");
  EXPECT_EQ(findings[1].location.layer_digest, "sha256:bbbb");
  EXPECT_NE(findings[1].evidence.find("setgid"), std::string::npos);
}

TEST(ImageCheck, SetuidBaselineFollowsLayoutAndFamily) {
  // Split /usr (Debian ≤ 11): /bin/su is the same baseline file as /usr/bin/su.
  auto scan = clean_scan();
  scan.files.push_back(file("/bin/su", 04755));
  scan.files.push_back(file("/bin/mount", 04755));
  scan.files.push_back(file("/sbin/unix_chkpwd", 02755));
  // Ubuntu's extra helper, under the Debian family.
  scan.inventory.os.id = "ubuntu";
  scan.inventory.os.version_id = "24.04";
  scan.files.push_back(file("/usr/sbin/pam_extrausers_chkpwd", 02755));
  EXPECT_TRUE(run(scan, "MTR-IMG-002").empty());

  // A derivative names its parent in ID_LIKE.
  scan.inventory.os.id = "raspbian";
  scan.inventory.os.id_like = {"debian"};
  EXPECT_TRUE(run(scan, "MTR-IMG-002").empty());

  // Unknown distribution: no baseline, every setuid file is reported.
  scan.inventory.os = {};
  EXPECT_EQ(run(scan, "MTR-IMG-002").size(), 15u);

  // Alpine: bbsuid is its own; Debian's shadow helpers (chage is setgid there) are not
  // alpine's baseline unless the shadow package made them.
  auto alpine = clean_scan();
  alpine.files.clear();
  alpine.inventory.os.id = "alpine";
  alpine.inventory.os.version_id = "3.22.1";
  alpine.files.push_back(file("/bin/bbsuid", 04111));
  alpine.files.push_back(file("/usr/lib/openssh/ssh-keysign", 04711));
  auto findings = run(alpine, "MTR-IMG-002");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.path, "/usr/lib/openssh/ssh-keysign");
  EXPECT_EQ(findings[0].properties.at("baseline"), "alpine");

  auto rhel = clean_scan();
  rhel.files.clear();
  rhel.inventory.os.id = "rocky";
  rhel.inventory.os.id_like = {"rhel", "centos", "fedora"};
  rhel.files.push_back(file("/usr/libexec/openssh/ssh-keysign", 02555));
  rhel.files.push_back(file("/usr/sbin/pam_timestamp_check", 04755));
  rhel.files.push_back(file("/usr/local/bin/evil", 04755));
  findings = run(rhel, "MTR-IMG-002");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.path, "/usr/local/bin/evil");
}

TEST(ImageCheck, SetuidWritableByOthersIsCritical) {
  auto scan = clean_scan();
  scan.files.push_back(file("/usr/local/bin/helper", 04777));
  auto findings = run(scan, "MTR-IMG-002");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, core::Severity::kCritical);
  // A hard link to a baseline file is that file.
  auto linked = clean_scan();
  auto link = file("/usr/local/bin/su2", 04755, FileType::kHardlink, 0);
  link.entry.link = "usr/bin/su";
  linked.files.push_back(link);
  EXPECT_TRUE(run(linked, "MTR-IMG-002").empty());
}

TEST(ImageCheck, SudoInstalled) {
  auto scan = clean_scan();
  scan.inventory.packages.push_back(deb("sudo", "1.9.13p3-1+deb12u1"));
  auto findings = run(scan, "MTR-IMG-003");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.path, "/var/lib/dpkg/status");
  EXPECT_EQ(findings[0].properties.at("package"), "sudo");

  // The binary alone is enough, and the setuid check leaves it to this one.
  auto with_file = clean_scan();
  with_file.files.push_back(file("/usr/bin/sudo", 04755, FileType::kRegular, 100, 2));
  findings = run(with_file, "MTR-IMG-003");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.path, "/usr/bin/sudo");
  EXPECT_EQ(findings[0].location.layer_digest, "sha256:cccc");
  EXPECT_TRUE(run(with_file, "MTR-IMG-002").empty());

  // An npm package called sudo is not the system's sudo.
  auto npm = clean_scan();
  auto pkg = deb("sudo");
  pkg.ecosystem = "npm";
  npm.inventory.packages.push_back(pkg);
  EXPECT_TRUE(run(npm, "MTR-IMG-003").empty());
}

TEST(ImageCheck, SudoInHistory) {
  auto scan = clean_scan();
  add_history(scan, "RUN /bin/sh -c sudo apt-get install -y vim # buildkit");
  add_history(scan, "/bin/sh -c echo pseudo sudoers");
  auto findings = run(scan, "MTR-IMG-004");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.json_path, "history[6].created_by");
  EXPECT_EQ(findings[0].location.layer_digest, "sha256:layer3");
  EXPECT_EQ(findings[0].properties.at("dockle"), "DKL-DI-0001");
}

TEST(ImageCheck, WorldWritableSystemPaths) {
  auto scan = clean_scan();
  scan.files.push_back(file("/usr/local/bin/tool", 0777, FileType::kRegular, 10, 2));
  scan.files.push_back(dir("/opt/app", 0777));
  scan.files.push_back(dir("/etc/shared", 01777));                           // sticky: fine
  scan.files.push_back(dir("/var/www", 0777));                               // not a system dir
  scan.files.push_back(file("/usr/lib/x", 0777, FileType::kSymlink, 0, 1));  // symlinks are 0777
  scan.files.push_back(file("/usr/share/doc/readme", 0666));
  auto findings = run(scan, "MTR-IMG-005");
  ASSERT_EQ(findings.size(), 3u) << ids(findings);
  std::set<std::string> paths;
  for (const auto& f : findings) paths.insert(f.location.path);
  EXPECT_EQ(paths,
            (std::set<std::string>{"/usr/local/bin/tool", "/opt/app", "/usr/share/doc/readme"}));
}

TEST(ImageCheck, SshServerAndKeys) {
  auto scan = clean_scan();
  scan.inventory.packages.push_back(deb("openssh-server", "1:9.2p1-2+deb12u3"));
  scan.files.push_back(file("/usr/sbin/sshd", 0755, FileType::kRegular, 900'000, 2));
  scan.files.push_back(file("/etc/ssh/ssh_host_ed25519_key", 0600, FileType::kRegular, 411, 2));
  scan.files.push_back(file("/etc/ssh/ssh_host_rsa_key", 0600, FileType::kRegular, 2602, 2));
  scan.files.push_back(file("/etc/ssh/ssh_host_rsa_key.pub", 0644, FileType::kRegular, 570, 2));
  scan.files.push_back(file("/etc/dropbear/dropbear_ecdsa_host_key", 0600));
  scan.files.push_back(file("/root/.ssh/id_rsa", 0600, FileType::kRegular, 2602, 2));
  scan.files.push_back(file("/home/app/.ssh/id_ed25519_sk", 0600));
  scan.files.push_back(file("/home/app/.ssh/id_rsa.pub", 0644));
  scan.files.push_back(file("/root/.ssh/id_dsa", 0600, FileType::kRegular, 0));  // empty

  auto server = run(scan, "MTR-IMG-006");
  ASSERT_EQ(server.size(), 1u);
  EXPECT_EQ(server[0].location.path, "/usr/sbin/sshd");
  EXPECT_EQ(server[0].properties.at("package"), "openssh-server");
  EXPECT_EQ(run(scan, "MTR-IMG-007").size(), 3u);
  auto keys = run(scan, "MTR-IMG-008");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].properties.at("cis"), "4.10");
  EXPECT_EQ(keys[0].location.layer_digest, "sha256:cccc");

  auto dropbear = clean_scan();
  auto pkg = deb("dropbear-bin");
  pkg.ecosystem = "apk";
  dropbear.inventory.packages.push_back(pkg);
  EXPECT_EQ(run(dropbear, "MTR-IMG-006").size(), 1u);
}

TEST(ImageCheck, ExposedPorts) {
  auto scan = clean_scan();
  auto& ports = scan.meta.config["config"]["ExposedPorts"];
  for (const char* port : {"22/tcp", "23/tcp", "2375/tcp", "22/udp", "53/udp", "25", "2376/tcp",
                           "8443/tcp", "not-a-port", "70000/tcp", "0/tcp", "21/xyz"}) {
    ports[port] = json::object();
  }
  auto remote = run(scan, "MTR-IMG-009");
  ASSERT_EQ(remote.size(), 3u) << ids(remote);
  std::map<std::string, core::Severity> by_port;
  for (const auto& f : remote) by_port[f.properties.at("port")] = f.severity;
  EXPECT_EQ(by_port.at("22/tcp"), core::Severity::kHigh);
  EXPECT_EQ(by_port.at("23/tcp"), core::Severity::kCritical);
  EXPECT_EQ(by_port.at("2375/tcp"), core::Severity::kCritical);
  bool found_path = false;
  for (const auto& f : remote) {
    found_path = found_path || f.location.json_path == "config.ExposedPorts[\"22/tcp\"]";
  }
  EXPECT_TRUE(found_path);

  auto privileged = run(scan, "MTR-IMG-010");
  std::set<std::string> low;
  for (const auto& f : privileged) low.insert(f.properties.at("port"));
  EXPECT_EQ(low, (std::set<std::string>{"22/udp", "53/udp", "25/tcp"}));
}

TEST(ImageCheck, Healthcheck) {
  auto scan = clean_scan();
  scan.meta.config["config"].erase("Healthcheck");
  auto findings = run(scan, "MTR-IMG-011");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, core::Severity::kLow);
  EXPECT_EQ(findings[0].properties.at("dockle"), "CIS-DI-0006");
  scan.meta.config["config"]["Healthcheck"] = {{"Test", {"NONE"}}};
  EXPECT_EQ(run(scan, "MTR-IMG-011").size(), 1u);
  scan.meta.config["config"]["Healthcheck"] = nullptr;
  EXPECT_EQ(run(scan, "MTR-IMG-011").size(), 1u);
  scan.meta.config["config"]["Healthcheck"] = {{"Test", {"CMD-SHELL", "curl -f localhost"}}};
  EXPECT_TRUE(run(scan, "MTR-IMG-011").empty());
}

TEST(ImageCheck, AddRemoteUrlAndAdd) {
  auto scan = clean_scan();
  add_history(scan, "ADD https://example.com/tool.tar.gz /opt/ # buildkit");
  add_history(scan, "ADD http://example.com/plain.bin /opt/plain # buildkit");
  add_history(
      scan,
      "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d "
      "https://example.com/pinned.tgz /opt/ # buildkit");
  add_history(scan, "/bin/sh -c #(nop) ADD file:feedface in /app/ ");
  add_history(scan, "/bin/sh -c #(nop) ADD [\"https://example.com/exec\",\"/opt/exec\"]");

  auto remote = run(scan, "MTR-IMG-012");
  ASSERT_EQ(remote.size(), 3u) << ids(remote);
  EXPECT_EQ(remote[0].severity, core::Severity::kMedium);
  EXPECT_EQ(remote[0].location.json_path, "history[6].created_by");
  EXPECT_EQ(remote[0].location.layer_digest, "sha256:layer3");
  EXPECT_EQ(remote[0].properties.at("url"), "https://example.com/tool.tar.gz");
  EXPECT_EQ(remote[1].severity, core::Severity::kHigh);
  EXPECT_EQ(remote[2].properties.at("url"), "https://example.com/exec");

  // The pinned download and the local ADD are ADDs all the same; the base ADD is exempt.
  auto add = run(scan, "MTR-IMG-013");
  ASSERT_EQ(add.size(), 2u) << ids(add);
  EXPECT_EQ(add[0].location.json_path, "history[8].created_by");
  EXPECT_EQ(add[1].location.json_path, "history[9].created_by");
}

// The classic builder writes a downloaded source as its bare digest, a context file as
// "file:<digest>" (what the test environment's misconfig image records for its ADD of a URL).
TEST(ImageCheck, ClassicBuilderDownloadIsRecognised) {
  auto scan = clean_scan();
  add_history(
      scan,
      "/bin/sh -c #(nop) ADD "
      "7af075d6f07250b35e73c746d6bfda8fde49fb2b5d647c8748fb042f03212fe2 in /opt/payload.txt ");
  add_history(scan,
              "/bin/sh -c #(nop) COPY "
              "dir:3635e974a6734a3debce123743b27020ed6ffb835866eee32e1040fb3be07362 in / ");
  add_history(scan,
              "/bin/sh -c #(nop) ADD "
              "file:3635e974a6734a3debce123743b27020ed6ffb835866eee32e1040fb3be07362 in /x ");
  auto remote = run(scan, "MTR-IMG-012");
  ASSERT_EQ(remote.size(), 1u) << ids(remote);
  EXPECT_EQ(remote[0].location.json_path, "history[6].created_by");
  EXPECT_EQ(remote[0].location.layer_digest, "sha256:layer3");
  EXPECT_EQ(remote[0].properties.at("source_hash"),
            "7af075d6f07250b35e73c746d6bfda8fde49fb2b5d647c8748fb042f03212fe2");
  auto add = run(scan, "MTR-IMG-013");
  ASSERT_EQ(add.size(), 1u) << ids(add);
  EXPECT_EQ(add[0].location.json_path, "history[8].created_by");
}

TEST(ImageCheck, HistoryThatDoesNotMatchLayersIsNotAttributed) {
  auto scan = clean_scan();
  add_history(scan, "ADD https://example.com/tool.tar.gz /opt/ # buildkit");
  scan.layers.pop_back();
  auto remote = run(scan, "MTR-IMG-012");
  ASSERT_EQ(remote.size(), 1u);
  EXPECT_TRUE(remote[0].location.layer_digest.empty());
}

TEST(ImageCheck, PackageCaches) {
  auto scan = clean_scan();
  scan.files.push_back(
      file("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
           0644, FileType::kRegular, 9 * 1024 * 1024, 1));
  scan.files.push_back(file("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
                            0644, FileType::kRegular, 150'000, 1));
  scan.files.push_back(file("/var/lib/apt/lists/partial/x", 0644));
  scan.files.push_back(
      file("/var/cache/apt/archives/curl_7.88.1_amd64.deb", 0644, FileType::kRegular, 300'000, 2));
  scan.files.push_back(file("/var/cache/apt/archives/lock", 0640, FileType::kRegular, 0));
  scan.files.push_back(file("/root/.cache/pip/http-v2/a/b/c", 0600, FileType::kRegular, 4096, 2));
  scan.files.push_back(file("/var/cache/apk/APKINDEX.abc.tar.gz", 0644, FileType::kRegular, 5));
  auto findings = run(scan, "MTR-IMG-014");
  ASSERT_EQ(findings.size(), 4u) << ids(findings);
  std::map<std::string, core::Finding> by_path;
  for (const auto& f : findings) by_path[f.location.path] = f;
  const auto& lists = by_path.at("/var/lib/apt/lists");
  EXPECT_EQ(lists.properties.at("files"), "2");
  EXPECT_EQ(lists.properties.at("dockle"), "DKL-DI-0005");
  EXPECT_EQ(lists.location.layer_digest, "sha256:bbbb");
  EXPECT_NE(lists.evidence.find("2 files, 9.1 MiB"), std::string::npos) << lists.evidence;
  EXPECT_EQ(by_path.at("/var/cache/apt").location.layer_digest, "sha256:cccc");
  EXPECT_EQ(by_path.at("/root/.cache/pip").properties.at("cache"), "pip cache");
  EXPECT_EQ(by_path.at("/var/cache/apk").properties.at("dockle"), "DKL-DI-0004");
}

TEST(ImageCheck, EndOfLife) {
  struct Case {
    std::string id, version, codename;
    bool eol;
  };
  for (const auto& c :
       std::vector<Case>{{"debian", "10", "buster", true},
                         {"debian", "11", "bullseye", true},  // LTS ended 2026-08-31
                         {"debian", "12", "bookworm", false},
                         {"debian", "", "buster", true},
                         {"debian", "", "forky", false},
                         {"alpine", "3.21.4", "", true},  // ended 2026-11-01
                         {"alpine", "3.22.1", "", false},
                         {"alpine", "3.99.0", "", false},
                         {"alpine", "3.21_alpha20240807", "", false},
                         {"ubuntu", "20.04", "focal", true},
                         {"ubuntu", "24.04", "noble", false},
                         {"fedora", "30", "", false}}) {
    auto scan = clean_scan();
    scan.inventory.os.id = c.id;
    scan.inventory.os.version_id = c.version;
    scan.inventory.os.codename = c.codename;
    auto findings = run(scan, "MTR-IMG-015");
    EXPECT_EQ(findings.size(), c.eol ? 1u : 0u) << c.id << " " << c.version << " " << c.codename;
    if (c.eol && !findings.empty()) {
      EXPECT_EQ(findings[0].location.path, "/etc/os-release");
      EXPECT_FALSE(findings[0].properties.at("support_end").empty());
    }
  }
  auto scan = clean_scan();
  scan.inventory.os.version_id = "10";
  auto findings = run(scan, "MTR-IMG-015");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].properties.at("support_end"), "2024-06-30");
  // "today" not injected: no judgement.
  EXPECT_TRUE(only(check_image(scan, CheckOptions{}), "MTR-IMG-015").empty());
}

TEST(ImageCheck, SupportEndsSoon) {
  auto scan = clean_scan();
  scan.inventory.os.id = "alpine";
  scan.inventory.os.version_id = "3.22.2";
  CheckOptions o;
  o.today = std::chrono::sys_days{std::chrono::year{2027} / 3 / 1};
  auto findings = only(check_image(scan, o), "MTR-IMG-016");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].evidence.find("in 61 days"), std::string::npos) << findings[0].evidence;
  EXPECT_TRUE(only(check_image(scan, o), "MTR-IMG-015").empty());
  o.today = std::chrono::sys_days{std::chrono::year{2027} / 1 / 1};  // 120 days ahead
  EXPECT_TRUE(only(check_image(scan, o), "MTR-IMG-016").empty());
  o.today = std::chrono::sys_days{std::chrono::year{2027} / 5 / 1};  // the last day
  EXPECT_EQ(only(check_image(scan, o), "MTR-IMG-016").size(), 1u);
  o.today = std::chrono::sys_days{std::chrono::year{2027} / 5 / 2};
  EXPECT_TRUE(only(check_image(scan, o), "MTR-IMG-016").empty());
  EXPECT_EQ(only(check_image(scan, o), "MTR-IMG-015").size(), 1u);
}

TEST(ImageCheck, UpdateAlone) {
  auto scan = clean_scan();
  add_history(scan, "/bin/sh -c apt-get update");
  add_history(scan, "/bin/sh -c apt-get -o Acquire::Retries=3 -qq update && echo done");
  add_history(scan, "RUN /bin/sh -c apk update # buildkit");
  add_history(scan, "/bin/sh -c apt-get update && apt-get install -y curl");
  add_history(scan, "/bin/sh -c apk add --update curl");
  add_history(scan, "|1 DEBIAN_FRONTEND=noninteractive /bin/sh -c apt update; apt upgrade -y");
  auto findings = run(scan, "MTR-IMG-017");
  ASSERT_EQ(findings.size(), 3u) << ids(findings);
  EXPECT_EQ(findings[0].location.json_path, "history[6].created_by");
  EXPECT_EQ(findings[0].properties.at("cis"), "4.7");
  EXPECT_EQ(findings[2].location.json_path, "history[8].created_by");
}

TEST(ImageCheck, SensitiveVolumes) {
  auto scan = clean_scan();
  auto& volumes = scan.meta.config["config"]["Volumes"];
  volumes["/proc"] = json::object();
  volumes["/sys/"] = json::object();
  volumes["/dev/shm"] = json::object();
  volumes["/devices"] = json::object();
  auto findings = run(scan, "MTR-IMG-018");
  ASSERT_EQ(findings.size(), 3u) << ids(findings);
  EXPECT_EQ(findings[0].properties.at("dockle"), "DKL-DI-0002");
}

TEST(ImageCheck, FindingsPerCheckAreBounded) {
  auto scan = clean_scan();
  for (int i = 0; i < 150; ++i) {
    scan.files.push_back(file("/opt/app/f" + std::to_string(i), 0666));
  }
  auto findings = run(scan, "MTR-IMG-005");
  ASSERT_EQ(findings.size(), 101u);
  EXPECT_EQ(findings.back().properties.at("omitted"), "50");
  CheckOptions unbounded = options();
  unbounded.max_findings_per_check = 0;
  EXPECT_EQ(only(check_image(scan, unbounded), "MTR-IMG-005").size(), 150u);
}

TEST(ImageCheck, OddConfigTypesNeverThrow) {
  for (
      const char* text : {
          R"j([])j",
          R"j("config")j",
          R"j({"config": []})j",
          R"j({"config": {"User": 0, "ExposedPorts": ["22/tcp"], "Healthcheck": "yes",
               "Volumes": ["/proc"]}})j",
          R"j({"config": {"User": {"name": "root"}, "ExposedPorts": {"22/tcp": null},
               "Healthcheck": {"Test": "NONE"}, "Volumes": null}})j",
          R"j({"config": {"Healthcheck": {"Test": [1, 2]}}, "history": "RUN sudo"})j",
          R"j({"history": ["RUN sudo x", 5, null, {"created_by": 7}, {"created_by": "ADD"},
               {"created_by": "ADD https://x"}, {"created_by": "/bin/sh -c #(nop)"},
               {"created_by": "|"}, {"created_by": "RUN"}, {"empty_layer": "yes"}]
})j",
          R"j({"config": {"ExposedPorts": {"": {}, "/tcp": {}, "99999999999/tcp": {}, "22/": {}}}})j",
      }) {
    auto scan = clean_scan();
    scan.meta.config = json::parse(text);
    EXPECT_NO_THROW((void)check_image(scan, options())) << text;
  }
}

// The real Debian 12 root file system of the test environment, read as a dir: source: the
// setuid baseline must cover every file, and nothing else may fire either.
TEST(ImageCheck, RealDebian12RootfsIsClean) {
  const char* env = std::getenv("MTR_TEST_ENV");
  if (env == nullptr || *env == '\0') GTEST_SKIP() << "MTR_TEST_ENV is not set";
  auto root = std::filesystem::path(env) / "rootfs" / "debian";
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << root << " is absent";
  inventory::CatalogerRegistry catalogers;
  inventory::register_builtin_catalogers(catalogers);
  auto layer = oci::read_rootfs(root, catalogers, oci::ScanLimits{});
  ASSERT_TRUE(layer.has_value());
  oci::ImageScan scan;
  scan.meta.source = "dir:" + root.string();
  scan.meta.config = json::object();
  scan.inventory = oci::merge_layers({*layer});
  ASSERT_EQ(scan.inventory.os.id, "debian");
  ASSERT_EQ(scan.inventory.os.version_id, "12");
  std::size_t setuid = 0;
  for (const auto& entry : layer->files) {
    if (entry.type == FileType::kRegular && (entry.mode & 06000u) != 0) ++setuid;
    scan.files.push_back(MergedFile{entry, 0});
  }
  EXPECT_EQ(setuid, 11u);
  auto findings = check_image(scan, options());
  EXPECT_TRUE(findings.empty()) << ids(findings);
}

}  // namespace
}  // namespace mtr::imagecheck
