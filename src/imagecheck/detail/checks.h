// The image checks themselves, one function each, grouped by what they read: the runtime
// config, the build history, the merged file system, the package inventory. check.cpp holds
// the table that names them; each appends its findings to `out`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "imagecheck/check.h"
#include "imagecheck/detail/context.h"

namespace mtr::imagecheck::detail {

struct CheckRow;
using CheckFn = void (*)(const Context&, const CheckRow&, std::vector<core::Finding>&);

struct CheckRow {
  CheckInfo info;
  std::string cis;     // CIS Docker Benchmark section ("4.1"), "" when none applies
  std::string dockle;  // dockle id ("CIS-DI-0001", "DKL-DI-0005"), "" when none applies
  CheckFn run = nullptr;
};

// A finding of `row` with its metadata, target and scanner properties filled in.
core::Finding new_finding(const Context& context, const CheckRow& row);

// config_checks.cpp
void check_root_user(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_remote_access_ports(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_privileged_ports(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_healthcheck(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_sensitive_volumes(const Context&, const CheckRow&, std::vector<core::Finding>&);

// history_checks.cpp
void check_sudo_in_history(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_add_remote_url(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_add_used(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_update_alone(const Context&, const CheckRow&, std::vector<core::Finding>&);

// filesystem_checks.cpp
void check_setuid_files(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_world_writable(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_ssh_host_keys(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_ssh_user_keys(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_package_caches(const Context&, const CheckRow&, std::vector<core::Finding>&);

// package_checks.cpp
void check_sudo_installed(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_ssh_server(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_end_of_life(const Context&, const CheckRow&, std::vector<core::Finding>&);
void check_support_ending(const Context&, const CheckRow&, std::vector<core::Finding>&);

// Shared by the ADD checks: the http(s) sources of an ADD instruction's arguments, and
// whether it pins a checksum (BuildKit's --checksum verifies what it downloads).
std::vector<std::string> add_remote_sources(const std::string& arguments, bool* has_checksum);
// The classic builder's record of a downloaded ADD source (its bare digest), if it is one.
std::optional<std::string> classic_download_hash(const std::string& arguments);

// Shared by the sudo checks: paths and package names that mean sudo (or its stand-in doas).
bool is_sudo_path(std::string_view usr_path);

}  // namespace mtr::imagecheck::detail
