#include <gtest/gtest.h>

#include "inventory/builtin.h"
#include "inventory/lang/lang.h"
#include "lang_test_util.h"

namespace mtr::inventory::lang {
namespace {

using testing::coordinates;
using testing::required;
using testing::run;
using testing::sorted;
using testing::syft_testdata;

TEST(ComposerLock, CorpusPackagesAndDev) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_composer_lock_cataloger();
  EXPECT_TRUE(required(*c, "/var/www/composer.lock"));
  const auto r = run(*c, "/var/www/composer.lock",
                     test::read_file(syft_testdata("php/testdata/composer.lock")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r),
            sorted({"adoy/fastcgi-client@1.0.2", "alcaeus/mongo-php-adapter@1.1.11",
                    "behat/gherkin@v4.6.2", "codeception/codeception@4.1.6"}));
  for (const auto& p : r->packages) {
    EXPECT_EQ(p.ecosystem, "composer");
    EXPECT_EQ(p.cataloger, "composer-lock");
    if (p.name == "fastcgi-client") {
      EXPECT_EQ(p.purl_namespace, "adoy");
      EXPECT_EQ(p.licenses, std::vector<std::string>{"MIT"});
    }
  }
}

TEST(ComposerInstalled, CorpusV1ArrayAndV2Object) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_composer_installed_cataloger();
  EXPECT_TRUE(required(*c, "/var/www/vendor/composer/installed.json"));
  EXPECT_FALSE(required(*c, "/var/www/installed.json"));
  for (const char* rel : {"php/testdata/vendor/composer_1/installed.json",
                          "php/testdata/vendor/composer_2/installed.json"}) {
    const auto r =
        run(*c, "/var/www/vendor/composer/installed.json", test::read_file(syft_testdata(rel)));
    ASSERT_TRUE(r) << rel << ": " << r.error().to_string();
    EXPECT_EQ(coordinates(*r), sorted({"asm89/stack-cors@1.3.0", "behat/mink@v1.8.1"})) << rel;
    EXPECT_EQ(r->packages[0].cataloger, "composer-installed");
  }
}

TEST(ComposerInstalled, WrongShapesAndTruncation) {
  const auto c = make_composer_installed_cataloger();
  auto r = run(*c, "/v/vendor/composer/installed.json", R"({"dev": true})");
  ASSERT_FALSE(r);
  r = run(*c, "/v/vendor/composer/installed.json", "[{\"name\": \"a/b\", \"vers");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.file, "/v/vendor/composer/installed.json");
  r = run(*c, "/v/vendor/composer/installed.json",
          R"([{"name": "a/b"}, 7, {"name": "c/d", "version": "1.0"}])");
  ASSERT_TRUE(r);
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"c/d@1.0"});
  EXPECT_EQ(r->warnings.size(), 2u);
}

TEST(DotnetDeps, CorpusOnlyPackages) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_dotnet_deps_cataloger();
  EXPECT_TRUE(required(*c, "/app/TestLibrary.deps.json"));
  EXPECT_FALSE(required(*c, "/app/TestLibrary.runtimeconfig.json"));
  auto r =
      run(*c, "/app/TestLibrary.deps.json",
          test::read_file(syft_testdata("dotnet/testdata/dir-example-1/TestLibrary.deps.json")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r),
            sorted({"AWSSDK.Core@3.7.10.6", "Microsoft.Extensions.DependencyInjection@6.0.0",
                    "Microsoft.Extensions.DependencyInjection.Abstractions@6.0.0",
                    "Microsoft.Extensions.Logging@6.0.0",
                    "Microsoft.Extensions.Logging.Abstractions@6.0.0",
                    "Microsoft.Extensions.Options@6.0.0", "Microsoft.Extensions.Primitives@6.0.0",
                    "Newtonsoft.Json@13.0.1", "Serilog@2.10.0", "Serilog.Sinks.Console@4.0.1",
                    "System.Diagnostics.DiagnosticSource@6.0.0",
                    "System.Runtime.CompilerServices.Unsafe@6.0.0"}));
  EXPECT_EQ(r->packages[0].ecosystem, "nuget");
  r = run(*c, "/app/MyApp.deps.json",
          test::read_file(
              syft_testdata("dotnet/testdata/deps-with-referenceassembly/MyApp.deps.json")));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"Newtonsoft.Json@13.0.3"});
}

TEST(DotnetDeps, MalformedIsError) {
  const auto c = make_dotnet_deps_cataloger();
  auto r = run(*c, "/app/x.deps.json", R"({"runtimeTarget": {}})");
  ASSERT_FALSE(r);
  r = run(*c, "/app/x.deps.json",
          R"({"libraries": {"NoSlash": {"type": "package"}, "A/1.0": {"type": "package"}}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(coordinates(*r), std::vector<std::string>{"A@1.0"});
  EXPECT_EQ(r->warnings.size(), 1u);
}

TEST(LanguageRegistry, AllCatalogersRegisteredOnceWithVersionOne) {
  CatalogerRegistry registry;
  register_language_catalogers(registry);
  const std::vector<std::string> ids = {"npm-package-json", "npm-lock",      "yarn-lock",
                                        "python-package",   "go-binary",     "java-archive",
                                        "gemspec",          "gemfile-lock",  "cargo-lock",
                                        "cargo-auditable",  "composer-lock", "composer-installed",
                                        "dotnet-deps"};
  ASSERT_EQ(registry.all().size(), ids.size());
  for (const auto& id : ids) {
    const Cataloger* c = registry.find(id);
    ASSERT_NE(c, nullptr) << id;
    EXPECT_EQ(c->version(), 1) << id;
  }
}

}  // namespace
}  // namespace mtr::inventory::lang
