// rpm: header blobs and the three database containers, on real fixtures and hostile bytes.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "inventory/os/os_catalogers.h"
#include "support/test_support.h"

namespace mtr::inventory::os {
namespace {

namespace fs = std::filesystem;

void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

struct Tag {
  std::uint32_t tag;
  std::uint32_t type;
  std::string value;  // string value, or 4 raw bytes for INT32
};

// A header blob as rpm stores it in its database: counts, index, data.
std::string make_header(const std::vector<Tag>& tags) {
  std::string index, data;
  for (const auto& t : tags) {
    put_be32(index, t.tag);
    put_be32(index, t.type);
    put_be32(index, static_cast<std::uint32_t>(data.size()));
    put_be32(index, 1);
    data += t.value;
    if (t.type == 6) data += '\0';
  }
  std::string blob;
  put_be32(blob, static_cast<std::uint32_t>(tags.size()));
  put_be32(blob, static_cast<std::uint32_t>(data.size()));
  return blob + index + data;
}

std::string be32_bytes(std::uint32_t v) {
  std::string s;
  put_be32(s, v);
  return s;
}

TEST(RpmHeader, ReadsNameVersionEpochArchLicenseAndSource) {
  auto blob = make_header({{1000, 6, "openssl-libs"},
                           {1001, 6, "3.0.7"},
                           {1002, 6, "25.el9_3"},
                           {1003, 4, be32_bytes(1)},
                           {1014, 6, "ASL 2.0"},
                           {1022, 6, "x86_64"},
                           {1044, 6, "openssl-3.0.7-25.el9_3.src.rpm"}});
  auto pkg = parse_rpm_header(blob);
  ASSERT_TRUE(pkg) << pkg.error().to_string();
  EXPECT_EQ(pkg->name, "openssl-libs");
  EXPECT_EQ(pkg->version, "3.0.7-25.el9_3");
  EXPECT_EQ(pkg->epoch, "1");
  EXPECT_EQ(pkg->arch, "x86_64");
  EXPECT_EQ(pkg->licenses, std::vector<std::string>{"ASL 2.0"});
  EXPECT_EQ(pkg->source_name, "openssl");
  EXPECT_EQ(pkg->source_version, "3.0.7-25.el9_3");
  EXPECT_EQ(pkg->ecosystem, "rpm");
}

TEST(RpmHeader, MalformedHeadersAreErrorsNotCrashes) {
  auto good = make_header({{1000, 6, "bash"}, {1001, 6, "5.1"}});
  EXPECT_TRUE(parse_rpm_header(good));
  EXPECT_FALSE(parse_rpm_header(""));
  EXPECT_FALSE(parse_rpm_header(good.substr(0, good.size() - 1)));  // truncated data
  for (std::size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(parse_rpm_header(good.substr(0, n)));

  std::string huge_count = good;
  huge_count.replace(0, 4, be32_bytes(0xffffffffu));
  EXPECT_FALSE(parse_rpm_header(huge_count));

  std::string huge_data = good;
  huge_data.replace(4, 4, be32_bytes(0x7fffffffu));
  EXPECT_FALSE(parse_rpm_header(huge_data));

  std::string bad_offset = good;
  bad_offset.replace(8 + 8, 4, be32_bytes(0x10000));  // NAME offset far past the data
  EXPECT_FALSE(parse_rpm_header(bad_offset));

  std::string unterminated = good;
  unterminated.back() = 'x';
  EXPECT_FALSE(parse_rpm_header(unterminated));

  auto no_name = make_header({{1001, 6, "5.1"}});
  EXPECT_FALSE(parse_rpm_header(no_name));

  auto bad_epoch = make_header({{1000, 6, "bash"}, {1003, 6, "1"}});
  EXPECT_FALSE(parse_rpm_header(bad_epoch));
}

TEST(RpmDb, BerkeleyDbOfRhel8) {
  MTR_REQUIRE_CORPUS();
  auto content =
      test::read_file(test::corpus_dir() / "vuln/pkgdb/rhel-8-libuuid/var/lib/rpm/Packages");
  auto result = parse_rpmdb("/var/lib/rpm/Packages", content);
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->packages.size(), 1u);
  const auto& p = result->packages[0];
  EXPECT_EQ(p.name, "libuuid");
  EXPECT_EQ(p.version, "2.32.1-42.el8_8");
  EXPECT_EQ(p.epoch, "");
  EXPECT_EQ(p.arch, "x86_64");
  EXPECT_EQ(p.source_name, "util-linux");
  EXPECT_EQ(p.source_version, "2.32.1-42.el8_8");
  EXPECT_EQ(p.licenses, std::vector<std::string>{"BSD"});
  EXPECT_EQ(p.found_in, "/var/lib/rpm/Packages");
  EXPECT_EQ(p.cataloger, "rpm");
}

TEST(RpmDb, PeerFixturesWithEpoch) {
  MTR_REQUIRE_CORPUS();
  auto peers = test::corpus_dir() / "vuln/peers";
  auto epoch = parse_rpmdb(
      "/var/lib/rpm/Packages",
      test::read_file(peers / "osv-scalibr/os-extractor-testdata/rpm/testdata/Packages_epoch"));
  ASSERT_TRUE(epoch) << epoch.error().to_string();
  ASSERT_EQ(epoch->packages.size(), 1u);
  EXPECT_EQ(epoch->packages[0].name, "hello");
  EXPECT_EQ(epoch->packages[0].version, "0.0.1-rls");
  EXPECT_EQ(epoch->packages[0].epoch, "1");
  EXPECT_EQ(epoch->packages[0].source_name, "hello");

  auto dive =
      parse_rpmdb("/var/lib/rpm/Packages",
                  test::read_file(peers / "syft/cataloger-testdata/redhat/testdata/Packages"));
  ASSERT_TRUE(dive) << dive.error().to_string();
  ASSERT_EQ(dive->packages.size(), 1u);
  EXPECT_EQ(dive->packages[0].name, "dive");
  EXPECT_EQ(dive->packages[0].version, "0.9.2-1");

  // syft's glob fixtures are 5-byte placeholders: an error naming the file, not a crash.
  for (const char* name : {"Packages", "Packages.db", "rpmdb.sqlite"}) {
    auto junk = parse_rpmdb(
        name, test::read_file(
                  peers / "syft/cataloger-testdata/redhat/testdata/glob-paths/var/lib/rpm" / name));
    ASSERT_FALSE(junk);
    EXPECT_EQ(junk.error().location.file, name);
  }
  // An empty sqlite file (rpm installed, nothing in it) is no packages.
  auto empty = parse_rpmdb("/var/lib/rpm/rpmdb.sqlite", "");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->packages.empty());
}

TEST(RpmDb, NdbOfSles15) {
  MTR_REQUIRE_CORPUS();
  auto content = test::read_file(test::corpus_dir() /
                                 "vuln/pkgdb/sles-15-bci/usr/lib/sysimage/rpm/Packages.db");
  auto result = parse_rpmdb("/usr/lib/sysimage/rpm/Packages.db", content);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->packages.size(), 35u);
  EXPECT_TRUE(result->warnings.empty());
}

