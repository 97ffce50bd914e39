// Alpine secdb (secdb.alpinelinux.org, JSON or YAML) and the same format published by Wolfi,
// Chainguard and other apk distributions → one Advisory per (package, vulnerability id).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "version/version.h"
#include "vulndb/detail/import_doc.h"
#include "vulndb/import.h"

namespace mtr::vulndb {
namespace {

using nlohmann::json;

// "CVE-2019-1", "XSA-123", "TALOS-2017-0499", "GHSA-…"; not "(BGP)" or "CVE-????-?????".
bool is_vulnerability_id(std::string_view token) {
  auto dash = token.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash + 1 >= token.size()) return false;
  if (!std::isupper(static_cast<unsigned char>(token.front()))) return false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    auto c = static_cast<unsigned char>(token[i]);
    bool ok = i < dash ? std::isalnum(c) != 0
                       : std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::string host_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  return std::string(url.substr(0, url.find('/')));
}

// Alpine's own files name the release; Wolfi and Chainguard omit it (they are rolling) and are
// recognised by their package host. Any other apk distribution becomes "apk:<host>", so its
// advisories can never be mistaken for Alpine's.
core::Result<std::string> ecosystem_of(const json& doc, std::string_view origin) {
  std::string urls = detail::text_field(doc, "urlprefix") + " " + detail::text_field(doc, "apkurl");
  if (urls.find("wolfi.dev") != std::string::npos) return std::string("Wolfi");
  if (urls.find("cgr.dev") != std::string::npos) return std::string("Chainguard");
  std::string version = detail::text_field(doc, "distroversion");
  std::string prefix = detail::text_field(doc, "urlprefix");
  bool alpine_host = prefix.empty() || prefix.find("alpinelinux.org") != std::string::npos;
  if (!version.empty() && alpine_host) {
    if (version.front() != 'v') version.insert(0, "v");
    return "Alpine:" + version;
  }
  if (!prefix.empty() && !host_of(prefix).empty()) return "apk:" + host_of(prefix);
  return detail::invalid_input(origin, "secdb names neither a distroversion nor a urlprefix");
}

struct Fix {
  std::string id;
  std::vector<std::string> aliases;
  std::string version;  // highest fixed version seen; "0" = never affected, "" = no fix yet
};

// Some apk distributions (SecureOS) list unfixed vulnerabilities under the key "None".
bool is_unfixed_key(std::string_view version) { return version == "None" || version.empty(); }

void record_fix(std::vector<Fix>& fixes, std::map<std::string, std::size_t>& index, std::string id,
                std::vector<std::string> aliases, const std::string& fixed_version) {
  auto [it, inserted] = index.emplace(id, fixes.size());
  if (inserted) {
    fixes.push_back(Fix{std::move(id), std::move(aliases), fixed_version});
    return;
  }
  Fix& fix = fixes[it->second];
  for (auto& alias : aliases) {
    if (std::find(fix.aliases.begin(), fix.aliases.end(), alias) == fix.aliases.end())
      fix.aliases.push_back(std::move(alias));
  }
  // Also listed as unfixed: nothing fixes it yet.
  if (fix.version.empty() || fixed_version.empty()) {
    fix.version.clear();
    return;
  }
  // Listed under several versions: a first fix was incomplete. The later one is the fix.
  if (fix.version == "0" ||
      (fixed_version != "0" && version::compare_apk(fixed_version, fix.version) > 0))
    fix.version = fixed_version;
}

}  // namespace

namespace detail {

core::Status alpine_secdb_from_document(const json& doc, std::string_view origin,
                                        const AdvisorySink& sink) {
  if (!doc.is_object()) return invalid_input(origin, "secdb document is not an object");
  const json* packages = member(doc, "packages");
  if (packages == nullptr || packages->is_null()) return {};
  if (!packages->is_array()) return invalid_input(origin, "secdb 'packages' is not a list");
  std::string ecosystem = MTR_TRY(ecosystem_of(doc, origin));
  for (const auto& entry : *packages) {
    const json* pkg = member(entry, "pkg");
    if (pkg == nullptr) continue;
    std::string name = text_field(*pkg, "name");
    const json* secfixes = member(*pkg, "secfixes");
    if (name.empty() || secfixes == nullptr || !secfixes->is_object()) continue;
    std::vector<Fix> fixes;
    std::map<std::string, std::size_t> index;
    for (const auto& [key, list] : secfixes->items()) {
      if (key.empty()) continue;
      const std::string version = is_unfixed_key(key) ? std::string() : key;
      std::vector<std::string> lines;
      if (list.is_array()) {
        for (const auto& item : list) lines.push_back(text_of(item));
      } else {
        lines.push_back(text_of(list));
      }
      for (const auto& line : lines) {
        std::vector<std::string> cves;
        std::vector<std::string> others;
        for (auto token : split_whitespace(line)) {
          if (!is_vulnerability_id(token)) continue;
          (token.starts_with("CVE-") ? cves : others).emplace_back(token);
        }
        // "CVE-2017-14450 TALOS-2017-0499": one vulnerability under two names.
        if (!cves.empty()) {
          for (auto& cve : cves) record_fix(fixes, index, std::move(cve), others, version);
        } else {
          for (auto& other : others) record_fix(fixes, index, std::move(other), {}, version);
        }
      }
    }
    for (auto& fix : fixes) {
      Advisory advisory;
      advisory.id = std::move(fix.id);
      advisory.aliases = std::move(fix.aliases);
      Affected affected;
      affected.ecosystem = ecosystem;
      affected.package = name;
      affected.version_type = "apk";
      if (fix.version == "0") {
        affected.status = Status::kNotAffected;
      } else if (fix.version.empty()) {
        affected.ranges.push_back(Range{"ECOSYSTEM", {Event{Event::Kind::kIntroduced, "0"}}});
      } else {
        affected.ranges.push_back(Range{"ECOSYSTEM",
                                        {Event{Event::Kind::kIntroduced, "0"},
                                         Event{Event::Kind::kFixed, std::move(fix.version)}}});
      }
      advisory.affected.push_back(std::move(affected));
      MTR_TRY_STATUS(sink(std::move(advisory)));
    }
  }
  return {};
}

}  // namespace detail

core::Status parse_alpine_secdb(std::string_view text, std::string_view origin,
                                const AdvisorySink& sink) {
  auto doc = MTR_TRY(detail::parse_document(text, origin));
  return detail::alpine_secdb_from_document(doc, origin, sink);
}

}  // namespace mtr::vulndb
