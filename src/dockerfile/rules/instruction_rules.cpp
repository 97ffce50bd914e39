// MTR-DF-0xx, 1xx, 2xx and 6xx: rules about instructions rather than the shell commands inside
// RUN. This file holds the shared helpers and the group's registration; the rules themselves
// live in instruction_{file,buildkit,stage,user,metadata,labels}.cpp.
#include <algorithm>
#include <cctype>

#include "dockerfile/rules/instruction_util.h"
#include "dockerfile/rules/rules.h"

namespace mtr::dockerfile::rules {
namespace detail {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool is_upper_word(std::string_view s) {
  bool letters = false;
  for (char c : s) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    if (std::isupper(static_cast<unsigned char>(c))) letters = true;
  }
  return letters;
}

bool is_lower_word(std::string_view s) {
  bool letters = false;
  for (char c : s) {
    if (std::isupper(static_cast<unsigned char>(c))) return false;
    if (std::islower(static_cast<unsigned char>(c))) letters = true;
  }
  return letters;
}

std::string unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    char quote = s.front();
    std::string_view inner = s.substr(1, s.size() - 2);
    if (quote == '\'') return std::string(inner);
    std::string out;
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] == '\\' && i + 1 < inner.size() &&
          (inner[i + 1] == '"' || inner[i + 1] == '\\')) {
        ++i;
      }
      out += inner[i];
    }
    return out;
  }
  return std::string(s);
}

std::vector<std::string> referenced_vars(std::string_view word) {
  auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '\\') {
      ++i;  // an escaped $ is literal
      continue;
    }
    if (word[i] != '$' || i + 1 >= word.size()) continue;
    std::size_t start = i + 1;
    if (word[start] == '{') ++start;
    std::size_t end = start;
    while (end < word.size() && name_char(word[end])) ++end;
    if (end > start) out.emplace_back(word.substr(start, end - start));
    i = end - 1;
  }
  return out;
}

std::vector<std::string> trivy(int number) {
  std::string four = std::to_string(number);
  while (four.size() < 4) four.insert(four.begin(), '0');
  return {"DS-" + four, "AVD-DS-" + four, "DS" + four.substr(1)};
}

std::string hadolint_wiki(std::string_view dl) {
  return "https://github.com/hadolint/hadolint/wiki/" + std::string(dl);
}

std::string buildkit_doc(std::string_view slug) {
  return "https://docs.docker.com/reference/build-checks/" + std::string(slug) + "/";
}

ImageRef parse_image(std::string_view ref) {
  ImageRef out;
  if (auto at = ref.find('@'); at != std::string_view::npos) {
    out.digest = std::string(ref.substr(at + 1));
    ref = ref.substr(0, at);
  }
  std::size_t slash = ref.find('/');
  if (slash != std::string_view::npos) {
    std::string_view first = ref.substr(0, slash);
    if (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
        first == "localhost") {
      out.registry = std::string(first);
      ref = ref.substr(slash + 1);
    }
  }
  std::size_t last_slash = ref.rfind('/');
  std::size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    out.tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
  }
  out.repository = std::string(ref);
  return out;
}

bool valid_image_reference(std::string_view ref) {
  if (ref.empty()) return false;
  for (char c : ref) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '$') return false;
  }
  if (auto at = ref.find('@'); at != std::string_view::npos) {
    std::string_view digest = ref.substr(at + 1);
    auto colon = digest.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 >= digest.size()) return false;
    if (!std::all_of(digest.begin() + static_cast<std::ptrdiff_t>(colon) + 1, digest.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
      return false;
    }
    ref = ref.substr(0, at);
  }
  ImageRef image = parse_image(ref);
  if (image.repository.empty()) return false;
  if (ref.back() == ':') return false;  // "busybox:" – an empty tag
  if (!image.tag.empty()) {
    if (image.tag.size() > 128) return false;
    char c0 = image.tag[0];
    if (!std::isalnum(static_cast<unsigned char>(c0)) && c0 != '_') return false;
    for (char c : image.tag) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
        return false;
      }
    }
  }
  // Path components: lower-case alphanumerics separated by '.', '_', '__' or '-'.
  std::string_view repo = image.repository;
  while (true) {
    auto slash = repo.find('/');
    std::string_view part = repo.substr(0, slash);
    if (part.empty()) return false;
    if (!std::isalnum(static_cast<unsigned char>(part.front())) ||
        !std::isalnum(static_cast<unsigned char>(part.back()))) {
      return false;
    }
    for (char c : part) {
      bool ok = (std::islower(static_cast<unsigned char>(c)) != 0) ||
                (std::isdigit(static_cast<unsigned char>(c)) != 0) || c == '.' || c == '_' ||
                c == '-';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) break;
    repo.remove_prefix(slash + 1);
  }
  return true;
}

