#include "kube/pod.h"

#include <fmt/format.h>

#include <utility>

namespace mtr::kube {

namespace {

using core::YamlNode;

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out;
  out.reserve(parent.size() + key.size() + 1);
  out.append(parent);
  out.push_back('.');
  out.append(key);
  return out;
}

std::string index_path(std::string_view parent, std::size_t i) {
  return fmt::format("{}[{}]", parent, i);
}

// Reads typed fields out of mappings, recording wrong types in PodSpec::invalid.
class Reader {
 public:
  explicit Reader(std::vector<InvalidField>& invalid) : invalid_(invalid) {}

  void bad(const YamlNode* node, std::string path, std::string_view expected) {
    invalid_.push_back(InvalidField{std::move(path), node, std::string(expected)});
  }

  Field<bool> boolean(const Anchor& parent, std::string_view key) {
    Field<bool> f = start<bool>(parent, key);
    if (f.node) {
      f.value = f.node->as_bool();
      if (!f.value) bad(f.node, f.path, "boolean");
    }
    return f;
  }

  Field<std::int64_t> integer(const Anchor& parent, std::string_view key) {
    Field<std::int64_t> f = start<std::int64_t>(parent, key);
    if (f.node) read_int(f);
    return f;
  }

  Field<std::string> string(const Anchor& parent, std::string_view key) {
    Field<std::string> f = start<std::string>(parent, key);
    if (f.node) read_string(f);
    return f;
  }

  // A scalar of any type read as text (resource quantities: `cpu: 1` and `cpu: "500m"`).
  Field<std::string> quantity(const YamlNode* node, std::string path) {
    Field<std::string> f;
    f.node = node;
    f.path = std::move(path);
    if (auto text = node->as_string()) {
      f.value = std::string(*text);
    } else {
      bad(node, f.path, "quantity");
    }
    return f;
  }

  // A sub-mapping: its anchor (absent when missing or null); a non-mapping is invalid.
  Anchor mapping(const Anchor& parent, std::string_view key) {
    Anchor a;
    if (!parent.node) return a;
    const YamlNode* node = parent.node->get(key);
    if (!node) return a;
    std::string path = join_path(parent.path, key);
    if (!node->is_mapping()) {
      bad(node, std::move(path), "object");
      return a;
    }
    a.node = node;
    a.path = std::move(path);
    return a;
  }

  // A list: each item's anchor with its path; a non-list is invalid.
  std::vector<std::pair<const YamlNode*, std::string>> list(const Anchor& parent,
                                                            std::string_view key) {
    std::vector<std::pair<const YamlNode*, std::string>> out;
    if (!parent.node) return out;
    const YamlNode* node = parent.node->get(key);
    if (!node) return out;
    std::string path = join_path(parent.path, key);
    if (!node->is_sequence()) {
      bad(node, std::move(path), "list");
      return out;
    }
    std::size_t i = 0;
    for (const YamlNode& item : node->items()) out.emplace_back(&item, index_path(path, i++));
    return out;
  }

  std::vector<Field<std::string>> strings(const Anchor& parent, std::string_view key) {
    std::vector<Field<std::string>> out;
    for (auto& [node, path] : list(parent, key)) {
      Field<std::string> f;
      f.node = node;
      f.path = std::move(path);
      read_string(f);
      out.push_back(std::move(f));
    }
    return out;
  }

  std::vector<Field<std::int64_t>> integers(const Anchor& parent, std::string_view key) {
    std::vector<Field<std::int64_t>> out;
    for (auto& [node, path] : list(parent, key)) {
      Field<std::int64_t> f;
      f.node = node;
      f.path = std::move(path);
      read_int(f);
      out.push_back(std::move(f));
    }
    return out;
  }

  // A list item that must be a mapping.
  Anchor item(const YamlNode* node, std::string path) {
    if (!node->is_mapping()) {
      bad(node, std::move(path), "object");
      return {};
    }
    return Anchor{node, std::move(path)};
  }

 private:
  template <typename T>
  Field<T> start(const Anchor& parent, std::string_view key) {
    Field<T> f;
    if (!parent.node) return f;
    f.node = parent.node->get(key);  // an explicit null is the same as absent
    if (f.node) f.path = join_path(parent.path, key);
    return f;
  }

  void read_int(Field<std::int64_t>& f) {
    f.value = f.node->as_int();
    if (!f.value) bad(f.node, f.path, "integer");
  }

