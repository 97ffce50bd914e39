// MTR-DF-201..205: who the shipped image runs as. Only the final stage and the stages it is
// built FROM decide that: a builder stage running as root is not a finding.
#include <set>

#include "dockerfile/rules/instruction_util.h"

namespace mtr::dockerfile::rules::detail {
namespace {

using core::Severity;

// The user part of a USER value: "app:app" → "app".
std::string user_part(const Instruction& user) {
  if (user.args.empty()) return "";
  std::string value = unquote(user.args[0]);
  return value.substr(0, value.find(':'));
}

bool is_root(const Instruction& user) {
  std::string name = user_part(user);
  return name == "root" || (all_digits(name) && name.find_first_not_of('0') == std::string::npos);
}

void check_root_user(const LintInput& input, IssueSink& out) {
  const Stage* last = final_stage(input);
  if (last == nullptr) return;
  const Instruction* user = effective_user(input, *last);
  if (user == nullptr || !is_root(*user)) return;
  const Stage* where = input.stage_of(*user);
  std::string inherited =
      where != nullptr && where != last
          ? " (inherited by the final stage from stage '" +
                (where->name.empty() ? std::to_string(where->index) : where->name) + "')"
          : "";
  out.report(*user, "the shipped image runs as '" + unquote(user->args[0]) + "'" + inherited +
                        ": switch to an unprivileged user (USER 10001:10001) after the steps that "
                        "need root");
}

void check_no_user(const LintInput& input, IssueSink& out) {
  const Stage* last = final_stage(input);
  if (last == nullptr || effective_user(input, *last) != nullptr) return;
  const Stage* root = chain(input, *last).back();
  std::string base = root->from != nullptr ? root->base : "";
  ImageRef ref = parse_image(base);
  // Images built to run unprivileged (distroless :nonroot, its -debug variant) already set one.
  if (ref.tag.find("nonroot") != std::string::npos) return;
  const Instruction* anchor = last->from;
  if (anchor == nullptr) {
    if (last->instructions.empty()) return;
    anchor = last->instructions.front();
  }
  std::string message;
  if (iequals(base, "scratch")) {
    message =
        "the shipped image is built FROM scratch and never sets USER, so its process runs as "
        "uid 0; add USER 65532:65532 (a static binary needs no passwd entry for a numeric uid)";
  } else {
    message = "the shipped image never sets USER, so it runs as the default user of '" + base +
              "' (root for most images); create a user and add USER <name> before CMD";
  }
  out.report(*anchor, message);
}

// Users every image of a family has without creating them.
bool known_user(std::string_view user, const std::string& base_image) {
  static const std::set<std::string, std::less<>> kEverywhere = {
      "nobody", "daemon", "bin", "sys", "adm", "lp", "mail", "news", "uucp", "operator", "games",
      "ftp", "www-data", "backup", "list", "irc", "gnats", "proxy", "sync", "halt", "shutdown",
      "nonroot", "guest", "man",
      // Windows images' built-in accounts.
      "ContainerAdministrator", "ContainerUser"};
  if (kEverywhere.count(user) != 0) return true;
  ImageRef ref = parse_image(base_image);
  std::string repo = lower(ref.repository);
  std::string last = repo.substr(repo.rfind('/') == std::string::npos ? 0 : repo.rfind('/') + 1);
  struct Family {
    std::string_view image;
    std::string_view user;
  };
  static const Family kFamilies[] = {
      {"node", "node"},
      {"nginx", "nginx"},
      {"nginx-unprivileged", "nginx"},
      {"postgres", "postgres"},
      {"redis", "redis"},
      {"mysql", "mysql"},
      {"mariadb", "mysql"},
      {"mongo", "mongodb"},
      {"rabbitmq", "rabbitmq"},
      {"jenkins", "jenkins"},
      {"ubuntu", "ubuntu"},
      {"elasticsearch", "elasticsearch"},
      {"grafana", "grafana"},
      {"memcached", "memcache"},
      {"couchdb", "couchdb"},
      {"haproxy", "haproxy"},
      {"gradle", "gradle"},
      {"sonarqube", "sonarqube"},
      {"httpd", "www-data"},
      {"php", "www-data"},
      {"wordpress", "www-data"},
      {"base-notebook", "jovyan"},
      {"minimal-notebook", "jovyan"},
      {"scipy-notebook", "jovyan"},
      {"zookeeper", "zookeeper"},
      {"kafka", "appuser"},
      {"cassandra", "cassandra"},
      {"solr", "solr"},
      {"influxdb", "influxdb"},
      {"keycloak", "keycloak"},
      {"vault", "vault"},
      {"consul", "consul"},
      {"traefik", "traefik"},
      {"caddy", "caddy"},
      {"squid", "proxy"},
  };
  for (const auto& f : kFamilies) {
    if (last == f.image && user == f.user) return true;
  }
  return false;
}

// Names the RUN commands of `stage` (before `until`, when given) create with useradd/adduser
// or by writing an /etc/passwd line.
void created_users(const LintInput& input, const Stage& stage, const Instruction* until,
                   std::set<std::string>& names, std::vector<std::string>& passwd_words) {
  for (const Instruction* ins : stage.instructions) {
    if (ins == until) return;
    if (ins->keyword != "run") continue;
    for (const auto& command : input.script(*ins).commands) {
      std::string_view program = command.program();
      std::size_t first = 1;
      if (program == "busybox" && command.words.size() > 1) {
        program = command.words[1].text;
        first = 2;
      }
      bool creates = program == "useradd" || program == "adduser";
      for (std::size_t i = first; i < command.words.size(); ++i) {
        const std::string& word = command.words[i].text;
        if (creates && !word.empty() && word[0] != '-') names.insert(word);
        if (word.find(":x:") != std::string::npos) passwd_words.push_back(word);
      }
    }
  }
}

void check_user_created(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr) continue;
    for (const Instruction* ins : stage.instructions) {
      if (ins->keyword != "user") continue;
      std::string name = user_part(*ins);
      if (name.empty() || all_digits(name) || name == "root" ||
          name.find('$') != std::string::npos) {
        continue;
      }
      std::set<std::string> names;
      std::vector<std::string> passwd;
      auto stages = chain(input, stage);
      created_users(input, stage, ins, names, passwd);
      for (std::size_t i = 1; i < stages.size(); ++i) {
        created_users(input, *stages[i], nullptr, names, passwd);
      }
      if (names.count(name) != 0) continue;
      bool in_passwd = false;
      for (const auto& w : passwd) {
        if (w.rfind(name + ":x:", 0) == 0 || w.find("\n" + name + ":x:") != std::string::npos) {
          in_passwd = true;
        }
      }
      if (in_passwd) continue;
      const Stage* root = stages.back();
      std::string base = root->from != nullptr ? unquote(root->base) : "";
      if (known_user(name, base)) continue;
      report_at(out, *ins,
                "USER " + name + ": no earlier RUN in this stage" +
                    (stages.size() > 1 ? " or the stages it is built from" : std::string()) +
                    " creates '" + name + "' (useradd/adduser); the build relies on '" + base +
                    "' having it. Create it explicitly or use a numeric uid:gid",
                arg_span(*ins, 0));
    }
  }
}

