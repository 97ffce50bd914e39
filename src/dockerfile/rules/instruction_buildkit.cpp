// MTR-DF-010..020: BuildKit's build checks (docs.docker.com/reference/build-checks) that have
// no hadolint equivalent. Each carries the BuildKit check name as its alias, so
// `# check=skip=StageNameCasing` silences it as it silences BuildKit.
#include <algorithm>
#include <map>
#include <set>

#include "dockerfile/rules/instruction_util.h"

namespace mtr::dockerfile::rules::detail {
namespace {

using core::Severity;

std::string upper_case(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The keyword as written in the source ("EntRYpOiNT"), "" when unknown.
std::string written_keyword(const Instruction& ins) {
  static const std::set<std::string, std::less<>> kInstructions = {
      "add",    "arg",   "cmd",         "copy",  "entrypoint", "env",
      "expose", "from",  "healthcheck", "label", "maintainer", "onbuild",
      "run",    "shell", "stopsignal",  "user",  "volume",     "workdir"};
  // Unknown words (template placeholders the parser let through) are not instructions.
  if (kInstructions.count(ins.keyword) == 0) return "";
  std::string_view text = trim(ins.original);
  if (text.size() < ins.keyword.size()) return "";
  std::string_view word = text.substr(0, ins.keyword.size());
  return iequals(word, ins.keyword) ? std::string(word) : "";
}

void check_instruction_casing(const LintInput& input, IssueSink& out) {
  int upper = 0;
  int low = 0;
  for (const auto& ins : input.file().instructions) {
    std::string word = written_keyword(ins);
    if (is_upper_word(word)) ++upper;
    if (is_lower_word(word)) ++low;
  }
  bool majority_lower = low > upper;
  for (const auto& ins : input.file().instructions) {
    std::string word = written_keyword(ins);
    if (word.empty()) continue;
    bool consistent = majority_lower ? is_lower_word(word) : is_upper_word(word);
    if (consistent) continue;
    report_at(out, ins,
              "instruction '" + word + "' should be written " +
                  (majority_lower ? lower(word) : upper_case(word)) + " like the rest of the file",
              ins.keyword_span.begin.line != 0 ? ins.keyword_span : ins.span);
  }
}

void check_from_as_casing(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr || stage.from->args.size() < 3) continue;
    std::string from = written_keyword(*stage.from);
    const std::string& as = stage.from->args[1];
    bool mismatch =
        (is_upper_word(from) && !is_upper_word(as)) || (is_lower_word(from) && !is_lower_word(as));
    if (!mismatch) continue;
    report_at(out, *stage.from,
              "'" + as + "' and '" + from + "' keywords' casing do not match: write " +
                  (is_upper_word(from) ? "AS" : "as"),
              arg_span(*stage.from, 1));
  }
}

void check_stage_name_casing(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr || stage.from->args.size() < 3) continue;
    const std::string& name = stage.from->args[2];
    if (name.find('$') != std::string::npos || lower(name) == name) continue;
    report_at(out, *stage.from,
              "stage name '" + name + "' should be lower-case: write " + lower(name),
              arg_span(*stage.from, 2));
  }
}

void check_legacy_key_value(const LintInput& input, IssueSink& out) {
  auto visit = [&](const Instruction& ins) {
    if (ins.keyword == "env" || ins.keyword == "label") {
      for (const auto& kv : key_values(ins, true)) {
        if (!kv.legacy) continue;
        std::string upper = ins.keyword == "env" ? "ENV" : "LABEL";
        std::string value(trim(kv.value));
        if (value.size() > 40 || value.find('\n') != std::string::npos) value = "...";
        // A value with its own quotes would be rewritten wrongly: only name the key then.
        std::string suggestion = value.find_first_of("\"'") == std::string::npos
                                     ? "write " + upper + " " + kv.key + "=\"" + value + "\""
                                     : "write " + upper + " " + kv.key + "=<value>";
        report_at(out, ins,
                  "\"" + upper + " key=value\" should be used instead of legacy \"" + upper +
                      " key value\" format: " + suggestion,
                  arg_span(ins, kv.index));
      }
    } else if (ins.keyword == "arg" && ins.args.size() == 2 &&
               ins.args[0].find('=') == std::string::npos &&
               ins.args[1].find('=') == std::string::npos) {
      report_at(out, ins,
                "\"ARG key=value\" should be used instead of legacy \"ARG key value\" format: "
                "write ARG " +
                    ins.args[0] + "=" + ins.args[1],
                arg_span(ins, 0));
    }
  };
  for (const auto& ins : input.file().instructions) {
    visit(ins);
    for (const auto& inner : ins.inner) visit(inner);
  }
}

