// Pod Security Standards: the Pod Security Admission conformance fixtures
// (../shared/corpus/k8s/psa/testdata), PSA's own expected reasons and details (from its
// policy/check_*_test.go), versions the corpus holds out, fields, and level/version parsing.
#include "kube/pss.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kube/object.h"
#include "kube/pod.h"
#include "support/test_support.h"

namespace mtr::kube {
namespace {

namespace fs = std::filesystem;

// A manifest and its first object's pod; the pod points into the manifest, so both live
// together and never move.
struct Loaded {
  Manifest manifest;
  std::optional<PodSpec> pod;
};

std::unique_ptr<Loaded> load(const std::string& yaml, const std::string& origin = "test.yaml") {
  auto out = std::make_unique<Loaded>();
  auto manifest = load_manifest(yaml, origin);
  if (!manifest) {
    ADD_FAILURE() << origin << ": " << manifest.error().message;
    return out;
  }
  out->manifest = std::move(*manifest);
  if (out->manifest.objects.empty()) {
    ADD_FAILURE() << origin << ": no object";
    return out;
  }
  out->pod = read_pod(out->manifest.objects.front());
  if (!out->pod) ADD_FAILURE() << origin << ": no pod";
  return out;
}

PssVersion version(std::string_view text) {
  auto v = parse_pss_version(text);
  EXPECT_TRUE(v) << text;
  return v ? *v : PssVersion{};
}

// Violations point at nodes of the manifest: it is kept for the rest of the test program so
// the tests may read those nodes' lines.
std::vector<PssViolation> eval(const std::string& yaml, PssLevel level, std::string_view ver) {
  static std::vector<std::unique_ptr<Loaded>> kept;
  auto loaded = load(yaml);
  if (!loaded->pod) return {};
  auto violations = evaluate_pss(*loaded->pod, level, version(ver));
  kept.push_back(std::move(loaded));
  return violations;
}

std::vector<std::string> ids(const std::vector<PssViolation>& violations) {
  std::vector<std::string> out;
  for (const PssViolation& v : violations) out.emplace_back(v.control->check);
  return out;
}

const PssViolation* find(const std::vector<PssViolation>& violations, std::string_view check) {
  for (const PssViolation& v : violations)
    if (v.control && v.control->check == check) return &v;
  return nullptr;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The restricted check that replaces a baseline one (lower-cased ids), from the version it
// exists: a restricted fixture named after the baseline check fails on its replacement.
std::string replacement(const std::string& id, int minor) {
  if (id == "capabilities_baseline" && minor >= 22) return "capabilities_restricted";
  if (id == "seccompprofile_baseline" && minor >= 19) return "seccompprofile_restricted";
  if (id == "procmount" && minor >= 35) return "procmount_restricted";
  if (id == "hostpathvolumes") return "restrictedvolumes";
  return id;
}

fs::path psa_root() { return test::corpus_dir() / "k8s" / "psa" / "testdata"; }

struct FixtureTally {
  std::size_t files = 0, named = 0;
  std::vector<std::string> mismatches;
};

// Evaluates the fixtures of <level>/<folder>/{pass,fail} at `at` and records every file whose
// verdict (or, for a fail/ file named after a check, whose failing check) differs.
void check_fixture_folder(PssLevel level, const std::string& folder, PssVersion at,
                          FixtureTally& tally) {
  const fs::path root = psa_root();
  std::vector<std::string> known;
  for (const PssControl& c : pss_controls()) known.push_back(lower(c.check));
  const std::string where = " (at " + at.to_string() + ")";
  for (std::string_view outcome : {"pass", "fail"}) {
    const fs::path dir = root / std::string(to_string(level)) / folder / outcome;
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".yaml") continue;
      ++tally.files;
      const std::string rel = fs::relative(entry.path(), root).string() + where;
      auto loaded = load(test::read_file(entry.path()), rel);
      if (!loaded->pod) {
        tally.mismatches.push_back(rel + ": not read");
        continue;
      }
      auto violations = evaluate_pss(*loaded->pod, level, at);
      const bool denied = !violations.empty();
      if (denied != (outcome == "fail")) {
        tally.mismatches.push_back(
            rel + (denied ? ": denied: " + pss_message(violations, level, at) : ": allowed"));
        continue;
      }
      if (outcome != "fail") continue;
      // <check id><n>.yaml names the check the fixture breaks.
      std::string id = lower(entry.path().stem().string());
      while (!id.empty() && std::isdigit(static_cast<unsigned char>(id.back()))) id.pop_back();
      if (std::find(known.begin(), known.end(), id) == known.end()) continue;
      ++tally.named;
      if (level == PssLevel::kRestricted) id = replacement(id, at.latest ? 99 : at.minor);
      bool hit = false;
      for (const std::string& got : ids(violations)) hit = hit || lower(got) == id;
      if (!hit)
        tally.mismatches.push_back(rel + ": " + id +
                                   " not among: " + pss_message(violations, level, at));
    }
  }
}

std::string list(const std::vector<std::string>& mismatches) {
  std::string all;
  for (const std::string& m : mismatches) all += "  " + m + "\n";
  return all;
}

TEST(PssConformance, PsaFixtures) {
  MTR_REQUIRE_CORPUS();
  if (!fs::exists(psa_root())) GTEST_SKIP() << "no PSA fixtures in the corpus";
  FixtureTally tally;
  for (PssLevel level : {PssLevel::kBaseline, PssLevel::kRestricted}) {
    for (const auto& version_dir :
         fs::directory_iterator(psa_root() / std::string(to_string(level)))) {
      const std::string folder = version_dir.path().filename().string();
      auto ver = parse_pss_version(folder);
      ASSERT_TRUE(ver) << folder;
      check_fixture_folder(level, folder, *ver, tally);
    }
  }
  std::cout << "[ PSS      ] " << tally.files << " PSA fixture files checked, " << tally.named
            << " named after their check\n";
  EXPECT_GT(tally.files, 3000u);
  EXPECT_TRUE(tally.mismatches.empty()) << tally.mismatches.size() << " mismatches:\n"
                                        << list(tally.mismatches);
}

// The corpus holds some version folders out. Where no check changes between a folder and a
// held-out version (PSA's steps: 1.8, 1.19, 1.22, 1.23, 1.25, 1.27, 1.29, 1.31, 1.32, 1.34,
// 1.35, 1.37; sysctl steps only relax, so the older fixtures still hold), the older folder's
// fixtures must keep their verdicts there; and any version past the newest, or "latest", must
// behave as v1.37.
TEST(PssConformance, HeldOutVersions) {
  MTR_REQUIRE_CORPUS();
  if (!fs::exists(psa_root())) GTEST_SKIP() << "no PSA fixtures in the corpus";
  struct Case {
    PssLevel level;
    const char* folder;
    const char* at;
  };
  const Case cases[] = {
      {PssLevel::kBaseline, "v1.1", "v1.2"},     {PssLevel::kBaseline, "v1.6", "v1.7"},
      {PssLevel::kBaseline, "v1.11", "v1.12"},   {PssLevel::kBaseline, "v1.11", "v1.15"},
      {PssLevel::kBaseline, "v1.16", "v1.17"},   {PssLevel::kBaseline, "v1.21", "v1.22"},
      {PssLevel::kBaseline, "v1.25", "v1.26"},   {PssLevel::kBaseline, "v1.31", "v1.32"},
      {PssLevel::kBaseline, "v1.31", "v1.33"},   {PssLevel::kBaseline, "v1.37", "v1.38"},
      {PssLevel::kBaseline, "v1.37", "latest"},  {PssLevel::kRestricted, "v1.1", "v1.2"},
      {PssLevel::kRestricted, "v1.10", "v1.11"}, {PssLevel::kRestricted, "v1.15", "v1.16"},
      {PssLevel::kRestricted, "v1.31", "v1.32"}, {PssLevel::kRestricted, "v1.31", "v1.33"},
      {PssLevel::kRestricted, "v1.31", "v1.34"}, {PssLevel::kRestricted, "v1.35", "v1.36"},
      {PssLevel::kRestricted, "v1.37", "v1.99"}, {PssLevel::kRestricted, "v1.37", "latest"},
  };
  FixtureTally tally;
  for (const Case& c : cases) check_fixture_folder(c.level, c.folder, version(c.at), tally);
  std::cout << "[ PSS      ] " << tally.files << " fixture evaluations at held-out versions\n";
  EXPECT_GT(tally.files, 500u);
  EXPECT_TRUE(tally.mismatches.empty()) << tally.mismatches.size() << " mismatches:\n"
                                        << list(tally.mismatches);
}

// Every pod of the real-world and peer manifests evaluates at every level without surprises:
// each violation names its control, has a reason, and points at fields with nodes and paths
// below its object.
TEST(PssConformance, RealWorldInvariants) {
  MTR_REQUIRE_CORPUS();
  std::size_t pods = 0, violations_seen = 0;
  for (std::string_view sub : {"real-world", "peers"}) {
    const fs::path dir = test::corpus_dir() / "k8s" / std::string(sub);
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      auto manifest = load_manifest(test::read_file(entry.path()), entry.path().string());
      if (!manifest) continue;  // the peers hold deliberately broken files
      for (const Object& object : manifest->objects) {
        auto pod = read_pod(object);
        if (!pod) continue;
        ++pods;
        for (PssLevel level : {PssLevel::kBaseline, PssLevel::kRestricted}) {
          for (std::string_view ver : {"v1.0", "v1.18", "v1.25", "v1.35", "latest"}) {
            for (const PssViolation& v : evaluate_pss(*pod, level, version(ver))) {
              ++violations_seen;
              ASSERT_TRUE(v.control) << entry.path();
              EXPECT_FALSE(v.reason.empty()) << entry.path();
              EXPECT_FALSE(v.fields.empty()) << entry.path() << " " << v.control->check;
              for (const PssField& f : v.fields) {
                EXPECT_TRUE(f.node) << entry.path() << " " << v.control->check;
                EXPECT_TRUE(f.path.starts_with(object.path_prefix))
                    << entry.path() << " " << f.path;
              }
            }
          }
        }
      }
    }
  }
  std::cout << "[ PSS      ] " << pods << " real-world and peer pods, " << violations_seen
            << " violations checked\n";
  EXPECT_GT(pods, 100u);
}

