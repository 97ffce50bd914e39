// Every workload kind reduced to its pod: Pod, PodTemplate, Deployment, ReplicaSet,
// StatefulSet, DaemonSet, Job, CronJob and ReplicationController give a PodSpec read into a
// typed model that keeps, for every field, the node it was written at — so a check reads
// `c.security_context.privileged.value` and a finding points at its line and JSON path.
//
// The model is the API's shape, not a resolved view: a container's own securityContext is what
// it says. The pod-level inheritance Kubernetes applies (runAsUser, runAsGroup, runAsNonRoot,
// seccompProfile, seLinuxOptions, appArmorProfile from spec.securityContext) is computed by
// effective_*() so checks never forget it. Fields written with the wrong type (a quoted "true"
// for a boolean) are left unset and listed in PodSpec::invalid: the API server would reject them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/yaml_dom.h"
#include "kube/object.h"

namespace mtr::kube {

// A value as written, where it was written, and its JSON path.
template <typename T>
struct Field {
  std::optional<T> value;
  const core::YamlNode* node = nullptr;  // null when the field is absent
  std::string path;                      // "spec.containers[0].securityContext.privileged"

  bool has_value() const { return value.has_value(); }
  // Written at all (even with a wrong type or an explicit null).
  bool present() const { return node != nullptr; }
  bool is(const T& v) const { return value && *value == v; }
};

// A mapping sub-object that may be absent: its node and path, so "add X here" findings point
// at the parent.
struct Anchor {
  const core::YamlNode* node = nullptr;
  std::string path;
  bool present() const { return node != nullptr; }
};

struct SeLinuxOptions {
  Anchor at;
  Field<std::string> user, role, type, level;
};

struct Profile {  // seccompProfile, appArmorProfile
  Anchor at;
  Field<std::string> type;
  Field<std::string> localhost_profile;
};

struct Capabilities {
  Anchor at;
  std::vector<Field<std::string>> add;
  std::vector<Field<std::string>> drop;
};

struct Sysctl {
  Field<std::string> name;
  Field<std::string> value;
};

struct SecurityContext {
  Anchor at;  // absent: no securityContext at all
  // Container and pod level.
  Field<std::int64_t> run_as_user, run_as_group;
  Field<bool> run_as_non_root;
  std::optional<SeLinuxOptions> se_linux_options;
  std::optional<Profile> seccomp_profile;
  std::optional<Profile> app_armor_profile;
  Field<bool> windows_host_process;  // windowsOptions.hostProcess
  // Container level only.
  Field<bool> privileged;
  Field<bool> allow_privilege_escalation;
  Field<bool> read_only_root_filesystem;
  Field<std::string> proc_mount;
  std::optional<Capabilities> capabilities;
  // Pod level only.
  Field<std::int64_t> fs_group;
  std::vector<Field<std::int64_t>> supplemental_groups;
  std::vector<Sysctl> sysctls;
};

struct ContainerPort {
  Anchor at;
  Field<std::int64_t> container_port, host_port;
  Field<std::string> protocol, name, host_ip;
};

// A `host` field of a probe or lifecycle handler (httpGet.host, tcpSocket.host).
struct HandlerHost {
  Field<std::string> host;
};

struct VolumeMount {
  Anchor at;
  Field<std::string> name, mount_path;
  Field<bool> read_only;
};

struct EnvVar {
  Anchor at;
  Field<std::string> name, value;
  bool from_secret = false;  // valueFrom.secretKeyRef
};

enum class ContainerKind { kInit, kRegular, kEphemeral };
std::string_view to_string(ContainerKind kind);  // "initContainers", "containers", ...

struct Container {
  ContainerKind kind = ContainerKind::kRegular;
  std::size_t index = 0;
  Anchor at;         // spec.containers[1]
  std::string name;  // as written ("" when absent)
  Field<std::string> image, image_pull_policy;
  SecurityContext security_context;
  std::vector<ContainerPort> ports;
  std::vector<HandlerHost> handler_hosts;  // probes and lifecycle handlers with a host
  bool has_liveness_probe = false, has_readiness_probe = false, has_startup_probe = false;
  Anchor resources;
  std::map<std::string, Field<std::string>> requests, limits;  // "cpu" -> "500m"
  std::vector<VolumeMount> volume_mounts;
  std::vector<EnvVar> env;
  bool restart_always = false;  // restartPolicy: Always (a sidecar init container)
};

struct Volume {
  Anchor at;
  std::string name;
  // The volume source key: "hostPath", "configMap", ...; "" when none is set.
  std::string type;
  Field<std::string> host_path;  // hostPath.path
};

// A field the API server would refuse: wrong type. Reported, never guessed at.
struct InvalidField {
  std::string path;
  const core::YamlNode* node = nullptr;
  std::string expected;  // "boolean", "integer", "string", "list", "object"
};

struct PodSpec {
  const Object* object = nullptr;
  Anchor at;        // the spec mapping: "spec", "spec.template.spec", ...
  Anchor metadata;  // the pod's metadata: the object's own, or the template's
  std::map<std::string, std::string> labels, annotations;  // of the pod (template)
  Field<bool> host_network, host_pid, host_ipc, host_users;
  Field<std::string> os_name;  // spec.os.name
  SecurityContext security_context;
  std::vector<Volume> volumes;
  std::vector<Container> init_containers, containers, ephemeral_containers;
  Field<std::string> service_account_name;
  Field<bool> automount_service_account_token;
  Field<std::string> node_name;
  std::vector<InvalidField> invalid;

  // Init, regular, then ephemeral containers: Pod Security Admission's visiting order.
  template <typename F>
  void for_each_container(F&& f) const {
    for (const Container& c : init_containers) f(c);
    for (const Container& c : containers) f(c);
    for (const Container& c : ephemeral_containers) f(c);
  }
  std::size_t container_count() const {
    return init_containers.size() + containers.size() + ephemeral_containers.size();
  }
};

// Where a kind keeps its pod template (metadata + spec): "" for Pod (the object is the pod),
// "template" for PodTemplate,
// "spec.template" for Deployment and friends, "spec.jobTemplate.spec.template" for CronJob.
// nullopt for kinds that have none (and for those kinds in API groups that are not Kubernetes'
// own, so a CRD named Deployment is not mistaken for one).
std::optional<std::string_view> pod_template_path(const Object& object);

// The object's pod, or nullopt when it has none (a Service, a CRD, a Deployment without a
// template).
std::optional<PodSpec> read_pod(const Object& object);

// Pod-level inheritance, as the kubelet applies it: the container's value, else the pod's.
const Field<std::int64_t>& effective_run_as_user(const PodSpec& pod, const Container& c);
const Field<std::int64_t>& effective_run_as_group(const PodSpec& pod, const Container& c);
const Field<bool>& effective_run_as_non_root(const PodSpec& pod, const Container& c);
const std::optional<Profile>& effective_seccomp_profile(const PodSpec& pod, const Container& c);
const std::optional<Profile>& effective_app_armor_profile(const PodSpec& pod, const Container& c);
const std::optional<SeLinuxOptions>& effective_se_linux_options(const PodSpec& pod,
                                                                const Container& c);

}  // namespace mtr::kube
