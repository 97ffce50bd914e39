#include "sbom/sbom.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "sbom/fixture.h"

namespace mtr::sbom {
namespace {

using nlohmann::json;
using testing::fixed_time;
using ::testing::HasSubstr;
using testing::tricky_scan;

std::string write(Format format, const oci::ImageScan& scan, const core::Clock& clock) {
  std::ostringstream out;
  write_sbom(out, format, scan, {"9.9.9", &clock});
  return out.str();
}

json write_json(Format format, const oci::ImageScan& scan) {
  core::FixedClock clock(fixed_time());
  return json::parse(write(format, scan, clock));
}

const json* find_by(const json& list, const std::string& key, const std::string& value) {
  for (const auto& item : list) {
    if (item.contains(key) && item[key] == value) return &item;
  }
  return nullptr;
}

std::string property(const json& component, const std::string& name) {
  for (const auto& p : component.value("properties", json::array())) {
    if (p["name"] == name) return p["value"];
  }
  return "<absent>";
}

TEST(ParseFormat, KnownNames) {
  EXPECT_EQ(*parse_format("table"), Format::kTable);
  EXPECT_EQ(*parse_format("json"), Format::kJson);
  EXPECT_EQ(*parse_format("cyclonedx"), Format::kCycloneDx);
  EXPECT_EQ(*parse_format("spdx"), Format::kSpdx);
}

TEST(ParseFormat, UnknownNameIsAUsageError) {
  auto r = parse_format("xml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kUsage);
  EXPECT_THAT(r.error().message, HasSubstr("'xml'"));
}

TEST(CycloneDx, DocumentHeader) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  EXPECT_EQ(doc["bomFormat"], "CycloneDX");
  EXPECT_EQ(doc["specVersion"], "1.5");
  EXPECT_EQ(doc["version"], 1);
  std::regex uuid("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(doc["serialNumber"].get<std::string>(), uuid))
      << doc["serialNumber"];
  const auto& meta = doc["metadata"];
  EXPECT_EQ(meta["timestamp"], "2024-03-01T12:34:56Z");
  ASSERT_EQ(meta["tools"]["components"].size(), 1u);
  EXPECT_EQ(meta["tools"]["components"][0],
            json({{"type", "application"}, {"name", "matryoshka"}, {"version", "9.9.9"}}));
  EXPECT_EQ(meta["component"]["type"], "container");
  EXPECT_EQ(meta["component"]["name"], "registry.example/team/app:1.0");
  EXPECT_EQ(meta["component"]["version"], testing::kManifestDigest);
  EXPECT_EQ(meta["component"]["bom-ref"], "image:" + testing::kManifestDigest);
}

TEST(CycloneDx, SerialNumbersDifferBetweenDocuments) {
  auto a = write_json(Format::kCycloneDx, tricky_scan());
  auto b = write_json(Format::kCycloneDx, tricky_scan());
  EXPECT_NE(a["serialNumber"], b["serialNumber"]);
}

TEST(CycloneDx, OperatingSystemComponent) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  const json& first = doc["components"][0];
  EXPECT_EQ(first["type"], "operating-system");
  EXPECT_EQ(first["name"], "debian");
  EXPECT_EQ(first["version"], "12");
  EXPECT_EQ(first["description"], "Debian GNU/Linux 12 (bookworm)");
}

TEST(CycloneDx, NpmScopeIsTheGroupAndFieldsAreExact) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  const json* babel = find_by(doc["components"], "purl", "pkg:npm/%40babel/core@7.24.0");
  ASSERT_NE(babel, nullptr);
  EXPECT_EQ((*babel)["type"], "library");
  EXPECT_EQ((*babel)["group"], "@babel");
  EXPECT_EQ((*babel)["name"], "core");
  EXPECT_EQ((*babel)["version"], "7.24.0");
  EXPECT_EQ((*babel)["bom-ref"], "pkg:npm/%40babel/core@7.24.0");
  EXPECT_EQ((*babel)["licenses"], json::parse(R"([{"license": {"id": "MIT"}}])"));
  EXPECT_EQ(property(*babel, "matryoshka:layer:diff_id"), testing::kAppLayer);
  EXPECT_EQ(property(*babel, "matryoshka:layer:index"), "1");
  EXPECT_EQ(property(*babel, "matryoshka:found_in"), "/app/node_modules/@babel/core/package.json");
  EXPECT_EQ(property(*babel, "matryoshka:cataloger"), "npm");
}

TEST(CycloneDx, MavenGroupGoPathAndDebianSource) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  const json* slf4j = find_by(doc["components"], "name", "slf4j-api");
  ASSERT_NE(slf4j, nullptr);
  EXPECT_EQ((*slf4j)["group"], "org.slf4j");
  const json* errors =
      find_by(doc["components"], "purl", "pkg:golang/github.com/pkg/errors@v0.9.1");
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ((*errors)["name"], "github.com/pkg/errors");
  EXPECT_FALSE(errors->contains("group"));
  const json* bsdutils = find_by(doc["components"], "name", "bsdutils");
  ASSERT_NE(bsdutils, nullptr);
  EXPECT_EQ(property(*bsdutils, "matryoshka:source_name"), "util-linux");
  EXPECT_EQ(property(*bsdutils, "matryoshka:source_version"), "2.38.1-5");
  EXPECT_EQ(property(*bsdutils, "matryoshka:layer:index"), "0");
}

