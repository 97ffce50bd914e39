// An in-memory image scan with the package shapes that trip SBOM writers: an npm scope, a
// Debian epoch, '+' and '~' in versions, a Go module path, a Maven group, duplicate purls,
// license texts that are SPDX ids, expressions, lower-case ids, free text and non-ASCII text.
#pragma once

#include <chrono>
#include <string>

#include "oci/scan.h"

namespace mtr::sbom::testing {

inline const std::string kManifestDigest =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";
inline const std::string kConfigDigest =
    "sha256:2222222222222222222222222222222222222222222222222222222222222222";
inline const std::string kBaseLayer =
    "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
inline const std::string kAppLayer =
    "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

// 2024-03-01T12:34:56Z
inline std::chrono::system_clock::time_point fixed_time() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1709296496));
}

inline inventory::Package make_package(std::string ecosystem, std::string ns, std::string name,
                                       std::string version, std::string purl,
                                       std::vector<std::string> licenses, std::string found_in,
                                       int layer) {
  inventory::Package p;
  p.ecosystem = std::move(ecosystem);
  p.purl_namespace = std::move(ns);
  p.name = std::move(name);
  p.version = std::move(version);
  p.purl = std::move(purl);
  p.licenses = std::move(licenses);
  p.found_in = std::move(found_in);
  p.layer_index = layer;
  p.layer_digest = layer == 0 ? kBaseLayer : kAppLayer;
  return p;
}

inline oci::ImageScan tricky_scan() {
  oci::ImageScan scan;
  scan.meta.source = "docker-archive:/tmp/app.tar";
  scan.meta.name = "registry.example/team/app:1.0";
  scan.meta.manifest_digest = kManifestDigest;
  scan.meta.config_digest = kConfigDigest;
  scan.meta.platform.architecture = "amd64";
  scan.meta.layers = {{{}, kBaseLayer, 0}, {{}, kAppLayer, 1}};
  scan.layers = {{kBaseLayer, "sha256:cccc", "application/vnd.oci.image.layer.v1.tar+gzip", 100,
                  1000, true, "ADD rootfs"},
                 {kAppLayer, "sha256:dddd", "application/vnd.oci.image.layer.v1.tar+gzip", 50, 500,
                  false, "COPY app"}};

  auto& inv = scan.inventory;
  inv.os.id = "debian";
  inv.os.name = "Debian GNU/Linux";
  inv.os.version_id = "12";
  inv.os.codename = "bookworm";
  inv.os.pretty_name = "Debian GNU/Linux 12 (bookworm)";
  inv.os.source_file = "/etc/os-release";

  const std::string dpkg = "/var/lib/dpkg/status";
  auto libc = make_package("deb", "", "libc6", "2.36-9+deb12u4",
                           "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
                           {"LGPL-2.1", "GPL-2", "public-domain"}, dpkg, 0);
  libc.arch = "amd64";
  libc.source_name = "glibc";
  libc.cataloger = "dpkg";
  auto bsdutils =
      make_package("deb", "", "bsdutils", "1:2.38.1-5+b1",
                   "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12",
                   {"BSD-4-clause"}, dpkg, 0);
  bsdutils.arch = "amd64";
  bsdutils.source_name = "util-linux";
  bsdutils.source_version = "2.38.1-5";
  bsdutils.cataloger = "dpkg";
  auto tilde = make_package("deb", "", "libfoo1", "1.0~rc1-1",
                            "pkg:deb/debian/libfoo1@1.0~rc1-1?arch=amd64&distro=debian-12",
                            {"Expat"}, dpkg, 0);
  tilde.cataloger = "dpkg";

  const std::string nm = "/app/node_modules/";
  auto babel = make_package("npm", "@babel", "core", "7.24.0", "pkg:npm/%40babel/core@7.24.0",
                            {"MIT"}, nm + "@babel/core/package.json", 1);
  babel.cataloger = "npm";
  auto lodash_top = make_package("npm", "", "lodash", "4.17.21", "pkg:npm/lodash@4.17.21", {"MIT"},
                                 nm + "lodash/package.json", 1);
  auto lodash_nested = make_package("npm", "", "lodash", "4.17.21", "pkg:npm/lodash@4.17.21",
                                    {"MIT"}, nm + "x/node_modules/lodash/package.json", 1);
  auto unicode =
      make_package("npm", "", "emoji-kit", "1.0.0+build.5", "pkg:npm/emoji-kit@1.0.0%2Bbuild.5",
                   {"Licence publique générale ©"}, nm + "emoji-kit/package.json", 1);
  auto requests =
      make_package("pypi", "", "requests", "2.31.0", "pkg:pypi/requests@2.31.0", {"Apache 2.0"},
                   "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", 1);
  auto slf4j = make_package("maven", "org.slf4j", "slf4j-api", "2.0.9",
                            "pkg:maven/org.slf4j/slf4j-api@2.0.9", {"MIT OR Apache-2.0"},
                            "/app/lib/slf4j-api-2.0.9.jar", 1);
  auto errors = make_package("golang", "github.com/pkg", "errors", "v0.9.1",
                             "pkg:golang/github.com/pkg/errors@v0.9.1", {"BSD-2-Clause"},
                             "/app/bin/server", 1);
  auto gem = make_package("gem", "", "Some_Gem", "1.0", "pkg:gem/Some_Gem@1.0", {"mit"},
                          "/usr/lib/ruby/gems/3.1.0/specifications/Some_Gem-1.0.gemspec", 1);
  // Deliberately out of order: writers sort.
  inv.packages = {requests, lodash_nested, libc,  babel, slf4j,  bsdutils,
                  errors,   lodash_top,    tilde, gem,   unicode};
  inv.warnings = {"skipped /app/huge.jar: larger than 64 MiB"};
  return scan;
}

}  // namespace mtr::sbom::testing
