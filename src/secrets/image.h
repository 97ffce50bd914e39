// Secrets in an image: the adapter that lets the layer reader run the secret engine on every
// file of every layer (including files a later layer deletes), and the step that turns those
// hits and the image config (Env, Labels, Cmd/Entrypoint, history) into findings.
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"
#include "oci/scan.h"
#include "secrets/scanner.h"

namespace mtr::secrets {

class LayerScanner final : public oci::ContentScanner {
 public:
  explicit LayerScanner(const Scanner& scanner) : scanner_(scanner) {}
  std::string cache_key() const override;
  std::uint64_t max_file_bytes() const override { return scanner_.options().max_file_bytes; }
  bool scan_binary() const override { return scanner_.options().scan_binary; }
  void scan(std::string_view path, std::string_view content,
            std::vector<oci::ContentHit>& out) const override;

 private:
  const Scanner& scanner_;
};

// Findings for the secrets of a scanned image (scanned with a LayerScanner over `scanner`) and
// of its config. `target` names the image in each finding.
std::vector<core::Finding> image_findings(const oci::ImageScan& scan, const Scanner& scanner,
                                          const std::string& target);

}  // namespace mtr::secrets