// ---- Messages: PSA's expected reasons and details --------------------------------------------

TEST(PssMessages, HostPorts) {
  auto v = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    ports: [{hostPort: 0}]
  - name: b
    ports: [{hostPort: 0}, {hostPort: 10}, {hostPort: 20}]
  - name: c
    ports: [{hostPort: 0}, {hostPort: 10}, {hostPort: 30}]
)",
                PssLevel::kBaseline, "latest");
  const PssViolation* p = find(v, "hostPorts");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->reason, "hostPort");
  EXPECT_EQ(p->detail, R"(containers "b", "c" use hostPorts 10, 20, 30)");
  ASSERT_EQ(p->fields.size(), 4u);
  EXPECT_EQ(p->fields[0].path, "spec.containers[1].ports[1].hostPort");
  EXPECT_EQ(p->fields[0].node->mark().line, 8u);

  v = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: b
    ports: [{hostPort: 0}, {hostPort: 20}]
)",
           PssLevel::kBaseline, "latest");
  ASSERT_TRUE(find(v, "hostPorts"));
  EXPECT_EQ(find(v, "hostPorts")->detail, R"(container "b" uses hostPort 20)");
}

TEST(PssMessages, CapabilitiesRestricted) {
  auto v = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    securityContext: {capabilities: {add: [FOO, BAR]}}
  - name: b
    securityContext: {capabilities: {add: [BAR, BAZ]}}
  - name: c
    securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN], drop: [ALL, FOO]}}
)",
                PssLevel::kRestricted, "latest");
  const PssViolation* p = find(v, "capabilities_restricted");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->reason, "unrestricted capabilities");
  EXPECT_EQ(p->detail,
            R"(containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; )"
            R"(containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in )"
            "securityContext.capabilities.add");
  EXPECT_FALSE(find(v, "capabilities_baseline"));  // overridden at restricted
  auto b = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    securityContext: {capabilities: {add: [FOO, BAR]}}
  - name: b
    securityContext: {capabilities: {add: [BAR, BAZ]}}
)",
                PssLevel::kBaseline, "latest");
  ASSERT_TRUE(find(b, "capabilities_baseline"));
  EXPECT_EQ(find(b, "capabilities_baseline")->detail,
            R"(containers "a", "b" must not include "BAR", "BAZ", "FOO" in )"
            "securityContext.capabilities.add");
  // Before v1.22 restricted has no capabilities_restricted: the baseline check runs.
  auto old = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    securityContext: {capabilities: {add: [FOO]}}
)",
                  PssLevel::kRestricted, "v1.21");
  EXPECT_TRUE(find(old, "capabilities_baseline"));
  EXPECT_FALSE(find(old, "capabilities_restricted"));
}

