// Objects from manifest streams and the pod model every workload kind reduces to.
#include <gtest/gtest.h>

#include "kube/object.h"
#include "kube/pod.h"

namespace mtr::kube {
namespace {

Manifest load(std::string_view text) {
  auto m = load_manifest(text, "m.yaml");
  EXPECT_TRUE(m) << (m ? "" : m.error().to_string());
  return m ? std::move(*m) : Manifest{};
}

TEST(KubeObjects, DocumentsListsAndNonObjects) {
  Manifest m = load(
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {env: prod}}\n---\n"
      "# a comment only\n---\njust: values\n---\n- a\n- list\n---\n"
      "apiVersion: v1\nkind: List\nitems:\n"
      "- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: sa, namespace: team}\n"
      "- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n");
  ASSERT_EQ(m.objects.size(), 3u);
  EXPECT_EQ(m.objects[0].kind, "Namespace");
  EXPECT_EQ(m.objects[0].labels.at("env"), "prod");
  EXPECT_EQ(m.objects[0].mark.line, 1u);
  EXPECT_EQ(m.objects[1].kind, "ServiceAccount");
  EXPECT_EQ(m.objects[1].path_prefix, "items[0]");
  EXPECT_EQ(m.objects[1].namespace_, "team");
  EXPECT_EQ(m.objects[2].display(), "Deployment web");
  EXPECT_EQ(m.objects[2].group(), "apps");
  EXPECT_EQ(m.objects[2].at("spec"), "items[1].spec");
  EXPECT_EQ(m.objects[2].document, 4u);
}

TEST(KubeObjects, InvalidYamlIsAnErrorWithPlace) {
  auto m = load_manifest("kind: Pod\nspec:\n  containers: [\n", "broken.yaml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().location.file, "broken.yaml");
  EXPECT_GE(m.error().location.line, 3u);
}

TEST(KubePod, EveryWorkloadKindHasItsTemplate) {
  struct Case {
    std::string head;
    std::string spec_path;
  } cases[] = {
      {"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n", "spec"},
      {"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    "
       "spec:\n",
       "spec.template.spec"},
      {"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    "
       "spec:\n",
       "spec.template.spec"},
      {"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n",
       "spec.template.spec"},
      {"apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: s}\nspec:\n  template:\n    "
       "spec:\n",
       "spec.template.spec"},
      {"apiVersion: batch/v1\nkind: Job\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n",
       "spec.template.spec"},
      {"apiVersion: v1\nkind: ReplicationController\nmetadata: {name: s}\nspec:\n  template:\n"
       "    spec:\n",
       "spec.template.spec"},
      {"apiVersion: v1\nkind: PodTemplate\nmetadata: {name: s}\ntemplate:\n  spec:\n",
       "template.spec"},
  };
  for (const auto& c : cases) {
    std::string text = c.head;
    std::size_t indent = c.spec_path == "spec" ? 2 : c.spec_path == "template.spec" ? 4 : 6;
    text += std::string(indent, ' ') + "containers:\n" + std::string(indent, ' ') + "- name: c\n" +
            std::string(indent, ' ') + "  image: nginx:1.25\n";
    Manifest m = load(text);
    ASSERT_EQ(m.objects.size(), 1u) << text;
    auto pod = read_pod(m.objects[0]);
    ASSERT_TRUE(pod) << text;
    EXPECT_EQ(pod->at.path, c.spec_path);
    ASSERT_EQ(pod->containers.size(), 1u);
    EXPECT_EQ(pod->containers[0].image.value, "nginx:1.25");
    EXPECT_EQ(pod->containers[0].image.path, c.spec_path + ".containers[0].image");
  }
  Manifest cron = load(
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n"
      "      template:\n        metadata:\n          annotations: {a: b}\n        spec:\n"
      "          containers: [{name: c, image: busybox}]\n");
  auto pod = read_pod(cron.objects.at(0));
  ASSERT_TRUE(pod);
  EXPECT_EQ(pod->at.path, "spec.jobTemplate.spec.template.spec");
  EXPECT_EQ(pod->annotations.at("a"), "b");
}

TEST(KubePod, NoPodSpecNoPod) {
  Manifest m = load(
      "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n---\n"
      "apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: crd}\nspec:\n  template:\n"
      "    spec: {containers: [{name: c}]}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: empty}\nspec: {}\n");
  ASSERT_EQ(m.objects.size(), 3u);
  for (const Object& o : m.objects) EXPECT_FALSE(read_pod(o)) << o.display();
}

TEST(KubePod, FieldsInheritanceAndInvalidTypes) {
  Manifest m = load(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
      "  hostPID: yes\n  hostUsers: false\n  os: {name: linux}\n"
      "  securityContext:\n    runAsUser: 20000\n    runAsNonRoot: true\n"
      "    seccompProfile: {type: RuntimeDefault}\n    sysctls: [{name: kernel.shm_rmid_forced, "
      "value: '1'}]\n"
      "  initContainers:\n  - name: init\n    image: busybox\n"
      "  containers:\n  - name: app\n    image: app:1\n    securityContext:\n"
      "      runAsUser: 0\n      privileged: \"true\"\n      capabilities: {add: [NET_ADMIN], "
      "drop: [ALL]}\n"
      "    ports: [{containerPort: 80, hostPort: 8080}]\n"
      "    livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n"
      "    resources: {limits: {cpu: 1, memory: 128Mi}}\n"
      "    volumeMounts: [{name: data, mountPath: /data, readOnly: true}]\n"
      "  ephemeralContainers:\n  - name: debug\n    image: busybox\n"
      "  volumes:\n  - name: data\n    hostPath: {path: /var/run/docker.sock}\n"
      "  - name: cfg\n    configMap: {name: x}\n");
  auto pod = read_pod(m.objects.at(0));
  ASSERT_TRUE(pod);
  EXPECT_TRUE(pod->host_pid.is(true));
  EXPECT_TRUE(pod->host_users.is(false));
  EXPECT_TRUE(pod->os_name.is("linux"));
  ASSERT_EQ(pod->container_count(), 3u);
  const Container& init = pod->init_containers.at(0);
  const Container& app = pod->containers.at(0);
  EXPECT_EQ(effective_run_as_user(*pod, init).value, 20000);
  EXPECT_EQ(effective_run_as_user(*pod, app).value, 0);
  EXPECT_TRUE(effective_run_as_non_root(*pod, app).is(true));
  EXPECT_TRUE(effective_seccomp_profile(*pod, app)->type.is("RuntimeDefault"));
  // A quoted "true" is a string: invalid, and unset for the checks.
  EXPECT_FALSE(app.security_context.privileged.has_value());
  EXPECT_TRUE(app.security_context.privileged.present());
  ASSERT_EQ(pod->invalid.size(), 1u);
  EXPECT_EQ(pod->invalid[0].path, "spec.containers[0].securityContext.privileged");
  EXPECT_EQ(pod->invalid[0].expected, "boolean");
  EXPECT_EQ(app.security_context.capabilities->add.at(0).value, "NET_ADMIN");
  EXPECT_EQ(app.ports.at(0).host_port.value, 8080);
  ASSERT_EQ(app.handler_hosts.size(), 1u);
  EXPECT_EQ(app.handler_hosts[0].host.value, "10.0.0.1");
  EXPECT_EQ(app.limits.at("cpu").value, "1");
  EXPECT_TRUE(app.volume_mounts.at(0).read_only.is(true));
  ASSERT_EQ(pod->volumes.size(), 2u);
  EXPECT_EQ(pod->volumes[0].type, "hostPath");
  EXPECT_EQ(pod->volumes[0].host_path.value, "/var/run/docker.sock");
  EXPECT_EQ(pod->volumes[1].type, "configMap");
  EXPECT_EQ(pod->security_context.sysctls.at(0).name.value, "kernel.shm_rmid_forced");
  std::vector<std::string> order;
  pod->for_each_container([&](const Container& c) { order.push_back(c.name); });
  EXPECT_EQ(order, (std::vector<std::string>{"init", "app", "debug"}));
}

}  // namespace
}  // namespace mtr::kube