  void read_string(Field<std::string>& f) {
    // Go decodes a YAML number or boolean into a string field as an error; so do we, except
    // for plain scalars, whose text is what the user meant (`name: 8080` is rejected upstream
    // too, but reading it as text keeps the rest of the object checkable).
    if (auto text = f.node->as_string()) {
      f.value = std::string(*text);
      if (!f.node->is_string_literal() && (f.node->as_bool() || f.node->as_int()))
        bad(f.node, f.path, "string");
    } else {
      bad(f.node, f.path, "string");
    }
  }

  std::vector<InvalidField>& invalid_;
};

std::optional<Profile> read_profile(Reader& r, const Anchor& parent, std::string_view key) {
  Anchor at = r.mapping(parent, key);
  if (!at.present()) return std::nullopt;
  Profile p;
  p.type = r.string(at, "type");
  p.localhost_profile = r.string(at, "localhostProfile");
  p.at = std::move(at);
  return p;
}

SecurityContext read_security_context(Reader& r, const Anchor& parent, bool pod_level) {
  SecurityContext sc;
  sc.at = r.mapping(parent, "securityContext");
  if (!sc.at.present()) return sc;
  const Anchor& at = sc.at;
  sc.run_as_user = r.integer(at, "runAsUser");
  sc.run_as_group = r.integer(at, "runAsGroup");
  sc.run_as_non_root = r.boolean(at, "runAsNonRoot");
  if (Anchor se = r.mapping(at, "seLinuxOptions"); se.present()) {
    SeLinuxOptions o;
    o.user = r.string(se, "user");
    o.role = r.string(se, "role");
    o.type = r.string(se, "type");
    o.level = r.string(se, "level");
    o.at = std::move(se);
    sc.se_linux_options = std::move(o);
  }
  sc.seccomp_profile = read_profile(r, at, "seccompProfile");
  sc.app_armor_profile = read_profile(r, at, "appArmorProfile");
  if (Anchor win = r.mapping(at, "windowsOptions"); win.present())
    sc.windows_host_process = r.boolean(win, "hostProcess");
  if (pod_level) {
    sc.fs_group = r.integer(at, "fsGroup");
    sc.supplemental_groups = r.integers(at, "supplementalGroups");
    for (auto& [node, path] : r.list(at, "sysctls")) {
      Anchor item = r.item(node, std::move(path));
      if (!item.present()) continue;
      sc.sysctls.push_back(Sysctl{r.string(item, "name"), r.string(item, "value")});
    }
    return sc;
  }
  sc.privileged = r.boolean(at, "privileged");
  sc.allow_privilege_escalation = r.boolean(at, "allowPrivilegeEscalation");
  sc.read_only_root_filesystem = r.boolean(at, "readOnlyRootFilesystem");
  sc.proc_mount = r.string(at, "procMount");
  if (Anchor caps = r.mapping(at, "capabilities"); caps.present()) {
    Capabilities c;
    c.add = r.strings(caps, "add");
    c.drop = r.strings(caps, "drop");
    c.at = std::move(caps);
    sc.capabilities = std::move(c);
  }
  return sc;
}

// httpGet.host and tcpSocket.host of a probe or a lifecycle handler.
void read_handler_hosts(Reader& r, const Anchor& handler, std::vector<HandlerHost>& out) {
  if (!handler.present()) return;
  for (std::string_view action : {"httpGet", "tcpSocket"}) {
    Anchor a = r.mapping(handler, action);
    Field<std::string> host = r.string(a, "host");
    if (host.value && !host.value->empty()) out.push_back(HandlerHost{std::move(host)});
  }
}

Container read_container(Reader& r, Anchor at, ContainerKind kind, std::size_t index) {
  Container c;
  c.kind = kind;
  c.index = index;
  Field<std::string> name = r.string(at, "name");
  c.name = name.value.value_or("");
  c.image = r.string(at, "image");
  c.image_pull_policy = r.string(at, "imagePullPolicy");
  c.security_context = read_security_context(r, at, /*pod_level=*/false);
  for (auto& [node, path] : r.list(at, "ports")) {
    Anchor item = r.item(node, std::move(path));
    if (!item.present()) continue;
    ContainerPort p;
    p.container_port = r.integer(item, "containerPort");
    p.host_port = r.integer(item, "hostPort");
    p.protocol = r.string(item, "protocol");
    p.name = r.string(item, "name");
    p.host_ip = r.string(item, "hostIP");
    p.at = std::move(item);
    c.ports.push_back(std::move(p));
  }
  Anchor liveness = r.mapping(at, "livenessProbe");
  Anchor readiness = r.mapping(at, "readinessProbe");
  Anchor startup = r.mapping(at, "startupProbe");
  c.has_liveness_probe = liveness.present();
  c.has_readiness_probe = readiness.present();
  c.has_startup_probe = startup.present();
  read_handler_hosts(r, liveness, c.handler_hosts);
  read_handler_hosts(r, readiness, c.handler_hosts);
  read_handler_hosts(r, startup, c.handler_hosts);
  if (Anchor lifecycle = r.mapping(at, "lifecycle"); lifecycle.present()) {
    read_handler_hosts(r, r.mapping(lifecycle, "postStart"), c.handler_hosts);
    read_handler_hosts(r, r.mapping(lifecycle, "preStop"), c.handler_hosts);
  }
  c.resources = r.mapping(at, "resources");
  for (auto [key, target] : {std::pair{"requests", &c.requests}, std::pair{"limits", &c.limits}}) {
    Anchor m = r.mapping(c.resources, key);
    if (!m.present()) continue;
    for (std::size_t i = 0; i < m.node->entry_count(); ++i) {
      auto resource = m.node->entry_key(i).as_string();
      if (!resource) continue;
      (*target)[std::string(*resource)] =
          r.quantity(&m.node->entry_value(i), join_path(m.path, *resource));
    }
  }
  for (auto& [node, path] : r.list(at, "volumeMounts")) {
    Anchor item = r.item(node, std::move(path));
    if (!item.present()) continue;
    VolumeMount m;
    m.name = r.string(item, "name");
    m.mount_path = r.string(item, "mountPath");
    m.read_only = r.boolean(item, "readOnly");
    m.at = std::move(item);
    c.volume_mounts.push_back(std::move(m));
  }
  for (auto& [node, path] : r.list(at, "env")) {
    Anchor item = r.item(node, std::move(path));
    if (!item.present()) continue;
    EnvVar e;
    e.name = r.string(item, "name");
    e.value = r.string(item, "value");
    Anchor from = r.mapping(item, "valueFrom");
    e.from_secret = r.mapping(from, "secretKeyRef").present();
    e.at = std::move(item);
    c.env.push_back(std::move(e));
  }
  c.restart_always = r.string(at, "restartPolicy").is("Always");
  c.at = std::move(at);
  return c;
}

bool kind_in_group(const Object& object, std::initializer_list<std::string_view> groups) {
  if (object.api_version.empty()) return true;  // kubectl would refuse it; audit it anyway
  std::string_view group = object.group();
  for (std::string_view g : groups)
    if (group == g) return true;
  return false;
}

}  // namespace

