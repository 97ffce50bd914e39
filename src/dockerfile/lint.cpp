#include "dockerfile/lint.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <set>
#include <utility>

#include "dockerfile/detail/strings.h"
#include "dockerfile/rules/rules.h"

namespace mtr::dockerfile {
namespace {

using detail::iequals;
using detail::lower;
using detail::trim;

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (true) {
    auto pos = s.find(sep);
    auto part = trim(s.substr(0, pos));
    if (!part.empty()) out.emplace_back(part);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  return out;
}

bool is_shell_program(std::string_view program) {
  static const std::set<std::string_view> kShells = {"sh",  "bash", "ash",  "dash",
                                                     "zsh", "ksh",  "mksh", "busybox"};
  return kShells.count(program) != 0;
}

// The commands a RUN executes: its shell-form text, the bodies of heredocs that are the script
// (`RUN <<EOF`, `RUN bash <<EOF`), or its exec-form words as one command.
ShellScript read_run(const Instruction& run) {
  if (run.json) {
    ShellScript script;
    if (run.args.empty()) return script;
    // RUN ["sh", "-c", "..."]: the string is the script.
    std::string_view program = run.args[0];
    if (auto slash = program.rfind('/'); slash != std::string_view::npos) {
      program.remove_prefix(slash + 1);
    }
    if (is_shell_program(program)) {
      for (std::size_t i = 1; i + 1 < run.args.size(); ++i) {
        const std::string& a = run.args[i];
        if (a.size() >= 2 && a[0] == '-' && a[1] != '-' && a.find('c') != std::string::npos) {
          return parse_shell(run.args[i + 1]);
        }
      }
    }
    ShellCommand command;
    for (const auto& a : run.args) command.words.push_back(ShellWord{a, a, 0});
    script.commands.push_back(std::move(command));
    return script;
  }
  std::string text;
  for (const auto& a : run.args) {
    if (!text.empty()) text += ' ';
    text += a;
  }
  ShellScript script = parse_shell(text);
  if (run.heredocs.empty()) return script;
  bool heredoc_is_script = true;
  for (const auto& c : script.commands) {
    if (!c.words.empty() && !is_shell_program(c.program())) heredoc_is_script = false;
  }
  if (!heredoc_is_script) return script;
  for (const auto& h : run.heredocs) {
    ShellScript body = parse_shell(h.content);
    for (auto& c : body.commands) script.commands.push_back(std::move(c));
  }
  return script;
}

// Inline suppressions found in comments.
struct Suppression {
  std::vector<std::string> ids;       // as written; "all" for BuildKit's skip=all
  std::uint32_t applies_to_line = 0;  // instruction start line; 0 = the whole file
  std::string until;                  // YYYY-MM-DD expiry, "" = none
};

// "DL3008,DL3009 until=2026-12-31 reason text" → ids + expiry. Accepts `exp:DATE` too.
void parse_ids_and_expiry(std::string_view rest, Suppression& s) {
  rest = trim(rest);
  auto end = rest.find_first_of(" \t");
  std::string_view ids = rest.substr(0, end);
  for (auto& id : split(ids, ',')) s.ids.push_back(id);
  if (end == std::string_view::npos) return;
  std::string_view tail = rest.substr(end);
  for (std::string_view key :
       {std::string_view("until="), std::string_view("exp:"), std::string_view("expires=")}) {
    auto at = tail.find(key);
    if (at != std::string_view::npos) {
      s.until = std::string(trim(tail.substr(at + key.size(), 10)));
      break;
    }
  }
}

std::vector<Suppression> read_suppressions(const Dockerfile& file) {
  // Start lines of instructions, to attach a comment to the instruction that follows it.
  std::vector<std::uint32_t> starts;
  for (const auto& ins : file.instructions) starts.push_back(ins.span.begin.line);
  auto next_instruction_line = [&](std::uint32_t line) -> std::uint32_t {
    auto it = std::upper_bound(starts.begin(), starts.end(), line);
    return it == starts.end() ? 0 : *it;
  };
  std::vector<Suppression> out;
  for (const auto& c : file.comments) {
    std::string_view text = trim(c.text);
    std::string low = lower(text);
    Suppression s;
    if (low.rfind("hadolint global ignore=", 0) == 0) {
      parse_ids_and_expiry(text.substr(23), s);
      s.applies_to_line = 0;
    } else if (low.rfind("hadolint ignore=", 0) == 0) {
      parse_ids_and_expiry(text.substr(16), s);
      s.applies_to_line = next_instruction_line(c.line);
    } else if (low.rfind("matryoshka global ignore=", 0) == 0) {
      parse_ids_and_expiry(text.substr(25), s);
      s.applies_to_line = 0;
    } else if (low.rfind("matryoshka ignore=", 0) == 0) {
      parse_ids_and_expiry(text.substr(18), s);
      s.applies_to_line = next_instruction_line(c.line);
    } else if (low.rfind("trivy:ignore:", 0) == 0) {
      // #trivy:ignore:DS-0002[:exp:2025-01-01]
      std::string_view rest = text.substr(13);
      auto exp = rest.find(":exp:");
      if (exp != std::string_view::npos) {
        s.until = std::string(trim(rest.substr(exp + 5, 10)));
        rest = rest.substr(0, exp);
      }
      s.ids.emplace_back(trim(rest));
      s.applies_to_line = next_instruction_line(c.line);
    } else {
      continue;
    }
    if (s.applies_to_line == 0 && low.find("global") == std::string::npos &&
        low.rfind("trivy", 0) != 0) {
      continue;  // an ignore comment after the last instruction: nothing to apply to
    }
    if (!s.ids.empty()) out.push_back(std::move(s));
  }
  // BuildKit: `# check=skip=Rule1,Rule2` or `skip=all` (the directive may also carry error=true,
  // separated by ';').
  for (const auto& d : file.directives) {
    if (d.name != "check") continue;
    for (auto& part : split(d.value, ';')) {
      if (lower(part).rfind("skip=", 0) != 0) continue;
      Suppression s;
      for (auto& id : split(std::string_view(part).substr(5), ',')) s.ids.push_back(id);
      s.ids.push_back("buildkit-skip");  // marks a BuildKit-scoped suppression
      out.push_back(std::move(s));
    }
  }
  return out;
}

bool rule_matches(const RuleInfo& rule, std::string_view id) {
  if (iequals(rule.id, id)) return true;
  return std::any_of(rule.aliases.begin(), rule.aliases.end(),
                     [&](const std::string& a) { return iequals(a, id); });
}

// BuildKit check names are CamelCase words without digits or dashes.
bool is_buildkit_name(std::string_view alias) {
  if (alias.empty() || !std::isupper(static_cast<unsigned char>(alias[0]))) return false;
  return std::all_of(alias.begin(), alias.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

bool suppressed_by(const Suppression& s, const RuleInfo& rule) {
  bool buildkit = !s.ids.empty() && s.ids.back() == "buildkit-skip";
  for (const auto& id : s.ids) {
    if (id == "buildkit-skip") continue;
    if (buildkit && iequals(id, "all")) {
      if (std::any_of(rule.aliases.begin(), rule.aliases.end(), is_buildkit_name)) return true;
      continue;
    }
    if (rule_matches(rule, id)) return true;
  }
  return false;
}

class CollectingSink : public IssueSink {
 public:
  void report(Issue issue) override { issues_.push_back(std::move(issue)); }
  using IssueSink::report;
  std::vector<Issue>& issues() { return issues_; }

 private:
  std::vector<Issue> issues_;
};

}  // namespace

// ---- LintInput ------------------------------------------------------------------------------

LintInput::LintInput(const Dockerfile& file, const LintConfig& config)
    : file_(file), config_(config) {
  std::string storage;
  for (const auto& ins : file.instructions) {
    if (ins.keyword == "from") {
      Stage stage;
      stage.index = stages_.size();
      stage.from = &ins;
      if (const auto* platform = flag(ins, "platform", &storage)) stage.platform = *platform;
      if (!ins.args.empty()) stage.base = ins.args[0];
      if (ins.args.size() >= 3 && iequals(ins.args[1], "as")) stage.name = lower(ins.args[2]);
      if (const Stage* base = find_stage(stage.base, stage.index)) {
        stage.base_stage = static_cast<int>(base->index);
      }
      stages_.push_back(std::move(stage));
      continue;
    }
    if (stages_.empty()) {
      if (ins.keyword == "arg") {
        preamble_.push_back(&ins);
        continue;
      }
      Stage implicit;  // instructions before any FROM
      stages_.push_back(std::move(implicit));
    }
    stages_.back().instructions.push_back(&ins);
  }
  for (const auto& stage : stages_) {
    for (const Instruction* ins : stage.instructions) {
      stage_index_[ins] = stage.index;
      for (const auto& inner : ins->inner) stage_index_[&inner] = stage.index;
    }
    if (stage.from != nullptr) stage_index_[stage.from] = stage.index;
  }
  if (!stages_.empty()) {
    // What ships: the final stage and its FROM chain; then whatever they COPY --from,
    // transitively (with those stages' own FROM chains).
    std::vector<std::size_t> work;
    auto mark_chain = [&](std::size_t index, bool copied) {
      for (int i = static_cast<int>(index); i >= 0;
           i = stages_[static_cast<std::size_t>(i)].base_stage) {
        Stage& s = stages_[static_cast<std::size_t>(i)];
        bool& flag_ref = copied ? s.copied_into_shipped : s.shipped;
        if (flag_ref) break;
        flag_ref = true;
        work.push_back(s.index);
      }
    };
    mark_chain(stages_.size() - 1, false);
    while (!work.empty()) {
      std::size_t index = work.back();
      work.pop_back();
      for (const Instruction* ins : stages_[index].instructions) {
        if (ins->keyword != "copy" && ins->keyword != "add") continue;
        const std::string* from = flag(*ins, "from", &storage);
        if (from == nullptr) continue;
        if (const Stage* source = find_stage(*from, index)) {
          if (!source->shipped && !source->copied_into_shipped) mark_chain(source->index, true);
        }
      }
    }
  }
  auto add_script = [&](const Instruction& ins) {
    if (ins.keyword == "run") scripts_.emplace(&ins, read_run(ins));
  };
  for (const auto& ins : file.instructions) {
    add_script(ins);
    for (const auto& inner : ins.inner) add_script(inner);
  }
}

const Stage* LintInput::stage_of(const Instruction& ins) const {
  auto it = stage_index_.find(&ins);
  return it == stage_index_.end() ? nullptr : &stages_[it->second];
}

const Stage* LintInput::find_stage(std::string_view name_or_index, std::size_t before) const {
  if (name_or_index.empty()) return nullptr;
  bool numeric = std::all_of(name_or_index.begin(), name_or_index.end(),
                             [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (numeric && name_or_index.size() < 6) {
    std::size_t index = static_cast<std::size_t>(std::atoi(std::string(name_or_index).c_str()));
    // Count only real stages (an implicit stage has no FROM).
    std::size_t real = 0;
    for (const auto& s : stages_) {
      if (s.index >= before) break;
      if (s.from == nullptr) continue;
      if (real == index) return &s;
      ++real;
    }
    return nullptr;
  }
  for (const auto& s : stages_) {
    if (s.index >= before) break;
    if (!s.name.empty() && iequals(s.name, name_or_index)) return &s;
  }
  return nullptr;
}

const ShellScript& LintInput::script(const Instruction& run) const {
  static const ShellScript kEmpty;
  auto it = scripts_.find(&run);
  return it == scripts_.end() ? kEmpty : it->second;
}

std::vector<std::string> LintInput::cache_mounts(const Instruction& run) const {
  std::vector<std::string> targets;
  for (const auto& f : run.flags) {
    if (lower(f).rfind("--mount=", 0) != 0) continue;
    std::string type;
    std::string target;
    for (auto& kv : split(std::string_view(f).substr(8), ',')) {
      auto eq = kv.find('=');
      std::string key = lower(kv.substr(0, eq));
      std::string value = eq == std::string::npos ? "" : kv.substr(eq + 1);
      if (key == "type") type = lower(value);
      if (key == "target" || key == "dst" || key == "destination") target = value;
    }
    if ((type == "cache" || type == "tmpfs") && !target.empty()) targets.push_back(target);
  }
  return targets;
}

const std::string* LintInput::flag(const Instruction& ins, std::string_view name,
                                   std::string* storage) {
  for (const auto& f : ins.flags) {
    std::string_view v = f;
    if (v.rfind("--", 0) != 0) continue;
    v.remove_prefix(2);
    if (v.size() < name.size() || !iequals(v.substr(0, name.size()), name)) continue;
    v.remove_prefix(name.size());
    if (v.empty()) {
      storage->clear();
      return storage;
    }
    if (v[0] != '=') continue;
    *storage = std::string(v.substr(1));
    return storage;
  }
  return nullptr;
}

// ---- registry -------------------------------------------------------------------------------

core::Status RuleRegistry::add(RuleInfo info, Check check) {
  if (find(info.id) != nullptr) {
    return core::fail(core::ErrorCode::kInternal, "duplicate Dockerfile rule id " + info.id);
  }
  for (const auto& alias : info.aliases) {
    if (const RuleInfo* other = find(alias)) {
      return core::fail(
          core::ErrorCode::kInternal,
          "Dockerfile rule alias " + alias + " of " + info.id + " is already " + other->id + "'s");
    }
  }
  infos_.push_back(std::move(info));
  checks_.push_back(std::move(check));
  return {};
}

const RuleInfo* RuleRegistry::find(std::string_view id_or_alias) const {
  for (const auto& r : infos_) {
    if (rule_matches(r, id_or_alias)) return &r;
  }
  return nullptr;
}

void register_builtin_rules(RuleRegistry& registry) {
  rules::register_instruction_rules(registry);
  rules::register_shell_rules(registry);
}

const RuleRegistry& builtin_rules() {
  static const RuleRegistry registry = [] {
    RuleRegistry groups;
    register_builtin_rules(groups);
    // In id order, whatever order the groups register in (rules list, docs, SARIF).
    std::vector<std::size_t> order(groups.rules().size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return groups.rules()[a].id < groups.rules()[b].id;
    });
    RuleRegistry sorted;
    for (std::size_t i : order) {
      auto status = sorted.add(groups.rules()[i], groups.check(i));
      if (!status) std::abort();  // cannot happen: `groups` accepted the same rules
    }
    return sorted;
  }();
  return registry;
}

// ---- lint -----------------------------------------------------------------------------------

std::vector<core::Finding> lint(const Dockerfile& file, const LintOptions& options,
                                const RuleRegistry& registry) {
  LintInput input(file, options.config);
  std::vector<Suppression> suppressions;
  if (options.honour_inline_ignores) suppressions = read_suppressions(file);
  auto expired = [&](const Suppression& s) {
    return !s.until.empty() && !options.today.empty() && s.until < options.today;
  };

  std::vector<core::Finding> findings;
  for (std::size_t i = 0; i < registry.rules().size(); ++i) {
    const RuleInfo& rule = registry.rules()[i];
    bool enabled = rule.enabled_by_default;
    for (const auto& id : options.config.enabled) enabled = enabled || rule_matches(rule, id);
    for (const auto& id : options.ignored) enabled = enabled && !rule_matches(rule, id);
    if (!enabled) continue;
    bool file_wide_off = false;
    for (const auto& s : suppressions) {
      if (s.applies_to_line == 0 && !expired(s) && suppressed_by(s, rule)) file_wide_off = true;
    }
    if (file_wide_off) continue;

    CollectingSink sink;
    registry.check(i)(input, sink);
    core::Severity severity = rule.severity;
    for (const auto& [id, s] : options.severity_overrides) {
      if (rule_matches(rule, id)) severity = s;
    }
    for (auto& issue : sink.issues()) {
      const Instruction* ins = issue.instruction;
      Span span = issue.span.begin.line != 0 ? issue.span : (ins ? ins->span : Span{});
      std::uint32_t start_line = ins ? ins->span.begin.line : span.begin.line;
      bool silenced = false;
      for (const auto& s : suppressions) {
        if (s.applies_to_line == 0 || expired(s)) continue;
        if (s.applies_to_line == start_line && suppressed_by(s, rule)) silenced = true;
      }
      if (silenced) continue;

      core::Finding f;
      f.id = rule.id;
      f.aliases = rule.aliases;
      f.severity = severity;
      f.title = issue.message.empty() ? rule.title : issue.message;
      f.description = rule.description;
      f.fix = rule.fix;
      f.references = rule.references;
      f.target = file.path;
      f.location.path = file.path;
      f.location.line = span.begin.line;
      f.location.column = span.begin.column;
      f.location.end_line = span.end.line;
      f.location.end_column = span.end.column;
      if (ins != nullptr) {
        f.evidence =
            ins->original.size() > 240 ? ins->original.substr(0, 237) + "..." : ins->original;
        f.properties["instruction"] = ins->keyword;
        if (const Stage* stage = input.stage_of(*ins)) {
          f.properties["stage"] = stage->name.empty() ? std::to_string(stage->index) : stage->name;
        }
      }
      f.properties["rule_title"] = rule.title;
      if (rule.commandment != 0) f.properties["commandment"] = std::to_string(rule.commandment);
      for (const auto& a : rule.aliases) {
        if (a.size() == 6 && a.rfind("DL", 0) == 0) f.properties["hadolint"] = a;
      }
      findings.push_back(std::move(f));
    }
  }
  std::stable_sort(findings.begin(), findings.end(), [](const auto& a, const auto& b) {
    return std::tie(a.location.line, a.location.column, a.id) <
           std::tie(b.location.line, b.location.column, b.id);
  });
  return findings;
}

}  // namespace mtr::dockerfile
