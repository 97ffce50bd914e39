// OS detection from os-release and the older release files.
#include "inventory/os_release.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace mtr::inventory {
namespace {

using Files = std::map<std::string, std::string, std::less<>>;

TEST(OsRelease, RequiredFiles) {
  EXPECT_TRUE(os_file_required("/etc/os-release"));
  EXPECT_TRUE(os_file_required("/usr/lib/os-release"));
  EXPECT_TRUE(os_file_required("/etc/debian_version"));
  EXPECT_TRUE(os_file_required("/etc/alpine-release"));
  EXPECT_TRUE(os_file_required("/etc/redhat-release"));
  EXPECT_TRUE(os_file_required("/etc/lsb-release"));
  EXPECT_FALSE(os_file_required("/etc/passwd"));
  EXPECT_FALSE(os_file_required("/home/etc/os-release"));
}

TEST(OsRelease, DebianBookwormFromCorpus) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "vuln/pkgdb/debian-12-minbase/etc";
  Files files{{"/etc/os-release", test::read_file(dir / "os-release")},
              {"/etc/debian_version", test::read_file(dir / "debian_version")}};
  auto os = detect_os(files);
  EXPECT_EQ(os.id, "debian");
  EXPECT_EQ(os.name, "Debian GNU/Linux");
  EXPECT_EQ(os.version_id, "12");
  EXPECT_EQ(os.codename, "bookworm");
  EXPECT_EQ(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_TRUE(os.id_like.empty());
  EXPECT_FALSE(os.distroless);
  EXPECT_EQ(os.source_file, "/etc/os-release");
}

TEST(OsRelease, PrefersEtcAndFallsBackToUsrLib) {
  Files both{{"/etc/os-release", "ID=alpine\nVERSION_ID=3.18.4\n"},
             {"/usr/lib/os-release", "ID=debian\nVERSION_ID=12\n"}};
  EXPECT_EQ(detect_os(both).id, "alpine");
  Files usr_only{{"/usr/lib/os-release", "ID=debian\nVERSION_ID=12\n"}};
  auto os = detect_os(usr_only);
  EXPECT_EQ(os.id, "debian");
  EXPECT_EQ(os.codename, "bookworm");  // derived: no VERSION_CODENAME
  EXPECT_EQ(os.source_file, "/usr/lib/os-release");
}

TEST(OsRelease, QuotingAndEscapes) {
  Files files{{"/etc/os-release",
               "# comment\n"
               "ID='ubuntu'\n"
               "NAME=\"Ubuntu \\\"Noble\\\" \\\\ \\$x\"\n"
               "VERSION_ID=\"24.04\" # trailing\n"
               "VERSION=\"24.04.1 LTS (Noble Numbat)\"\n"
               "ID_LIKE=debian\n"
               "PRETTY_NAME=Ubuntu\\ 24.04\n"
               "garbage line without equals\n"
               "=novalue\n"}};
  auto os = detect_os(files);
  EXPECT_EQ(os.id, "ubuntu");
  EXPECT_EQ(os.name, "Ubuntu \"Noble\" \\ $x");
  EXPECT_EQ(os.version_id, "24.04");
  EXPECT_EQ(os.codename, "noble");  // from VERSION
  EXPECT_EQ(os.pretty_name, "Ubuntu 24.04");
  EXPECT_EQ(os.id_like, std::vector<std::string>{"debian"});
}

TEST(OsRelease, TrivyVariants) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "vuln/peers/trivy/analyzer-testdata/os/release/testdata";
  struct Case {
    const char* file;
    const char* id;
    const char* version_id;
    std::vector<std::string> id_like;
  };
  for (const auto& c :
       std::vector<Case>{{"alpine", "alpine", "3.15.4", {}},
                         {"sles", "sles", "15.3", {"suse"}},
                         {"opensuseleap-15.2.1", "opensuse-leap", "15.2.1", {"suse", "opensuse"}},
                         {"alma", "almalinux", "9.4", {"rhel", "centos", "fedora"}},
                         {"rocky", "rocky", nullptr, {}},
                         {"rhel", "rhel", "9.4", {"fedora"}},
                         {"oracle", "ol", "8.10", {"fedora"}},
                         {"centos", "centos", "7", {"rhel", "fedora"}},
                         {"fedora", "fedora", nullptr, {}}}) {
    SCOPED_TRACE(c.file);
    auto os = detect_os(Files{{"/etc/os-release", test::read_file(dir / c.file)}});
    EXPECT_EQ(os.id, c.id);
    if (c.version_id != nullptr) {
      EXPECT_EQ(os.version_id, c.version_id);
      EXPECT_EQ(os.id_like, c.id_like);
    }
  }
  EXPECT_TRUE(detect_os(Files{{"/etc/os-release", test::read_file(dir / "no-id")}}).empty());
}

