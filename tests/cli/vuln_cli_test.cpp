// `db import|status|update`, `image scan` and `rescan` as users run them, against the real data
// in ../shared/corpus/vuln: the Debian 12 facts give exactly their expected findings in both
// forms, our findings equal an independent computation (tests/tools/debian_expected.py, which
// compares versions with dpkg itself), imports are idempotent and survive kill -9.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "support/test_support.h"
#include "tools/schema_validation.h"

namespace mtr::test {
namespace {

namespace fs = std::filesystem;
using Row = std::vector<std::string>;

fs::path vuln_corpus() { return corpus_dir() / "vuln"; }

std::set<Row> read_tsv(const std::string& text, bool skip_header) {
  std::set<Row> rows;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (std::exchange(first, false) && skip_header) continue;
    if (line.empty()) continue;
    Row row;
    std::size_t start = 0;
    while (true) {
      auto tab = line.find('\t', start);
      row.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.insert(std::move(row));
  }
  return rows;
}

// Our JSON findings as rows: binary, installed, source, source version, id, fixed.
std::set<Row> finding_rows(const std::string& json_text) {
  auto doc = nlohmann::json::parse(json_text);
  std::set<Row> rows;
  for (const auto& f : doc["findings"]) {
    const auto& p = f["properties"];
    auto get = [&p](const char* k) { return p.contains(k) ? p[k].get<std::string>() : ""; };
    std::string source = get("source_package").empty() ? get("package") : get("source_package");
    std::string source_version =
        get("source_version").empty() ? get("installed_version") : get("source_version");
    rows.insert({get("package"), get("installed_version"), source, source_version,
                 f["id"].get<std::string>(), get("fixed_version")});
  }
  return rows;
}

std::string dump(const std::set<Row>& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) out += (i ? "\t" : "") + r[i];
    out += "\n";
  }
  return out;
}

CommandResult import(const fs::path& db, const fs::path& from) {
  return run_matryoshka({"db", "import", "--db", db.string(), "--from", from.string(), "-q"});
}

CommandResult scan_json(const fs::path& db, const std::string& image,
                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"image",     "scan",       image,      "--db",
                                   db.string(), "--no-cache", "--format", "json",
                                   "-q",        "--scanners", "vuln"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_matryoshka(args);
}

