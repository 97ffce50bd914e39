#include <gtest/gtest.h>

#include "inventory/lang/lang.h"
#include "lang_test_util.h"

namespace mtr::inventory::lang {
namespace {

using testing::coordinates;
using testing::required;
using testing::run;
using testing::sorted;
using testing::syft_testdata;

TEST(NpmPackageJson, RequiredOnlyForInstalledPackageManifests) {
  const auto c = make_npm_package_json_cataloger();
  EXPECT_TRUE(required(*c, "/app/node_modules/lodash/package.json"));
  EXPECT_TRUE(required(*c, "/app/node_modules/@babel/core/package.json"));
  EXPECT_TRUE(required(*c, "/app/node_modules/a/node_modules/b/package.json"));
  EXPECT_FALSE(required(*c, "/app/package.json"));                              // the application
  EXPECT_FALSE(required(*c, "/app/node_modules/lodash/fp/package.json"));       // inside a package
  EXPECT_FALSE(required(*c, "/usr/share/nodejs/node_modules/x/package.json"));  // dpkg-owned
  EXPECT_FALSE(required(*c, "/usr/lib/nodejs/node_modules/x/package.json"));
  EXPECT_FALSE(required(*c, "/app/node_modules/lodash/package.json5"));
}

TEST(NpmPackageJson, CorpusLicenseShapes) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_npm_package_json_cataloger();
  struct Case {
    const char* file;
    std::vector<std::string> licenses;
  };
  for (const auto& tc : std::vector<Case>{{"package.json", {"Artistic-2.0"}},
                                          {"package-license-object.json", {"ISC"}},
                                          {"package-license-objects.json", {"MIT", "Apache-2.0"}},
                                          {"package-malformed-license.json", {"MIT"}}}) {
    const auto content = test::read_file(syft_testdata("javascript/testdata/pkg-json") / tc.file);
    const auto r = run(*c, "/app/node_modules/npm/package.json", content);
    ASSERT_TRUE(r) << tc.file << ": " << r.error().to_string();
    ASSERT_EQ(r->packages.size(), 1u) << tc.file;
    const auto& p = r->packages[0];
    EXPECT_EQ(p.name, "npm");
    EXPECT_EQ(p.version, "6.14.6");
    EXPECT_EQ(p.ecosystem, "npm");
    EXPECT_EQ(p.cataloger, "npm-package-json");
    EXPECT_EQ(p.found_in, "/app/node_modules/npm/package.json");
    EXPECT_EQ(p.licenses, tc.licenses) << tc.file;
  }
}

TEST(NpmPackageJson, ScopedNameAndSkips) {
  const auto c = make_npm_package_json_cataloger();
  auto r = run(*c, "/n/node_modules/@actions/core/package.json",
               R"({"name":"@actions/core","version":"1.6.0","license":"MIT"})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->packages.size(), 1u);
  EXPECT_EQ(r->packages[0].purl_namespace, "@actions");
  EXPECT_EQ(r->packages[0].name, "core");
  r = run(*c, "/n/node_modules/x/package.json", R"({"name":"x"})");  // no version
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->packages.empty());
  r = run(*c, "/n/node_modules/x/package.json", R"(["not", "an", "object"])");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->packages.empty());
}

TEST(NpmPackageJson, TruncatedJsonIsLocatedError) {
  const auto c = make_npm_package_json_cataloger();
  const auto r =
      run(*c, "/n/node_modules/x/package.json", "{\n  \"name\": \"x\",\n  \"version\": ");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().location.file, "/n/node_modules/x/package.json");
  EXPECT_EQ(r.error().location.line, 3u);
}

TEST(NpmPackageJson, DeepNestingRefusedWithoutCrash) {
  const auto c = make_npm_package_json_cataloger();
  const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  const auto r = run(*c, "/n/node_modules/x/package.json", deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kLimitExceeded);
}

TEST(NpmLock, RequiredOnlyOutsideNodeModules) {
  const auto c = make_npm_lock_cataloger();
  EXPECT_TRUE(required(*c, "/app/package-lock.json"));
  EXPECT_FALSE(required(*c, "/app/node_modules/x/package-lock.json"));
  EXPECT_FALSE(required(*c, "/app/node_modules/.package-lock.json"));
  EXPECT_FALSE(required(*c, "/app/package.json"));
}