TEST(PssMessages, SeLinuxOptions) {
  const std::string pod = R"(apiVersion: v1
kind: Pod
spec:
  securityContext:
    seLinuxOptions: {type: foo, user: bar, role: baz}
  containers:
  - {name: a, securityContext: {seLinuxOptions: {type: container_t}}}
  - {name: b, securityContext: {seLinuxOptions: {type: container_init_t}}}
  - {name: c, securityContext: {seLinuxOptions: {type: container_kvm_t}}}
  - {name: d, securityContext: {seLinuxOptions: {type: container_engine_t}}}
  - {name: e, securityContext: {seLinuxOptions: {type: bar}}}
  - {name: f, securityContext: {seLinuxOptions: {user: bar}}}
  - {name: g, securityContext: {seLinuxOptions: {role: baz}}}
)";
  auto v = eval(pod, PssLevel::kBaseline, "v1.31");
  ASSERT_TRUE(find(v, "seLinuxOptions"));
  EXPECT_EQ(find(v, "seLinuxOptions")->detail,
            R"(pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: )"
            R"(types "bar", "foo"; user may not be set; role may not be set)");
  // container_engine_t is allowed only from v1.31.
  v = eval(pod, PssLevel::kBaseline, "v1.30");
  ASSERT_TRUE(find(v, "seLinuxOptions"));
  EXPECT_EQ(
      find(v, "seLinuxOptions")->detail,
      R"(pod and containers "d", "e", "f", "g" set forbidden securityContext.seLinuxOptions: )"
      R"(types "bar", "container_engine_t", "foo"; user may not be set; role may not be set)");
}

