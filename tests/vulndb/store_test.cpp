#include "vulndb/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "support/test_support.h"

namespace mtr::vulndb {
namespace {

Advisory advisory(std::string id, std::string package, std::string fixed) {
  Advisory a;
  a.id = std::move(id);
  a.aliases = {"DSA-1-1"};
  a.summary = "summary of " + a.id;
  a.cvss.push_back({"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.1", 9.8});
  Affected af;
  af.ecosystem = "Debian:12";
  af.package = std::move(package);
  af.version_type = "deb";
  af.severity = "high";
  af.ranges.push_back(
      {"ECOSYSTEM", {{Event::Kind::kIntroduced, "0"}, {Event::Kind::kFixed, fixed}}});
  a.affected.push_back(std::move(af));
  return a;
}

SourceFiller fill_with(std::vector<Advisory> list) {
  return [list = std::move(list)](const AdvisorySink& sink, SourceInfo&) -> core::Status {
    for (auto a : list) MTR_TRY_STATUS(sink(std::move(a)));
    return {};
  };
}

TEST(Store, MissingDatabaseReadOnlySaysHowToGetOne) {
  test::TempDir dir;
  auto store = Store::open(dir.path() / "none.db", false);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(store.error().message.find("db update"), std::string::npos);
}

TEST(Store, ImportIsIdempotentAndReplacesTheSource) {
  test::TempDir dir;
  auto store = Store::open(dir.path() / "v.db", true);
  ASSERT_TRUE(store) << store.error().to_string();
  SourceInfo info{"test", "/x", "osv", "", "", 0, 0};
  auto first = (*store)->replace_source(
      info, fill_with({advisory("CVE-1", "openssl", "3.0.1"), advisory("CVE-2", "zlib", "1:1.3"),
                       advisory("CVE-1", "openssl-extra", "1.0")}));
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->advisories, 2u);  // CVE-1 names two packages: one advisory, two rows
  EXPECT_EQ(first->affected, 3u);
  auto again = (*store)->replace_source(
      info, fill_with({advisory("CVE-1", "openssl", "3.0.1"), advisory("CVE-2", "zlib", "1:1.3"),
                       advisory("CVE-1", "openssl-extra", "1.0")}));
  ASSERT_TRUE(again);
  auto st = (*store)->status();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->advisories, 2u);
  EXPECT_EQ(st->affected, 3u);
  ASSERT_EQ(st->sources.size(), 1u);
  EXPECT_EQ(st->sources[0].name, "test");

  auto index = (*store)->load_index();
  ASSERT_TRUE(index);
  const auto& hits = index->lookup("Debian:12", "openssl");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].advisory->id, "CVE-1");
  EXPECT_EQ(hits[0].advisory->aliases, std::vector<std::string>{"DSA-1-1"});
  EXPECT_EQ(hits[0].advisory->source, "test");
  ASSERT_EQ(hits[0].advisory->cvss.size(), 1u);
  EXPECT_DOUBLE_EQ(hits[0].advisory->cvss[0].score, 9.8);
  ASSERT_EQ(hits[0].affected.ranges.size(), 1u);
  ASSERT_EQ(hits[0].affected.ranges[0].events.size(), 2u);
  EXPECT_EQ(hits[0].affected.ranges[0].events[1].kind, Event::Kind::kFixed);
  EXPECT_EQ(hits[0].affected.ranges[0].events[1].version, "3.0.1");
  EXPECT_EQ(hits[0].affected.severity, "high");

  // Replacing with less leaves only the new content.
  ASSERT_TRUE((*store)->replace_source(info, fill_with({advisory("CVE-3", "curl", "8")})));
  auto smaller = (*store)->load_index();
  ASSERT_TRUE(smaller);
  EXPECT_TRUE(smaller->lookup("Debian:12", "openssl").empty());
  EXPECT_EQ(smaller->lookup("Debian:12", "curl").size(), 1u);

  // Selective load: only the packages asked for.
  auto some = (*store)->load_index({{"Debian:12", "curl"}, {"Debian:12", "nothing"}});
  ASSERT_TRUE(some);
  EXPECT_EQ(some->entry_count(), 1u);
}