void check_empty_continuation(const LintInput& input, IssueSink& out) {
  for (const auto& w : input.file().warnings) {
    if (lower(w.message).find("empty continuation") == std::string::npos) continue;
    Issue issue;
    issue.message =
        "empty line inside this instruction's line continuation (ending on line " +
        std::to_string(w.line) +
        "): a future Dockerfile syntax rejects it; remove the blank line or make it a comment";
    issue.span = Span{{w.line, 1}, {w.line, 1}};
    for (const auto& ins : input.file().instructions) {
      if (ins.span.begin.line <= w.line && w.line <= ins.span.end.line + 1) {
        issue.instruction = &ins;
      }
    }
    if (issue.instruction == nullptr) {
      // Attach to the instruction whose continuation the blank line interrupts.
      for (const auto& ins : input.file().instructions) {
        if (ins.span.begin.line <= w.line) issue.instruction = &ins;
      }
    }
    out.report(std::move(issue));
  }
}

bool builtin_arg(std::string_view name) {
  static const std::set<std::string, std::less<>> kBuiltin = {"BUILDPLATFORM",
                                                              "BUILDOS",
                                                              "BUILDARCH",
                                                              "BUILDVARIANT",
                                                              "TARGETPLATFORM",
                                                              "TARGETOS",
                                                              "TARGETARCH",
                                                              "TARGETVARIANT",
                                                              "TARGETSTAGE",
                                                              "BUILDKIT_SBOM_SCAN_STAGE",
                                                              "BUILDKIT_SBOM_SCAN_CONTEXT",
                                                              "HTTP_PROXY",
                                                              "HTTPS_PROXY",
                                                              "FTP_PROXY",
                                                              "NO_PROXY",
                                                              "ALL_PROXY",
                                                              "http_proxy",
                                                              "https_proxy",
                                                              "ftp_proxy",
                                                              "no_proxy",
                                                              "all_proxy"};
  return kBuiltin.count(name) != 0;
}

void check_undefined_arg_in_from(const LintInput& input, IssueSink& out) {
  std::set<std::string> declared;
  for (const Instruction* arg : input.preamble()) {
    for (auto& n : arg_names(*arg)) declared.insert(n);
  }
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr) continue;
    std::set<std::string> reported;
    for (const auto& text : {stage.base, stage.platform}) {
      for (const auto& var : referenced_vars(text)) {
        if (declared.count(var) != 0 || builtin_arg(var) || !reported.insert(var).second) {
          continue;
        }
        out.report(*stage.from, "FROM argument '" + var + "' is not declared: add ARG " + var +
                                    "=<default> before the first FROM");
      }
    }
  }
}

void check_invalid_default_arg(const LintInput& input, IssueSink& out) {
  Environment env = global_args(input);
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr || stage.base.find('$') == std::string::npos) continue;
    auto expanded = expand_word(stage.base, env);
    std::string value = expanded ? *expanded : std::string();
    if (expanded && (valid_image_reference(value) || iequals(value, "scratch") ||
                     input.find_stage(value, stage.index) != nullptr)) {
      continue;
    }
    report_at(out, *stage.from,
              "FROM " + stage.base + " with the global ARG defaults gives '" + value +
                  "', which is not a valid image reference: give the ARG a default "
                  "(ARG NAME=value) or use ${NAME:-default}",
              arg_span(*stage.from, 0));
  }
}

