// MTR-DF-601..612: the shipped image's metadata and paths — WORKDIR, CMD/ENTRYPOINT form and
// count, HEALTHCHECK, EXPOSE, COPY destinations.
#include <map>

#include "dockerfile/rules/instruction_util.h"

namespace mtr::dockerfile::rules::detail {
namespace {

using core::Severity;

bool windows_absolute(std::string_view path) {
  return path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':';
}

bool absolute_or_variable(std::string_view path) {
  return !path.empty() && (path[0] == '/' || path[0] == '$' || windows_absolute(path));
}

void check_workdir_absolute(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword != "workdir" || ins.args.empty()) return;
      std::string path = unquote(ins.args[0]);
      if (absolute_or_variable(path)) return;
      report_at(out, ins,
                "WORKDIR " + path + " is relative: it depends on the previous WORKDIR; write /" +
                    path + " (or the full path you mean)",
                arg_span(ins, 0));
    });
  }
}

// HEALTHCHECK CMD in shell form: our parser gives the words after CMD.
bool healthcheck_shell_form(const Instruction& ins) {
  if (ins.json || ins.args.size() < 2 || !iequals(ins.args[0], "cmd")) return false;
  return trim(ins.args[1]).rfind('[', 0) != 0;
}

void check_json_args(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword == "cmd" || ins.keyword == "entrypoint") {
        if (ins.json || ins.args.empty()) return;
        std::string keyword = ins.keyword == "cmd" ? "CMD" : "ENTRYPOINT";
        out.report(ins, keyword +
                            " in shell form runs under /bin/sh -c, so the process is not "
                            "PID 1 and does not receive SIGTERM; write " +
                            keyword + " [\"executable\", \"arg\"]");
      } else if (ins.keyword == "healthcheck" && healthcheck_shell_form(ins)) {
        out.report(ins,
                   "HEALTHCHECK CMD in shell form needs /bin/sh in the image; write "
                   "HEALTHCHECK CMD [\"executable\", \"arg\"]");
      }
    });
  }
}

// One finding for every repetition of `keyword` within a stage: only the last one takes effect.
void check_repeated(const LintInput& input, IssueSink& out, std::string_view keyword,
                    std::string_view upper) {
  for (const auto& stage : input.stages()) {
    const Instruction* first = nullptr;
    for (const Instruction* ins : stage.instructions) {
      if (ins->keyword != keyword) continue;
      if (first == nullptr) {
        first = ins;
        continue;
      }
      out.report(*ins, std::string(upper) + " repeated in one stage (first on line " +
                           std::to_string(first->span.begin.line) +
                           "): only the last one takes effect; keep one");
    }
  }
}

// One EXPOSE word: "80", "80/tcp", "8000-8100/udp". Ports are nullopt when not a literal.
struct ExposeSpec {
  std::string text;
  std::string proto;
  std::optional<unsigned long> low;
  std::optional<unsigned long> high;
};

std::optional<unsigned long> port_number(std::string_view s) {
  if (!all_digits(s)) return std::nullopt;
  if (s.size() > 6) return 1000000;  // out of range, without overflowing
  return std::stoul(std::string(s));
}

std::vector<std::pair<std::size_t, ExposeSpec>> expose_specs(const Instruction& ins) {
  std::vector<std::pair<std::size_t, ExposeSpec>> out;
  for (std::size_t i = 0; i < ins.args.size(); ++i) {
    ExposeSpec spec;
    spec.text = unquote(ins.args[i]);
    std::string_view ports = spec.text;
    if (auto slash = ports.find('/'); slash != std::string_view::npos) {
      spec.proto = std::string(ports.substr(slash + 1));
      ports = ports.substr(0, slash);
    }
    if (ports.find(':') != std::string_view::npos) {
      out.emplace_back(i, spec);  // host mapping: MTR-DF-018's business
      continue;
    }
    auto dash = ports.find('-');
    spec.low = port_number(ports.substr(0, dash));
    spec.high = dash == std::string_view::npos ? spec.low : port_number(ports.substr(dash + 1));
    out.emplace_back(i, spec);
  }
  return out;
}

