// MTR-DF-615..623: labels against the configured schema (LintConfig::label_schema): required
// labels present in the shipped image, no labels outside the schema (strict_labels), and each
// value in its declared format (url, rfc3339, spdx, hash, semver, email).
#include <set>

#include "dockerfile/rules/instruction_util.h"

namespace mtr::dockerfile::rules::detail {
namespace {

using core::Severity;

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// scheme ":" rest, as RFC 3986 absolute URIs are written.
bool valid_url(std::string_view v) {
  auto colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= v.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(v[0]))) return false;
  for (char c : v.substr(0, colon)) {
    if (!is_alnum(c) && c != '+' && c != '.' && c != '-') return false;
  }
  for (char c : v) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '<' || c == '>') {
      return false;
    }
  }
  return true;
}

bool digits_in_range(std::string_view s, std::size_t at, std::size_t n, int lo, int hi) {
  if (at + n > s.size()) return false;
  int value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!is_digit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  return value >= lo && value <= hi;
}

// YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
bool valid_rfc3339(std::string_view v) {
  if (v.size() < 20) return false;
  if (!digits_in_range(v, 0, 4, 0, 9999) || v[4] != '-' || !digits_in_range(v, 5, 2, 1, 12) ||
      v[7] != '-' || !digits_in_range(v, 8, 2, 1, 31)) {
    return false;
  }
  if (v[10] != 'T' && v[10] != 't' && v[10] != ' ') return false;
  if (!digits_in_range(v, 11, 2, 0, 23) || v[13] != ':' || !digits_in_range(v, 14, 2, 0, 59) ||
      v[16] != ':' || !digits_in_range(v, 17, 2, 0, 60)) {
    return false;
  }
  std::size_t i = 19;
  if (i < v.size() && v[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < v.size() && is_digit(v[i])) ++i;
    if (i == start) return false;
  }
  if (i < v.size() && (v[i] == 'Z' || v[i] == 'z')) return i + 1 == v.size();
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) {
    return i + 6 == v.size() && digits_in_range(v, i + 1, 2, 0, 23) && v[i + 3] == ':' &&
           digits_in_range(v, i + 4, 2, 0, 59);
  }
  return false;
}