void check_expose(const LintInput& input, IssueSink& out, bool proto) {
  for (const auto& stage : input.stages()) {
    for_each_instruction(stage, [&](const Instruction& ins, bool) {
      if (ins.keyword != "expose") return;
      for (std::size_t i = 0; i < ins.args.size(); ++i) {
        std::string spec = unquote(ins.args[i]);
        // Ignore ${VAR:-default} parts: their ':' is not a host mapping.
        std::string literal;
        int depth = 0;
        for (std::size_t k = 0; k < spec.size(); ++k) {
          if (spec[k] == '$' && k + 1 < spec.size() && spec[k + 1] == '{') {
            ++depth;
            ++k;
          } else if (spec[k] == '}' && depth > 0) {
            --depth;
          } else if (depth == 0) {
            literal += spec[k];
          }
        }
        if (proto) {
          auto slash = literal.find('/');
          if (slash == std::string::npos) continue;
          std::string name = literal.substr(slash + 1);
          if (name == lower(name)) continue;
          report_at(out, ins,
                    "defined protocol '" + spec +
                        "' in EXPOSE instruction should be lower-case: "
                        "write " +
                        literal.substr(0, slash + 1) + lower(name),
                    arg_span(ins, i));
        } else if (literal.find(':') != std::string::npos) {
          report_at(out, ins,
                    "EXPOSE instruction should not define an IP address or host-port mapping, "
                    "found '" +
                        spec +
                        "': expose the container port and publish with -p at run "
                        "time",
                    arg_span(ins, i));
        }
      }
    });
  }
}

bool pragma_comment(std::string_view text) {
  std::string low = lower(trim(text));
  for (std::string_view p : {"hadolint", "matryoshka", "trivy:", "syntax=", "escape=", "check=",
                             "checkov:", "nosec", "renovate", "dependabot"}) {
    if (low.rfind(p, 0) == 0) return true;
  }
  return false;
}

void check_definition_description(const LintInput& input, IssueSink& out) {
  std::map<std::uint32_t, const Comment*> by_line;
  for (const auto& c : input.file().comments) {
    if (!c.inside_instruction) by_line[c.line] = &c;
  }
  auto check = [&](const Instruction& ins, const std::string& name, const char* what) {
    if (name.empty()) return;
    std::uint32_t line = ins.span.begin.line;
    if (line < 2) return;
    // The comment block directly above; its first line must start with the name.
    std::uint32_t first = line;
    while (first > 1 && by_line.count(first - 1) != 0) --first;
    if (first == line) return;
    std::string_view text = trim(by_line[first]->text);
    if (pragma_comment(text)) return;
    std::string_view word = text.substr(0, text.find_first_of(" \t"));
    if (word == name) return;
    report_at(out, ins,
              std::string("comment above ") + what + " '" + name +
                  "' is not a description: start it with '# " + name +
                  " <description>', or separate it with an empty line",
              Span{{first, 1}, {line - 1, 1}});
  };
  for (const auto& ins : input.file().instructions) {
    if (ins.keyword == "from" && ins.args.size() >= 3) check(ins, ins.args[2], "stage");
    if (ins.keyword == "arg" && !ins.args.empty()) check(ins, arg_names(ins)[0], "ARG");
  }
}

void check_platform_const(const LintInput& input, IssueSink& out) {
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr || stage.platform.empty()) continue;
    std::string platform = unquote(stage.platform);
    if (platform.find('$') != std::string::npos) continue;
    // A stage named after its platform (build_amd64) is platform-specific on purpose.
    bool named = false;
    std::string_view rest = platform;
    while (!rest.empty()) {
      auto slash = rest.find('/');
      std::string part = lower(rest.substr(0, slash));
      if (!part.empty() && stage.name.find(part) != std::string::npos) named = true;
      if (slash == std::string_view::npos) break;
      rest.remove_prefix(slash + 1);
    }
    if (named) continue;
    report_at(out, *stage.from,
              "FROM --platform flag should not use constant value \"" + platform +
                  "\": use $BUILDPLATFORM/$TARGETPLATFORM, or name the stage after the platform",
              flag_span(*stage.from, "platform"));
  }
}

// ${NAME}, $NAME and whether a default or alternative is given (${NAME:-x}, ${NAME+x}, ...).
struct VarUse {
  std::string name;
  bool has_default = false;
};

