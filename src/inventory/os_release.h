// Operating-system detection from the files an image keeps about itself.
#pragma once

#include <map>
#include <string>

#include "inventory/package.h"

namespace mtr::inventory {

// Whether the scan must keep this file's content for detect_os (etc/os-release,
// usr/lib/os-release, etc/debian_version, etc/alpine-release, etc/redhat-release,
// etc/system-release, etc/lsb-release, distroless markers, …). Paths are absolute.
bool os_file_required(std::string_view path);

// Decides the OS from the kept files of the merged image (path → content). Returns an
// empty OsInfo when nothing is recognised.
OsInfo detect_os(const std::map<std::string, std::string, std::less<>>& files);

}  // namespace mtr::inventory
