// Checks on what is installed: sudo, an SSH server, and whether the distribution release
// still gets security updates.
#include <cstdio>

#include "imagecheck/detail/checks.h"
#include "imagecheck/detail/support_dates.h"

namespace mtr::imagecheck::detail {
namespace {

bool os_package(const inventory::Package& package) {
  return package.ecosystem == "deb" || package.ecosystem == "apk" || package.ecosystem == "rpm";
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (auto n : names) {
    if (n == name) return true;
  }
  return false;
}

// One finding for "this software is installed": the file when the image has it, else the
// package database entry.
void report_installed(const Context& context, const CheckRow& row, const oci::MergedFile* file,
                      const inventory::Package* package, std::vector<core::Finding>& out) {
  if (file == nullptr && package == nullptr) return;
  auto finding = new_finding(context, row);
  std::string evidence;
  if (package != nullptr) {
    evidence = "package " + package->name + " " + package->version;
    finding.location.path = package->found_in;
    finding.location.layer_digest = package->layer_digest;
    finding.properties["package"] = package->name;
    finding.properties["installed_version"] = package->version;
  }
  if (file != nullptr) {
    finding.location.path = file->entry.path;
    finding.location.layer_digest = context.layer_digest(file->layer);
    evidence += (evidence.empty() ? "" : ", ") + file->entry.path + " (mode " +
                octal_mode(file->entry.mode) + ")";
  }
  finding.evidence = clip(evidence);
  out.push_back(std::move(finding));
}

const oci::MergedFile* first_file(const Context& context, bool (*wanted)(std::string_view)) {
  for (const auto& file : context.scan().files) {
    if (file.entry.type != oci::FileType::kRegular && file.entry.type != oci::FileType::kHardlink) {
      continue;
    }
    if (wanted(usr_merged(file.entry.path))) return &file;
  }
  return nullptr;
}

bool is_sshd_path(std::string_view usr_path) {
  return usr_path == "/usr/sbin/sshd" || usr_path == "/usr/sbin/dropbear";
}

std::string format_date(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd{day};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

core::Finding support_finding(const Context& context, const CheckRow& row, const SupportEnd& end) {
  auto finding = new_finding(context, row);
  const auto& os = context.scan().inventory.os;
  finding.location.path = os.source_file;
  finding.properties["os"] = end.release;
  finding.properties["support_end"] = format_date(end.end);
  finding.references.push_back(end.source);
  return finding;
}

}  // namespace

bool is_sudo_path(std::string_view usr_path) {
  auto name = basename(usr_path);
  if (name != "sudo" && name != "doas") return false;
  auto dir = usr_path.substr(0, usr_path.size() - name.size());
  return one_of(dir, {"/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"});
}

void check_sudo_installed(const Context& context, const CheckRow& row,
                          std::vector<core::Finding>& out) {
  const inventory::Package* package = nullptr;
  for (const auto& p : context.scan().inventory.packages) {
    if (os_package(p) && one_of(p.name, {"sudo", "sudo-ldap", "doas", "opendoas"})) {
      package = &p;
      break;
    }
  }
  report_installed(context, row, first_file(context, is_sudo_path), package, out);
}

void check_ssh_server(const Context& context, const CheckRow& row,
                      std::vector<core::Finding>& out) {
  const inventory::Package* package = nullptr;
  for (const auto& p : context.scan().inventory.packages) {
    if (os_package(p) && one_of(p.name, {"openssh-server", "openssh-server-pam", "dropbear",
                                         "dropbear-bin", "tinysshd", "tinyssh"})) {
      package = &p;
      break;
    }
  }
  report_installed(context, row, first_file(context, is_sshd_path), package, out);
}

void check_end_of_life(const Context& context, const CheckRow& row,
                       std::vector<core::Finding>& out) {
  // An unset "today" (the epoch) would call every release supported; say nothing instead.
  if (context.options().today == std::chrono::sys_days{}) return;
  auto end = support_end(context.scan().inventory.os);
  if (!end || context.options().today <= end->end) return;
  auto finding = support_finding(context, row, *end);
  finding.evidence = end->release + ": security support ended " + format_date(end->end);
  out.push_back(std::move(finding));
}

void check_support_ending(const Context& context, const CheckRow& row,
                          std::vector<core::Finding>& out) {
  constexpr std::chrono::days kWarnAhead{90};
  if (context.options().today == std::chrono::sys_days{}) return;
  auto end = support_end(context.scan().inventory.os);
  const auto today = context.options().today;
  if (!end || today > end->end || end->end - today > kWarnAhead) return;
  auto finding = support_finding(context, row, *end);
  auto left = (end->end - today).count();
  finding.evidence = end->release + ": security support ends " + format_date(end->end) + " (in " +
                     std::to_string(left) + (left == 1 ? " day)" : " days)");
  out.push_back(std::move(finding));
}

}  // namespace mtr::imagecheck::detail