TEST(Store, FailedImportLeavesPreviousDataIntact) {
  test::TempDir dir;
  auto store = Store::open(dir.path() / "v.db", true);
  ASSERT_TRUE(store);
  SourceInfo info{"test", "", "osv", "", "", 0, 0};
  ASSERT_TRUE((*store)->replace_source(info, fill_with({advisory("CVE-1", "openssl", "3")})));
  auto failed =
      (*store)->replace_source(info, [](const AdvisorySink& sink, SourceInfo&) -> core::Status {
        MTR_TRY_STATUS(sink(advisory("CVE-9", "zlib", "1")));
        return core::fail(core::ErrorCode::kInvalidInput, "bad record halfway");
      });
  EXPECT_FALSE(failed);
  auto index = (*store)->load_index();
  ASSERT_TRUE(index);
  EXPECT_EQ(index->lookup("Debian:12", "openssl").size(), 1u);
  EXPECT_TRUE(index->lookup("Debian:12", "zlib").empty());
}

TEST(Store, RefusesAnotherSchemaVersion) {
  test::TempDir dir;
  auto path = dir.path() / "v.db";
  ASSERT_TRUE(Store::open(path, true));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value='999' WHERE key='schema_version'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto again = Store::open(path, false);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("schema version 999"), std::string::npos);
}

TEST(Store, RejectsAFileThatIsNotADatabase) {
  test::TempDir dir;
  auto path = dir.path() / "v.db";
  test::write_file(path, "this is not sqlite, just text that is long enough to be a header....");
  auto store = Store::open(path, false);
  EXPECT_FALSE(store);
}

TEST(Store, InventoriesAndReportedKeysRoundTrip) {
  test::TempDir dir;
  auto store = Store::open(dir.path() / "v.db", true);
  ASSERT_TRUE(store);
  StoredInventory s;
  s.digest = "sha256:abc";
  s.reference = "example:1";
  s.inventory.os.id = "debian";
  s.inventory.os.version_id = "12";
  inventory::Package p;
  p.name = "libssl3";
  p.version = "3.0.11-1~deb12u2";
  p.ecosystem = "deb";
  p.source_name = "openssl";
  p.source_version = "3.0.11-1~deb12u2";
  p.purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2";
  p.layer_index = 0;
  s.inventory.packages.push_back(p);
  ASSERT_TRUE((*store)->save_inventory(s));
  auto loaded = (*store)->load_inventories();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 1u);
  const auto& got = (*loaded)[0];
  EXPECT_EQ(got.reference, "example:1");
  EXPECT_FALSE(got.scanned_at.empty());
  EXPECT_EQ(got.inventory.os.version_id, "12");
  ASSERT_EQ(got.inventory.packages.size(), 1u);
  EXPECT_EQ(got.inventory.packages[0].source_name, "openssl");
  EXPECT_EQ(got.inventory.packages[0].purl, p.purl);
  EXPECT_EQ(got.inventory.packages[0].layer_index, 0);

  ASSERT_TRUE((*store)->set_reported_keys("sha256:abc", {"CVE-1|pkg:x", "CVE-2|pkg:y"}));
  auto keys = (*store)->reported_keys("sha256:abc");
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), 2u);
  auto none = (*store)->reported_keys("sha256:other");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(Store, InventoryTextFormatRoundTripsAwkwardFields) {
  inventory::Inventory inv;
  inv.os.id = "debian";
  inv.os.version_id = "12";
  inv.os.id_like = {"a", "b"};
  inv.os.distroless = true;
  inventory::Package p;
  p.name = "we\tird";
  p.version = "1.0\n2";
  p.ecosystem = "npm";
  p.found_in = "/app/back\\slash/package.json";
  p.layer_index = 3;
  inv.packages.push_back(p);
  inv.packages.push_back(inventory::Package{});
  auto back = decode_inventory(encode_inventory(inv));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->os.id_like, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(back->os.distroless);
  ASSERT_EQ(back->packages.size(), 2u);
  EXPECT_EQ(back->packages[0].name, p.name);
  EXPECT_EQ(back->packages[0].version, p.version);
  EXPECT_EQ(back->packages[0].found_in, p.found_in);
  EXPECT_EQ(back->packages[0].layer_index, 3);
  EXPECT_EQ(back->packages[1].layer_index, -1);
  EXPECT_FALSE(decode_inventory("MTRINV1\nos\nbroken line\n"));
  EXPECT_EQ(decode_keys(encode_keys({"CVE-1|pkg:a", "CVE-2|pkg:b"})),
            (std::vector<std::string>{"CVE-1|pkg:a", "CVE-2|pkg:b"}));
}

}  // namespace
}  // namespace mtr::vulndb
