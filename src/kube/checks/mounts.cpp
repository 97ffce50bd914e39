// The mounts group: host paths whose exposure hands the node over — the container runtime's
// socket (start a privileged container, game over) and system directories (/proc, /sys, /etc,
// the kubelet's state, the root itself). Each finding names the containers that mount the
// volume and whether they may write to it.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "kube/audit.h"
#include "kube/checks/check_util.h"

namespace mtr::kube {

namespace {

using detail::describe;
using detail::issue_at;

std::string normalise(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;  // "//" → "/"
    out.push_back(c);
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool under(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path == dir ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

// Sockets, and the directories that hold them (mounting /var/run exposes docker.sock).
bool runtime_socket(std::string_view path) {
  static constexpr std::string_view kSockets[] = {
      "/var/run/docker.sock",
      "/run/docker.sock",
      "/var/run/containerd",
      "/run/containerd",
      "/var/run/crio",
      "/run/crio",
      "/var/run/cri-dockerd.sock",
      "/run/cri-dockerd.sock",
      "/var/run/podman",
      "/run/podman",
      "/var/run/dockershim.sock",
      "/run/k3s/containerd",
  };
  for (std::string_view s : kSockets)
    if (under(path, s)) return true;
  return path == "/var/run" || path == "/run" || path == "/var/run/docker" || path == "/run/docker";
}

// The directory a sensitive path falls under, or "" when none.
std::string_view sensitive_dir(std::string_view path) {
  if (path == "/") return "/";
  static constexpr std::string_view kDirs[] = {"/proc",
                                               "/sys",
                                               "/etc",
                                               "/var/lib/kubelet",
                                               "/var/lib/docker",
                                               "/var/lib/containerd",
                                               "/var/lib/etcd",
                                               "/root",
                                               "/boot",
                                               "/dev",
                                               "/lib/modules",
                                               "/usr",
                                               "/bin",
                                               "/sbin",
                                               "/lib",
                                               "/home",
                                               "/var/log"};
  for (std::string_view d : kDirs)
    if (under(path, d)) return d;
  return {};
}

// "container \"app\" (read-write), init container \"setup\" (read-only)"; "no container" when
// none mounts it.
std::string mounted_by(const PodSpec& pod, const Volume& v, bool* writable) {
  std::vector<std::string> who;
  *writable = false;
  pod.for_each_container([&](const Container& c) {
    for (const VolumeMount& m : c.volume_mounts) {
      if (!m.name.is(v.name)) continue;
      bool rw = !m.read_only.is(true);
      *writable = *writable || rw;
      who.push_back(fmt::format("{} ({})", describe(c), rw ? "read-write" : "read-only"));
    }
  });
  if (who.empty()) return "no container mounts it yet";
  return "mounted by " + fmt::format("{}", fmt::join(who, ", "));
}

template <typename Match>
void host_paths(const AuditInput& input, IssueSink& out, Match match, const char* what) {
  for (const PodSpec& pod : input.pods()) {
    for (const Volume& v : pod.volumes) {
      if (v.type != "hostPath" || !v.host_path.has_value()) continue;
      std::string path = normalise(*v.host_path.value);
      if (!match(path)) continue;
      bool writable = false;
      std::string who = mounted_by(pod, v, &writable);
      out.report(issue_at(
          pod, fmt::format("volume \"{}\" exposes {} {} of the node: {}", v.name, what, path, who),
          v.host_path.path, v.host_path.node));
    }
  }
}

}  // namespace

void register_mount_checks(CheckRegistry& registry) {
  using core::Severity;
  {
    CheckInfo i;
    i.id = "MTR-K8S-701";
    i.group = CheckGroup::kMounts;
    i.title = "Container runtime socket mounted";
    i.severity = Severity::kCritical;
    i.description =
        "Whoever reaches docker.sock, containerd.sock or crio.sock can start a privileged "
        "container on the node: it is root on the node, whatever the pod's own settings.";
    i.fix =
        "Remove the hostPath volume; talk to the runtime through a narrowly scoped API "
        "(e.g. a build service) instead.";
    i.aliases = {"docker-sock", "DockerSock", "KSV-0006", "AVD-KSV-0006", "KSV006", "CKV_K8S_27"};
    i.references = {"https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"};
    (void)registry.add(std::move(i), [](const AuditInput& input, IssueSink& out) {
      host_paths(input, out, runtime_socket, "the container runtime socket at");
    });
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-702";
    i.group = CheckGroup::kMounts;
    i.title = "Sensitive host path mounted";
    i.severity = Severity::kHigh;
    i.description =
        "Host paths such as /, /proc, /sys, /etc, /var/lib/kubelet or /dev give the container the "
        "node's secrets (kubelet credentials, service account tokens of every pod), its "
        "configuration or its kernel interfaces.";
    i.fix =
        "volumes:\n- name: data\n  emptyDir: {}  # or a persistentVolumeClaim; never the "
        "node's system directories";
    i.aliases = {"sensitive-host-mounts", "KSV-0121", "AVD-KSV-0121", "KSV121"};
    i.references = {"https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"};
    (void)registry.add(std::move(i), [](const AuditInput& input, IssueSink& out) {
      host_paths(
          input, out,
          [](const std::string& p) { return !runtime_socket(p) && !sensitive_dir(p).empty(); },
          "the host path");
    });
  }
}

}  // namespace mtr::kube
