// The Debian security tracker's JSON (security-tracker.debian.org/tracker/data/json) →
// one Advisory per (source package, CVE), one Affected per known release.
#include <fmt/format.h>

#include <string>
#include <utility>

#include "vulndb/detail/import_doc.h"
#include "vulndb/import.h"

namespace mtr::vulndb {
namespace {

using nlohmann::json;

// The tracker is written by an encoder that turns an empty object into [] (and null is
// harmless too): both mean "nothing here".
bool is_empty_list(const json& value) {
  return value.is_null() || (value.is_array() && value.empty());
}

std::string take_text(json& object, std::string_view key) {
  json* value = object.is_object() && object.contains(key) ? &object[std::string(key)] : nullptr;
  if (value == nullptr) return "";
  if (value->is_string()) return std::move(value->get_ref<std::string&>());
  return detail::text_of(*value);
}

// Applies the tracker's status rules (see shared/notes/scanner-anchors.md §3). Precedence:
// fixed_version "0" (never affected) wins over everything, then urgency "unimportant", then
// the no-DSA reasons of open entries.
Affected release_to_affected(json& release, std::string_view package, std::string ecosystem) {
  Affected affected;
  affected.ecosystem = std::move(ecosystem);
  affected.package = std::string(package);
  affected.version_type = "deb";
  std::string status = take_text(release, "status");
  std::string fixed = take_text(release, "fixed_version");
  std::string urgency = take_text(release, "urgency");
  std::string nodsa = take_text(release, "nodsa");
  std::string nodsa_reason = take_text(release, "nodsa_reason");

  Range range{"ECOSYSTEM", {Event{Event::Kind::kIntroduced, "0"}}};
  if (status == "resolved" && fixed == "0") {
    affected.status = Status::kNotAffected;
  } else {
    if (status == "resolved" && !fixed.empty())
      range.events.push_back(Event{Event::Kind::kFixed, fixed});
    affected.ranges.push_back(std::move(range));
    if (status == "undetermined") {
      affected.status = Status::kUndetermined;
    } else if (urgency == "unimportant") {
      affected.status = Status::kUnimportant;
    } else if (status == "open" && nodsa_reason == "ignored") {
      affected.status = Status::kWillNotFix;
    } else if (status == "open" && nodsa_reason == "postponed") {
      affected.status = Status::kDeferred;
    } else {
      affected.status = Status::kAffected;
    }
  }
  if (!nodsa_reason.empty())
    affected.note = "no-dsa: " + nodsa_reason;
  else if (!nodsa.empty())
    affected.note = "no-dsa: " + nodsa;
  if (urgency == "end-of-life")
    affected.note = affected.note.empty() ? "end-of-life" : affected.note + "; end-of-life";
  affected.severity = std::move(urgency);
  return affected;
}

}  // namespace

namespace detail {

core::Status debian_tracker_from_document(json& doc, std::string_view origin,
                                          const AdvisorySink& sink) {
  if (!doc.is_object()) return invalid_input(origin, "Debian tracker document is not an object");
  for (auto& [source, cves] : doc.items()) {
    if (is_empty_list(cves)) continue;
    if (!cves.is_object())
      return invalid_input(origin, fmt::format("tracker entry '{}' is not an object", source));
    for (auto& [cve, entry] : cves.items()) {
      if (cve.empty()) continue;
      if (!entry.is_object())
        return invalid_input(origin,
                             fmt::format("tracker entry '{}/{}' is not an object", source, cve));
      Advisory advisory;
      advisory.id = cve;
      advisory.summary = take_text(entry, "description");
      auto releases = entry.find("releases");
      if (releases != entry.end() && !is_empty_list(*releases)) {
        if (!releases->is_object())
          return invalid_input(
              origin, fmt::format("tracker entry '{}/{}': releases is not an object", source, cve));
        for (auto& [codename, release] : releases->items()) {
          std::string ecosystem = debian_ecosystem(codename);
          if (ecosystem.empty() || !release.is_object()) continue;
          advisory.affected.push_back(release_to_affected(release, source, std::move(ecosystem)));
        }
      }
      MTR_TRY_STATUS(sink(std::move(advisory)));
    }
  }
  return {};
}

}  // namespace detail

core::Status parse_debian_tracker(std::string_view json_text, std::string_view origin,
                                  const AdvisorySink& sink) {
  auto doc = MTR_TRY(detail::parse_json_document(json_text, origin));
  return detail::debian_tracker_from_document(doc, origin, sink);
}

}  // namespace mtr::vulndb
