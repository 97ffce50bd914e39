#include <gtest/gtest.h>

#include "inventory/lang/lang.h"
#include "lang_test_util.h"

namespace mtr::inventory::lang {
namespace {

using testing::required;
using testing::run;
using testing::syft_testdata;

TEST(Python, RequiredPaths) {
  const auto c = make_python_cataloger();
  EXPECT_TRUE(required(*c, "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA"));
  EXPECT_TRUE(required(*c, "/site-packages/v.DIST-INFO/METADATA"));
  EXPECT_TRUE(required(*c, "/site-packages/y.egg-info/PKG-INFO"));
  EXPECT_TRUE(required(*c, "/site-packages/foo.egg/EGG-INFO/PKG-INFO"));
  EXPECT_TRUE(required(*c, "/site-packages/z-1.0-py3.8.egg-info"));
  EXPECT_FALSE(required(*c, "/site-packages/x.dist-info/RECORD"));
  EXPECT_FALSE(required(*c, "/src/METADATA"));
  EXPECT_FALSE(required(*c, "/src/PKG-INFO"));
}

struct Expected {
  const char* rel;
  const char* name;
  const char* version;
  std::vector<std::string> licenses;
};

TEST(Python, CorpusMetadataFiles) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_python_cataloger();
  const std::vector<Expected> cases = {
      {"site-packages/nested/dist-name/dist-info/METADATA", "Pygments", "2.6.1", {"BSD License"}},
      {"site-packages/uppercase/dist-name/DIST-INFO/METADATA",
       "Pygments",
       "2.6.1",
       {"BSD License"}},
      {"site-packages/nested/egg-name/egg-info/PKG-INFO", "requests", "2.22.0", {"Apache 2.0"}},
      {"site-packages/test/test.egg-info", "requests", "2.22.0", {"Apache 2.0"}},
      // No License header: the trove classifier names it.
      {"site-packages/license/without-license-file-declared.dist-info/METADATA",
       "Pygments",
       "2.6.1",
       {"BSD License"}},
      // License: UNKNOWN is no license; its unindented description has blank lines, which
      // end the headers before the classifiers, so no license is known.
      {"site-packages/nested/egg-name/egg-info/PKG-INFO-INVALID", "mxnet", "1.8.0", {}},
  };
  for (const auto& tc : cases) {
    const auto r = run(*c, "/site-packages/x.dist-info/METADATA",
                       test::read_file(syft_testdata("python/testdata") / tc.rel));
    ASSERT_TRUE(r) << tc.rel << ": " << r.error().to_string();
    ASSERT_EQ(r->packages.size(), 1u) << tc.rel;
    const auto& p = r->packages[0];
    EXPECT_EQ(p.name, tc.name) << tc.rel;
    EXPECT_EQ(p.version, tc.version) << tc.rel;
    EXPECT_EQ(p.licenses, tc.licenses) << tc.rel;
    EXPECT_EQ(p.ecosystem, "pypi");
    EXPECT_EQ(p.cataloger, "python-package");
  }
}

TEST(Python, CorpusNoVersionIsSkippedWithWarning) {
  MTR_REQUIRE_CORPUS();
  const auto c = make_python_cataloger();
  const auto r = run(*c, "/sp/no-version-py3.8.egg-info",
                     test::read_file(syft_testdata(
                         "python/testdata/site-packages/no-version/no-version-py3.8.egg-info")));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->packages.empty());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("/sp/no-version-py3.8.egg-info"), std::string::npos);
}

TEST(Python, LicenseExpressionWinsAndMultilineLicenseIsText) {
  const auto c = make_python_cataloger();
  auto r = run(*c, "/a.dist-info/METADATA",
               "Metadata-Version: 2.4\nName: a\nVersion: 1.0\nLicense: MIT "
               "License\nLicense-Expression: MIT OR Apache-2.0\n\nbody\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->packages.size(), 1u);
  EXPECT_EQ(r->packages[0].licenses, std::vector<std::string>{"MIT OR Apache-2.0"});
  r = run(*c, "/b.dist-info/METADATA",
          "Name: b\nVersion: 2.0\nLicense: Copyright (c) 2020 Someone\n        Permission is "
          "hereby granted\n"
          "Classifier: License :: OSI Approved :: MIT License\n\nName: not-a-header\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->packages.size(), 1u);
  EXPECT_EQ(r->packages[0].name, "b");
  EXPECT_EQ(r->packages[0].licenses, std::vector<std::string>{"MIT License"});
  r = run(*c, "/c.dist-info/METADATA",
          "Name: c\nVersion: 3\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: Apache "
          "Software License\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->packages.size(), 1u);
  EXPECT_EQ(r->packages[0].licenses, std::vector<std::string>{"Apache Software License"});
}

TEST(Python, BinaryGarbageDoesNotCrash) {
  const auto c = make_python_cataloger();
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>(i * 7919 % 256));
  const auto r = run(*c, "/x.dist-info/METADATA", junk);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->packages.empty());
}

}  // namespace
}  // namespace mtr::inventory::lang
