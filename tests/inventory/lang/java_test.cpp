#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "inventory/lang/lang.h"
#include "lang_test_util.h"

namespace mtr::inventory::lang {
namespace {

using testing::coordinates;
using testing::run;
using testing::sorted;
using testing::syft_testdata;

using Entries = std::vector<std::pair<std::string, std::string>>;

// A zip archive built in memory with libarchive's writer.
std::string make_zip(const Entries& entries) {
  std::size_t total = 1 << 16;
  for (const auto& [n, d] : entries) total += n.size() * 3 + d.size() + 512;
  std::string buffer(total, '\0');
  std::size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  EXPECT_EQ(archive_write_open_memory(a, buffer.data(), buffer.size(), &used), ARCHIVE_OK);
  for (const auto& [name, data] : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK);
    EXPECT_EQ(archive_write_data(a, data.data(), data.size()),
              static_cast<la_ssize_t>(data.size()));
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  buffer.resize(used);
  return buffer;
}

std::string pom(std::string_view group, std::string_view artifact, std::string_view version) {
  return "#Created by Apache Maven\ngroupId=" + std::string(group) +
         "\nartifactId=" + std::string(artifact) + "\nversion=" + std::string(version) + "\n";
}

// Zips a corpus directory (META-INF/... files) as a jar.
std::string jar_from_dir(const std::filesystem::path& dir) {
  Entries entries;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (!f.is_regular_file()) continue;
    entries.emplace_back(std::filesystem::relative(f.path(), dir).string(),
                         test::read_file(f.path()));
  }
  return make_zip(entries);
}

TEST(JavaArchive, RequiredExtensions) {
  const auto c = make_java_archive_cataloger();
  for (const char* p : {"/app/a.jar", "/app/a.war", "/app/a.ear", "/var/jenkins/plugins/x.jpi",
                        "/x.hpi", "/X.JAR"}) {
    EXPECT_TRUE(testing::required(*c, p)) << p;
  }
  for (const char* p : {"/app/a.zip", "/app/jar", "/app/a.jar.sha1"})
    EXPECT_FALSE(testing::required(*c, p)) << p;
  EXPECT_EQ(c->max_size(), 256ull << 20);
}

TEST(JavaArchive, CorpusPomProperties) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_java_archive_cataloger();
  const auto base = syft_testdata("java/testdata/jar-metadata");
  auto r = run(*c, "/opt/opensaml-core-3.4.6.jar", jar_from_dir(base / "opensaml-core-3.4.6"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"org.opensaml/opensaml-core@3.4.6"});
  EXPECT_EQ(r->packages[0].ecosystem, "maven");
  EXPECT_EQ(r->packages[0].cataloger, "java-archive");
  EXPECT_EQ(r->packages[0].found_in, "/opt/opensaml-core-3.4.6.jar");

  r = run(*c, "/opt/multiple-matching-2.11.5.jar", jar_from_dir(base / "multiple-matching-2.11.5"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"org.multiple/multiple-matching-1@2.11.5",
                                     "org.multiple/multiple-matching-2@2.11.5",
                                     "org.multiple/multiple-matching-3@2.11.5"}));
}

TEST(JavaArchive, CorpusManifestThenFileName) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_java_archive_cataloger();
  const auto base = syft_testdata("java/testdata/jar-metadata");
  // Only MANIFEST.MF (and a pom.xml, which is not read): Implementation-Title/Version.
  auto r = run(*c, "/opt/jackson-core-2.15.2.jar", jar_from_dir(base / "jackson-core-2.15.2"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"Jackson-core@2.15.2"});
  // A Jenkins plugin manifest has none of the fields: the file name decides.
  r = run(*c, "/var/jenkins_home/plugins/gradle-2.11.jpi",
          jar_from_dir(base / "jenkins-plugins/gradle/2.11"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"gradle@2.11"});
}