TEST(CycloneDx, VersionsAreWrittenAsTheDatabaseSpellsThem) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  std::set<std::string> versions;
  for (const auto& c : doc["components"]) versions.insert(c.value("version", ""));
  EXPECT_TRUE(versions.count("1:2.38.1-5+b1"));
  EXPECT_TRUE(versions.count("2.36-9+deb12u4"));
  EXPECT_TRUE(versions.count("1.0~rc1-1"));
  EXPECT_TRUE(versions.count("1.0.0+build.5"));
}

TEST(CycloneDx, LicenseIdsNamesAndExpressions) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  auto licenses_of = [&](const std::string& name) {
    const json* c = find_by(doc["components"], "name", name);
    return c ? c->value("licenses", json()) : json("<no component>");
  };
  EXPECT_EQ(licenses_of("Some_Gem"), json::parse(R"([{"license": {"id": "MIT"}}])"));  // "mit"
  EXPECT_EQ(licenses_of("bsdutils"), json::parse(R"([{"license": {"id": "BSD-4-Clause"}}])"));
  EXPECT_EQ(licenses_of("libc6"),
            json::parse(R"([{"license": {"id": "LGPL-2.1"}}, {"license": {"name": "GPL-2"}},
                                {"license": {"name": "public-domain"}}])"));
  EXPECT_EQ(licenses_of("requests"), json::parse(R"([{"license": {"name": "Apache 2.0"}}])"));
  EXPECT_EQ(licenses_of("slf4j-api"), json::parse(R"([{"expression": "MIT OR Apache-2.0"}])"));
  EXPECT_EQ(licenses_of("emoji-kit"),
            json::parse(R"([{"license": {"name": "Licence publique générale ©"}}])"));
}

TEST(CycloneDx, BomRefsAreUniqueAndTheImageDependsOnEveryComponent) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  std::set<std::string> refs;
  for (const auto& c : doc["components"]) {
    ASSERT_TRUE(c.contains("bom-ref")) << c;
    EXPECT_TRUE(refs.insert(c["bom-ref"]).second) << "duplicate bom-ref " << c["bom-ref"];
  }
  EXPECT_EQ(refs.size(), 12u);  // the OS and 11 packages, lodash twice
  // The two lodash copies share a purl; their refs differ, and are the same in every run.
  auto lodash_refs = [](const json& d) {
    std::vector<std::string> out;
    for (const auto& c : d["components"]) {
      if (c.value("name", "") == "lodash") out.push_back(c["bom-ref"]);
    }
    return out;
  };
  auto lodash = lodash_refs(doc);
  ASSERT_EQ(lodash.size(), 2u);
  EXPECT_THAT(lodash[0], ::testing::StartsWith("pkg:npm/lodash@4.17.21?package-id="));
  EXPECT_THAT(lodash[1], ::testing::StartsWith("pkg:npm/lodash@4.17.21?package-id="));
  EXPECT_EQ(lodash, lodash_refs(write_json(Format::kCycloneDx, tricky_scan())));

  ASSERT_EQ(doc["dependencies"].size(), 1u);
  const auto& dep = doc["dependencies"][0];
  EXPECT_EQ(dep["ref"], doc["metadata"]["component"]["bom-ref"]);
  std::set<std::string> depends(dep["dependsOn"].begin(), dep["dependsOn"].end());
  EXPECT_EQ(depends, refs);
  EXPECT_EQ(dep["dependsOn"].size(), refs.size());
}

