// The shell rule group: package managers (shell_packages.cpp), downloads (shell_downloads.cpp),
// secrets (shell_secrets.cpp), and here the privilege and shell-hygiene rules read from RUN
// commands plus the commandment-9 scan hint.
#include <string>
#include <vector>

#include "dockerfile/rules/rules.h"
#include "dockerfile/rules/shell_common.h"

namespace mtr::dockerfile::rules {
namespace {

using shell::Cmd;
using shell::Run;

// Does a SHELL instruction's argument list turn on pipefail for a shell that supports it?
bool shell_has_pipefail(const Instruction& ins) {
  if (ins.args.empty()) return false;
  std::string program(shell::basename(ins.args[0]));
  // POSIX sh has no pipefail (dash rejects it), so hadolint does not count it.
  if (program == "sh") return false;
  for (std::size_t i = 1; i + 1 < ins.args.size(); ++i) {
    const std::string& a = ins.args[i];
    if (a.size() >= 2 && a[0] == '-' && a[1] != '-' && a.back() == 'o' &&
        ins.args[i + 1] == "pipefail") {
      return true;
    }
  }
  return false;
}

bool is_non_posix_shell(const Instruction& ins) {
  if (ins.args.empty()) return false;
  std::string program = shell::lower(shell::basename(ins.args[0]));
  return shell::starts_with(program, "pwsh") || shell::starts_with(program, "powershell") ||
         shell::starts_with(program, "cmd");
}

bool sets_pipefail(const Cmd& c) {
  if (c.program != "set") return false;
  for (std::size_t i = 0; i + 1 < c.args.size(); ++i) {
    const std::string& a = c.args[i];
    if ((a.size() >= 2 && (a[0] == '-' || a[0] == '+') && a.back() == 'o') &&
        c.args[i + 1] == "pipefail") {
      return a[0] == '-';
    }
  }
  return false;
}

void check_pipefail(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    bool pipefail = false;
    bool non_posix = false;
    for (const Instruction* ins : shell::flat(stage)) {
      if (ins->keyword == "shell") {
        pipefail = shell_has_pipefail(*ins);
        non_posix = is_non_posix_shell(*ins);
        continue;
      }
      if (ins->keyword != "run" || ins->json || pipefail || non_posix) continue;
      bool local_pipefail = false;
      for (const Cmd& c : shell::commands(input, *ins)) {
        if (sets_pipefail(c)) local_pipefail = true;
        if (c.source->next == Connector::kPipe && !local_pipefail) {
          out.report(*ins, "RUN with a pipe ('" + c.program +
                               " | ...') without pipefail: a failing command before the pipe "
                               "does not fail the build");
          break;
        }
      }
    }
  }
}

}  // namespace

