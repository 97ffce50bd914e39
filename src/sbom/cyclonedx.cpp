// CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/). The image is the BOM's subject
// (metadata.component, type "container"); the OS and every package are components it
// depends on. Where each package came from (layer, file, cataloger) goes into properties
// under the "matryoshka:" namespace.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/clock.h"
#include "core/hash.h"
#include "sbom/detail/writers.h"
#include "sbom/spdx_license.h"

namespace mtr::sbom::detail {
namespace {

using Json = nlohmann::ordered_json;

// A known SPDX id becomes {"license": {"id"}}; other text {"license": {"name"}}, since the
// schema rejects unknown ids. A package with one license text that is a compound SPDX
// expression gets the schema's other choice, a single {"expression"}.
Json licenses_json(const std::vector<std::string>& texts) {
  Json list = Json::array();
  if (texts.size() == 1 && !canonical_license_id(texts.front())) {
    if (auto expression = normalize_license_expression(texts.front())) {
      list.push_back({{"expression", *expression}});
      return list;
    }
  }
  std::set<std::string> seen;  // "mit" and "MIT" are one license once canonicalised
  for (const auto& text : texts) {
    if (auto id = canonical_license_id(text)) {
      if (seen.insert("id:" + std::string(*id)).second)
        list.push_back({{"license", {{"id", *id}}}});
    } else if (seen.insert("name:" + text).second) {
      list.push_back({{"license", {{"name", text}}}});
    }
  }
  return list;
}

void add_property(Json& properties, std::string_view name, const std::string& value) {
  if (!value.empty()) properties.push_back({{"name", name}, {"value", value}});
}

// bom-refs must be unique in the document. The purl is the natural one, but the same
// purl appears twice when, say, two copies of one npm package sit in different
// node_modules; those get a qualifier naming the copy (stable: derived from its path).
std::vector<std::string> make_bom_refs(const std::vector<const inventory::Package*>& packages) {
  std::vector<std::string> base;
  std::map<std::string, std::size_t> count;
  for (const auto* p : packages) {
    std::string ref =
        !p->purl.empty()
            ? p->purl
            : fmt::format("pkg-{}:{}@{}", p->ecosystem.empty() ? "unknown" : p->ecosystem,
                          display_name(*p), p->version);
    ++count[ref];
    base.push_back(std::move(ref));
  }
  std::vector<std::string> refs;
  std::set<std::string> used;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    std::string ref = base[i];
    if (count[ref] > 1) {
      const auto* p = packages[i];
      auto id = short_digest(core::sha256_digest(
          fmt::format("{}\n{}\n{}\n{}", p->found_in, p->layer_digest, p->layer_index, p->arch)));
      ref += (ref.find('?') == std::string::npos ? "?" : "&") + std::string("package-id=") + id;
    }
    // Two copies identical in every respect still need distinct refs.
    std::string unique = ref;
    for (int n = 2; !used.insert(unique).second; ++n) unique = fmt::format("{}-{}", ref, n);
    refs.push_back(std::move(unique));
  }
  return refs;
}

const char* cvss_method(std::string_view vector) {
  if (vector.rfind("CVSS:4", 0) == 0) return "CVSSv4";
  if (vector.rfind("CVSS:3.1", 0) == 0) return "CVSSv31";
  if (vector.rfind("CVSS:3", 0) == 0) return "CVSSv3";
  return "CVSSv2";
}

std::string property(const core::Finding& f, const char* key) {
  auto it = f.properties.find(key);
  return it == f.properties.end() ? std::string() : it->second;
}

// One entry per vulnerability id; `affects` lists the component of every package it was
// found in.
Json vulnerabilities_json(const std::vector<core::Finding>& findings,
                          const std::vector<const inventory::Package*>& packages,
                          const std::vector<std::string>& refs) {
  auto ref_of = [&](const core::Finding& f) -> std::string {
    const std::string purl = property(f, "purl");
    std::string fallback;
    for (std::size_t i = 0; i < packages.size(); ++i) {
      if (packages[i]->purl != purl) continue;
      if (packages[i]->found_in == f.location.path) return refs[i];
      if (fallback.empty()) fallback = refs[i];
    }
    return fallback;
  };
  std::map<std::string, Json> by_id;
  std::vector<std::string> order;
  for (const auto& f : findings) {
    auto [it, fresh] = by_id.try_emplace(f.id);
    Json& v = it->second;
    if (fresh) {
      order.push_back(f.id);
      v = {{"bom-ref", "vuln:" + f.id}, {"id", f.id}};
      std::string source = property(f, "data_source");
      if (!source.empty()) v["source"] = {{"name", source}};
      Json ratings = Json::array();
      std::string vendor = property(f, "vendor_severity");
      if (!vendor.empty()) {
        ratings.push_back({{"source", {{"name", source.empty() ? "vendor" : source}}},
                           {"severity", core::to_string(f.severity)},
                           {"method", "other"}});
      }
      std::string vector = property(f, "cvss_vector");
      std::string score = property(f, "cvss_score");
      if (!vector.empty() && !score.empty()) {
        Json r = {{"score", std::stod(score)}, {"method", cvss_method(vector)}, {"vector", vector}};
        if (vendor.empty()) r["severity"] = core::to_string(f.severity);
        ratings.push_back(std::move(r));
      }
      if (ratings.empty()) ratings.push_back({{"severity", core::to_string(f.severity)}});
      v["ratings"] = std::move(ratings);
      if (!f.title.empty()) v["description"] = f.title;
      if (!f.description.empty() && f.description != f.title) v["detail"] = f.description;
      if (!f.fix.empty()) v["recommendation"] = f.fix;
      Json refs_json = Json::array();
      for (const auto& a : f.aliases) {
        refs_json.push_back({{"id", a}, {"source", {{"name", source.empty() ? "alias" : source}}}});
      }
      if (!refs_json.empty()) v["references"] = std::move(refs_json);
      Json advisories = Json::array();
      for (const auto& url : f.references) {
        if (url.rfind("http", 0) == 0) advisories.push_back({{"url", url}});
      }
      if (!advisories.empty()) v["advisories"] = std::move(advisories);
      std::string state = property(f, "analysis_state");
      v["analysis"] = {{"state", state.empty() ? "in_triage" : state}};
      v["affects"] = Json::array();
    }
    std::string ref = ref_of(f);
    if (ref.empty()) continue;
    Json versions =
        Json::array({{{"version", property(f, "installed_version")}, {"status", "affected"}}});
    std::string fixed = property(f, "fixed_version");
    if (!fixed.empty()) versions.push_back({{"version", fixed}, {"status", "unaffected"}});
    v["affects"].push_back({{"ref", ref}, {"versions", std::move(versions)}});
  }
  Json out = Json::array();
  for (const auto& id : order) out.push_back(std::move(by_id[id]));
  return out;
}

}  // namespace

