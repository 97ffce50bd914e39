#include "match/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/table.h"

namespace mtr::match {
namespace {

std::string prop(const core::Finding& f, const char* key) {
  auto it = f.properties.find(key);
  return it == f.properties.end() ? std::string() : it->second;
}

}  // namespace

void write_vuln_table(std::ostream& out, const std::vector<core::Finding>& findings,
                      std::size_t suppressed) {
  if (findings.empty()) {
    out << "No vulnerabilities found";
    if (suppressed) out << fmt::format(" ({} suppressed by ignore rules or VEX)", suppressed);
    out << ".\n";
    return;
  }
  // Group by (package, installed version, where it was found).
  struct Group {
    std::string package, version, found_in;
    std::vector<const core::Finding*> items;
    core::Severity worst = core::Severity::kUnknown;
  };
  std::map<std::string, Group> groups;
  for (const auto& f : findings) {
    auto key = prop(f, "package") + '\0' + prop(f, "installed_version") + '\0' + f.location.path;
    auto& g = groups[key];
    g.package = prop(f, "package");
    g.version = prop(f, "installed_version");
    g.found_in = f.location.path;
    g.items.push_back(&f);
    g.worst = std::max(g.worst, f.severity);
  }
  std::vector<Group*> ordered;
  for (auto& [k, g] : groups) ordered.push_back(&g);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Group* a, const Group* b) { return a->worst > b->worst; });

  core::Table table(
      {"PACKAGE", "INSTALLED", "VULNERABILITY", "SEVERITY", "STATUS", "FIXED IN", "TITLE"});
  for (auto* g : ordered) {
    std::stable_sort(g->items.begin(), g->items.end(),
                     [](const core::Finding* a, const core::Finding* b) {
                       if (a->severity != b->severity) return a->severity > b->severity;
                       return a->id < b->id;
                     });
    bool first = true;
    for (const auto* f : g->items) {
      std::string title = f->title;
      if (title.size() > 60) title = title.substr(0, 57) + "...";
      table.add_row({first ? g->package : "", first ? g->version : "", f->id,
                     core::to_string(f->severity), prop(*f, "status"), prop(*f, "fixed_version"),
                     title});
      first = false;
    }
  }
  table.write(out);
  std::map<core::Severity, std::size_t> counts;
  for (const auto& f : findings) ++counts[f.severity];
  std::string summary;
  for (auto s : {core::Severity::kCritical, core::Severity::kHigh, core::Severity::kMedium,
                 core::Severity::kLow, core::Severity::kUnknown}) {
    if (!summary.empty()) summary += ", ";
    summary += fmt::format("{} {}", counts[s], core::to_string(s));
  }
  out << fmt::format("\n{} vulnerabilities in {} packages ({})", findings.size(), groups.size(),
                     summary);
  if (suppressed) out << fmt::format("; {} suppressed by ignore rules or VEX", suppressed);
  out << "\n";
}

}  // namespace mtr::match
