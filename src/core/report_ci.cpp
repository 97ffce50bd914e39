// JUnit, checkstyle and GitLab Code Quality renderings of findings (see report.h).
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/hash.h"
#include "core/report.h"

namespace mtr::core {
namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string where(const Finding& f) {
  std::string path = f.location.path.empty() ? f.target : f.location.path;
  if (f.location.line == 0) return path;
  if (f.location.column == 0) return fmt::format("{}:{}", path, f.location.line);
  return fmt::format("{}:{}:{}", path, f.location.line, f.location.column);
}

const std::string& file_of(const Finding& f) {
  return f.location.path.empty() ? f.target : f.location.path;
}

// Findings grouped by file, in the order of `targets` (then any other file).
std::vector<std::pair<std::string, std::vector<const Finding*>>> by_file(
    const std::vector<std::string>& targets, const std::vector<Finding>& findings) {
  std::vector<std::pair<std::string, std::vector<const Finding*>>> out;
  std::map<std::string, std::size_t> index;
  auto slot = [&](const std::string& name) -> std::vector<const Finding*>& {
    auto [it, inserted] = index.emplace(name, out.size());
    if (inserted) out.emplace_back(name, std::vector<const Finding*>{});
    return out[it->second].second;
  };
  for (const auto& t : targets) slot(t);
  for (const auto& f : findings) slot(file_of(f)).push_back(&f);
  return out;
}

// Checkstyle's levels are SARIF's, with "info" for SARIF's "note".
const char* checkstyle_severity(Severity s) {
  const std::string_view level = sarif_level(s);
  return level == "note" ? "info" : sarif_level(s);
}

const char* gitlab_severity(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "blocker";
    case Severity::kHigh:
      return "critical";
    case Severity::kMedium:
      return "major";
    case Severity::kLow:
      return "minor";
    default:
      return "info";
  }
}

}  // namespace

void write_findings_junit(std::ostream& out, const ToolInfo& tool,
                          const std::vector<std::string>& targets,
                          const std::vector<Finding>& findings) {
  auto groups = by_file(targets, findings);
  std::size_t tests = 0;
  for (const auto& [file, list] : groups) tests += list.empty() ? 1 : list.size();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\">\n",
                     xml_escape(tool.name), tests, findings.size());
  for (const auto& [file, list] : groups) {
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                       xml_escape(file), list.empty() ? 1 : list.size(), list.size());
    if (list.empty()) {
      out << fmt::format("    <testcase name=\"{}\" classname=\"{}\"/>\n", xml_escape(tool.name),
                         xml_escape(file));
    }
    for (const Finding* f : list) {
      std::string name = fmt::format("{} {}", f->id, where(*f));
      std::string body = fmt::format("{}\nseverity: {}\n", where(*f), to_string(f->severity));
      if (!f->evidence.empty()) body += fmt::format("evidence: {}\n", f->evidence);
      if (!f->fix.empty()) body += fmt::format("fix: {}\n", f->fix);
      out << fmt::format(
          "    <testcase name=\"{}\" classname=\"{}\">\n      <failure message=\"{}\" "
          "type=\"{}\">{}</failure>\n    </testcase>\n",
          xml_escape(name), xml_escape(file), xml_escape(f->title), to_string(f->severity),
          xml_escape(body));
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

void write_findings_checkstyle(std::ostream& out, const std::vector<std::string>& targets,
                               const std::vector<Finding>& findings) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  for (const auto& [file, list] : by_file(targets, findings)) {
    out << fmt::format("  <file name=\"{}\">\n", xml_escape(file));
    for (const Finding* f : list) {
      out << fmt::format(
          "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>\n",
          f->location.line, f->location.column, checkstyle_severity(f->severity),
          xml_escape(f->title), xml_escape(f->id));
    }
    out << "  </file>\n";
  }
  out << "</checkstyle>\n";
}

void write_findings_gitlab(std::ostream& out, const std::vector<Finding>& findings) {
  nlohmann::json doc = nlohmann::json::array();
  std::set<std::string> seen;
  for (const auto& f : findings) {
    // Stable across runs and line moves within an instruction: rule, file, evidence; a
    // counter separates identical findings.
    std::string basis = fmt::format("{}\n{}\n{}", f.id, file_of(f), f.evidence);
    std::string fingerprint = sha256_digest(basis).substr(7, 32);
    for (int n = 1; !seen.insert(fingerprint).second; ++n) {
      fingerprint = sha256_digest(fmt::format("{}\n{}", basis, n)).substr(7, 32);
    }
    std::string path = file_of(f);
    if (!path.empty() && path.front() == '/') path.erase(0, 1);
    doc.push_back(
        {{"description", fmt::format("{}: {}", f.id, f.title)},
         {"check_name", f.id},
         {"fingerprint", fingerprint},
         {"severity", gitlab_severity(f.severity)},
         {"location",
          {{"path", path}, {"lines", {{"begin", f.location.line == 0 ? 1 : f.location.line}}}}}});
  }
  out << doc.dump(2) << "\n";
}

}  // namespace mtr::core