TEST(OsRelease, Distroless) {
  Files files{
      {"/etc/os-release",
       "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\n"
       "VERSION=\"Debian GNU/Linux 12 (bookworm)\"\n"
       "HOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n"}};
  auto os = detect_os(files);
  EXPECT_EQ(os.id, "debian");
  EXPECT_TRUE(os.distroless);
  EXPECT_EQ(os.version_id, "12");
  EXPECT_EQ(os.codename, "bookworm");
}

TEST(OsRelease, WolfiAndChainguardAndAmazon) {
  auto wolfi =
      detect_os(Files{{"/etc/os-release", "ID=wolfi\nNAME=\"Wolfi\"\nVERSION_ID=20230201\n"}});
  EXPECT_EQ(wolfi.id, "wolfi");
  EXPECT_EQ(wolfi.version_id, "20230201");
  auto cg = detect_os(
      Files{{"/etc/os-release", "ID=chainguard\nNAME=\"Chainguard\"\nVERSION_ID=20230214\n"}});
  EXPECT_EQ(cg.id, "chainguard");
  auto amzn = detect_os(Files{{"/etc/os-release",
                               "NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\n"
                               "ID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\n"}});
  EXPECT_EQ(amzn.id, "amzn");
  EXPECT_EQ(amzn.version_id, "2023");
}

TEST(OsRelease, DebianSidFromDebianVersion) {
  auto os = detect_os(
      Files{{"/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\n"},
            {"/etc/debian_version", "trixie/sid\n"}});
  EXPECT_EQ(os.id, "debian");
  EXPECT_EQ(os.version_id, "");
  EXPECT_EQ(os.codename, "trixie");
}

TEST(OsRelease, OlderReleaseFiles) {
  auto alpine = detect_os(Files{{"/etc/alpine-release", "3.4.6\n"}});
  EXPECT_EQ(alpine.id, "alpine");
  EXPECT_EQ(alpine.version_id, "3.4.6");

  auto debian9 = detect_os(Files{{"/etc/debian_version", "9.13\n"}});
  EXPECT_EQ(debian9.id, "debian");
  EXPECT_EQ(debian9.version_id, "9");
  EXPECT_EQ(debian9.codename, "stretch");

  auto ubuntu =
      detect_os(Files{{"/etc/lsb-release",
                       "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\n"
                       "DISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION=\"Ubuntu 18.04.2 LTS\"\n"}});
  EXPECT_EQ(ubuntu.id, "ubuntu");
  EXPECT_EQ(ubuntu.version_id, "18.04");
  EXPECT_EQ(ubuntu.codename, "bionic");

  auto centos =
      detect_os(Files{{"/etc/centos-release", "CentOS Linux release 7.6.1810 (Core) \n"},
                      {"/etc/redhat-release", "CentOS Linux release 7.6.1810 (Core) \n"}});
  EXPECT_EQ(centos.id, "centos");
  EXPECT_EQ(centos.version_id, "7.6.1810");

  auto rhel6 = detect_os(
      Files{{"/etc/redhat-release", "Red Hat Enterprise Linux Server release 6.10 (Santiago)\n"}});
  EXPECT_EQ(rhel6.id, "rhel");
  EXPECT_EQ(rhel6.version_id, "6.10");

  auto amzn = detect_os(Files{{"/etc/system-release", "Amazon Linux release 2 (Karoo)\n"}});
  EXPECT_EQ(amzn.id, "amzn");
  EXPECT_EQ(amzn.version_id, "2");

  auto sles11 = detect_os(Files{{"/etc/SuSE-release",
                                 "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\n"
                                 "PATCHLEVEL = 4\n"}});
  EXPECT_EQ(sles11.id, "sles");
  EXPECT_EQ(sles11.version_id, "11.4");
}

TEST(OsRelease, NothingOrGarbage) {
  EXPECT_TRUE(detect_os({}).empty());
  EXPECT_TRUE(detect_os(Files{{"/etc/os-release", std::string(1 << 20, '=')}}).empty());
  // An unterminated quote ends at the end of its line.
  EXPECT_EQ(detect_os(Files{{"/etc/os-release", "ID=\"Unterminated\nX=1"}}).id, "unterminated");
  EXPECT_TRUE(detect_os(Files{{"/etc/redhat-release", "\n\n\n"}}).empty());
}

}  // namespace
}  // namespace mtr::inventory