std::vector<VarUse> var_uses(std::string_view word) {
  std::vector<VarUse> out;
  for (std::size_t i = 0; i + 1 < word.size(); ++i) {
    if (word[i] == '\\') {
      ++i;
      continue;
    }
    if (word[i] != '$') continue;
    bool braced = word[i + 1] == '{';
    std::size_t start = i + 1 + (braced ? 1 : 0);
    std::size_t end = start;
    while (end < word.size() &&
           (std::isalnum(static_cast<unsigned char>(word[end])) != 0 || word[end] == '_')) {
      ++end;
    }
    if (end == start) continue;
    VarUse use{std::string(word.substr(start, end - start)), false};
    if (braced && end < word.size() && word[end] != '}') use.has_default = true;
    out.push_back(std::move(use));
    i = end - 1;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Base images whose configuration defines no variable but PATH: any other name is undefined.
bool minimal_env_base(const std::string& base) {
  static const std::set<std::string, std::less<>> kMinimal = {
      "scratch",    "alpine",    "debian",      "ubuntu",    "busybox",     "fedora", "centos",
      "rockylinux", "almalinux", "amazonlinux", "archlinux", "oraclelinux", "photon"};
  if (iequals(base, "scratch")) return true;
  ImageRef ref = parse_image(base);
  std::string repo = lower(ref.repository);
  if (repo.rfind("library/", 0) == 0) repo = repo.substr(8);
  return kMinimal.count(repo) != 0;
}

void check_undefined_var(const LintInput& input, IssueSink& out) {
  static const std::set<std::string, std::less<>> kExpanded = {
      "env", "label", "copy", "add", "workdir", "expose", "user", "volume", "stopsignal", "arg"};
  for (const auto& stage : input.stages()) {
    if (stage.from == nullptr) continue;
    auto stages = chain(input, stage);
    const Stage* root = stages.back();
    bool minimal = minimal_env_base(unquote(root->base));
    std::set<std::string> defined = {"PATH"};
    auto define = [&](const Instruction& ins) {
      if (ins.keyword == "arg") {
        for (auto& n : arg_names(ins)) defined.insert(n);
      } else if (ins.keyword == "env") {
        for (const auto& kv : key_values(ins, true)) defined.insert(kv.key);
      }
    };
    for (std::size_t i = stages.size(); i-- > 1;) {
      for (const Instruction* ins : stages[i]->instructions) define(*ins);
    }
    for (const Instruction* ins : stage.instructions) {
      if (kExpanded.count(ins->keyword) != 0) {
        std::vector<std::pair<std::size_t, std::string>> words;
        if (ins->keyword == "env" || ins->keyword == "label") {
          for (const auto& kv : key_values(*ins, true)) words.emplace_back(kv.index + 1, kv.value);
        } else if (ins->keyword == "arg") {
          for (std::size_t k = 0; k < ins->args.size(); ++k) {
            auto eq = ins->args[k].find('=');
            if (eq != std::string::npos) words.emplace_back(k, ins->args[k].substr(eq + 1));
          }
        } else {
          for (std::size_t k = 0; k < ins->args.size(); ++k) words.emplace_back(k, ins->args[k]);
        }
        std::set<std::string> reported;
        for (const auto& [index, word] : words) {
          for (const auto& use : var_uses(word)) {
            if (use.has_default || defined.count(use.name) != 0 || builtin_arg(use.name) ||
                !reported.insert(use.name).second) {
              continue;
            }
            std::string suggestion;
            for (const auto& d : defined) {
              if (use.name.size() > 2 && edit_distance(use.name, d) <= 2) suggestion = d;
            }
            // Other bases define variables we cannot see; only a likely typo is certain.
            if (!minimal && suggestion.empty()) continue;
            report_at(out, *ins,
                      "usage of undefined variable '$" + use.name + "'" +
                          (suggestion.empty() ? ": declare it with ARG or ENV first"
                                              : " (did you mean $" + suggestion + "?)"),
                      arg_span(*ins, index));
          }
        }
      }
      define(*ins);
    }
  }
}

RuleInfo buildkit(std::string id, std::string title, Severity severity, std::string description,
                  std::string fix, std::string name, std::string slug) {
  return RuleInfo{.id = std::move(id),
                  .title = std::move(title),
                  .severity = severity,
                  .description = std::move(description),
                  .fix = std::move(fix),
                  .aliases = {std::move(name)},
                  .references = {buildkit_doc(slug)}};
}

}  // namespace

void register_buildkit_rules(RuleRegistry& registry) {
  must(registry.add(
      buildkit("MTR-DF-010", "Inconsistent instruction casing", Severity::kLow,
               "Instruction keywords should all be upper-case or all lower-case; mixed casing "
               "reads poorly.",
               "Write every keyword in the file's majority casing (FROM, RUN, ...).",
               "ConsistentInstructionCasing", "consistent-instruction-casing"),
      check_instruction_casing));
  must(registry.add(
      buildkit("MTR-DF-011", "FROM and AS casing differ", Severity::kLow,
               "FROM ... AS should use the same casing for both keywords.",
               "FROM image AS name, or from image as name.", "FromAsCasing", "from-as-casing"),
      check_from_as_casing));
  must(
      registry.add(buildkit("MTR-DF-012", "Stage name is not lower-case", Severity::kLow,
                            "Lower-case stage names are distinguishable from keywords.",
                            "FROM alpine AS builder-base.", "StageNameCasing", "stage-name-casing"),
                   check_stage_name_casing));
  must(registry.add(
      buildkit("MTR-DF-013", "Legacy key value format", Severity::kLow,
               "ENV/LABEL/ARG key value (space-separated) is deprecated and ambiguous with "
               "several words.",
               "Write key=value, quoting values with spaces: ENV DEPS=\"curl git\".",
               "LegacyKeyValueFormat", "legacy-key-value-format"),
      check_legacy_key_value));
  must(registry.add(
      buildkit("MTR-DF-014", "Empty continuation line", Severity::kLow,
               "Empty lines after a line continuation are deprecated and will become an error.",
               "Remove the empty line or turn it into a comment.", "NoEmptyContinuation",
               "no-empty-continuation"),
      check_empty_continuation));
  must(registry.add(
      buildkit("MTR-DF-015", "Undefined ARG in FROM", Severity::kMedium,
               "FROM uses a build argument no global ARG declares; it expands to an empty string "
               "(often a misspelt built-in such as BUILDPLATFORM).",
               "Declare it before the first FROM: ARG VARIANT=-alpine.", "UndefinedArgInFrom",
               "undefined-arg-in-from"),
      check_undefined_arg_in_from));
  must(registry.add(
      buildkit("MTR-DF-016", "Invalid default ARG in FROM", Severity::kMedium,
               "With the ARG defaults alone the FROM reference is invalid, so the build only "
               "works with --build-arg.",
               "Give the ARG a default (ARG TAG=3.20) or use ${TAG:-3.20}.",
               "InvalidDefaultArgInFrom", "invalid-default-arg-in-from"),
      check_invalid_default_arg));
  must(
      registry.add(buildkit("MTR-DF-017", "EXPOSE protocol not lower-case", Severity::kLow,
                            "Protocol names in EXPOSE should be lower-case.", "EXPOSE 80/tcp.",
                            "ExposeProtoCasing", "expose-proto-casing"),
                   [](const LintInput& input, IssueSink& out) { check_expose(input, out, true); }));
  must(registry.add(
      buildkit("MTR-DF-018", "EXPOSE with an IP address or host port", Severity::kMedium,
               "EXPOSE documents the container port; host addresses and mappings belong to "
               "docker run -p and will become an error.",
               "EXPOSE 80, and publish with docker run -p 127.0.0.1:8080:80.",
               "ExposeInvalidFormat", "expose-invalid-format"),
      [](const LintInput& input, IssueSink& out) { check_expose(input, out, false); }));
  RuleInfo description = buildkit(
      "MTR-DF-019", "Comment above FROM/ARG is not a description", Severity::kLow,
      "docker build --call=outline shows the comment directly above a stage or ARG as its "
      "description when it starts with the name. Tool pragmas (hadolint, trivy, ...) are not "
      "counted. Experimental in BuildKit, so off by default.",
      "Start the comment with the name (# VERSION the release to build) or separate it with "
      "an empty line.",
      "InvalidDefinitionDescription", "invalid-definition-description");
  description.enabled_by_default = false;
  must(registry.add(std::move(description), check_definition_description));
  must(registry.add(
      buildkit("MTR-DF-021", "Undefined variable", Severity::kLow,
               "A variable expanded by ENV, ARG, LABEL, COPY, ADD, WORKDIR, EXPOSE, USER, VOLUME "
               "or STOPSIGNAL is declared nowhere before it and expands to an empty string. "
               "Reported when the base image is known to define nothing but PATH (scratch, "
               "alpine, debian, ...) or when the name is a likely typo of a declared one.",
               "Declare it first (ARG NAME or ENV NAME=value) or fix the typo.", "UndefinedVar",
               "undefined-var"),
      check_undefined_var));
  must(registry.add(
      buildkit("MTR-DF-020", "FROM --platform with a constant value", Severity::kLow,
               "A constant --platform prevents multi-platform builds unless the stage is "
               "meant for that platform (and named after it).",
               "Use --platform=$BUILDPLATFORM, drop the flag, or name the stage build_amd64.",
               "FromPlatformFlagConstDisallowed", "from-platform-flag-const-disallowed"),
      check_platform_const));
}

}  // namespace mtr::dockerfile::rules::detail