TEST(PssMessages, AppArmorAnnotations) {
  auto v = eval(R"(apiVersion: v1
kind: Pod
metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/: bogus
    container.apparmor.security.beta.kubernetes.io/a: ""
    container.apparmor.security.beta.kubernetes.io/b: runtime/default
    container.apparmor.security.beta.kubernetes.io/c: localhost/
    container.apparmor.security.beta.kubernetes.io/d: localhost/foo
    container.apparmor.security.beta.kubernetes.io/e: unconfined
    container.apparmor.security.beta.kubernetes.io/f: unknown
spec:
  containers: [{name: a}]
)",
                PssLevel::kBaseline, "latest");
  const PssViolation* p = find(v, "appArmorProfile");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->reason, "forbidden AppArmor profiles");
  EXPECT_EQ(p->detail, R"(annotations must not set AppArmor profile type to )"
                       R"("container.apparmor.security.beta.kubernetes.io/="bogus"", )"
                       R"("container.apparmor.security.beta.kubernetes.io/e="unconfined"", )"
                       R"("container.apparmor.security.beta.kubernetes.io/f="unknown"")");
  EXPECT_EQ(p->fields.size(), 3u);

  v = eval(R"(apiVersion: v1
kind: Pod
spec:
  securityContext: {appArmorProfile: {type: Unconfined}}
  initContainers: [{name: bar, securityContext: {appArmorProfile: {type: Unconfined}}}]
  containers: [{name: foo, securityContext: {appArmorProfile: {type: RuntimeDefault}}}]
)",
           PssLevel::kBaseline, "latest");
  ASSERT_TRUE(find(v, "appArmorProfile"));
  EXPECT_EQ(find(v, "appArmorProfile")->reason, "forbidden AppArmor profile");
  EXPECT_EQ(find(v, "appArmorProfile")->detail,
            R"(pod and container "bar" must not set AppArmor profile type to "Unconfined")");
}

