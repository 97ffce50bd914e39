#include "core/purl.h"

#include <gtest/gtest.h>

namespace mtr::core {
namespace {

TEST(PurlEncode, UnreservedCharactersAndColonStay) {
  EXPECT_EQ(purl_encode("AZaz09-._~:"), "AZaz09-._~:");
}

TEST(PurlEncode, EverythingElseIsPercentEncodedInUpperCase) {
  EXPECT_EQ(purl_encode("2.36-9+deb12u4"), "2.36-9%2Bdeb12u4");
  EXPECT_EQ(purl_encode("@babel"), "%40babel");
  EXPECT_EQ(purl_encode("a/b c?d#e&f=g%"), "a%2Fb%20c%3Fd%23e%26f%3Dg%25");
  EXPECT_EQ(purl_encode("é"), "%C3%A9");
  EXPECT_EQ(purl_encode(std::string_view("\0\xff", 2)), "%00%FF");
  EXPECT_EQ(purl_encode(""), "");
}

TEST(Purl, DebianWithSortedQualifiersAndEpoch) {
  Purl p{"deb", "debian", "bsdutils", "1:2.38.1-5+b1", {{"distro", "debian-12"}, {"arch", "amd64"}},
         ""};
  EXPECT_EQ(p.to_string(), "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12");
}

TEST(Purl, EmptyQualifiersAndVersionAreLeftOut) {
  Purl p{"npm", "", "lodash", "", {{"arch", ""}, {"x", "y"}}, ""};
  EXPECT_EQ(p.to_string(), "pkg:npm/lodash?x=y");
  Purl q{"npm", "", "lodash", "4.17.21", {{"arch", ""}}, ""};
  EXPECT_EQ(q.to_string(), "pkg:npm/lodash@4.17.21");
}

TEST(Purl, NamespaceSegmentsAreEncodedOneByOne) {
  EXPECT_EQ((Purl{"npm", "@babel", "core", "7.24.0", {}, ""}.to_string()),
            "pkg:npm/%40babel/core@7.24.0");
  EXPECT_EQ((Purl{"golang", "github.com/pkg", "errors", "v0.9.1", {}, ""}.to_string()),
            "pkg:golang/github.com/pkg/errors@v0.9.1");
  EXPECT_EQ((Purl{"golang", "/github.com//pkg/", "errors", "", {}, ""}.to_string()),
            "pkg:golang/github.com/pkg/errors");
  EXPECT_EQ((Purl{"maven", "org.slf4j", "slf4j-api", "2.0.9", {}, "META-INF"}.to_string()),
            "pkg:maven/org.slf4j/slf4j-api@2.0.9#META-INF");
}

}  // namespace
}  // namespace mtr::core