TEST(VulnCli, HelpExplainsTheCommands) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"image", "scan", "--help"},
                                                                {"db", "--help"},
                                                                {"db", "import", "--help"},
                                                                {"db", "update", "--help"},
                                                                {"db", "status", "--help"},
                                                                {"rescan", "--help"}}) {
    auto r = run_matryoshka(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
  auto scan = run_matryoshka({"image", "scan", "--help"});
  for (const char* word : {"--fail-on", "--severity", "--ignore-file", "--vex", "--ignore-unfixed",
                           "--include-unimportant", "--db", "cyclonedx", "sarif"}) {
    EXPECT_NE(scan.out.find(word), std::string::npos) << word;
  }
}

TEST(VulnCli, ScanWithoutDatabaseSaysWhatToDo) {
  TempDir dir;
  auto r = run_matryoshka(
      {"image", "scan", "dir:/nonexistent", "--db", (dir.path() / "none.db").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("db update"), std::string::npos) << r.err;
}

// Acceptance 3: the Debian 12 facts, as tracker JSON and as OSV, give exactly the expected
// findings for the minbase database, one per binary package.
TEST(VulnCli, DebianDerivedFactsGiveExactlyTheExpectedFindings) {
  MTR_REQUIRE_CORPUS();
  const auto derived = vuln_corpus() / "debian-derived";
  const auto expected =
      read_tsv(read_file(derived / "expected" / "expected-findings.tsv"), /*skip_header=*/true);
  ASSERT_EQ(expected.size(), 16u);
  const std::string root = "dir:" + (vuln_corpus() / "pkgdb" / "debian-12-minbase").string();
  for (const char* form : {"tracker.json", "osv"}) {
    TempDir dir;
    auto db = dir.path() / "v.db";
    auto imported = import(db, derived / form);
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    auto r = scan_json(db, root);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(dump(finding_rows(r.out)), dump(expected)) << form;
  }
}

// Acceptance 3: every Debian package database in the corpus, against every tracker document in
// the corpus, gives what the independent script computes with dpkg --compare-versions.
TEST(VulnCli, DebianFindingsEqualAnIndependentComputation) {
  MTR_REQUIRE_CORPUS();
  const auto script = fs::path(MTR_SOURCE_DIR) / "tests" / "tools" / "debian_expected.py";
  std::vector<fs::path> data = {
      vuln_corpus() / "debian-derived" / "tracker.json", vuln_corpus() / "debian-derived" / "osv",
      vuln_corpus() / "debian-tracker" / "json" / "vunnel-subset" / "debian.json",
      vuln_corpus() / "debian-tracker" / "json" / "osv.dev-subset" /
          "debian_security_tracker_mock.json"};
  std::vector<std::pair<std::string, std::string>> roots = {
      {"debian-11-minbase", "11"}, {"debian-12-minbase", "12"}, {"debian-13-minbase", "13"}};
  int compared = 0;
  for (const auto& d : data) {
    TempDir dir;
    auto db = dir.path() / "v.db";
    auto imported = import(db, d);
    ASSERT_EQ(imported.exit_code, 0) << d << imported.err;
    for (const auto& [root, release] : roots) {
      auto root_dir = vuln_corpus() / "pkgdb" / root;
      auto ours = scan_json(db, "dir:" + root_dir.string());
      ASSERT_EQ(ours.exit_code, 0) << ours.err;
      auto theirs = run_command({"python3", script.string(),
                                 (root_dir / "var" / "lib" / "dpkg" / "status").string(),
                                 d.string(), release});
      ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
      EXPECT_EQ(dump(finding_rows(ours.out)), dump(read_tsv(theirs.out, false)))
          << d << " on " << root;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 12);
}

// Acceptance 2: all the corpus data imports without error, and importing again changes nothing.
TEST(VulnCli, AllCorpusDataImportsIdempotently) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  auto db = dir.path() / "v.db";
  std::vector<fs::path> inputs = {vuln_corpus() / "osv", vuln_corpus() / "debian-tracker" / "json",
                                  vuln_corpus() / "alpine-secdb", vuln_corpus() / "debian-derived"};
  auto status = [&db]() {
    auto r = run_matryoshka({"db", "status", "--db", db.string(), "--format", "json", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    std::string counts;
    for (const auto& s : j["sources"]) {
      counts += s["name"].get<std::string>() + " " + std::to_string(s["advisories"].get<int>()) +
                " " + std::to_string(s["affected"].get<int>()) + "\n";
    }
    return counts;
  };
  for (const auto& in : inputs) {
    auto r = import(db, in);
    ASSERT_EQ(r.exit_code, 0) << in << ": " << r.err;
  }
  auto first = status();
  for (const auto& in : inputs) ASSERT_EQ(import(db, in).exit_code, 0);
  EXPECT_EQ(status(), first);
  // Real volumes: thousands of records from the OSV folders alone.
  auto j = nlohmann::json::parse(
      run_matryoshka({"db", "status", "--db", db.string(), "--format", "json"}).out);
  EXPECT_GT(j["advisories"].get<int>(), 10000);
  EXPECT_GT(j["affected"].get<int>(), 10000);
}

// Acceptance 2: kill -9 at any point of an import or update leaves the previous database
// working.
TEST(VulnCli, KillDuringImportOrUpdateLeavesThePreviousDatabase) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  auto db = dir.path() / "v.db";
  const auto small = vuln_corpus() / "debian-derived" / "tracker.json";
  ASSERT_EQ(run_matryoshka({"db", "import", "--db", db.string(), "--from", small.string(),
                            "--source", "big", "-q"})
                .exit_code,
            0);
  const std::string root = "dir:" + (vuln_corpus() / "pkgdb" / "debian-12-minbase").string();
  auto baseline = scan_json(db, root, {"--no-store"});
  ASSERT_EQ(baseline.exit_code, 0) << baseline.err;
  ASSERT_EQ(finding_rows(baseline.out).size(), 16u);

  const fs::path binary = MTR_BINARY;
  int killed_mid_import = 0;
  int round = 0;
  for (int delay_ms : {5, 20, 50, 100, 200, 400, 800, 30, 150, 600}) {
    const bool update = round++ % 2 == 1;  // alternate `db import` and `db update`
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Replace source "big" with all OSV data: a long single transaction.
      std::string from = (vuln_corpus() / "osv").string();
      std::string source = "big=" + from;
      if (update) {
        execl(binary.c_str(), "matryoshka", "db", "update", "--db", db.c_str(), "--only", "big",
              "--source", source.c_str(), "-q", static_cast<char*>(nullptr));
      } else {
        execl(binary.c_str(), "matryoshka", "db", "import", "--db", db.c_str(), "--from",
              from.c_str(), "--source", "big", "-q", static_cast<char*>(nullptr));
      }
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ++killed_mid_import;
      // The previous content is intact and usable.
      auto after = scan_json(db, root, {"--no-store"});
      ASSERT_EQ(after.exit_code, 0) << delay_ms << "ms: " << after.err;
      EXPECT_EQ(finding_rows(after.out), finding_rows(baseline.out)) << delay_ms << "ms";
      auto st = run_matryoshka({"db", "status", "--db", db.string(), "-q"});
      EXPECT_EQ(st.exit_code, 0) << st.err;
    } else {
      // Finished before the kill: the new content is complete (OSV has no Debian:12 facts).
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      ASSERT_EQ(import(db, small).exit_code, 0);
      ASSERT_EQ(run_matryoshka({"db", "import", "--db", db.string(), "--from", small.string(),
                                "--source", "big", "-q"})
                    .exit_code,
                0);
    }
  }
  EXPECT_GT(killed_mid_import, 0);
}

TEST(VulnCli, UpdateFromLocalMirrorsAndStatus) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  auto db = dir.path() / "v.db";
  auto tracker = (vuln_corpus() / "debian-derived" / "tracker.json").string();
  auto r = run_matryoshka({"db", "update", "--db", db.string(), "--only", "debian-tracker",
                           "--source", "debian-tracker=" + tracker, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto st = run_matryoshka({"db", "status", "--db", db.string(), "--format", "json"});
  ASSERT_EQ(st.exit_code, 0) << st.err;
  auto j = nlohmann::json::parse(st.out);
  ASSERT_EQ(j["sources"].size(), 1u);
  EXPECT_EQ(j["sources"][0]["name"], "debian-tracker");
  EXPECT_EQ(j["sources"][0]["sha256"].get<std::string>().substr(0, 7), "sha256:");
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_FALSE(j.contains("warning"));
  // An unknown source name is a usage error; a missing file keeps the old data, exit 2.
  EXPECT_EQ(run_matryoshka({"db", "update", "--db", db.string(), "--only", "nope"}).exit_code, 2);
  auto missing = run_matryoshka({"db", "update", "--db", db.string(), "--only", "debian-tracker",
                                 "--source", "debian-tracker=/nonexistent/x.json"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("previous data kept"), std::string::npos) << missing.err;
  EXPECT_EQ(run_matryoshka({"db", "status", "--db", db.string(), "--format", "json"}).exit_code, 0);
  auto list = run_matryoshka({"db", "update", "--list"});
  EXPECT_NE(list.out.find("security-tracker.debian.org"), std::string::npos);
  EXPECT_NE(list.out.find("osv-PyPI"), std::string::npos);
}

TEST(VulnCli, PolicyFlagsAndExitCodes) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  auto db = dir.path() / "v.db";
  ASSERT_EQ(import(db, vuln_corpus() / "debian-derived" / "tracker.json").exit_code, 0);
  const std::string root = "dir:" + (vuln_corpus() / "pkgdb" / "debian-12-minbase").string();
  auto fail_high = run_matryoshka({"image", "scan", root, "--db", db.string(), "--no-cache",
                                   "--fail-on", "high", "-q", "--scanners", "vuln"});
  EXPECT_EQ(fail_high.exit_code, 1) << fail_high.err;
  EXPECT_NE(fail_high.out.find("perl-base"), std::string::npos);
  auto critical = run_matryoshka({"image", "scan", root, "--db", db.string(), "--no-cache",
                                  "--fail-on", "critical", "-q", "--scanners", "vuln"});
  EXPECT_EQ(critical.exit_code, 0);

  auto medium = scan_json(db, root, {"--severity", "medium"});
  EXPECT_EQ(finding_rows(medium.out).size(), 2u);  // apt and libapt-pkg6.0

  auto ignore = dir.path() / "ignore";
  write_file(ignore,
             "CVE-2026-109518\n# perl: accepted until the next point release\n"
             "CVE-2025-15649 perl-base exp:2999-01-01\n");
  auto ignored = scan_json(db, root, {"--ignore-file", ignore.string()});
  EXPECT_EQ(finding_rows(ignored.out).size(), 13u);

  auto vex = dir.path() / "vex.json";
  write_file(vex, R"({
    "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
    "author": "test", "timestamp": "2026-11-01T00:00:00Z", "version": 1,
    "statements": [{"vulnerability": {"name": "CVE-2026-103111"},
                    "products": [{"@id": "pkg:deb/debian/libpcre2-8-0"}],
                    "status": "not_affected",
                    "justification": "vulnerable_code_not_in_execute_path"}]})");
  auto vexed = scan_json(db, root, {"--vex", vex.string()});
  ASSERT_EQ(vexed.exit_code, 0) << vexed.err;
  EXPECT_EQ(finding_rows(vexed.out).size(), 15u);

  auto bad = run_matryoshka({"image", "scan", root, "--db", db.string(), "--severity", "huge"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(VulnCli, SarifAndCycloneDxReportsAreValid) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  auto db = dir.path() / "v.db";
  ASSERT_EQ(import(db, vuln_corpus() / "debian-derived" / "tracker.json").exit_code, 0);
  const std::string root = "dir:" + (vuln_corpus() / "pkgdb" / "debian-12-minbase").string();
  auto cdx = dir.path() / "bom.cdx.json";
  auto r = run_matryoshka({"image", "scan", root, "--db", db.string(), "--no-cache", "--format",
                           "cyclonedx", "--output", cdx.string(), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(read_file(cdx));
  ASSERT_TRUE(doc.contains("vulnerabilities"));
  EXPECT_EQ(doc["vulnerabilities"].size(), 15u);  // 16 findings, CVE-2026-109518 in 2 packages
  std::set<std::string> refs;
  for (const auto& c : doc["components"]) refs.insert(c["bom-ref"].get<std::string>());
  for (const auto& v : doc["vulnerabilities"]) {
    ASSERT_FALSE(v["affects"].empty()) << v["id"];
    for (const auto& a : v["affects"]) EXPECT_TRUE(refs.count(a["ref"].get<std::string>()));
    EXPECT_FALSE(v["ratings"].empty());
    EXPECT_TRUE(v.contains("analysis"));
  }
  if (!find_schema("bom-1.5.schema.json").empty()) {
    auto valid = validate_json("bom-1.5.schema.json", cdx);
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  }
  auto sarif = dir.path() / "out.sarif";
  r = run_matryoshka({"image", "scan", root, "--db", db.string(), "--no-cache", "--format", "sarif",
                      "--output", sarif.string(), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  if (!find_schema("sarif-2.1.0-rtm.5.json").empty()) {
    auto valid = validate_json("sarif-2.1.0-rtm.5.json", sarif);
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  }
}

TEST(VulnCli, RescanReportsOnlyWhatIsNew) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  auto db = dir.path() / "v.db";
  const auto derived = vuln_corpus() / "debian-derived";
  // Start with a database that knows nothing about Debian 12, then scan (stores the inventory).
  ASSERT_EQ(import(db, vuln_corpus() / "alpine-secdb").exit_code, 0);
  const std::string root = "dir:" + (vuln_corpus() / "pkgdb" / "debian-12-minbase").string();
  auto first = scan_json(db, root);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(finding_rows(first.out).empty());

  // New data arrives: rescan reports the 16 findings without reading the image.
  ASSERT_EQ(import(db, derived / "tracker.json").exit_code, 0);
  auto rescan = run_matryoshka({"rescan", "--db", db.string(), "--format", "json"});
  ASSERT_EQ(rescan.exit_code, 0) << rescan.err;
  EXPECT_EQ(finding_rows(rescan.out).size(), 16u);
  EXPECT_NE(rescan.err.find("16 new"), std::string::npos) << rescan.err;
  // Nothing changed since: nothing new; --all shows them again.
  auto again = run_matryoshka({"rescan", "--db", db.string(), "--format", "json", "-q"});
  EXPECT_TRUE(finding_rows(again.out).empty());
  auto all = run_matryoshka({"rescan", "--db", db.string(), "--format", "json", "--all", "-q"});
  EXPECT_EQ(finding_rows(all.out).size(), 16u);
  auto fail = run_matryoshka({"rescan", "--db", db.string(), "--all", "--fail-on", "high", "-q"});
  EXPECT_EQ(fail.exit_code, 1);
}

}  // namespace
}  // namespace mtr::test

namespace mtr::test {
namespace {

// Acceptance 3 for language packages: a root with two installed versions of every PyPI project
// the corpus has records for; our findings must equal what tests/tools/pypi_expected.py computes
// from the same records with python3-packaging (none missing, none extra).
TEST(VulnCli, PypiFindingsEqualAnIndependentComputation) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  auto root = dir.path() / "root";
  const auto records = corpus_dir() / "vuln" / "osv" / "pypi";
  int planted = 0;
  for (const auto& project : fs::directory_iterator(records)) {
    if (!project.is_directory()) continue;
    const std::string name = project.path().filename().string();
    for (const auto& [where, version] : std::vector<std::pair<const char*, const char*>>{
             {"usr/lib/python3/dist-packages", "0.9"},
             {"usr/local/lib/python3.11/site-packages", "2.0.1"}}) {
      auto info = root / where / (name + "-" + version + ".dist-info");
      fs::create_directories(info);
      write_file(info / "METADATA",
                 "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n\n");
      ++planted;
    }
  }
  ASSERT_GT(planted, 500);
  auto db = dir.path() / "v.db";
  ASSERT_EQ(import(db, records).exit_code, 0);
  auto ours = scan_json(db, "dir:" + root.string());
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  std::set<Row> our_rows;
  const auto doc = nlohmann::json::parse(ours.out);
  for (const auto& f : doc["findings"]) {
    our_rows.insert({f["properties"]["package"].get<std::string>(),
                     f["properties"]["installed_version"].get<std::string>(),
                     f["id"].get<std::string>()});
  }
  const auto script = fs::path(MTR_SOURCE_DIR) / "tests" / "tools" / "pypi_expected.py";
  auto theirs = run_command({"/usr/bin/python3", script.string(), root.string(), records.string()});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  auto expected = read_tsv(theirs.out, false);
  EXPECT_GT(expected.size(), 500u);
  EXPECT_EQ(dump(our_rows), dump(expected)) << ours.err;
}

}  // namespace
}  // namespace mtr::test

namespace mtr::test {
namespace {

// Downloads resume: the first transfer is cut halfway (the server drops the connection), the
// import fails and keeps the partial file; the next run asks for the rest with a Range request,
// checks the whole and imports it.
TEST(VulnCli, InterruptedDownloadResumes) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  const auto data = corpus_dir() / "vuln" / "debian-derived" / "tracker.json";
  const auto size = fs::file_size(data);
  const auto port_file = dir.path() / "port";
  const auto log_file = dir.path() / "requests.log";
  const auto script = fs::path(MTR_SOURCE_DIR) / "tests" / "tools" / "range_server.py";
  pid_t server = fork();
  ASSERT_GE(server, 0);
  if (server == 0) {
    execlp("python3", "python3", script.c_str(), data.c_str(), port_file.c_str(), log_file.c_str(),
           "--cut-after", std::to_string(size / 2).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  struct Stop {
    pid_t pid;
    ~Stop() {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  } stop{server};
  for (int i = 0; i < 200 && !fs::exists(port_file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(port_file)) << "range_server.py did not start";
  const std::string url = "http://127.0.0.1:" + read_file(port_file) + "/tracker.json";
  auto db = dir.path() / "db" / "v.db";

  auto first = run_matryoshka({"db", "import", "--db", db.string(), "--from", url, "-q"});
  EXPECT_EQ(first.exit_code, 2) << first.err;
  auto part = dir.path() / "db" / "downloads";
  bool has_part = false;
  for (const auto& e : fs::directory_iterator(part)) {
    if (e.path().extension() == ".part") {
      has_part = true;
      EXPECT_GT(fs::file_size(e.path()), 0u);
      EXPECT_LT(fs::file_size(e.path()), size);
    }
  }
  EXPECT_TRUE(has_part);

  auto second = run_matryoshka({"db", "import", "--db", db.string(), "--from", url, "-q"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(read_file(log_file).find("range=bytes=" + std::to_string(size / 2) + "-"),
            std::string::npos)
      << read_file(log_file);
  auto st = nlohmann::json::parse(
      run_matryoshka({"db", "status", "--db", db.string(), "--format", "json"}).out);
  ASSERT_EQ(st["sources"].size(), 1u);
  EXPECT_EQ(st["sources"][0]["affected"], 1505);
  auto sha = run_command({"sha256sum", data.string()});
  EXPECT_EQ(st["sources"][0]["sha256"].get<std::string>(), "sha256:" + sha.out.substr(0, 64));
}

}  // namespace
}  // namespace mtr::test

namespace mtr::test {
namespace {

// Acceptance 3 for Alpine: the real apk databases in the corpus (with an os-release naming their
// release beside them) against the Alpine secdb give what tests/tools/alpine_expected.py
// computes; that script's own apk ordering is first checked against the corpus vectors.
TEST(VulnCli, AlpineFindingsEqualAnIndependentComputation) {
  MTR_REQUIRE_CORPUS();
  const auto script = fs::path(MTR_SOURCE_DIR) / "tests" / "tools" / "alpine_expected.py";
  auto check = run_command({"/usr/bin/python3", script.string(), "--check",
                            (vuln_corpus() / "versions" / "apk.tsv").string()});
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;

  TempDir dir;
  auto db = dir.path() / "v.db";
  ASSERT_EQ(import(db, vuln_corpus() / "alpine-secdb").exit_code, 0);
  const auto secdb = vuln_corpus() / "alpine-secdb" / "alpinelinux-alpine-secdb";
  std::size_t total = 0;
  for (const char* release : {"3.4", "3.16"}) {
    auto root = dir.path() / release;
    fs::create_directories(root / "etc");
    fs::copy(vuln_corpus() / "pkgdb" / (std::string("alpine-") + release) / "lib", root / "lib",
             fs::copy_options::recursive);
    write_file(root / "etc" / "os-release",
               std::string("ID=alpine\nNAME=\"Alpine Linux\"\nVERSION_ID=") + release + ".0\n");
    std::vector<std::string> argv = {"/usr/bin/python3", script.string(),
                                     (root / "lib" / "apk" / "db" / "installed").string()};
    auto branch = secdb / (std::string("v") + release);
    if (fs::exists(branch)) {
      for (const auto& f : fs::directory_iterator(branch)) argv.push_back(f.path().string());
    }
    auto theirs = run_command(argv);
    ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
    auto ours = scan_json(db, "dir:" + root.string());
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    auto rows = finding_rows(ours.out);  // package, version, origin, origin version, id, fixed
    std::set<Row> ours5;
    for (const auto& r : rows) ours5.insert({r[0], r[1], r[2], r[4], r[5]});
    auto expected = read_tsv(theirs.out, false);
    EXPECT_EQ(dump(ours5), dump(expected)) << release;
    total += expected.size();
  }
  EXPECT_GT(total, 50u);  // Alpine 3.4's musl, busybox, zlib, openssl… have real secfixes
}

}  // namespace
}  // namespace mtr::test

namespace mtr::test {
namespace {

// The Ubuntu package databases in the corpus (with an os-release naming 18.04 beside them)
// against the corpus's Ubuntu OSV records, ESM/Pro ones included (they must not apply to a
// plain 18.04 image): the same as the independent computation.
TEST(VulnCli, UbuntuFindingsEqualAnIndependentComputation) {
  MTR_REQUIRE_CORPUS();
  const auto script = fs::path(MTR_SOURCE_DIR) / "tests" / "tools" / "debian_expected.py";
  TempDir dir;
  auto db = dir.path() / "v.db";
  const auto data = vuln_corpus() / "osv" / "ubuntu";
  ASSERT_EQ(import(db, data).exit_code, 0);
  for (const char* name : {"ubuntu-18.04", "ubuntu-18.04-texlive"}) {
    auto root = dir.path() / name;
    fs::create_directories(root / "etc");
    fs::copy(vuln_corpus() / "pkgdb" / name / "var", root / "var", fs::copy_options::recursive);
    write_file(root / "etc" / "os-release", "ID=ubuntu\nNAME=\"Ubuntu\"\nVERSION_ID=\"18.04\"\n");
    auto ours = scan_json(db, "dir:" + root.string());
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    auto theirs = run_command({"python3", script.string(),
                               (root / "var" / "lib" / "dpkg" / "status").string(), data.string(),
                               "ubuntu:18.04"});
    ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
    EXPECT_EQ(dump(finding_rows(ours.out)), dump(read_tsv(theirs.out, false))) << name;
  }
}

}  // namespace
}  // namespace mtr::test
