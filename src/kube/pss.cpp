// Pod Security Standards as Pod Security Admission (k8s.io/pod-security-admission/policy)
// evaluates them. Each check below mirrors one PSA check_*.go: the same notion of "unset" (Go's
// nil pointer: our Field without a value, wrong-typed values included, since Go's decoder would
// never have produced them), the same visiting order (init, regular, ephemeral containers), the
// same sorted sets and plurals in the details, and the same version steps. Strings are only
// built once a check fails, as most pods pass most checks.
#include "kube/pss.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <utility>

#include "core/go_quote.h"

namespace mtr::kube {

namespace {

// The newest policy version any check knows (sysctls v1.37); newer versions and "latest"
// evaluate as this one, as PSA's registry does.
constexpr int kNewestMinor = 37;

enum CheckIndex : std::size_t {
  // Baseline, in Go byte order of the ids.
  kAppArmorProfile,
  kCapabilitiesBaseline,
  kHostNamespaces,
  kHostPathVolumes,
  kHostPorts,
  kHostProbesAndHostLifecycle,
  kPrivileged,
  kProcMount,
  kSeLinuxOptions,
  kSeccompProfileBaseline,
  kSysctls,
  kWindowsHostProcess,
  // Restricted, in Go byte order of the ids.
  kAllowPrivilegeEscalation,
  kCapabilitiesRestricted,
  kProcMountRestricted,
  kRestrictedVolumes,
  kRunAsNonRoot,
  kRunAsUser,
  kSeccompProfileRestricted,
  kCheckCount,
};

constexpr std::array<PssControl, kCheckCount> kControls = {{
    {"appArmorProfile", PssLevel::kBaseline, "AppArmor", 0},
    {"capabilities_baseline", PssLevel::kBaseline, "Capabilities", 0},
    {"hostNamespaces", PssLevel::kBaseline, "Host Namespaces", 0},
    {"hostPathVolumes", PssLevel::kBaseline, "HostPath Volumes", 0},
    {"hostPorts", PssLevel::kBaseline, "Host Ports", 0},
    {"hostProbesAndHostLifecycle", PssLevel::kBaseline, "Host Probes / Lifecycle Hooks", 34},
    {"privileged", PssLevel::kBaseline, "Privileged Containers", 0},
    {"procMount", PssLevel::kBaseline, "/proc Mount Type", 0},
    {"seLinuxOptions", PssLevel::kBaseline, "SELinux", 0},
    {"seccompProfile_baseline", PssLevel::kBaseline, "Seccomp", 0},
    {"sysctls", PssLevel::kBaseline, "Sysctls", 0},
    {"windowsHostProcess", PssLevel::kBaseline, "HostProcess", 0},
    {"allowPrivilegeEscalation", PssLevel::kRestricted, "Privilege Escalation", 8},
    {"capabilities_restricted", PssLevel::kRestricted, "Capabilities", 22},
    {"procMount_restricted", PssLevel::kRestricted, "/proc Mount Type", 35},
    {"restrictedVolumes", PssLevel::kRestricted, "Volume Types", 0},
    {"runAsNonRoot", PssLevel::kRestricted, "Running as Non-root", 0},
    {"runAsUser", PssLevel::kRestricted, "Running as Non-root user", 23},
    {"seccompProfile_restricted", PssLevel::kRestricted, "Seccomp", 19},
}};

// A restricted check's OverrideCheckIDs: from the overrider's first version, the baseline check
// no longer runs at the restricted level.
struct Override {
  CheckIndex baseline;
  CheckIndex restricted;
};
constexpr std::array<Override, 4> kOverrides = {{
    {kCapabilitiesBaseline, kCapabilitiesRestricted},
    {kHostPathVolumes, kRestrictedVolumes},
    {kProcMount, kProcMountRestricted},
    {kSeccompProfileBaseline, kSeccompProfileRestricted},
}};

// ---- Go formatting helpers (policy/helpers.go, fmt %q) ----------------------------------------

std::string_view pluralize(std::string_view singular, std::string_view plural, std::size_t n) {
  return n == 1 ? singular : plural;
}

template <typename Range>
std::string join(const Range& items, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.append(sep);
    first = false;
    out.append(item);
  }
  return out;
}

template <typename Range>
std::string join_quote(const Range& items) {
  if (std::begin(items) == std::end(items)) return {};
  return "\"" + join(items, "\", \"") + "\"";
}

// Sorted and deduplicated, as sets.String.List() returns it (Go byte order = std::string order).
std::vector<std::string> sorted_set(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

// ---- Model helpers ----------------------------------------------------------------------------

template <typename T>
PssField field(const Field<T>& f) {
  return PssField{f.path, f.node};
}

PssField field(const Anchor& a) { return PssField{a.path, a.node}; }

// Where a missing container-level field belongs: its securityContext, else the container.
PssField where_to_add(const Container& c) {
  return field(c.security_context.at.present() ? c.security_context.at : c.at);
}

// The field itself when it is written at all (even unreadable), else where it should go.
template <typename T>
PssField field_or_add(const Field<T>& f, const Container& c) {
  return f.present() ? field(f) : where_to_add(c);
}

// A profile's type field, or the profile mapping when the type is missing.
PssField profile_field(const Profile& p) { return p.type.present() ? field(p.type) : field(p.at); }

PssField annotation_field(const PodSpec& pod, const std::string& key) {
  const core::YamlNode* annotations =
      pod.metadata.present() ? pod.metadata.node->get("annotations") : nullptr;
  if (!annotations) return field(pod.metadata);
  std::string base = pod.metadata.path.empty() ? "annotations" : pod.metadata.path + ".annotations";
  if (const core::YamlNode* value = annotations->find(key))
    return PssField{base + "." + key, value};
  return PssField{std::move(base), annotations};
}

bool is_windows(const PodSpec& pod) { return pod.os_name.is("windows"); }
bool relax_for_user_namespace(const PodSpec& pod) { return pod.host_users.is(false); }

// `container "a"` / `containers "a", "b"`.
std::string containers_phrase(const std::vector<std::string_view>& names) {
  std::string out(pluralize("container", "containers", names.size()));
  out.push_back(' ');
  out += join_quote(names);
  return out;
}

// ---- Checks -----------------------------------------------------------------------------------
// Each returns true when the pod fails, with the reason, detail and fields filled in.

using CheckFn = bool (*)(const PodSpec&, int minor, PssViolation&);

bool check_allow_privilege_escalation(const PodSpec& pod, int minor, PssViolation& v) {
  if (minor >= 25 && is_windows(pod)) return false;
  std::vector<std::string_view> bad;
  pod.for_each_container([&](const Container& c) {
    const Field<bool>& f = c.security_context.allow_privilege_escalation;
    if (!f.has_value() || *f.value) {
      bad.push_back(c.name);
      v.fields.push_back(field_or_add(f, c));
    }
  });
  if (bad.empty()) return false;
  v.reason = "allowPrivilegeEscalation != false";
  v.detail = containers_phrase(bad) + " must set securityContext.allowPrivilegeEscalation=false";
  return true;
}

bool allowed_app_armor_annotation(std::string_view value) {
  return value.empty() || value == "runtime/default" || value.starts_with("localhost/");
}

bool allowed_app_armor_type(const Profile& p) {
  return p.type.is("RuntimeDefault") || p.type.is("Localhost");
}

bool check_app_armor_profile(const PodSpec& pod, int, PssViolation& v) {
  static constexpr std::string_view kPrefix = "container.apparmor.security.beta.kubernetes.io/";
  std::vector<std::string> setters;
  std::vector<std::string> values;
  if (const auto& p = pod.security_context.app_armor_profile; p && !allowed_app_armor_type(*p)) {
    setters.emplace_back("pod");
    values.push_back(p->type.value.value_or(""));
    v.fields.push_back(profile_field(*p));
  }
  std::vector<std::string_view> bad;
  pod.for_each_container([&](const Container& c) {
    const auto& p = c.security_context.app_armor_profile;
    if (p && !allowed_app_armor_type(*p)) {
      bad.push_back(c.name);
      values.push_back(p->type.value.value_or(""));
      v.fields.push_back(profile_field(*p));
    }
  });
  if (!bad.empty()) setters.push_back(containers_phrase(bad));
  std::vector<std::string> annotations;
  for (const auto& [key, value] : pod.annotations) {
    if (key.starts_with(kPrefix) && !allowed_app_armor_annotation(value)) {
      annotations.push_back(key + "=" + core::go_quote(value));
      v.fields.push_back(annotation_field(pod, key));
    }
  }
  if (setters.empty() && annotations.empty()) return false;
  std::vector<std::string> list = sorted_set(std::move(values));
  if (!annotations.empty()) {
    std::sort(annotations.begin(), annotations.end());
    setters.emplace_back(pluralize("annotation", "annotations", annotations.size()));
    list.insert(list.end(), annotations.begin(), annotations.end());
  }
  v.reason = pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", list.size());
  v.detail = join(setters, " and ") + " must not set AppArmor profile type to " + join_quote(list);
  return true;
}

bool default_capability(std::string_view cap) {
  static constexpr std::array<std::string_view, 13> kAllowed = {
      "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
      "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};
  return std::find(kAllowed.begin(), kAllowed.end(), cap) != kAllowed.end();
}

bool check_capabilities_baseline(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string_view> bad;
  std::vector<std::string> caps;
  pod.for_each_container([&](const Container& c) {
    const auto& capabilities = c.security_context.capabilities;
    if (!capabilities) return;
    bool valid = true;
    for (const Field<std::string>& add : capabilities->add) {
      if (!add.has_value() || default_capability(*add.value)) continue;
      valid = false;
      caps.push_back(*add.value);
      v.fields.push_back(field(add));
    }
    if (!valid) bad.push_back(c.name);
  });
  if (bad.empty()) return false;
  v.reason = "non-default capabilities";
  v.detail = containers_phrase(bad) + " must not include " +
             join_quote(sorted_set(std::move(caps))) + " in securityContext.capabilities.add";
  return true;
}

bool check_capabilities_restricted(const PodSpec& pod, int minor, PssViolation& v) {
  if (minor >= 25 && is_windows(pod)) return false;
  std::vector<std::string_view> missing_drop, adding;
  std::vector<std::string> caps;
  pod.for_each_container([&](const Container& c) {
    const auto& capabilities = c.security_context.capabilities;
    if (!capabilities) {
      missing_drop.push_back(c.name);
      v.fields.push_back(where_to_add(c));
      return;
    }
    bool dropped_all = std::any_of(capabilities->drop.begin(), capabilities->drop.end(),
                                   [](const Field<std::string>& d) { return d.is("ALL"); });
    if (!dropped_all) {
      missing_drop.push_back(c.name);
      const core::YamlNode* drop = capabilities->at.node->get("drop");
      v.fields.push_back(drop ? PssField{capabilities->at.path + ".drop", drop}
                              : field(capabilities->at));
    }
    bool added_forbidden = false;
    for (const Field<std::string>& add : capabilities->add) {
      if (!add.has_value() || *add.value == "NET_BIND_SERVICE") continue;
      added_forbidden = true;
      caps.push_back(*add.value);
      v.fields.push_back(field(add));
    }
    if (added_forbidden) adding.push_back(c.name);
  });
  std::vector<std::string> details;
  if (!missing_drop.empty())
    details.push_back(containers_phrase(missing_drop) +
                      R"( must set securityContext.capabilities.drop=["ALL"])");
  if (!adding.empty())
    details.push_back(containers_phrase(adding) + " must not include " +
                      join_quote(sorted_set(std::move(caps))) +
                      " in securityContext.capabilities.add");
  if (details.empty()) return false;
  v.reason = "unrestricted capabilities";
  v.detail = join(details, "; ");
  return true;
}

bool check_host_namespaces(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string_view> namespaces;
  for (auto [f, text] :
       {std::pair{&pod.host_network, "hostNetwork=true"}, std::pair{&pod.host_pid, "hostPID=true"},
        std::pair{&pod.host_ipc, "hostIPC=true"}}) {
    if (!f->is(true)) continue;
    namespaces.emplace_back(text);
    v.fields.push_back(field(*f));
  }
  if (namespaces.empty()) return false;
  v.reason = "host namespaces";
  v.detail = join(namespaces, ", ");
  return true;
}

// A volume source as Go would decode it: present, and an object (anything else never decodes).
const core::YamlNode* volume_source(const Volume& volume, std::string_view key) {
  const core::YamlNode* node = volume.at.node ? volume.at.node->get(key) : nullptr;
  return node && node->is_mapping() ? node : nullptr;
}

bool check_host_path_volumes(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string_view> bad;
  for (const Volume& volume : pod.volumes) {
    if (const core::YamlNode* source = volume_source(volume, "hostPath")) {
      bad.push_back(volume.name);
      v.fields.push_back(PssField{volume.at.path + ".hostPath", source});
    }
  }
  if (bad.empty()) return false;
  v.reason = "hostPath volumes";
  v.detail = std::string(pluralize("volume", "volumes", bad.size())) + " " + join_quote(bad);
  return true;
}

bool check_host_ports(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string_view> bad;
  std::vector<std::string> ports;
  pod.for_each_container([&](const Container& c) {
    bool valid = true;
    for (const ContainerPort& p : c.ports) {
      if (!p.host_port.has_value() || *p.host_port.value == 0) continue;
      valid = false;
      // Go converts the int32 hostPort with strconv.Itoa.
      ports.push_back(std::to_string(static_cast<std::int32_t>(*p.host_port.value)));
      v.fields.push_back(field(p.host_port));
    }
    if (!valid) bad.push_back(c.name);
  });
  if (bad.empty()) return false;
  ports = sorted_set(std::move(ports));
  v.reason = "hostPort";
  v.detail = containers_phrase(bad) + " " + std::string(pluralize("uses", "use", bad.size())) +
             " " + std::string(pluralize("hostPort", "hostPorts", ports.size())) + " " +
             join(ports, ", ");
  return true;
}

bool check_host_probes(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string> bad, hosts;
  pod.for_each_container([&](const Container& c) {
    for (const HandlerHost& h : c.handler_hosts) {
      if (!h.host.has_value() || h.host.value->empty()) continue;
      bad.push_back(c.name);
      hosts.push_back(*h.host.value);
      v.fields.push_back(field(h.host));
    }
  });
  if (bad.empty()) return false;
  bad = sorted_set(std::move(bad));
  hosts = sorted_set(std::move(hosts));
  v.reason = "probe or lifecycle host";
  v.detail =
      std::string(pluralize("container", "containers", bad.size())) + " " + join_quote(bad) + " " +
      std::string(pluralize("uses", "use", bad.size())) + " " +
      std::string(pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.size())) +
      " " + join_quote(hosts);
  return true;
}

bool check_privileged(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string_view> bad;
  pod.for_each_container([&](const Container& c) {
    if (!c.security_context.privileged.is(true)) return;
    bad.push_back(c.name);
    v.fields.push_back(field(c.security_context.privileged));
  });
  if (bad.empty()) return false;
  v.reason = "privileged";
  v.detail = containers_phrase(bad) + " must not set securityContext.privileged=true";
  return true;
}

bool proc_mount(const PodSpec& pod, PssViolation& v) {
  std::vector<std::string_view> bad;
  std::vector<std::string> types;
  pod.for_each_container([&](const Container& c) {
    const Field<std::string>& f = c.security_context.proc_mount;
    if (!f.has_value() || *f.value == "Default") return;
    bad.push_back(c.name);
    types.push_back(*f.value);
    v.fields.push_back(field(f));
  });
  if (bad.empty()) return false;
  v.reason = "procMount";
  v.detail = containers_phrase(bad) + " must not set securityContext.procMount to " +
             join_quote(sorted_set(std::move(types)));
  return true;
}

bool check_proc_mount(const PodSpec& pod, int minor, PssViolation& v) {
  if (minor >= 35 && relax_for_user_namespace(pod)) return false;
  return proc_mount(pod, v);
}

bool check_proc_mount_restricted(const PodSpec& pod, int, PssViolation& v) {
  return proc_mount(pod, v);
}

bool check_se_linux_options(const PodSpec& pod, int minor, PssViolation& v) {
  std::vector<std::string> bad_types;
  bool set_user = false, set_role = false;
  auto valid = [&](const SeLinuxOptions& o) {
    bool ok = true;
    const std::string& type = o.type.has_value() ? *o.type.value : std::string();
    bool type_ok = type.empty() || type == "container_t" || type == "container_init_t" ||
                   type == "container_kvm_t" || (minor >= 31 && type == "container_engine_t");
    if (!type_ok) {
      ok = false;
      bad_types.push_back(type);
      v.fields.push_back(field(o.type));
    }
    if (o.user.has_value() && !o.user.value->empty()) {
      ok = false;
      set_user = true;
      v.fields.push_back(field(o.user));
    }
    if (o.role.has_value() && !o.role.value->empty()) {
      ok = false;
      set_role = true;
      v.fields.push_back(field(o.role));
    }
    return ok;
  };
  std::vector<std::string> setters;
  if (const auto& o = pod.security_context.se_linux_options; o && !valid(*o))
    setters.emplace_back("pod");
  std::vector<std::string_view> bad;
  pod.for_each_container([&](const Container& c) {
    if (const auto& o = c.security_context.se_linux_options; o && !valid(*o)) bad.push_back(c.name);
  });
  if (!bad.empty()) setters.push_back(containers_phrase(bad));
  if (setters.empty()) return false;
  std::vector<std::string> data;
  if (!bad_types.empty()) {
    bad_types = sorted_set(std::move(bad_types));
    data.push_back(std::string(pluralize("type", "types", bad_types.size())) + " " +
                   join_quote(bad_types));
  }
  if (set_user) data.emplace_back("user may not be set");
  if (set_role) data.emplace_back("role may not be set");
  v.reason = "seLinuxOptions";
  v.detail =
      join(setters, " and ") + " set forbidden securityContext.seLinuxOptions: " + join(data, "; ");
  return true;
}

bool valid_seccomp(const Profile& p) {
  return p.type.is("Localhost") || p.type.is("RuntimeDefault");
}

bool valid_seccomp_annotation(std::string_view value) {
  return value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/");
}

// Before v1.19 the seccomp profile lived in (now removed) annotations.
bool seccomp_annotations(const PodSpec& pod, PssViolation& v) {
  static const std::string kPodKey = "seccomp.security.alpha.kubernetes.io/pod";
  static constexpr std::string_view kContainerPrefix =
      "container.seccomp.security.alpha.kubernetes.io/";
  std::vector<std::string> forbidden;
  if (pod.annotations.empty()) return false;
  auto check = [&](const std::string& key) {
    auto it = pod.annotations.find(key);
    if (it == pod.annotations.end() || valid_seccomp_annotation(it->second)) return;
    forbidden.push_back(key + "=" + core::go_quote(it->second));
    v.fields.push_back(annotation_field(pod, key));
  };
  check(kPodKey);
  pod.for_each_container([&](const Container& c) {
    std::string key(kContainerPrefix);
    key += c.name;
    check(key);
  });
  if (forbidden.empty()) return false;
  forbidden = sorted_set(std::move(forbidden));
  v.reason = "seccompProfile";
  v.detail = "forbidden " + std::string(pluralize("annotation", "annotations", forbidden.size())) +
             " " + join(forbidden, ", ");
  return true;
}

// The seccompProfile fields (v1.19+). `require` adds the restricted rule that every container
// must end up with a valid profile, its own or the pod's.
bool seccomp_fields(const PodSpec& pod, bool require, PssViolation& v) {
  std::vector<std::string> setters, values;
  std::vector<PssField> explicit_fields, implicit_fields;
  bool pod_set = false;
  if (const auto& p = pod.security_context.seccomp_profile) {
    if (!valid_seccomp(*p)) {
      setters.emplace_back("pod");
      values.push_back(p->type.value.value_or(""));
      explicit_fields.push_back(profile_field(*p));
    } else {
      pod_set = true;
    }
  }
  std::vector<std::string_view> explicitly_bad, implicitly_bad;
  pod.for_each_container([&](const Container& c) {
    if (const auto& p = c.security_context.seccomp_profile) {
      if (!valid_seccomp(*p)) {
        explicitly_bad.push_back(c.name);
        values.push_back(p->type.value.value_or(""));
        explicit_fields.push_back(profile_field(*p));
      }
    } else if (require && !pod_set) {
      implicitly_bad.push_back(c.name);
      implicit_fields.push_back(where_to_add(c));
    }
  });
  if (!explicitly_bad.empty()) setters.push_back(containers_phrase(explicitly_bad));
  v.reason = "seccompProfile";
  if (!setters.empty()) {
    v.detail = join(setters, " and ") + " must not set securityContext.seccompProfile.type to " +
               join_quote(sorted_set(std::move(values)));
    v.fields = std::move(explicit_fields);
    return true;
  }
  if (!implicitly_bad.empty()) {
    v.detail =
        "pod or " + containers_phrase(implicitly_bad) +
        R"( must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")";
    v.fields = std::move(implicit_fields);
    return true;
  }
  v.reason.clear();
  return false;
}

bool check_seccomp_baseline(const PodSpec& pod, int minor, PssViolation& v) {
  return minor < 19 ? seccomp_annotations(pod, v) : seccomp_fields(pod, /*require=*/false, v);
}

bool check_seccomp_restricted(const PodSpec& pod, int minor, PssViolation& v) {
  if (minor >= 25 && is_windows(pod)) return false;
  return seccomp_fields(pod, /*require=*/true, v);
}

// The safe sysctls and the version each became safe in.
struct SafeSysctl {
  std::string_view name;
  int since;
};
constexpr std::array<SafeSysctl, 14> kSafeSysctls = {{
    {"kernel.shm_rmid_forced", 0},
    {"net.ipv4.ip_local_port_range", 0},
    {"net.ipv4.tcp_syncookies", 0},
    {"net.ipv4.ping_group_range", 0},
    {"net.ipv4.ip_unprivileged_port_start", 0},
    {"net.ipv4.ip_local_reserved_ports", 27},
    {"net.ipv4.tcp_keepalive_time", 29},
    {"net.ipv4.tcp_fin_timeout", 29},
    {"net.ipv4.tcp_keepalive_intvl", 29},
    {"net.ipv4.tcp_keepalive_probes", 29},
    {"net.ipv4.tcp_rmem", 32},
    {"net.ipv4.tcp_wmem", 32},
    {"net.ipv4.tcp_slow_start_after_idle", 37},
    {"net.ipv4.tcp_notsent_lowat", 37},
}};

bool safe_sysctl(std::string_view name, int minor) {
  for (const SafeSysctl& s : kSafeSysctls)
    if (s.name == name) return minor >= s.since;
  return false;
}

bool check_sysctls(const PodSpec& pod, int minor, PssViolation& v) {
  std::vector<std::string_view> forbidden;
  for (const Sysctl& s : pod.security_context.sysctls) {
    std::string_view name = s.name.has_value() ? std::string_view(*s.name.value) : "";
    if (safe_sysctl(name, minor)) continue;
    forbidden.push_back(name);
    if (s.name.present())
      v.fields.push_back(field(s.name));
    else if (s.value.present())
      v.fields.push_back(field(s.value));
    else
      v.fields.push_back(field(pod.security_context.at));
  }
  if (forbidden.empty()) return false;
  v.reason = "forbidden sysctls";
  v.detail = join(forbidden, ", ");
  return true;
}

bool check_windows_host_process(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string> setters;
  if (pod.security_context.windows_host_process.is(true)) {
    setters.emplace_back("pod");
    v.fields.push_back(field(pod.security_context.windows_host_process));
  }
  std::vector<std::string_view> bad;
  pod.for_each_container([&](const Container& c) {
    if (!c.security_context.windows_host_process.is(true)) return;
    bad.push_back(c.name);
    v.fields.push_back(field(c.security_context.windows_host_process));
  });
  if (!bad.empty()) setters.push_back(containers_phrase(bad));
  if (setters.empty()) return false;
  v.reason = "hostProcess";
  v.detail =
      join(setters, " and ") + " must not set securityContext.windowsOptions.hostProcess=true";
  return true;
}

// Every volume source of corev1.VolumeSource: the allowed ones, then the restricted ones in the
// order PSA tests them (the first one set names the volume's type).
constexpr std::array<std::string_view, 9> kAllowedVolumeSources = {
    "configMap", "csi",   "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
    "projected", "secret"};
constexpr std::array<std::string_view, 21> kRestrictedVolumeSources = {"hostPath",
                                                                       "gcePersistentDisk",
                                                                       "awsElasticBlockStore",
                                                                       "gitRepo",
                                                                       "nfs",
                                                                       "iscsi",
                                                                       "glusterfs",
                                                                       "rbd",
                                                                       "flexVolume",
                                                                       "cinder",
                                                                       "cephfs",
                                                                       "flocker",
                                                                       "fc",
                                                                       "azureFile",
                                                                       "vsphereVolume",
                                                                       "quobyte",
                                                                       "azureDisk",
                                                                       "photonPersistentDisk",
                                                                       "portworxVolume",
                                                                       "scaleIO",
                                                                       "storageos"};

bool check_restricted_volumes(const PodSpec& pod, int, PssViolation& v) {
  std::vector<std::string_view> bad;
  std::vector<std::string> types;
  for (const Volume& volume : pod.volumes) {
    // Sources decode as Go would: the last occurrence of a key wins; only objects decode.
    std::array<const core::YamlNode*, kRestrictedVolumeSources.size()> restricted{};
    bool allowed = false;
    const core::YamlNode* node = volume.at.node;
    for (std::size_t i = 0; node && i < node->entry_count(); ++i) {
      auto key = node->entry_key(i).as_string();
      if (!key) continue;
      const core::YamlNode& value = node->entry_value(i);
      if (std::find(kAllowedVolumeSources.begin(), kAllowedVolumeSources.end(), *key) !=
          kAllowedVolumeSources.end()) {
        if (value.is_mapping()) allowed = true;
        continue;
      }
      auto it = std::find(kRestrictedVolumeSources.begin(), kRestrictedVolumeSources.end(), *key);
      if (it != kRestrictedVolumeSources.end())
        restricted[static_cast<std::size_t>(it - kRestrictedVolumeSources.begin())] =
            value.is_mapping() ? &value : nullptr;
    }
    if (allowed) continue;
    auto first = std::find_if(restricted.begin(), restricted.end(),
                              [](const core::YamlNode* n) { return n != nullptr; });
    // A volume with no source is defaulted to emptyDir by the API server before admission, so
    // PSA's "unknown" type is never reached from a manifest (the conformance fixtures agree).
    if (first == restricted.end()) continue;
    bad.push_back(volume.name);
    std::string_view type =
        kRestrictedVolumeSources[static_cast<std::size_t>(first - restricted.begin())];
    types.emplace_back(type);
    v.fields.push_back(PssField{volume.at.path + "." + std::string(type), *first});
  }
  if (bad.empty()) return false;
  types = sorted_set(std::move(types));
  v.reason = "restricted volume types";
  v.detail =
      std::string(pluralize("volume", "volumes", bad.size())) + " " + join_quote(bad) + " " +
      std::string(pluralize("uses", "use", bad.size())) + " " +
      std::string(pluralize("restricted volume type", "restricted volume types", types.size())) +
      " " + join_quote(types);
  return true;
}

bool check_run_as_non_root(const PodSpec& pod, int minor, PssViolation& v) {
  if (minor >= 35 && relax_for_user_namespace(pod)) return false;
  std::vector<std::string> setters;
  std::vector<PssField> explicit_fields, implicit_fields;
  bool pod_non_root = false;
  if (const Field<bool>& f = pod.security_context.run_as_non_root; f.has_value()) {
    if (!*f.value) {
      setters.emplace_back("pod");
      explicit_fields.push_back(field(f));
    } else {
      pod_non_root = true;
    }
  }
  std::vector<std::string_view> explicitly_bad, implicitly_bad;
  pod.for_each_container([&](const Container& c) {
    const Field<bool>& f = c.security_context.run_as_non_root;
    if (f.has_value()) {
      if (!*f.value) {
        explicitly_bad.push_back(c.name);
        explicit_fields.push_back(field(f));
      }
    } else if (!pod_non_root) {
      implicitly_bad.push_back(c.name);
      implicit_fields.push_back(field_or_add(f, c));
    }
  });
  if (!explicitly_bad.empty()) setters.push_back(containers_phrase(explicitly_bad));
  v.reason = "runAsNonRoot != true";
  if (!setters.empty()) {
    v.detail = join(setters, " and ") + " must not set securityContext.runAsNonRoot=false";
    v.fields = std::move(explicit_fields);
    return true;
  }
  if (!implicitly_bad.empty()) {
    v.detail = "pod or " + containers_phrase(implicitly_bad) +
               " must set securityContext.runAsNonRoot=true";
    v.fields = std::move(implicit_fields);
    return true;
  }
  v.reason.clear();
  return false;
}

bool check_run_as_user(const PodSpec& pod, int minor, PssViolation& v) {
  if (minor >= 35 && relax_for_user_namespace(pod)) return false;
  std::vector<std::string> setters;
  if (pod.security_context.run_as_user.is(0)) {
    setters.emplace_back("pod");
    v.fields.push_back(field(pod.security_context.run_as_user));
  }
  std::vector<std::string_view> bad;
  pod.for_each_container([&](const Container& c) {
    if (!c.security_context.run_as_user.is(0)) return;
    bad.push_back(c.name);
    v.fields.push_back(field(c.security_context.run_as_user));
  });
  if (!bad.empty()) setters.push_back(containers_phrase(bad));
  if (setters.empty()) return false;
  v.reason = "runAsUser=0";
  v.detail = join(setters, " and ") + " must not set runAsUser=0";
  return true;
}

constexpr std::array<CheckFn, kCheckCount> kCheckFns = {
    check_app_armor_profile,
    check_capabilities_baseline,
    check_host_namespaces,
    check_host_path_volumes,
    check_host_ports,
    check_host_probes,
    check_privileged,
    check_proc_mount,
    check_se_linux_options,
    check_seccomp_baseline,
    check_sysctls,
    check_windows_host_process,
    check_allow_privilege_escalation,
    check_capabilities_restricted,
    check_proc_mount_restricted,
    check_restricted_volumes,
    check_run_as_non_root,
    check_run_as_user,
    check_seccomp_restricted,
};

bool applies(std::size_t index, PssLevel level, int minor) {
  const PssControl& control = kControls[index];
  if (minor < control.first_minor) return false;
  if (control.level == PssLevel::kRestricted) return level == PssLevel::kRestricted;
  if (level == PssLevel::kRestricted) {
    for (const Override& o : kOverrides)
      if (o.baseline == index && minor >= kControls[o.restricted].first_minor) return false;
  }
  return true;
}

}  // namespace