void check_numeric_user(const LintInput& input, IssueSink& out) {
  std::set<std::string> args;
  for (const auto& ins : input.file().instructions) {
    if (ins.keyword == "arg") {
      for (auto& n : arg_names(ins)) args.insert(n);
      continue;
    }
    if (ins.keyword != "user" || ins.args.empty()) continue;
    std::string uid = user_part(ins);
    if (all_digits(uid)) continue;
    bool from_arg = false;
    for (const auto& v : referenced_vars(uid)) from_arg = from_arg || args.count(v) != 0;
    if (from_arg) continue;
    report_at(out, ins,
              "USER " + unquote(ins.args[0]) +
                  " is not numeric: Kubernetes runAsNonRoot cannot verify a user name; write "
                  "the uid (USER 10001:10001)",
              arg_span(ins, 0));
  }
}

}  // namespace

void register_user_rules(RuleRegistry& registry) {
  std::vector<std::string> no_user = trivy(2);
  no_user.push_back("CKV_DOCKER_3");
  must(registry.add(
      RuleInfo{.id = "MTR-DF-201",
               .title = "The shipped image runs as root",
               .severity = Severity::kHigh,
               .description = "The last USER of the final stage (or of the stage it is built from) "
                              "is root: a compromised process owns the container and is one "
                              "kernel bug away from the host. Builder stages do not count.",
               .fix = "End the final stage with USER <uid>:<gid> of an unprivileged user "
                      "(RUN useradd -r -u 10001 app, then USER 10001:10001).",
               .aliases = {"DL3002", "CKV_DOCKER_8"},
               .references = {hadolint_wiki("DL3002")},
               .commandment = 2},
      check_root_user));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-202",
               .title = "The shipped image never switches to a non-root user",
               .severity = Severity::kMedium,
               .description = "Neither the final stage nor the stages it is built from set USER, "
                              "so the container runs as the base image's default user, root for "
                              "most images (FROM scratch: uid 0). A USER set in a base stage the "
                              "final stage is built FROM counts; distroless :nonroot bases are "
                              "exempt.",
               .fix = "Create an unprivileged user and add USER <uid>:<gid> before CMD/ENTRYPOINT.",
               .aliases = no_user,
               .references = {"https://avd.aquasec.com/misconfig/ds002"},
               .commandment = 2},
      check_no_user));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-203",
               .title = "USER names a user the Dockerfile never creates",
               .severity = Severity::kMedium,
               .description = "The user is neither created by an earlier RUN (useradd/adduser or "
                              "an /etc/passwd line) in the stage or the stages it is built from, "
                              "nor one the base image is known to have; the build then depends "
                              "on an undeclared property of the base.",
               .fix = "RUN useradd --system --uid 10001 --no-log-init app before USER app, or use "
                      "a numeric USER 10001:10001.",
               .aliases = {},
               .references = {},
               .commandment = 3},
      check_user_created));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-205",
               .title = "USER is not a numeric uid",
               .severity = Severity::kLow,
               .description = "A user name may not resolve on the host, and Kubernetes "
                              "runAsNonRoot can only verify numeric users.",
               .fix = "USER 10001:10001 (the uid:gid of the user you created).",
               .aliases = {"DL3066"},
               .references = {hadolint_wiki("DL3066")},
               .commandment = 2},
      check_numeric_user));
}

}  // namespace mtr::dockerfile::rules::detail
