// Matryoshka's own SBOM document ("matryoshka.sbom/v1"): every field the scan knows, with
// stable key order and every key present, so that scripts can rely on its shape. Fields
// that change from run to run (cache hits, time) are left out: the same image gives the
// same bytes.
#include <nlohmann/json.hpp>

#include "sbom/detail/writers.h"

namespace mtr::sbom::detail {

using Json = nlohmann::ordered_json;

void write_native_json(std::ostream& out, const oci::ImageScan& scan, const WriteOptions& options) {
  const auto& meta = scan.meta;
  const auto& inv = scan.inventory;

  Json layers = Json::array();
  for (std::size_t i = 0; i < scan.layers.size(); ++i) {
    const auto& l = scan.layers[i];
    layers.push_back({{"index", i},
                      {"diff_id", l.diff_id},
                      {"digest", l.blob_digest},
                      {"media_type", l.media_type},
                      {"size", l.blob_size},
                      {"uncompressed_size", l.uncompressed_bytes},
                      {"created_by", l.created_by}});
  }
  Json image = {{"source", meta.source},
                {"name", meta.name},
                {"repo_tags", meta.repo_tags},
                {"manifest_digest", meta.manifest_digest},
                {"config_digest", meta.config_digest},
                {"platform", platform_string(meta.platform)},
                {"layers", std::move(layers)}};

  Json os = {{"id", inv.os.id},
             {"name", inv.os.name},
             {"version_id", inv.os.version_id},
             {"codename", inv.os.codename},
             {"pretty_name", inv.os.pretty_name},
             {"id_like", inv.os.id_like},
             {"distroless", inv.os.distroless},
             {"source_file", inv.os.source_file}};

  Json packages = Json::array();
  for (const auto* p : sorted_packages(inv)) {
    packages.push_back({{"name", p->name},
                        {"namespace", p->purl_namespace},
                        {"version", p->version},
                        {"type", p->ecosystem},
                        {"purl", p->purl},
                        {"arch", p->arch},
                        {"epoch", p->epoch},
                        {"source_name", p->source_name},
                        {"source_version", p->source_version},
                        {"licenses", p->licenses},
                        {"found_in", p->found_in},
                        {"cataloger", p->cataloger},
                        {"layer_digest", p->layer_digest},
                        {"layer_index", p->layer_index}});
  }

  Json doc = {{"schema", "matryoshka.sbom/v1"},
              {"tool", {{"name", "matryoshka"}, {"version", options.tool_version}}},
              {"image", std::move(image)},
              {"os", std::move(os)},
              {"packages", std::move(packages)},
              {"warnings", inv.warnings}};
  // Untrusted bytes that are not UTF-8 become U+FFFD rather than aborting the dump.
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace mtr::sbom::detail
