#include "core/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/table.h"

namespace mtr::core {
namespace {

using nlohmann::json;

json location_json(const FindingLocation& loc) {
  json j = json::object();
  if (!loc.path.empty()) j["path"] = loc.path;
  if (loc.line) j["line"] = loc.line;
  if (loc.column) j["column"] = loc.column;
  if (loc.end_line) j["end_line"] = loc.end_line;
  if (loc.end_column) j["end_column"] = loc.end_column;
  if (!loc.layer_digest.empty()) j["layer"] = loc.layer_digest;
  if (!loc.json_path.empty()) j["json_path"] = loc.json_path;
  return j;
}

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// SARIF artifact URIs are URI references: a path with a space, '%', '#', '?' or non-ASCII
// bytes must be percent-encoded or consumers (and the schema's format) reject or misread it.
// ':' is encoded too, so that "a:b/c" cannot be read as a URI with scheme "a".
std::string uri_path(std::string_view path) {
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// GitHub code scanning ranks alerts by this CVSS-like score (critical ≥ 9.0, high ≥ 7.0,
// medium ≥ 4.0, low > 0); one value per band, in its middle.
const char* security_severity(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "2.0";
    default:
      return "0.0";
  }
}

}  // namespace

Result<FindingFormat> parse_finding_format(std::string_view name) {
  if (name == "table") return FindingFormat::kTable;
  if (name == "json") return FindingFormat::kJson;
  if (name == "sarif") return FindingFormat::kSarif;
  return fail(ErrorCode::kUsage,
              fmt::format("unknown format '{}' (expected table, json or sarif)", name));
}

void write_findings_table(std::ostream& out, const std::vector<Finding>& findings) {
  if (findings.empty()) {
    out << "No findings.\n";
    return;
  }
  std::vector<const Finding*> sorted;
  for (const auto& f : findings) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
  Table table({"SEVERITY", "ID", "TITLE", "LOCATION"});
  for (const auto* f : sorted) {
    std::string where = f->location.path;
    if (f->location.line) where += fmt::format(":{}", f->location.line);
    if (!f->location.json_path.empty()) where += (where.empty() ? "" : " ") + f->location.json_path;
    table.add_row({to_string(f->severity), f->id, f->title, where});
  }
  table.write(out);
}

namespace {
json finding_json(const Finding& f) {
  json j = {{"id", f.id}, {"severity", to_string(f.severity)}, {"title", f.title}};
  if (!f.aliases.empty()) j["aliases"] = f.aliases;
  if (!f.description.empty()) j["description"] = f.description;
  if (!f.target.empty()) j["target"] = f.target;
  j["location"] = location_json(f.location);
  if (!f.evidence.empty()) j["evidence"] = f.evidence;
  if (!f.fix.empty()) j["fix"] = f.fix;
  if (!f.references.empty()) j["references"] = f.references;
  if (!f.properties.empty()) j["properties"] = f.properties;
  return j;
}
}  // namespace

namespace {

// Writes what dump(finding_json(f)) writes, indented two levels deeper, without building a
// JSON tree: reports of many thousands of findings (a directory of Dockerfiles, a fleet rescan)
// spend most of their time here. Keys are in nlohmann's (sorted) order; a string that is not
// valid UTF-8 goes through nlohmann so its replacement characters are the same.
class FindingWriter {
 public:
  explicit FindingWriter(std::string& out) : out_(out) {}

  void string(std::string_view s) {
    if (!valid_utf8(s)) {
      out_ += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
      return;
    }
    out_ += '"';
    // Runs of characters that need no escape are appended whole.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          out_ += fmt::format("\\u{:04x}", c);
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }
  // "key": at `depth` (0 = the finding's own keys: 4 spaces of the stream, 2 of the object).
  void key(int depth, std::string_view k, bool first) {
    out_ += first ? "\n" : ",\n";
    out_.append(indent(depth), ' ');
    string(k);
    out_ += ": ";
  }
  void close(int depth, char bracket) {
    out_ += '\n';
    out_.append(indent(depth), ' ');
    out_ += bracket;
  }
  void strings(int depth, const std::vector<std::string>& list) {
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      out_ += i == 0 ? "\n" : ",\n";
      out_.append(indent(depth + 1), ' ');
      string(list[i]);
    }
    close(depth, ']');
  }
  void number(std::uint64_t n) { out_ += std::to_string(n); }

 private:
  static std::size_t indent(int depth) { return static_cast<std::size_t>(6 + 2 * depth); }

  static bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        ++i;
        continue;
      }
      std::size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
      if (n == 0 || c > 0xF4 || i + n >= s.size()) return false;
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (c == 0xE0 && b1 < 0xA0) return false;  // overlong
      if (c == 0xED && b1 > 0x9F) return false;  // surrogates
      if (c == 0xF0 && b1 < 0x90) return false;  // overlong
      if (c == 0xF4 && b1 > 0x8F) return false;  // beyond U+10FFFF
      for (std::size_t k = 1; k <= n; ++k) {
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
      }
      i += n + 1;
    }
    return true;
  }

  std::string& out_;
};

}  // namespace

