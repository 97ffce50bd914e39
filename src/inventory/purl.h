// Package URL of an inventory package, e.g.
// pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12
#pragma once

#include <string>

#include "inventory/package.h"

namespace mtr::inventory {

std::string make_purl(const Package& package, const OsInfo& os);

}  // namespace mtr::inventory
