// Checks on the merged file system (what a container sees): setuid/setgid files beyond the
// distribution's own, world-writable system paths, SSH keys, package-manager caches. Only
// names, types, modes and sizes are read: the checks never see file contents.
#include <map>
#include <optional>

#include "imagecheck/detail/baseline.h"
#include "imagecheck/detail/checks.h"

namespace mtr::imagecheck::detail {
namespace {

using oci::FileType;

bool is_file(const oci::FileEntry& entry) {
  return entry.type == FileType::kRegular || entry.type == FileType::kHardlink;
}

core::Finding file_finding(const Context& context, const CheckRow& row,
                           const oci::MergedFile& file) {
  auto finding = new_finding(context, row);
  finding.location.path = file.entry.path;
  finding.location.layer_digest = context.layer_digest(file.layer);
  return finding;
}

std::string owner(const oci::FileEntry& entry) {
  return "uid " + std::to_string(entry.uid) + ", gid " + std::to_string(entry.gid);
}

// System directories whose world-writable entries let any user in the container change what
// root runs or reads. /tmp, /var/tmp, /run and /dev are meant to be shared (with the sticky
// bit, or as device nodes) and are left out; /var holds application state by design.
constexpr std::string_view kSystemDirs[] = {"/bin",    "/sbin", "/usr",  "/lib", "/lib32", "/lib64",
                                            "/libx32", "/etc",  "/boot", "/opt", "/root"};

bool in_system_dir(std::string_view path) {
  if (path == "/") return true;
  for (auto dir : kSystemDirs) {
    if (starts_with_dir(path, dir)) return true;
  }
  return false;
}

constexpr std::string_view kUserKeyNames[] = {"id_rsa",     "id_dsa",      "id_ecdsa",
                                              "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_host_key(std::string_view path) {
  auto name = basename(path);
  auto dir = path.substr(0, path.size() - name.size());
  if (dir == "/etc/ssh/") {
    return name.rfind("ssh_host_", 0) == 0 && ends_with(name, "_key");
  }
  if (dir == "/etc/dropbear/") {
    return name.rfind("dropbear_", 0) == 0 && ends_with(name, "_host_key");
  }
  return false;
}

struct CacheKind {
  std::string_view name;
  std::string_view dockle;
};

constexpr CacheKind kAptLists{"apt package lists", "DKL-DI-0005"};
constexpr CacheKind kAptArchives{"apt package archives", "DKL-DI-0005"};
constexpr CacheKind kApk{"apk cache", "DKL-DI-0004"};
constexpr CacheKind kYum{"yum cache", ""};
constexpr CacheKind kDnf{"dnf cache", ""};
constexpr CacheKind kZypper{"zypper package cache", ""};
constexpr CacheKind kPip{"pip cache", ""};
constexpr CacheKind kNpm{"npm cache", ""};
constexpr CacheKind kYarn{"yarn cache", ""};
constexpr CacheKind kGoBuild{"Go build cache", ""};

struct CacheHit {
  const CacheKind* kind;
  std::string dir;
};

// Which cache a file belongs to, and that cache's directory (per home for user caches).
std::optional<CacheHit> cache_of(std::string_view path) {
  if (starts_with_dir(path, "/var/lib/apt/lists")) {
    // "lock" and partial downloads are apt's own bookkeeping, present even after a clean.
    if (path == "/var/lib/apt/lists/lock" || starts_with_dir(path, "/var/lib/apt/lists/partial")) {
      return std::nullopt;
    }
    return CacheHit{&kAptLists, "/var/lib/apt/lists"};
  }
  if (starts_with_dir(path, "/var/cache/apt")) {
    if (ends_with(path, ".deb") || ends_with(path, ".bin")) {
      return CacheHit{&kAptArchives, "/var/cache/apt"};
    }
    return std::nullopt;
  }
  if (starts_with_dir(path, "/var/cache/apk")) return CacheHit{&kApk, "/var/cache/apk"};
  if (starts_with_dir(path, "/var/cache/yum")) return CacheHit{&kYum, "/var/cache/yum"};
  if (starts_with_dir(path, "/var/cache/dnf")) return CacheHit{&kDnf, "/var/cache/dnf"};
  if (starts_with_dir(path, "/var/cache/zypp/packages")) {
    return CacheHit{&kZypper, "/var/cache/zypp/packages"};
  }
  struct UserCache {
    std::string_view marker;  // the cache directory, as it appears inside the path
    const CacheKind* kind;
  };
  static constexpr UserCache kUserCaches[] = {{"/.cache/pip/", &kPip},
                                              {"/.npm/_cacache/", &kNpm},
                                              {"/.cache/yarn/", &kYarn},
                                              {"/.cache/go-build/", &kGoBuild}};
  for (const auto& cache : kUserCaches) {
    auto at = path.find(cache.marker);
    if (at != std::string_view::npos) {
      return CacheHit{cache.kind, std::string(path.substr(0, at + cache.marker.size() - 1))};
    }
  }
  return std::nullopt;
}

}  // namespace

void check_setuid_files(const Context& context, const CheckRow& row,
                        std::vector<core::Finding>& out) {
  auto family = distro_family(context.scan().inventory.os);
  for (const auto& file : context.scan().files) {
    const auto& entry = file.entry;
    if (!is_file(entry) || (entry.mode & 06000u) == 0) continue;
    auto usr_path = usr_merged(entry.path);
    if (is_sudo_path(usr_path)) continue;  // reported by the sudo check
    if (in_setuid_baseline(family, usr_path)) continue;
    if (entry.type == FileType::kHardlink && !entry.link.empty()) {
      // A hard link to a baseline file is that same file under a second name.
      std::string target = entry.link.front() == '/' ? entry.link : "/" + entry.link;
      if (in_setuid_baseline(family, usr_merged(target))) continue;
    }
    auto finding = file_finding(context, row, file);
    bool setuid = (entry.mode & 04000u) != 0;
    bool setgid = (entry.mode & 02000u) != 0;
    // Writable by others as well: anyone can replace what runs with raised privileges.
    if ((entry.mode & 0022u) != 0) finding.severity = core::Severity::kCritical;
    finding.evidence = std::string(setuid && setgid ? "setuid+setgid"
                                   : setuid         ? "setuid"
                                                    : "setgid") +
                       ", mode " + octal_mode(entry.mode) + ", " + owner(entry);
    finding.properties["mode"] = octal_mode(entry.mode);
    finding.properties["baseline"] = to_string(family);
    out.push_back(std::move(finding));
  }
}

void check_world_writable(const Context& context, const CheckRow& row,
                          std::vector<core::Finding>& out) {
  for (const auto& file : context.scan().files) {
    const auto& entry = file.entry;
    // Symlinks are always 0777 and device nodes 0666 by design: only files and directories.
    bool directory = entry.type == FileType::kDirectory;
    if (!directory && !is_file(entry)) continue;
    if ((entry.mode & 0002u) == 0) continue;
    if (directory && (entry.mode & 01000u) != 0) continue;  // sticky, like /tmp
    if (!in_system_dir(entry.path)) continue;
    auto finding = file_finding(context, row, file);
    finding.evidence = std::string(directory ? "directory" : "file") + ", mode " +
                       octal_mode(entry.mode) + ", " + owner(entry);
    finding.properties["mode"] = octal_mode(entry.mode);
    out.push_back(std::move(finding));
  }
}

void check_ssh_host_keys(const Context& context, const CheckRow& row,
                         std::vector<core::Finding>& out) {
  for (const auto& file : context.scan().files) {
    // An empty file holds no key.
    if (!is_file(file.entry) || file.entry.size == 0 || !is_host_key(file.entry.path)) continue;
    auto finding = file_finding(context, row, file);
    finding.evidence = "private host key, " + std::to_string(file.entry.size) + " bytes";
    out.push_back(std::move(finding));
  }
}

void check_ssh_user_keys(const Context& context, const CheckRow& row,
                         std::vector<core::Finding>& out) {
  for (const auto& file : context.scan().files) {
    if (!is_file(file.entry) || file.entry.size == 0) continue;
    auto name = basename(file.entry.path);
    bool key_name = false;
    for (auto key : kUserKeyNames) key_name = key_name || name == key;
    if (!key_name) continue;
    auto finding = file_finding(context, row, file);
    finding.evidence =
        "file named " + std::string(name) + ", " + std::to_string(file.entry.size) + " bytes";
    out.push_back(std::move(finding));
  }
}

void check_package_caches(const Context& context, const CheckRow& row,
                          std::vector<core::Finding>& out) {
  struct Total {
    const CacheKind* kind = nullptr;
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    std::map<std::size_t, std::uint64_t> bytes_by_layer;
  };
  std::map<std::string, Total> totals;  // by cache directory, so output order is stable
  for (const auto& file : context.scan().files) {
    if (!is_file(file.entry) || file.entry.size == 0) continue;
    auto hit = cache_of(file.entry.path);
    if (!hit) continue;
    auto& total = totals[hit->dir];
    total.kind = hit->kind;
    total.files += 1;
    total.bytes += file.entry.size;
    total.bytes_by_layer[file.layer] += file.entry.size;
  }
  for (const auto& [dir, total] : totals) {
    auto finding = new_finding(context, row);
    finding.location.path = dir;
    // Point at the layer that left the most bytes behind: that is the step to fix.
    std::size_t layer = 0;
    std::uint64_t most = 0;
    for (const auto& [index, bytes] : total.bytes_by_layer) {
      if (bytes > most) {
        most = bytes;
        layer = index;
      }
    }
    finding.location.layer_digest = context.layer_digest(layer);
    finding.evidence = std::string(total.kind->name) + ": " + std::to_string(total.files) +
                       (total.files == 1 ? " file, " : " files, ") + human_bytes(total.bytes);
    finding.properties["cache"] = std::string(total.kind->name);
    finding.properties["bytes"] = std::to_string(total.bytes);
    finding.properties["files"] = std::to_string(total.files);
    if (!total.kind->dockle.empty()) finding.properties["dockle"] = std::string(total.kind->dockle);
    out.push_back(std::move(finding));
  }
}

}  // namespace mtr::imagecheck::detail
