#include "sbom/spdx_license.h"

#include <gtest/gtest.h>

#include <string>

namespace mtr::sbom {
namespace {

TEST(SpdxLicenseId, KnownIdsAreCanonicalised) {
  EXPECT_EQ(canonical_license_id("MIT"), "MIT");
  EXPECT_EQ(canonical_license_id("mit"), "MIT");
  EXPECT_EQ(canonical_license_id("apache-2.0"), "Apache-2.0");
  EXPECT_EQ(canonical_license_id("BSD-3-clause"), "BSD-3-Clause");
  EXPECT_EQ(canonical_license_id("0BSD"), "0BSD");          // first of the list
  EXPECT_EQ(canonical_license_id("ZPL-2.1"), "ZPL-2.1");    // near the end
  EXPECT_EQ(canonical_license_id("GPL-2.0+"), "GPL-2.0+");  // deprecated ids stay valid
}

TEST(SpdxLicenseId, UnknownTextAndExceptionsAreNotLicenseIds) {
  EXPECT_FALSE(canonical_license_id(""));
  EXPECT_FALSE(canonical_license_id("GPL-2"));
  EXPECT_FALSE(canonical_license_id("Expat"));
  EXPECT_FALSE(canonical_license_id("MIT "));
  EXPECT_FALSE(canonical_license_id("Classpath-exception-2.0"));
  EXPECT_EQ(canonical_exception_id("classpath-exception-2.0"), "Classpath-exception-2.0");
  EXPECT_FALSE(canonical_exception_id("MIT"));
}

TEST(SpdxExpression, ValidExpressionsAreNormalised) {
  EXPECT_EQ(normalize_license_expression("MIT"), "MIT");
  EXPECT_EQ(normalize_license_expression("  mit  "), "MIT");
  EXPECT_EQ(normalize_license_expression("MIT OR Apache-2.0"), "MIT OR Apache-2.0");
  EXPECT_EQ(normalize_license_expression("(mit  OR apache-2.0)AND BSD-3-Clause"),
            "(MIT OR Apache-2.0) AND BSD-3-Clause");
  EXPECT_EQ(normalize_license_expression("GPL-2.0-or-later WITH classpath-exception-2.0"),
            "GPL-2.0-or-later WITH Classpath-exception-2.0");
  EXPECT_EQ(normalize_license_expression("LGPL-2.1+"), "LGPL-2.1+");
  EXPECT_EQ(normalize_license_expression("Apache-2.0+"), "Apache-2.0+");
  EXPECT_EQ(normalize_license_expression("LicenseRef-my.license-1 OR MIT"),
            "LicenseRef-my.license-1 OR MIT");
  EXPECT_EQ(normalize_license_expression("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2"),
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2");
  EXPECT_EQ(normalize_license_expression("((MIT))"), "((MIT))");
}

TEST(SpdxExpression, InvalidExpressionsAreRejected) {
  for (const char* text : {"",
                           "   ",
                           "GPL-2+",
                           "BSD",
                           "MIT/X11",
                           "Apache 2.0",
                           "MIT or Apache-2.0",
                           "MIT OR",
                           "AND MIT",
                           "(MIT",
                           "MIT)",
                           "()",
                           "MIT WITH",
                           "MIT WITH Apache-2.0",
                           "(MIT) WITH Classpath-exception-2.0",
                           "LicenseRef-",
                           "LicenseRef-a_b",
                           "MIT+ +",
                           "Licence publique générale ©",
                           "DocumentRef-x LicenseRef-y"}) {
    EXPECT_FALSE(normalize_license_expression(text)) << "'" << text << "'";
  }
}

TEST(SpdxExpression, DeepNestingIsRejectedWithoutExhaustingTheStack) {
  std::string deep = std::string(100000, '(') + "MIT" + std::string(100000, ')');
  EXPECT_FALSE(normalize_license_expression(deep));
  std::string ok = std::string(10, '(') + "MIT" + std::string(10, ')');
  EXPECT_TRUE(normalize_license_expression(ok));
}

}  // namespace
}  // namespace mtr::sbom
