// Checks on the build history (config.history[].created_by): what the Dockerfile did, as far
// as the builder recorded it: BuildKit keeps the instruction's text, the classic builder
// replaces ADD/COPY sources with content digests.
#include <cctype>
#include <optional>

#include "imagecheck/detail/checks.h"
#include "imagecheck/detail/history.h"

namespace mtr::imagecheck::detail {
namespace {

using nlohmann::json;

core::Finding history_finding(const Context& context, const CheckRow& row,
                              const HistoryEntry& entry) {
  auto finding = new_finding(context, row);
  finding.location.json_path = "history[" + std::to_string(entry.index) + "].created_by";
  if (entry.layer) finding.location.layer_digest = context.layer_digest(*entry.layer);
  finding.evidence = clip(entry.created_by);
  finding.properties["history_index"] = std::to_string(entry.index);
  return finding;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// The words of an ADD instruction: the JSON exec form (["src", "dst"]) or shell words.
std::vector<std::string> add_words(const std::string& arguments) {
  std::string_view text = arguments;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() == '[') {
    json array = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (array.is_array()) {
      std::vector<std::string> words;
      for (const auto& item : array) {
        if (auto s = as_string(&item)) words.emplace_back(*s);
      }
      return words;
    }
  }
  return shell_words(arguments);
}

std::string_view program(std::string_view word) { return basename(word); }

// Index of the subcommand in `words` after the program at `at` (skipping options and the
// argument of -o/-c), or words.size() when there is none.
std::size_t subcommand(const std::vector<std::string>& words, std::size_t at) {
  for (std::size_t i = at + 1; i < words.size(); ++i) {
    const auto& w = words[i];
    if (w == "-o" || w == "-c" || w == "--option" || w == "--config-file") {
      ++i;
      continue;
    }
    if (!w.empty() && w.front() == '-') continue;
    return i;
  }
  return words.size();
}

// The program of a simple command, past variable assignments and sudo/env prefixes.
std::size_t program_index(const std::vector<std::string>& words) {
  std::size_t i = 0;
  while (i < words.size()) {
    const auto& w = words[i];
    bool assignment = w.find('=') != std::string::npos && w.front() != '-' && w.front() != '=';
    if (assignment || w == "sudo" || w == "env" || w == "exec") {
      ++i;
      continue;
    }
    break;
  }
  return i;
}

}  // namespace

std::optional<std::string> classic_download_hash(const std::string& arguments) {
  // The classic builder records ADD as "<source hash> in <dest>": "file:<hex>" for a file of
  // the context, "dir:<hex>" and "multi:<hex>" for several, and the bare hex digest only for a
  // file it downloaded (moby builder/dockerfile/copy.go: getCopyInfoForSourcePath).
  auto words = shell_words(arguments);
  if (words.size() < 3 || words[words.size() - 2] != "in") return std::nullopt;
  const auto& hash = words.front();
  if (hash.size() != 64) return std::nullopt;
  for (char c : hash) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
  }
  return hash;
}

std::vector<std::string> add_remote_sources(const std::string& arguments, bool* has_checksum) {
  auto words = add_words(arguments);
  std::vector<std::string> sources;
  bool checksum = false;
  // The last word is the destination; options start with "--".
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const auto& w = words[i];
    if (w.rfind("--checksum", 0) == 0) checksum = true;
    if (starts_with_ci(w, "http://") || starts_with_ci(w, "https://")) sources.push_back(w);
  }
  if (has_checksum != nullptr) *has_checksum = checksum;
  return sources;
}

void check_sudo_in_history(const Context& context, const CheckRow& row,
                           std::vector<core::Finding>& out) {
  for (const auto& entry : context.history()) {
    if (entry.instruction != "RUN") continue;
    bool uses_sudo = false;
    for (const auto& command : shell_commands(entry.arguments)) {
      for (const auto& word : command) uses_sudo = uses_sudo || word == "sudo";
    }
    if (uses_sudo) out.push_back(history_finding(context, row, entry));
  }
}

void check_add_remote_url(const Context& context, const CheckRow& row,
                          std::vector<core::Finding>& out) {
  for (const auto& entry : context.history()) {
    if (entry.instruction != "ADD") continue;
    bool checksum = false;
    auto sources = add_remote_sources(entry.arguments, &checksum);
    if (sources.empty()) {
      if (auto hash = classic_download_hash(entry.arguments)) {
        auto finding = history_finding(context, row, entry);
        finding.evidence += " (the classic builder records a download as its bare digest)";
        finding.properties["source_hash"] = *hash;
        out.push_back(std::move(finding));
      }
      continue;
    }
    // --checksum makes BuildKit verify the download: the risk this check is about is gone.
    if (checksum) continue;
    bool plain_http = false;
    for (const auto& source : sources) plain_http = plain_http || starts_with_ci(source, "http://");
    auto finding = history_finding(context, row, entry);
    if (plain_http) finding.severity = core::Severity::kHigh;
    finding.properties["url"] = clip(sources.front(), 256);
    out.push_back(std::move(finding));
  }
}

void check_add_used(const Context& context, const CheckRow& row, std::vector<core::Finding>& out) {
  bool layer_before = false;
  for (const auto& entry : context.history()) {
    bool first_layer = !layer_before && !entry.empty_layer;
    if (!entry.empty_layer) layer_before = true;
    if (entry.instruction != "ADD") continue;
    // The base image's root file system is added by ADD (like dockle, exempt it).
    if (first_layer) continue;
    // Unverified downloads are MTR-IMG-012's.
    bool checksum = false;
    if (!add_remote_sources(entry.arguments, &checksum).empty() && !checksum) continue;
    if (classic_download_hash(entry.arguments)) continue;
    out.push_back(history_finding(context, row, entry));
  }
}

void check_update_alone(const Context& context, const CheckRow& row,
                        std::vector<core::Finding>& out) {
  for (const auto& entry : context.history()) {
    if (entry.instruction != "RUN") continue;
    bool apt_update = false, apt_install = false;
    bool apk_update = false, apk_install = false;
    for (const auto& words : shell_commands(entry.arguments)) {
      std::size_t at = program_index(words);
      if (at >= words.size()) continue;
      auto name = program(words[at]);
      std::size_t sub = subcommand(words, at);
      if (sub >= words.size()) continue;
      const auto& verb = words[sub];
      if (name == "apt-get" || name == "apt" || name == "aptitude") {
        if (verb == "update") {
          apt_update = true;
        } else if (apt_update && (verb == "install" || verb == "upgrade" ||
                                  verb == "dist-upgrade" || verb == "full-upgrade")) {
          apt_install = true;
        }
      } else if (name == "apk") {
        if (verb == "update") {
          apk_update = true;
        } else if (apk_update && (verb == "add" || verb == "upgrade")) {
          apk_install = true;
        }
      }
    }
    if ((apt_update && !apt_install) || (apk_update && !apk_install)) {
      out.push_back(history_finding(context, row, entry));
    }
  }
}

}  // namespace mtr::imagecheck::detail