void register_shell_rules(RuleRegistry& registry) {
  using shell::add;
  using shell::hadolint_url;
  using shell::trivy;

  add(registry,
      {"MTR-DF-204",
       "Do not use sudo",
       core::Severity::kMedium,
       "sudo in a build means the image carries a privilege-escalation tool and its "
       "configuration; its TTY and signal handling also misbehave as PID 1.",
       "Run the step as root (switch with USER root / USER app around it); at run time drop "
       "privileges with gosu or su-exec (`exec gosu app \"$@\"`), not sudo.",
       [] {
         auto a = trivy("0010");
         a.insert(a.begin(), "DL3004");
         a.push_back("CKV2_DOCKER_1");
         return a;
       }(),
       {hadolint_url("DL3004")},
       4},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : shell::runs(input)) {
          for (const Cmd& c : shell::commands(input, *run.ins)) {
            if (c.program == "sudo") {
              std::string runs_what;
              for (const auto& a : c.args) {
                if (a.empty() || a[0] == '-') continue;
                runs_what = " (sudo " + a + " ...)";
                break;
              }
              out.report(*run.ins, "sudo in RUN" + runs_what + ": use USER or gosu/su-exec");
              break;
            }
          }
        }
      });

  add(registry,
      {"MTR-DF-206",
       "Use useradd -l with a high UID",
       core::Severity::kMedium,
       "useradd without -l (--no-log-init) writes a sparse /var/log/lastlog and faillog sized by "
       "the UID; with a large UID that fills the disk or bloats the layer by gigabytes.",
       "Write `useradd -l -u 100001 app` (or pick a UID below 100000).",
       {"DL3046"},
       {hadolint_url("DL3046")}},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : shell::runs(input)) {
          for (const Cmd& c : shell::commands(input, *run.ins)) {
            if (c.program != "useradd") continue;
            if (shell::has_option(c.args, {"-l", "--no-log-init"})) continue;
            std::string uid;
            for (std::size_t i = 0; i < c.args.size(); ++i) {
              const std::string& a = c.args[i];
              if ((a == "-u" || a == "--uid") && i + 1 < c.args.size()) uid = c.args[i + 1];
              if (shell::starts_with(a, "--uid=")) uid = a.substr(6);
            }
            // Five digits or fewer keep lastlog small enough (hadolint's threshold).
            if (uid.size() > 5 && uid.find_first_not_of("0123456789") == std::string::npos) {
              out.report(*run.ins, "useradd -u " + uid + " without -l (--no-log-init)");
            }
          }
        }
      });

  shell::register_packages(registry);
  shell::register_downloads(registry);
  shell::register_secrets(registry);

  add(registry,
      {"MTR-DF-613",
       "Use SHELL to change the default shell",
       core::Severity::kMedium,
       "Relinking /bin/sh changes the shell for every later script in the image, including the "
       "base image's own, and hides the change from the Dockerfile's readers.",
       "Write `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`.",
       {"DL4005"},
       {hadolint_url("DL4005")}},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : shell::runs(input)) {
          for (const Cmd& c : shell::commands(input, *run.ins)) {
            if (c.program != "ln" || c.args.empty()) continue;
            if (c.args.back() == "/bin/sh") {
              out.report(*run.ins, "ln replaces /bin/sh: use SHELL instead");
              break;
            }
          }
        }
      });

  add(registry,
      {"MTR-DF-614",
       "Set pipefail before RUN commands with a pipe",
       core::Severity::kMedium,
       "A pipeline's status is that of its last command: `curl ... | tar x` succeeds even when "
       "the download fails, and the build goes on with a broken image.",
       "Add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the "
       "RUN with `set -o pipefail &&` (bash, zsh, ash).",
       {"DL4006"},
       {hadolint_url("DL4006")}},
      check_pipefail);

  add(registry,
      {"MTR-DF-624",
       "Use WORKDIR instead of cd",
       core::Severity::kLow,
       "cd in a RUN affects only that RUN; later instructions start elsewhere, which is easy to "
       "misread. WORKDIR states the directory for everything that follows.",
       "Write `WORKDIR /path` before the RUN (absolute path).",
       [] {
         auto a = trivy("0013");
         a.insert(a.begin(), "DL3003");
         return a;
       }(),
       {hadolint_url("DL3003")}},
      [](const LintInput& input, IssueSink& out) {
        for (const Run& run : shell::runs(input)) {
          for (const Cmd& c : shell::commands(input, *run.ins)) {
            if (c.program == "cd") {
              out.report(*run.ins, "cd " + (c.args.empty() ? std::string() : c.args[0]) +
                                       " in RUN: use WORKDIR");
              break;
            }
          }
        }
      });

  add(registry,
      {"MTR-DF-901",
       "Scan the built image for known vulnerabilities",
       core::Severity::kNone,
       "Linting the Dockerfile cannot see the vulnerabilities in the packages the base image and "
       "the build bring in; only a scan of the built image can.",
       "Build the image and run `matryoshka image scan IMAGE`; in CI add `--fail-on high` so a "
       "vulnerable image fails the pipeline.",
       {},
       {},
       9},
      [](const LintInput& input, IssueSink& out) {
        if (!input.config().scan_hint) return;
        const Instruction* target = nullptr;
        for (const auto& stage : input.stages()) {
          if (stage.from != nullptr) target = stage.from;
        }
        if (target == nullptr && !input.file().instructions.empty()) {
          target = &input.file().instructions.front();
        }
        if (target == nullptr) return;
        out.report(*target,
                   "build this image and scan it for known vulnerabilities: `matryoshka image "
                   "scan IMAGE` (in CI: `matryoshka image scan --fail-on high IMAGE`)");
      });
}

}  // namespace mtr::dockerfile::rules