TEST(CycloneDx, ComponentsAreSortedByTypeThenName) {
  auto doc = write_json(Format::kCycloneDx, tricky_scan());
  std::vector<std::string> names;
  for (const auto& c : doc["components"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"debian", "bsdutils", "libc6", "libfoo1", "Some_Gem",
                                             "github.com/pkg/errors", "slf4j-api", "core",
                                             "emoji-kit", "lodash", "lodash", "requests"}));
}

// Apart from the serial number, the same scan and clock give the same bytes.
TEST(CycloneDx, DeterministicApartFromSerialNumber) {
  core::FixedClock clock(fixed_time());
  std::regex serial("urn:uuid:[0-9a-f-]{36}");
  auto a = std::regex_replace(write(Format::kCycloneDx, tricky_scan(), clock), serial, "UUID");
  auto b = std::regex_replace(write(Format::kCycloneDx, tricky_scan(), clock), serial, "UUID");
  EXPECT_EQ(a, b);
  EXPECT_THAT(a, HasSubstr("\"serialNumber\": \"UUID\""));
}

TEST(CycloneDx, EmptyScanStillDescribesTheImage) {
  oci::ImageScan scan;
  scan.meta.source = "dir:/tmp/root";
  auto doc = write_json(Format::kCycloneDx, scan);
  EXPECT_EQ(doc["metadata"]["component"]["name"], "dir:/tmp/root");
  EXPECT_FALSE(doc["metadata"]["component"].contains("version"));
  EXPECT_EQ(doc["components"], json::array());
  EXPECT_EQ(doc["dependencies"][0]["dependsOn"], json::array());
}

TEST(Spdx, DocumentHeader) {
  auto doc = write_json(Format::kSpdx, tricky_scan());
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["dataLicense"], "CC0-1.0");
  EXPECT_EQ(doc["SPDXID"], "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc["name"], "registry.example/team/app:1.0");
  EXPECT_EQ(doc["creationInfo"]["created"], "2024-03-01T12:34:56Z");
  EXPECT_EQ(doc["creationInfo"]["creators"], json::array({"Tool: matryoshka-9.9.9"}));
  std::regex ns(
      "^https://github\\.com/matryoshka-sec/matryoshka/spdx/image/"
      "registry\\.example%2Fteam%2Fapp:1\\.0-"
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(doc["documentNamespace"].get<std::string>(), ns))
      << doc["documentNamespace"];
  EXPECT_NE(doc["documentNamespace"],
            write_json(Format::kSpdx, tricky_scan())["documentNamespace"]);
}

TEST(Spdx, IdsAreUniqueAndUseOnlyTheAllowedCharacters) {
  auto doc = write_json(Format::kSpdx, tricky_scan());
  std::regex allowed("^SPDXRef-[A-Za-z0-9.-]+$");
  std::set<std::string> ids;
  for (const auto& p : doc["packages"]) {
    std::string id = p["SPDXID"];
    EXPECT_TRUE(std::regex_match(id, allowed)) << id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  }
  EXPECT_EQ(ids.size(), 13u);  // image, OS, 11 packages
  EXPECT_TRUE(ids.count("SPDXRef-Package-npm-babel-core-7")) << doc["packages"];
  EXPECT_TRUE(ids.count("SPDXRef-Package-golang-github.com-pkg-errors-5"));
}

