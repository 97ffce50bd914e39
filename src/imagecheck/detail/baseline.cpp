#include "imagecheck/detail/baseline.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace mtr::imagecheck::detail {
namespace {

// Paths in their /usr form (see usr_merged()), sorted for binary search.
//
// Debian and Ubuntu. The first group was verified against a Debian 12 (bookworm) image's root
// file system (`find / -perm /6000 -type f` finds exactly these eleven); the rest are files
// that common Debian/Ubuntu packages install setuid/setgid by design (openssh-client, dbus,
// cron, at, bsdutils/bsdextrautils, liblockfile-bin, fuse, uidmap, eject, iputils-ping where
// setcap failed at build time, mlocate/plocate, Ubuntu's libpam-extrausers).
constexpr std::array<std::string_view, 30> kDebian = {
    "/usr/bin/at",
    "/usr/bin/bsd-write",
    "/usr/bin/chage",  // Debian 12 minbase (setgid shadow)
    "/usr/bin/chfn",   // Debian 12 minbase
    "/usr/bin/chsh",   // Debian 12 minbase
    "/usr/bin/crontab",
    "/usr/bin/dotlockfile",
    "/usr/bin/expiry",  // Debian 12 minbase (setgid shadow)
    "/usr/bin/fusermount",
    "/usr/bin/fusermount3",
    "/usr/bin/gpasswd",  // Debian 12 minbase
    "/usr/bin/mlocate",
    "/usr/bin/mount",  // Debian 12 minbase
    "/usr/bin/newgidmap",
    "/usr/bin/newgrp",  // Debian 12 minbase
    "/usr/bin/newuidmap",
    "/usr/bin/passwd",  // Debian 12 minbase
    "/usr/bin/ping",
    "/usr/bin/ping6",
    "/usr/bin/plocate",
    "/usr/bin/ssh-agent",
    "/usr/bin/su",      // Debian 12 minbase
    "/usr/bin/umount",  // Debian 12 minbase
    "/usr/bin/wall",
    "/usr/bin/write",
    "/usr/lib/dbus-1.0/dbus-daemon-launch-helper",
    "/usr/lib/eject/dmcrypt-get-device",
    "/usr/lib/openssh/ssh-keysign",
    "/usr/sbin/pam_extrausers_chkpwd",
    "/usr/sbin/unix_chkpwd",  // Debian 12 minbase (setgid shadow)
};

// Alpine: busybox-suid's bbsuid (setuid helper for busybox applets), and the packages whose
// APKBUILD keeps the suid option: shadow, shadow-uidmap, util-linux (mount), linux-pam,
// openssh-keysign, cronie, fuse, dbus. The stock alpine image itself has no setuid file.
constexpr std::array<std::string_view, 19> kAlpine = {
    "/usr/bin/bbsuid",       "/usr/bin/chage",           "/usr/bin/chfn",
    "/usr/bin/chsh",         "/usr/bin/crontab",         "/usr/bin/expiry",
    "/usr/bin/fusermount",   "/usr/bin/fusermount3",     "/usr/bin/gpasswd",
    "/usr/bin/mount",        "/usr/bin/newgidmap",       "/usr/bin/newgrp",
    "/usr/bin/newuidmap",    "/usr/bin/passwd",          "/usr/bin/su",
    "/usr/bin/umount",       "/usr/lib/ssh/ssh-keysign", "/usr/libexec/dbus-daemon-launch-helper",
    "/usr/sbin/unix_chkpwd",
};

// RHEL family (UBI, CentOS Stream, Rocky, Alma, Fedora, Amazon Linux): shadow-utils,
// util-linux, pam, cronie, at, polkit, openssh (keysign), libutempter, dbus, usermode, fuse,
// nfs-utils.
constexpr std::array<std::string_view, 25> kRedHat = {
    "/usr/bin/at",
    "/usr/bin/chage",
    "/usr/bin/chfn",
    "/usr/bin/chsh",
    "/usr/bin/crontab",
    "/usr/bin/fusermount",
    "/usr/bin/fusermount3",
    "/usr/bin/gpasswd",
    "/usr/bin/mount",
    "/usr/bin/newgidmap",
    "/usr/bin/newgrp",
    "/usr/bin/newuidmap",
    "/usr/bin/passwd",
    "/usr/bin/pkexec",
    "/usr/bin/su",
    "/usr/bin/umount",
    "/usr/bin/wall",
    "/usr/bin/write",
    "/usr/lib/polkit-1/polkit-agent-helper-1",
    "/usr/libexec/dbus-1/dbus-daemon-launch-helper",
    "/usr/libexec/openssh/ssh-keysign",
    "/usr/libexec/utempter/utempter",
    "/usr/sbin/mount.nfs",
    "/usr/sbin/pam_timestamp_check",
    "/usr/sbin/unix_chkpwd",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& sorted, std::string_view path) {
  return std::binary_search(sorted.begin(), sorted.end(), path);
}

bool is_one_of(std::string_view id, std::initializer_list<std::string_view> ids) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

DistroFamily distro_family(const inventory::OsInfo& os) {
  auto family_of = [](std::string_view id) {
    if (is_one_of(id, {"debian", "ubuntu"})) return DistroFamily::kDebian;
    if (id == "alpine") return DistroFamily::kAlpine;
    if (is_one_of(id, {"rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn"})) {
      return DistroFamily::kRedHat;
    }
    return DistroFamily::kUnknown;
  };
  if (auto family = family_of(os.id); family != DistroFamily::kUnknown) return family;
  for (const auto& like : os.id_like) {
    if (auto family = family_of(like); family != DistroFamily::kUnknown) return family;
  }
  return DistroFamily::kUnknown;
}

const char* to_string(DistroFamily family) {
  switch (family) {
    case DistroFamily::kDebian:
      return "debian";
    case DistroFamily::kAlpine:
      return "alpine";
    case DistroFamily::kRedHat:
      return "rhel";
    case DistroFamily::kUnknown:
      break;
  }
  return "unknown";
}

bool in_setuid_baseline(DistroFamily family, std::string_view usr_path) {
  static_assert(std::is_sorted(kDebian.begin(), kDebian.end()));
  static_assert(std::is_sorted(kAlpine.begin(), kAlpine.end()));
  static_assert(std::is_sorted(kRedHat.begin(), kRedHat.end()));
  switch (family) {
    case DistroFamily::kDebian:
      return contains(kDebian, usr_path);
    case DistroFamily::kAlpine:
      return contains(kAlpine, usr_path);
    case DistroFamily::kRedHat:
      return contains(kRedHat, usr_path);
    case DistroFamily::kUnknown:
      break;
  }
  return false;
}

}  // namespace mtr::imagecheck::detail
