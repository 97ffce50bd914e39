// read_rootfs: a root directory read as one layer. Files are opened with openat2() and
// RESOLVE_IN_ROOT relative to the root, so no symlink (or a race swapping one in) can take a
// read outside it; the walk never follows directory symlinks; nothing is written.
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include "oci/detail/capture.h"
#include "oci/detail/path.h"
#include "oci/scan.h"

namespace mtr::oci {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int open_in_root(int root_fd, const std::string& relative) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS;
  return static_cast<int>(syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof how));
}

bool pseudo_filesystem(const fs::path& dir) {
  struct statfs sfs {};
  if (statfs(dir.c_str(), &sfs) != 0) return false;
  auto type = static_cast<unsigned long>(sfs.f_type);
  return type == PROC_SUPER_MAGIC || type == SYSFS_MAGIC || type == DEVPTS_SUPER_MAGIC ||
         type == CGROUP_SUPER_MAGIC || type == CGROUP2_SUPER_MAGIC || type == TRACEFS_MAGIC ||
         type == DEBUGFS_MAGIC || type == SECURITYFS_MAGIC || type == BPF_FS_MAGIC;
}

}  // namespace

core::Result<LayerResult> read_rootfs(const std::filesystem::path& root,
                                      const inventory::CatalogerRegistry& catalogers,
                                      const ScanLimits& limits, const ContentScanner* content) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return core::fail(ErrorCode::kNotFound, fmt::format("'{}' is not a directory", root.string()));
  }
  Fd root_fd(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root_fd.get() < 0) {
    return core::fail(ErrorCode::kIo,
                      fmt::format("cannot open '{}': {}", root.string(), std::strerror(errno)));
  }
  LayerResult result;
  result.diff_id = "";
  detail::Capture capture(catalogers, result, content);

  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec)
    return core::fail(ErrorCode::kIo,
                      fmt::format("cannot read '{}': {}", root.string(), ec.message()));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      result.warnings.push_back(fmt::format("{}: {}", root.string(), ec.message()));
      ec.clear();
      continue;
    }
    if (result.files.size() >= limits.max_files_per_layer) {
      return core::fail(
          ErrorCode::kLimitExceeded,
          fmt::format("{}: more than {} files", root.string(), limits.max_files_per_layer));
    }
    const fs::path& full = it->path();
    auto relative = full.lexically_relative(root).string();
    auto path = detail::normalize_path(relative);
    if (!path || *path == "/") continue;

    struct stat st {};
    if (fstatat(root_fd.get(), relative.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      result.warnings.push_back(fmt::format("{}: cannot stat: {}", *path, std::strerror(errno)));
      continue;
    }
    FileEntry file;
    file.path = *path;
    file.mode = st.st_mode & 07777u;
    file.uid = st.st_uid;
    file.gid = st.st_gid;
    file.size = S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
    if (S_ISDIR(st.st_mode)) {
      file.type = FileType::kDirectory;
      if (pseudo_filesystem(full)) {
        it.disable_recursion_pending();
      }
    } else if (S_ISLNK(st.st_mode)) {
      file.type = FileType::kSymlink;
      std::string target(4096, '\0');
      auto n = readlinkat(root_fd.get(), relative.c_str(), target.data(), target.size());
      target.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
      file.link = std::move(target);
    } else if (S_ISREG(st.st_mode)) {
      file.type = FileType::kRegular;
    } else {
      file.type = FileType::kOther;
    }

    if (file.type == FileType::kRegular && capture.wanted(file)) {
      std::optional<Fd> fd;  // opened on the first read, kept while read_entry goes on
      auto status = capture.read_entry(
          file, [&](detail::ByteBuffer& into, std::uint64_t limit) -> core::Result<bool> {
            if (!fd) {
              fd.emplace(open_in_root(root_fd.get(), relative));
              if (fd->get() < 0) {
                result.warnings.push_back(
                    fmt::format("{}: cannot open: {}", file.path, std::strerror(errno)));
                into.clear();
                return true;
              }
            }
            if (fd->get() < 0) return true;
            constexpr std::size_t kStep = 1 << 20;
            while (into.size() < limit) {
              std::size_t want = into.spare() > 0 ? std::min(kStep, into.spare()) : (16 << 10);
              want = static_cast<std::size_t>(std::min<std::uint64_t>(want, limit - into.size()));
              auto n = read(fd->get(), into.room(want), want);
              if (n < 0) {
                if (errno == EINTR) continue;
                result.warnings.push_back(
                    fmt::format("{}: read failed: {}", file.path, std::strerror(errno)));
                into.clear();
                return true;
              }
              if (n == 0) return true;
              into.commit(static_cast<std::size_t>(n));
            }
            return false;
          });
      if (!status) return core::unexpected(std::move(status).error());
    }
    result.files.push_back(std::move(file));
  }
  return result;
}

}  // namespace mtr::oci