std::string FindingsJsonStream::render(const Finding& f) {
  std::string out;
  std::size_t estimate = 400 + f.title.size() + f.description.size() + f.fix.size() +
                         f.evidence.size() + f.target.size() + 2 * f.location.path.size();
  for (const auto& a : f.aliases) estimate += a.size() + 12;
  for (const auto& r : f.references) estimate += r.size() + 12;
  for (const auto& [k, v] : f.properties) estimate += k.size() + v.size() + 16;
  out.reserve(estimate);
  FindingWriter w(out);
  out += '{';
  bool first = true;
  auto key = [&](std::string_view k) {
    w.key(0, k, first);
    first = false;
  };
  if (!f.aliases.empty()) {
    key("aliases");
    w.strings(0, f.aliases);
  }
  if (!f.description.empty()) {
    key("description");
    w.string(f.description);
  }
  if (!f.evidence.empty()) {
    key("evidence");
    w.string(f.evidence);
  }
  if (!f.fix.empty()) {
    key("fix");
    w.string(f.fix);
  }
  key("id");
  w.string(f.id);
  key("location");
  {
    const FindingLocation& l = f.location;
    bool first_field = true;
    auto field = [&](std::string_view k) {
      w.key(1, k, first_field);
      first_field = false;
    };
    out += '{';
    auto number = [&](std::string_view k, std::uint64_t v) {
      if (v == 0) return;
      field(k);
      w.number(v);
    };
    auto text = [&](std::string_view k, const std::string& v) {
      if (v.empty()) return;
      field(k);
      w.string(v);
    };
    number("column", l.column);
    number("end_column", l.end_column);
    number("end_line", l.end_line);
    text("json_path", l.json_path);
    text("layer", l.layer_digest);
    number("line", l.line);
    text("path", l.path);
    if (first_field) {
      out += '}';
    } else {
      w.close(0, '}');
    }
  }
  if (!f.properties.empty()) {
    key("properties");
    out += '{';
    bool first_property = true;
    for (const auto& [k, v] : f.properties) {
      w.key(1, k, first_property);
      first_property = false;
      w.string(v);
    }
    w.close(0, '}');
  }
  if (!f.references.empty()) {
    key("references");
    w.strings(0, f.references);
  }
  key("severity");
  w.string(to_string(f.severity));
  if (!f.target.empty()) {
    key("target");
    w.string(f.target);
  }
  key("title");
  w.string(f.title);
  out += "\n    }";
  return out;
}

// The reference rendering (a JSON tree, then re-indented); render() must equal it.
std::string FindingsJsonStream::render_reference(const Finding& finding) {
  std::string text = dump(finding_json(finding));
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

void FindingsJsonStream::add_rendered(std::string_view rendered) {
  out_ << (count_++ == 0 ? "{\n  \"findings\": [\n    " : ",\n    ") << rendered;
}

void FindingsJsonStream::finish() {
  json tool = {{"name", tool_.name}, {"version", tool_.version}};
  std::string text = dump(tool);
  std::string indented;
  for (char c : text) {
    indented += c;
    if (c == '\n') indented += "  ";
  }
  out_ << (count_ == 0 ? "{\n  \"findings\": []" : "\n  ]") << ",\n  \"tool\": " << indented
       << "\n}\n";
}

void write_findings_json(std::ostream& out, const ToolInfo& tool,
                         const std::vector<Finding>& findings) {
  FindingsJsonStream stream(out, tool);
  for (const auto& f : findings) stream.add(f);
  stream.finish();
}

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    default:
      return "note";
  }
}

void write_findings_sarif(std::ostream& out, const ToolInfo& tool,
                          const std::vector<RuleInfo>& rules,
                          const std::vector<Finding>& findings) {
  json rule_list = json::array();
  std::set<std::string> known;
  auto add_rule = [&](const RuleInfo& r) {
    if (!known.insert(r.id).second) return;
    json j = {{"id", r.id},
              {"shortDescription", {{"text", r.title.empty() ? r.id : r.title}}},
              {"defaultConfiguration", {{"level", sarif_level(r.severity)}}},
              {"properties",
               {{"security-severity", security_severity(r.severity)},
                {"severity", to_string(r.severity)}}}};
    if (!r.description.empty()) j["fullDescription"] = {{"text", r.description}};
    if (!r.help_uri.empty()) j["helpUri"] = r.help_uri;
    if (!r.aliases.empty()) j["properties"]["aliases"] = r.aliases;
    rule_list.push_back(std::move(j));
  };
  for (const auto& r : rules) add_rule(r);
  for (const auto& f : findings)
    add_rule(RuleInfo{f.id, f.title, f.description, f.severity, "", f.aliases});

  json results = json::array();
  for (const auto& f : findings) {
    json result = {{"ruleId", f.id},
                   {"level", sarif_level(f.severity)},
                   {"message", {{"text", f.title.empty() ? f.id : f.title}}}};
    json physical = json::object();
    std::string uri = !f.location.path.empty() ? f.location.path : f.target;
    if (!uri.empty()) {
      if (uri.front() == '/') uri.erase(0, 1);
      physical["artifactLocation"] = {{"uri", uri_path(uri)}};
      if (f.location.line) {
        json region = {{"startLine", f.location.line}};
        if (f.location.column) region["startColumn"] = f.location.column;
        if (f.location.end_line) region["endLine"] = f.location.end_line;
        if (f.location.end_column) region["endColumn"] = f.location.end_column;
        physical["region"] = region;
      }
      result["locations"] = json::array({{{"physicalLocation", physical}}});
    }
    json props = json::object();
    for (const auto& [k, v] : f.properties) props[k] = v;
    if (!f.location.layer_digest.empty()) props["layer"] = f.location.layer_digest;
    if (!f.location.json_path.empty()) props["json_path"] = f.location.json_path;
    if (!props.empty()) result["properties"] = props;
    results.push_back(std::move(result));
  }
  json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({{{"tool",
                                      {{"driver",
                                        {{"name", tool.name},
                                         {"version", tool.version},
                                         {"informationUri", tool.information_uri},
                                         {"rules", rule_list}}}}},
                                     {"results", results}}})}};
  out << dump(doc) << "\n";
}

}  // namespace mtr::core
