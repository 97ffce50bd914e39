// OSV records (https://ossf.github.io/osv-schema/) in JSON or YAML → Advisory.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "vulndb/detail/import_doc.h"
#include "vulndb/import.h"

namespace mtr::vulndb {
namespace {

using nlohmann::json;

// PEP 503: lowercase, runs of '-', '_' and '.' become one '-'.
std::string pep503(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_separator = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_separator) out.push_back('-');
      in_separator = true;
      continue;
    }
    in_separator = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// "CVSS:3.1/…" → "3.1"; a vector without the prefix is CVSS v2.
std::string cvss_version(std::string_view type, std::string_view vector) {
  if (vector.starts_with("CVSS:")) {
    auto slash = vector.find('/');
    return std::string(vector.substr(5, slash == std::string_view::npos ? slash : slash - 5));
  }
  if (type == "CVSS_V3") return "3.0";
  if (type == "CVSS_V4") return "4.0";
  return "2.0";
}

// GHSA writes MODERATE for medium; other sources write the usual words in any case.
core::Severity vendor_severity_of(std::string_view text) {
  std::string lower;
  for (char c : text)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "moderate") return core::Severity::kMedium;
  if (lower == "important") return core::Severity::kHigh;  // Red Hat's scale
  return core::parse_severity(lower).value_or(core::Severity::kUnknown);
}

void append_strings(const json* list, std::vector<std::string>& out) {
  if (list == nullptr || !list->is_array()) return;
  for (const auto& item : *list) {
    std::string s = detail::text_of(item);
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end())
      out.push_back(std::move(s));
  }
}

// Reads a `severity` array: CVSS entries go to the advisory, a qualitative one ("Ubuntu":
// "medium") is returned for the affected packages.
std::string read_severity_list(const json* list, Advisory& advisory) {
  std::string qualitative;
  if (list == nullptr || !list->is_array()) return qualitative;
  for (const auto& entry : *list) {
    std::string type = detail::text_field(entry, "type");
    std::string score = detail::text_field(entry, "score");
    if (score.empty()) continue;
    if (type.starts_with("CVSS_V")) {
      bool seen = std::any_of(advisory.cvss.begin(), advisory.cvss.end(),
                              [&](const Cvss& c) { return c.vector == score; });
      if (!seen) advisory.cvss.push_back(Cvss{score, cvss_version(type, score), -1});
    } else if (qualitative.empty()) {
      qualitative = score;
    }
  }
  return qualitative;
}

// Debian/Ubuntu/GHSA put a package's rating in ecosystem_specific or database_specific.
std::string specific_severity(const json& affected) {
  for (std::string_view where : {"ecosystem_specific", "database_specific"}) {
    const json* specific = detail::member(affected, where);
    if (specific == nullptr) continue;
    for (std::string_view key : {"urgency", "priority", "severity"}) {
      std::string value = detail::text_field(*specific, key);
      if (!value.empty()) return value;
    }
  }
  return "";
}

bool read_event(const json& event, Event& out) {
  static constexpr std::pair<std::string_view, Event::Kind> kKinds[] = {
      {"introduced", Event::Kind::kIntroduced},
      {"fixed", Event::Kind::kFixed},
      {"last_affected", Event::Kind::kLastAffected},
      {"limit", Event::Kind::kLimit},
  };
  for (const auto& [key, kind] : kKinds) {
    const json* value = detail::member(event, key);
    if (value == nullptr) continue;
    out.kind = kind;
    out.version = detail::text_of(*value);
    return !out.version.empty();
  }
  return false;
}

void read_affected(const json& entry, Advisory& advisory, const std::string& record_severity) {
  const json* package = detail::member(entry, "package");
  if (package == nullptr) return;  // GIT-only entries (e.g. CPython commits): nothing to match
  Affected affected;
  affected.ecosystem = normalize_ecosystem(detail::text_field(*package, "ecosystem"));
  affected.package = detail::text_field(*package, "name");
  affected.purl = detail::text_field(*package, "purl");
  if (affected.ecosystem.empty() || affected.package.empty()) return;
  if (affected.ecosystem == "PyPI") affected.package = pep503(affected.package);
  affected.version_type = version_type_of(affected.ecosystem);
  if (const json* ranges = detail::member(entry, "ranges");
      ranges != nullptr && ranges->is_array()) {
    for (const auto& range_json : *ranges) {
      Range range;
      range.type = detail::text_field(range_json, "type");
      if (range.type != "ECOSYSTEM" && range.type != "SEMVER") continue;
      if (const json* events = detail::member(range_json, "events");
          events != nullptr && events->is_array()) {
        for (const auto& event_json : *events) {
          Event event;
          if (read_event(event_json, event)) range.events.push_back(std::move(event));
        }
      }
      if (!range.events.empty()) affected.ranges.push_back(std::move(range));
    }
  }
  append_strings(detail::member(entry, "versions"), affected.versions);
  std::string own = read_severity_list(detail::member(entry, "severity"), advisory);
  affected.severity = specific_severity(entry);
  if (affected.severity.empty()) affected.severity = own;
  if (affected.severity.empty()) affected.severity = record_severity;
  advisory.affected.push_back(std::move(affected));
}

}  // namespace

namespace detail {

core::Result<Advisory> osv_from_document(const json& doc, std::string_view origin) {
  if (!doc.is_object()) return invalid_input(origin, "OSV record is not an object");
  Advisory advisory;
  advisory.id = text_field(doc, "id");
  if (advisory.id.empty()) return invalid_input(origin, "OSV record has no 'id'");
  append_strings(member(doc, "aliases"), advisory.aliases);
  append_strings(member(doc, "upstream"), advisory.aliases);
  advisory.summary = text_field(doc, "summary");
  advisory.details = text_field(doc, "details");
  advisory.published = text_field(doc, "published");
  advisory.modified = text_field(doc, "modified");
  const json* withdrawn = member(doc, "withdrawn");
  advisory.withdrawn = withdrawn != nullptr && !withdrawn->is_null();
  if (const json* references = member(doc, "references");
      references != nullptr && references->is_array()) {
    for (const auto& reference : *references) {
      std::string url = text_field(reference, "url");
      if (!url.empty()) advisory.references.push_back(std::move(url));
    }
  }
  // A record-wide qualitative rating (Ubuntu's severity type, Debian-derived urgency) applies
  // to every package that has none of its own.
  std::string record_severity = read_severity_list(member(doc, "severity"), advisory);
  if (const json* specific = member(doc, "database_specific"); specific != nullptr) {
    advisory.vendor_severity = vendor_severity_of(text_field(*specific, "severity"));
    std::string urgency = text_field(*specific, "urgency");
    if (urgency.empty()) urgency = text_field(*specific, "priority");
    if (!urgency.empty()) record_severity = urgency;
  }
  if (const json* affected = member(doc, "affected"); affected != nullptr && affected->is_array()) {
    for (const auto& entry : *affected) read_affected(entry, advisory, record_severity);
  }
  return advisory;
}

}  // namespace detail

core::Result<Advisory> parse_osv(std::string_view text, std::string_view origin) {
  auto doc = MTR_TRY(detail::parse_document(text, origin));
  return detail::osv_from_document(doc, origin);
}

}  // namespace mtr::vulndb
