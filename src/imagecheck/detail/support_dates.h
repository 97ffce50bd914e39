// When a distribution release stops getting security updates: Debian (end of LTS), Ubuntu
// (end of standard security maintenance, the free tier) and Alpine (end of support per
// release branch). A built-in table: the end-of-life check must work offline.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "inventory/package.h"

namespace mtr::imagecheck::detail {

struct SupportEnd {
  std::string release;  // "Debian 11 (bullseye)", "Alpine 3.18", "Ubuntu 20.04"
  std::chrono::sys_days end;
  std::string source;  // URL the date comes from
};

// The release's end of security support, or nullopt when the distribution or release is not
// in the table (unknown, newer than the table, a development branch such as Alpine edge).
std::optional<SupportEnd> support_end(const inventory::OsInfo& os);

}  // namespace mtr::imagecheck::detail
