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

namespace {

std::vector<const core::Finding*> worst_first(const std::vector<core::Finding>& findings) {
  std::vector<const core::Finding*> sorted;
  for (const auto& f : findings) sorted.push_back(&f);
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const core::Finding* a, const core::Finding* b) { return a->severity > b->severity; });
  return sorted;
}

std::string clip(std::string text, std::size_t width) {
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

}  // namespace

void write_secret_table(std::ostream& out, const std::vector<core::Finding>& findings) {
  if (findings.empty()) {
    out << "No secrets found.\n";
    return;
  }
  core::Table table({"SEVERITY", "RULE", "WHERE", "LAYER", "EVIDENCE (masked)"});
  std::size_t hidden = 0;
  for (const auto* f : worst_first(findings)) {
    std::string where = f->location.path;
    if (!f->location.json_path.empty()) where = f->location.json_path;
    if (f->location.line != 0) where += fmt::format(":{}", f->location.line);
    std::string layer = prop(*f, "layer_index");
    if (auto hidden_by = prop(*f, "hidden_by_layer"); !hidden_by.empty()) {
      layer += fmt::format(
          " ({} in {})", prop(*f, "visibility").rfind("replaced", 0) == 0 ? "replaced" : "removed",
          hidden_by);
      ++hidden;
    }
    table.add_row(
        {core::to_string(f->severity), f->id, clip(where, 60), layer, clip(f->evidence, 70)});
  }
  table.write(out);
  out << fmt::format("\n{} secrets", findings.size());
  if (hidden != 0)
    out << fmt::format(" ({} in files a later layer deletes or replaces: still in the image)",
                       hidden);
  out << "\n";
}

void write_config_table(std::ostream& out, const std::vector<core::Finding>& findings) {
  if (findings.empty()) {
    out << "No image configuration issues found.\n";
    return;
  }
  core::Table table({"SEVERITY", "CHECK", "TITLE", "WHERE"});
  for (const auto* f : worst_first(findings)) {
    std::string where = f->location.json_path.empty() ? f->location.path : f->location.json_path;
    table.add_row({core::to_string(f->severity), f->id, clip(f->title, 60), clip(where, 50)});
  }
  table.write(out);
  out << fmt::format("\n{} image configuration issues\n", findings.size());
}

}  // namespace mtr::match