std::string_view to_string(ContainerKind kind) {
  switch (kind) {
    case ContainerKind::kInit:
      return "initContainers";
    case ContainerKind::kRegular:
      return "containers";
    case ContainerKind::kEphemeral:
      return "ephemeralContainers";
  }
  return "containers";
}

std::optional<std::string_view> pod_template_path(const Object& o) {
  const std::string& k = o.kind;
  if (k == "Pod") return kind_in_group(o, {""}) ? std::optional("") : std::nullopt;
  if (k == "PodTemplate") return kind_in_group(o, {""}) ? std::optional("template") : std::nullopt;
  if (k == "ReplicationController")
    return kind_in_group(o, {""}) ? std::optional("spec.template") : std::nullopt;
  if (k == "Deployment" || k == "ReplicaSet" || k == "DaemonSet")
    return kind_in_group(o, {"apps", "extensions"}) ? std::optional("spec.template") : std::nullopt;
  if (k == "StatefulSet")
    return kind_in_group(o, {"apps"}) ? std::optional("spec.template") : std::nullopt;
  if (k == "Job")
    return kind_in_group(o, {"batch"}) ? std::optional("spec.template") : std::nullopt;
  if (k == "CronJob")
    return kind_in_group(o, {"batch"}) ? std::optional("spec.jobTemplate.spec.template")
                                       : std::nullopt;
  return std::nullopt;
}