// Annotation values are quoted as Go's %q quotes them; ephemeral containers are visited last.
TEST(PssMessages, GoQuotingAndEphemeralContainers) {
  auto v = eval(R"(apiVersion: v1
kind: Pod
metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/a: "un\"conf\tined é \u00a0\x01"
spec:
  containers: [{name: a}]
  ephemeralContainers:
  - {name: debug, securityContext: {privileged: true, appArmorProfile: {type: Unconfined}}}
  initContainers:
  - {name: init, securityContext: {privileged: true}}
)",
                PssLevel::kBaseline, "latest");
  const PssViolation* p = find(v, "appArmorProfile");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->detail,
            "container \"debug\" and annotation must not set AppArmor profile type to "
            "\"Unconfined\", \"container.apparmor.security.beta.kubernetes.io/a="
            "\"un\\\"conf\\tined \xc3\xa9 \\u00a0\\x01\"\"");
  EXPECT_EQ(p->reason, "forbidden AppArmor profiles");
  ASSERT_TRUE(find(v, "privileged"));
  EXPECT_EQ(find(v, "privileged")->detail,
            R"(containers "init", "debug" must not set securityContext.privileged=true)");
  EXPECT_EQ(find(v, "privileged")->fields[1].path,
            "spec.ephemeralContainers[0].securityContext.privileged");
}

TEST(PssMessages, RestrictedVolumes) {
  std::string yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a}]\n  volumes:\n";
  for (std::string_view ok : {"emptyDir", "secret", "persistentVolumeClaim", "downwardAPI",
                              "configMap", "projected", "csi", "ephemeral", "image"})
    yaml += "  - {name: ok-" + std::string(ok) + ", " + std::string(ok) + ": {}}\n";
  int i = 0;
  for (std::string_view bad : {"hostPath",
                               "gcePersistentDisk",
                               "awsElasticBlockStore",
                               "gitRepo",
                               "nfs",
                               "iscsi",
                               "glusterfs",
                               "rbd",
                               "flexVolume",
                               "cinder",
                               "cephfs",
                               "flocker",
                               "fc",
                               "azureFile",
                               "vsphereVolume",
                               "quobyte",
                               "azureDisk",
                               "photonPersistentDisk",
                               "portworxVolume",
                               "scaleIO",
                               "storageos"})
    yaml += "  - {name: b" + std::to_string(++i) + ", " + std::string(bad) + ": {}}\n";
  // PSA's own unit test expects "unknown" for a volume without a source; at admission the API
  // server has already defaulted it to emptyDir, so it passes (as the conformance fixtures say).
  yaml += "  - {name: c1}\n";
  auto v = eval(yaml, PssLevel::kRestricted, "latest");
  const PssViolation* p = find(v, "restrictedVolumes");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->reason, "restricted volume types");
  EXPECT_EQ(p->detail,
            R"(volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", )"
            R"("b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21" use restricted )"
            R"(volume types "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", )"
            R"("fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", )"
            R"("hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", )"
            R"("rbd", "scaleIO", "storageos", "vsphereVolume")");
  EXPECT_EQ(p->fields.front().path, "spec.volumes[9].hostPath");
  EXPECT_FALSE(find(v, "hostPathVolumes"));  // overridden at restricted
}

TEST(PssMessages, RunAsNonRootAndFields) {
  auto v = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
  - name: b
    securityContext: {allowPrivilegeEscalation: false}
)",
                PssLevel::kRestricted, "latest");
  const PssViolation* p = find(v, "runAsNonRoot");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->reason, "runAsNonRoot != true");
  EXPECT_EQ(p->detail, R"(pod or containers "a", "b" must set securityContext.runAsNonRoot=true)");
  ASSERT_EQ(p->fields.size(), 2u);
  EXPECT_EQ(p->fields[0].path, "spec.containers[0]");
  EXPECT_EQ(p->fields[1].path, "spec.containers[1].securityContext");

  v = eval(R"(apiVersion: v1
kind: Pod
spec:
  securityContext: {runAsNonRoot: false}
  containers:
  - {name: a}
  - {name: c, securityContext: {runAsNonRoot: false}}
  - {name: d, securityContext: {runAsNonRoot: false}}
)",
           PssLevel::kRestricted, "latest");
  p = find(v, "runAsNonRoot");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->detail,
            R"(pod and containers "c", "d" must not set securityContext.runAsNonRoot=false)");
  ASSERT_EQ(p->fields.size(), 3u);
  EXPECT_EQ(p->fields[0].path, "spec.securityContext.runAsNonRoot");
}