TEST(JavaArchive, ManifestContinuationAndBundleFallback) {
  const auto c = make_java_archive_cataloger();
  const auto jar = make_zip(
      {{"META-INF/MANIFEST.MF",
        "Manifest-Version: 1.0\r\nBundle-SymbolicName: org.example.very.long.bundle.na\r\n "
        "me;singleton:=true\r\n"
        "Bundle-Version: 3.1.4\r\n\r\nName: other/section\r\nImplementation-Title: not-main\r\n"}});
  const auto r = run(*c, "/x/thing.jar", jar);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"org.example.very.long.bundle.name@3.1.4"});
}

TEST(JavaArchive, NestedWarLibraries) {
  const auto c = make_java_archive_cataloger();
  const auto inner_a =
      make_zip({{"META-INF/maven/org.a/a/pom.properties", pom("org.a", "a", "1.0")}});
  const auto inner_b = make_zip({{"org/b/B.class", "cafebabe"}});  // no metadata: file name
  const auto war = make_zip(
      {{"META-INF/maven/com.example/webapp/pom.properties", pom("com.example", "webapp", "2.0")},
       {"WEB-INF/lib/a-1.0.jar", inner_a},
       {"BOOT-INF/lib/commons-lang3-3.12.0.jar", inner_b}});
  const auto r = run(*c, "/srv/app.war", war);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r),
            sorted({"com.example/webapp@2.0", "org.a/a@1.0", "commons-lang3@3.12.0"}));
  for (const auto& p : r->packages) {
    if (p.name == "a") {
      EXPECT_EQ(p.found_in, "/srv/app.war:WEB-INF/lib/a-1.0.jar");
    }
  }
}

TEST(JavaArchive, NestingDepthIsLimited) {
  const auto c = make_java_archive_cataloger();
  std::string jar = make_zip({{"META-INF/maven/g/level6/pom.properties", pom("g", "level6", "1")}});
  for (int level = 5; level >= 0; --level) {
    jar = make_zip({{"META-INF/maven/g/level" + std::to_string(level) + "/pom.properties",
                     pom("g", "level" + std::to_string(level), "1")},
                    {"lib/inner.jar", jar}});
  }
  const auto r = run(*c, "/deep.jar", jar);
  ASSERT_TRUE(r) << r.error().to_string();
  // The outer archive is depth 0; kMaxNestedDepth more levels are opened.
  EXPECT_EQ(coordinates(*r),
            sorted({"g/level0@1", "g/level1@1", "g/level2@1", "g/level3@1", "g/level4@1"}));
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("nested deeper"), std::string::npos);
}

TEST(JavaArchive, ZipBombStopsAtBudget) {
  JavaArchiveOptions options;
  options.max_total_uncompressed = 1 << 20;
  const auto c = make_java_archive_cataloger(options);
  const std::string zeros(8 << 20, '\0');  // deflates to a few KiB
  const auto jar = make_zip({{"META-INF/maven/g/a/pom.properties", pom("g", "a", "1")},
                             {"META-INF/maven/g/big/pom.properties", zeros},
                             {"WEB-INF/lib/bomb.jar", zeros}});
  ASSERT_LT(jar.size(), 1u << 20);
  const auto r = run(*c, "/bomb.war", jar);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"g/a@1"});
  EXPECT_GE(r->warnings.size(), 2u);
}

TEST(JavaArchive, NotAZipIsLocatedError) {
  const auto c = make_java_archive_cataloger();
  auto r = run(*c, "/broken.jar", "this is not a zip file at all");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.file, "/broken.jar");
  const auto good = make_zip({{"META-INF/maven/g/a/pom.properties", pom("g", "a", "1")}});
  for (std::size_t len = 0; len < good.size(); len += 13) {
    r = run(*c, "/truncated.jar", std::string_view(good).substr(0, len));  // must not crash
  }
}

}  // namespace
}  // namespace mtr::inventory::lang
