// Reporters for findings: human table, JSON and SARIF 2.1.0.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/result.h"

namespace mtr::core {

struct ToolInfo {
  std::string name = "matryoshka";
  std::string version;
  std::string information_uri = "https://github.com/matryoshka-sec/matryoshka";
};

// Metadata for a rule that SARIF lists under tool.driver.rules.
struct RuleInfo {
  std::string id;
  std::string title;
  std::string description;
  Severity severity = Severity::kUnknown;
  std::string help_uri;
  std::vector<std::string> aliases;
};

enum class FindingFormat { kTable, kJson, kSarif };
Result<FindingFormat> parse_finding_format(std::string_view name);

void write_findings_table(std::ostream& out, const std::vector<Finding>& findings);

// Our JSON document written one finding at a time (same bytes as write_findings_json), for
// reports too big to hold: rescans of thousands of images.
class FindingsJsonStream {
 public:
  FindingsJsonStream(std::ostream& out, const ToolInfo& tool) : out_(out), tool_(tool) {}
  void add(const Finding& finding) { add_rendered(render(finding)); }
  // render() may run on any thread; add_rendered() writes what it returned, in order (several
  // rendered findings may be passed at once, joined by ",\n    ").
  static std::string render(const Finding& finding);
  // The same bytes through a nlohmann JSON tree: the reference render() is tested against.
  static std::string render_reference(const Finding& finding);
  void add_rendered(std::string_view rendered);
  void finish();

 private:
  std::ostream& out_;
  ToolInfo tool_;
  std::size_t count_ = 0;
};
void write_findings_json(std::ostream& out, const ToolInfo& tool,
                         const std::vector<Finding>& findings);
void write_findings_sarif(std::ostream& out, const ToolInfo& tool,
                          const std::vector<RuleInfo>& rules, const std::vector<Finding>& findings);

// CI formats. `targets` lists every file checked, so files without findings appear too.
// JUnit XML: one <testsuite> per target, one failed <testcase> per finding (a passing one for a
// clean target) — Azure DevOps / GitLab / Jenkins test tabs.
void write_findings_junit(std::ostream& out, const ToolInfo& tool,
                          const std::vector<std::string>& targets,
                          const std::vector<Finding>& findings);
// Checkstyle XML 4.3 (Jenkins warnings-ng, reviewdog): <file name> with <error> per finding.
void write_findings_checkstyle(std::ostream& out, const std::vector<std::string>& targets,
                               const std::vector<Finding>& findings);
// GitLab Code Quality (Code Climate subset): a JSON array of issues with a stable fingerprint.
void write_findings_gitlab(std::ostream& out, const std::vector<Finding>& findings);

// SARIF level for a severity: critical/high → error, medium → warning, others → note.
const char* sarif_level(Severity s);

}  // namespace mtr::core
