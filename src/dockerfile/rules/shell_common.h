// Helpers shared by the shell rule files (shell_*.cpp): walking RUN instructions (ONBUILD ones
// included), reading a parsed command's options the way package managers do, and building rule
// metadata. Internal to the rules; not part of the dockerfile API.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/detail/strings.h"
#include "dockerfile/lint.h"

namespace mtr::dockerfile::rules::shell {

// A registry error here is a bug in our own rule table: stop at once.
inline void must(core::Status s) {
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().to_string().c_str());
    std::abort();
  }
}

// Trivy ids come in three spellings: "DS-0029", "AVD-DS-0029", "DS029".
std::vector<std::string> trivy(std::string_view number4);  // "0029"

std::string hadolint_url(std::string_view dl);

// A RUN instruction (top level or wrapped in ONBUILD) with its stage.
struct Run {
  const Instruction* ins = nullptr;
  const Stage* stage = nullptr;
};

// Every RUN in file order (ONBUILD RUNs included), with its stage.
const std::vector<Run>& runs(const LintInput& input);
// Every instruction of a stage in order, ONBUILD's inner instruction replacing its wrapper.
std::vector<const Instruction*> flat(const Stage& stage);
// Same for the whole file (preamble ARGs included).
const std::vector<const Instruction*>& flat_all(const LintInput& input);

// A command as a package manager sees it: the program without a directory and its arguments.
// `python -m pip install x` reads as program "pip" with args "install x".
struct Cmd {
  std::string program;
  std::vector<std::string> args;
  const ShellCommand* source = nullptr;
  std::size_t index = 0;  // position in the script
};

std::vector<Cmd> commands(const ShellScript& script);
// The commands of a RUN, computed once per file (every shell rule reads them).
const std::vector<Cmd>& commands(const LintInput& input, const Instruction& run);

std::string_view basename(std::string_view path);
using dockerfile::detail::contains;
using dockerfile::detail::ends_with;
using dockerfile::detail::iequals;
using dockerfile::detail::lower;
using dockerfile::detail::starts_with;
std::string strip_quotes(std::string_view s);

// True when an argument is one of `options` ("-y", "--yes"): exactly, as "--opt=value", or a
// short option inside a combined short group ("-qy" has "-y"; not for long ones).
bool has_option(const std::vector<std::string>& args,
                std::initializer_list<std::string_view> options);

// The arguments that are not options, skipping the value after each option in `with_value`
// (given without "=": "--virtual", "-t"). Stops at "--" when `stop_at_dashdash`.
std::vector<std::string> operands(const std::vector<std::string>& args,
                                  const std::vector<std::string_view>& with_value,
                                  bool stop_at_dashdash = false);

// The first operand (the subcommand: "install") and the operands after it.
struct Sub {
  std::string name;
  std::vector<std::string> rest;
};
Sub subcommand(const std::vector<std::string>& args,
               const std::vector<std::string_view>& with_value);

bool is_pip(std::string_view program);
bool is_shell(std::string_view program);
bool cache_mounted(const LintInput& input, const Instruction& run,
                   std::initializer_list<std::string_view> targets);

// Where word `text` of `cmd` is in the source, when that can be told exactly (a one-line
// shell-form RUN); {} otherwise, so the finding points at the whole instruction.
Span word_span(const Instruction& run, const Cmd& cmd, std::string_view text);

// "AKIA****************": the secret engine's mask, so every secret printed looks alike.
std::string masked(std::string_view secret);

// Registration helper: metadata and check in one call.
struct Rule {
  std::string id;
  std::string title;
  core::Severity severity = core::Severity::kMedium;
  std::string description;
  std::string fix;
  std::vector<std::string> aliases;
  std::vector<std::string> references;
  int commandment = 0;
  bool enabled_by_default = true;
};
void add(RuleRegistry& registry, Rule rule, Check check);

// Groups, one file each.
void register_packages(RuleRegistry& registry);
void register_downloads(RuleRegistry& registry);
void register_secrets(RuleRegistry& registry);

}  // namespace mtr::dockerfile::rules::shell