bool valid_git_hash(std::string_view v) {
  if (v.size() != 7 && v.size() != 40 && v.size() != 64) return false;
  for (char c : v) {
    if (!is_digit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

bool semver_identifiers(std::string_view s, bool numeric_no_leading_zero) {
  if (s.empty()) return false;
  while (true) {
    auto dot = s.find('.');
    std::string_view id = s.substr(0, dot);
    if (id.empty()) return false;
    for (char c : id) {
      if (!is_alnum(c) && c != '-') return false;
    }
    if (numeric_no_leading_zero && all_digits(id) && id.size() > 1 && id[0] == '0') return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

// Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH[-pre][+build].
bool valid_semver(std::string_view v) {
  std::string_view build;
  if (auto plus = v.find('+'); plus != std::string_view::npos) {
    build = v.substr(plus + 1);
    if (!semver_identifiers(build, false)) return false;
    v = v.substr(0, plus);
  }
  if (auto dash = v.find('-'); dash != std::string_view::npos) {
    if (!semver_identifiers(v.substr(dash + 1), true)) return false;
    v = v.substr(0, dash);
  }
  int parts = 0;
  while (true) {
    auto dot = v.find('.');
    std::string_view n = v.substr(0, dot);
    if (!all_digits(n) || (n.size() > 1 && n[0] == '0')) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    v.remove_prefix(dot + 1);
  }
  return parts == 3;
}

// local@domain with RFC 5322 atext in the local part and DNS labels in the domain.
bool valid_email(std::string_view v) {
  auto at = v.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= v.size()) return false;
  std::string_view local = v.substr(0, at);
  std::string_view domain = v.substr(at + 1);
  static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~.";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : local) {
    if (!is_alnum(c) && kAtext.find(c) == std::string_view::npos) return false;
  }
  while (true) {
    auto dot = domain.find('.');
    std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    domain.remove_prefix(dot + 1);
  }
}

// Common SPDX license ids (matched case-insensitively, as SPDX specifies).
const std::set<std::string>& spdx_ids() {
  static const std::set<std::string> ids = [] {
    std::set<std::string> out;
    for (const char* id : {"0BSD",
                           "AFL-3.0",
                           "AGPL-1.0",
                           "AGPL-3.0",
                           "AGPL-3.0-only",
                           "AGPL-3.0-or-later",
                           "Apache-1.0",
                           "Apache-1.1",
                           "Apache-2.0",
                           "APSL-2.0",
                           "Artistic-1.0",
                           "Artistic-2.0",
                           "BlueOak-1.0.0",
                           "BSD-1-Clause",
                           "BSD-2-Clause",
                           "BSD-2-Clause-Patent",
                           "BSD-3-Clause",
                           "BSD-3-Clause-Clear",
                           "BSD-4-Clause",
                           "BSL-1.0",
                           "BUSL-1.1",
                           "bzip2-1.0.6",
                           "CAL-1.0",
                           "CC-BY-1.0",
                           "CC-BY-2.0",
                           "CC-BY-3.0",
                           "CC-BY-4.0",
                           "CC-BY-NC-4.0",
                           "CC-BY-NC-SA-4.0",
                           "CC-BY-ND-4.0",
                           "CC-BY-SA-3.0",
                           "CC-BY-SA-4.0",
                           "CC0-1.0",
                           "CDDL-1.0",
                           "CDDL-1.1",
                           "CECILL-2.1",
                           "CPAL-1.0",
                           "CPL-1.0",
                           "CUA-OPL-1.0",
                           "curl",
                           "ECL-2.0",
                           "EFL-2.0",
                           "Elastic-2.0",
                           "EPL-1.0",
                           "EPL-2.0",
                           "EUPL-1.1",
                           "EUPL-1.2",
                           "FSFAP",
                           "FTL",
                           "GFDL-1.3",
                           "GFDL-1.3-only",
                           "GFDL-1.3-or-later",
                           "GPL-1.0",
                           "GPL-1.0-only",
                           "GPL-1.0-or-later",
                           "GPL-2.0",
                           "GPL-2.0-only",
                           "GPL-2.0-or-later",
                           "GPL-3.0",
                           "GPL-3.0-only",
                           "GPL-3.0-or-later",
                           "HPND",
                           "ICU",
                           "IJG",
                           "ImageMagick",
                           "IPA",
                           "IPL-1.0",
                           "ISC",
                           "LGPL-2.0",
                           "LGPL-2.0-only",
                           "LGPL-2.0-or-later",
                           "LGPL-2.1",
                           "LGPL-2.1-only",
                           "LGPL-2.1-or-later",
                           "LGPL-3.0",
                           "LGPL-3.0-only",
                           "LGPL-3.0-or-later",
                           "Libpng",
                           "libtiff",
                           "LPL-1.02",
                           "LPPL-1.3c",
                           "MirOS",
                           "MIT",
                           "MIT-0",
                           "MIT-CMU",
                           "MPL-1.0",
                           "MPL-1.1",
                           "MPL-2.0",
                           "MPL-2.0-no-copyleft-exception",
                           "MS-PL",
                           "MS-RL",
                           "MulanPSL-2.0",
                           "NCSA",
                           "ODbL-1.0",
                           "OFL-1.1",
                           "OpenSSL",
                           "OSL-3.0",
                           "PHP-3.0",
                           "PHP-3.01",
                           "PostgreSQL",
                           "PSF-2.0",
                           "Python-2.0",
                           "Python-2.0.1",
                           "QPL-1.0",
                           "Ruby",
                           "SGI-B-2.0",
                           "SISSL",
                           "Sleepycat",
                           "SSPL-1.0",
                           "Unicode-DFS-2016",
                           "Unicode-3.0",
                           "Unlicense",
                           "UPL-1.0",
                           "Vim",
                           "W3C",
                           "WTFPL",
                           "X11",
                           "XFree86-1.1",
                           "Zlib",
                           "zlib-acknowledgement",
                           "ZPL-2.0",
                           "ZPL-2.1"}) {
      out.insert(lower(id));
    }
    return out;
  }();
  return ids;
}

const std::set<std::string>& spdx_exceptions() {
  static const std::set<std::string> ids = [] {
    std::set<std::string> out;
    for (const char* id :
         {"389-exception", "Autoconf-exception-2.0", "Autoconf-exception-3.0",
          "Bison-exception-2.2", "Classpath-exception-2.0", "Font-exception-2.0",
          "GCC-exception-2.0", "GCC-exception-3.1", "LLVM-exception", "Linux-syscall-note",
          "OpenJDK-assembly-exception-1.0", "OpenSSL-exception", "Qt-GPL-exception-1.0",
          "Qt-LGPL-exception-1.1", "Universal-FOSS-exception-1.0", "WxWindows-exception-3.1",
          "u-boot-exception-2.0", "freertos-exception-2.0"}) {
      out.insert(lower(id));
    }
    return out;
  }();
  return ids;
}

bool spdx_license(std::string_view token) {
  if (!token.empty() && token.back() == '+') token.remove_suffix(1);
  std::string low = lower(token);
  if (low.rfind("licenseref-", 0) == 0 && low.size() > 11) return true;
  if (low.rfind("documentref-", 0) == 0 && low.find(":licenseref-") != std::string::npos) {
    return true;
  }
  return spdx_ids().count(low) != 0;
}

// An SPDX license expression: ids joined by AND / OR, WITH <exception>, parentheses.
bool valid_spdx(std::string_view v) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : v) {
    if (c == '(' || c == ')' || std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
      if (c != ' ' && c != '\t') tokens.emplace_back(1, c);
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(current);
  if (tokens.empty()) return false;
  int depth = 0;
  bool expect_license = true;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t == "(") {
      if (!expect_license) return false;
      ++depth;
    } else if (t == ")") {
      if (expect_license || --depth < 0) return false;
    } else if (t == "AND" || t == "OR") {
      if (expect_license) return false;
      expect_license = true;
    } else if (t == "WITH") {
      if (expect_license || i + 1 >= tokens.size() ||
          spdx_exceptions().count(lower(tokens[i + 1])) == 0) {
        return false;
      }
      ++i;
    } else {
      if (!expect_license || !spdx_license(t)) return false;
      expect_license = false;
    }
  }
  return depth == 0 && !expect_license;
}

struct LabelUse {
  const Instruction* ins;
  KeyValue kv;
};

std::vector<LabelUse> all_labels(const LintInput& input) {
  std::vector<LabelUse> out;
  for (const auto& ins : input.file().instructions) {
    if (ins.keyword != "label") continue;
    for (auto& kv : key_values(ins, false)) out.push_back(LabelUse{&ins, std::move(kv)});
  }
  return out;
}

void check_missing(const LintInput& input, IssueSink& out) {
  const auto& schema = input.config().label_schema;
  const Stage* last = final_stage(input);
  if (schema.empty() || last == nullptr) return;
  std::set<std::string> present;
  for (const Stage* s : chain(input, *last)) {
    for (const Instruction* ins : s->instructions) {
      if (ins->keyword != "label") continue;
      for (const auto& kv : key_values(*ins, false)) present.insert(kv.key);
    }
  }
  const Instruction* anchor = last->from;
  if (anchor == nullptr) {
    if (last->instructions.empty()) return;
    anchor = last->instructions.front();
  }
  for (const auto& [key, type] : schema) {
    if (present.count(key) != 0) continue;
    out.report(*anchor, "the shipped image has no label '" + key +
                            "' (required by the label schema): add LABEL " + key + "=<" + type +
                            ">");
  }
}

void check_superfluous(const LintInput& input, IssueSink& out) {
  if (!input.config().strict_labels) return;
  const auto& schema = input.config().label_schema;
  for (const auto& use : all_labels(input)) {
    if (schema.count(use.kv.key) != 0) continue;
    report_at(out, *use.ins,
              "label '" + use.kv.key + "' is not in the label schema (strict labels)",
              arg_span(*use.ins, use.kv.index));
  }
}

void check_format(const LintInput& input, IssueSink& out, std::string_view format) {
  const auto& schema = input.config().label_schema;
  for (const auto& use : all_labels(input)) {
    auto it = schema.find(use.kv.key);
    if (it == schema.end()) continue;
    std::string type = lower(it->second);
    const std::string& value = use.kv.value;
    std::string problem;
    if (format == "empty") {
      if (trim(value).empty()) problem = "is empty";
    } else if (format != type && !(format == "hash" && type == "githash")) {
      continue;
    } else if (value.find('$') != std::string::npos) {
      continue;  // set from a build argument: only known at build time
    } else if (format == "url" && !valid_url(value)) {
      problem = "is not a URL (scheme://host/path)";
    } else if (format == "rfc3339" && !valid_rfc3339(value)) {
      problem = "is not an RFC 3339 timestamp (2024-05-01T12:00:00Z)";
    } else if (format == "spdx" && !valid_spdx(value)) {
      problem = "is not an SPDX license expression (MIT, Apache-2.0 OR MIT)";
    } else if (format == "hash" && !valid_git_hash(value)) {
      problem = "is not a git commit hash (7 or 40 lower-case hex digits)";
    } else if (format == "semver" && !valid_semver(value)) {
      problem = "is not a semantic version (1.2.3)";
    } else if (format == "email" && !valid_email(value)) {
      problem = "is not an email address (name@example.com)";
    }
    if (problem.empty()) continue;
    report_at(out, *use.ins, "label '" + use.kv.key + "' value '" + value + "' " + problem,
              arg_span(*use.ins, use.kv.index + 1));
  }
}

struct FormatRule {
  const char* id;
  const char* dl;
  const char* format;
  const char* title;
  const char* fix;
  Severity severity;
};

}  // namespace