std::optional<PodSpec> read_pod(const Object& object) {
  auto template_path = pod_template_path(object);
  if (!template_path) return std::nullopt;
  PodSpec pod;
  pod.object = &object;
  Reader r(pod.invalid);
  // Walk to the template (for a Pod, the object itself holds metadata and spec).
  Anchor holder{object.node, object.path_prefix};
  std::string_view rest = *template_path;
  while (!rest.empty() && holder.present()) {
    auto dot = rest.find('.');
    std::string_view key = rest.substr(0, dot);
    holder = r.mapping(holder, key);
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  if (!holder.present()) return std::nullopt;
  pod.metadata = r.mapping(holder, "metadata");
  Anchor at = r.mapping(holder, "spec");
  if (!at.present()) return std::nullopt;
  if (pod.metadata.present()) {
    pod.labels = read_string_map(pod.metadata.node->get("labels"));
    pod.annotations = read_string_map(pod.metadata.node->get("annotations"));
  }
  pod.host_network = r.boolean(at, "hostNetwork");
  pod.host_pid = r.boolean(at, "hostPID");
  pod.host_ipc = r.boolean(at, "hostIPC");
  pod.host_users = r.boolean(at, "hostUsers");
  pod.os_name = r.string(r.mapping(at, "os"), "name");
  pod.security_context = read_security_context(r, at, /*pod_level=*/true);
  for (auto& [node, path] : r.list(at, "volumes")) {
    Anchor item = r.item(node, std::move(path));
    if (!item.present()) continue;
    Volume v;
    v.name = r.string(item, "name").value.value_or("");
    for (std::size_t i = 0; i < item.node->entry_count(); ++i) {
      auto key = item.node->entry_key(i).as_string();
      if (!key || *key == "name" || item.node->entry_value(i).is_null()) continue;
      v.type = std::string(*key);
      break;
    }
    if (v.type == "hostPath") v.host_path = r.string(r.mapping(item, "hostPath"), "path");
    v.at = std::move(item);
    pod.volumes.push_back(std::move(v));
  }
  auto containers = [&](std::string_view key, ContainerKind kind, std::vector<Container>& out) {
    std::size_t i = 0;
    for (auto& [node, path] : r.list(at, key)) {
      Anchor item = r.item(node, std::move(path));
      if (item.present()) out.push_back(read_container(r, std::move(item), kind, i));
      ++i;
    }
  };
  containers("initContainers", ContainerKind::kInit, pod.init_containers);
  containers("containers", ContainerKind::kRegular, pod.containers);
  containers("ephemeralContainers", ContainerKind::kEphemeral, pod.ephemeral_containers);
  pod.service_account_name = r.string(at, "serviceAccountName");
  if (!pod.service_account_name.has_value())
    pod.service_account_name = r.string(at, "serviceAccount");  // deprecated alias
  pod.automount_service_account_token = r.boolean(at, "automountServiceAccountToken");
  pod.node_name = r.string(at, "nodeName");
  pod.at = std::move(at);
  return pod;
}

const Field<std::int64_t>& effective_run_as_user(const PodSpec& pod, const Container& c) {
  return c.security_context.run_as_user.has_value() ? c.security_context.run_as_user
                                                    : pod.security_context.run_as_user;
}

const Field<std::int64_t>& effective_run_as_group(const PodSpec& pod, const Container& c) {
  return c.security_context.run_as_group.has_value() ? c.security_context.run_as_group
                                                     : pod.security_context.run_as_group;
}

const Field<bool>& effective_run_as_non_root(const PodSpec& pod, const Container& c) {
  return c.security_context.run_as_non_root.has_value() ? c.security_context.run_as_non_root
                                                        : pod.security_context.run_as_non_root;
}

const std::optional<Profile>& effective_seccomp_profile(const PodSpec& pod, const Container& c) {
  return c.security_context.seccomp_profile ? c.security_context.seccomp_profile
                                            : pod.security_context.seccomp_profile;
}

const std::optional<Profile>& effective_app_armor_profile(const PodSpec& pod, const Container& c) {
  return c.security_context.app_armor_profile ? c.security_context.app_armor_profile
                                              : pod.security_context.app_armor_profile;
}

const std::optional<SeLinuxOptions>& effective_se_linux_options(const PodSpec& pod,
                                                                const Container& c) {
  return c.security_context.se_linux_options ? c.security_context.se_linux_options
                                             : pod.security_context.se_linux_options;
}

}  // namespace mtr::kube