Environment global_args(const LintInput& input) {
  Environment env;
  for (const Instruction* arg : input.preamble()) {
    for (const auto& word : arg->args) {
      auto eq = word.find('=');
      if (eq == std::string::npos) continue;
      std::string name = word.substr(0, eq);
      auto value = expand_word(std::string_view(word).substr(eq + 1), env);
      env[name] = value ? *value : unquote(std::string_view(word).substr(eq + 1));
    }
  }
  return env;
}

std::optional<std::string> resolve_base(const LintInput& input, const Stage& stage) {
  if (stage.base.find('$') == std::string::npos) return stage.base;
  ExpandOptions options;
  options.skip_unset = true;
  auto expanded = expand_word(stage.base, global_args(input), options);
  if (!expanded || expanded->find('$') != std::string::npos || expanded->empty()) {
    return std::nullopt;
  }
  return *expanded;
}

void for_each_instruction(const Stage& stage,
                          const std::function<void(const Instruction&, bool inner)>& fn) {
  for (const Instruction* ins : stage.instructions) {
    fn(*ins, false);
    for (const auto& inner : ins->inner) fn(inner, true);
  }
}

std::vector<const Stage*> chain(const LintInput& input, const Stage& stage) {
  std::vector<const Stage*> out;
  const Stage* s = &stage;
  // base_stage always points to an earlier stage, so this ends; the bound is defensive.
  while (s != nullptr && out.size() <= input.stages().size()) {
    out.push_back(s);
    s = s->base_stage < 0 ? nullptr : &input.stages()[static_cast<std::size_t>(s->base_stage)];
  }
  return out;
}

const Instruction* effective_user(const LintInput& input, const Stage& stage) {
  for (const Stage* s : chain(input, stage)) {
    for (auto it = s->instructions.rbegin(); it != s->instructions.rend(); ++it) {
      if ((*it)->keyword == "user") return *it;
    }
  }
  return nullptr;
}

const Stage* final_stage(const LintInput& input) {
  return input.stages().empty() ? nullptr : &input.stages().back();
}

Span arg_span(const Instruction& ins, std::size_t index) {
  if (index < ins.arg_positions.size() && index < ins.args.size() &&
      ins.arg_positions[index].line != 0) {
    Position begin = ins.arg_positions[index];
    Position end = begin;
    std::size_t length = ins.args[index].size();
    if (ins.args[index].find('\n') == std::string::npos && length > 0) {
      end.column = begin.column + static_cast<std::uint32_t>(length) - 1;
    }
    return Span{begin, end};
  }
  return ins.span;
}

Span flag_span(const Instruction& ins, std::string_view name) {
  for (std::size_t i = 0; i < ins.flags.size() && i < ins.flag_positions.size(); ++i) {
    std::string_view f = ins.flags[i];
    if (f.rfind("--", 0) != 0 || !iequals(f.substr(2, name.size()), name)) continue;
    if (ins.flag_positions[i].line == 0) break;
    Position end = ins.flag_positions[i];
    end.column += static_cast<std::uint32_t>(f.size()) - 1;
    return Span{ins.flag_positions[i], end};
  }
  return ins.span;
}

void report_at(IssueSink& out, const Instruction& ins, std::string message, Span span) {
  out.report(Issue{&ins, std::move(message), span});
}

std::vector<KeyValue> key_values(const Instruction& ins, bool raw) {
  std::vector<KeyValue> out;
  for (std::size_t i = 0; i + 1 < ins.args.size(); i += 3) {
    KeyValue kv;
    kv.index = i;
    kv.key = raw ? ins.args[i] : unquote(ins.args[i]);
    kv.value = raw ? ins.args[i + 1] : unquote(ins.args[i + 1]);
    kv.legacy = i + 2 < ins.args.size() && ins.args[i + 2].empty();
    out.push_back(std::move(kv));
  }
  return out;
}

std::vector<std::string> arg_names(const Instruction& ins) {
  std::vector<std::string> out;
  for (const auto& word : ins.args) out.push_back(word.substr(0, word.find('=')));
  return out;
}

std::optional<CopyArgs> copy_args(const Instruction& ins) {
  if (ins.args.size() < 2) return std::nullopt;
  CopyArgs out;
  out.sources.assign(ins.args.begin(), ins.args.end() - 1);
  out.dest = ins.args.back();
  return out;
}

}  // namespace detail

void register_instruction_rules(RuleRegistry& registry) {
  detail::register_file_rules(registry);
  detail::register_buildkit_rules(registry);
  detail::register_stage_rules(registry);
  detail::register_user_rules(registry);
  detail::register_metadata_rules(registry);
  detail::register_label_rules(registry);
}

}  // namespace mtr::dockerfile::rules