void write_cyclonedx(std::ostream& out, const oci::ImageScan& scan, const WriteOptions& options) {
  const core::Clock& clock = options.clock ? *options.clock : core::system_clock();
  const auto& meta = scan.meta;
  const auto& inv = scan.inventory;

  Json tool = {{"type", "application"}, {"name", "matryoshka"}};
  if (!options.tool_version.empty()) tool["version"] = options.tool_version;

  const std::string version = image_version(meta);
  const std::string image_ref = "image:" + (version.empty() ? image_name(meta) : version);
  Json image = {{"type", "container"}, {"bom-ref", image_ref}, {"name", image_name(meta)}};
  if (!version.empty()) image["version"] = version;
  Json image_props = Json::array();
  add_property(image_props, "matryoshka:image:source", meta.source);
  add_property(image_props, "matryoshka:image:config_digest", meta.config_digest);
  add_property(image_props, "matryoshka:image:platform", platform_string(meta.platform));
  for (const auto& tag : meta.repo_tags) add_property(image_props, "matryoshka:image:tag", tag);
  if (!image_props.empty()) image["properties"] = std::move(image_props);

  Json components = Json::array();
  Json depends_on = Json::array();
  if (!inv.os.empty()) {
    std::string ref =
        "os:" + inv.os.id + (inv.os.version_id.empty() ? "" : "@" + inv.os.version_id);
    Json os = {{"type", "operating-system"}, {"bom-ref", ref}, {"name", inv.os.id}};
    if (!inv.os.version_id.empty()) os["version"] = inv.os.version_id;
    if (!inv.os.pretty_name.empty()) os["description"] = inv.os.pretty_name;
    components.push_back(std::move(os));
    depends_on.push_back(ref);
  }

  auto packages = sorted_packages(inv);
  auto refs = make_bom_refs(packages);
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const auto& p = *packages[i];
    auto [group, name] = group_and_name(p);
    Json c = {{"type", "library"}, {"bom-ref", refs[i]}};
    if (!group.empty()) c["group"] = group;
    c["name"] = name;
    if (!p.version.empty()) c["version"] = p.version;
    auto licenses = licenses_json(license_texts(p));
    if (!licenses.empty()) c["licenses"] = std::move(licenses);
    if (!p.purl.empty()) c["purl"] = p.purl;
    Json props = Json::array();
    add_property(props, "matryoshka:layer:diff_id", p.layer_digest);
    if (p.layer_index >= 0)
      add_property(props, "matryoshka:layer:index", std::to_string(p.layer_index));
    add_property(props, "matryoshka:found_in", p.found_in);
    add_property(props, "matryoshka:source_name", p.source_name);
    add_property(props, "matryoshka:source_version", p.source_version);
    add_property(props, "matryoshka:cataloger", p.cataloger);
    if (!props.empty()) c["properties"] = std::move(props);
    components.push_back(std::move(c));
    depends_on.push_back(refs[i]);
  }

  Json doc = {
      {"$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json"},
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.5"},
      {"serialNumber", "urn:uuid:" + uuid_v4()},
      {"version", 1},
      {"metadata",
       {{"timestamp", core::format_rfc3339(clock.now())},
        {"tools", {{"components", Json::array({std::move(tool)})}}},
        {"component", std::move(image)}}},
      {"components", std::move(components)},
      {"dependencies", Json::array({{{"ref", image_ref}, {"dependsOn", std::move(depends_on)}}})}};
  if (options.vulnerabilities) {
    doc["vulnerabilities"] = vulnerabilities_json(*options.vulnerabilities, packages, refs);
  }
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace mtr::sbom::detail
