#include "match/match.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "version/version.h"
#include "vulndb/cvss.h"

namespace mtr::match {
namespace {

using vulndb::Affected;
using vulndb::Event;
using vulndb::Status;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string major_of(std::string_view version_id) {
  return std::string(version_id.substr(0, version_id.find('.')));
}

// PEP 503: lowercase, runs of -_. become one '-'.
std::string pep503(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (out.empty() || out.back() != '-') out.push_back('-');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

struct Lookup {
  std::string ecosystem;
  std::string name;     // name in the data
  std::string version;  // version compared with the data
};

// How one inventory package is looked up, or nullopt when no data can apply.
std::optional<Lookup> lookup_of(const inventory::Package& p, const std::string& os_eco) {
  const std::string& e = p.ecosystem;
  if (e == "deb" || e == "apk") {
    if (os_eco.empty()) return std::nullopt;
    const std::string& name = p.source_name.empty() ? p.name : p.source_name;
    const std::string& version = p.source_version.empty() ? p.version : p.source_version;
    return Lookup{os_eco, name, version};
  }
  if (e == "rpm") {
    if (os_eco.empty()) return std::nullopt;
    std::string version = p.version;
    if (!p.epoch.empty() && p.epoch != "0") version = p.epoch + ":" + version;
    return Lookup{os_eco, p.name, version};
  }
  auto joined = [&p](char sep) {
    return p.purl_namespace.empty() ? p.name : p.purl_namespace + sep + p.name;
  };
  if (e == "pypi") return Lookup{"PyPI", pep503(p.name), p.version};
  if (e == "npm") {
    std::string ns = p.purl_namespace;
    if (!ns.empty() && ns[0] != '@') ns = "@" + ns;
    return Lookup{"npm", ns.empty() ? p.name : ns + "/" + p.name, p.version};
  }
  if (e == "golang") return Lookup{"Go", joined('/'), p.version};
  if (e == "maven") return Lookup{"Maven", joined(':'), p.version};
  if (e == "composer") return Lookup{"Packagist", joined('/'), p.version};
  if (e == "gem") return Lookup{"RubyGems", p.name, p.version};
  if (e == "cargo") return Lookup{"crates.io", p.name, p.version};
  if (e == "nuget") return Lookup{"NuGet", p.name, p.version};
  return std::nullopt;
}

// Go data spells versions without the leading 'v' the module system uses.
std::string go_version(std::string_view v) {
  if (v.empty() || v == "0" || v[0] == 'v') return std::string(v);
  return "v" + std::string(v);
}

std::optional<int> compare(std::string_view type, std::string_view a, std::string_view b) {
  if (type == "golang") {
    auto r = version::compare(type, go_version(a), go_version(b));
    if (!r) return std::nullopt;
    return *r;
  }
  auto r = version::compare(type.empty() ? "semver" : type, a, b);
  if (!r) return std::nullopt;
  return *r;
}

core::Severity vendor_severity(std::string_view text) {
  std::string s = lower(text);
  while (!s.empty() && (s.back() == '*' || s.back() == ' ')) s.pop_back();
  if (s == "unimportant" || s == "negligible") return core::Severity::kLow;
  if (s == "moderate") return core::Severity::kMedium;
  if (s == "important") return core::Severity::kHigh;
  if (s == "emergency") return core::Severity::kCritical;
  if (auto sev = core::parse_severity(s)) return *sev;
  return core::Severity::kUnknown;
}

bool is_cve(std::string_view id) { return id.rfind("CVE-", 0) == 0; }

using Candidate = MatchCache::Hit;

// The id a finding is reported under: the CVE when the advisory is one or names exactly one.
std::string primary_id(const vulndb::Advisory& a) {
  if (is_cve(a.id)) return a.id;
  std::string cve;
  for (const auto& alias : a.aliases) {
    if (!is_cve(alias)) continue;
    if (!cve.empty() && cve != alias) return a.id;
    cve = alias;
  }
  return cve.empty() ? a.id : cve;
}

const char* status_word(Status s, bool has_fix) { return has_fix ? "fixed" : vulndb::to_string(s); }

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

core::Finding make_finding(const inventory::Package& pkg, const Lookup& lk,
                           const std::vector<Candidate>& group, const std::string& id,
                           std::string_view target) {
  const Candidate& first = group.front();
  core::Finding f;
  f.id = id;
  f.target = std::string(target);
  f.location.path = pkg.found_in;
  f.location.layer_digest = pkg.layer_digest;

  std::string fixed;
  const Candidate* fixed_from = &first;
  for (const auto& c : group) {
    add_unique(f.aliases, c.advisory->id);
    for (const auto& a : c.advisory->aliases) add_unique(f.aliases, a);
    for (const auto& r : c.advisory->references) add_unique(f.references, r);
    if (fixed.empty() && !c.fixed.empty()) {
      fixed = c.fixed;
      fixed_from = &c;
    }
  }
  f.aliases.erase(std::remove(f.aliases.begin(), f.aliases.end(), id), f.aliases.end());

  // Severity: the vendor's (distro urgency, GHSA rating) first; CVSS when there is none.
  core::Severity vendor = core::Severity::kUnknown;
  std::string vendor_text;
  for (const auto& c : group) {
    auto s = vendor_severity(c.affected->severity);
    if (s != core::Severity::kUnknown) {
      vendor = s;
      vendor_text = c.affected->severity;
      break;
    }
  }
  if (vendor == core::Severity::kUnknown) {
    for (const auto& c : group) {
      if (c.advisory->vendor_severity != core::Severity::kUnknown) {
        vendor = c.advisory->vendor_severity;
        vendor_text = core::to_string(vendor);
        break;
      }
    }
  }
  // The newest CVSS version wins; within one version the highest score. Vectors stored
  // without a score (import could not score them) are scored here.
  const vulndb::Cvss* best = nullptr;
  vulndb::CvssScore best_score;
  for (const auto& c : group) {
    for (const auto& cv : c.advisory->cvss) {
      vulndb::CvssScore score{cv.version, cv.score};
      if (score.base < 0) {
        auto computed = vulndb::score_cvss(cv.vector);
        if (!computed) continue;
        score = *computed;
      }
      if (!best || score.version > best_score.version ||
          (score.version == best_score.version && score.base > best_score.base)) {
        best = &cv;
        best_score = score;
      }
    }
  }
  if (vendor != core::Severity::kUnknown) {
    f.severity = vendor;
    f.properties["severity_source"] = first.advisory->source;
  } else if (best) {
    f.severity = vulndb::cvss_severity(best_score);
    f.properties["severity_source"] = "cvss";
  }
  if (!vendor_text.empty()) f.properties["vendor_severity"] = vendor_text;
  if (best) {
    f.properties["cvss_score"] = fmt::format("{:.1f}", best_score.base);
    f.properties["cvss_vector"] = best->vector;
  }

  const auto& adv = *fixed_from->advisory;
  f.title = !adv.summary.empty() ? adv.summary : adv.details.substr(0, adv.details.find('\n'));
  if (f.title.size() > 200) f.title = f.title.substr(0, 197) + "...";
  f.description = adv.details.empty() ? adv.summary : adv.details;
  f.fix = fixed.empty() ? "no fixed version yet"
                        : fmt::format("upgrade {} to {} or later", pkg.name, fixed);
  f.evidence =
      fmt::format("{} {} ({} {} {})", pkg.name, pkg.version, lk.ecosystem, lk.name, lk.version);

  auto& p = f.properties;
  p["package"] = pkg.name;
  p["installed_version"] = pkg.version;
  p["fixed_version"] = fixed;
  p["purl"] = pkg.purl;
  p["ecosystem"] = pkg.ecosystem;
  p["status"] = status_word(fixed_from->affected->status, !fixed.empty());
  p["vendor_status"] = vulndb::to_string(fixed_from->affected->status);
  if (!pkg.source_name.empty() && (pkg.ecosystem == "deb" || pkg.ecosystem == "apk")) {
    p["source_package"] = lk.name;
    p["source_version"] = lk.version;
  }
  p["data_source"] = fixed_from->advisory->source;
  p["data_ecosystem"] = lk.ecosystem;
  if (!fixed_from->affected->note.empty()) p["vendor_note"] = fixed_from->affected->note;
  if (pkg.layer_index >= 0) p["layer_index"] = std::to_string(pkg.layer_index);
  return f;
}

// Which vulnerabilities apply to one package version, grouped by the id they are reported under.
MatchCache::Groups match_package(const std::vector<vulndb::VulnIndex::Entry>& entries,
                                 const Lookup& lk, const MatchOptions& options) {
  std::set<std::string> not_affected;  // ids a source says do not apply to this package
  std::vector<Candidate> candidates;
  for (const auto& entry : entries) {
    const auto& adv = *entry.advisory;
    if (adv.withdrawn) continue;
    if (entry.affected.status == Status::kNotAffected) {
      not_affected.insert(adv.id);
      for (const auto& a : adv.aliases) not_affected.insert(a);
      continue;
    }
    std::string fixed;
    if (!is_affected(entry.affected, lk.version, &fixed)) continue;
    if (entry.affected.status == Status::kUnimportant && !options.include_unimportant) continue;
    candidates.push_back(Candidate{&adv, &entry.affected, std::move(fixed)});
  }

  // One finding per vulnerability: records naming the same CVE merge.
  std::map<std::string, std::vector<Candidate>> groups;
  for (auto& c : candidates) {
    std::string id = primary_id(*c.advisory);
    if (not_affected.count(id) || not_affected.count(c.advisory->id)) continue;
    groups[id].push_back(std::move(c));
  }
  // A multi-CVE advisory (a DSA) whose CVEs all have their own finding adds nothing.
  for (auto it = groups.begin(); it != groups.end();) {
    const auto& adv = *it->second.front().advisory;
    if (is_cve(it->first) || it->second.size() > 1) {
      ++it;
      continue;
    }
    bool covered = false;
    for (const auto& a : adv.aliases) {
      if (!is_cve(a)) continue;
      covered = groups.count(a) > 0;
      if (!covered) break;
    }
    it = covered ? groups.erase(it) : std::next(it);
  }
  return MatchCache::Groups(std::make_move_iterator(groups.begin()),
                            std::make_move_iterator(groups.end()));
}

}  // namespace

std::string os_ecosystem(const inventory::OsInfo& os) {
  const std::string id = lower(os.id);
  if (id == "debian") {
    if (!os.version_id.empty()) return "Debian:" + major_of(os.version_id);
    return "";  // testing/sid: the tracker's per-release data does not apply
  }
  if (id == "ubuntu") return os.version_id.empty() ? "" : "Ubuntu:" + os.version_id;
  if (id == "alpine") {
    auto dot = os.version_id.find('.');
    if (dot == std::string::npos) return "";
    auto dot2 = os.version_id.find('.', dot + 1);
    return "Alpine:v" + os.version_id.substr(0, dot2);
  }
  if (id == "wolfi") return "Wolfi";
  if (id == "chainguard") return "Chainguard";
  if (id == "almalinux") return os.version_id.empty() ? "" : "AlmaLinux:" + major_of(os.version_id);
  if (id == "rocky") return os.version_id.empty() ? "" : "Rocky Linux:" + major_of(os.version_id);
  return "";
}

bool is_affected(const Affected& affected, std::string_view version, std::string* fixed) {
  const std::string& type = affected.version_type;
  for (const auto& v : affected.versions) {
    if (v == version) return true;
  }
  for (const auto& range : affected.ranges) {
    // Events in version order ("0" first); input order when a version cannot be compared.
    std::vector<const Event*> events;
    for (const auto& e : range.events) events.push_back(&e);
    bool comparable = true;
    std::stable_sort(events.begin(), events.end(), [&](const Event* a, const Event* b) {
      if (a->version == "0" && a->kind == Event::Kind::kIntroduced) return b->version != "0";
      if (b->version == "0" && b->kind == Event::Kind::kIntroduced) return false;
      auto c = compare(type, a->version, b->version);
      if (!c) comparable = false;
      return c && *c < 0;
    });
    if (!comparable) {
      events.clear();
      for (const auto& e : range.events) events.push_back(&e);
    }
    bool in = false;
    std::string fix;
    for (const Event* e : events) {
      auto cmp = [&]() -> std::optional<int> { return compare(type, version, e->version); };
      switch (e->kind) {
        case Event::Kind::kIntroduced: {
          if (e->version == "0") {
            in = true;
            fix.clear();
          } else if (auto c = cmp(); c && *c >= 0) {
            in = true;
            fix.clear();
          }
          break;
        }
        case Event::Kind::kFixed: {
          auto c = cmp();
          if (!c) break;
          if (*c >= 0) {
            in = false;
          } else if (in && fix.empty()) {
            fix = e->version;
          }
          break;
        }
        case Event::Kind::kLastAffected: {
          if (auto c = cmp(); c && *c > 0) in = false;
          break;
        }
        case Event::Kind::kLimit: {
          if (auto c = cmp(); c && *c >= 0) in = false;
          break;
        }
      }
    }
    if (in) {
      if (fixed) *fixed = fix;
      return true;
    }
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> lookup_keys(const inventory::Inventory& inv) {
  const std::string os_eco = os_ecosystem(inv.os);
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& p : inv.packages) {
    if (auto lk = lookup_of(p, os_eco)) keys.emplace(lk->ecosystem, lk->name);
  }
  return {keys.begin(), keys.end()};
}

MatchResult match_inventory(const inventory::Inventory& inv, const vulndb::VulnIndex& index,
                            const MatchOptions& options, std::string_view target,
                            MatchCache* cache) {
  MatchResult result;
  const std::string os_eco = os_ecosystem(inv.os);
  bool os_packages = false;
  for (const auto& pkg : inv.packages) {
    if (pkg.ecosystem == "deb" || pkg.ecosystem == "apk" || pkg.ecosystem == "rpm") {
      os_packages = true;
    }
    auto lk = lookup_of(pkg, os_eco);
    if (!lk) continue;
    const auto& entries = index.lookup(lk->ecosystem, lk->name);
    if (entries.empty()) continue;

    MatchCache::Groups computed;
    const MatchCache::Groups* groups = nullptr;
    if (cache) {
      std::string key = lk->ecosystem + '\0' + lk->name + '\0' + lk->version;
      auto it = cache->groups_.find(key);
      if (it == cache->groups_.end()) {
        it = cache->groups_.emplace(std::move(key), match_package(entries, *lk, options)).first;
      }
      groups = &it->second;
    } else {
      computed = match_package(entries, *lk, options);
      groups = &computed;
    }
    for (const auto& [id, group] : *groups) {
      auto f = make_finding(pkg, *lk, group, id, target);
      if (options.ignore_unfixed && f.properties["fixed_version"].empty()) continue;
      result.findings.push_back(std::move(f));
    }
  }
  if (os_packages && os_eco.empty() && !inv.os.empty()) {
    result.warnings.push_back(
        fmt::format("no vulnerability data maps to {} {}: its OS packages were not matched",
                    inv.os.id, inv.os.version_id.empty() ? inv.os.codename : inv.os.version_id));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const core::Finding& a, const core::Finding& b) {
                     if (a.severity != b.severity) return a.severity > b.severity;
                     const auto& pa = a.properties.at("package");
                     const auto& pb = b.properties.at("package");
                     if (pa != pb) return pa < pb;
                     return a.id < b.id;
                   });
  return result;
}

std::string finding_key(const core::Finding& f) {
  auto it = f.properties.find("purl");
  return f.id + "|" + (it == f.properties.end() ? std::string() : it->second);
}

}  // namespace mtr::match
