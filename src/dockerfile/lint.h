// Dockerfile rules: one registry of checks with stable ids (MTR-DF-NNN), each carrying the ids
// users know it by (hadolint DLxxxx, Trivy DS-xxxx, BuildKit check names) as aliases, and the
// lint() entry point that runs them over a parsed Dockerfile, applies inline suppressions
// (`# matryoshka ignore=`, `# hadolint ignore=`, `# hadolint global ignore=`, `#trivy:ignore:`,
// `# check=skip=`) and the configuration, and returns findings.
//
// Rules are evaluated per stage. Rules about the shipped image (user, healthcheck, exposed
// ports) look only at stages marked `shipped`: the final stage and the stages it is built FROM.
// A builder stage that runs as root is not a finding.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/result.h"
#include "core/severity.h"
#include "dockerfile/ast.h"
#include "dockerfile/shell.h"

namespace mtr::dockerfile {

// ---- rule metadata -------------------------------------------------------------------------

struct RuleInfo {
  std::string id;  // "MTR-DF-301"
  std::string title;
  core::Severity severity = core::Severity::kMedium;
  std::string description;  // why it matters, a sentence or two
  std::string fix;          // what to write instead
  // Peer ids: hadolint "DL3008"; Trivy "DS-0029", "AVD-DS-0029", "DS029"; BuildKit
  // "JSONArgsRecommended"; Checkov "CKV_DOCKER_2". At most one DL id per rule.
  std::vector<std::string> aliases;
  std::vector<std::string> references;  // URLs
  int commandment = 0;                  // 1..9 when the rule enforces one of the nine
  bool enabled_by_default = true;       // false: runs only when the config enables it
};

// ---- what rules see ------------------------------------------------------------------------

struct Stage {
  std::size_t index = 0;  // 0-based, in file order
  // Instructions other than ARG before the first FROM (invalid, but rules still see them) form
  // an implicit stage 0 with from == nullptr and base "".
  std::string name;      // `FROM x AS name`, lower-cased; "" when unnamed
  std::string base;      // image as written: "golang:1.22", "builder", "scratch", "${BASE}"
  std::string platform;  // --platform value, "" when absent
  const Instruction* from = nullptr;
  // The stage's instructions after its FROM, in order (ONBUILD triggers stay wrapped).
  std::vector<const Instruction*> instructions;
  int base_stage = -1;  // index of the earlier stage `base` names; -1 = an image
  // Final stage, or a stage the final one is built FROM (transitively): what ships.
  bool shipped = false;
  // Stages whose files the shipped image receives through COPY --from (transitively).
  bool copied_into_shipped = false;
};

struct LintConfig {
  // DL3026: registries FROM images may come from ("docker.io", "*.example.com"). Empty = any.
  std::vector<std::string> trusted_registries;
  // DL3049-DL3058: required labels and the value format of each:
  // "text", "url", "hash", "rfc3339", "semver", "spdx", "email".
  std::map<std::string, std::string> label_schema;
  bool strict_labels = false;  // labels not in the schema are findings (DL3050)
  // Rules to run beyond the defaults (ids or aliases), e.g. "MTR-DF-607" (HEALTHCHECK missing).
  std::vector<std::string> enabled;
  // Commandment 9: one hint per file to scan the built image (`matryoshka image scan`).
  bool scan_hint = true;
};

// Everything a check receives: the tree, the stages, the configuration, and the RUN commands
// already read as shell.
class LintInput {
 public:
  LintInput(const Dockerfile& file, const LintConfig& config);

  const Dockerfile& file() const { return file_; }
  const LintConfig& config() const { return config_; }
  const std::vector<Stage>& stages() const { return stages_; }
  // The stage an instruction belongs to (ONBUILD inner ones: their ONBUILD's); nullptr for the
  // preamble.
  const Stage* stage_of(const Instruction& ins) const;
  // The stage a `--from=` value or FROM base names (by name, case-insensitive, or by index),
  // among stages before `before`; nullptr when it names an image.
  const Stage* find_stage(std::string_view name_or_index, std::size_t before) const;
  // ARG instructions before the first FROM (global build arguments).
  const std::vector<const Instruction*>& preamble() const { return preamble_; }
  // The commands of a RUN instruction (shell form text plus the bodies of its heredocs when
  // they are the script); empty for exec form and other instructions.
  const ShellScript& script(const Instruction& run) const;
  // Cache and tmpfs mount targets of a RUN (`--mount=type=cache,target=/var/cache/apt`).
  std::vector<std::string> cache_mounts(const Instruction& run) const;
  // Value of flag `name` ("from" for "--from=build"), or nullptr when absent.
  static const std::string* flag(const Instruction& ins, std::string_view name,
                                 std::string* storage);

  // Data a rule group derives from this file once and shares between its rules (the commands
  // of a RUN as package managers read them, say): made by `make()` on first use for `key`.
  // Not thread-safe: one LintInput is read by one thread.
  template <typename T, typename Make>
  const T& memo(const void* key, Make make) const {
    auto it = memo_.find(key);
    if (it == memo_.end()) {
      it = memo_.emplace(key, std::make_shared<T>(make())).first;
    }
    return *static_cast<const T*>(it->second.get());
  }

 private:
  const Dockerfile& file_;
  const LintConfig& config_;
  std::vector<Stage> stages_;
  std::vector<const Instruction*> preamble_;
  std::map<const Instruction*, ShellScript> scripts_;
  std::map<const Instruction*, std::size_t> stage_index_;
  mutable std::map<const void*, std::shared_ptr<void>> memo_;
};

// What a check reports: the instruction (for its span and text) and a message saying exactly
// what is wrong there. `span` overrides the instruction's span when set (line != 0).
struct Issue {
  const Instruction* instruction = nullptr;  // may be null for file-level issues
  std::string message;
  Span span;
};

class IssueSink {
 public:
  virtual ~IssueSink() = default;
  virtual void report(Issue issue) = 0;
  void report(const Instruction& ins, std::string message) {
    report(Issue{&ins, std::move(message), {}});
  }
};

using Check = std::function<void(const LintInput& input, IssueSink& out)>;

class RuleRegistry {
 public:
  // Duplicate ids or aliases are an error (kInternal): a table bug.
  core::Status add(RuleInfo info, Check check);
  const std::vector<RuleInfo>& rules() const { return infos_; }
  const RuleInfo* find(std::string_view id_or_alias) const;
  const Check& check(std::size_t index) const { return checks_[index]; }

 private:
  std::vector<RuleInfo> infos_;
  std::vector<Check> checks_;
};

// Every built-in rule, in id order.
void register_builtin_rules(RuleRegistry& registry);
const RuleRegistry& builtin_rules();

// ---- running -------------------------------------------------------------------------------

struct LintOptions {
  LintConfig config;
  std::vector<std::string> ignored;  // ids or aliases, from the config file or --ignore
  std::map<std::string, core::Severity> severity_overrides;  // id or alias → severity
  bool honour_inline_ignores = true;
  // "Today" as YYYY-MM-DD, injected: inline ignores with an expiry before it no longer apply.
  std::string today;
};

// Runs every enabled rule; findings carry id, aliases, severity, title, description, fix,
// target = file.path, location (path, line, column, end), evidence = the offending source line,
// properties: "stage", "instruction", "commandment", "hadolint" (the DL id) when one exists.
std::vector<core::Finding> lint(const Dockerfile& file, const LintOptions& options,
                                const RuleRegistry& registry = builtin_rules());

}  // namespace mtr::dockerfile