std::string PssVersion::to_string() const {
  return latest ? "latest" : "v1." + std::to_string(minor);
}

std::string_view to_string(PssLevel level) {
  switch (level) {
    case PssLevel::kPrivileged:
      return "privileged";
    case PssLevel::kBaseline:
      return "baseline";
    case PssLevel::kRestricted:
      return "restricted";
  }
  return "restricted";
}

core::Result<PssLevel> parse_pss_level(std::string_view text) {
  if (text == "privileged") return PssLevel::kPrivileged;
  if (text == "baseline") return PssLevel::kBaseline;
  if (text == "restricted") return PssLevel::kRestricted;
  return core::fail(core::ErrorCode::kUsage,
                    "invalid Pod Security level " + core::go_quote(text) +
                        ": must be one of privileged, baseline, restricted");
}

core::Result<PssVersion> parse_pss_version(std::string_view text) {
  if (text == "latest") return PssVersion{};
  // PSA's pattern: ^v1\.([0-9]|[1-9][0-9]*)$
  auto bad = [&] {
    return core::fail(core::ErrorCode::kUsage, "invalid Pod Security version " +
                                                   core::go_quote(text) +
                                                   ": must be \"latest\" or \"v1.x\"");
  };
  if (!text.starts_with("v1.")) return bad();
  std::string_view digits = text.substr(3);
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return bad();
  long long minor = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return bad();
    minor = minor * 10 + (c - '0');
    // Go accepts any int64; versions past the newest all evaluate alike, but the label's
    // number is kept for messages, so it must fit.
    if (minor > INT_MAX) return bad();
  }
  return PssVersion::v1(static_cast<int>(minor));
}