void check_port_range(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword != "expose") return;
      for (const auto& [index, spec] : expose_specs(ins)) {
        bool bad = (spec.low && *spec.low > 65535) || (spec.high && *spec.high > 65535);
        if (!bad) continue;
        report_at(out, ins, "EXPOSE " + spec.text + ": ports range from 0 to 65535",
                  arg_span(ins, index));
      }
    });
  }
}

bool has_healthcheck(const LintInput& input, const Stage& stage) {
  for (const Stage* s : chain(input, stage)) {
    for (const Instruction* ins : s->instructions) {
      if (ins->keyword == "healthcheck") return true;
    }
  }
  return false;
}

void check_healthcheck_missing(const LintInput& input, IssueSink& out) {
  const Stage* last = final_stage(input);
  if (last == nullptr || has_healthcheck(input, *last)) return;
  const Instruction* anchor = last->from;
  if (anchor == nullptr) {
    if (last->instructions.empty()) return;
    anchor = last->instructions.front();
  }
  out.report(*anchor,
             "the shipped image defines no HEALTHCHECK: orchestrators without their own "
             "probe cannot tell a hung container from a healthy one; add HEALTHCHECK "
             "CMD [...] or HEALTHCHECK NONE to say so explicitly");
}

void check_ssh_port(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (!stage.shipped) continue;
    for (const Instruction* ins : stage.instructions) {
      if (ins->keyword != "expose") continue;
      for (const auto& [index, spec] : expose_specs(*ins)) {
        if (!spec.low || !spec.high || *spec.low > 22 || *spec.high < 22) continue;
        report_at(out, *ins,
                  "EXPOSE " + spec.text +
                      " publishes SSH: containers should not run an SSH server; use docker exec "
                      "or kubectl exec",
                  arg_span(*ins, index));
      }
    }
  }
}

void check_privileged_port(const LintInput& input, IssueSink& out) {
  const Stage* last = final_stage(input);
  if (last == nullptr) return;
  const Instruction* user = effective_user(input, *last);
  if (user == nullptr || user->args.empty()) return;
  std::string name = unquote(user->args[0]);
  name = name.substr(0, name.find(':'));
  if (name == "root" || name == "0") return;
  for (const auto& stage : input.stages()) {
    if (!stage.shipped) continue;
    for (const Instruction* ins : stage.instructions) {
      if (ins->keyword != "expose") continue;
      for (const auto& [index, spec] : expose_specs(*ins)) {
        if (!spec.low || *spec.low == 0 || *spec.low >= 1024 || *spec.low == 22) continue;
        report_at(out, *ins,
                  "EXPOSE " + spec.text + " is a privileged port but the image runs as '" + name +
                      "' (line " + std::to_string(user->span.begin.line) +
                      "): binding it needs CAP_NET_BIND_SERVICE on runtimes that keep the "
                      "1024 limit (Kubernetes); listen on a port >= 1024 (8080, 8443) instead",
                  arg_span(*ins, index));
      }
    }
  }
}

void check_copy_relative(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    bool workdir = false;
    auto stages = chain(input, stage);
    for (std::size_t i = 1; i < stages.size(); ++i) {
      for_each_instruction(*stages[i], [&](const Instruction& ins, bool) {
        workdir = workdir || ins.keyword == "workdir";
      });
    }
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword == "workdir") workdir = true;
      if (ins.keyword != "copy" || workdir) return;
      auto args = copy_args(ins);
      if (!args) return;
      std::string dest = unquote(args->dest);
      if (absolute_or_variable(dest)) return;
      report_at(out, ins,
                "COPY to relative destination '" + dest +
                    "' without a WORKDIR in this stage: it lands relative to the base image's "
                    "working directory; set WORKDIR first or write an absolute path",
                arg_span(ins, ins.args.size() - 1));
    });
  }
}