// Cuts and flips bytes of each real container: the reader must answer with an error or
// warnings (or fewer packages), never crash or read out of bounds (run under ASan too).
TEST(RpmDb, DamagedContainersNeverCrash) {
  MTR_REQUIRE_CORPUS();
  std::vector<fs::path> files = {
      test::corpus_dir() / "vuln/pkgdb/rhel-8-libuuid/var/lib/rpm/Packages",
      test::corpus_dir() / "vuln/pkgdb/sles-15-bci/usr/lib/sysimage/rpm/Packages.db",
  };
  for (const auto& file : files) {
    auto content = test::read_file(file);
    auto full = parse_rpmdb("db", content);
    ASSERT_TRUE(full);
    for (std::size_t cut : {std::size_t{10}, std::size_t{100}, std::size_t{600}, std::size_t{4096},
                            std::size_t{5000}, content.size() / 2, content.size() - 1}) {
      auto result = parse_rpmdb("db", content.substr(0, cut));
      if (result) {
        EXPECT_LE(result->packages.size(), full->packages.size());
      }
    }
    std::string flipped = content;
    for (std::size_t i = 16; i < flipped.size(); i += 97)
      flipped[i] = static_cast<char>(~flipped[i]);
    auto result = parse_rpmdb("db", flipped);
    if (result) {
      EXPECT_LE(result->packages.size(), full->packages.size() * 2);
    }
  }
}

TEST(RpmDb, NdbHeaderWithHugeSlotCountIsAnError) {
  std::string ndb = "RpmP";
  ndb += std::string(4, '\0');                // version 0
  ndb += std::string(4, '\0');                // generation
  ndb += std::string("\xff\xff\xff\x7f", 4);  // slot pages
  ndb += std::string(16, '\0');
  auto result = parse_rpmdb("Packages.db", ndb);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
}

TEST(RpmDb, SqliteGarbageIsAnError) {
  std::string fake = std::string("SQLite format 3\0", 16) + std::string(4096, 'x');
  auto result = parse_rpmdb("rpmdb.sqlite", fake);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().location.file, "rpmdb.sqlite");
}

TEST(RpmDb, UnknownFormatIsAnError) {
  auto result = parse_rpmdb("/var/lib/rpm/Packages", std::string(8192, '\x5a'));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidInput);
}

TEST(RpmCataloger, RequiresTheDatabaseFilesOnly) {
  auto c = make_rpm_cataloger();
  EXPECT_EQ(c->id(), "rpm");
  EXPECT_TRUE(c->database());
  for (const char* p :
       {"/var/lib/rpm/Packages", "/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/Packages.db",
        "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/usr/share/rpm/Packages"}) {
    EXPECT_TRUE(c->required({p, 0, 0644})) << p;
  }
  for (const char* p : {"/var/lib/rpm/Name", "/var/lib/rpm/rpmdb.sqlite-wal",
                        "/tmp/var/lib/rpm/Packages", "/var/lib/rpm/x/Packages"}) {
    EXPECT_FALSE(c->required({p, 0, 0644})) << p;
  }
}

}  // namespace
}  // namespace mtr::inventory::os