std::span<const PssControl> pss_controls() { return kControls; }

std::vector<PssViolation> evaluate_pss(const PodSpec& pod, PssLevel level, PssVersion version) {
  std::vector<PssViolation> out;
  if (level == PssLevel::kPrivileged) return out;
  int minor = version.latest ? kNewestMinor : std::min(version.minor, kNewestMinor);
  PssViolation v;
  for (std::size_t i = 0; i < kCheckCount; ++i) {
    if (!applies(i, level, minor)) continue;
    if (kCheckFns[i](pod, minor, v)) {
      v.control = &kControls[i];
      out.push_back(std::move(v));
    }
    v = PssViolation{};
  }
  return out;
}

std::string pss_message(std::span<const PssViolation> violations, PssLevel level,
                        PssVersion version) {
  if (violations.empty()) return {};
  std::string out = "violates PodSecurity \"";
  out += to_string(level);
  out.push_back(':');
  out += version.to_string();
  out += "\": ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    if (i) out += ", ";
    const PssViolation& v = violations[i];
    out += v.reason.empty() ? std::string_view("unknown forbidden reason") : v.reason;
    if (!v.detail.empty()) {
      out += " (";
      out += v.detail;
      out.push_back(')');
    }
  }
  return out;
}

}  // namespace mtr::kube
