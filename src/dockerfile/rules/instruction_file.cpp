// MTR-DF-001..007: the file as a whole — instruction order, deprecated and misplaced
// instructions, ENV self-references, label keys, inline ignore pragmas, RUN consolidation.
#include <set>

#include "dockerfile/parser.h"
#include "dockerfile/rules/instruction_util.h"

namespace mtr::dockerfile::rules::detail {
namespace {

using core::Severity;

// Whether `$name` or `${name}` occurs in `text` as a whole variable reference.
bool refers_to(std::string_view text, std::string_view name) {
  if (text.find("${" + std::string(name) + "}") != std::string_view::npos) return true;
  std::string bare = "$" + std::string(name);
  for (auto at = text.find(bare); at != std::string_view::npos; at = text.find(bare, at + 1)) {
    std::size_t after = at + bare.size();
    if (after >= text.size()) return true;
    char c = text[after];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return true;
  }
  return false;
}

bool valid_label_key_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '.' || c == '-' || c == '_' ||
         c == '/';
}

// Why a label key is invalid, or "" when it is fine (Docker's label key guidelines).
std::string label_key_problem(std::string_view key) {
  if (key.empty()) return "is empty";
  for (std::string_view ns : {"com.docker.", "io.docker.", "org.dockerproject."}) {
    if (key.rfind(ns, 0) == 0) return "uses the reserved namespace '" + std::string(ns) + "'";
  }
  if (!(key.front() >= 'a' && key.front() <= 'z')) return "must start with a lower-case letter";
  char last = key.back();
  if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))) {
    return "must end with a lower-case letter or digit";
  }
  for (char c : key) {
    if (!valid_label_key_char(c)) {
      return std::string("contains '") + c + "' (allowed: a-z, 0-9, '.', '-', '_', '/')";
    }
  }
  if (key.find("..") != std::string_view::npos || key.find("--") != std::string_view::npos) {
    return "has consecutive separators";
  }
  return "";
}

bool is_ignore_pragma(std::string_view text) {
  std::string low = lower(trim(text));
  for (std::string_view p : {"hadolint ignore=", "hadolint global ignore=", "matryoshka ignore=",
                             "matryoshka global ignore=", "trivy:ignore:"}) {
    if (low.rfind(p, 0) == 0) return true;
  }
  return false;
}

// BuildKit's parser keeps any word as an instruction; the build then fails on it ("unknown
// instruction"). Templates (`{{ ... }}`) and typos end up here.
void check_unknown(const LintInput& input, IssueSink& out) {
  auto check = [&](const Instruction& ins) {
    if (is_known_instruction(ins.keyword)) return;
    Issue issue{&ins,
                "unknown instruction '" + ins.keyword +
                    "': docker build fails here (a typo, or a template that was not rendered)",
                ins.keyword_span};
    out.report(std::move(issue));
  };
  for (const auto& ins : input.file().instructions) {
    check(ins);
    for (const auto& inner : ins.inner) check(inner);
  }
}

void check_order(const LintInput& input, IssueSink& out) {
  for (const auto& ins : input.file().instructions) {
    if (ins.keyword == "from") return;
    if (ins.keyword == "arg" || !is_known_instruction(ins.keyword)) continue;  // 008 reports those
    out.report(ins, "'" + lower(ins.keyword) +
                        "' before the first FROM: a Dockerfile must begin with FROM, ARG or a "
                        "comment");
  }
}

void check_maintainer(const LintInput& input, IssueSink& out) {
  for (const auto& ins : input.file().instructions) {
    if (ins.keyword != "maintainer") continue;
    std::string who;
    for (const auto& a : ins.args) who += (who.empty() ? "" : " ") + a;
    out.report(ins, "MAINTAINER is deprecated: write LABEL org.opencontainers.image.authors=\"" +
                        unquote(who) + "\" instead");
  }
}

void check_onbuild_triggers(const LintInput& input, IssueSink& out) {
  for (const auto& ins : input.file().instructions) {
    for (const auto& inner : ins.inner) {
      if (inner.keyword == "onbuild" || inner.keyword == "from" || inner.keyword == "maintainer") {
        out.report(ins, "ONBUILD " + lower(inner.keyword) +
                            " is not allowed: ONBUILD may not trigger ONBUILD, FROM or "
                            "MAINTAINER");
      }
    }
  }
}

void check_env_self_reference(const LintInput& input, IssueSink& out) {
  std::set<std::string> defined;  // ARG and ENV names seen so far in the file
  auto visit = [&](const Instruction& ins) {
    if (ins.keyword == "arg") {
      for (auto& n : arg_names(ins)) defined.insert(n);
      return;
    }
    if (ins.keyword != "env") return;
    auto pairs = key_values(ins, true);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      if (defined.count(pairs[i].key) != 0) continue;
      for (std::size_t j = 0; j < pairs.size(); ++j) {
        if (j == i || !refers_to(pairs[j].value, pairs[i].key)) continue;
        report_at(out, ins,
                  "ENV " + pairs[j].key + " refers to $" + pairs[i].key +
                      ", which this same ENV defines: the reference sees the old (unset) value; "
                      "split it into two ENV instructions",
                  arg_span(ins, pairs[j].index));
        i = pairs.size();  // one finding per instruction
        break;
      }
    }
    for (const auto& p : pairs) defined.insert(p.key);
  };
  for (const auto& ins : input.file().instructions) {
    visit(ins);
    for (const auto& inner : ins.inner) visit(inner);
  }
}

