// Package URLs with exact expected strings, per the purl spec's type rules.
#include "inventory/purl.h"

#include <gtest/gtest.h>

namespace mtr::inventory {
namespace {

Package pkg(std::string ecosystem, std::string name, std::string version, std::string arch = {}) {
  Package p;
  p.ecosystem = std::move(ecosystem);
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = std::move(arch);
  return p;
}

OsInfo os(std::string id, std::string version_id, std::string codename = {}) {
  OsInfo o;
  o.id = std::move(id);
  o.version_id = std::move(version_id);
  o.codename = std::move(codename);
  return o;
}

TEST(Purl, Deb) {
  EXPECT_EQ(
      make_purl(pkg("deb", "curl", "7.88.1-10+deb12u5", "amd64"), os("debian", "12", "bookworm")),
      "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12");
  EXPECT_EQ(make_purl(pkg("deb", "libgmp10", "2:6.2.1+dfsg1-1.1", "arm64"), os("debian", "12")),
            "pkg:deb/debian/libgmp10@2:6.2.1%2Bdfsg1-1.1?arch=arm64&distro=debian-12");
  EXPECT_EQ(make_purl(pkg("deb", "bash", "5.1-6ubuntu1", "amd64"), os("ubuntu", "22.04")),
            "pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04");
  EXPECT_EQ(make_purl(pkg("deb", "bash", "5.2-1", "amd64"), os("debian", "", "trixie")),
            "pkg:deb/debian/bash@5.2-1?arch=amd64&distro=debian-trixie");
  EXPECT_EQ(make_purl(pkg("deb", "bash", "5.2-1"), OsInfo{}), "pkg:deb/debian/bash@5.2-1");
}

TEST(Purl, Apk) {
  EXPECT_EQ(make_purl(pkg("apk", "musl", "1.2.4-r2", "x86_64"), os("alpine", "3.18.4")),
            "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4");
  EXPECT_EQ(make_purl(pkg("apk", "glibc", "2.38-r5", "aarch64"), os("wolfi", "20230201")),
            "pkg:apk/wolfi/glibc@2.38-r5?arch=aarch64&distro=wolfi-20230201");
}

TEST(Purl, Rpm) {
  auto p = pkg("rpm", "openssl-libs", "3.0.7-25.el9_3", "x86_64");
  p.epoch = "1";
  EXPECT_EQ(make_purl(p, os("rhel", "9.3")),
            "pkg:rpm/redhat/openssl-libs@3.0.7-25.el9_3?arch=x86_64&distro=rhel-9.3&epoch=1");
  EXPECT_EQ(make_purl(pkg("rpm", "libuuid", "2.32.1-42.el8_8", "x86_64"), os("rocky", "8.9")),
            "pkg:rpm/rocky/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rocky-8.9");
  EXPECT_EQ(make_purl(pkg("rpm", "bash", "5.2.15-2.amzn2023", "aarch64"), os("amzn", "2023")),
            "pkg:rpm/amazon/bash@5.2.15-2.amzn2023?arch=aarch64&distro=amzn-2023");
  EXPECT_EQ(make_purl(pkg("rpm", "zypper", "1.14.68-150400.3.49.1", "x86_64"),
                      os("opensuse-leap", "15.5")),
            "pkg:rpm/opensuse/zypper@1.14.68-150400.3.49.1?arch=x86_64&distro=opensuse-leap-15.5");
  EXPECT_EQ(make_purl(pkg("rpm", "glibc", "2.31-150300.63.1", "x86_64"), os("sles", "15.3")),
            "pkg:rpm/sles/glibc@2.31-150300.63.1?arch=x86_64&distro=sles-15.3");
}

TEST(Purl, Npm) {
  auto scoped = pkg("npm", "core", "16.2.0");
  scoped.purl_namespace = "@angular";
  EXPECT_EQ(make_purl(scoped, {}), "pkg:npm/%40angular/core@16.2.0");
  EXPECT_EQ(make_purl(pkg("npm", "@types/node", "20.1.0"), {}), "pkg:npm/%40types/node@20.1.0");
  EXPECT_EQ(make_purl(pkg("npm", "lodash", "4.17.21"), os("debian", "12")),
            "pkg:npm/lodash@4.17.21");
}

TEST(Purl, Pypi) {
  EXPECT_EQ(make_purl(pkg("pypi", "Django_REST_framework", "3.14.0"), {}),
            "pkg:pypi/django-rest-framework@3.14.0");
}

TEST(Purl, Golang) {
  EXPECT_EQ(make_purl(pkg("golang", "github.com/gorilla/mux", "v1.8.0"), {}),
            "pkg:golang/github.com/gorilla/mux@v1.8.0");
  EXPECT_EQ(make_purl(pkg("golang", "stdlib", "go1.21.3"), {}), "pkg:golang/stdlib@go1.21.3");
}

TEST(Purl, MavenGemCargoComposerNuget) {
  auto maven = pkg("maven", "log4j-core", "2.14.1");
  maven.purl_namespace = "org.apache.logging.log4j";
  EXPECT_EQ(make_purl(maven, {}), "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  EXPECT_EQ(make_purl(pkg("maven", "com.google.guava:guava", "32.1.2-jre"), {}),
            "pkg:maven/com.google.guava/guava@32.1.2-jre");
  EXPECT_EQ(make_purl(pkg("gem", "rails", "7.0.8"), {}), "pkg:gem/rails@7.0.8");
  EXPECT_EQ(make_purl(pkg("cargo", "serde", "1.0.188"), {}), "pkg:cargo/serde@1.0.188");
  EXPECT_EQ(make_purl(pkg("composer", "Laravel/Framework", "v10.0.0"), {}),
            "pkg:composer/laravel/framework@v10.0.0");
  EXPECT_EQ(make_purl(pkg("nuget", "Newtonsoft.Json", "13.0.3"), {}),
            "pkg:nuget/Newtonsoft.Json@13.0.3");
}

}  // namespace
}  // namespace mtr::inventory
