#include "dockerfile/rules/shell_common.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "secrets/rule.h"

namespace mtr::dockerfile::rules::shell {

std::vector<std::string> trivy(std::string_view number4) {
  std::string n(number4);
  return {"DS-" + n, "AVD-DS-" + n, "DS" + n.substr(1)};
}

std::string hadolint_url(std::string_view dl) {
  return "https://github.com/hadolint/hadolint/wiki/" + std::string(dl);
}

std::vector<const Instruction*> flat(const Stage& stage) {
  std::vector<const Instruction*> out;
  for (const Instruction* ins : stage.instructions) {
    if (ins->keyword == "onbuild") {
      for (const auto& inner : ins->inner) out.push_back(&inner);
    } else {
      out.push_back(ins);
    }
  }
  return out;
}

const std::vector<const Instruction*>& flat_all(const LintInput& input) {
  static const char kKey = 0;
  return input.memo<std::vector<const Instruction*>>(&kKey, [&] {
    std::vector<const Instruction*> out(input.preamble().begin(), input.preamble().end());
    for (const auto& stage : input.stages()) {
      for (const Instruction* ins : flat(stage)) out.push_back(ins);
    }
    return out;
  });
}

const std::vector<Run>& runs(const LintInput& input) {
  // The address of this function's static is the memo key: unique to this helper.
  static const char kKey = 0;
  return input.memo<std::vector<Run>>(&kKey, [&] {
    std::vector<Run> out;
    for (const auto& stage : input.stages()) {
      for (const Instruction* ins : flat(stage)) {
        if (ins->keyword == "run") out.push_back(Run{ins, &stage});
      }
    }
    return out;
  });
}

std::string_view basename(std::string_view path) {
  while (!path.empty() && (path.back() == '/' || path.back() == '\\')) path.remove_suffix(1);
  auto slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string strip_quotes(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return std::string(s.substr(1, s.size() - 2));
  }
  return std::string(s);
}

const std::vector<Cmd>& commands(const LintInput& input, const Instruction& run) {
  const ShellScript& script = input.script(run);
  return input.memo<std::vector<Cmd>>(&script, [&] { return commands(script); });
}

std::vector<Cmd> commands(const ShellScript& script) {
  std::vector<Cmd> out;
  for (std::size_t i = 0; i < script.commands.size(); ++i) {
    const ShellCommand& c = script.commands[i];
    if (c.words.empty()) continue;
    Cmd cmd;
    cmd.program = std::string(c.program());
    for (std::size_t w = 1; w < c.words.size(); ++w) cmd.args.push_back(c.words[w].text);
    cmd.source = &c;
    cmd.index = i;
    // `xargs -r apt-get install < list` runs apt-get.
    if (cmd.program == "xargs") {
      static const std::set<std::string_view> kXargsValue = {"-I", "-n", "-P", "-L",
                                                             "-d", "-E", "-s", "-a"};
      std::size_t k = 0;
      while (k < cmd.args.size() && cmd.args[k].size() > 1 && cmd.args[k][0] == '-') {
        k += kXargsValue.count(cmd.args[k]) != 0 ? std::size_t{2} : std::size_t{1};
      }
      if (k < cmd.args.size()) {
        cmd.program = std::string(basename(cmd.args[k]));
        cmd.args.erase(cmd.args.begin(), cmd.args.begin() + static_cast<std::ptrdiff_t>(k) + 1);
      }
    }
    // `python3 -m pip install x` is pip.
    if (starts_with(cmd.program, "python") && cmd.args.size() >= 2 && cmd.args[0] == "-m" &&
        is_pip(cmd.args[1])) {
      cmd.program = cmd.args[1];
      cmd.args.erase(cmd.args.begin(), cmd.args.begin() + 2);
    }
    out.push_back(std::move(cmd));
  }
  return out;
}

bool has_option(const std::vector<std::string>& args,
                std::initializer_list<std::string_view> options) {
  for (const auto& a : args) {
    if (a == "--") break;
    for (std::string_view o : options) {
      if (a == o) return true;
      if (starts_with(a, o) && a.size() > o.size() && a[o.size()] == '=') return true;
      // Combined short options: "-qy" holds "-y".
      if (o.size() == 2 && o[0] == '-' && o[1] != '-' && a.size() > 2 && a[0] == '-' &&
          a[1] != '-' && a.find('=') == std::string::npos && a.find(o[1], 1) != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

std::vector<std::string> operands(const std::vector<std::string>& args,
                                  const std::vector<std::string_view>& with_value,
                                  bool stop_at_dashdash) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      if (stop_at_dashdash) break;
      continue;
    }
    if (a.size() > 1 && a[0] == '-') {
      if (a.find('=') == std::string::npos &&
          std::find(with_value.begin(), with_value.end(), a) != with_value.end()) {
        ++i;
      }
      continue;
    }
    out.push_back(a);
  }
  return out;
}

Sub subcommand(const std::vector<std::string>& args,
               const std::vector<std::string_view>& with_value) {
  Sub sub;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      if (a.find('=') == std::string::npos &&
          std::find(with_value.begin(), with_value.end(), a) != with_value.end()) {
        ++i;
      }
      continue;
    }
    sub.name = a;
    sub.rest.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
    return sub;
  }
  return sub;
}

bool is_pip(std::string_view program) {
  if (!starts_with(program, "pip")) return false;
  std::string_view rest = program.substr(3);
  return std::all_of(rest.begin(), rest.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

bool is_shell(std::string_view program) {
  static const std::set<std::string_view> kShells = {"sh",  "bash", "ash", "dash",
                                                     "zsh", "ksh",  "mksh"};
  return kShells.count(program) != 0;
}

bool cache_mounted(const LintInput& input, const Instruction& run,
                   std::initializer_list<std::string_view> targets) {
  for (std::string target : input.cache_mounts(run)) {
    while (target.size() > 1 && target.back() == '/') target.pop_back();
    for (std::string_view t : targets) {
      if (target == t) return true;
      // A mount above the cache directory holds it too.
      if (starts_with(t, target) && t.size() > target.size() && t[target.size()] == '/') {
        return true;
      }
    }
  }
  return false;
}

Span word_span(const Instruction& run, const Cmd& cmd, std::string_view text) {
  Span span;
  if (run.json || run.args.size() != 1 || !run.heredocs.empty() || run.arg_positions.empty() ||
      run.arg_positions[0].line == 0 || run.span.begin.line != run.span.end.line ||
      cmd.source == nullptr) {
    return span;
  }
  for (const ShellWord& w : cmd.source->words) {
    if (w.text != text) continue;
    // A one-line RUN: the script is the source text from args[0] on, byte for byte.
    if (w.offset + w.raw.size() > run.args[0].size()) return span;
    span.begin = Position{run.arg_positions[0].line, run.arg_positions[0].column + w.offset};
    span.end =
        Position{span.begin.line, span.begin.column + static_cast<std::uint32_t>(w.raw.size()) - 1};
    return span;
  }
  return span;
}

std::string masked(std::string_view secret) { return secrets::mask(secret); }

void add(RuleRegistry& registry, Rule rule, Check check) {
  RuleInfo info;
  info.id = std::move(rule.id);
  info.title = std::move(rule.title);
  info.severity = rule.severity;
  info.description = std::move(rule.description);
  info.fix = std::move(rule.fix);
  info.aliases = std::move(rule.aliases);
  info.references = std::move(rule.references);
  info.commandment = rule.commandment;
  info.enabled_by_default = rule.enabled_by_default;
  must(registry.add(std::move(info), std::move(check)));
}

}  // namespace mtr::dockerfile::rules::shell