void check_label_keys(const LintInput& input, IssueSink& out) {
  for (const auto& ins : input.file().instructions) {
    if (ins.keyword != "label") continue;
    for (const auto& kv : key_values(ins, false)) {
      std::string problem = label_key_problem(kv.key);
      if (problem.empty()) continue;
      report_at(out, ins, "label key '" + kv.key + "' " + problem, arg_span(ins, kv.index));
    }
  }
}

void check_ignore_pragmas(const LintInput& input, IssueSink& out) {
  for (const auto& c : input.file().comments) {
    if (!is_ignore_pragma(c.text)) continue;
    Issue issue;
    issue.message = "inline ignore pragma '# " + std::string(trim(c.text)) +
                    "': record exceptions in the configuration file instead";
    issue.span = Span{{c.line, 1}, {c.line, 1}};
    // Attach to the instruction it precedes, so the finding shows its context.
    for (const auto& ins : input.file().instructions) {
      if (ins.span.begin.line > c.line) {
        issue.instruction = &ins;
        break;
      }
    }
    out.report(std::move(issue));
  }
}

void check_consecutive_runs(const LintInput& input, IssueSink& out) {
  const Instruction* previous = nullptr;
  bool previous_single = false;
  for (const auto& ins : input.file().instructions) {
    if (ins.keyword != "run") {
      previous = nullptr;
      continue;
    }
    bool single = input.script(ins).commands.size() <= 1;
    if (previous != nullptr && previous->flags == ins.flags && single && previous_single) {
      out.report(ins, "RUN directly after another RUN (line " +
                          std::to_string(previous->span.begin.line) +
                          ") with the same flags: join them with && to save a layer");
    }
    previous = &ins;
    previous_single = single;
  }
}

}  // namespace

void register_file_rules(RuleRegistry& registry) {
  must(registry.add(
      RuleInfo{.id = "MTR-DF-001",
               .title = "Invalid instruction order",
               .severity = Severity::kHigh,
               .description = "Only ARG and comments may precede the first FROM; BuildKit "
                              "rejects any other instruction there.",
               .fix = "Move the instruction after the FROM it belongs to.",
               .aliases = {"DL3061"},
               .references = {hadolint_wiki("DL3061")}},
      check_order));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-008",
               .title = "Unknown instruction",
               .severity = Severity::kHigh,
               .description = "BuildKit rejects instructions it does not know; the file is a "
                              "template or has a typo.",
               .fix = "Correct the instruction name, or lint the rendered Dockerfile.",
               .aliases = {},
               .references = {"https://docs.docker.com/reference/dockerfile/"}},
      check_unknown));
  std::vector<std::string> maintainer_aliases = {"DL4000"};
  for (auto& a : trivy(22)) maintainer_aliases.push_back(a);
  maintainer_aliases.insert(maintainer_aliases.end(), {"MaintainerDeprecated", "CKV_DOCKER_6"});
  must(registry.add(
      RuleInfo{.id = "MTR-DF-002",
               .title = "MAINTAINER is deprecated",
               .severity = Severity::kHigh,
               .description = "MAINTAINER was deprecated in Docker 1.13; tools read the author "
                              "from the OCI label instead.",
               .fix = "Write LABEL org.opencontainers.image.authors=\"name <email>\".",
               .aliases = maintainer_aliases,
               .references = {hadolint_wiki("DL4000"), buildkit_doc("maintainer-deprecated")}},
      check_maintainer));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-003",
               .title = "ONBUILD triggers ONBUILD, FROM or MAINTAINER",
               .severity = Severity::kHigh,
               .description = "Chaining ONBUILD, or triggering FROM or MAINTAINER, is not "
                              "allowed and fails the downstream build.",
               .fix = "Remove the trigger or write the instruction directly.",
               .aliases = {"DL3043"},
               .references = {hadolint_wiki("DL3043")}},
      check_onbuild_triggers));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-004",
               .title = "ENV refers to a variable defined in the same ENV",
               .severity = Severity::kHigh,
               .description = "Variables in one ENV instruction are expanded before any of its "
                              "assignments take effect, so the reference sees the old value.",
               .fix = "Split the ENV into two instructions: define the variable first, then use "
                      "it.",
               .aliases = {"DL3044"},
               .references = {hadolint_wiki("DL3044")}},
      check_env_self_reference));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-005",
               .title = "Invalid label key",
               .severity = Severity::kLow,
               .description = "Label keys should be lower-case reverse-DNS names and must not use "
                              "Docker's reserved namespaces.",
               .fix = "Use keys like org.opencontainers.image.source or com.example.team.",
               .aliases = {"DL3048"},
               .references = {hadolint_wiki("DL3048")}},
      check_label_keys));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-006",
               .title = "Inline ignore pragma used",
               .severity = Severity::kLow,
               .description = "Inline ignores hide findings where reviewers do not look; a "
                              "central exception list is easier to audit.",
               .fix = "Move the exception to the lint configuration (ignored rules) with a "
                      "reason.",
               .aliases = {"DL1001"},
               .references = {hadolint_wiki("DL1001")},
               .enabled_by_default = false},
      check_ignore_pragmas));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-007",
               .title = "Multiple consecutive RUN instructions",
               .severity = Severity::kLow,
               .description = "Each RUN adds a layer; consecutive single-command RUNs can be one.",
               .fix = "Join the commands: RUN a && b.",
               .aliases = {"DL3059"},
               .references = {hadolint_wiki("DL3059")}},
      check_consecutive_runs));
}

}  // namespace mtr::dockerfile::rules::detail