TEST(Spdx, ImageOsAndPackageFields) {
  auto doc = write_json(Format::kSpdx, tricky_scan());
  const json* image = find_by(doc["packages"], "SPDXID", "SPDXRef-Image");
  ASSERT_NE(image, nullptr);
  EXPECT_EQ((*image)["primaryPackagePurpose"], "CONTAINER");
  EXPECT_EQ((*image)["versionInfo"], testing::kManifestDigest);
  const json* os = find_by(doc["packages"], "SPDXID", "SPDXRef-OperatingSystem");
  ASSERT_NE(os, nullptr);
  EXPECT_EQ((*os)["primaryPackagePurpose"], "OPERATING_SYSTEM");
  EXPECT_EQ((*os)["name"], "debian");
  EXPECT_EQ((*os)["versionInfo"], "12");

  const json* bsdutils = find_by(doc["packages"], "name", "bsdutils");
  ASSERT_NE(bsdutils, nullptr);
  EXPECT_EQ((*bsdutils)["versionInfo"], "1:2.38.1-5+b1");
  EXPECT_EQ((*bsdutils)["downloadLocation"], "NOASSERTION");
  EXPECT_EQ((*bsdutils)["supplier"], "NOASSERTION");
  EXPECT_EQ((*bsdutils)["filesAnalyzed"], false);
  EXPECT_EQ((*bsdutils)["licenseConcluded"], "NOASSERTION");
  EXPECT_EQ((*bsdutils)["externalRefs"],
            json::parse(R"([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                             "referenceLocator": "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12"}])"));
  const json* babel = find_by(doc["packages"], "name", "@babel/core");
  ASSERT_NE(babel, nullptr);
  EXPECT_EQ((*babel)["versionInfo"], "7.24.0");
}

TEST(Spdx, DeclaredLicenseOnlyWhenAValidExpression) {
  auto doc = write_json(Format::kSpdx, tricky_scan());
  auto declared = [&](const std::string& name) {
    const json* p = find_by(doc["packages"], "name", name);
    return p ? p->value("licenseDeclared", "<absent>") : "<no package>";
  };
  EXPECT_EQ(declared("@babel/core"), "MIT");
  EXPECT_EQ(declared("Some_Gem"), "MIT");
  EXPECT_EQ(declared("bsdutils"), "BSD-4-Clause");
  EXPECT_EQ(declared("org.slf4j:slf4j-api"), "MIT OR Apache-2.0");
  EXPECT_EQ(declared("libc6"), "NOASSERTION");  // "GPL-2" is not an SPDX id
  EXPECT_EQ(declared("requests"), "NOASSERTION");
  EXPECT_EQ(declared("libfoo1"), "NOASSERTION");
  EXPECT_EQ(declared("emoji-kit"), "NOASSERTION");
}

TEST(Spdx, SeveralValidLicensesAreJoinedWithAnd) {
  auto scan = tricky_scan();
  scan.inventory.packages = {scan.inventory.packages[3]};
  scan.inventory.packages[0].licenses = {"MIT", "GPL-2.0-or-later WITH Classpath-exception-2.0",
                                         "mit"};
  auto doc = write_json(Format::kSpdx, scan);
  EXPECT_EQ(doc["packages"][2]["licenseDeclared"],
            "MIT AND (GPL-2.0-or-later WITH Classpath-exception-2.0)");
}

TEST(Spdx, RelationshipsDescribeTheImageWhichContainsEverything) {
  auto doc = write_json(Format::kSpdx, tricky_scan());
  const auto& rels = doc["relationships"];
  ASSERT_EQ(rels.size(), 13u);
  EXPECT_EQ(rels[0], json({{"spdxElementId", "SPDXRef-DOCUMENT"},
                           {"relationshipType", "DESCRIBES"},
                           {"relatedSpdxElement", "SPDXRef-Image"}}));
  std::set<std::string> contained;
  for (std::size_t i = 1; i < rels.size(); ++i) {
    EXPECT_EQ(rels[i]["spdxElementId"], "SPDXRef-Image");
    EXPECT_EQ(rels[i]["relationshipType"], "CONTAINS");
    contained.insert(rels[i]["relatedSpdxElement"]);
  }
  std::set<std::string> ids;
  for (const auto& p : doc["packages"]) {
    if (p["SPDXID"] != "SPDXRef-Image") ids.insert(p["SPDXID"]);
  }
  EXPECT_EQ(contained, ids);
}

TEST(Spdx, DeterministicApartFromNamespace) {
  core::FixedClock clock(fixed_time());
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  auto a = std::regex_replace(write(Format::kSpdx, tricky_scan(), clock), uuid, "UUID");
  auto b = std::regex_replace(write(Format::kSpdx, tricky_scan(), clock), uuid, "UUID");
  EXPECT_EQ(a, b);
}

