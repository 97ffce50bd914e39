#include "imagecheck/detail/history.h"

#include <array>

namespace mtr::imagecheck::detail {
namespace {

constexpr std::array<std::string_view, 18> kInstructions = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR"};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

bool known_instruction(std::string_view word) {
  for (auto k : kInstructions) {
    if (k == word) return true;
  }
  return false;
}

// "/bin/sh -c apt-get update" → "apt-get update"; "|1 V=2 /bin/bash -o pipefail -c make" →
// "make". Text that does not look like a shell invocation is returned as is.
std::string_view strip_shell(std::string_view s) {
  s = trim(s);
  if (s.empty() || (s.front() != '/' && s.front() != '|')) return s;
  auto pos = s.find(" -c ");
  if (pos == std::string_view::npos) return s;
  return trim(s.substr(pos + 4));
}

std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
  s = trim(s);
  std::size_t end = 0;
  while (end < s.size() && !is_blank(s[end])) ++end;
  return {s.substr(0, end), trim(s.substr(end))};
}

}  // namespace

Instruction parse_instruction(std::string_view created_by) {
  std::string_view s = trim(created_by);
  constexpr std::string_view kBuildkit = "# buildkit";
  if (s.size() >= kBuildkit.size() && s.substr(s.size() - kBuildkit.size()) == kBuildkit) {
    s = trim(s.substr(0, s.size() - kBuildkit.size()));
  }
  if (s.empty()) return {};

  // Classic builder, non-RUN: the instruction follows "#(nop)" after the shell words.
  if (s.front() == '/' || s.front() == '|') {
    if (auto nop = s.find("#(nop)"); nop != std::string_view::npos) {
      auto [word, rest] = first_word(s.substr(nop + 6));
      if (known_instruction(word)) return {std::string(word), std::string(rest)};
      return {"", std::string(trim(s.substr(nop + 6)))};
    }
    return {"RUN", std::string(strip_shell(s))};
  }

  // BuildKit: the instruction keyword comes first.
  auto [word, rest] = first_word(s);
  if (!known_instruction(word)) return {};
  if (word == "RUN") return {"RUN", std::string(strip_shell(rest))};
  return {std::string(word), std::string(rest)};
}

std::vector<std::vector<std::string>> shell_commands(std::string_view command) {
  std::vector<std::vector<std::string>> commands(1);
  std::string word;
  bool in_word = false;
  char quote = 0;
  auto end_word = [&] {
    if (in_word) commands.back().push_back(std::move(word));
    word.clear();
    in_word = false;
  };
  auto end_command = [&] {
    end_word();
    if (!commands.back().empty()) commands.emplace_back();
  };
  for (std::size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word.push_back(c);
      }
      continue;
    }
    if (c == '\\' && i + 1 < command.size()) {
      char next = command[++i];
      if (next != '\n') {
        word.push_back(next);
        in_word = true;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '`' || c == '\n') {
      end_command();
      continue;
    }
    if (is_blank(c)) {
      end_word();
      continue;
    }
    word.push_back(c);
    in_word = true;
  }
  end_word();
  if (commands.back().empty()) commands.pop_back();
  return commands;
}

std::vector<std::string> shell_words(std::string_view command) {
  std::vector<std::string> words;
  for (auto& cmd : shell_commands(command)) {
    for (auto& w : cmd) words.push_back(std::move(w));
  }
  return words;
}

}  // namespace mtr::imagecheck::detail
