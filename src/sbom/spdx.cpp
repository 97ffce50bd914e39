// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/). The document DESCRIBES the image
// package (purpose CONTAINER), which CONTAINS the operating system and every package.
// Nothing is asserted that the scan did not see: suppliers, download locations and
// concluded licenses are NOASSERTION, and a declared license is written only when the
// package database's text is a valid SPDX expression.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/purl.h"
#include "sbom/detail/writers.h"
#include "sbom/spdx_license.h"

namespace mtr::sbom::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kNoAssertion = "NOASSERTION";
constexpr const char* kImageId = "SPDXRef-Image";
constexpr const char* kOsId = "SPDXRef-OperatingSystem";

// SPDX ids may hold only letters, digits, '.' and '-'. Other characters (npm's '@' and '/',
// Go paths, UTF-8) become '-', runs collapsed; the caller's counter keeps ids unique.
std::string sanitise_id_part(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "unnamed" : out;
}

// All texts valid: joined with AND (each a license of some part of the package); any
// invalid text makes the whole declaration unknown rather than partly wrong.
std::string declared_license(const inventory::Package& package) {
  auto texts = license_texts(package);
  if (texts.empty()) return kNoAssertion;
  std::vector<std::string> parts;
  for (const auto& text : texts) {
    auto expression = normalize_license_expression(text);
    if (!expression) return kNoAssertion;
    if (std::find(parts.begin(), parts.end(), *expression) == parts.end())
      parts.push_back(*expression);
  }
  if (parts.size() == 1) return parts.front();
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += " AND ";
    bool compound = part.find(' ') != std::string::npos;
    out += compound ? "(" + part + ")" : part;
  }
  return out;
}

Json base_package(std::string id, std::string name) {
  return Json{{"SPDXID", std::move(id)}, {"name", std::move(name)}};
}

void add_common_fields(Json& package, const std::string& declared) {
  package["supplier"] = kNoAssertion;
  package["downloadLocation"] = kNoAssertion;
  package["filesAnalyzed"] = false;
  package["licenseConcluded"] = kNoAssertion;
  package["licenseDeclared"] = declared;
  package["copyrightText"] = kNoAssertion;
}

Json relationship(std::string_view from, std::string_view type, std::string_view to) {
  return Json{{"spdxElementId", from}, {"relationshipType", type}, {"relatedSpdxElement", to}};
}

}  // namespace

void write_spdx(std::ostream& out, const oci::ImageScan& scan, const WriteOptions& options) {
  const core::Clock& clock = options.clock ? *options.clock : core::system_clock();
  const auto& meta = scan.meta;
  const auto& inv = scan.inventory;
  const std::string name = image_name(meta);
  const std::string tool = options.tool_version.empty()
                               ? "Tool: matryoshka"
                               : "Tool: matryoshka-" + options.tool_version;

  Json packages = Json::array();
  Json relationships = Json::array();
  relationships.push_back(relationship("SPDXRef-DOCUMENT", "DESCRIBES", kImageId));

  Json image = base_package(kImageId, name);
  if (auto version = image_version(meta); !version.empty()) image["versionInfo"] = version;
  add_common_fields(image, kNoAssertion);
  image["primaryPackagePurpose"] = "CONTAINER";
  packages.push_back(std::move(image));

  if (!inv.os.empty()) {
    Json os = base_package(kOsId, inv.os.id);
    if (!inv.os.version_id.empty()) os["versionInfo"] = inv.os.version_id;
    add_common_fields(os, kNoAssertion);
    if (!inv.os.pretty_name.empty()) os["description"] = inv.os.pretty_name;
    os["primaryPackagePurpose"] = "OPERATING_SYSTEM";
    packages.push_back(std::move(os));
    relationships.push_back(relationship(kImageId, "CONTAINS", kOsId));
  }

  int n = 0;
  for (const auto* p : sorted_packages(inv)) {
    std::string id = fmt::format("SPDXRef-Package-{}-{}-{}", sanitise_id_part(p->ecosystem),
                                 sanitise_id_part(display_name(*p)), ++n);
    Json package = base_package(id, display_name(*p));
    if (!p->version.empty()) package["versionInfo"] = p->version;
    add_common_fields(package, declared_license(*p));
    if (!p->purl.empty()) {
      package["externalRefs"] = Json::array({{{"referenceCategory", "PACKAGE-MANAGER"},
                                              {"referenceType", "purl"},
                                              {"referenceLocator", p->purl}}});
    }
    if (!p->found_in.empty()) {
      package["sourceInfo"] = p->cataloger.empty()
                                  ? fmt::format("acquired package info from {}", p->found_in)
                                  : fmt::format("acquired package info from {} ({} cataloger)",
                                                p->found_in, p->cataloger);
    }
    if (p->layer_index >= 0) {
      package["comment"] = p->layer_digest.empty()
                               ? fmt::format("layer {}", p->layer_index)
                               : fmt::format("layer {} ({})", p->layer_index, p->layer_digest);
    }
    packages.push_back(std::move(package));
    relationships.push_back(relationship(kImageId, "CONTAINS", id));
  }

  const std::string uuid = uuid_v4();
  Json doc = {{"spdxVersion", "SPDX-2.3"},
              {"dataLicense", "CC0-1.0"},
              {"SPDXID", "SPDXRef-DOCUMENT"},
              {"name", name},
              {"documentNamespace",
               fmt::format("https://github.com/matryoshka-sec/matryoshka/spdx/image/{}-{}",
                           core::purl_encode(name), uuid)},
              {"creationInfo",
               {{"created", core::format_rfc3339(clock.now())}, {"creators", Json::array({tool})}}},
              {"packages", std::move(packages)},
              {"relationships", std::move(relationships)}};
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace mtr::sbom::detail
