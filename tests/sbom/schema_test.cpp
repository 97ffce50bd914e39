// The CycloneDX and SPDX writers against the official JSON schemas (fetched by
// scripts/fetch-schemas.sh; each test skips with the reason when its schema is absent).
#include <gtest/gtest.h>

#include <sstream>

#include "sbom/fixture.h"
#include "sbom/sbom.h"
#include "support/test_support.h"
#include "tools/schema_validation.h"

namespace mtr::sbom {
namespace {

std::filesystem::path write_doc(const test::TempDir& dir, const std::string& file, Format format,
                                const oci::ImageScan& scan) {
  core::FixedClock clock(testing::fixed_time());
  std::ostringstream out;
  write_sbom(out, format, scan, {"0.1.0", &clock});
  auto path = dir.path() / file;
  test::write_file(path, out.str());
  return path;
}

oci::ImageScan empty_scan() {
  oci::ImageScan scan;
  scan.meta.source = "dir:/srv/rootfs";
  return scan;
}

constexpr const char* kCycloneDx = "bom-1.5.schema.json";
constexpr const char* kSpdx = "spdx-schema.json";

TEST(CycloneDxSchema, TrickyScanIsValid) {
  MTR_REQUIRE_SCHEMA(kCycloneDx);
  test::TempDir dir;
  auto r = test::validate_json(
      kCycloneDx, write_doc(dir, "bom.cdx.json", Format::kCycloneDx, testing::tricky_scan()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(CycloneDxSchema, EmptyScanIsValid) {
  MTR_REQUIRE_SCHEMA(kCycloneDx);
  test::TempDir dir;
  auto r = test::validate_json(kCycloneDx,
                               write_doc(dir, "empty.cdx.json", Format::kCycloneDx, empty_scan()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// The validator must be able to say no: a license id outside SPDX's list is invalid.
TEST(CycloneDxSchema, ValidatorRejectsAnUnknownLicenseId) {
  MTR_REQUIRE_SCHEMA(kCycloneDx);
  test::TempDir dir;
  auto path = write_doc(dir, "bom.cdx.json", Format::kCycloneDx, testing::tricky_scan());
  auto text = test::read_file(path);
  auto at = text.find("\"id\": \"MIT\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 11, "\"id\": \"NotASpdxId\"");
  test::write_file(path, text);
  auto r = test::validate_json(kCycloneDx, path);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

TEST(SpdxSchema, TrickyScanIsValid) {
  MTR_REQUIRE_SCHEMA(kSpdx);
  test::TempDir dir;
  auto r = test::validate_json(
      kSpdx, write_doc(dir, "bom.spdx.json", Format::kSpdx, testing::tricky_scan()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(SpdxSchema, EmptyScanIsValid) {
  MTR_REQUIRE_SCHEMA(kSpdx);
  test::TempDir dir;
  auto r =
      test::validate_json(kSpdx, write_doc(dir, "empty.spdx.json", Format::kSpdx, empty_scan()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(SpdxSchema, ValidatorRejectsAnUnknownRelationshipType) {
  MTR_REQUIRE_SCHEMA(kSpdx);
  test::TempDir dir;
  auto path = write_doc(dir, "bom.spdx.json", Format::kSpdx, testing::tricky_scan());
  auto text = test::read_file(path);
  auto at = text.find("\"DESCRIBES\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 11, "\"DESCRIBED\"");
  test::write_file(path, text);
  auto r = test::validate_json(kSpdx, path);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

}  // namespace
}  // namespace mtr::sbom