TEST(Table, HeaderLineAndRowsSortedByTypeThenName) {
  core::FixedClock clock(fixed_time());
  auto text = write(Format::kTable, tricky_scan(), clock);
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line,
            "registry.example/team/app:1.0: Debian GNU/Linux 12 (bookworm), 11 packages "
            "(deb 3, gem 1, golang 1, maven 1, npm 4, pypi 1)");
  std::getline(in, line);
  EXPECT_EQ(line, "");
  std::getline(in, line);
  EXPECT_THAT(line, ::testing::MatchesRegex("NAME +VERSION +TYPE +LAYER +PATH"));
  std::vector<std::string> names;
  while (std::getline(in, line)) names.push_back(line.substr(0, line.find(' ')));
  EXPECT_EQ(names,
            (std::vector<std::string>{"bsdutils", "libc6", "libfoo1", "Some_Gem",
                                      "github.com/pkg/errors", "org.slf4j:slf4j-api", "@babel/core",
                                      "emoji-kit", "lodash", "lodash", "requests"}));
  EXPECT_THAT(text,
              ::testing::ContainsRegex(
                  "bsdutils +1:2\\.38\\.1-5\\+b1 +deb +0 aaaaaaaaaaaa +/var/lib/dpkg/status"));
  EXPECT_THAT(text, ::testing::ContainsRegex(
                        "@babel/core +7\\.24\\.0 +npm +1 bbbbbbbbbbbb +/app/node_modules/"));
}

TEST(Table, ControlCharactersFromTheImageAreNotPrinted) {
  auto scan = tricky_scan();
  scan.inventory.packages[0].name = "evil\x1b]0;pwned\x07\nname";
  core::FixedClock clock(fixed_time());
  auto text = write(Format::kTable, scan, clock);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_THAT(text, HasSubstr("evil?]0;pwned??name"));
}

TEST(Table, EmptyScan) {
  oci::ImageScan scan;
  scan.meta.name = "scratch:latest";
  core::FixedClock clock(fixed_time());
  EXPECT_EQ(write(Format::kTable, scan, clock), "scratch:latest: unknown OS, 0 packages\n");
}

TEST(NativeJson, ShapeAndFields) {
  auto doc = write_json(Format::kJson, tricky_scan());
  EXPECT_EQ(doc["schema"], "matryoshka.sbom/v1");
  EXPECT_EQ(doc["image"]["source"], "docker-archive:/tmp/app.tar");
  EXPECT_EQ(doc["image"]["manifest_digest"], testing::kManifestDigest);
  EXPECT_EQ(doc["image"]["config_digest"], testing::kConfigDigest);
  EXPECT_EQ(doc["image"]["platform"], "linux/amd64");
  ASSERT_EQ(doc["image"]["layers"].size(), 2u);
  EXPECT_EQ(doc["image"]["layers"][1]["diff_id"], testing::kAppLayer);
  EXPECT_EQ(doc["image"]["layers"][1]["index"], 1);
  EXPECT_EQ(doc["image"]["layers"][1]["created_by"], "COPY app");
  EXPECT_FALSE(doc["image"]["layers"][0].contains("from_cache"));  // varies between runs
  EXPECT_EQ(doc["os"]["pretty_name"], "Debian GNU/Linux 12 (bookworm)");
  ASSERT_EQ(doc["packages"].size(), 11u);
  const auto& first = doc["packages"][0];
  EXPECT_EQ(first["name"], "bsdutils");
  EXPECT_EQ(first["version"], "1:2.38.1-5+b1");
  EXPECT_EQ(first["type"], "deb");
  EXPECT_EQ(first["purl"], "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12");
  EXPECT_EQ(first["layer_index"], 0);
  EXPECT_EQ(first["layer_digest"], testing::kBaseLayer);
  EXPECT_EQ(first["found_in"], "/var/lib/dpkg/status");
  EXPECT_EQ(first["source_name"], "util-linux");
  EXPECT_EQ(first["licenses"], json::array({"BSD-4-clause"}));  // as found
  EXPECT_EQ(doc["warnings"], json::array({"skipped /app/huge.jar: larger than 64 MiB"}));
}

TEST(NativeJson, SameScanSameBytes) {
  core::FixedClock clock(fixed_time());
  EXPECT_EQ(write(Format::kJson, tricky_scan(), clock), write(Format::kJson, tricky_scan(), clock));
}

TEST(NativeJson, InvalidUtf8IsReplacedNotFatal) {
  auto scan = tricky_scan();
  scan.inventory.packages[0].name = "bad\xff";
  auto doc = write_json(Format::kJson, scan);
  bool found = false;
  for (const auto& p : doc["packages"]) found |= p["name"] == "bad\xEF\xBF\xBD";
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace mtr::sbom