void check_copy_dest_slash(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword != "copy") return;
      auto args = copy_args(ins);
      if (!args || args->sources.size() < 2) return;
      std::string dest = unquote(args->dest);
      if (!dest.empty() && dest.back() == '/') return;
      report_at(out, ins,
                "COPY with " + std::to_string(args->sources.size()) +
                    " sources needs a directory destination ending in '/': write " + dest + "/",
                arg_span(ins, ins.args.size() - 1));
    });
  }
}

void check_system_workdir(const LintInput& input, IssueSink& out) {
  static const char* const kSystem[] = {"/proc", "/boot", "/dev", "/sys", "/initrd", "/lost+found"};
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword != "workdir" || ins.args.empty()) return;
      std::string path = unquote(ins.args[0]);
      while (path.size() > 1 && path.back() == '/') path.pop_back();
      for (std::string_view dir : kSystem) {
        if (path == dir || path.rfind(std::string(dir) + "/", 0) == 0) {
          report_at(out, ins,
                    "WORKDIR " + path + " is inside the system directory " + std::string(dir) +
                        ", which the runtime mounts over; use /app or /srv/<name>",
                    arg_span(ins, 0));
          return;
        }
      }
    });
  }
}

std::vector<std::string> with(std::vector<std::string> base, std::vector<std::string> more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace

void register_metadata_rules(RuleRegistry& registry) {
  must(registry.add(
      RuleInfo{
          .id = "MTR-DF-601",
          .title = "WORKDIR is not absolute",
          .severity = Severity::kHigh,
          .description = "A relative WORKDIR resolves against whatever the previous WORKDIR "
                         "(or the base image's) was, which is easy to misread.",
          .fix = "Write an absolute path: WORKDIR /app.",
          .aliases = with({"DL3000"}, with(trivy(9), {"WorkdirRelativePath", "CKV_DOCKER_10"})),
          .references = {hadolint_wiki("DL3000"), buildkit_doc("workdir-relative-path")}},
      check_workdir_absolute));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-602",
               .title = "CMD/ENTRYPOINT in shell form",
               .severity = Severity::kMedium,
               .description = "Shell form wraps the command in /bin/sh -c: the process is not "
                              "PID 1, does not get SIGTERM on docker stop and is killed after the "
                              "timeout.",
               .fix = "Use JSON (exec) form: CMD [\"/usr/local/bin/server\", \"--port\", "
                      "\"8080\"].",
               .aliases = {"DL3025", "JSONArgsRecommended"},
               .references = {hadolint_wiki("DL3025"), buildkit_doc("json-args-recommended")}},
      check_json_args));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-603",
               .title = "Multiple CMD instructions in one stage",
               .severity = Severity::kMedium,
               .description = "Only the last CMD of a stage takes effect; earlier ones mislead "
                              "readers.",
               .fix = "Keep a single CMD per stage.",
               .aliases = with({"DL4003"}, with(trivy(16), {"MultipleInstructionsDisallowed"})),
               .references = {hadolint_wiki("DL4003"),
                              buildkit_doc("multiple-instructions-disallowed")}},
      [](const LintInput& input, IssueSink& out) { check_repeated(input, out, "cmd", "CMD"); }));
  must(registry.add(RuleInfo{.id = "MTR-DF-604",
                             .title = "Multiple ENTRYPOINT instructions in one stage",
                             .severity = Severity::kHigh,
                             .description = "Only the last ENTRYPOINT of a stage takes effect.",
                             .fix = "Keep a single ENTRYPOINT per stage.",
                             .aliases = with({"DL4004"}, trivy(7)),
                             .references = {hadolint_wiki("DL4004")}},
                    [](const LintInput& input, IssueSink& out) {
                      check_repeated(input, out, "entrypoint", "ENTRYPOINT");
                    }));
  must(registry.add(RuleInfo{.id = "MTR-DF-605",
                             .title = "Multiple HEALTHCHECK instructions in one stage",
                             .severity = Severity::kHigh,
                             .description = "Only the last HEALTHCHECK of a stage takes effect.",
                             .fix = "Keep a single HEALTHCHECK per stage.",
                             .aliases = with({"DL3012"}, trivy(23)),
                             .references = {hadolint_wiki("DL3012")}},
                    [](const LintInput& input, IssueSink& out) {
                      check_repeated(input, out, "healthcheck", "HEALTHCHECK");
                    }));
  must(registry.add(RuleInfo{.id = "MTR-DF-606",
                             .title = "EXPOSE port out of range",
                             .severity = Severity::kHigh,
                             .description = "TCP and UDP ports range from 0 to 65535.",
                             .fix = "Expose the port the process really listens on.",
                             .aliases = with({"DL3011"}, trivy(8)),
                             .references = {hadolint_wiki("DL3011")}},
                    check_port_range));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-607",
               .title = "No HEALTHCHECK in the shipped image",
               .severity = Severity::kLow,
               .description = "Without a HEALTHCHECK (in the final stage or a stage it is built "
                              "FROM), Docker and Swarm cannot tell a hung container from a "
                              "healthy one.",
               .fix = "HEALTHCHECK --interval=30s CMD [\"/app/healthcheck\"] (or HEALTHCHECK "
                      "NONE when the orchestrator probes instead).",
               .aliases = with({"DL3057"}, with(trivy(26), {"CKV_DOCKER_2"})),
               .references = {hadolint_wiki("DL3057")}},
      check_healthcheck_missing));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-608",
               .title = "SSH port 22 exposed",
               .severity = Severity::kMedium,
               .description = "An SSH server in a container is an extra, usually unpatched, "
                              "entry point; exec into containers instead.",
               .fix = "Remove EXPOSE 22 and the SSH server; use docker exec / kubectl exec.",
               .aliases = with(trivy(4), {"CKV_DOCKER_1"}),
               .references = {"https://avd.aquasec.com/misconfig/ds004"}},
      check_ssh_port));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-609",
               .title = "Privileged port exposed by a non-root image",
               .severity = Severity::kLow,
               .description = "The shipped image runs as a non-root USER but EXPOSEs a port below "
                              "1024 (22 is MTR-DF-608's). Binding it needs CAP_NET_BIND_SERVICE "
                              "wherever the runtime keeps the 1024 limit (Kubernetes by "
                              "default), which tempts people to run as root again. Images that "
                              "run as root are left to MTR-DF-201/202.",
               .fix = "Listen on an unprivileged port (8080 instead of 80, 8443 instead of 443) "
                      "and map it at deploy time.",
               .aliases = {},
               .references = {},
               .commandment = 2},
      check_privileged_port));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-610",
               .title = "COPY to a relative destination without WORKDIR",
               .severity = Severity::kMedium,
               .description = "A relative destination resolves against the base image's working "
                              "directory, which this Dockerfile does not control.",
               .fix = "Set WORKDIR /app first, or write an absolute destination.",
               .aliases = {"DL3045"},
               .references = {hadolint_wiki("DL3045")}},
      check_copy_relative));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-611",
               .title = "COPY with several sources needs a destination ending in /",
               .severity = Severity::kHigh,
               .description = "With more than one source the destination must be a directory; "
                              "the build fails otherwise.",
               .fix = "End the destination with a slash: COPY a b /app/.",
               .aliases = with({"DL3021"}, trivy(11)),
               .references = {hadolint_wiki("DL3021")}},
      check_copy_dest_slash));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-612",
               .title = "WORKDIR in a system directory",
               .severity = Severity::kHigh,
               .description = "/proc, /sys, /dev and /boot are mounted over by the runtime; files "
                              "written there vanish or touch the host's pseudo-filesystems.",
               .fix = "Use an application directory: WORKDIR /app.",
               .aliases = trivy(30),
               .references = {"https://avd.aquasec.com/misconfig/ds030"}},
      check_system_workdir));
}

}  // namespace mtr::dockerfile::rules::detail