TEST(PssMessages, SeccompAndSysctlsAndOthers) {
  auto v = eval(R"(apiVersion: v1
kind: Pod
metadata:
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
    container.seccomp.security.alpha.kubernetes.io/a: unconfined
    container.seccomp.security.alpha.kubernetes.io/b: unknown
spec:
  containers: [{name: a}, {name: b}]
)",
                PssLevel::kBaseline, "v1.18");
  ASSERT_TRUE(find(v, "seccompProfile_baseline"));
  EXPECT_EQ(
      find(v, "seccompProfile_baseline")->detail,
      R"(forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", )"
      R"(container.seccomp.security.alpha.kubernetes.io/b="unknown", )"
      R"(seccomp.security.alpha.kubernetes.io/pod="unconfined")");
  // From v1.19 the annotations are ignored.
  EXPECT_TRUE(eval(R"(apiVersion: v1
kind: Pod
metadata: {annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}}
spec: {containers: [{name: a}]}
)",
                   PssLevel::kBaseline, "v1.19")
                  .empty());

  v = eval(R"(apiVersion: v1
kind: Pod
spec:
  securityContext: {seccompProfile: {type: Unconfined}}
  containers:
  - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}
  - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}
)",
           PssLevel::kBaseline, "latest");
  ASSERT_TRUE(find(v, "seccompProfile_baseline"));
  EXPECT_EQ(
      find(v, "seccompProfile_baseline")->detail,
      R"(pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined")");

  v = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers: [{name: a}, {name: b}]
)",
           PssLevel::kRestricted, "latest");
  ASSERT_TRUE(find(v, "seccompProfile_restricted"));
  EXPECT_EQ(find(v, "seccompProfile_restricted")->detail,
            R"(pod or containers "a", "b" must set securityContext.seccompProfile.type to )"
            R"("RuntimeDefault" or "Localhost")");

  v = eval(R"(apiVersion: v1
kind: Pod
spec:
  hostNetwork: true
  hostPID: true
  hostIPC: true
  securityContext:
    sysctls: [{name: a, value: "1"}, {name: b, value: "2"}]
    windowsOptions: {hostProcess: true}
  containers:
  - {name: d, securityContext: {privileged: true, windowsOptions: {hostProcess: true}}}
  - {name: e, securityContext: {privileged: true, windowsOptions: {hostProcess: true}}}
  - {name: f, securityContext: {privileged: false, procMount: Unmasked}}
)",
           PssLevel::kBaseline, "latest");
  EXPECT_EQ(find(v, "hostNamespaces")->detail, "hostNetwork=true, hostPID=true, hostIPC=true");
  EXPECT_EQ(find(v, "sysctls")->detail, "a, b");
  EXPECT_EQ(
      find(v, "windowsHostProcess")->detail,
      R"(pod and containers "d", "e" must not set securityContext.windowsOptions.hostProcess=true)");
  EXPECT_EQ(find(v, "privileged")->detail,
            R"(containers "d", "e" must not set securityContext.privileged=true)");
  EXPECT_EQ(find(v, "procMount")->detail,
            R"(container "f" must not set securityContext.procMount to "Unmasked")");
  EXPECT_EQ(find(v, "privileged")->fields[0].path, "spec.containers[0].securityContext.privileged");
  // Baseline order: Go byte order of the ids.
  EXPECT_EQ(ids(v), (std::vector<std::string>{"hostNamespaces", "privileged", "procMount",
                                              "sysctls", "windowsHostProcess"}));
  EXPECT_EQ(pss_message(v, PssLevel::kBaseline, PssVersion{}),
            R"(violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true, )"
            R"(hostPID=true, hostIPC=true), privileged (containers "d", "e" must not set )"
            R"(securityContext.privileged=true), procMount (container "f" must not set )"
            R"(securityContext.procMount to "Unmasked"), forbidden sysctls (a, b), hostProcess )"
            R"((pod and containers "d", "e" must not set )"
            R"(securityContext.windowsOptions.hostProcess=true))");
}

TEST(PssMessages, HostProbes) {
  const std::string pod = R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: invalid2
    livenessProbe: {httpGet: {host: b.com, port: 80}}
    readinessProbe: {tcpSocket: {host: a.com, port: 80}}
  - name: invalid1
    lifecycle: {preStop: {httpGet: {host: a.com, port: 80}}}
  - name: fine
    startupProbe: {httpGet: {host: "", port: 80}}
)";
  auto v = eval(pod, PssLevel::kBaseline, "v1.34");
  ASSERT_TRUE(find(v, "hostProbesAndHostLifecycle"));
  EXPECT_EQ(find(v, "hostProbesAndHostLifecycle")->detail,
            R"(containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com")");
  EXPECT_TRUE(eval(pod, PssLevel::kBaseline, "v1.33").empty());
}