TEST(NpmLock, CorpusV1DependenciesTree) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_npm_lock_cataloger();
  const auto r =
      run(*c, "/app/package-lock.json",
          test::read_file(syft_testdata("javascript/testdata/pkg-lock/package-lock.json")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r),
            sorted({"@actions/core@1.6.0", "ansi-regex@3.0.0", "cowsay@1.4.0", "get-stdin@5.0.1",
                    "is-fullwidth-code-point@2.0.0", "minimist@0.0.10", "node_modules/async@3.2.4",
                    "optimist@0.6.1", "string-width@2.1.1", "strip-ansi@4.0.0", "strip-eof@1.0.0",
                    "wordwrap@0.0.3"}));
  for (const auto& p : r->packages) EXPECT_EQ(p.cataloger, "npm-lock");
}

TEST(NpmLock, CorpusV2AndV3PackagesMap) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_npm_lock_cataloger();
  auto r = run(*c, "/app/package-lock.json",
               test::read_file(syft_testdata("javascript/testdata/pkg-lock/package-lock-2.json")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"@types/prop-types@15.7.5", "@types/react@18.0.17",
                                     "@types/scheduler@0.16.2", "async@3.2.4", "csstype@3.1.0"}));
  for (const auto& p : r->packages) {
    if (p.name == "csstype") {
      EXPECT_EQ(p.licenses, std::vector<std::string>{"MIT"});
    }
  }
  r = run(*c, "/app/package-lock.json",
          test::read_file(syft_testdata("javascript/testdata/pkg-lock/package-lock-3.json")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"@types/prop-types@15.7.5", "@types/react@18.0.20",
                                     "@types/scheduler@0.16.2", "async@3.2.4", "csstype@3.1.1"}));
}

TEST(NpmLock, CorpusAliasesUseRealName) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_npm_lock_cataloger();
  const auto r =
      run(*c, "/app/package-lock.json",
          test::read_file(syft_testdata("javascript/testdata/pkg-lock/alias-package-lock-2.json")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r),
            sorted({"case@1.6.2", "case@1.6.3", "@bundled-es-modules/chai@4.2.2"}));
}

TEST(NpmLock, SkipsRootWorkspaceAndLinks) {
  const auto c = make_npm_lock_cataloger();
  const auto r = run(*c, "/app/package-lock.json", R"({"lockfileVersion": 3, "packages": {
      "": {"name": "app", "version": "1.0.0"},
      "packages/lib": {"name": "lib", "version": "0.1.0"},
      "node_modules/lib": {"resolved": "packages/lib", "link": true},
      "node_modules/a": {"version": "1.0.0"},
      "node_modules/a/node_modules/@s/b": {"version": "2.0.0", "license": "ISC"}}})");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"a@1.0.0", "@s/b@2.0.0"}));
}

TEST(NpmLock, CorpusCorruptIsError) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_npm_lock_cataloger();
  const auto r =
      run(*c, "/app/package-lock.json",
          test::read_file(syft_testdata("javascript/testdata/corrupt/package-lock.json")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.file, "/app/package-lock.json");
}

TEST(YarnLock, CorpusV1) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_yarn_lock_cataloger();
  const auto r = run(*c, "/app/yarn.lock",
                     test::read_file(syft_testdata("javascript/testdata/yarn/yarn.lock")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r),
            sorted({"@babel/code-frame@7.10.4", "@types/minimatch@3.0.3", "@types/qs@6.9.4",
                    "ajv@6.12.3", "atob@2.1.2", "aws-sdk@2.706.0", "jhipster-core@7.3.4",
                    "asn1.js@4.10.1", "c0n-fab_u.laTION@7.7.7"}));
  for (const auto& p : r->packages) EXPECT_EQ(p.cataloger, "yarn-lock");
}

TEST(YarnLock, CorpusBerrySkipsWorkspaceAndMetadata) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_yarn_lock_cataloger();
  const auto r = run(*c, "/app/yarn.lock",
                     test::read_file(syft_testdata("javascript/testdata/yarn-berry/yarn.lock")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"@babel/code-frame@7.10.4", "@types/minimatch@3.0.3",
                                     "@types/qs@6.9.4", "ajv@6.12.3", "atob@2.1.2",
                                     "aws-sdk@2.706.0", "jhipster-core@7.3.4", "asn1.js@4.10.1"}));
}

TEST(YarnLock, MalformedHeaderIsLocatedError) {
  const auto c = make_yarn_lock_cataloger();
  const auto r =
      run(*c, "/app/yarn.lock", "# yarn lockfile v1\n\nleft-pad@^1.0.0\n  version \"1.3.0\"\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.line, 3u);
}

}  // namespace
}  // namespace mtr::inventory::lang
