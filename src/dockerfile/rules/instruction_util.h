// Helpers shared by the instruction rule files (instruction_*.cpp): text helpers, image
// references, stage walks and rule metadata shorthands. Internal to src/dockerfile/rules/.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/detail/strings.h"
#include "dockerfile/lint.h"
#include "dockerfile/shell.h"

namespace mtr::dockerfile::rules::detail {

// A registry error is a bug in our own tables: stop loudly.
inline void must(core::Status s) {
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().to_string().c_str());
    std::abort();
  }
}

using dockerfile::detail::iequals;
using dockerfile::detail::lower;
using dockerfile::detail::trim;
bool all_digits(std::string_view s);
bool is_upper_word(std::string_view s);  // has letters, none lower-case
bool is_lower_word(std::string_view s);  // has letters, none upper-case
// Removes one pair of surrounding quotes ('x' or "x"); inside double quotes resolves \" and \\.
std::string unquote(std::string_view s);
// Variable names a word refers to: $NAME, ${NAME}, ${NAME:-x} → NAME.
std::vector<std::string> referenced_vars(std::string_view word);

// Trivy's three spellings of one check: DS-0002, AVD-DS-0002, DS002.
std::vector<std::string> trivy(int number);
std::string hadolint_wiki(std::string_view dl);
std::string buildkit_doc(std::string_view slug);

// "registry/repo:tag@sha256:..." split the way Docker reads a reference.
struct ImageRef {
  std::string registry;  // "" when the reference names none (Docker Hub)
  std::string repository;
  std::string tag;
  std::string digest;
};
ImageRef parse_image(std::string_view ref);
// Whether `ref` is a syntactically valid image reference (distribution/reference grammar).
bool valid_image_reference(std::string_view ref);

// Global ARG defaults (the preamble), for expanding FROM. ARGs without a default are absent.
Environment global_args(const LintInput& input);
// A FROM base with build arguments resolved from the global ARG defaults; nullopt when a
// variable has no default (its value is only known at build time) or the word is malformed.
std::optional<std::string> resolve_base(const LintInput& input, const Stage& stage);

// Visits a stage's instructions in order, ONBUILD triggers' inner instructions right after
// their ONBUILD (`inner` true).
void for_each_instruction(const Stage& stage,
                          const std::function<void(const Instruction&, bool inner)>& fn);
// The stage and the stages it is built FROM, the stage itself first.
std::vector<const Stage*> chain(const LintInput& input, const Stage& stage);
// The last USER instruction in effect at the end of `stage` (inherited through FROM stages).
const Instruction* effective_user(const LintInput& input, const Stage& stage);
// The final stage (what `docker build` ships without --target); nullptr when none.
const Stage* final_stage(const LintInput& input);

// A span covering args[index] of `ins` when its position is known; otherwise the instruction.
Span arg_span(const Instruction& ins, std::size_t index);
Span flag_span(const Instruction& ins, std::string_view name);
void report_at(IssueSink& out, const Instruction& ins, std::string message, Span span);

// (key, value) pairs of an ENV or LABEL instruction; keys and values unquoted when `raw` is
// false. `index` is the position of the key in args.
struct KeyValue {
  std::string key;
  std::string value;
  bool legacy = false;  // `ENV key value` form
  std::size_t index = 0;
};
std::vector<KeyValue> key_values(const Instruction& ins, bool raw);
// Names an ARG instruction declares ("A=1 B" → A, B).
std::vector<std::string> arg_names(const Instruction& ins);
// COPY/ADD sources and destination (quotes kept as written for shell form).
struct CopyArgs {
  std::vector<std::string> sources;
  std::string dest;
};
std::optional<CopyArgs> copy_args(const Instruction& ins);

// Registration of each file's rules.
void register_file_rules(RuleRegistry& registry);      // MTR-DF-0xx
void register_buildkit_rules(RuleRegistry& registry);  // MTR-DF-010..
void register_stage_rules(RuleRegistry& registry);     // MTR-DF-1xx
void register_user_rules(RuleRegistry& registry);      // MTR-DF-2xx
void register_metadata_rules(RuleRegistry& registry);  // MTR-DF-6xx (not labels)
void register_label_rules(RuleRegistry& registry);     // MTR-DF-615..623

}  // namespace mtr::dockerfile::rules::detail
