// The setuid/setgid files a distribution itself ships, per distribution family. An image that
// holds only these is as its distribution made it; anything beyond is a finding.
#pragma once

#include <string_view>

#include "inventory/package.h"

namespace mtr::imagecheck::detail {

enum class DistroFamily { kUnknown, kDebian, kAlpine, kRedHat };

// From os-release ID and ID_LIKE: debian/ubuntu and derivatives, alpine, the RHEL family
// (rhel, centos, fedora, rocky, almalinux, ol, amzn).
DistroFamily distro_family(const inventory::OsInfo& os);
const char* to_string(DistroFamily family);

// Whether `usr_path` (a path already passed through usr_merged()) is setuid or setgid as the
// family's own packages install it.
bool in_setuid_baseline(DistroFamily family, std::string_view usr_path);

}  // namespace mtr::imagecheck::detail
