// The human SBOM: one line about the image, then one row per package.
#include <fmt/format.h>

#include <map>

#include "core/table.h"
#include "sbom/detail/writers.h"

namespace mtr::sbom::detail {
namespace {

// Names and paths come from untrusted images: control characters (escape sequences,
// newlines) would rewrite the user's terminal or break the columns.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  return out;
}

}  // namespace

void write_table(std::ostream& out, const oci::ImageScan& scan) {
  const auto& inv = scan.inventory;
  std::map<std::string, std::size_t> per_type;
  for (const auto& p : inv.packages) ++per_type[p.ecosystem.empty() ? "unknown" : p.ecosystem];
  std::string counts;
  for (const auto& [type, n] : per_type)
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", type, n);

  std::string os = inv.os.pretty_name;
  if (os.empty() && !inv.os.id.empty())
    os = inv.os.id + (inv.os.version_id.empty() ? "" : " " + inv.os.version_id);
  if (os.empty()) os = "unknown OS";
  out << printable(fmt::format("{}: {}, {} package{}{}", image_name(scan.meta), os,
                               inv.packages.size(), inv.packages.size() == 1 ? "" : "s",
                               counts.empty() ? "" : " (" + counts + ")"))
      << "\n";
  if (inv.packages.empty()) return;
  out << "\n";

  core::Table table({"NAME", "VERSION", "TYPE", "LAYER", "PATH"});
  for (const auto* p : sorted_packages(inv)) {
    std::string layer;
    if (p->layer_index >= 0) {
      layer = std::to_string(p->layer_index);
      if (!p->layer_digest.empty()) layer += " " + short_digest(p->layer_digest);
    }
    table.add_row({printable(display_name(*p)), printable(p->version), printable(p->ecosystem),
                   layer, printable(p->found_in)});
  }
  table.write(out);
}

}  // namespace mtr::sbom::detail