// ---- Versions the corpus holds out ------------------------------------------------------------

TEST(PssVersions, SyntheticPods) {
  // allowPrivilegeEscalation exists from v1.8; runAsUser from v1.23.
  const std::string root_pod = R"(apiVersion: v1
kind: Pod
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: a
    securityContext: {capabilities: {drop: [ALL]}}
)";
  EXPECT_EQ(ids(eval(root_pod, PssLevel::kRestricted, "v1.2")), std::vector<std::string>{});
  EXPECT_EQ(ids(eval(root_pod, PssLevel::kRestricted, "v1.8")),
            std::vector<std::string>{"allowPrivilegeEscalation"});
  EXPECT_EQ(ids(eval(root_pod, PssLevel::kRestricted, "v1.26")),
            (std::vector<std::string>{"allowPrivilegeEscalation", "runAsUser"}));
  EXPECT_EQ(ids(eval(root_pod, PssLevel::kRestricted, "v1.33")),
            (std::vector<std::string>{"allowPrivilegeEscalation", "runAsUser"}));

  // User namespaces relax runAsNonRoot, runAsUser and (baseline) procMount from v1.35.
  const std::string userns = R"(apiVersion: v1
kind: Pod
spec:
  hostUsers: false
  securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: a
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
      procMount: Unmasked
)";
  EXPECT_EQ(ids(eval(userns, PssLevel::kRestricted, "v1.34")),
            (std::vector<std::string>{"procMount", "runAsNonRoot", "runAsUser"}));
  EXPECT_EQ(ids(eval(userns, PssLevel::kRestricted, "v1.36")),
            std::vector<std::string>{"procMount_restricted"});
  EXPECT_TRUE(eval(userns, PssLevel::kBaseline, "v1.36").empty());
  EXPECT_EQ(ids(eval(userns, PssLevel::kBaseline, "v1.33")), std::vector<std::string>{"procMount"});

  // Windows pods skip the Linux-only restricted checks from v1.25.
  const std::string windows = R"(apiVersion: v1
kind: Pod
spec:
  os: {name: windows}
  securityContext: {runAsNonRoot: true}
  containers: [{name: a}]
)";
  EXPECT_EQ(ids(eval(windows, PssLevel::kRestricted, "v1.24")),
            (std::vector<std::string>{"allowPrivilegeEscalation", "capabilities_restricted",
                                      "seccompProfile_restricted"}));
  EXPECT_TRUE(eval(windows, PssLevel::kRestricted, "v1.26").empty());

  // Safe sysctls by version; versions past the newest evaluate as the newest.
  auto sysctl = [](std::string_view name) {
    return "apiVersion: v1\nkind: Pod\nspec:\n  securityContext:\n    sysctls: [{name: " +
           std::string(name) + ", value: \"1\"}]\n  containers: [{name: a}]\n";
  };
  EXPECT_FALSE(
      eval(sysctl("net.ipv4.ip_local_reserved_ports"), PssLevel::kBaseline, "v1.26").empty());
  EXPECT_TRUE(
      eval(sysctl("net.ipv4.ip_local_reserved_ports"), PssLevel::kBaseline, "v1.27").empty());
  EXPECT_FALSE(eval(sysctl("net.ipv4.tcp_fin_timeout"), PssLevel::kBaseline, "v1.28").empty());
  EXPECT_TRUE(eval(sysctl("net.ipv4.tcp_fin_timeout"), PssLevel::kBaseline, "v1.29").empty());
  EXPECT_FALSE(eval(sysctl("net.ipv4.tcp_wmem"), PssLevel::kBaseline, "v1.31").empty());
  EXPECT_TRUE(eval(sysctl("net.ipv4.tcp_wmem"), PssLevel::kBaseline, "v1.33").empty());
  EXPECT_FALSE(eval(sysctl("net.ipv4.tcp_notsent_lowat"), PssLevel::kBaseline, "v1.36").empty());
  EXPECT_TRUE(eval(sysctl("net.ipv4.tcp_notsent_lowat"), PssLevel::kBaseline, "v1.37").empty());
  EXPECT_TRUE(eval(sysctl("net.ipv4.tcp_notsent_lowat"), PssLevel::kBaseline, "v1.99").empty());
  EXPECT_TRUE(eval(sysctl("net.ipv4.tcp_notsent_lowat"), PssLevel::kBaseline, "latest").empty());
  EXPECT_FALSE(eval(sysctl("kernel.msgmax"), PssLevel::kBaseline, "v1.99").empty());

  // The message keeps the version as labelled.
  auto v = eval(sysctl("kernel.msgmax"), PssLevel::kBaseline, "v1.99");
  EXPECT_EQ(pss_message(v, PssLevel::kBaseline, version("v1.99")),
            R"(violates PodSecurity "baseline:v1.99": forbidden sysctls (kernel.msgmax))");
  // Privileged allows everything.
  EXPECT_TRUE(eval(sysctl("kernel.msgmax"), PssLevel::kPrivileged, "latest").empty());
}

