// matryoshka sbom IMAGE: list what is installed in an image.
#include "sbom/sbom.h"

#include "cli/common.h"
#include "core/log.h"
#include "core/version.h"
#include "inventory/cataloger.h"
#include "oci/image.h"
#include "oci/scan.h"

namespace mtr::cli {
namespace {

struct SbomOptions {
  std::string image;
  std::string format = "table";
  std::string output;
  ImageFlags read;
};

core::Result<core::ExitCode> run_sbom(const SbomOptions& opts, const GlobalOptions& global) {
  auto format = MTR_TRY(sbom::parse_format(opts.format));
  auto progress = make_progress(global);

  auto scan = MTR_TRY(read_image(opts.image, opts.read, progress.get()));

  auto out = MTR_TRY(OutputFile::open(opts.output));
  sbom::write_sbom(out.stream(), format, scan, {core::kVersion, nullptr});
  MTR_TRY_STATUS(out.commit());
  return core::ExitCode::kOk;
}

}  // namespace

Command add_sbom_command(CLI::App& parent, const GlobalOptions& global) {
  auto opts = std::make_shared<SbomOptions>();
  auto* app = parent.add_subcommand(
      "sbom", "List what is installed in an image (OS and language packages)");
  app->footer(
      "IMAGE is one of:\n"
      "  docker-archive:PATH     output of `docker save` (PATH:TAG picks a tag when it holds "
      "several)\n"
      "  oci:DIR[:TAG]           OCI image layout\n"
      "  docker:REF              an image in the local Docker daemon\n"
      "  dir:PATH                a root filesystem (or any tree holding package databases)\n"
      "  HOST[:PORT]/REPO[:TAG][@sha256:…]   a registry (HTTP only for localhost or --insecure)\n"
      "  PATH                    detected: directory = OCI layout or rootfs, file = "
      "docker-archive\n"
      "Examples:\n"
      "  matryoshka sbom docker-archive:debian.tar --format cyclonedx --output debian.cdx.json\n"
      "  matryoshka sbom localhost:5000/app:1.2 --format spdx");
  app->add_option("IMAGE", opts->image, "Image to read")->required();
  app->add_option("-f,--format", opts->format,
                  "table, json, cyclonedx (1.5 JSON) or spdx (2.3 JSON)")
      ->check(CLI::IsMember({"table", "json", "cyclonedx", "spdx"}))
      ->capture_default_str();
  app->add_option("-o,--output", opts->output, "Write to FILE instead of standard output");
  add_image_flags(app, opts->read);
  return Command{app, [opts, &global] { return run_sbom(*opts, global); }};
}

}  // namespace mtr::cli
