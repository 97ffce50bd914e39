// The table of image checks and the driver that runs them. Ids are stable: a check that goes
// away leaves its id unused, new checks take the next number.
#include "imagecheck/check.h"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "imagecheck/detail/checks.h"
#include "imagecheck/detail/context.h"

namespace mtr::imagecheck {
namespace {

using core::Severity;
using detail::CheckRow;

constexpr const char* kDockleDocs =
    "https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md";
constexpr const char* kCisDocker = "https://www.cisecurity.org/benchmark/docker";

std::string dockle_link(std::string_view id) {
  std::string anchor(id);
  std::transform(anchor.begin(), anchor.end(), anchor.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::string(kDockleDocs) + "#" + anchor;
}

// References in one order everywhere: CIS section, dockle ids, then links.
std::vector<std::string> refs(std::string_view cis, std::initializer_list<std::string_view> dockle,
                              std::initializer_list<std::string_view> links = {}) {
  std::vector<std::string> out;
  if (!cis.empty()) out.push_back("CIS Docker Benchmark " + std::string(cis));
  for (auto id : dockle) out.emplace_back(id);
  if (!cis.empty()) out.emplace_back(kCisDocker);
  for (auto id : dockle) out.push_back(dockle_link(id));
  for (auto link : links) out.emplace_back(link);
  return out;
}

std::vector<CheckRow> make_rows() {
  std::vector<CheckRow> rows;
  auto add = [&rows](std::string id, std::string title, Severity severity, std::string description,
                     std::string fix, std::string cis, std::string dockle,
                     std::vector<std::string> references, detail::CheckFn run) {
    rows.push_back(
        CheckRow{CheckInfo{std::move(id), std::move(title), severity, std::move(description),
                           std::move(fix), std::move(references)},
                 std::move(cis), std::move(dockle), run});
  };

  add("MTR-IMG-001", "Image runs as root", Severity::kMedium,
      "The image config names no user, or root (name or UID 0), so the container's process runs "
      "as root unless the runtime overrides it. A compromise of the process is then root in the "
      "container, one kernel bug away from root on the host.",
      "Create an unprivileged user and end the Dockerfile with `USER <name or uid>` (a numeric "
      "UID lets Kubernetes verify runAsNonRoot).",
      "4.1", "CIS-DI-0001", refs("4.1", {"CIS-DI-0001"}), detail::check_root_user);
  add("MTR-IMG-002", "Setuid/setgid file beyond the distribution's own", Severity::kMedium,
      "A regular file carries the setuid or setgid bit and is not one the distribution ships "
      "that way. Such files raise the privileges of whoever runs them and are the usual way from "
      "a foothold to root. Critical when the file is also writable by group or others.",
      "Remove the bit where it is not needed: `RUN chmod u-s,g-s <file>` (or "
      "`find / -xdev -perm /6000 -type f -exec chmod a-s {} +` near the end of the build).",
      "4.8", "CIS-DI-0008", refs("4.8", {"CIS-DI-0008"}), detail::check_setuid_files);
  add("MTR-IMG-003", "sudo installed", Severity::kMedium,
      "sudo (or doas) is installed. A container needs no privilege switching: run the process "
      "as the user it needs, and use `docker exec -u` for administration. A sudo rule or a "
      "sudo flaw turns any foothold into root.",
      "Remove the sudo/doas package and give the image's user only the permissions it needs.", "",
      "", refs("", {}, {"https://docs.docker.com/build/building/best-practices/#user"}),
      detail::check_sudo_installed);
  add("MTR-IMG-004", "sudo used in a build step", Severity::kLow,
      "A RUN step calls sudo. Build steps run as the Dockerfile's current USER; calling sudo "
      "means sudo is installed and configured to let that user become root.",
      "Switch with `USER root` for the steps that need it and back to the unprivileged user "
      "afterwards, then remove sudo.",
      "", "DKL-DI-0001", refs("", {"DKL-DI-0001"}), detail::check_sudo_in_history);
  add("MTR-IMG-005", "World-writable path in a system directory", Severity::kHigh,
      "A file or directory under /bin, /sbin, /usr, /lib*, /etc, /boot, /opt or /root (or / "
      "itself) is writable by every user and is not a sticky directory. Any process in the "
      "container can then replace programs, libraries or configuration that root uses.",
      "Fix the mode in the build: `RUN chmod o-w <path>`; give write access to the application's "
      "user through ownership of its own directories instead.",
      "", "", refs("", {}), detail::check_world_writable);
  add("MTR-IMG-006", "SSH server installed", Severity::kMedium,
      "An SSH server (OpenSSH sshd, Dropbear, TinySSH) is installed. Containers are entered with "
      "`docker exec`/`kubectl exec`; an SSH daemon is another network service with its own "
      "credentials and keys to manage and a frequent way in.",
      "Remove the SSH server package; use `docker exec` or `kubectl exec` to get a shell.", "", "",
      refs("", {}), detail::check_ssh_server);
  add("MTR-IMG-007", "SSH host private key in the image", Severity::kHigh,
      "A private SSH host key (/etc/ssh/ssh_host_*_key, /etc/dropbear/*_host_key) is baked into "
      "the image. Every container from it, and everyone who can pull it, shares the key: any of "
      "them can impersonate the server.",
      "Do not generate host keys at build time (remove them in the same RUN step that installs "
      "the server); generate them at container start or mount them as secrets.",
      "", "", refs("", {}), detail::check_ssh_host_keys);
  add("MTR-IMG-008", "SSH private key file in the image", Severity::kHigh,
      "A file named like an SSH private key (id_rsa, id_dsa, id_ecdsa, id_ed25519 and their "
      "_sk variants) is in the image. Whoever can pull the image can use the key wherever it "
      "is authorised. Layers keep it even if a later step deletes it; this check sees the "
      "merged file system, the secret scanner also looks inside lower layers.",
      "Remove the key and rotate it; use BuildKit secrets or SSH forwarding "
      "(`RUN --mount=type=ssh`) for build-time access.",
      "4.10", "CIS-DI-0010", refs("4.10", {"CIS-DI-0010"}), detail::check_ssh_user_keys);
  add("MTR-IMG-009", "Remote-access port exposed", Severity::kHigh,
      "The image exposes a port of a remote-access service: 22/tcp (SSH, high), 23/tcp (Telnet, "
      "critical), 2375/tcp (Docker Engine API without TLS, critical).",
      "Remove the EXPOSE and the service behind it; for the Docker API use TLS on 2376 or a "
      "socket, never plain 2375.",
      "", "", refs("", {}), detail::check_remote_access_ports);
  add("MTR-IMG-010", "Privileged port exposed", Severity::kLow,
      "The image exposes a port below 1024 other than 80 and 443 (and the ports of "
      "MTR-IMG-009). Binding it needs root or CAP_NET_BIND_SERVICE on hosts that keep the "
      "default net.ipv4.ip_unprivileged_port_start, which pushes the image towards running "
      "as root.",
      "Listen on a port at or above 1024 inside the container and map it at run time "
      "(`-p 53:5353/udp`, a Service's targetPort).",
      "", "", refs("", {}), detail::check_privileged_ports);
  add("MTR-IMG-011", "No HEALTHCHECK", Severity::kLow,
      "The image defines no healthcheck (none, or `HEALTHCHECK NONE`), so the engine cannot "
      "tell a hung service from a working one and will not restart or reroute around it.",
      "Add `HEALTHCHECK CMD <probe>` to the Dockerfile (or define liveness/readiness probes "
      "where the orchestrator ignores image healthchecks).",
      "4.6", "CIS-DI-0006", refs("4.6", {"CIS-DI-0006"}), detail::check_healthcheck);
  add("MTR-IMG-012", "ADD downloads a remote URL", Severity::kMedium,
      "A build step used ADD with an http(s) URL and no --checksum. The download is not "
      "verified, so whoever controls the server or the network path controls what goes into "
      "the image (high for plain http://). BuildKit history names the URL; the classic "
      "builder records only the download's digest, which still tells a download from a "
      "local file.",
      "Download in a RUN step and verify a pinned checksum or signature, or use "
      "`ADD --checksum=sha256:<digest> <url> <dest>`.",
      "4.9", "CIS-DI-0009", refs("4.9", {"CIS-DI-0009"}), detail::check_add_remote_url);
  add("MTR-IMG-013", "ADD used instead of COPY", Severity::kLow,
      "A build step (other than the base image's root file system) used ADD. ADD also unpacks "
      "archives and fetches URLs, which COPY never does: what lands in the image depends on "
      "the source's type, not only on its content.",
      "Use COPY for local files; extract archives explicitly in a RUN step.", "4.9", "CIS-DI-0009",
      refs("4.9", {"CIS-DI-0009"}), detail::check_add_used);
  add("MTR-IMG-014", "Package manager cache left in the image", Severity::kLow,
      "Package indexes or downloaded packages remain in the image (apt lists and archives, apk, "
      "yum/dnf/zypper caches, pip, npm, yarn, Go build caches). They add size and stale "
      "metadata that later steps may trust.",
      "Clean in the same RUN step that installs: `rm -rf /var/lib/apt/lists/*`, "
      "`apk add --no-cache`, `dnf clean all`, `pip install --no-cache-dir`, "
      "`npm cache clean --force`, or use a cache mount (`RUN --mount=type=cache`).",
      "", "", refs("", {"DKL-DI-0005", "DKL-DI-0004"}), detail::check_package_caches);
  add("MTR-IMG-015", "Base OS release past end of support", Severity::kHigh,
      "The image's distribution release no longer receives security updates (Debian after its "
      "LTS period, Ubuntu after standard support, Alpine after its branch's end of support). "
      "New vulnerabilities in its packages will not be fixed.",
      "Rebuild on a supported release of the distribution.", "", "", refs("", {}),
      detail::check_end_of_life);
  add("MTR-IMG-016", "Base OS release support ends soon", Severity::kLow,
      "The image's distribution release stops receiving security updates within 90 days.",
      "Plan the move to a newer release of the distribution.", "", "", refs("", {}),
      detail::check_support_ending);
  add("MTR-IMG-017", "Package index updated alone in a build step", Severity::kLow,
      "A RUN step updates the package index (apt-get/apt update, apk update) without installing "
      "or upgrading in the same step. The layer cache then keeps serving the old index to later "
      "steps, which install outdated packages or fail.",
      "Update and install in one RUN step: `apt-get update && apt-get install -y …`; "
      "`apk add --no-cache …`.",
      "4.7", "CIS-DI-0007", refs("4.7", {"CIS-DI-0007"}), detail::check_update_alone);
  add("MTR-IMG-018", "Sensitive directory declared as a volume", Severity::kMedium,
      "The image declares /proc, /sys or /dev (or a path under them) as a VOLUME. These are "
      "kernel interfaces; mounting over them hides the runtime's own mounts and suggests the "
      "image expects host access it should not have.",
      "Remove the VOLUME instruction; give the container only the specific host paths it needs "
      "at run time.",
      "", "DKL-DI-0002", refs("", {"DKL-DI-0002"}), detail::check_sensitive_volumes);
  return rows;
}

const std::vector<CheckRow>& rows() {
  static const std::vector<CheckRow> table = make_rows();
  return table;
}

}  // namespace

namespace detail {

core::Finding new_finding(const Context& context, const CheckRow& row) {
  core::Finding finding;
  finding.id = row.info.id;
  finding.severity = row.info.severity;
  finding.title = row.info.title;
  finding.description = row.info.description;
  finding.fix = row.info.fix;
  finding.references = row.info.references;
  finding.target = context.target();
  finding.properties["scanner"] = "config";
  if (!row.cis.empty()) finding.properties["cis"] = row.cis;
  if (!row.dockle.empty()) finding.properties["dockle"] = row.dockle;
  return finding;
}

}  // namespace detail

const std::vector<CheckInfo>& builtin_checks() {
  static const std::vector<CheckInfo> infos = [] {
    std::vector<CheckInfo> out;
    for (const auto& row : rows()) out.push_back(row.info);
    return out;
  }();
  return infos;
}

const CheckInfo* find_check(std::string_view id) {
  for (const auto& info : builtin_checks()) {
    if (info.id == id) return &info;
  }
  return nullptr;
}

std::vector<core::Finding> check_image(const oci::ImageScan& scan, const CheckOptions& options) {
  detail::Context context(scan, options);
  std::vector<core::Finding> findings;
  for (const auto& row : rows()) {
    std::vector<core::Finding> found;
    row.run(context, row, found);
    const std::size_t limit = options.max_findings_per_check;
    if (limit != 0 && found.size() > limit) {
      const std::size_t left_out = found.size() - limit;
      found.resize(limit);
      auto more = detail::new_finding(context, row);
      more.evidence =
          std::to_string(left_out) + " more finding" + (left_out == 1 ? "" : "s") +
          " of this check not listed (max_findings_per_check = " + std::to_string(limit) + ")";
      more.properties["omitted"] = std::to_string(left_out);
      found.push_back(std::move(more));
    }
    std::move(found.begin(), found.end(), std::back_inserter(findings));
  }
  return findings;
}

}  // namespace mtr::imagecheck