TEST(PssVersions, WrongTypesAreUnset) {
  // A quoted "true" never decodes in Go: privileged is unset, allowPrivilegeEscalation missing.
  auto v = eval(R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    securityContext: {privileged: "true", allowPrivilegeEscalation: "false"}
)",
                PssLevel::kRestricted, "latest");
  EXPECT_FALSE(find(v, "privileged"));
  const PssViolation* p = find(v, "allowPrivilegeEscalation");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->fields.front().path, "spec.containers[0].securityContext.allowPrivilegeEscalation");
}

TEST(PssVersions, DeploymentPaths) {
  auto v = eval(R"(apiVersion: apps/v1
kind: Deployment
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/a: unconfined
    spec:
      containers:
      - name: a
        securityContext: {privileged: true}
)",
                PssLevel::kBaseline, "latest");
  ASSERT_TRUE(find(v, "privileged"));
  EXPECT_EQ(find(v, "privileged")->fields[0].path,
            "spec.template.spec.containers[0].securityContext.privileged");
  ASSERT_TRUE(find(v, "appArmorProfile"));
  EXPECT_EQ(find(v, "appArmorProfile")->fields[0].node->mark().line, 7u);
}

// ---- Controls and parsing ---------------------------------------------------------------------

TEST(PssControls, Table) {
  auto controls = pss_controls();
  ASSERT_EQ(controls.size(), 19u);
  EXPECT_EQ(controls.front().check, "appArmorProfile");
  EXPECT_EQ(controls[11].check, "windowsHostProcess");
  EXPECT_EQ(controls[12].check, "allowPrivilegeEscalation");
  EXPECT_EQ(controls[12].first_minor, 8);
  EXPECT_EQ(controls.back().check, "seccompProfile_restricted");
  for (std::size_t i = 1; i < controls.size(); ++i) {
    if (controls[i].level != controls[i - 1].level) continue;
    EXPECT_LT(controls[i - 1].check, controls[i].check);  // Go byte order within a level
  }
}

TEST(PssParse, Level) {
  EXPECT_EQ(*parse_pss_level("privileged"), PssLevel::kPrivileged);
  EXPECT_EQ(*parse_pss_level("baseline"), PssLevel::kBaseline);
  EXPECT_EQ(*parse_pss_level("restricted"), PssLevel::kRestricted);
  for (std::string_view bad : {"", "Restricted", "restricted ", "base", "latest"}) {
    auto r = parse_pss_level(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kUsage);
  }
  EXPECT_EQ(to_string(PssLevel::kBaseline), "baseline");
}

TEST(PssParse, Version) {
  EXPECT_TRUE(parse_pss_version("latest")->latest);
  for (auto [text, minor] : {std::pair{"v1.0", 0}, std::pair{"v1.25", 25}, std::pair{"v1.99", 99},
                             std::pair{"v1.100", 100}}) {
    auto v = parse_pss_version(text);
    ASSERT_TRUE(v) << text;
    EXPECT_FALSE(v->latest);
    EXPECT_EQ(v->minor, minor);
    EXPECT_EQ(v->to_string(), text);
  }
  for (std::string_view bad : {"", "v1", "v1.", "1.25", "v2.0", "v1.025", "v1.00", "v1.2a", "v1.-1",
                               "Latest", "v1.25 ", "v1.99999999999999999999"}) {
    auto r = parse_pss_version(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kUsage);
  }
}

}  // namespace
}  // namespace mtr::kube