void register_label_rules(RuleRegistry& registry) {
  must(registry.add(
      RuleInfo{.id = "MTR-DF-615",
               .title = "Required label missing",
               .severity = Severity::kLow,
               .description = "The label schema requires this label on the shipped image (the "
                              "final stage or a stage it is built FROM).",
               .fix = "Add LABEL <key>=<value> to the final stage.",
               .aliases = {"DL3049"},
               .references = {hadolint_wiki("DL3049")}},
      check_missing));
  must(registry.add(
      RuleInfo{.id = "MTR-DF-616",
               .title = "Label not in the schema",
               .severity = Severity::kLow,
               .description = "With strict labels, only labels the schema declares may be set.",
               .fix = "Remove the label or add it to the label schema.",
               .aliases = {"DL3050"},
               .references = {hadolint_wiki("DL3050")}},
      check_superfluous));
  static const FormatRule kFormats[] = {
      {"MTR-DF-617", "DL3051", "empty", "Label is empty", "Give the label a value or remove it.",
       Severity::kMedium},
      {"MTR-DF-618", "DL3052", "url", "Label is not a valid URL",
       "Write a full URL: https://github.com/org/repo.", Severity::kMedium},
      {"MTR-DF-619", "DL3053", "rfc3339", "Label is not an RFC 3339 time",
       "Write e.g. 2024-05-01T12:00:00Z (date -u +%Y-%m-%dT%H:%M:%SZ).", Severity::kMedium},
      {"MTR-DF-620", "DL3054", "spdx", "Label is not an SPDX license id",
       "Write an SPDX id or expression: Apache-2.0, MIT OR Apache-2.0.", Severity::kMedium},
      {"MTR-DF-621", "DL3055", "hash", "Label is not a git hash",
       "Write the commit id: git rev-parse HEAD (or --short).", Severity::kMedium},
      {"MTR-DF-622", "DL3056", "semver", "Label is not a semantic version",
       "Write MAJOR.MINOR.PATCH, e.g. 1.4.2.", Severity::kMedium},
      {"MTR-DF-623", "DL3058", "email", "Label is not an email address", "Write name@example.com.",
       Severity::kMedium},
  };
  for (const auto& f : kFormats) {
    std::string format = f.format;
    must(registry.add(
        RuleInfo{.id = f.id,
                 .title = f.title,
                 .severity = f.severity,
                 .description = format == "empty"
                                    ? "A label the schema declares is set to an empty value."
                                    : "The label schema declares this label's value as " + format +
                                          "; tools reading the label expect that format.",
                 .fix = f.fix,
                 .aliases = {f.dl},
                 .references = {hadolint_wiki(f.dl)}},
        [format](const LintInput& input, IssueSink& out) { check_format(input, out, format); }));
  }
}

}  // namespace mtr::dockerfile::rules::detail
